/*
 * layer.c — deterministic tar layers over libarchive with a hashing sink that
 * streams into a store_writer (see layer.h).
 *
 * The pipeline for one layer:
 *
 *   file --read 1 MiB--> tar writer (pax restricted, unblocked)
 *        --tar bytes, small pieces batched--> hasher ring (diff_id, second thread)
 *                   \-> [blockz: gzip/zstd blocks on workers --> SHA-256] --> store_writer
 *
 * The tar writer is opened with a block size of 0, so libarchive hands every
 * header and data chunk straight to our callback (no 10 KiB blocking, no
 * padding after the end-of-archive marker). Headers, padding and small files
 * are copied into batches; file data of 64 KiB and more is lent to the hasher
 * from the read buffer as it is. Compression sees the same stream after the
 * hasher, so the stream is seen both before (diff_id) and after (blob digest)
 * compression in one pass.
 */
#include "packager/layer.h"
#include "packager/blockz.h"
#include "packager/hasher.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "common/utf8.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK (1u << 20)        /* file reads */
#define READ_BUFS 4                  /* read ahead while earlier chunks are hashed */
#define BATCH_SIZE (256u << 10)      /* small pieces gathered */
#define BATCHES 4
#define DIRECT_MIN (64u << 10)       /* file data this large is not gathered */

const char *layer_suffix(enum layer_compression c)
{
	return c == LAYER_GZIP ? "tar+gzip" : c == LAYER_ZSTD ? "tar+zstd" : "tar";
}

/* ---- the sink behind the tar writer ---- */

/* Small pieces (headers, padding, small files) are gathered into batches, so
 * that the hasher, the compressor and the store see a few large writes
 * instead of several per file; large pieces of file data pass as they are. */
struct batch {
	unsigned char *v[BATCHES];
	uint64_t ticket[BATCHES];   /* the hasher's, before v[k] may change */
	size_t cur, len;
};

struct sink {
	struct store_writer *w;
	struct hasher *tar_hash;
	const unsigned char *lend_lo, *lend_hi;   /* the current read buffer */
	uint64_t *lend_ticket;                    /* its hasher ticket */
	struct batch b;
	struct digest *blob_hash;   /* compressed only */
	struct blockz *z;           /* the compressor, NULL when uncompressed */
	struct xp_error err;
	int failed;
};

/* The compressor's output: the blob. */
static int blob_cb(void *ctx, const void *buf, size_t len, struct xp_error *err)
{
	struct sink *s = ctx;

	digest_update(s->blob_hash, buf, len);
	return store_writer_write(s->w, buf, len, err);
}

/* Tar bytes, already queued for the diff_id, on to the compressor or the
 * store. */
static int forward(struct sink *s, const void *buf, size_t len)
{
	int rc = s->z ? blockz_write(s->z, buf, len, &s->err)
		 : store_writer_write(s->w, buf, len, &s->err);

	if (rc)
		s->failed = 1;
	return rc;
}

static int flush_batch(struct sink *s)
{
	struct batch *b = &s->b;
	size_t k = b->cur;

	if (!b->len)
		return 0;
	b->ticket[k] = hasher_lend(s->tar_hash, b->v[k], b->len);
	if (forward(s, b->v[k], b->len))
		return -1;
	b->cur = (k + 1) % BATCHES;
	b->len = 0;
	/* the hasher may still be reading what the next batch held */
	hasher_wait(s->tar_hash, b->ticket[b->cur]);
	return 0;
}

static la_ssize_t tar_write_cb(struct archive *a, void *ctx, const void *buf, size_t len)
{
	struct sink *s = ctx;
	const unsigned char *p = buf;
	size_t left = len;

	(void)a;
	/* file data passes through libarchive unbuffered: lend it, do not copy */
	if (len >= DIRECT_MIN && s->lend_lo && p >= s->lend_lo && p + len <= s->lend_hi) {
		if (flush_batch(s))
			return -1;
		*s->lend_ticket = hasher_lend(s->tar_hash, buf, len);
		return forward(s, buf, len) ? -1 : (la_ssize_t)len;
	}
	while (left) {
		size_t k = BATCH_SIZE - s->b.len;

		if (!k) {
			if (flush_batch(s))
				return -1;
			continue;
		}
		if (k > left)
			k = left;
		memcpy(s->b.v[s->b.cur] + s->b.len, p, k);
		s->b.len += k;
		p += k;
		left -= k;
	}
	return (la_ssize_t)len;
}

static int noop_cb(struct archive *a, void *ctx)
{
	(void)a;
	(void)ctx;
	return ARCHIVE_OK;
}

/* A libarchive failure: our sink's own error when it caused it. */
static int arch_fail(struct sink *s, struct archive *a, const char *what,
		     struct xp_error *err)
{
	if (s->failed) {
		*err = s->err;
		return -1;
	}
	return xp_error_set(err, XP_ERR_LOCAL, "%s: %s", what,
			    archive_error_string(a) ? archive_error_string(a) : "unknown error");
}

/* Open a file the tree scanned, refusing what changed since. */
static int open_input(const struct tree_entry *e, struct xp_error *err)
{
	struct stat st;
	int fd = open(e->src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 && errno == ELOOP && e->input)
		fd = open(e->src, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP)
			return xp_error_set(err, XP_ERR_LOCAL,
					    "'%s' changed while being packed: now a link", e->src);
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot open '%s'", e->src);
	}
	if (fstat(fd, &st) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", e->src);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size != e->size) {
		xp_error_set(err, XP_ERR_LOCAL, "'%s' changed while being packed", e->src);
		close(fd);
		return -1;
	}
#ifdef POSIX_FADV_SEQUENTIAL
	if (e->size >= READ_CHUNK)  /* a small file is one read anyway */
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	return fd;
}

struct progress_state {
	const struct layer_opts *o;
	uint64_t done, total;
};

/* Read buffers, each lent to the hasher until its ticket is done. */
struct bufs {
	unsigned char *v[READ_BUFS];
	uint64_t ticket[READ_BUFS];
	size_t next;
};

/* Read `want` bytes of a file into buf (room for `cap`). When there is room,
 * one byte more is asked for in the same read: a regular file's read comes
 * back short only at its end, so a read of exactly `want` bytes has met the
 * end and *eof is set (no second read to find it; a small file is one read).
 * Returns the bytes read: fewer than want when the file shrank, more when it
 * grew; -1 with errno. */
static ssize_t read_chunk(int fd, unsigned char *buf, size_t want, size_t cap, int *eof)
{
	size_t ask = want < cap ? want + 1 : want;
	ssize_t n, more;

	do
		n = read(fd, buf, ask);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n > 0 && (size_t)n < want) {
		more = read_full(fd, buf + n, ask - (size_t)n);
		if (more < 0)
			return -1;
		n += more;
	}
	*eof = (size_t)n < ask;
	return n;
}

static int write_data(struct sink *s, struct archive *a, const struct tree_entry *e,
		      struct bufs *b, struct progress_state *p, struct xp_error *err)
{
	uint64_t left = e->size;
	int fd = open_input(e, err), ret = -1;
	unsigned char *buf, probe;
	ssize_t n;
	int eof = 0;

	if (fd < 0)
		return -1;
	while (left) {
		size_t want = left < READ_CHUNK ? (size_t)left : READ_CHUNK, k = b->next;

		b->next = (k + 1) % READ_BUFS;
		buf = b->v[k];
		/* the hasher may still be reading what this buffer held */
		hasher_wait(s->tar_hash, b->ticket[k]);
		s->lend_lo = buf;
		s->lend_hi = buf + READ_CHUNK;
		s->lend_ticket = &b->ticket[k];
		n = read_chunk(fd, buf, want, READ_CHUNK, &eof);
		if (n < 0) {
			xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", e->src);
			goto out;
		}
		if ((size_t)n < want) {
			xp_error_set(err, XP_ERR_LOCAL, "'%s' changed while being packed: it shrank",
				     e->src);
			goto out;
		}
		if ((size_t)n > want) {
			xp_error_set(err, XP_ERR_LOCAL, "'%s' changed while being packed: it grew",
				     e->src);
			goto out;
		}
		n = archive_write_data(a, buf, (size_t)n);
		s->lend_lo = s->lend_hi = NULL;
		if (n != (ssize_t)want) {
			arch_fail(s, a, "cannot write layer", err);
			goto out;
		}
		left -= (uint64_t)n;
		p->done += (uint64_t)n;
		if (p->total >= READ_CHUNK)
			xp_progress_update(p->o->progress, p->o->label, p->done, p->total);
	}
	n = eof ? 0 : read(fd, &probe, 1);
	if (n != 0) {
		if (n < 0)
			xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", e->src);
		else
			xp_error_set(err, XP_ERR_LOCAL, "'%s' changed while being packed: it grew",
				     e->src);
		goto out;
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

static int write_entry(struct sink *s, struct archive *a, struct archive_entry *ae,
		       const struct tree_entry *e, const struct layer_opts *o,
		       struct bufs *buf, struct progress_state *p, struct xp_error *err)
{
	archive_entry_clear(ae);
	archive_entry_set_pathname(ae, e->name);
	archive_entry_set_perm(ae, (mode_t)e->mode);
	archive_entry_set_uid(ae, 0);
	archive_entry_set_gid(ae, 0);
	archive_entry_set_mtime(ae, (time_t)o->mtime, 0);
	switch (e->type) {
	case TREE_DIR:
		archive_entry_set_filetype(ae, AE_IFDIR);
		break;
	case TREE_LINK:
		archive_entry_set_filetype(ae, AE_IFLNK);
		archive_entry_set_symlink(ae, e->link);
		break;
	case TREE_FILE:
		archive_entry_set_filetype(ae, AE_IFREG);
		archive_entry_set_size(ae, (la_int64_t)e->size);
		break;
	}
	if (archive_write_header(a, ae) != ARCHIVE_OK)
		return arch_fail(s, a, "cannot write layer", err);
	if (e->type == TREE_FILE && e->size && write_data(s, a, e, buf, p, err))
		return -1;
	return 0;
}

/* libarchive's pax writer converts names from the locale's character set to
 * UTF-8, and in the C locale (the CLI's) it cannot convert any non-ASCII
 * name. Names are UTF-8 already (tree.h), so the writer runs with a UTF-8
 * LC_CTYPE, for this thread only: UTF-8 to UTF-8 passes the bytes through as
 * they are (libarchive normalises only what it reads), and ASCII output is
 * unchanged. *loc stays 0 when the system has no C.UTF-8: only non-ASCII
 * names need it. */
static int utf8_begin(const struct tree_entry *const *entries, size_t n, locale_t *loc,
		      locale_t *prev, struct xp_error *err)
{
	size_t i;

	*loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (*loc) {
		*prev = uselocale(*loc);
		return 0;
	}
	for (i = 0; i < n; i++)
		if (utf8_has_non_ascii(entries[i]->name) ||
		    (entries[i]->link && utf8_has_non_ascii(entries[i]->link)))
			return xp_error_set(err, XP_ERR_LOCAL,
					    "cannot write the non-ASCII name '%s': this system has no C.UTF-8 locale",
					    entries[i]->name);
	return 0;
}

static void utf8_end(locale_t loc, locale_t prev)
{
	if (loc) {
		uselocale(prev);
		freelocale(loc);
	}
}

int layer_write(struct store *st, const struct tree_entry *const *entries, size_t n,
		const struct layer_opts *o, struct layer_result *out, struct xp_error *err)
{
	struct archive *a = NULL;
	struct archive_entry *ae = NULL;
	struct progress_state p = {o, 0, 0};
	struct sink s;
	struct bufs b;
	locale_t loc = (locale_t)0, prev = (locale_t)0;
	char diff_id[XP_DIGEST_SIZE], digest[XP_DIGEST_SIZE];
	uint64_t size;
	size_t i;
	int ret = -1;

	memset(&s, 0, sizeof(s));
	memset(&b, 0, sizeof(b));
	for (i = 0; i < n; i++)
		if (entries[i]->type == TREE_FILE)
			p.total += entries[i]->size;
	if (utf8_begin(entries, n, &loc, &prev, err))
		return -1;
	if (store_writer_open(st, &s.w, err)) {
		utf8_end(loc, prev);
		return -1;
	}
	s.tar_hash = hasher_start();
	for (i = 0; i < BATCHES; i++)
		s.b.v[i] = xmalloc(BATCH_SIZE);
	if (o->compression != LAYER_NONE) {
		s.blob_hash = digest_new();
		s.z = blockz_start(o->compression == LAYER_GZIP ? BLOCKZ_GZIP : BLOCKZ_ZSTD,
				   o->threads, blob_cb, &s);
	}
	a = archive_write_new();
	ae = archive_entry_new();
	if (!a || !ae) {
		xp_error_set(err, XP_ERR_LOCAL, "cannot write layer: out of memory");
		goto out;
	}
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter_none(a) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(a, 0) != ARCHIVE_OK ||
	    archive_write_open(a, &s, noop_cb, tar_write_cb, noop_cb) != ARCHIVE_OK) {
		arch_fail(&s, a, "cannot write layer", err);
		goto out;
	}
	for (i = 0; i < READ_BUFS; i++)
		b.v[i] = xmalloc(READ_CHUNK);
	for (i = 0; i < n; i++)
		if (write_entry(&s, a, ae, entries[i], o, &b, &p, err))
			goto out;
	if (archive_write_close(a) != ARCHIVE_OK) {
		arch_fail(&s, a, "cannot write layer", err);
		goto out;
	}
	if (flush_batch(&s) || (s.z && blockz_finish(s.z, &s.err))) {
		*err = s.err;
		goto out;
	}
	hasher_finish(s.tar_hash, diff_id);
	s.tar_hash = NULL;
	if (s.blob_hash)
		digest_final(s.blob_hash, digest);
	else
		memcpy(digest, diff_id, sizeof(digest));
	size = store_writer_size(s.w);
	ret = store_writer_commit(s.w, digest, err);
	s.w = NULL;
	if (ret)
		goto out;
	if (p.total >= READ_CHUNK)
		xp_progress_done(o->progress, o->label, p.total);
	memcpy(out->digest, digest, sizeof(out->digest));
	memcpy(out->diff_id, diff_id, sizeof(out->diff_id));
	out->size = size;
out:
	if (a)
		archive_write_free(a);
	archive_entry_free(ae);
	blockz_free(s.z);
	hasher_finish(s.tar_hash, NULL); /* before the buffers it may still read */
	digest_free(s.blob_hash);
	store_writer_abort(s.w);
	for (i = 0; i < READ_BUFS; i++)
		free(b.v[i]);
	for (i = 0; i < BATCHES; i++)
		free(s.b.v[i]);
	utf8_end(loc, prev);
	return ret;
}
