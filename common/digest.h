/*
 * digest.h — streaming SHA-256 (OpenSSL EVP) in OCI form "sha256:<64 hex>".
 *
 * A struct digest hashes any number of update() calls; final() writes the
 * NUL-terminated digest string and resets the context for reuse. Files are hashed
 * in fixed-size chunks, so memory does not grow with file size.
 */
#ifndef XPSHIP_COMMON_DIGEST_H
#define XPSHIP_COMMON_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#define XP_DIGEST_HEXLEN 64
#define XP_DIGEST_STRLEN 71   /* strlen("sha256:") + 64 */
#define XP_DIGEST_SIZE 72     /* with NUL */

struct digest;

struct digest *digest_new(void);
void digest_update(struct digest *d, const void *data, size_t len);
void digest_final(struct digest *d, char out[XP_DIGEST_SIZE]);
/* The raw 32-byte hash; resets the context like digest_final. */
void digest_final_raw(struct digest *d, unsigned char out[32]);
void digest_free(struct digest *d);

void digest_buf(const void *data, size_t len, char out[XP_DIGEST_SIZE]);

/* Hash a whole file by path or open descriptor (read from its current offset).
 * `size` (optional) receives the byte count. Errors are XP_ERR_LOCAL. */
int digest_file(const char *path, char out[XP_DIGEST_SIZE], uint64_t *size,
		struct xp_error *err);
int digest_fd(int fd, const char *name, char out[XP_DIGEST_SIZE], uint64_t *size,
	      struct xp_error *err);

/* 1 when s is "sha256:" followed by exactly 64 lowercase hex digits. */
int digest_valid(const char *s);

/* The hex part of a valid digest (borrowed pointer into d). */
const char *digest_hex(const char *d);

#endif
