/*
 * fuzz_cosign_key.c — libFuzzer target: cosign's encrypted key files
 * (packager/keys_cosign.c). The input is tried twice: as PEM text, and as the
 * JSON body wrapped in the cosign PEM armour. Parsing only: what parses must
 * hold the sizes the decryption relies on (nothing is decrypted, so scrypt's
 * cost does not slow the run).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base64.h"
#include "common/strbuf.h"
#include "packager/keys_cosign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *pem, size_t len)
{
	struct cosign_key_file f;
	struct xp_error err;

	xp_error_clear(&err);
	if (cosign_key_parse(pem, len, "f", &f, &err)) {
		if (!err.msg[0])
			__builtin_trap();
		return;
	}
	if (f.nonce_len != COSIGN_NONCE_SIZE || f.ciphertext_len <= 16 || !f.salt_len ||
	    f.r != 8 || f.p != 1)
		__builtin_trap();
	cosign_key_file_release(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	char *b64;
	size_t i, n;

	check((const char *)data, size);
	b64 = b64_encode(data, size, &n);
	strbuf_addf(&sb, "-----BEGIN %s-----\n", COSIGN_PEM_SIGSTORE);
	for (i = 0; i < n; i += 64)
		strbuf_addf(&sb, "%.64s\n", b64 + i);
	strbuf_addf(&sb, "-----END %s-----\n", COSIGN_PEM_SIGSTORE);
	check(sb.buf, sb.len);
	strbuf_release(&sb);
	free(b64);
	return 0;
}
