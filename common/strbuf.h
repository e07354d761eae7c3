/*
 * strbuf.h — a growable, always NUL-terminated byte buffer.
 *
 * Rules: `buf` is never NULL after strbuf_init (it points at a shared empty
 * string until the first growth); `len` excludes the terminating NUL, which is
 * always present; bytes may include NULs. Allocation failure aborts (xpship treats
 * out-of-memory as fatal, like git). strbuf_detach hands the buffer to the caller,
 * who frees it with free().
 */
#ifndef XPSHIP_COMMON_STRBUF_H
#define XPSHIP_COMMON_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "common/error.h"

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define STRBUF_INIT { strbuf_empty_, 0, 0 }
extern char strbuf_empty_[1];

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) XP_PRINTF(2, 3);
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void strbuf_reset(struct strbuf *sb);

/* xmalloc-style helpers: abort with a message on allocation failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) XP_PRINTF(1, 2);
/* Overwrite the whole heap block p (from malloc; NULL is fine) with zeros, in a
 * way the compiler keeps. */
void xwipe(void *p);
/* xwipe, then free: for memory that may have held a secret. cmd/main.c makes
 * it jansson's free, so parsed credentials and tokens do not linger. */
void xfree_wiped(void *p);

#endif
