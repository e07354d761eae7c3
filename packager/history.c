/*
 * history.c — a repository's releases and its champion chain (history.h).
 *
 * Workers (o->jobs threads, one store handle each: stores are not
 * thread-safe) take releases from a shared counter: resolve the tag (the one
 * request that cannot be cached: tags move), then the manifest and config by
 * digest through the blob cache, then the attestation manifest for the
 * signer's key id. Memory is a few strings per release.
 */
#include "packager/history.h"

#include "common/base64.h"
#include "common/strbuf.h"
#include "packager/blobcache.h"
#include "packager/approval.h"
#include "packager/bundle.h"
#include "packager/promotion.h"
#include "packager/sign_impl.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_JOBS 4
#define MAX_JOBS 32
#define ENVELOPE_MAX (4u << 20)

struct work {
	struct store *base;
	const struct history_opts *o;
	struct history_entry *v;
	size_t n;
	size_t next;                     /* the next release to read */
	pthread_mutex_t lock;
	char **tags;                     /* the repository's tags, sorted */
	size_t n_tags;
	int failed;                      /* a store error: stop */
	struct xp_error err;             /* the first one */
};

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

/* The in-toto statement inside a DSSE envelope (NULL when it is not one). */
static json_t *envelope_statement(const char *env, size_t len)
{
	json_t *e = json_loadb(env, len, 0, NULL), *st = NULL;
	const char *p64 = json_string_value(json_object_get(e, "payload"));
	unsigned char *payload = NULL;
	size_t plen;

	if (p64 && b64_decode_loose(p64, strlen(p64), &payload, &plen) == 0)
		st = json_loadb((const char *)payload, plen, 0, NULL);
	free(payload);
	json_decref(e);
	return st;
}

/* "who (role)" of an approval statement, appended to *list. */
static void add_approval(struct strbuf *list, json_t *pred)
{
	json_t *who = json_object_get(pred, "approver");
	const char *id = json_string_value(json_object_get(who, "identity"));
	const char *key = json_string_value(json_object_get(who, "keyid"));
	const char *role = json_string_value(json_object_get(pred, "role"));

	if (list->len)
		strbuf_adds(list, ", ");
	if (id)
		strbuf_adds(list, id);
	else
		strbuf_addf(list, "key %.12s", key ? key : "?");
	if (role)
		strbuf_addf(list, " (%s)", role);
}

/* "CHECK by WHO" of every applied waiver a decision statement carries. */
static void add_waivers(struct strbuf *list, json_t *pred)
{
	json_t *w = json_object_get(pred, "waivers"), *one;
	size_t i;

	json_array_foreach(w, i, one) {
		const char *check = json_string_value(json_object_get(one, "check"));
		const char *who = json_string_value(json_object_get(one, "identity"));

		if (!check || !json_is_true(json_object_get(one, "applied")))
			continue;
		if (!who)
			who = json_string_value(json_object_get(one, "approver"));
		if (list->len)
			strbuf_adds(list, ", ");
		strbuf_addf(list, "%s by %s", check, who ? who : "?");
	}
}

/* From the release's `.att` manifest: the key id of its first DSSE envelope
 * (the signer), who approved it and which checks were waived. As the rest of
 * a listing, read and shown, not verified (`xpship verify --approvers` does). */
static void attestations_of(struct store *s, const char *cache, const char *digest,
			    struct history_entry *r)
{
	struct oci_manifest am;
	struct strbuf approvals = STRBUF_INIT, waived = STRBUF_INIT;
	struct xp_error e;
	char *tag = sign_companion_tag(digest, ".att"), *env = NULL;
	size_t len, i;
	int found;

	memset(&am, 0, sizeof(am));
	if (companion_load_cached(s, cache, tag, &am, NULL, &found, &e) || !found || am.n_layers == 0)
		goto out;
	for (i = 0; i < am.n_layers; i++) {
		const char *pt = oci_annots_get(&am.layers[i].annotations, ATT_ANN_PREDICATE_TYPE);
		json_t *st;

		if (i > 0 && (!pt || (strcmp(pt, XP_PREDICATE_APPROVAL) != 0 &&
				      strcmp(pt, XP_PREDICATE_DECISION) != 0)))
			continue;
		free(env);
		env = NULL;
		if (blobcache_fetch_all(cache, s, &am.layers[i].desc, ENVELOPE_MAX, &env, &len,
					NULL, &e))
			continue;
		if (i == 0) {
			json_t *j = json_loadb(env, len, 0, NULL);
			json_t *sig = json_array_get(json_object_get(j, "signatures"), 0);

			r->signer = dup_or_null(json_string_value(json_object_get(sig, "keyid")));
			json_decref(j);
		}
		if (!pt)
			continue;
		st = envelope_statement(env, len);
		if (strcmp(pt, XP_PREDICATE_APPROVAL) == 0)
			add_approval(&approvals, json_object_get(st, "predicate"));
		else
			add_waivers(&waived, json_object_get(st, "predicate"));
		json_decref(st);
	}
out:
	r->approvals = approvals.len ? strbuf_detach(&approvals, NULL) : NULL;
	r->waivers = waived.len ? strbuf_detach(&waived, NULL) : NULL;
	strbuf_release(&approvals);
	strbuf_release(&waived);
	oci_manifest_release(&am);
	free(env);
	free(tag);
}

static int cmp_tag(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 when the tag list has the `.att` companion of digest (so only a release
 * with attestations costs a request for its signer). */
static int has_attestations(const struct work *w, const char *digest)
{
	char *tag = sign_companion_tag(digest, ".att");
	int found = bsearch(&tag, w->tags, w->n_tags, sizeof(*w->tags), cmp_tag) != NULL;

	free(tag);
	return found;
}

/* Read release r; -1 only for an error that should stop the listing (the
 * registry is unreachable), else problems are recorded in r. */
static int read_one(struct store *s, const struct work *w, struct history_entry *r,
		    struct xp_error *err)
{
	struct oci_desc d = {0};
	struct oci_annots meta = {0};
	const char *obj;

	if (store_resolve(s, r->tag, &d, err)) {
		if (err->cls == XP_ERR_REMOTE)
			return -1;
		r->problem = xstrdup(err->msg);
		return 0;
	}
	snprintf(r->digest, sizeof(r->digest), "%s", d.digest);
	if (bundle_read_meta_cached(s, w->o->cache, &d, &meta, err)) {
		oci_desc_release(&d);
		if (err->cls == XP_ERR_REMOTE)
			return -1;
		r->problem = xstrdup(err->msg);
		return 0;
	}
	r->created = dup_or_null(oci_annots_get(&meta, BUNDLE_ANN_CREATED));
	r->experiment_id = dup_or_null(oci_annots_get(&meta, BUNDLE_ANN_EXPERIMENT_ID));
	obj = oci_annots_get(&meta, BUNDLE_ANN_OBJECTIVE);
	if (obj) {
		r->objective = xstrndup(obj, strcspn(obj, ":"));
		r->objective_lower = strstr(obj, ":minimize") != NULL;
	}
	r->metrics = dup_or_null(oci_annots_get(&meta, BUNDLE_ANN_METRICS));
	r->parameters = dup_or_null(oci_annots_get(&meta, BUNDLE_ANN_PARAMETERS));
	r->verdict = dup_or_null(oci_annots_get(&meta, BUNDLE_ANN_VERDICT));
	if (has_attestations(w, d.digest))
		attestations_of(s, w->o->cache, d.digest, r);
	oci_annots_release(&meta);
	oci_desc_release(&d);
	return 0;
}

static void *worker(void *arg)
{
	struct work *w = arg;
	struct store *s = NULL;
	struct xp_error err;

	xp_error_clear(&err);
	if (store_reopen(w->base, &s, &err)) {
		pthread_mutex_lock(&w->lock);
		if (!w->failed++)
			w->err = err;
		pthread_mutex_unlock(&w->lock);
		return NULL;
	}
	for (;;) {
		size_t i;

		pthread_mutex_lock(&w->lock);
		i = w->failed ? w->n : w->next++;
		pthread_mutex_unlock(&w->lock);
		if (i >= w->n)
			break;
		if (read_one(s, w, &w->v[i], &err)) {
			pthread_mutex_lock(&w->lock);
			if (!w->failed++)
				w->err = err;
			pthread_mutex_unlock(&w->lock);
			break;
		}
	}
	store_close(s);
	return NULL;
}

/* Read every release, in parallel. */
static int read_all(struct store *s, const struct history_opts *o, struct history_entry *v,
		    size_t n, char **tags, size_t n_tags, struct xp_error *err)
{
	struct work w;
	pthread_t th[MAX_JOBS];
	int jobs = o->jobs > 0 ? o->jobs : DEFAULT_JOBS, started = 0, i;

	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	if ((size_t)jobs > n)
		jobs = n ? (int)n : 1;
	memset(&w, 0, sizeof(w));
	w.base = s;
	w.o = o;
	w.v = v;
	w.n = n;
	w.tags = tags;
	w.n_tags = n_tags;
	pthread_mutex_init(&w.lock, NULL);
	for (i = 0; i < jobs; i++)
		if (pthread_create(&th[started], NULL, worker, &w) == 0)
			started++;
	if (!started)
		worker(&w);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&w.lock);
	if (w.failed) {
		*err = w.err;
		return -1;
	}
	return 0;
}

/* Tags in version order: digit runs compare as numbers ("v9" < "v10"). */
static int natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *ea = a, *eb = b;

			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (ea = a; isdigit((unsigned char)*ea); ea++)
				;
			for (eb = b; isdigit((unsigned char)*eb); eb++)
				;
			if (ea - a != eb - b)
				return ea - a < eb - b ? -1 : 1;
			for (; a < ea; a++, b++)
				if (*a != *b)
					return *a < *b ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

/* Newest first: created (RFC 3339 sorts as text; none last), then tag. */
static int newest_first(const void *pa, const void *pb)
{
	const struct history_entry *a = pa, *b = pb;
	int c;

	if (!a->created != !b->created)
		return a->created ? -1 : 1;
	if (a->created && (c = strcmp(b->created, a->created)) != 0)
		return c;
	return natural_cmp(b->tag, a->tag);
}

static void entry_release(struct history_entry *r)
{
	free(r->tag);
	free(r->created);
	free(r->experiment_id);
	free(r->objective);
	free(r->metrics);
	free(r->parameters);
	free(r->verdict);
	free(r->signer);
	free(r->approvals);
	free(r->waivers);
	free(r->problem);
}

void history_release(struct history *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->n; i++)
		entry_release(&h->v[i]);
	free(h->v);
	promotion_chain_free(h->chain, h->n_chain);
	free(h->tag);
	memset(h, 0, sizeof(*h));
}

static void mark_champions(struct history *h)
{
	size_t i, j;

	for (i = 0; i < h->n; i++)
		for (j = 0; j < h->n_chain; j++)
			if (strcmp(h->v[i].digest, h->chain[j].digest) == 0 &&
			    h->v[i].champion < (j ? HISTORY_PAST : HISTORY_CURRENT))
				h->v[i].champion = j ? HISTORY_PAST : HISTORY_CURRENT;
}

int history_read(struct store *s, const struct history_opts *o, struct history *out,
		 struct xp_error *err)
{
	struct history h;
	char **tags = NULL;
	size_t n = 0, i;
	int ret = -1;

	memset(&h, 0, sizeof(h));
	h.tag = xstrdup(o->tag ? o->tag : "prod");
	if (store_tags(s, &tags, &n, err))
		goto out;
	h.v = xcalloc(n ? n : 1, sizeof(*h.v));
	for (i = 0; i < n; i++)
		if (!ref_is_companion_tag(tags[i]) && strcmp(tags[i], h.tag) != 0)
			h.v[h.n++].tag = xstrdup(tags[i]);
	if (read_all(s, o, h.v, h.n, tags, n, err) ||
	    promotion_chain(s, o->cache, h.tag, o->key, h.n + 16, &h.chain, &h.n_chain, err))
		goto out;
	mark_champions(&h);
	qsort(h.v, h.n, sizeof(*h.v), newest_first);
	if (o->limit && h.n > o->limit) {
		for (i = o->limit; i < h.n; i++)
			entry_release(&h.v[i]);
		h.n = o->limit;
	}
	*out = h;
	memset(&h, 0, sizeof(h));
	ret = 0;
out:
	store_tags_free(tags, n);
	history_release(&h);
	return ret;
}

int history_metric(const struct history_entry *r, const char *name, double *out)
{
	json_t *j, *v;
	int ok = 0;

	if (!r->metrics)
		return 0;
	j = json_loads(r->metrics, 0, NULL);
	v = json_object_get(j, name);
	if (json_is_number(v)) {
		*out = json_number_value(v);
		ok = 1;
	}
	json_decref(j);
	return ok;
}
