/*
 * approvalarg.c — the shared approval options (approvalarg.h).
 */
#include "cmd/approvalarg.h"
#include "cmd/cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int approvalarg_option(struct approval_args *a, const char *cmd, int c, const char *arg)
{
	char *end;

	switch (c) {
	case APPROVALARG_APPROVERS:
		a->approvers_path = arg;
		break;
	case APPROVALARG_REQUIRE:
		errno = 0;
		a->required = strtol(arg, &end, 10);
		if (errno || *end || end == arg || a->required < 1 || a->required > 1000)
			return -cmd_usage_error(cmd, "invalid --require-approvals '%s' (expected 1 to 1000)",
						arg);
		break;
	case APPROVALARG_ROLE:
		if (a->n_roles == APPROVALARG_MAX_ROLES)
			return -cmd_usage_error(cmd, "more than %d --require-role", APPROVALARG_MAX_ROLES);
		if (!*arg)
			return -cmd_usage_error(cmd, "empty --require-role");
		a->roles[a->n_roles++] = arg;
		break;
	default:
		return 0;
	}
	a->given = 1;
	return 1;
}

int approvalarg_load(struct approval_args *a, const char *cmd,
		     const struct approval_req **req)
{
	struct xp_error err;

	*req = NULL;
	if (!a->given)
		return 0;
	if (!a->approvers_path)
		return cmd_usage_error(cmd, "--require-approvals and --require-role need --approvers FILE");
	xp_error_clear(&err);
	if (approvers_load(a->approvers_path, &a->approvers, &err))
		return cmd_fail(&err);
	a->req.approvers = &a->approvers;
	a->req.required = (size_t)a->required;
	a->req.roles = a->roles;
	a->req.n_roles = a->n_roles;
	a->req.now = (long long)time(NULL);
	*req = &a->req;
	return 0;
}

void approvalarg_release(struct approval_args *a)
{
	approvers_release(&a->approvers);
}
