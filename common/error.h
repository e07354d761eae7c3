/*
 * error.h — the caller-owned error every library function fills.
 *
 * Libraries never print and never exit: they return 0 on success, -1 on failure
 * and describe the failure in a struct xp_error the caller passed in. The message
 * follows the house form "<what> '<subject>': <cause>" (lowercase, no full stop);
 * cmd/ prefixes "xpship: error: " or, for input errors with a position,
 * "file:line:col: error: ". `cls` says what kind of failure it was (enum
 * xp_err); libraries know nothing of exit codes: only cmd/ maps a class to one,
 * in one table (cmd/exitcode.c).
 */
#ifndef XPSHIP_COMMON_ERROR_H
#define XPSHIP_COMMON_ERROR_H

#include <stddef.h>

#define XP_ERR_MSG_MAX 1024
#define XP_ERR_FILE_MAX 512

/* What kind of failure an error is. A caller decides by class, never by message:
 * "absent" (a tag that is not there: maybe a first release) is not "present
 * but wrong" (a digest mismatch: never acceptable). */
enum xp_err {
	XP_ERR_NONE = 0,
	XP_ERR_NOT_FOUND,   /* a file, tag, manifest or blob that is not there */
	XP_ERR_INTEGRITY,   /* bytes that are not what they claim: digest, size, signature */
	XP_ERR_REFUSED,     /* well-formed and authentic, but a check refuses it */
	XP_ERR_MALFORMED,   /* input that does not parse or breaks its schema */
	XP_ERR_LOCAL,       /* the local system failed: I/O, memory, permissions */
	XP_ERR_REMOTE,      /* a registry or network failure */
	XP_ERR_USAGE,       /* a call the caller should not have made (bad arguments) */
};

struct xp_error {
	enum xp_err cls;             /* XP_ERR_NONE when clear */
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

/* Set class and message; always returns -1 so callers can `return xp_error_set(...)`.
 * A NULL e is allowed (the error is dropped). */
int xp_error_set(struct xp_error *e, enum xp_err cls, const char *fmt, ...) XP_PRINTF(3, 4);

/* As xp_error_set, with the position of the input that caused it. */
int xp_error_at(struct xp_error *e, enum xp_err cls, const char *file, unsigned line,
		unsigned col, const char *fmt, ...) XP_PRINTF(6, 7);

/* As xp_error_set, appending ": <strerror(errno)>" (errno read on entry). */
int xp_error_errno(struct xp_error *e, enum xp_err cls, const char *fmt, ...) XP_PRINTF(3, 4);

/* As xp_error_set, appending ": <first OpenSSL error>" and clearing the queue. */
int xp_error_openssl(struct xp_error *e, enum xp_err cls, const char *fmt, ...) XP_PRINTF(3, 4);

/* Prepend "<context>: " to the current message (keeps class and position). */
void xp_error_prefix(struct xp_error *e, const char *fmt, ...) XP_PRINTF(2, 3);

#endif
