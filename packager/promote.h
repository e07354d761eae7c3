/*
 * promote.h — moving a tag to a verified manifest: the steps `xpship promote`
 * runs, in order, behind one entry point.
 *
 * promote_run() verifies the manifest (when a key is given, as `xpship verify`
 * does: blobs, signature, attestations, the required verdict), then points the
 * tag at it and commits the store. Nothing is moved unless every check held.
 * Further checks a promotion makes (identity, approvals, the champion the
 * decision was gated against) belong here, as steps before the tag moves.
 */
#ifndef XPSHIP_PACKAGER_PROMOTE_H
#define XPSHIP_PACKAGER_PROMOTE_H

#include "common/error.h"
#include "packager/approval.h"
#include "packager/promotion.h"
#include "packager/sign.h"
#include "packager/store.h"

/* What promote_run found and did, for the caller to report. */
struct promote_outcome {
	char from[XP_DIGEST_SIZE];       /* the tag's digest before ("" when it was new) */
	int moved;                       /* 0: the tag named the manifest already */
	int stale;                       /* moved with allow_stale over another champion */
	int recorded;                    /* a promotion statement was attached */
};

struct promote_opts {
	const char *to;                  /* the tag to move (required) */
	const struct sign_key *key;      /* verify with this key; NULL: unverified */
	const char *require_verdict;     /* with key: the signed gate verdict required */
	const char *identity;            /* with key: the docker-reference a signature must name */
	/* approvals required (approval.h), or NULL: approvals are not a condition */
	const struct approval_req *approvals;
	/* The stale-decision check: the verified decision names the champion it
	 * was gated against; the tag is re-read right before it moves and must
	 * still name that champion (or m itself), unless allow_stale. */
	int allow_stale;
	/* expect_set: the tag must name `expect` (NULL: no tag) instead (a
	 * rollback moves from the champion it read). */
	int expect_set;
	const char *expect;
	/* The promotion statement (promotion.h), signed by sign_key and attached
	 * to m after the tag moved; NULL: none recorded. */
	const struct sign_key *sign_key;
	const char *kind;                /* "promote" (NULL) or "rollback" */
	const char *builder_id, *invocation_id;
	long long now;
	struct promote_outcome *outcome; /* optional: filled on success and on refusal */
};

/* Promote manifest m of store s to o->to. r receives the verification's
 * checks (empty without a key; the caller releases it in every case). Returns
 * 0 when the tag moved; -1 otherwise: XP_ERR_REFUSED when a check failed
 * (r says which), else the store's error. */
int promote_run(struct store *s, const struct oci_desc *m, const struct promote_opts *o,
		struct verify_report *r, struct xp_error *err);

#endif
