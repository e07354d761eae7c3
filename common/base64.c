/*
 * base64.c — base64 over OpenSSL's EVP_EncodeBlock / EVP_DecodeBlock (see
 * base64.h). What OpenSSL leaves to the caller is done here: the loose form is
 * normalised first (whitespace dropped, URL-safe alphabet mapped, padding
 * restored), the decoded length is corrected for padding, and non-canonical
 * input (bad padding, stray bits in the last quantum) is rejected by
 * re-encoding and comparing.
 */
#include "common/base64.h"
#include "common/strbuf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

char *b64_encode(const void *data, size_t len, size_t *out_len)
{
	size_t n = (len + 2) / 3 * 4;
	char *out;
	int o;

	if (len > INT_MAX / 4 * 3)
		abort(); /* EVP takes int lengths; nothing xpship encodes is that big */
	out = xmalloc(n + 1);
	o = EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	out[o] = '\0';
	if (out_len)
		*out_len = (size_t)o;
	return out;
}

/* Canonical, padded standard base64 only. */
static int decode_strict(const char *s, size_t len, unsigned char **out, size_t *out_len)
{
	unsigned char *buf;
	size_t pad = 0, i, n;
	char *again;
	int ok;

	if (len % 4 || len > INT_MAX)
		return -1;
	while (pad < 2 && pad < len && s[len - 1 - pad] == '=')
		pad++;
	for (i = 0; i < len - pad; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
			    s[i]) || s[i] == '\0')
			return -1;
	buf = xmalloc(len / 4 * 3 + 1);
	if (EVP_DecodeBlock(buf, (const unsigned char *)s, (int)len) < 0) {
		free(buf);
		return -1;
	}
	n = len / 4 * 3 - pad;
	/* the same bytes must encode back to exactly this text */
	again = b64_encode(buf, n, NULL);
	ok = strlen(again) == len && memcmp(again, s, len) == 0;
	free(again);
	if (!ok) {
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*out = buf;
	*out_len = n;
	return 0;
}

int b64_decode(const char *s, size_t len, unsigned char **out, size_t *out_len)
{
	return decode_strict(s, len, out, out_len);
}

int b64_decode_loose(const char *s, size_t len, unsigned char **out, size_t *out_len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int ret;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
			continue;
		strbuf_addc(&sb, c == '-' ? '+' : c == '_' ? '/' : c);
	}
	if (!memchr(sb.buf, '=', sb.len))
		while (sb.len % 4)
			strbuf_addc(&sb, '=');
	ret = decode_strict(sb.buf, sb.len, out, out_len);
	strbuf_release(&sb);
	return ret;
}
