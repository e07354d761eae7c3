/*
 * validate_format.c — the value formats of experiment records (ids, URIs,
 * repositories, commits, RFC 3339 times) and how findings quote values.
 */
#include "pipeline/validate_impl.h"

#include "common/strbuf.h"
#include "common/suggest.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUOTE_MAX 60   /* characters of a value shown in a message */

void v_add(struct vctx *c, enum finding_sev sev, const char *code, const struct doc_node *n,
	   const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	findings_add(c->f, sev, code, c->file, n ? n->line : 1, n ? n->col : 1, "%s", sb.buf);
	strbuf_release(&sb);
}

const char *v_quote(const char *s, char *buf, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	size_t shown = 0;

	strbuf_addc(&sb, '\'');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (shown >= QUOTE_MAX) {
			strbuf_adds(&sb, "...");
			break;
		}
		if (ch == '\n')
			strbuf_adds(&sb, "\\n");
		else if (ch == '\t')
			strbuf_adds(&sb, "\\t");
		else if (ch < 0x20 || ch == 0x7f)
			strbuf_addf(&sb, "\\x%02x", ch);
		else if (ch == '\\' || ch == '\'')
			strbuf_addf(&sb, "\\%c", ch);
		else
			strbuf_addc(&sb, (char)ch);
		/* count characters, not UTF-8 continuation bytes */
		shown += (ch & 0xc0) != 0x80;
	}
	strbuf_addc(&sb, '\'');
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
	return buf;
}

const char *v_describe(const struct doc_node *n, char *buf, size_t size)
{
	char q[256];

	if (!n || n->type != DOC_SCALAR || n->kind == DOC_NULL)
		snprintf(buf, size, "%s", doc_type_name(n));
	else if (n->kind == DOC_STR && n->len == 0)
		snprintf(buf, size, "an empty string");
	else
		snprintf(buf, size, "%s %s", doc_type_name(n), v_quote(n->str, q, sizeof(q)));
	return buf;
}

const char *v_text(const struct doc_node *n)
{
	if (!n || n->type != DOC_SCALAR || strlen(n->str) != n->len || n->len == 0)
		return NULL;
	return n->kind == DOC_STR || n->kind == DOC_INT ? n->str : NULL;
}

char *v_resolve(const struct vctx *c, const char *rel)
{
	if (!*c->base || rel[0] == '/')
		return xstrdup(rel);
	return xasprintf("%s/%s", c->base, rel);
}

/* [A-Za-z0-9][A-Za-z0-9._-]*, at most 128 characters */
int v_is_id(const char *s)
{
	size_t i;

	if (!isalnum((unsigned char)s[0]))
		return 0;
	for (i = 1; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return 0;
	return i <= 128;
}

static int no_space(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* scheme ":" and something after it (RFC 3986), no blanks */
int v_is_uri(const char *s)
{
	size_t i = 0;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
		i++;
	return s[i] == ':' && s[i + 1] && no_space(s);
}

/* a URL with "://" or the scp-like "[user@]host:path" git accepts */
int v_is_repository(const char *s)
{
	const char *colon = strchr(s, ':'), *slash = strchr(s, '/');

	if (!no_space(s) || !colon || colon == s || !colon[1])
		return 0;
	if (strncmp(colon, "://", 3) == 0)
		return v_is_uri(s) && colon[3] && colon[3] != '/';
	return !slash || slash > colon;
}

int v_is_commit(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return !s[n] && (n == 40 || n == 64);
}

static int digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* days since 1970-01-01 of a proleptic Gregorian date */
static long long days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int v_parse_time(const char *s, double *epoch)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0, leap;
	double frac = 0, scale = 0.1;
	const char *p;

	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
	    digits(s + 8, 2, &d) || !strchr("Tt ", s[10]) || !s[10] ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &sec))
		return 0;
	p = s + 19;
	if (*p == '.') {
		if (!isdigit((unsigned char)p[1]))
			return 0;
		for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om))
			return 0;
		p += 6;
	} else {
		return 0;
	}
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (*p || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap) ||
	    h > 23 || mi > 59 || sec > 60 || oh > 23 || om > 59)
		return 0;
	if (epoch)
		*epoch = (double)days_from_civil(y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 +
			 sec + frac - sign * (oh * 3600.0 + om * 60.0);
	return 1;
}

/* 1 when word is the initials of cand's words: "lr" for "learning_rate" */
static int initials_match(const char *word, const char *cand)
{
	size_t n = 0, wl = strlen(word);
	int start = 1;

	if (wl < 2)
		return 0;
	for (; *cand; cand++) {
		if (*cand == '_' || *cand == '-' || *cand == '.') {
			start = 1;
			continue;
		}
		if (start) {
			if (n >= wl || tolower((unsigned char)word[n]) != tolower((unsigned char)*cand))
				return 0;
			n++;
		}
		start = 0;
	}
	return n == wl;
}

const char *v_suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = suggest_closest(word, cands, n), *hit = NULL;
	size_t i;

	if (best)
		return best;
	for (i = 0; i < n; i++) {
		/* both ways: "lr" for "learning_rate" and "learning_rate" for "lr" */
		if (initials_match(word, cands[i]) || initials_match(cands[i], word)) {
			if (hit)
				return NULL;
			hit = cands[i];
		}
	}
	return hit;
}
