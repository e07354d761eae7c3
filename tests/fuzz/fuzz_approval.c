/*
 * fuzz_approval.c — libFuzzer target: the approvers file and waiver files
 * (packager/approvers.c, waiver.c, approval.c). The first byte picks which:
 * even, the input is an approvers file (its keys inline pem or files that do
 * not exist); odd, a waiver envelope checked against a fixed approvers file
 * with one generated key. Neither may crash, leak, or accept a waiver its
 * key did not sign.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "packager/approval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct approvers fixed;
static char dir[] = "/tmp/fuzz_approval.XXXXXX";

static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		abort();
}

/* The scratch directory goes when the fuzzer exits. */
static void cleanup(void)
{
	char *p = xasprintf("%s/input", dir);

	unlink(p);
	free(p);
	p = xasprintf("%s/fixed.yaml", dir);
	unlink(p);
	free(p);
	rmdir(dir);
}

static void setup(void)
{
	struct sign_key *k;
	struct xp_error err;
	struct strbuf sb = STRBUF_INIT;
	char *pem, *line, *nl, *path;

	if (!mkdtemp(dir) || key_generate(KEY_ED25519, &k, &err))
		abort();
	atexit(cleanup);
	pem = key_public_pem(k);
	strbuf_adds(&sb, "approvers:\n  - name: alice\n    pem: |\n");
	for (line = pem; (nl = strchr(line, '\n')); line = nl + 1)
		strbuf_addf(&sb, "      %.*s\n", (int)(nl - line), line);
	path = xasprintf("%s/fixed.yaml", dir);
	write_file(path, sb.buf, sb.len);
	if (approvers_load(path, &fixed, &err))
		abort();
	free(path);
	free(pem);
	strbuf_release(&sb);
	key_free(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct approvers a;
	struct waiver_info w;
	struct xp_error err;
	char *path;

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	path = xasprintf("%s/input", dir);
	write_file(path, data + 1, size - 1);
	memset(&a, 0, sizeof(a));
	if (data[0] % 2 == 0) {
		if (approvers_load(path, &a, &err) == 0) {
			if (a.n == 0)
				__builtin_trap();
			approvers_release(&a);
		}
	} else if (waiver_load(path, &fixed, &w, &err) == 0) {
		/* a random input cannot carry alice's signature */
		__builtin_trap();
	}
	free(path);
	return 0;
}
