/*
 * layout.c — the OCI image layout directory as a content store (store.h).
 *
 *   DIR/oci-layout            {"imageLayoutVersion":"1.0.0"}, written last on
 *                             creation: its presence marks a complete layout
 *   DIR/index.json            the tags (org.opencontainers.image.ref.name)
 *   DIR/blobs/sha256/<hex>    content, named by digest
 *
 * A blob is streamed into "blobs/sha256/.blob.tmp-XXXXXX" (registered for
 * removal on SIGINT/SIGTERM), fsync'd and renamed to its digest: readers never
 * see a partial blob, and an interrupted write leaves nothing behind. Writeback
 * is started every few MiB (sync_file_range) so the final fsync does not wait
 * for the whole blob; ranges written back more than a few windows ago are
 * waited for and dropped from the page cache, so a large blob never piles up
 * dirty pages (the kernel would throttle the writer) nor pushes other files
 * (the layer's input) out of the cache. index.json is re-read and rewritten atomically under an
 * exclusive flock on DIR, so concurrent taggers do not lose each other's tags.
 * A missing DIR is created on the first write when opened with opts->create;
 * nothing is written before.
 */
#define _GNU_SOURCE /* sync_file_range, copy_file_range */
#include "packager/layout_impl.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define KICK_BYTES (8u << 20)   /* start writeback every 8 MiB */
#define SETTLE_BYTES (32u << 20) /* wait for and drop what is older than this */

struct layout {
	struct store base;
	char *dir;
	int ready;                /* oci-layout present */
	struct oci_index index;
};

struct layout_writer {
	struct store_writer base;
	struct layout *l;
	struct atomic_file af;
	uint64_t written, kicked, settled;
};

static char *blob_path(const struct layout *l, const char *digest)
{
	return xasprintf("%s/blobs/sha256/%s", l->dir, digest_hex(digest));
}

static int read_optional(const char *path, size_t max, char **out, size_t *len,
			 struct xp_error *err)
{
	*out = NULL;
	*len = 0;
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	return file_read_all(path, max, out, len, err);
}

/* (Re)read index.json into l->index. */
static int load_index(struct layout *l, struct xp_error *err)
{
	char *path = xasprintf("%s/%s", l->dir, LAYOUT_INDEX), *buf = NULL;
	struct oci_index ix;
	size_t len;
	int ret = -1;

	if (read_optional(path, OCI_MANIFEST_MAX, &buf, &len, err))
		goto out;
	if (!buf && l->ready) {
		xp_error_set(err, XP_ERR_MALFORMED, "malformed OCI layout '%s': index.json is missing",
			     store_name(&l->base));
		goto out;
	}
	if (layout_parse_index(buf, len, store_name(&l->base), &ix, err))
		goto out;
	oci_index_release(&l->index);
	l->index = ix;
	ret = 0;
out:
	free(buf);
	free(path);
	return ret;
}

/* Create DIR as a layout on the first write. */
static int ensure_ready(struct layout *l, struct xp_error *err)
{
	char *p;
	size_t len;
	char *idx;
	int ret;

	if (l->ready)
		return 0;
	p = xasprintf("%s/blobs/sha256", l->dir);
	ret = mkdir_p(p, 0755, err);
	free(p);
	if (ret)
		return -1;
	p = xasprintf("%s/%s", l->dir, LAYOUT_INDEX);
	if (access(p, F_OK) < 0) {
		idx = layout_build_index(&l->index, &len);
		ret = file_write_atomic(p, idx, len, 0644, err);
		free(idx);
	}
	free(p);
	if (ret)
		return -1;
	p = xasprintf("%s/%s", l->dir, LAYOUT_FILE);
	ret = file_write_atomic(p, LAYOUT_CONTENT, strlen(LAYOUT_CONTENT), 0644, err);
	free(p);
	if (ret)
		return -1;
	l->ready = 1;
	return 0;
}

static int l_exists(struct store *s, const struct oci_desc *d, int *present,
		    struct xp_error *err)
{
	struct layout *l = (struct layout *)s;
	char *p = blob_path(l, d->digest);
	struct stat st;
	int ret = 0;

	if (stat(p, &st) == 0)
		*present = S_ISREG(st.st_mode) && (d->size < 0 || st.st_size == d->size);
	else if (errno == ENOENT || errno == ENOTDIR)
		*present = 0;
	else
		ret = xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", p);
	free(p);
	return ret;
}

static int l_fetch(struct store *s, const struct oci_desc *d, struct xp_reader **out,
		   struct xp_error *err)
{
	struct layout *l = (struct layout *)s;
	char *p = blob_path(l, d->digest), *what;
	int fd = open(p, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			xp_error_set(err, XP_ERR_NOT_FOUND, "%s '%s' is missing from '%s'",
				     oci_is_manifest_type(d->media_type) ? "manifest" : "blob",
				     d->digest, store_name(s));
		else
			xp_error_errno(err, XP_ERR_LOCAL, "cannot open '%s'", p);
		free(p);
		return -1;
	}
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	what = xasprintf("%s '%s' in '%s'", oci_is_manifest_type(d->media_type) ? "manifest" : "blob",
			 d->digest, store_name(s));
	*out = reader_verify(reader_from_fd(fd, p), d->digest, d->size, what);
	free(what);
	free(p);
	return 0;
}

/* ---- writer ---- */

static int lw_write(struct store_writer *sw, const void *data, size_t len,
		    struct xp_error *err)
{
	struct layout_writer *w = (struct layout_writer *)sw;

	if (atomic_write(&w->af, data, len, err))
		return -1;
	w->written += len;
#ifdef SYNC_FILE_RANGE_WRITE
	if (w->written - w->kicked >= KICK_BYTES) {
		sync_file_range(w->af.fd, (off_t)w->kicked, (off_t)(w->written - w->kicked),
				SYNC_FILE_RANGE_WRITE);
		if (w->kicked - w->settled >= SETTLE_BYTES) {
			sync_file_range(w->af.fd, (off_t)w->settled, (off_t)(w->kicked - w->settled),
					SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
					SYNC_FILE_RANGE_WAIT_AFTER);
#ifdef POSIX_FADV_DONTNEED
			posix_fadvise(w->af.fd, (off_t)w->settled, (off_t)(w->kicked - w->settled),
				      POSIX_FADV_DONTNEED);
#endif
			w->settled = w->kicked;
		}
		w->kicked = w->written;
	}
#endif
	return 0;
}

static void lw_abort(struct store_writer *sw)
{
	struct layout_writer *w = (struct layout_writer *)sw;

	atomic_abort(&w->af);
	free(w);
}

static int lw_commit(struct store_writer *sw, const char *digest, struct xp_error *err)
{
	struct layout_writer *w = (struct layout_writer *)sw;
	struct oci_desc d;
	int present = 0, ret;

	memset(&d, 0, sizeof(d));
	snprintf(d.digest, sizeof(d.digest), "%s", digest);
	d.size = (int64_t)w->written;
	if (l_exists(&w->l->base, &d, &present, err) || present) {
		ret = present ? 0 : -1;
		lw_abort(sw);
		return ret;
	}
	free(w->af.path);
	w->af.path = blob_path(w->l, digest);
	ret = atomic_commit(&w->af, err);
	free(w);
	return ret;
}

static const struct store_writer_ops layout_writer_ops = {lw_write, lw_commit, lw_abort};

static int l_writer_open(struct store *s, struct store_writer **out, struct xp_error *err)
{
	struct layout *l = (struct layout *)s;
	struct layout_writer *w;
	char *p;
	int ret;

	if (ensure_ready(l, err))
		return -1;
	w = xcalloc(1, sizeof(*w));
	w->base.ops = &layout_writer_ops;
	w->l = l;
	p = xasprintf("%s/blobs/sha256/blob", l->dir);
	ret = atomic_open(&w->af, p, 0644, err);
	free(p);
	if (ret) {
		free(w);
		return -1;
	}
	*out = &w->base;
	return 0;
}

/* ---- tags ---- */

static int l_resolve(struct store *s, const char *name, struct oci_desc *out,
		     struct xp_error *err)
{
	return layout_resolve(s, &((struct layout *)s)->index, name, out, err);
}

static int l_resolve_untagged(struct store *s, struct oci_desc *out, struct xp_error *err)
{
	return layout_resolve_untagged(s, &((struct layout *)s)->index, out, err);
}

static int l_tags(struct store *s, char ***names, size_t *n, struct xp_error *err)
{
	(void)err;
	return layout_tags(&((struct layout *)s)->index, names, n);
}

static int l_tag(struct store *s, const struct oci_desc *d, const char *name,
		 struct xp_error *err)
{
	struct layout *l = (struct layout *)s;
	char *path = NULL, *buf = NULL;
	int present = 0, lockfd = -1, ret = -1;
	size_t len;

	if (l_exists(s, d, &present, err))
		return -1;
	if (!present)
		return xp_error_set(err, XP_ERR_NOT_FOUND, "cannot tag '%s' in '%s': the manifest is not there",
				    d->digest, store_name(s));
	if (ensure_ready(l, err))
		return -1;
	lockfd = open(l->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot lock '%s'", l->dir);
		goto out;
	}
	if (load_index(l, err))
		goto out;
	oci_index_set_ref(&l->index, d, name);
	buf = layout_build_index(&l->index, &len);
	path = xasprintf("%s/%s", l->dir, LAYOUT_INDEX);
	ret = file_write_atomic(path, buf, len, 0644, err);
out:
	if (lockfd >= 0)
		close(lockfd); /* releases the lock */
	free(buf);
	free(path);
	return ret;
}

/* Drop every index.json entry that names d (the blobs stay: other
 * manifests may share them). */
static int l_delete(struct store *s, const struct oci_desc *d, struct xp_error *err)
{
	struct layout *l = (struct layout *)s;
	char *path = NULL, *buf = NULL;
	size_t len, i, j = 0;
	int lockfd, ret = -1;

	if (ensure_ready(l, err))
		return -1;
	lockfd = open(l->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot lock '%s'", l->dir);
		goto out;
	}
	if (load_index(l, err))
		goto out;
	for (i = 0; i < l->index.n_manifests; i++) {
		if (strcmp(l->index.manifests[i].desc.digest, d->digest) == 0)
			oci_entry_release(&l->index.manifests[i]);
		else
			l->index.manifests[j++] = l->index.manifests[i];
	}
	if (j == l->index.n_manifests) {
		xp_error_set(err, XP_ERR_NOT_FOUND, "no manifest '%s' in '%s'", d->digest,
			     store_name(s));
		goto out;
	}
	l->index.n_manifests = j;
	buf = layout_build_index(&l->index, &len);
	path = xasprintf("%s/%s", l->dir, LAYOUT_INDEX);
	ret = file_write_atomic(path, buf, len, 0644, err);
out:
	if (lockfd >= 0)
		close(lockfd);
	free(buf);
	free(path);
	return ret;
}

static void l_close(struct store *s)
{
	struct layout *l = (struct layout *)s;

	oci_index_release(&l->index);
	free(l->dir);
	store_base_release(s);
	free(l);
}

static const struct store_ops layout_ops = {
	.kind = "layout",
	.resolve = l_resolve,
	.resolve_untagged = l_resolve_untagged,
	.exists = l_exists,
	.fetch = l_fetch,
	.push = store_push_via_writer,
	.tag = l_tag,
	.tags = l_tags,
	.writer_open = l_writer_open,
	.commit = NULL,
	.close = l_close,
	.delete_manifest = l_delete,
};

int layout_store_open(const struct xp_ref *ref, const struct store_opts *opts,
		      struct store **out, struct xp_error *err)
{
	struct layout *l = xcalloc(1, sizeof(*l));
	struct stat st;
	char *p = NULL, *buf = NULL;
	size_t len;

	store_base_init(&l->base, &layout_ops, ref, opts);
	l->dir = xstrdup(ref->path);
	if (stat(l->dir, &st) < 0) {
		if (errno != ENOENT || !(opts && opts->create)) {
			xp_error_errno(err, XP_ERR_LOCAL, "cannot open OCI layout '%s'", l->dir);
			goto fail;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		xp_error_set(err, XP_ERR_USAGE, "cannot open OCI layout '%s': not a directory", l->dir);
		goto fail;
	} else {
		p = xasprintf("%s/%s", l->dir, LAYOUT_FILE);
		if (read_optional(p, 4096, &buf, &len, err))
			goto fail;
		if (buf) {
			if (layout_check_version(buf, len, store_name(&l->base), err))
				goto fail;
			l->ready = 1;
		} else if (!(opts && opts->create) || !dir_is_empty(l->dir)) {
			xp_error_set(err, XP_ERR_MALFORMED,
				     "'%s' is not an OCI image layout (it has no oci-layout file)",
				     l->dir);
			goto fail;
		}
	}
	if (load_index(l, err))
		goto fail;
	free(p);
	free(buf);
	*out = &l->base;
	return 0;
fail:
	free(p);
	free(buf);
	l_close(&l->base);
	return -1;
}
