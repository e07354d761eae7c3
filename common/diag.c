/*
 * diag.c — diagnostics for cmd/ (see diag.h).
 */
#include "common/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct {
	int quiet, verbose, color, github;
} st;

void diag_init(int quiet, int verbose, enum diag_color color)
{
	const char *nc = getenv("NO_COLOR");
	const char *gh = getenv("GITHUB_ACTIONS");

	st.quiet = quiet;
	st.verbose = verbose;
	if (color == DIAG_COLOR_ALWAYS)
		st.color = 1;
	else if (color == DIAG_COLOR_NEVER || (nc && *nc))
		st.color = 0;
	else
		st.color = isatty(STDERR_FILENO) && getenv("TERM") &&
			   strcmp(getenv("TERM"), "dumb") != 0;
	st.github = gh && strcmp(gh, "true") == 0;
}

int diag_is_quiet(void) { return st.quiet; }
int diag_is_verbose(void) { return st.verbose; }
int diag_github(void) { return st.github; }
void diag_set_github(int on) { st.github = on; }

static const char *sev_name(enum diag_sev sev)
{
	return sev == DIAG_ERROR ? "error" : sev == DIAG_WARNING ? "warning" : "note";
}

static const char *sev_color(enum diag_sev sev)
{
	return sev == DIAG_ERROR ? "\033[1;31m" : sev == DIAG_WARNING ? "\033[1;33m"
								     : "\033[1;36m";
}

static void vemit(enum diag_sev sev, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "xpship: ");
	if (st.color)
		strbuf_addf(&sb, "%s%s:\033[0m ", sev_color(sev), sev_name(sev));
	else
		strbuf_addf(&sb, "%s: ", sev_name(sev));
	strbuf_vaddf(&sb, fmt, ap);
	strbuf_addc(&sb, '\n');
	fflush(stdout);
	fwrite(sb.buf, 1, sb.len, stderr);
	strbuf_release(&sb);
}

void diag_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit(DIAG_ERROR, fmt, ap);
	va_end(ap);
}

void diag_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit(DIAG_WARNING, fmt, ap);
	va_end(ap);
}

void diag_note(const char *fmt, ...)
{
	va_list ap;

	if (st.quiet)
		return;
	va_start(ap, fmt);
	vemit(DIAG_NOTE, fmt, ap);
	va_end(ap);
}

void diag_verbose(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (!st.verbose)
		return;
	va_start(ap, fmt);
	strbuf_adds(&sb, "xpship: ");
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_addc(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stderr);
	strbuf_release(&sb);
}

void diag_github_escape(struct strbuf *out, const char *s, int property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': strbuf_adds(out, "%25"); break;
		case '\r': strbuf_adds(out, "%0D"); break;
		case '\n': strbuf_adds(out, "%0A"); break;
		case ':':
			strbuf_adds(out, property ? "%3A" : ":");
			break;
		case ',':
			strbuf_adds(out, property ? "%2C" : ",");
			break;
		default: strbuf_addc(out, *s);
		}
	}
}

void diag_github_annotation(struct strbuf *out, enum diag_sev sev, const char *file,
			    unsigned line, unsigned col, const char *title,
			    const char *msg)
{
	int sep = 0;

	strbuf_addf(out, "::%s", sev == DIAG_NOTE ? "notice" : sev_name(sev));
	if (file && *file) {
		strbuf_adds(out, " file=");
		diag_github_escape(out, file, 1);
		sep = 1;
		if (line) {
			strbuf_addf(out, ",line=%u", line);
			if (col)
				strbuf_addf(out, ",col=%u", col);
		}
	}
	if (title && *title) {
		strbuf_adds(out, sep ? ",title=" : " title=");
		diag_github_escape(out, title, 1);
	}
	strbuf_adds(out, "::");
	diag_github_escape(out, msg, 0);
}

static void vat(enum diag_sev sev, const char *file, unsigned line, unsigned col,
		const char *fmt, va_list ap)
{
	struct strbuf msg = STRBUF_INIT, sb = STRBUF_INIT;

	if (sev == DIAG_NOTE && st.quiet)
		return;
	strbuf_vaddf(&msg, fmt, ap);
	if (st.github) {
		diag_github_annotation(&sb, sev, file, line, col, NULL, msg.buf);
		strbuf_addc(&sb, '\n');
		fwrite(sb.buf, 1, sb.len, stdout);
		fflush(stdout);
	} else {
		if (st.color)
			strbuf_adds(&sb, "\033[1m");
		if (file && *file) {
			strbuf_adds(&sb, file);
			if (line) {
				strbuf_addf(&sb, ":%u", line);
				if (col)
					strbuf_addf(&sb, ":%u", col);
			}
			strbuf_adds(&sb, ": ");
		} else {
			strbuf_adds(&sb, "xpship: ");
		}
		if (st.color)
			strbuf_addf(&sb, "\033[0m%s%s:\033[0m ", sev_color(sev), sev_name(sev));
		else
			strbuf_addf(&sb, "%s: ", sev_name(sev));
		strbuf_add(&sb, msg.buf, msg.len);
		strbuf_addc(&sb, '\n');
		fflush(stdout);
		fwrite(sb.buf, 1, sb.len, stderr);
	}
	strbuf_release(&msg);
	strbuf_release(&sb);
}

void diag_at(enum diag_sev sev, const char *file, unsigned line, unsigned col,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vat(sev, file, line, col, fmt, ap);
	va_end(ap);
}

void diag_report(const struct xp_error *e)
{
	if (e->file[0])
		diag_at(DIAG_ERROR, e->file, e->line, e->col, "%s", e->msg);
	else
		diag_error("%s", e->msg[0] ? e->msg : "unknown error");
}

void diag_mask(const char *secret)
{
	struct strbuf sb = STRBUF_INIT;

	if (!st.github || !secret || !*secret)
		return;
	strbuf_adds(&sb, "::add-mask::");
	diag_github_escape(&sb, secret, 0);
	strbuf_addc(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stdout);
	fflush(stdout);
	strbuf_release(&sb);
}
