/*
 * promotion.c — promotion statements: writing them and reading a manifest's
 * promotion log (promotion.h).
 */
#include "packager/promotion.h"

#include "common/strbuf.h"
#include "common/timeutil.h"
#include "packager/blobcache.h"
#include "packager/dsse.h"
#include "packager/sign_impl.h"

#include <stdlib.h>
#include <string.h>

static void set_new(json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v))
		abort();
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The predicate (compact JSON, caller frees). */
static char *predicate(struct store *s, const struct oci_desc *m, const struct promotion *p,
		       const char *time)
{
	json_t *pred = json_object(), *by = json_object(), *ver = json_object();
	char *out;

	set_new(pred, "kind", json_string(p->kind));
	set_new(pred, "repository", json_string(store_name(s)));
	set_new(pred, "tag", json_string(p->tag));
	set_new(pred, "from", str_or_null(p->from));
	set_new(pred, "to", json_string(m->digest));
	set_new(pred, "time", json_string(time));
	set_new(by, "builder", str_or_null(p->builder_id));
	set_new(by, "invocation", str_or_null(p->invocation_id));
	set_new(pred, "by", by);
	set_new(ver, "key", str_or_null(p->key_id));
	set_new(ver, "verdict", str_or_null(p->verdict));
	if (p->champion_recorded)
		set_new(ver, "champion", str_or_null(p->champion));
	set_new(ver, "stale", json_boolean(p->stale));
	if (p->approvers_digest) {
		json_t *ap = json_object(), *roles = json_array();
		size_t i;

		for (i = 0; i < p->n_approval_roles; i++)
			json_array_append_new(roles, json_string(p->approval_roles[i]));
		set_new(ap, "approvers", json_string(p->approvers_digest));
		set_new(ap, "required", json_integer((json_int_t)p->approvals_required));
		set_new(ap, "roles", roles);
		set_new(ver, "approvals", ap);
	}
	set_new(pred, "verification", ver);
	out = json_dumps(pred, JSON_COMPACT);
	json_decref(pred);
	if (!out)
		abort();
	return out;
}

int promotion_record(struct store *s, const struct oci_desc *m, const struct sign_key *k,
		     const struct promotion *p, struct xp_error *err)
{
	struct oci_annots a = {0};
	char time[XP_TIME_SIZE], *pred;
	int ret;

	xp_time_format(p->time, time);
	pred = predicate(s, m, p, time);
	oci_annots_set(&a, PROMO_ANN_KIND, p->kind);
	oci_annots_set(&a, PROMO_ANN_TAG, p->tag);
	oci_annots_set(&a, PROMO_ANN_FROM, p->from ? p->from : "");
	oci_annots_set(&a, PROMO_ANN_TIME, time);
	ret = attest_add(s, m, k, NULL, XP_PREDICATE_PROMOTION, pred, &a, err);
	oci_annots_release(&a);
	free(pred);
	return ret;
}

void promotion_log_free(struct promotion_entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].tag);
		free(v[i].from);
		free(v[i].time);
	}
	free(v);
}

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

/* The entry from a verified statement's predicate; 0 when it is not one of
 * ours about `digest`. */
static int entry_from_envelope(const char *env, size_t len, const char *digest,
			       const struct sign_key *k, struct promotion_entry *e)
{
	struct xp_error err;
	char *ptype = NULL, *payload = NULL;
	size_t plen;
	json_t *st = NULL, *pred, *subj;
	const char *sd, *tag;
	int ok = 0;

	if (dsse_verify(k, env, len, &ptype, &payload, &plen, &err) ||
	    strcmp(ptype, INTOTO_PAYLOAD_TYPE) != 0)
		goto out;
	st = json_loadb(payload, plen, 0, NULL);
	pred = json_object_get(st, "predicate");
	subj = json_array_get(json_object_get(st, "subject"), 0);
	sd = json_string_value(json_object_get(json_object_get(subj, "digest"), "sha256"));
	tag = json_string_value(json_object_get(pred, "tag"));
	if (!sd || strcmp(sd, digest_hex(digest)) != 0 || !tag ||
	    strcmp(json_string_value(json_object_get(st, "predicateType")) ?
		   json_string_value(json_object_get(st, "predicateType")) : "",
		   XP_PREDICATE_PROMOTION) != 0)
		goto out;
	e->tag = xstrdup(tag);
	e->kind = dup_or_null(json_string_value(json_object_get(pred, "kind")));
	e->from = dup_or_null(json_string_value(json_object_get(pred, "from")));
	e->time = dup_or_null(json_string_value(json_object_get(pred, "time")));
	e->verified = 1;
	ok = 1;
out:
	json_decref(st);
	free(ptype);
	free(payload);
	return ok;
}

/* The entry for layer l: from its annotations, or with k from its verified
 * envelope. 1 when it is a promotion entry, 0 when not, -1 on a store error. */
static int read_entry(struct store *s, const char *cache, const struct oci_entry *l,
		      const char *digest, const struct sign_key *k, struct promotion_entry *e,
		      struct xp_error *err)
{
	const char *pt = oci_annots_get(&l->annotations, ATT_ANN_PREDICATE_TYPE);
	const char *tag = oci_annots_get(&l->annotations, PROMO_ANN_TAG);
	char *env = NULL;
	size_t len;
	int ok;

	memset(e, 0, sizeof(*e));
	if (!pt || strcmp(pt, XP_PREDICATE_PROMOTION) != 0)
		return 0;
	if (!k) {
		if (!tag)
			return 0;
		e->tag = xstrdup(tag);
		e->kind = dup_or_null(oci_annots_get(&l->annotations, PROMO_ANN_KIND));
		e->from = dup_or_null(oci_annots_get(&l->annotations, PROMO_ANN_FROM));
		e->time = dup_or_null(oci_annots_get(&l->annotations, PROMO_ANN_TIME));
		return 1;
	}
	if (blobcache_fetch_all(cache, s, &l->desc, SIGN_BLOB_MAX, &env, &len, NULL, err))
		return err->cls == XP_ERR_REMOTE || err->cls == XP_ERR_LOCAL ? -1 : 0;
	ok = entry_from_envelope(env, len, digest, k, e);
	free(env);
	return ok;
}

int promotion_log_read(struct store *s, const char *cache, const char *digest,
		       const struct sign_key *k, struct promotion_entry **out, size_t *n,
		       struct xp_error *err)
{
	struct oci_manifest am;
	struct promotion_entry *v = NULL;
	size_t count = 0, i;
	char *tag = sign_companion_tag(digest, ".att");
	int found, ret = -1;

	memset(&am, 0, sizeof(am));
	if (companion_load_cached(s, cache, tag, &am, NULL, &found, err))
		goto out;
	for (i = 0; found && i < am.n_layers; i++) {
		struct promotion_entry e;
		int r = read_entry(s, cache, &am.layers[i], digest, k, &e, err);

		if (r < 0)
			goto out;
		if (r == 0)
			continue;
		v = xrealloc(v, (count + 1) * sizeof(*v));
		v[count++] = e;
	}
	*out = v;
	*n = count;
	v = NULL;
	count = 0;
	ret = 0;
out:
	promotion_log_free(v, count);
	oci_manifest_release(&am);
	free(tag);
	return ret;
}

const struct promotion_entry *promotion_log_latest(const struct promotion_entry *v, size_t n,
						   const char *tag)
{
	const struct promotion_entry *best = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].tag, tag) != 0)
			continue;
		if (!best || !best->time ||
		    (v[i].time && strcmp(v[i].time, best->time) >= 0))
			best = &v[i];
	}
	return best;
}

/* The previous champion: the latest statement for tag on `digest` recorded
 * no later than `bound` (NULL: any) and not used yet. */
struct chain {
	struct promotion_link *v;
	size_t n, max;
};

static int chain_step(struct store *s, const char *cache, const struct sign_key *k,
		      const char *tag, struct chain *h, struct xp_error *err)
{
	struct promotion_link *cur = &h->v[h->n - 1];
	struct promotion_entry *log = NULL;
	const struct promotion_entry *best = NULL;
	size_t n = 0, i, j;

	if (promotion_log_read(s, cache, cur->digest, k, &log, &n, err))
		return -1;
	for (i = 0; i < n; i++) {
		int used = 0;

		if (strcmp(log[i].tag, tag) != 0)
			continue;
		if (h->n > 1 && h->v[h->n - 2].time && log[i].time &&
		    strcmp(log[i].time, h->v[h->n - 2].time) > 0)
			continue;
		for (j = 0; j + 1 < h->n; j++)
			if (strcmp(h->v[j].digest, cur->digest) == 0 && h->v[j].entry == i + 1)
				used = 1;
		if (used)
			continue;
		if (!best || !best->time || (log[i].time && strcmp(log[i].time, best->time) >= 0))
			best = &log[i];
	}
	if (best) {
		cur->kind = dup_or_null(best->kind);
		cur->time = dup_or_null(best->time);
		cur->verified = best->verified;
		cur->entry = (size_t)(best - log) + 1;
		if (best->from && h->n < h->max) {
			h->v = xrealloc(h->v, (h->n + 1) * sizeof(*h->v));
			memset(&h->v[h->n], 0, sizeof(*h->v));
			snprintf(h->v[h->n].digest, XP_DIGEST_SIZE, "%s", best->from);
			h->n++;
			promotion_log_free(log, n);
			return 1;
		}
	}
	promotion_log_free(log, n);
	return 0;
}

/* The champion chain from the tag back through the promotion log. */
int promotion_chain(struct store *s, const char *cache, const char *tag,
		    const struct sign_key *k, size_t max, struct promotion_link **out,
		    size_t *n, struct xp_error *err)
{
	struct oci_desc d = {0};
	struct chain ch = {NULL, 0, max ? max : 1}, *h = &ch;
	int r;

	*out = NULL;
	*n = 0;
	if (store_resolve(s, tag, &d, err)) {
		if (err->cls != XP_ERR_NOT_FOUND)
			return -1;
		xp_error_clear(err);
		return 0;
	}
	h->v = xcalloc(1, sizeof(*h->v));
	snprintf(h->v[0].digest, XP_DIGEST_SIZE, "%s", d.digest);
	h->n = 1;
	oci_desc_release(&d);
	while ((r = chain_step(s, cache, k, tag, h, err)) == 1)
		;
	if (r < 0) {
		promotion_chain_free(ch.v, ch.n);
		return -1;
	}
	*out = ch.v;
	*n = ch.n;
	return 0;
}

void promotion_chain_free(struct promotion_link *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].time);
	}
	free(v);
}
