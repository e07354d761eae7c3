/*
 * error.h — the caller-owned error every library function fills.
 *
 * Libraries never print and never exit: they return 0 on success, -1 on failure
 * and describe the failure in a struct xp_error the caller passed in. The message
 * follows the house form "<what> '<subject>': <cause>" (lowercase, no full stop);
 * cmd/ prefixes "xpship: error: " or, for input errors with a position,
 * "file:line:col: error: ". `code` is the exit class (enum xp_exit).
 */
#ifndef XPSHIP_COMMON_ERROR_H
#define XPSHIP_COMMON_ERROR_H

#include <stddef.h>

#define XP_ERR_MSG_MAX 1024
#define XP_ERR_FILE_MAX 512

struct xp_error {
	int code;                    /* enum xp_exit; 0 when clear */
	char msg[XP_ERR_MSG_MAX];
	char file[XP_ERR_FILE_MAX];  /* input file of a positioned error, else "" */
	unsigned line, col;          /* 1-based; 0 when there is no position */
};

#if defined(__GNUC__)
#define XP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define XP_PRINTF(a, b)
#endif

void xp_error_clear(struct xp_error *e);

/* Set code and message; always returns -1 so callers can `return xp_error_set(...)`.
 * A NULL e is allowed (the error is dropped). */
int xp_error_set(struct xp_error *e, int code, const char *fmt, ...) XP_PRINTF(3, 4);

/* As xp_error_set, with the position of the input that caused it. */
int xp_error_at(struct xp_error *e, int code, const char *file, unsigned line,
		unsigned col, const char *fmt, ...) XP_PRINTF(6, 7);

/* As xp_error_set, appending ": <strerror(errno)>" (errno read on entry). */
int xp_error_errno(struct xp_error *e, int code, const char *fmt, ...) XP_PRINTF(3, 4);

/* As xp_error_set, appending ": <first OpenSSL error>" and clearing the queue. */
int xp_error_openssl(struct xp_error *e, int code, const char *fmt, ...) XP_PRINTF(3, 4);

/* Prepend "<context>: " to the current message (keeps code and position). */
void xp_error_prefix(struct xp_error *e, const char *fmt, ...) XP_PRINTF(2, 3);

#endif
