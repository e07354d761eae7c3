/*
 * base64.h — standard base64 (RFC 4648 §4, with padding), as used by DSSE
 * envelopes, cosign signature annotations and docker credentials.
 *
 * Encoding never wraps lines. Decoding is strict: the alphabet, padding and
 * length must be canonical for the standard alphabet; b64_decode_loose also
 * accepts the URL-safe alphabet and missing padding (DSSE readers must accept
 * both) and ignores ASCII whitespace (a signature file ends with a newline).
 */
#ifndef XPSHIP_COMMON_BASE64_H
#define XPSHIP_COMMON_BASE64_H

#include <stddef.h>

/* NUL-terminated encoding of len bytes (caller frees); *out_len (optional)
 * receives its length. */
char *b64_encode(const void *data, size_t len, size_t *out_len);

/* Decode into a new buffer (caller frees; NUL-terminated for convenience,
 * the NUL not counted in *out_len). Returns -1 on invalid input (nothing is
 * allocated then). */
int b64_decode(const char *s, size_t len, unsigned char **out, size_t *out_len);
int b64_decode_loose(const char *s, size_t len, unsigned char **out, size_t *out_len);

#endif
