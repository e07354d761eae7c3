/*
 * approval.h — people's signed statements about a release (docs/approvals.md):
 * approvals of a bundle, waivers of a failed gate check, and the approvers
 * file that says whose keys count.
 *
 * Both are in-toto Statements v1 in DSSE envelopes, signed with the person's
 * own key (not the release key):
 *   approval  predicateType https://xpship.dev/approval/v1, subject the
 *             bundle's manifest; stored as a layer of sha256-<hex>.att with
 *             annotation predicateType, like the other attestations
 *   waiver    predicateType https://xpship.dev/waiver/v1, subjects the
 *             candidate's record (or metrics file) and the policy; a file
 *             handed to `gate --waivers`, carried into the bundle inside the
 *             decision record
 *
 * The approvers file (YAML, fixed form; paths relative to the file):
 *   approvers:
 *     - name: alice
 *       key: keys/alice.pub        # or  pem: |  -----BEGIN PUBLIC KEY----- ...
 *       roles: [ml-lead]
 * Errors in it are XP_ERR_MALFORMED at file:line:col.
 *
 * A statement counts only when its signature verifies with a trusted key;
 * everything else about it (which bundle, which decision, expiry, roles) is
 * checked by approvals_check, and for waivers by the gate (pipeline/gate.h).
 */
#ifndef XPSHIP_PACKAGER_APPROVAL_H
#define XPSHIP_PACKAGER_APPROVAL_H

#include <stddef.h>

#include "common/digest.h"
#include "common/error.h"
#include "packager/keys.h"
#include "packager/sign.h"
#include "packager/store.h"

#define XP_PREDICATE_APPROVAL "https://xpship.dev/approval/v1"
#define XP_PREDICATE_WAIVER "https://xpship.dev/waiver/v1"

/* Largest approvers file and waiver file read. */
#define APPROVAL_FILE_MAX (1024 * 1024)

struct approver {
	char *name;
	struct sign_key *key;
	char **roles;
	size_t n_roles;
};

struct approvers {
	char *path;                        /* as given */
	char digest[XP_DIGEST_SIZE];       /* sha256 of the file's bytes */
	struct approver *v;
	size_t n;
};

int approvers_load(const char *path, struct approvers *out, struct xp_error *err);
void approvers_release(struct approvers *a);

/* ---- approvals ---- */

struct approve_opts {
	const char *identity;        /* who, in words (e-mail, CI user); NULL: none */
	const char *role;            /* the role approved in; NULL: none */
	const char *reason;          /* NULL: none */
	long long time;              /* when */
	long long expires;           /* 0: never */
	/* The decision approved: its bytes (digest and policy taken from them),
	 * or NULL for the bundle's own (dev.xpship.decision.digest). */
	const char *decision_json;
	size_t decision_len;
	const char *subject_name;    /* NULL: sign_default_identity */
};

/* Sign an approval of manifest m with k and attach it to the bundle;
 * *envelope (caller frees) is the DSSE envelope. */
int approve_bundle(struct store *s, const struct oci_desc *m, const struct sign_key *k,
		   const struct approve_opts *o, char **envelope, struct xp_error *err);
/* Attach an approval signed elsewhere (`approve --output`): only its form is
 * checked here (an approval statement in a DSSE envelope); whether it counts is
 * approvals_check's question. */
int approval_attach(struct store *s, const struct oci_desc *m, const char *envelope,
		    size_t len, struct xp_error *err);

struct approval_req {
	const struct approvers *approvers;
	size_t required;             /* distinct trusted keys needed; 0: only shown */
	const char *const *roles;    /* each held by a counted approver */
	size_t n_roles;
	long long now;
};

/* Check every approval attached to m: one check "approval N" each (ok when it
 * counts, else skipped with why not: untrusted or wrong key, another manifest,
 * another decision, expired, a role the approver does not hold, a key already
 * counted), then "approvals": failed when fewer than q->required distinct keys
 * or a required role is missing. Returns -1 only when the store cannot be
 * read. */
int approvals_check(struct store *s, const struct oci_desc *m, const struct approval_req *q,
		    struct verify_report *r, struct xp_error *err);

/* ---- waivers ---- */

struct waive_opts {
	const char *check;           /* "accuracy.min", as the gate's table names it */
	const char *reason;          /* required */
	const char *identity;        /* NULL: none */
	const char *candidate_path, *candidate_digest;
	const char *policy_path, *policy_digest;
	long long time, expires;     /* expires 0: never */
};

/* A signed waiver envelope (compact JSON, caller frees). */
int waiver_sign(const struct sign_key *k, const struct waive_opts *o, char **envelope,
		struct xp_error *err);

/* A waiver whose signature verified with a trusted approver's key. */
struct waiver_info {
	char *source;                /* the file */
	char *check, *candidate_digest, *policy_digest, *reason, *time, *expires;
	char *approver, *keyid, *identity;
	char *envelope;              /* the envelope, compact JSON */
};

/* Read the waiver file at `path` and verify it against the approvers:
 * XP_ERR_REFUSED (the message says why) when no trusted key signed it or it
 * is not a waiver, XP_ERR_MALFORMED when it is not an envelope. */
int waiver_load(const char *path, const struct approvers *a, struct waiver_info *out,
		struct xp_error *err);
void waiver_info_release(struct waiver_info *w);

/* Shared by approvals and waivers: verify envelope against the trusted keys
 * and parse its statement (predicate type `ptype`). *who is the approver,
 * borrowed from a; *st the statement (caller decrefs). XP_ERR_REFUSED with
 * why when it does not count. */
struct json_t;
int approval_statement_verify(const char *envelope, size_t len, const struct approvers *a,
			      const char *ptype, const struct approver **who,
			      struct json_t **st, struct xp_error *err);

#endif
