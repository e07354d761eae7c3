/*
 * registry_store.c — a registry repository as a content store (store_impl.h),
 * over the OCI distribution API:
 *
 *   resolve   HEAD /v2/<repo>/manifests/<tag|digest> (the OCI and Docker
 *             manifest and index types in Accept), GET when the HEAD leaves
 *             the digest or the type unsaid
 *   exists    HEAD /v2/<repo>/blobs/<digest> (manifests: /manifests/)
 *   fetch     GET, streamed and verified while read; redirects followed
 *   push      blobs: registry_upload.c; manifests: PUT /manifests/<digest>
 *             with Content-Type = the manifest's media type
 *   tag       PUT /manifests/<tag> with the manifest's bytes (unless the tag
 *             already names it)
 *   tags      GET /v2/<repo>/tags/list, following Link: rel="next"
 *   referrers GET /v2/<repo>/referrers/<digest> (and the pages its Link:
 *             rel="next" names), else (not an image index:
 *             404, 501, ...; but 5xx/429 after the retries is an error) the
 *             fallback tag sha256-<hex>; after pushing a manifest with a subject to a
 *             registry that does not answer OCI-Subject, the fallback index is
 *             updated (distribution-spec v1.1)
 *
 * Opening the store makes no request. A plain-HTTP registry is chosen by
 * opts.plain_http or by XPSHIP_REGISTRY_PLAIN_HTTP (a comma-separated list
 * of hosts, or "*"), so commands without the option reach it too.
 */
#include "packager/registry.h"
#include "packager/registry_impl.h"
#include "packager/hasher.h"
#include "packager/oci.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ACCEPT_MANIFESTS OCI_MT_MANIFEST ", " OCI_MT_INDEX ", " DOCKER_MT_MANIFEST ", " DOCKER_MT_LIST
#define TAGS_PAGE 1000
#define TAGS_MAX (16 << 20)         /* one page of the tag list */
#define MAX_PAGES 1000              /* pages of a tag or referrers list */
#define MAX_URL 8192                /* the longest "next page" link followed */
#define HASH_THREAD_MIN (1 << 20)   /* blobs this large are hashed on a second thread */

char *reg_path(const struct reg_store *r, const char *kind, const char *ref)
{
	return xasprintf("/v2/%s/%s/%s", r->repo, kind, ref);
}

static const char *what_of(const struct oci_desc *d)
{
	return oci_is_manifest_type(d->media_type) ? "manifest" : "blob";
}

/* ---- the manifest cache (bytes of manifests recently pushed or fetched) ---- */

static const struct reg_cached *cache_get(struct reg_store *r, const char *digest)
{
	unsigned i;

	for (i = 0; i < REG_CACHE; i++)
		if (r->cache[i].data && strcmp(r->cache[i].digest, digest) == 0)
			return &r->cache[i];
	return NULL;
}

static void cache_put(struct reg_store *r, const char *digest, const char *mt,
		      const char *data, size_t len)
{
	struct reg_cached *c;

	if (cache_get(r, digest))
		return;
	c = &r->cache[r->cache_next++ % REG_CACHE];
	free(c->data);
	free(c->media_type);
	snprintf(c->digest, sizeof(c->digest), "%s", digest);
	c->media_type = xstrdup(mt);
	c->data = xmalloc(len + 1);
	memcpy(c->data, data, len);
	c->data[len] = '\0';
	c->len = len;
}

/* The media type without parameters (caller frees), or NULL. */
static char *bare_type(const char *ct)
{
	size_t n;

	if (!ct)
		return NULL;
	n = strcspn(ct, "; ");
	return n ? xstrndup(ct, n) : NULL;
}

/* GET a manifest into memory (at most OCI_MANIFEST_MAX); rs holds the answer. */
static int get_manifest(struct reg_store *r, const char *ref, struct reg_resp *rs,
			struct xp_error *err)
{
	struct reg_req rq;
	char *path = reg_path(r, "manifests", ref);
	int ret;

	reg_req_init(&rq, "GET", path, r->pull_scope);
	rq.accept = ACCEPT_MANIFESTS;
	rq.max_body = OCI_MANIFEST_MAX;
	ret = reg_do(r->c, &rq, rs, err);
	free(path);
	if (ret == 0 && rs->status == 200 && rs->too_large)
		ret = xp_error_set(err, XP_ERR_MALFORMED,
				   "manifest '%s' in '%s' is larger than %d bytes", ref,
				   store_name(&r->base), OCI_MANIFEST_MAX);
	return ret;
}

/* The bytes of manifest d (from the cache or the registry), verified. */
static int manifest_bytes(struct reg_store *r, const struct oci_desc *d, char **out,
			  size_t *len, struct xp_error *err)
{
	const struct reg_cached *c = cache_get(r, d->digest);
	struct reg_resp rs;
	char got[XP_DIGEST_SIZE];
	int ret = -1;

	if (c) {
		*out = xmalloc(c->len + 1);
		memcpy(*out, c->data, c->len + 1);
		*len = c->len;
		return 0;
	}
	reg_resp_init(&rs);
	if (get_manifest(r, d->digest, &rs, err))
		goto out;
	if (rs.status != 200) {
		reg_status_error(r->c, &rs, 1, err, "cannot read manifest '%s' from '%s'", d->digest,
				 store_name(&r->base));
		goto out;
	}
	digest_buf(rs.body.buf, rs.body.len, got);
	if (strcmp(got, d->digest) != 0) {
		xp_error_set(err, XP_ERR_INTEGRITY, "manifest '%s' in '%s': digest %s, expected %s",
			     d->digest, store_name(&r->base), got, d->digest);
		goto out;
	}
	*len = rs.body.len;
	*out = strbuf_detach(&rs.body, NULL);
	cache_put(r, d->digest, d->media_type, *out, *len);
	ret = 0;
out:
	reg_resp_release(&rs);
	return ret;
}

/* ---- resolve, exists, fetch ---- */


static int r_resolve(struct store *s, const char *name, struct oci_desc *out,
		     struct xp_error *err)
{
	struct reg_store *r = (struct reg_store *)s;
	struct reg_req rq;
	struct reg_resp rs;
	char *path = NULL, *mt = NULL;
	int is_digest, by_get, ret = -1;

	is_digest = strncmp(name, "sha256:", 7) == 0;
	by_get = r->base.opts.resolve_get && !is_digest;
	path = reg_path(r, "manifests", name);
	reg_req_init(&rq, "HEAD", path, r->pull_scope);
	rq.accept = ACCEPT_MANIFESTS;
	reg_resp_init(&rs);
	if (by_get ? get_manifest(r, name, &rs, err) : reg_do(r->c, &rq, &rs, err))
		goto out;
	if (rs.status == 404) {
		if (is_digest)
			xp_error_set(err, XP_ERR_NOT_FOUND, "no manifest '%s' in '%s'", name, store_name(s));
		else
			xp_error_set(err, XP_ERR_NOT_FOUND, "no tag '%s' in '%s'", name, store_name(s));
		goto out;
	}
	if (rs.status != 200) {
		reg_status_error(r->c, &rs, 1, err, "cannot resolve '%s' in '%s'", name, store_name(s));
		goto out;
	}
	mt = bare_type(rs.content_type);
	if (by_get || !digest_valid(rs.digest) || !oci_is_manifest_type(mt) ||
	    rs.content_length < 0 || (is_digest && strcmp(rs.digest, name) != 0)) {
		/* the HEAD did not say enough: read the manifest itself */
		char got[XP_DIGEST_SIZE];

		free(mt);
		mt = NULL;
		if (!by_get) {
			reg_resp_reset(&rs);
			if (get_manifest(r, name, &rs, err))
				goto out;
		}
		if (rs.status != 200) {
			reg_status_error(r->c, &rs, 1, err, "cannot resolve '%s' in '%s'", name,
					 store_name(s));
			goto out;
		}
		digest_buf(rs.body.buf, rs.body.len, got);
		if (is_digest && strcmp(got, name) != 0) {
			xp_error_set(err, XP_ERR_INTEGRITY, "manifest '%s' in '%s': digest %s, expected %s",
				     name, store_name(s), got, name);
			goto out;
		}
		mt = bare_type(rs.content_type);
		if (!oci_is_manifest_type(mt)) {
			free(mt);
			mt = NULL;
			if (oci_sniff_media_type(rs.body.buf, rs.body.len, name, &mt, err))
				goto out;
		}
		if (!oci_is_manifest_type(mt)) {
			xp_error_set(err, XP_ERR_MALFORMED, "'%s' in '%s' is not a manifest (media type '%.100s')",
				     name, store_name(s), mt);
			goto out;
		}
		free(rs.digest);
		rs.digest = xstrdup(got);
		rs.content_length = (int64_t)rs.body.len;
		cache_put(r, got, mt, rs.body.buf, rs.body.len);
	}
	memset(out, 0, sizeof(*out));
	out->media_type = mt;
	mt = NULL;
	snprintf(out->digest, sizeof(out->digest), "%s", rs.digest);
	out->size = rs.content_length;
	ret = 0;
out:
	reg_resp_release(&rs);
	free(mt);
	free(path);
	return ret;
}

static int r_exists(struct store *s, const struct oci_desc *d, int *present,
		    struct xp_error *err)
{
	struct reg_store *r = (struct reg_store *)s;
	int manifest = oci_is_manifest_type(d->media_type);
	char *path = reg_path(r, manifest ? "manifests" : "blobs", d->digest);
	struct reg_req rq;
	struct reg_resp rs;
	int ret = -1;

	reg_req_init(&rq, "HEAD", path, r->pull_scope);
	rq.accept = manifest ? ACCEPT_MANIFESTS : NULL;
	reg_resp_init(&rs);
	if (reg_do(r->c, &rq, &rs, err))
		goto out;
	if (rs.status == 404) {
		*present = 0;
	} else if (rs.status == 200) {
		if (d->size >= 0 && rs.content_length >= 0 && rs.content_length != d->size) {
			xp_error_set(err, XP_ERR_INTEGRITY, "%s '%s' in '%s' has size %lld, expected %lld",
				     what_of(d), d->digest, store_name(s),
				     (long long)rs.content_length, (long long)d->size);
			goto out;
		}
		*present = 1;
	} else {
		reg_status_error(r->c, &rs, 0, err, "cannot check %s '%s' in '%s'", what_of(d),
				 d->digest, store_name(s));
		goto out;
	}
	ret = 0;
out:
	reg_resp_release(&rs);
	free(path);
	return ret;
}

static int r_fetch(struct store *s, const struct oci_desc *d, struct xp_reader **out,
		   struct xp_error *err)
{
	struct reg_store *r = (struct reg_store *)s;
	int manifest = oci_is_manifest_type(d->media_type);
	const struct reg_cached *c = manifest ? cache_get(r, d->digest) : NULL;
	char *path, *what;
	struct reg_resp rs;
	struct xp_reader *in = NULL;
	int ret = -1;

	what = xasprintf("%s '%s' in '%s'", what_of(d), d->digest, store_name(s));
	if (c) {
		*out = reader_verify(reader_from_buf(c->data, c->len), d->digest, d->size, what);
		free(what);
		return 0;
	}
	path = reg_path(r, manifest ? "manifests" : "blobs", d->digest);
	reg_resp_init(&rs);
	if (reg_get_stream(r->c, path, manifest ? ACCEPT_MANIFESTS : NULL, r->pull_scope, &rs, &in,
			   err))
		goto out;
	if (!in) {
		if (rs.status == 404)
			xp_error_set(err, XP_ERR_NOT_FOUND, "%s '%s' is missing from '%s'", what_of(d),
				     d->digest, store_name(s));
		else
			reg_status_error(r->c, &rs, 0, err, "cannot read %s '%s' from '%s'",
					 what_of(d), d->digest, store_name(s));
		goto out;
	}
	/* a length that is not the size: refused before a byte is read (a
	 * lying length would otherwise be read until it stalls) */
	if (rs.content_length >= 0 && rs.content_length != d->size) {
		reader_close(in);
		xp_error_set(err, XP_ERR_INTEGRITY, "%s '%s' in '%s' has size %lld, expected %lld",
			     what_of(d), d->digest, store_name(s), (long long)rs.content_length,
			     (long long)d->size);
		goto out;
	}
	if (d->size >= HASH_THREAD_MIN) {
		struct xp_hash_sink sink;

		hasher_sink(&sink);
		*out = reader_verify_via(in, d->digest, d->size, what, &sink);
	} else {
		*out = reader_verify(in, d->digest, d->size, what);
	}
	ret = 0;
out:
	reg_resp_release(&rs);
	free(path);
	free(what);
	return ret;
}

/* ---- manifests ---- */

static int put_manifest(struct reg_store *r, const char *mt, const char *digest,
			const char *data, size_t len, const char *ref, struct reg_resp *rs,
			struct xp_error *err)
{
	struct reg_body body;
	struct reg_req rq;
	char *path = reg_path(r, "manifests", ref);
	int ret = -1;

	memset(&body, 0, sizeof(body));
	body.buf = data;
	body.len = len;
	body.total = len;
	reg_req_init(&rq, "PUT", path, r->push_scope);
	rq.content_type = mt;
	rq.body = &body;
	if (reg_do(r->c, &rq, rs, err))
		goto out;
	if (rs->status != 201 && rs->status != 200) {
		reg_status_error(r->c, rs, 0, err, "cannot push manifest '%s' to '%s%s%s'", digest,
				 store_name(&r->base), strcmp(ref, digest) ? ":" : "",
				 strcmp(ref, digest) ? ref : "");
		goto out;
	}
	if (rs->digest && digest_valid(rs->digest) && strcmp(rs->digest, digest) != 0) {
		xp_error_set(err, XP_ERR_REMOTE,
			     "registry '%s' stored manifest '%s' as '%s': it changed the content",
			     reg_client_host(r->c), digest, rs->digest);
		goto out;
	}
	cache_put(r, digest, mt, data, len);
	ret = 0;
out:
	free(path);
	return ret;
}

/* Add `entry` to the fallback referrers index (tag sha256-<hex> of subject). */
static int fallback_add(struct reg_store *r, const char *subject, const struct oci_entry *entry,
			struct xp_error *err)
{
	char tag[80], digest[XP_DIGEST_SIZE], *buf = NULL;
	struct oci_index ix;
	struct reg_resp rs;
	size_t i, len;
	int ret = -1;

	memset(&ix, 0, sizeof(ix));
	snprintf(tag, sizeof(tag), "sha256-%s", digest_hex(subject));
	reg_resp_init(&rs);
	if (get_manifest(r, tag, &rs, err))
		goto out;
	if (rs.status == 200) {
		if (oci_index_parse(rs.body.buf, rs.body.len, tag, &ix, err)) {
			xp_error_prefix(err, "cannot update the referrers of '%s' in '%s'", subject,
					store_name(&r->base));
			goto out;
		}
	} else if (rs.status != 404) {
		reg_status_error(r->c, &rs, 0, err, "cannot read the referrers of '%s' in '%s'",
				 subject, store_name(&r->base));
		goto out;
	}
	for (i = 0; i < ix.n_manifests; i++) {
		if (strcmp(ix.manifests[i].desc.digest, entry->desc.digest) == 0) {
			ret = 0;
			goto out;
		}
	}
	free(ix.media_type);
	ix.media_type = xstrdup(OCI_MT_INDEX);
	oci_index_add(&ix, entry);
	buf = oci_index_build(&ix, &len);
	digest_buf(buf, len, digest);
	reg_resp_reset(&rs);
	ret = put_manifest(r, OCI_MT_INDEX, digest, buf, len, tag, &rs, err);
out:
	reg_resp_release(&rs);
	oci_index_release(&ix);
	free(buf);
	return ret;
}

/* After pushing manifest d (data): maintain the fallback index when it has a
 * subject and the registry did not take care of it (no OCI-Subject). */
static int after_manifest(struct reg_store *r, const struct oci_desc *d, const char *data,
			  size_t len, const struct reg_resp *rs, struct xp_error *err)
{
	struct oci_manifest m;
	struct oci_entry e;
	struct xp_error ignored;
	int ret;

	if (rs->oci_subject || oci_is_index_type(d->media_type) ||
	    !strstr(data, "\"subject\""))
		return 0;
	if (oci_manifest_parse(data, len, d->digest, &m, &ignored))
		return 0;  /* not an image manifest: nothing to index */
	if (!m.subject) {
		oci_manifest_release(&m);
		return 0;
	}
	memset(&e, 0, sizeof(e));
	oci_desc_copy(&e.desc, d);
	free(e.desc.artifact_type);
	e.desc.artifact_type = xstrdup(m.artifact_type ? m.artifact_type
				       : m.config.desc.media_type);
	oci_annots_copy(&e.annotations, &m.annotations);
	ret = fallback_add(r, m.subject->digest, &e, err);
	oci_entry_release(&e);
	oci_manifest_release(&m);
	return ret;
}

static int push_manifest(struct reg_store *r, const struct oci_desc *d, struct xp_reader *in,
			 struct xp_error *err)
{
	struct xp_reader *v;
	struct reg_resp rs;
	char *what, *buf = NULL;
	size_t len = 0;
	int ret = -1;

	what = xasprintf("manifest %s", d->digest);
	v = reader_verify(in, d->digest, d->size, what);
	free(what);
	if (reader_slurp(v, OCI_MANIFEST_MAX, &buf, &len, err)) {
		reader_close(v);
		return -1;
	}
	reader_close(v);
	reg_resp_init(&rs);
	if (put_manifest(r, d->media_type, d->digest, buf, len, d->digest, &rs, err))
		goto out;
	ret = after_manifest(r, d, buf, len, &rs, err);
out:
	reg_resp_release(&rs);
	free(buf);
	return ret;
}

static int r_push_from(struct store *s, const struct oci_desc *d,
		       const struct store_source *src, struct xp_error *err)
{
	struct reg_store *r = (struct reg_store *)s;
	struct xp_reader *in;

	if (!oci_is_manifest_type(d->media_type))
		return reg_upload_blob(r, d, src, err);
	if (src->open(src->ctx, 0, &in, err))
		return -1;
	return push_manifest(r, d, in, err);
}

/* store_push with a reader: a source that can be opened only once. */
struct once_source {
	struct xp_reader *in;
};

static int once_open(void *ctx, uint64_t offset, struct xp_reader **out, struct xp_error *err)
{
	struct once_source *o = ctx;

	if (!o->in || offset)
		return xp_error_set(err, XP_ERR_REMOTE,
				    "cannot send the content again: its source can be read only once");
	*out = o->in;
	o->in = NULL;
	return 0;
}

static int r_push(struct store *s, const struct oci_desc *d, struct xp_reader *in,
		  struct xp_error *err)
{
	struct once_source o = {in};
	struct store_source src = {once_open, &o};
	int ret = r_push_from(s, d, &src, err);

	reader_close(o.in);
	return ret;
}

static int r_tag(struct store *s, const struct oci_desc *d, const char *name,
		 struct xp_error *err)
{
	struct reg_store *r = (struct reg_store *)s;
	struct oci_desc cur;
	struct xp_error e2;
	struct reg_resp rs;
	char *buf = NULL;
	size_t len = 0;
	int ret = -1;

	memset(&cur, 0, sizeof(cur));
	if (r_resolve(s, name, &cur, &e2) == 0) {
		int same = strcmp(cur.digest, d->digest) == 0;

		oci_desc_release(&cur);
		if (same)
			return 0;
	}
	if (manifest_bytes(r, d, &buf, &len, err)) {
		if (err && err->cls == XP_ERR_NOT_FOUND)
			xp_error_set(err, XP_ERR_NOT_FOUND, "cannot tag '%s' in '%s': the manifest is not there",
				     d->digest, store_name(s));
		return -1;
	}
	reg_resp_init(&rs);
	ret = put_manifest(r, d->media_type, d->digest, buf, len, name, &rs, err);
	reg_resp_release(&rs);
	free(buf);
	return ret;
}

/* DELETE /v2/<repo>/manifests/<digest>: the manifest and every tag naming it. */
static int r_delete(struct store *s, const struct oci_desc *d, struct xp_error *err)
{
	struct reg_store *r = (struct reg_store *)s;
	struct reg_req rq;
	struct reg_resp rs;
	char *path = reg_path(r, "manifests", d->digest);
	int ret = -1;

	reg_req_init(&rq, "DELETE", path, r->push_scope);
	reg_resp_init(&rs);
	if (reg_do(r->c, &rq, &rs, err))
		goto out;
	if (rs.status == 404) {
		xp_error_set(err, XP_ERR_NOT_FOUND, "no manifest '%s' in '%s'", d->digest, store_name(s));
		goto out;
	}
	if (rs.status == 405) {
		xp_error_set(err, XP_ERR_REMOTE,
			     "cannot delete '%s' in '%s': the registry does not allow deletes (HTTP 405)",
			     d->digest, store_name(s));
		goto out;
	}
	if (rs.status != 202 && rs.status != 200) {
		reg_status_error(r->c, &rs, 0, err, "cannot delete '%s' in '%s'", d->digest,
				 store_name(s));
		goto out;
	}
	ret = 0;
out:
	reg_resp_release(&rs);
	free(path);
	return ret;
}

/* ---- tags, referrers ---- */

static int r_tags(struct store *s, char ***names, size_t *n, struct xp_error *err)
{
	struct reg_store *r = (struct reg_store *)s;
	struct reg_req rq;
	struct reg_resp rs;
	char **v = NULL, *url, *next;
	size_t count = 0, i;
	int pages = 0, ret = -1;

	url = xasprintf("/v2/%s/tags/list?n=%d", r->repo, TAGS_PAGE);
	reg_resp_init(&rs);
	while (url) {
		json_t *root, *tags, *t;
		json_error_t je;
		size_t k;

		reg_req_init(&rq, "GET", url, r->pull_scope);
		rq.accept = "application/json";
		rq.max_body = TAGS_MAX;
		if (reg_do(r->c, &rq, &rs, err))
			goto out;
		if (rs.status == 404)  /* no such repository, or one without tags */
			break;
		if (rs.status != 200) {
			reg_status_error(r->c, &rs, 0, err, "cannot list the tags of '%s'", store_name(s));
			goto out;
		}
		if (rs.too_large) {
			xp_error_set(err, XP_ERR_REMOTE, "the tag list of '%s' is larger than %d bytes",
				     store_name(s), TAGS_MAX);
			goto out;
		}
		root = json_loadb(rs.body.buf, rs.body.len, 0, &je);
		tags = json_is_object(root) ? json_object_get(root, "tags") : NULL;
		if (!root || (tags && !json_is_array(tags) && !json_is_null(tags))) {
			xp_error_set(err, XP_ERR_REMOTE, "malformed tag list from '%s': %s",
				     store_name(s), root ? "tags: expected a list" : je.text);
			json_decref(root);
			goto out;
		}
		json_array_foreach(tags, k, t) {
			if (!json_is_string(t))
				continue;
			v = xrealloc(v, (count + 1) * sizeof(*v));
			v[count++] = xstrdup(json_string_value(t));
		}
		json_decref(root);
		next = rs.link ? reg_link_next(rs.link) : NULL;
		if (next && (++pages >= MAX_PAGES || strlen(next) > MAX_URL)) {
			free(next);
			xp_error_set(err, XP_ERR_REMOTE, "the tag list of '%s' has more than %d pages",
				     store_name(s), MAX_PAGES);
			goto out;
		}
		free(url);
		url = next ? reg_url_resolve(rs.url, next) : NULL;
		free(next);
	}
	store_tags_finish(v, count, names, n);
	v = NULL;
	count = 0;
	ret = 0;
out:
	for (i = 0; i < count; i++)
		free(v[i]);
	free(v);
	free(url);
	reg_resp_release(&rs);
	return ret;
}

static int index_descs(const char *buf, size_t len, const char *what, struct oci_desc **out,
		       size_t *n, struct xp_error *err)
{
	struct oci_index ix;
	size_t i;

	if (oci_index_parse(buf, len, what, &ix, err))
		return -1;
	*out = ix.n_manifests ? xcalloc(ix.n_manifests, sizeof(**out)) : NULL;
	for (i = 0; i < ix.n_manifests; i++)
		oci_desc_copy(&(*out)[i], &ix.manifests[i].desc);
	*n = ix.n_manifests;
	oci_index_release(&ix);
	return 0;
}

static int referrers_too_large(struct reg_store *r, const struct reg_resp *rs,
			       const char *digest, struct xp_error *err)
{
	if (!rs->too_large)
		return 0;
	return xp_error_set(err, XP_ERR_REMOTE, "the referrers list of '%s' in '%s' is larger than %d bytes",
			    digest, store_name(&r->base), OCI_MANIFEST_MAX);
}

/* The referrers API's first page in rs (an image index), then the pages its
 * Link: rel="next" headers name; every page must be an image index. */
static int referrer_pages(struct reg_store *r, struct reg_resp *rs, const char *digest,
			  const char *path, struct oci_desc **out, size_t *n, struct xp_error *err)
{
	struct oci_desc *all = NULL, *page = NULL;
	struct reg_req rq;
	char *url = NULL, *next, *mt;
	size_t count = 0, k = 0;
	int pages = 0, ok;

	for (;;) {
		if (index_descs(rs->body.buf, rs->body.len, url ? url : path, &page, &k, err))
			goto fail;
		if (k) {
			all = xrealloc(all, (count + k) * sizeof(*all));
			memcpy(all + count, page, k * sizeof(*page));
			count += k;
		}
		free(page);
		page = NULL;
		next = rs->link ? reg_link_next(rs->link) : NULL;
		if (!next)
			break;
		if (++pages >= MAX_PAGES || strlen(next) > MAX_URL) {
			free(next);
			xp_error_set(err, XP_ERR_REMOTE, "the referrers list of '%s' in '%s' has more than %d pages",
				     digest, store_name(&r->base), MAX_PAGES);
			goto fail;
		}
		free(url);
		url = reg_url_resolve(rs->url, next);
		free(next);
		reg_req_init(&rq, "GET", url, r->pull_scope);
		rq.accept = OCI_MT_INDEX;
		rq.max_body = OCI_MANIFEST_MAX;
		reg_resp_reset(rs);
		if (reg_do(r->c, &rq, rs, err))
			goto fail;
		mt = bare_type(rs->content_type);
		ok = mt && strcmp(mt, OCI_MT_INDEX) == 0;
		free(mt);
		if (rs->status != 200) {
			reg_status_error(r->c, rs, 0, err, "cannot read the referrers of '%s' in '%s'",
					 digest, store_name(&r->base));
			goto fail;
		}
		if (!ok) {
			xp_error_set(err, XP_ERR_REMOTE, "malformed referrers list '%s': not an image index",
				     url);
			goto fail;
		}
		if (referrers_too_large(r, rs, digest, err))
			goto fail;
	}
	free(url);
	*out = all;
	*n = count;
	return 0;
fail:
	free(url);
	oci_descs_free(all, count);
	return -1;
}

static int r_referrers(struct store *s, const struct oci_desc *d, struct oci_desc **out,
		       size_t *n, struct xp_error *err)
{
	struct reg_store *r = (struct reg_store *)s;
	struct reg_req rq;
	struct reg_resp rs;
	char *path = reg_path(r, "referrers", d->digest), *mt = NULL, tag[80];
	int ret = -1;

	reg_req_init(&rq, "GET", path, r->pull_scope);
	rq.accept = OCI_MT_INDEX;
	rq.max_body = OCI_MANIFEST_MAX;
	reg_resp_init(&rs);
	if (reg_do(r->c, &rq, &rs, err))
		goto out;
	mt = bare_type(rs.content_type);
	if (rs.status == 200 && mt && strcmp(mt, OCI_MT_INDEX) == 0) {
		if (!referrers_too_large(r, &rs, d->digest, err))
			ret = referrer_pages(r, &rs, d->digest, path, out, n, err);
		goto out;
	}
	/* a registry with the API that keeps failing (5xx, 429 after the retries)
	 * would lose its referrers if the fallback tag, which it need not keep,
	 * stood in for it */
	if (reg_status_retryable(rs.status)) {
		reg_status_error(r->c, &rs, 0, err, "cannot read the referrers of '%s' in '%s'",
				 d->digest, store_name(s));
		goto out;
	}
	/* no referrers API (404 or any other answer): the fallback tag */
	snprintf(tag, sizeof(tag), "sha256-%s", digest_hex(d->digest));
	reg_resp_reset(&rs);
	if (get_manifest(r, tag, &rs, err))
		goto out;
	if (rs.status == 404) {
		ret = 0;
	} else if (rs.status != 200) {
		reg_status_error(r->c, &rs, 0, err, "cannot read the referrers of '%s' in '%s'",
				 d->digest, store_name(s));
	} else {
		ret = index_descs(rs.body.buf, rs.body.len, tag, out, n, err);
	}
out:
	reg_resp_release(&rs);
	free(mt);
	free(path);
	return ret;
}

/* ---- open, close ---- */

static void r_close(struct store *s)
{
	struct reg_store *r = (struct reg_store *)s;
	unsigned i;

	for (i = 0; i < REG_CACHE; i++) {
		free(r->cache[i].data);
		free(r->cache[i].media_type);
	}
	reg_client_free(r->c);
	free(r->repo);
	free(r->pull_scope);
	free(r->push_scope);
	store_base_release(s);
	free(r);
}

static const struct store_ops registry_ops = {
	.kind = "registry",
	.resolve = r_resolve,
	.exists = r_exists,
	.fetch = r_fetch,
	.push = r_push,
	.tag = r_tag,
	.tags = r_tags,
	.writer_open = NULL,
	.commit = NULL,
	.close = r_close,
	.push_from = r_push_from,
	.mount = reg_mount_blob,
	.referrers = r_referrers,
	.delete_manifest = r_delete,
};

int registry_plain_http(const char *host)
{
	const char *list = getenv("XPSHIP_REGISTRY_PLAIN_HTTP");
	const char *p;
	size_t n = strlen(host);

	if (!list || !*list)
		return 0;
	for (p = list; *p;) {
		size_t len = strcspn(p, ", ");

		if ((len == 1 && *p == '*') || (len == n && strncmp(p, host, n) == 0))
			return 1;
		p += len;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return 0;
}

int registry_store_open(const struct xp_ref *ref, const struct store_opts *opts,
			struct store **out, struct xp_error *err)
{
	struct reg_store *r;

	if (ref->kind != REF_REGISTRY || !ref->host || !ref->repo)
		return xp_error_set(err, XP_ERR_USAGE, "not a registry reference");
	r = xcalloc(1, sizeof(*r));
	store_base_init(&r->base, &registry_ops, ref, opts);
	if (registry_plain_http(ref->host))
		r->base.opts.plain_http = 1;
	if (r->base.opts.jobs <= 0)
		r->base.opts.jobs = 3;
	/* Docker Hub's official images live under library/ */
	if ((strcmp(ref->host, "docker.io") == 0 || strcmp(ref->host, "index.docker.io") == 0) &&
	    !strchr(ref->repo, '/'))
		r->repo = xasprintf("library/%s", ref->repo);
	else
		r->repo = xstrdup(ref->repo);
	r->pull_scope = xasprintf("repository:%s:pull", r->repo);
	r->push_scope = xasprintf("repository:%s:pull,push", r->repo);
	r->c = reg_client_new(ref->host, &r->base.opts);
	*out = &r->base;
	return 0;
}
