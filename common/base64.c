/*
 * base64.c — base64 encode/decode (see base64.h). Written out rather than
 * taken from EVP_EncodeBlock/EVP_DecodeBlock: those neither reject
 * non-canonical padding nor report the decoded length exactly.
 */
#include "common/base64.h"
#include "common/strbuf.h"

#include <stdlib.h>
#include <string.h>

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *b64_encode(const void *data, size_t len, size_t *out_len)
{
	const unsigned char *p = data;
	size_t n = (len + 2) / 3 * 4, i, o = 0;
	char *out = xmalloc(n + 1);

	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];

		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = alphabet[v >> 6 & 63];
		out[o++] = alphabet[v & 63];
	}
	if (i < len) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < len ? (unsigned)p[i + 1] << 8 : 0);

		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = i + 1 < len ? alphabet[v >> 6 & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	if (out_len)
		*out_len = o;
	return out;
}

static int value(char c, int loose)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || (loose && c == '-'))
		return 62;
	if (c == '/' || (loose && c == '_'))
		return 63;
	return -1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int decode(const char *s, size_t len, int loose, unsigned char **out,
		  size_t *out_len)
{
	unsigned char *buf = xmalloc(len / 4 * 3 + 4);
	size_t i, o = 0, n = 0, pad = 0;
	unsigned acc = 0;

	for (i = 0; i < len; i++) {
		int v;

		if (loose && is_space(s[i]))
			continue;
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad)
			goto bad;               /* data after padding */
		v = value(s[i], loose);
		if (v < 0)
			goto bad;
		acc = acc << 6 | (unsigned)v;
		if (++n % 4 == 0) {
			buf[o++] = (unsigned char)(acc >> 16);
			buf[o++] = (unsigned char)(acc >> 8);
			buf[o++] = (unsigned char)acc;
			acc = 0;
		}
	}
	switch (n % 4) {
	case 0:
		if (pad)
			goto bad;
		break;
	case 1:
		goto bad;
	case 2:
		if ((pad != 2 && !(loose && pad == 0)) || (acc & 0xf))
			goto bad;
		buf[o++] = (unsigned char)(acc >> 4);
		break;
	case 3:
		if ((pad != 1 && !(loose && pad == 0)) || (acc & 0x3))
			goto bad;
		buf[o++] = (unsigned char)(acc >> 10);
		buf[o++] = (unsigned char)(acc >> 2);
		break;
	}
	buf[o] = '\0';
	*out = buf;
	*out_len = o;
	return 0;
bad:
	free(buf);
	return -1;
}

int b64_decode(const char *s, size_t len, unsigned char **out, size_t *out_len)
{
	return decode(s, len, 0, out, out_len);
}

int b64_decode_loose(const char *s, size_t len, unsigned char **out, size_t *out_len)
{
	return decode(s, len, 1, out, out_len);
}
