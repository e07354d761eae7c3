/*
 * store.c — the content-store front end (store.h): argument checks, the
 * generic operations, and dispatch to the layout, archive and registry
 * implementations through their ops tables (store_impl.h).
 */
#include "packager/store_impl.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void oci_desc_release(struct oci_desc *d)
{
	if (!d)
		return;
	free(d->media_type);
	free(d->artifact_type);
	memset(d, 0, sizeof(*d));
}

void oci_desc_copy(struct oci_desc *dst, const struct oci_desc *src)
{
	dst->media_type = src->media_type ? xstrdup(src->media_type) : NULL;
	dst->artifact_type = src->artifact_type ? xstrdup(src->artifact_type) : NULL;
	memcpy(dst->digest, src->digest, sizeof(dst->digest));
	dst->size = src->size;
}

int oci_is_index_type(const char *mt)
{
	return mt && (strcmp(mt, OCI_MT_INDEX) == 0 || strcmp(mt, DOCKER_MT_LIST) == 0);
}

int oci_is_manifest_type(const char *mt)
{
	return mt && (strcmp(mt, OCI_MT_MANIFEST) == 0 || strcmp(mt, DOCKER_MT_MANIFEST) == 0 ||
		      oci_is_index_type(mt));
}

void store_base_init(struct store *s, const struct store_ops *ops,
		     const struct xp_ref *ref, const struct store_opts *opts)
{
	struct xp_ref bare = *ref;

	s->ops = ops;
	memset(&s->ref, 0, sizeof(s->ref));
	s->ref.kind = ref->kind;
	s->ref.path = ref->path ? xstrdup(ref->path) : NULL;
	s->ref.host = ref->host ? xstrdup(ref->host) : NULL;
	s->ref.repo = ref->repo ? xstrdup(ref->repo) : NULL;
	s->ref.tag = ref->tag ? xstrdup(ref->tag) : NULL;
	s->ref.digest = ref->digest ? xstrdup(ref->digest) : NULL;
	if (opts)
		s->opts = *opts;
	else
		memset(&s->opts, 0, sizeof(s->opts));
	bare.tag = bare.digest = NULL;
	s->name = ref_format(&bare);
}

void store_base_release(struct store *s)
{
	ref_release(&s->ref);
	free(s->name);
	s->name = NULL;
}

const char *store_name(const struct store *s)
{
	return s->name;
}

const struct xp_ref *store_ref(const struct store *s)
{
	return &s->ref;
}

int store_open(const struct xp_ref *ref, const struct store_opts *opts,
	       struct store **out, struct xp_error *err)
{
	switch (ref->kind) {
	case REF_LAYOUT:
		return layout_store_open(ref, opts, out, err);
	case REF_ARCHIVE:
		return archive_store_open(ref, opts, out, err);
	case REF_REGISTRY:
		return registry_store_open(ref, opts, out, err);
	}
	return xp_error_set(err, XP_ERR_USAGE, "unknown kind of store");
}

int store_commit(struct store *s, struct xp_error *err)
{
	return s->ops->commit ? s->ops->commit(s, err) : 0;
}

void store_close(struct store *s)
{
	if (s)
		s->ops->close(s);
}

static int unsupported(struct store *s, const char *what, struct xp_error *err)
{
	return xp_error_set(err, XP_ERR_USAGE, "cannot %s in '%s': not supported by a %s store",
			    what, store_name(s), s->ops->kind);
}

static int check_desc(struct store *s, const struct oci_desc *d, struct xp_error *err)
{
	if (!d->media_type || !*d->media_type)
		return xp_error_set(err, XP_ERR_USAGE, "descriptor for '%s' has no media type",
				    store_name(s));
	if (!digest_valid(d->digest))
		return xp_error_set(err, XP_ERR_USAGE, "invalid digest '%.80s' for '%s'",
				    d->digest, store_name(s));
	if (d->size < 0)
		return xp_error_set(err, XP_ERR_USAGE, "negative size for '%s' in '%s'",
				    d->digest, store_name(s));
	return 0;
}

/* The rule for a reference without tag or digest, for every kind of store:
 * its only release tag (signature, attestation and referrer tags do not
 * count, ref_only_release_tag); several release tags must be told apart by
 * the caller. *untagged is set when the store has no release tag at all. */
static int release_tag(struct store *s, char **out, int *untagged, struct xp_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char **tags = NULL;
	const char *only;
	size_t n = 0, i, rel = 0;
	int ret = 0;

	*untagged = 0;
	if (store_tags(s, &tags, &n, err))
		return -1;
	only = ref_only_release_tag(tags, n);
	for (i = 0; i < n; i++) {
		if (!ref_is_companion_tag(tags[i]))
			strbuf_addf(&sb, "%s%s", rel++ ? ", " : "", tags[i]);
	}
	if (only) {
		*out = xstrdup(only);
	} else if (rel == 0) {
		*untagged = 1;
		ret = xp_error_set(err, XP_ERR_NOT_FOUND, "no tags in '%s'", store_name(s));
	} else {
		ret = xp_error_set(err, XP_ERR_USAGE,
				   "'%s' has several tags (%s): name one, as in '%s:TAG'",
				   store_name(s), sb.buf, store_name(s));
	}
	strbuf_release(&sb);
	store_tags_free(tags, n);
	return ret;
}

int store_release_tag(struct store *s, char **out, struct xp_error *err)
{
	int untagged;

	return release_tag(s, out, &untagged, err);
}

/* A reference without tag or digest: the only release tag, else (no release
 * tags) the only untagged manifest where the kind of store has such a thing. */
static int resolve_only(struct store *s, struct oci_desc *out, struct xp_error *err)
{
	char *tag = NULL;
	int untagged, ret;

	if (release_tag(s, &tag, &untagged, err) == 0) {
		ret = s->ops->resolve(s, tag, out, err);
		free(tag);
		return ret;
	}
	if (untagged && s->ops->resolve_untagged)
		return s->ops->resolve_untagged(s, out, err);
	return -1;
}

int store_resolve(struct store *s, const char *name, struct oci_desc *out,
		  struct xp_error *err)
{
	if (name && strncmp(name, "sha256:", 7) == 0 && !digest_valid(name))
		return xp_error_set(err, XP_ERR_USAGE, "invalid digest '%s'", name);
	if (name && strncmp(name, "sha256:", 7) != 0 && !ref_valid_tag(name))
		return ref_check_tag(name, err);
	if (!name)
		return resolve_only(s, out, err);
	return s->ops->resolve(s, name, out, err);
}

int store_resolve_ref(struct store *s, const struct xp_ref *ref, struct oci_desc *out,
		      struct xp_error *err)
{
	return store_resolve(s, ref->digest ? ref->digest : ref->tag, out, err);
}

int store_tag_target(struct store *s, const char *name, char out[XP_DIGEST_SIZE],
		     struct xp_error *err)
{
	struct oci_desc d;
	struct xp_error e;

	memset(&d, 0, sizeof(d));
	xp_error_clear(&e);
	if (store_resolve(s, name, &d, &e) == 0) {
		snprintf(out, XP_DIGEST_SIZE, "%s", d.digest);
		oci_desc_release(&d);
		return 0;
	}
	if (e.cls == XP_ERR_NOT_FOUND) {
		out[0] = '\0';
		return 0;
	}
	if (err)
		*err = e;
	return -1;
}

int store_tag_check(struct store *s, const char *name, const struct oci_desc *d,
		    struct xp_error *err)
{
	char cur[XP_DIGEST_SIZE];

	if (store_tag_target(s, name, cur, err))
		return -1;
	if (!cur[0] || strcmp(cur, d->digest) == 0)
		return 0;
	return xp_error_set(err, XP_ERR_REFUSED,
			    "tag '%s' in '%s' names %s, not %s", name,
			    store_name(s), cur, d->digest);
}

int store_exists(struct store *s, const struct oci_desc *d, int *present,
		 struct xp_error *err)
{
	if (check_desc(s, d, err))
		return -1;
	return s->ops->exists(s, d, present, err);
}

int store_fetch(struct store *s, const struct oci_desc *d, struct xp_reader **out,
		struct xp_error *err)
{
	if (check_desc(s, d, err))
		return -1;
	return s->ops->fetch(s, d, out, err);
}

int store_fetch_all(struct store *s, const struct oci_desc *d, size_t max,
		    char **out, size_t *len, struct xp_error *err)
{
	struct xp_reader *r;
	int ret;

	if (d->size >= 0 && (uint64_t)d->size > max)
		return xp_error_set(err, XP_ERR_MALFORMED, "%s '%s' in '%s' is too large (%lld bytes, at most %zu)",
				    oci_is_manifest_type(d->media_type) ? "manifest" : "blob",
				    d->digest, store_name(s), (long long)d->size, max);
	if (store_fetch(s, d, &r, err))
		return -1;
	ret = reader_slurp(r, max, out, len, err);
	reader_close(r);
	return ret;
}

int store_push(struct store *s, const struct oci_desc *d, struct xp_reader *in,
	       struct xp_error *err)
{
	int present = 0;

	if (check_desc(s, d, err) || s->ops->exists(s, d, &present, err)) {
		reader_close(in);
		return -1;
	}
	if (present) {
		reader_close(in);
		return 0;
	}
	if (!s->ops->push) {
		reader_close(in);
		return unsupported(s, "store content", err);
	}
	return s->ops->push(s, d, in, err);
}

int store_push_buf(struct store *s, const char *media_type, const void *data,
		   size_t len, struct oci_desc *out, struct xp_error *err)
{
	struct oci_desc d;

	memset(&d, 0, sizeof(d));
	d.media_type = (char *)media_type;
	d.size = (int64_t)len;
	digest_buf(data, len, d.digest);
	if (store_push(s, &d, reader_from_buf(data, len), err))
		return -1;
	if (out) {
		d.media_type = NULL;
		oci_desc_copy(out, &d);
		out->media_type = xstrdup(media_type);
	}
	return 0;
}

int store_tag(struct store *s, const struct oci_desc *d, const char *name,
	      struct xp_error *err)
{
	if (check_desc(s, d, err))
		return -1;
	if (!ref_valid_tag(name))
		return ref_check_tag(name, err);
	if (!oci_is_manifest_type(d->media_type))
		return xp_error_set(err, XP_ERR_USAGE,
				    "cannot tag '%s' in '%s': media type '%s' is not a manifest or index",
				    d->digest, store_name(s), d->media_type);
	if (!s->ops->tag)
		return unsupported(s, "set a tag", err);
	return s->ops->tag(s, d, name, err);
}

int store_delete(struct store *s, const struct oci_desc *d, struct xp_error *err)
{
	if (check_desc(s, d, err))
		return -1;
	if (!oci_is_manifest_type(d->media_type))
		return xp_error_set(err, XP_ERR_USAGE, "cannot delete '%s' in '%s': not a manifest",
				    d->digest, store_name(s));
	if (!s->ops->delete_manifest)
		return unsupported(s, "delete a manifest", err);
	return s->ops->delete_manifest(s, d, err);
}

int store_tags(struct store *s, char ***names, size_t *n, struct xp_error *err)
{
	if (!s->ops->tags)
		return unsupported(s, "list tags", err);
	return s->ops->tags(s, names, n, err);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void store_tags_finish(char **v, size_t count, char ***names, size_t *n)
{
	size_t i, out = 0;

	if (count)
		qsort(v, count, sizeof(*v), cmp_str);
	for (i = 0; i < count; i++) {
		if (out && strcmp(v[out - 1], v[i]) == 0)
			free(v[i]);
		else
			v[out++] = v[i];
	}
	if (!out) {
		free(v);
		v = NULL;
	}
	*names = v;
	*n = out;
}

void store_tags_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int store_writer_open(struct store *s, struct store_writer **out, struct xp_error *err)
{
	if (!s->ops->writer_open)
		return unsupported(s, "stream content", err);
	if (s->ops->writer_open(s, out, err))
		return -1;
	(*out)->size = 0;
	return 0;
}

int store_writer_write(struct store_writer *w, const void *data, size_t len,
		       struct xp_error *err)
{
	if (!len)
		return 0;
	if (w->ops->write(w, data, len, err))
		return -1;
	w->size += len;
	return 0;
}

uint64_t store_writer_size(const struct store_writer *w)
{
	return w->size;
}

int store_writer_commit(struct store_writer *w, const char *digest, struct xp_error *err)
{
	if (!digest_valid(digest)) {
		w->ops->abort(w);
		return xp_error_set(err, XP_ERR_USAGE, "invalid digest '%.80s'", digest);
	}
	return w->ops->commit(w, digest, err);
}

void store_writer_abort(struct store_writer *w)
{
	if (w)
		w->ops->abort(w);
}

#define PUSH_CHUNK (1 << 20)
#define PROGRESS_MIN (1 << 20)   /* smaller content is not worth a progress line */

/* The label of content in progress reports: its short digest. */
static void progress_label(char *out, size_t n, const struct oci_desc *d)
{
	snprintf(out, n, "%.19s", d->digest);
}

int store_drain(struct store *s, const struct oci_desc *d, struct xp_error *err)
{
	struct xp_reader *rd;
	char label[32], *buf;
	uint64_t done = 0;
	ssize_t n;

	if (store_fetch(s, d, &rd, err))
		return -1;
	progress_label(label, sizeof(label), d);
	buf = xmalloc(PUSH_CHUNK);
	while ((n = reader_read(rd, buf, PUSH_CHUNK, err)) > 0) {
		done += (uint64_t)n;
		if (d->size >= PROGRESS_MIN)
			xp_progress_update(s->opts.progress, label, done, (uint64_t)d->size);
	}
	if (n == 0 && d->size >= PROGRESS_MIN)
		xp_progress_done(s->opts.progress, label, done);
	free(buf);
	reader_close(rd);
	return n < 0 ? -1 : 0;
}

int store_push_via_writer(struct store *s, const struct oci_desc *d, struct xp_reader *in,
			  struct xp_error *err)
{
	struct store_writer *w = NULL;
	struct xp_reader *v;
	char label[32], *what, *buf = NULL;
	uint64_t done = 0;
	int ret = -1;

	what = xasprintf("%s %s", oci_is_manifest_type(d->media_type) ? "manifest" : "blob",
			 d->digest);
	v = reader_verify(in, d->digest, d->size, what);
	progress_label(label, sizeof(label), d);
	if (store_writer_open(s, &w, err))
		goto out;
	buf = xmalloc(PUSH_CHUNK);
	for (;;) {
		ssize_t n = reader_read(v, buf, PUSH_CHUNK, err);

		if (n < 0)
			goto out;
		if (n == 0)
			break;
		if (store_writer_write(w, buf, (size_t)n, err))
			goto out;
		done += (uint64_t)n;
		if (d->size >= PROGRESS_MIN)
			xp_progress_update(s->opts.progress, label, done, (uint64_t)d->size);
	}
	ret = store_writer_commit(w, d->digest, err);
	w = NULL;
	if (ret == 0 && d->size >= PROGRESS_MIN)
		xp_progress_done(s->opts.progress, label, done);
out:
	store_writer_abort(w);
	reader_close(v);
	free(buf);
	free(what);
	return ret;
}

/* ---- re-openable sources, mounts, referrers, second handles ---- */

static int push_absent(struct store *s, const struct oci_desc *d,
		       const struct store_source *src, struct xp_error *err);

int store_push_from(struct store *s, const struct oci_desc *d, const struct store_source *src,
		    struct xp_error *err)
{
	int present = 0;

	if (check_desc(s, d, err) || s->ops->exists(s, d, &present, err))
		return -1;
	return present ? 0 : push_absent(s, d, src, err);
}

int store_copy_blob(struct store *dst, const struct oci_desc *d, struct store *src, int mount,
		    enum store_copied *how, struct xp_error *err)
{
	struct store_fetch_source fs;
	int present = 0, done = 0;

	if (check_desc(dst, d, err) || dst->ops->exists(dst, d, &present, err))
		return -1;
	if (present) {
		*how = STORE_WAS_PRESENT;
		return 0;
	}
	if (mount && store_mount(dst, d, src, &done, err))
		return -1;
	if (done) {
		*how = STORE_MOUNTED;
		return 0;
	}
	store_fetch_source_init(&fs, src, d);
	if (push_absent(dst, d, &fs.base, err))
		return -1;
	*how = STORE_COPIED;
	return 0;
}

/* Store content known to be absent from `s` (exists() was asked once). */
static int push_absent(struct store *s, const struct oci_desc *d,
		       const struct store_source *src, struct xp_error *err)
{
	struct xp_reader *in;

	if (s->ops->push_from)
		return s->ops->push_from(s, d, src, err);
	if (!s->ops->push)
		return unsupported(s, "store content", err);
	if (src->open(src->ctx, 0, &in, err))
		return -1;
	return s->ops->push(s, d, in, err);
}

static int fetch_source_open(void *ctx, uint64_t offset, struct xp_reader **out,
			     struct xp_error *err)
{
	struct store_fetch_source *fs = ctx;
	struct xp_reader *r;
	char buf[65536];

	if (store_fetch(fs->src, fs->d, &r, err))
		return -1;
	while (offset) {
		size_t want = offset < sizeof(buf) ? (size_t)offset : sizeof(buf);
		ssize_t n = reader_read(r, buf, want, err);

		if (n <= 0) {
			if (n == 0)
				xp_error_set(err, XP_ERR_INTEGRITY, "%s '%s' in '%s' ended before byte %llu",
					     oci_is_manifest_type(fs->d->media_type) ? "manifest" : "blob",
					     fs->d->digest, store_name(fs->src),
					     (unsigned long long)offset);
			reader_close(r);
			return -1;
		}
		offset -= (uint64_t)n;
	}
	*out = r;
	return 0;
}

void store_fetch_source_init(struct store_fetch_source *fs, struct store *src,
			     const struct oci_desc *d)
{
	fs->base.open = fetch_source_open;
	fs->base.ctx = fs;
	fs->src = src;
	fs->d = d;
}

int store_mount(struct store *s, const struct oci_desc *d, struct store *from, int *done,
		struct xp_error *err)
{
	*done = 0;
	if (check_desc(s, d, err))
		return -1;
	/* only between stores of one kind: the op may take `from` as its own */
	if (!s->ops->mount || !from || from->ops != s->ops)
		return 0;
	return s->ops->mount(s, d, from, done, err);
}

int store_referrers(struct store *s, const struct oci_desc *d, struct oci_desc **out,
		    size_t *n, struct xp_error *err)
{
	*out = NULL;
	*n = 0;
	if (check_desc(s, d, err))
		return -1;
	if (!s->ops->referrers)
		return 0;
	return s->ops->referrers(s, d, out, n, err);
}

int store_reopen(struct store *s, struct store **out, struct xp_error *err)
{
	if (s->ops->one_handle)
		return unsupported(s, "open a second handle", err);
	return store_open(&s->ref, &s->opts, out, err);
}
