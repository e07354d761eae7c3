/*
 * approvalarg.h — the approval options `promote` and `verify` share:
 * --approvers FILE, --require-approvals N, --require-role ROLE (repeatable),
 * declared once (APPROVALARG_OPTIONS) and turned into a struct approval_req.
 */
#ifndef XPSHIP_CMD_APPROVALARG_H
#define XPSHIP_CMD_APPROVALARG_H

#include <stddef.h>

#include "packager/approval.h"

#define APPROVALARG_MAX_ROLES 16
#define APPROVALARG_APPROVERS 0x1601
#define APPROVALARG_REQUIRE 0x1602
#define APPROVALARG_ROLE 0x1603

#define APPROVALARG_OPTIONS \
	{"approvers", 0, "FILE", APPROVALARG_APPROVERS, \
	 "the trusted approvers: names, public keys, roles\n" \
	 "(docs/approvals.md)"}, \
	{"require-approvals", 0, "N", APPROVALARG_REQUIRE, \
	 "require approvals of this digest and decision by\n" \
	 "N distinct trusted keys (needs --approvers)"}, \
	{"require-role", 0, "ROLE", APPROVALARG_ROLE, \
	 "require a counted approval by a holder of ROLE\n" \
	 "(repeatable)"}

struct approval_args {
	const char *approvers_path;
	long required;
	const char *roles[APPROVALARG_MAX_ROLES];
	size_t n_roles;
	int given;                   /* any of the options seen */
	struct approvers approvers;
	struct approval_req req;
};

/* Take option c (1 when it was one of ours, 0 when not, or an exit code
 * after a usage error, as a negative number). */
int approvalarg_option(struct approval_args *a, const char *cmd, int c, const char *arg);
/* Load the approvers and fill a->req (NULL in *req when no option was
 * given). Returns 0 or an exit code after printing the error. */
int approvalarg_load(struct approval_args *a, const char *cmd,
		     const struct approval_req **req);
void approvalarg_release(struct approval_args *a);

#endif
