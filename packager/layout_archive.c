/*
 * layout_archive.c — an oci-archive (the OCI layout tree as one tar file) as a
 * content store (store.h).
 *
 * Reading needs no extraction: the archive is indexed once (tar.c) and every
 * blob is read in place with pread, through a verifying reader.
 *
 * Changes go to a new archive written next to the old one
 * (".NAME.tmp-XXXXXX", removed on SIGINT/SIGTERM) and replace it only in
 * store_commit (fsync + rename): until then the old archive is untouched and
 * a dropped store leaves nothing. The new file starts with oci-layout and the
 * blobs/ directories; each new blob is streamed straight into it in one pass:
 * a header block is reserved, the data follows, and when the digest is known
 * the header is filled in (or, for content already present, the entry is cut
 * off again). Commit appends the old archive's entries that were not replaced
 * (copy_file_range, in the kernel) and index.json, and ends the tar.
 * Entries are plain ustar with zeroed metadata, so the same operations give the
 * same bytes. One streaming writer at a time.
 */
#define _GNU_SOURCE /* sync_file_range, copy_file_range */
#include "packager/layout_impl.h"
#include "packager/tar.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct arch {
	struct store base;
	char *path;
	int fd;                     /* the old archive, -1 when there is none */
	struct tar_index old;
	struct oci_index index;
	int dirty;                  /* index changed */
	struct atomic_file out;     /* the new archive, once a change begins */
	int out_open;
	uint64_t out_end;           /* end of the last complete entry */
	struct tar_index added;     /* entries written to `out` */
	int writing;                /* a writer is active */
};

struct arch_writer {
	struct store_writer base;
	struct arch *a;
	uint64_t header;            /* offset of the reserved header block */
	uint64_t written;
};

static char *blob_name(const char *digest)
{
	return xasprintf("blobs/sha256/%s", digest_hex(digest));
}

static int out_write(struct arch *a, const void *data, size_t len, struct xp_error *err)
{
	return atomic_write(&a->out, data, len, err);
}

static int out_entry(struct arch *a, const char *name, char type, const void *data,
		     size_t len, struct xp_error *err)
{
	static const unsigned char zero[TAR_BLOCK];
	unsigned char h[TAR_BLOCK];

	if (tar_header(h, name, type, len))
		return xp_error_set(err, XP_ERR_MALFORMED, "cannot write '%s' into '%s': name too long",
				    name, a->path);
	if (out_write(a, h, TAR_BLOCK, err) || out_write(a, data, len, err) ||
	    out_write(a, zero, (size_t)tar_pad(len), err))
		return -1;
	a->out_end += TAR_BLOCK + len + tar_pad(len);
	return 0;
}

/* Start the new archive: oci-layout and the blob directories. */
static int ensure_out(struct arch *a, struct xp_error *err)
{
	if (a->out_open)
		return 0;
	if (atomic_open(&a->out, a->path, 0644, err))
		return -1;
	a->out_open = 1;
	a->out_end = 0;
	if (out_entry(a, LAYOUT_FILE, '0', LAYOUT_CONTENT, strlen(LAYOUT_CONTENT), err) ||
	    out_entry(a, "blobs/", '5', NULL, 0, err) ||
	    out_entry(a, "blobs/sha256/", '5', NULL, 0, err))
		return -1;
	return 0;
}

/* Where an entry's bytes are: the new file first, then the old one. */
static int locate(struct arch *a, const char *name, int *fd, const struct tar_entry **e)
{
	if ((*e = tar_find(&a->added, name))) {
		*fd = a->out.fd;
		return 1;
	}
	if ((*e = tar_find(&a->old, name))) {
		*fd = a->fd;
		return 1;
	}
	return 0;
}

static int a_exists(struct store *s, const struct oci_desc *d, int *present,
		    struct xp_error *err)
{
	struct arch *a = (struct arch *)s;
	char *name = blob_name(d->digest);
	const struct tar_entry *e;
	int fd;

	(void)err;
	*present = locate(a, name, &fd, &e) && (d->size < 0 || e->size == (uint64_t)d->size);
	free(name);
	return 0;
}

/* A reader over [off, off+size) of a duplicated descriptor. */
struct range_reader {
	struct xp_reader r;
	int fd;
	uint64_t off, left;
	char *name;
};

static ssize_t range_read(struct xp_reader *r, void *buf, size_t len, struct xp_error *err)
{
	struct range_reader *rr = (struct range_reader *)r;
	ssize_t n;

	if (rr->left == 0)
		return 0;
	if (len > rr->left)
		len = (size_t)rr->left;
	do
		n = pread(rr->fd, buf, len, (off_t)rr->off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", rr->name);
	if (n == 0)
		return xp_error_set(err, XP_ERR_MALFORMED, "cannot read '%s': archive truncated",
				    rr->name);
	rr->off += (uint64_t)n;
	rr->left -= (uint64_t)n;
	return n;
}

static void range_close(struct xp_reader *r)
{
	struct range_reader *rr = (struct range_reader *)r;

	close(rr->fd);
	free(rr->name);
	free(rr);
}

static int a_fetch(struct store *s, const struct oci_desc *d, struct xp_reader **out,
		   struct xp_error *err)
{
	struct arch *a = (struct arch *)s;
	char *name = blob_name(d->digest), *what;
	const struct tar_entry *e;
	struct range_reader *rr;
	int fd;

	if (!locate(a, name, &fd, &e)) {
		xp_error_set(err, XP_ERR_NOT_FOUND, "%s '%s' is missing from '%s'",
			     oci_is_manifest_type(d->media_type) ? "manifest" : "blob", d->digest,
			     store_name(s));
		free(name);
		return -1;
	}
	free(name);
	rr = xcalloc(1, sizeof(*rr));
	rr->r.read = range_read;
	rr->r.close = range_close;
	rr->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (rr->fd < 0) {
		free(rr);
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", a->path);
	}
	rr->off = e->offset;
	rr->left = e->size;
	rr->name = xstrdup(a->path);
	what = xasprintf("%s '%s' in '%s'", oci_is_manifest_type(d->media_type) ? "manifest" : "blob",
			 d->digest, store_name(s));
	*out = reader_verify(&rr->r, d->digest, d->size, what);
	free(what);
	return 0;
}

/* ---- writer ---- */

static int aw_write(struct store_writer *sw, const void *data, size_t len,
		    struct xp_error *err)
{
	struct arch_writer *w = (struct arch_writer *)sw;

	if (out_write(w->a, data, len, err))
		return -1;
	w->written += len;
	return 0;
}

/* Cut the file back to the end of the last complete entry. */
static void aw_drop(struct arch_writer *w)
{
	struct arch *a = w->a;

	if (ftruncate(a->out.fd, (off_t)a->out_end) < 0 ||
	    lseek(a->out.fd, (off_t)a->out_end, SEEK_SET) < 0) {
		/* the partial entry stays unreachable: commit fails on the offsets */
		a->out_end = UINT64_MAX;
	}
	a->writing = 0;
	free(w);
}

static void aw_abort(struct store_writer *sw)
{
	aw_drop((struct arch_writer *)sw);
}

static int aw_commit(struct store_writer *sw, const char *digest, struct xp_error *err)
{
	static const unsigned char zero[TAR_BLOCK];
	struct arch_writer *w = (struct arch_writer *)sw;
	struct arch *a = w->a;
	unsigned char h[TAR_BLOCK];
	struct oci_desc d;
	char *name;
	int present = 0;

	memset(&d, 0, sizeof(d));
	snprintf(d.digest, sizeof(d.digest), "%s", digest);
	d.size = (int64_t)w->written;
	a_exists(&a->base, &d, &present, err);
	if (present || a->out_end == UINT64_MAX) {
		aw_drop(w);
		return present ? 0 : xp_error_set(err, XP_ERR_LOCAL, "cannot write '%s'", a->path);
	}
	name = blob_name(digest);
	tar_header(h, name, '0', w->written);
	if (out_write(a, zero, (size_t)tar_pad(w->written), err)) {
		free(name);
		aw_drop(w);
		return -1;
	}
	if (pwrite(a->out.fd, h, TAR_BLOCK, (off_t)w->header) != TAR_BLOCK) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot write '%s'", a->path);
		free(name);
		aw_drop(w);
		return -1;
	}
	a->added.v = xrealloc(a->added.v, (a->added.n + 1) * sizeof(*a->added.v));
	a->added.v[a->added.n].name = name;
	a->added.v[a->added.n].offset = w->header + TAR_BLOCK;
	a->added.v[a->added.n].size = w->written;
	a->added.n++;
	a->out_end = w->header + TAR_BLOCK + w->written + tar_pad(w->written);
	a->writing = 0;
	free(w);
	return 0;
}

static const struct store_writer_ops arch_writer_ops = {aw_write, aw_commit, aw_abort};

static int a_writer_open(struct store *s, struct store_writer **out, struct xp_error *err)
{
	static const unsigned char zero[TAR_BLOCK];
	struct arch *a = (struct arch *)s;
	struct arch_writer *w;

	if (a->writing)
		return xp_error_set(err, XP_ERR_USAGE,
				    "cannot write two blobs into '%s' at once", a->path);
	if (ensure_out(a, err))
		return -1;
	if (a->out_end == UINT64_MAX)
		return xp_error_set(err, XP_ERR_LOCAL, "cannot write '%s'", a->path);
	if (out_write(a, zero, TAR_BLOCK, err))
		return -1;
	w = xcalloc(1, sizeof(*w));
	w->base.ops = &arch_writer_ops;
	w->a = a;
	w->header = a->out_end;
	a->writing = 1;
	*out = &w->base;
	return 0;
}

/* ---- index and commit ---- */

static int a_resolve(struct store *s, const char *name, struct oci_desc *out,
		     struct xp_error *err)
{
	return layout_resolve(s, &((struct arch *)s)->index, name, out, err);
}

static int a_resolve_untagged(struct store *s, struct oci_desc *out, struct xp_error *err)
{
	return layout_resolve_untagged(s, &((struct arch *)s)->index, out, err);
}

static int a_tags(struct store *s, char ***names, size_t *n, struct xp_error *err)
{
	(void)err;
	return layout_tags(&((struct arch *)s)->index, names, n);
}

static int a_tag(struct store *s, const struct oci_desc *d, const char *name,
		 struct xp_error *err)
{
	struct arch *a = (struct arch *)s;
	int present = 0;

	a_exists(s, d, &present, err);
	if (!present)
		return xp_error_set(err, XP_ERR_NOT_FOUND, "cannot tag '%s' in '%s': the manifest is not there",
				    d->digest, store_name(s));
	oci_index_set_ref(&a->index, d, name);
	a->dirty = 1;
	return 0;
}

/* Copy `len` bytes at `off` of the old archive to the end of the new one. */
static int copy_range(struct arch *a, uint64_t off, uint64_t len, struct xp_error *err)
{
	char buf[65536];

	while (len) {
		loff_t in_off = (loff_t)off;
		ssize_t n = copy_file_range(a->fd, &in_off, a->out.fd, NULL, (size_t)len, 0);

		if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
			      errno == EOPNOTSUPP)) {
			/* fall back to read/write */
			size_t want = len < sizeof(buf) ? (size_t)len : sizeof(buf);

			n = pread(a->fd, buf, want, (off_t)off);
			if (n > 0 && write_full(a->out.fd, buf, (size_t)n) < 0)
				n = -1;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return xp_error_errno(err, XP_ERR_LOCAL, "cannot copy '%s'", a->path);
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

static int scan_file(struct arch *a, struct xp_error *err);

static int a_commit(struct store *s, struct xp_error *err)
{
	static const unsigned char zero[2 * TAR_BLOCK];
	struct arch *a = (struct arch *)s;
	char *idx;
	size_t i, len;

	if (!a->dirty && !a->out_open)
		return 0;
	if (a->writing)
		return xp_error_set(err, XP_ERR_USAGE, "cannot commit '%s': a blob is being written",
				    a->path);
	if (ensure_out(a, err) || a->out_end == UINT64_MAX)
		goto fail;
	for (i = 0; i < a->old.n; i++) {
		const struct tar_entry *e = &a->old.v[i];
		unsigned char h[TAR_BLOCK];

		if (strcmp(e->name, LAYOUT_FILE) == 0 || strcmp(e->name, LAYOUT_INDEX) == 0 ||
		    tar_find(&a->added, e->name))
			continue;
		if (tar_header(h, e->name, '0', e->size)) {
			xp_error_set(err, XP_ERR_MALFORMED, "cannot copy '%s' from '%s': name too long",
				     e->name, a->path);
			goto fail;
		}
		if (out_write(a, h, TAR_BLOCK, err) || copy_range(a, e->offset, e->size, err) ||
		    out_write(a, zero, (size_t)tar_pad(e->size), err))
			goto fail;
		a->out_end += TAR_BLOCK + e->size + tar_pad(e->size);
	}
	idx = layout_build_index(&a->index, &len);
	if (out_entry(a, LAYOUT_INDEX, '0', idx, len, err) ||
	    out_write(a, zero, sizeof(zero), err)) {
		free(idx);
		goto fail;
	}
	free(idx);
	a->out_open = 0;
	if (atomic_commit(&a->out, err))
		return -1;
	/* the store now reads the new archive */
	tar_index_release(&a->added);
	a->dirty = 0;
	return scan_file(a, err);
fail:
	atomic_abort(&a->out);
	a->out_open = 0;
	tar_index_release(&a->added);
	return -1;
}

static void a_close(struct store *s)
{
	struct arch *a = (struct arch *)s;

	if (a->out_open)
		atomic_abort(&a->out);
	if (a->fd >= 0)
		close(a->fd);
	tar_index_release(&a->old);
	tar_index_release(&a->added);
	oci_index_release(&a->index);
	free(a->path);
	store_base_release(s);
	free(a);
}

static const struct store_ops archive_ops = {
	.kind = "archive",
	.one_handle = 1,   /* the archive is rewritten on close */
	.resolve = a_resolve,
	.resolve_untagged = a_resolve_untagged,
	.exists = a_exists,
	.fetch = a_fetch,
	.push = store_push_via_writer,
	.tag = a_tag,
	.tags = a_tags,
	.writer_open = a_writer_open,
	.commit = a_commit,
	.close = a_close,
};

static int read_entry(struct arch *a, const struct tar_entry *e, size_t max, char **out,
		      struct xp_error *err)
{
	char *buf;

	if (e->size > max)
		return xp_error_set(err, XP_ERR_MALFORMED, "malformed archive '%s': '%s' is too large",
				    a->path, e->name);
	buf = xmalloc((size_t)e->size + 1);
	if (pread(a->fd, buf, (size_t)e->size, (off_t)e->offset) != (ssize_t)e->size) {
		free(buf);
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", a->path);
	}
	buf[e->size] = '\0';
	*out = buf;
	return 0;
}

/* (Re)index a->path; a missing or empty file is an empty store. */
static int scan_file(struct arch *a, struct xp_error *err)
{
	const struct tar_entry *lay, *ix;
	struct oci_index index;
	struct stat st;
	char *buf = NULL;
	int ret = -1;

	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	tar_index_release(&a->old);
	a->fd = open(a->path, O_RDONLY | O_CLOEXEC);
	if (a->fd < 0) {
		if (errno == ENOENT && a->base.opts.create)
			return layout_parse_index(NULL, 0, store_name(&a->base), &a->index, err);
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot open oci-archive '%s'", a->path);
	}
	if (fstat(a->fd, &st) < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", a->path);
	if (!S_ISREG(st.st_mode))
		return xp_error_set(err, XP_ERR_USAGE, "cannot open oci-archive '%s': not a regular file",
				    a->path);
	if (st.st_size == 0 && a->base.opts.create)
		return layout_parse_index(NULL, 0, store_name(&a->base), &a->index, err);
	if (st.st_size == 0)
		return xp_error_set(err, XP_ERR_MALFORMED, "'%s' is not an oci-archive (empty file)",
				    a->path);
	if (tar_scan(a->fd, (uint64_t)st.st_size, a->path, &a->old, err))
		return -1;
	lay = tar_find(&a->old, LAYOUT_FILE);
	ix = tar_find(&a->old, LAYOUT_INDEX);
	if (!lay || !ix)
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "'%s' is not an oci-archive (it has no %s)", a->path,
				    lay ? LAYOUT_INDEX : LAYOUT_FILE);
	if (read_entry(a, lay, 4096, &buf, err) ||
	    layout_check_version(buf, (size_t)lay->size, store_name(&a->base), err))
		goto out;
	free(buf);
	buf = NULL;
	if (read_entry(a, ix, OCI_MANIFEST_MAX, &buf, err) ||
	    layout_parse_index(buf, (size_t)ix->size, store_name(&a->base), &index, err))
		goto out;
	oci_index_release(&a->index);
	a->index = index;
	ret = 0;
out:
	free(buf);
	return ret;
}

int archive_store_open(const struct xp_ref *ref, const struct store_opts *opts,
		       struct store **out, struct xp_error *err)
{
	struct arch *a = xcalloc(1, sizeof(*a));

	store_base_init(&a->base, &archive_ops, ref, opts);
	a->path = xstrdup(ref->path);
	a->fd = -1;
	a->out.fd = -1;
	if (scan_file(a, err)) {
		a_close(&a->base);
		return -1;
	}
	*out = &a->base;
	return 0;
}
