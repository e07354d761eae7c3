/*
 * rollback.h — moving a tag back to an earlier champion from its promotion
 * log (promotion.h), through the same steps as a promotion (promote.h).
 *
 * The chain of champions is read from the promotion statements verified by
 * the key (an unsigned or foreign statement does not count), the target —
 * the previous champion, or a given earlier one that is in the chain — is
 * verified as `promote` verifies (signature, blobs, the signed gate verdict
 * "pass"), the tag must still name the champion the chain was read from, and
 * the move is recorded as a promotion statement of kind "rollback".
 */
#ifndef XPSHIP_PACKAGER_ROLLBACK_H
#define XPSHIP_PACKAGER_ROLLBACK_H

#include "common/error.h"
#include "packager/promote.h"

struct rollback_opts {
	const char *to;                  /* a digest in the chain; NULL: the previous champion */
	const char *cache;               /* blob cache (blobcache.h), NULL: none */
	struct promote_opts promote;     /* .to = the tag, .key and .sign_key required */
};

/* Roll o->promote.to back; *target receives the manifest it now names. r as
 * promote_run. XP_ERR_NOT_FOUND: no such tag; XP_ERR_REFUSED: no earlier
 * champion (or `to` is not one), a failed verification, or a moved tag. */
int rollback_run(struct store *s, const struct rollback_opts *o, struct oci_desc *target,
		 struct verify_report *r, struct xp_error *err);

#endif
