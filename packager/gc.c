/*
 * gc.c — deleting old candidate releases (gc.h).
 */
#include "packager/gc.h"

#include "common/strbuf.h"
#include "common/timeutil.h"
#include "packager/history.h"
#include "packager/promotion.h"
#include "packager/ref.h"
#include "packager/oci.h"

#include <stdlib.h>
#include <string.h>

#define CHAIN_MAX 100000

void gc_result_release(struct gc_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].tag);
		free(r->v[i].why);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* The champions of every champion tag: current (1) and past (2) digests. */
struct champs {
	char (*digest)[XP_DIGEST_SIZE];
	const char **tag;
	int *past;
	size_t n;
};

static void champs_add(struct champs *c, const char *digest, const char *tag, int past)
{
	c->digest = xrealloc(c->digest, (c->n + 1) * sizeof(*c->digest));
	c->tag = xrealloc(c->tag, (c->n + 1) * sizeof(*c->tag));
	c->past = xrealloc(c->past, (c->n + 1) * sizeof(*c->past));
	snprintf(c->digest[c->n], XP_DIGEST_SIZE, "%s", digest);
	c->tag[c->n] = tag;
	c->past[c->n] = past;
	c->n++;
}

static void champs_free(struct champs *c)
{
	free(c->digest);
	free(c->tag);
	free(c->past);
}

static int read_champions(struct store *s, const struct gc_opts *o, char *const *tags,
			  size_t n_tags, struct champs *c, struct xp_error *err)
{
	size_t t, i;

	for (t = 0; t < n_tags; t++) {
		struct promotion_link *chain;
		size_t n;

		if (promotion_chain(s, o->cache, tags[t], NULL, CHAIN_MAX, &chain, &n, err))
			return -1;
		for (i = 0; i < n; i++)
			champs_add(c, chain[i].digest, tags[t], i > 0);
		promotion_chain_free(chain, n);
	}
	return 0;
}

/* Why release r must stay, or NULL when it may go. */
static char *keep_reason(const struct history *h, size_t idx, const struct gc_opts *o,
			 const struct champs *c)
{
	const struct history_entry *r = &h->v[idx];
	size_t i;

	if (r->problem || !r->digest[0])
		return xstrdup("metadata not readable");
	for (i = 0; i < c->n; i++)
		if (strcmp(c->digest[i], r->digest) == 0 && !c->past[i])
			return xasprintf("champion of %s", c->tag[i]);
	for (i = 0; i < c->n; i++)
		if (strcmp(c->digest[i], r->digest) == 0 && !o->delete_past_champions)
			return xasprintf("past champion of %s", c->tag[i]);
	if (idx < o->keep_last)
		return xasprintf("among the %zu newest", o->keep_last);
	if (o->older_than) {
		long long t;

		if (!r->created || xp_time_parse(r->created, &t) != 0)
			return xstrdup("no created time");
		if (t > o->now - o->older_than)
			return xstrdup("not old enough");
	}
	return NULL;
}

/* Another release tag that stays names the same manifest. */
static const char *shared_with_kept(const struct gc_result *res, size_t idx)
{
	size_t i;

	for (i = 0; i < res->n; i++)
		if (i != idx && !res->v[i].remove &&
		    strcmp(res->v[i].digest, res->v[idx].digest) == 0)
			return res->v[i].tag;
	return NULL;
}

/* Delete manifest `digest`'s companions (sha256-<hex>* tags, referrers),
 * then the manifest itself. */
static int delete_release(struct store *s, char **tags, size_t n_tags, const char *digest,
			  size_t *count, struct xp_error *err)
{
	char prefix[80];
	struct oci_desc d = {0}, *refs = NULL;
	size_t i, n_refs = 0;
	int ret = -1;

	snprintf(prefix, sizeof(prefix), "sha256-%s", digest_hex(digest));
	for (i = 0; i < n_tags; i++) {
		struct oci_desc c = {0};

		if (strncmp(tags[i], prefix, strlen(prefix)) != 0)
			continue;
		if (store_resolve(s, tags[i], &c, err) == 0) {
			int r = store_delete(s, &c, err);

			oci_desc_release(&c);
			if (r && err->cls != XP_ERR_NOT_FOUND)
				goto out;
			*count += !r;
		} else if (err->cls != XP_ERR_NOT_FOUND) {
			goto out;
		}
		xp_error_clear(err);
	}
	if (store_resolve(s, digest, &d, err))
		goto out;
	if (store_referrers(s, &d, &refs, &n_refs, err))
		goto out;
	for (i = 0; i < n_refs; i++) {
		if (store_delete(s, &refs[i], err) == 0)
			(*count)++;
		else if (err->cls != XP_ERR_NOT_FOUND)
			goto out;
		xp_error_clear(err);
	}
	if (store_delete(s, &d, err))
		goto out;
	(*count)++;
	ret = 0;
out:
	oci_descs_free(refs, n_refs);
	oci_desc_release(&d);
	return ret;
}

static int plan(struct store *s, const struct gc_opts *o, struct history *h,
		struct gc_result *res, struct xp_error *err)
{
	static char *const prod[] = {"prod"};
	char *const *tags = o->n_tags ? o->tags : prod;
	size_t n_tags = o->n_tags ? o->n_tags : 1, i, t;
	struct champs c = {0};
	struct history_opts ho = {0};

	ho.tag = tags[0];
	ho.cache = o->cache;
	ho.jobs = o->jobs;
	if (history_read(s, &ho, h, err) || read_champions(s, o, tags, n_tags, &c, err)) {
		champs_free(&c);
		return -1;
	}
	res->v = xcalloc(h->n ? h->n : 1, sizeof(*res->v));
	for (i = 0; i < h->n; i++) {
		struct gc_item *it;
		int champion_tag = 0;

		for (t = 0; t < n_tags; t++)
			champion_tag |= strcmp(h->v[i].tag, tags[t]) == 0;
		if (champion_tag)
			continue;
		it = &res->v[res->n++];
		it->tag = xstrdup(h->v[i].tag);
		snprintf(it->digest, sizeof(it->digest), "%s", h->v[i].digest);
		it->why = keep_reason(h, i, o, &c);
		it->remove = !it->why;
	}
	/* a manifest goes only when every tag naming it goes */
	for (i = 0; i < res->n; i++) {
		const char *other;

		if (res->v[i].remove && (other = shared_with_kept(res, i))) {
			res->v[i].remove = 0;
			res->v[i].why = xasprintf("same manifest as %s", other);
			i = (size_t)-1;   /* keeping one may keep others: look again */
		}
	}
	champs_free(&c);
	return 0;
}

int gc_run(struct store *s, const struct gc_opts *o, struct gc_result *r, struct xp_error *err)
{
	struct history h = {0};
	char **tags = NULL;
	size_t n_tags = 0, i, j;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	if (plan(s, o, &h, r, err))
		goto out;
	for (i = 0; i < r->n; i++)
		r->removed += r->v[i].remove, r->kept += !r->v[i].remove;
	if (!o->apply) {
		ret = 0;
		goto out;
	}
	if (store_tags(s, &tags, &n_tags, err))
		goto out;
	for (i = 0; i < r->n; i++) {
		int first = 1;

		if (!r->v[i].remove)
			continue;
		for (j = 0; j < i; j++)
			if (r->v[j].remove && strcmp(r->v[j].digest, r->v[i].digest) == 0)
				first = 0;
		if (first && delete_release(s, tags, n_tags, r->v[i].digest, &r->v[i].companions,
					    err))
			goto out;
		if (first)
			r->manifests += r->v[i].companions;
		if (r->v[i].companions)
			r->v[i].companions--;   /* the release's own manifest is not a companion */
	}
	ret = 0;
out:
	store_tags_free(tags, n_tags);
	history_release(&h);
	return ret;
}
