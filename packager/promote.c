/*
 * promote.c — moving a tag to a verified manifest (promote.h).
 */
#include "packager/promote.h"

#include <string.h>

/* The verification step: 0 when every check held. */
static int promote_verify(struct store *s, const struct oci_desc *m,
			  const struct promote_opts *o, struct verify_report *r,
			  struct xp_error *err)
{
	struct verify_opts vo = {0};

	if (!o->key)
		return 0;
	vo.key = o->key;
	vo.require_verdict = o->require_verdict;
	vo.identity = o->identity;
	vo.approvals = o->approvals;
	if (sign_verify_bundle(s, m, &vo, r, err))
		return -1;
	if (r->failed)
		return xp_error_set(err, XP_ERR_REFUSED, "verification failed (%zu check%s)",
				    r->failed, r->failed == 1 ? "" : "s");
	return 0;
}

/* The approvals step, when verification did not already count them (no key):
 * enough distinct trusted approvers of this digest and decision. */
static int promote_approvals(struct store *s, const struct oci_desc *m,
			     const struct promote_opts *o, struct verify_report *r,
			     struct xp_error *err)
{
	if (!o->approvals || o->key)
		return 0;
	if (approvals_check(s, m, o->approvals, r, err))
		return -1;
	if (r->failed)
		return xp_error_set(err, XP_ERR_REFUSED, "not approved");
	return 0;
}

int promote_run(struct store *s, const struct oci_desc *m, const struct promote_opts *o,
		struct verify_report *r, struct xp_error *err)
{
	memset(r, 0, sizeof(*r));
	if (!o->to)
		return xp_error_set(err, XP_ERR_USAGE, "no tag to promote to");
	if (o->require_verdict && !o->key)
		return xp_error_set(err, XP_ERR_USAGE,
				    "a required verdict needs a key: a verdict counts only when signed");
	if (o->identity && !o->key)
		return xp_error_set(err, XP_ERR_USAGE,
				    "a required identity needs a key: an identity counts only when signed");
	if (promote_verify(s, m, o, r, err) || promote_approvals(s, m, o, r, err))
		return -1;
	if (store_tag(s, m, o->to, err) || store_commit(s, err))
		return -1;
	return 0;
}
