/*
 * error.c — filling struct xp_error (see error.h for the contract).
 */
#include "common/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

void xp_error_clear(struct xp_error *e)
{
	if (!e)
		return;
	e->cls = XP_ERR_NONE;
	e->msg[0] = '\0';
	e->file[0] = '\0';
	e->line = e->col = 0;
}

static void vset(struct xp_error *e, enum xp_err cls, const char *fmt, va_list ap)
{
	e->cls = cls;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	e->file[0] = '\0';
	e->line = e->col = 0;
}

int xp_error_set(struct xp_error *e, enum xp_err cls, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vset(e, cls, fmt, ap);
	va_end(ap);
	return -1;
}

int xp_error_at(struct xp_error *e, enum xp_err cls, const char *file, unsigned line,
		unsigned col, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vset(e, cls, fmt, ap);
	va_end(ap);
	snprintf(e->file, sizeof(e->file), "%s", file ? file : "");
	e->line = line;
	e->col = col;
	return -1;
}

static void append(struct xp_error *e, const char *cause)
{
	size_t n = strlen(e->msg);

	if (n < sizeof(e->msg) &&
	    snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", cause) >= (int)(sizeof(e->msg) - n))
		memcpy(e->msg + sizeof(e->msg) - 4, "...", 4);
}

int xp_error_errno(struct xp_error *e, enum xp_err cls, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vset(e, cls, fmt, ap);
	va_end(ap);
	append(e, strerror(saved));
	errno = saved;
	return -1;
}

int xp_error_openssl(struct xp_error *e, enum xp_err cls, const char *fmt, ...)
{
	char buf[256];
	unsigned long err;
	va_list ap;

	err = ERR_peek_last_error();
	if (err)
		ERR_error_string_n(err, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "unknown OpenSSL error");
	ERR_clear_error();
	if (!e)
		return -1;
	va_start(ap, fmt);
	vset(e, cls, fmt, ap);
	va_end(ap);
	append(e, buf);
	return -1;
}

void xp_error_prefix(struct xp_error *e, const char *fmt, ...)
{
	char ctx[XP_ERR_MSG_MAX], old[XP_ERR_MSG_MAX];
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	if (snprintf(e->msg, sizeof(e->msg), "%s: %s", ctx, old) >= (int)sizeof(e->msg))
		memcpy(e->msg + sizeof(e->msg) - 4, "...", 4);
}
