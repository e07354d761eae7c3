/*
 * stream.h — a tiny reader interface so a blob moves file → hash → network
 * without being held in memory.
 *
 * read() returns the number of bytes read (0 at the end) or -1 with err filled.
 * close() releases the reader and everything it owns (NULL is a no-op).
 * A verifying reader checks size and SHA-256 as bytes pass and fails the read
 * that reaches the end (or overruns the size) when they do not match: a consumer
 * that reads to the end never accepts corrupt content silently.
 */
#ifndef XPSHIP_COMMON_STREAM_H
#define XPSHIP_COMMON_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/digest.h"
#include "common/error.h"

struct xp_reader {
	ssize_t (*read)(struct xp_reader *r, void *buf, size_t len, struct xp_error *err);
	void (*close)(struct xp_reader *r);
	/* Set by verifying readers: the digest ("sha256:...") and size (-1: any)
	 * their final read checks (borrowed from the reader). NULL otherwise. */
	const char *verifies;
	int64_t verifies_size;
};

static inline ssize_t reader_read(struct xp_reader *r, void *buf, size_t len,
				  struct xp_error *err)
{
	return r->read(r, buf, len, err);
}

void reader_close(struct xp_reader *r);

/* Reads an open descriptor, which the reader owns and closes. `name` is used in
 * error messages (copied). */
struct xp_reader *reader_from_fd(int fd, const char *name);
/* Reads a memory buffer, copied. */
struct xp_reader *reader_from_buf(const void *data, size_t len);
/* Wraps `inner` (owned) checking `expected` ("sha256:...") and `size` (-1: any).
 * A mismatch fails with XP_ERR_INTEGRITY and names `what`. When `inner`
 * already verifies the same digest and size (its `verifies`), it is returned
 * as is: the content is hashed once. */
struct xp_reader *reader_verify(struct xp_reader *inner, const char *expected,
				int64_t size, const char *what);

/* Where a verifying reader sends the bytes to hash: update() in order, then
 * final() once (the digest, "sha256:..."), then release(); all with ctx. */
struct xp_hash_sink {
	void (*update)(void *ctx, const void *data, size_t len);
	void (*final)(void *ctx, char out[XP_DIGEST_SIZE]);
	void (*release)(void *ctx);
	void *ctx;
};

/* reader_verify, hashing through `sink` (owned: released with the reader),
 * e.g. on another thread. */
struct xp_reader *reader_verify_via(struct xp_reader *inner, const char *expected,
				    int64_t size, const char *what,
				    const struct xp_hash_sink *sink);

/* Read everything (at most max bytes) into a NUL-terminated buffer. */
int reader_slurp(struct xp_reader *r, size_t max, char **out, size_t *len,
		 struct xp_error *err);

#endif
