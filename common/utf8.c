/*
 * utf8.c — strict UTF-8 validation and quoting (see utf8.h).
 */
#include "common/utf8.h"
#include "common/strbuf.h"

#include <stdio.h>

size_t utf8_seq_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;
	unsigned cp;

	if (!s[0])
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	/* a NUL fails the continuation test: never read past the end */
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

int utf8_valid(const char *s)
{
	while (*s) {
		size_t n = utf8_seq_len(s);

		if (!n)
			return 0;
		s += n;
	}
	return 1;
}

int utf8_has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

char *utf8_quote(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	while (*s) {
		size_t n = utf8_seq_len(s);
		unsigned char c = (unsigned char)*s;

		if (n > 1 || (n == 1 && c >= 0x20 && c != 0x7f && c != '\\')) {
			strbuf_add(&sb, s, n);
			s += n;
			continue;
		}
		if (c == '\\')
			strbuf_adds(&sb, "\\\\");
		else
			strbuf_addf(&sb, "\\x%02x", c);
		s++;
	}
	return strbuf_detach(&sb, NULL);
}
