/*
 * rollback.c — a tag back to an earlier champion (rollback.h).
 */
#include "packager/rollback.h"

#include <stdio.h>
#include <string.h>

#define CHAIN_MAX 10000

/* 1 when a rollback in the chain moved the tag away from `digest`: the
 * previous champion is the one before it, not the one rolled back from. */
static int rolled_back(const struct promotion_link *v, size_t n, const char *digest)
{
	size_t j;

	for (j = 0; j + 1 < n; j++)
		if (v[j].kind && strcmp(v[j].kind, "rollback") == 0 &&
		    strcmp(v[j + 1].digest, digest) == 0)
			return 1;
	return 0;
}

/* The chain's entry to roll back to: index into v, or -1 with err. */
static long pick(const struct promotion_link *v, size_t n, const struct rollback_opts *o,
		 struct xp_error *err)
{
	size_t i;

	if (!o->to) {
		for (i = 1; i < n; i++)
			if (strcmp(v[i].digest, v[0].digest) != 0 && !rolled_back(v, n, v[i].digest))
				return (long)i;
		xp_error_set(err, XP_ERR_REFUSED,
			     "no earlier champion of %s in its promotion log (signed by this key)",
			     o->promote.to);
		return -1;
	}
	for (i = 1; i < n; i++)
		if (strcmp(v[i].digest, o->to) == 0)
			return (long)i;
	xp_error_set(err, XP_ERR_REFUSED,
		     "%s was never a champion of %s before %.19s (not in its signed promotion log)",
		     o->to, o->promote.to, v[0].digest);
	return -1;
}

int rollback_run(struct store *s, const struct rollback_opts *o, struct oci_desc *target,
		 struct verify_report *r, struct xp_error *err)
{
	struct promotion_link *chain = NULL;
	struct promote_opts po = o->promote;
	struct oci_desc d = {0};
	size_t n = 0;
	long i;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	if (!po.to || !po.key || !po.sign_key)
		return xp_error_set(err, XP_ERR_USAGE, "a rollback needs a tag, a key and a signing key");
	if (promotion_chain(s, o->cache, po.to, po.key, CHAIN_MAX, &chain, &n, err))
		return -1;
	if (n == 0) {
		xp_error_set(err, XP_ERR_NOT_FOUND, "no tag '%s' in '%s'", po.to, store_name(s));
		goto out;
	}
	if ((i = pick(chain, n, o, err)) < 0 || store_resolve(s, chain[i].digest, &d, err))
		goto out;
	po.require_verdict = "pass";
	po.kind = "rollback";
	po.expect_set = 1;
	po.expect = chain[0].digest;
	if (promote_run(s, &d, &po, r, err))
		goto out;
	*target = d;
	memset(&d, 0, sizeof(d));
	ret = 0;
out:
	oci_desc_release(&d);
	promotion_chain_free(chain, n);
	return ret;
}
