/*
 * pack_check.c — matching what a pack takes against a list of expected files
 * (pack.h: pack_check_listed), the record's model.files for
 * `pack --experiment`.
 *
 * Files are matched by their resolved location on disk (realpath), so the
 * record's paths (relative to the record) and the command line's (relative to
 * the working directory, through links) meet; the digest is computed from the
 * file as it is now.
 */
#include "packager/pack.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/digest.h"
#include "common/strbuf.h"

struct resolved {
	char *real;                 /* NULL when the file is not there */
	const struct pack_expect *e;
	int packed;
};

static struct resolved *find(struct resolved *r, size_t n, const char *real)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i].real && strcmp(r[i].real, real) == 0)
			return &r[i];
	return NULL;
}

static int check_entry(const struct tree_entry *te, struct resolved *r, size_t n,
		       int allow_unlisted, struct xp_error *err)
{
	char real[PATH_MAX], dg[XP_DIGEST_SIZE];
	struct resolved *hit;

	if (!realpath(te->src, real))
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot resolve '%s'", te->src);
	hit = find(r, n, real);
	if (!hit) {
		if (allow_unlisted)
			return 0;
		return xp_error_set(err, XP_ERR_REFUSED,
				    "'%s' is packed but the record's model.files does not list it "
				    "(list it with its digest, or pass --allow-unlisted)", te->name);
	}
	hit->packed = 1;
	if (!hit->e->digest)
		return 0;
	if (digest_file(te->src, dg, NULL, err))
		return -1;
	if (strcmp(dg, hit->e->digest) != 0)
		return xp_error_set(err, XP_ERR_REFUSED,
				    "'%s' does not match the record's model.files (%s): "
				    "recorded %s, packed %s", te->name, hit->e->where,
				    hit->e->digest, dg);
	return 0;
}

int pack_check_listed(const struct tree *t, const struct pack_expect *e, size_t n,
		      int allow_unlisted, struct xp_error *err)
{
	struct resolved *r = xcalloc(n ? n : 1, sizeof(*r));
	char real[PATH_MAX];
	size_t i;
	int ret = -1;

	for (i = 0; i < n; i++) {
		r[i].e = &e[i];
		if (realpath(e[i].src, real))
			r[i].real = xstrdup(real);
		else if (errno != ENOENT && errno != ENOTDIR) {
			xp_error_errno(err, XP_ERR_LOCAL, "cannot resolve '%s'", e[i].src);
			goto out;
		}
	}
	for (i = 0; i < t->n; i++)
		if (t->v[i].type == TREE_FILE && t->v[i].src &&
		    check_entry(&t->v[i], r, n, allow_unlisted, err))
			goto out;
	for (i = 0; i < n; i++)
		if (e[i].digest && !r[i].packed) {
			xp_error_set(err, XP_ERR_REFUSED,
				     "'%s' is listed in the record's model.files (%s) but not packed",
				     e[i].src, e[i].where);
			goto out;
		}
	ret = 0;
out:
	for (i = 0; i < n; i++)
		free(r[i].real);
	free(r);
	return ret;
}
