/*
 * stream.c — file, memory and verifying readers (see stream.h).
 */
#include "common/stream.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void reader_close(struct xp_reader *r)
{
	if (r)
		r->close(r);
}

struct fd_reader {
	struct xp_reader r;
	int fd;
	char *name;
};

static ssize_t fd_read(struct xp_reader *r, void *buf, size_t len, struct xp_error *err)
{
	struct fd_reader *f = (struct fd_reader *)r;

	for (;;) {
		ssize_t n = read(f->fd, buf, len);

		if (n >= 0)
			return n;
		if (errno != EINTR)
			return xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", f->name);
	}
}

static void fd_close(struct xp_reader *r)
{
	struct fd_reader *f = (struct fd_reader *)r;

	close(f->fd);
	free(f->name);
	free(f);
}

struct xp_reader *reader_from_fd(int fd, const char *name)
{
	struct fd_reader *f = xcalloc(1, sizeof(*f));

	f->r.read = fd_read;
	f->r.close = fd_close;
	f->fd = fd;
	f->name = xstrdup(name);
	return &f->r;
}

struct buf_reader {
	struct xp_reader r;
	char *data;
	size_t len, off;
};

static ssize_t buf_read(struct xp_reader *r, void *buf, size_t len, struct xp_error *err)
{
	struct buf_reader *b = (struct buf_reader *)r;
	size_t n = b->len - b->off;

	(void)err;
	if (n > len)
		n = len;
	memcpy(buf, b->data + b->off, n);
	b->off += n;
	return (ssize_t)n;
}

static void buf_close(struct xp_reader *r)
{
	struct buf_reader *b = (struct buf_reader *)r;

	free(b->data);
	free(b);
}

struct xp_reader *reader_from_buf(const void *data, size_t len)
{
	struct buf_reader *b = xcalloc(1, sizeof(*b));

	b->r.read = buf_read;
	b->r.close = buf_close;
	b->data = xmalloc(len ? len : 1);
	if (len)
		memcpy(b->data, data, len);
	b->len = len;
	return &b->r;
}

struct verify_reader {
	struct xp_reader r;
	struct xp_reader *inner;
	struct xp_hash_sink sink;
	char expected[XP_DIGEST_SIZE];
	int64_t size;
	uint64_t seen;
	char *what;
	int finished;
};

static ssize_t verify_read(struct xp_reader *r, void *buf, size_t len, struct xp_error *err)
{
	struct verify_reader *v = (struct verify_reader *)r;
	char got[XP_DIGEST_SIZE];
	ssize_t n;

	if (v->finished)
		return 0;
	n = v->inner->read(v->inner, buf, len, err);
	if (n < 0)
		return -1;
	if (n > 0) {
		v->seen += (uint64_t)n;
		if (v->size >= 0 && v->seen > (uint64_t)v->size)
			return xp_error_set(err, XP_ERR_INTEGRITY,
					    "%s: more than the expected %lld bytes", v->what,
					    (long long)v->size);
		v->sink.update(v->sink.ctx, buf, (size_t)n);
		return n;
	}
	v->finished = 1;
	if (v->size >= 0 && v->seen != (uint64_t)v->size)
		return xp_error_set(err, XP_ERR_INTEGRITY, "%s: size %llu, expected %lld", v->what,
				    (unsigned long long)v->seen, (long long)v->size);
	v->sink.final(v->sink.ctx, got);
	if (strcmp(got, v->expected) != 0)
		return xp_error_set(err, XP_ERR_INTEGRITY, "%s: digest %s, expected %s", v->what,
				    got, v->expected);
	return 0;
}

static void verify_close(struct xp_reader *r)
{
	struct verify_reader *v = (struct verify_reader *)r;

	reader_close(v->inner);
	v->sink.release(v->sink.ctx);
	free(v->what);
	free(v);
}

static void digest_sink_update(void *ctx, const void *data, size_t len)
{
	digest_update(ctx, data, len);
}

static void digest_sink_final(void *ctx, char out[XP_DIGEST_SIZE])
{
	digest_final(ctx, out);
}

static void digest_sink_release(void *ctx)
{
	digest_free(ctx);
}

struct xp_reader *reader_verify_via(struct xp_reader *inner, const char *expected,
				    int64_t size, const char *what,
				    const struct xp_hash_sink *sink)
{
	struct verify_reader *v;

	if (inner->verifies && strcmp(inner->verifies, expected) == 0 &&
	    (size < 0 || inner->verifies_size == size)) {
		sink->release(sink->ctx);
		return inner;
	}
	v = xcalloc(1, sizeof(*v));
	v->r.read = verify_read;
	v->r.close = verify_close;
	v->inner = inner;
	v->sink = *sink;
	snprintf(v->expected, sizeof(v->expected), "%s", expected);
	v->size = size;
	v->what = xstrdup(what);
	v->r.verifies = v->expected;
	v->r.verifies_size = size;
	return &v->r;
}

struct xp_reader *reader_verify(struct xp_reader *inner, const char *expected,
				int64_t size, const char *what)
{
	struct xp_hash_sink sink = {digest_sink_update, digest_sink_final,
				    digest_sink_release, NULL};

	if (inner->verifies && strcmp(inner->verifies, expected) == 0 &&
	    (size < 0 || inner->verifies_size == size))
		return inner;
	sink.ctx = digest_new();
	return reader_verify_via(inner, expected, size, what, &sink);
}

int reader_slurp(struct xp_reader *r, size_t max, char **out, size_t *len,
		 struct xp_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];

	for (;;) {
		ssize_t n = r->read(r, buf, sizeof(buf), err);

		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		if (sb.len + (size_t)n > max) {
			xp_error_set(err, XP_ERR_MALFORMED, "content larger than %zu bytes", max);
			goto fail;
		}
		strbuf_add(&sb, buf, (size_t)n);
	}
	if (len)
		*len = sb.len;
	*out = strbuf_detach(&sb, NULL);
	return 0;
fail:
	strbuf_release(&sb);
	return -1;
}
