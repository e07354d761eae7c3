/*
 * verify-blob.c — `xpship verify-blob`: verify a file's signature.
 */
#include "cmd/cmd.h"
#include "common/base64.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "packager/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIG_FILE_MAX (64 * 1024)

static const struct cmd_opt options[] = {
	{"key", 'k', "PUB", 'k',
	 "the public key: a PKIX PEM file or env://VAR"},
	{"signature", 's', "FILE", 's',
	 "the signature"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "verify-blob",
	.synopsis =
	"usage: xpship verify-blob --key PUB --signature SIGFILE FILE\n"
	"\n"
	"Verify FILE against a signature made by 'xpship sign-blob', 'cosign sign-blob'\n"
	"or 'openssl dgst -sha256 -sign' (ECDSA P-256, RSA) / 'openssl pkeyutl -sign\n"
	"-rawin' (Ed25519). SIGFILE holds the signature in base64 or raw (DER).\n",
	.opts = options,
	.notes =
	"Exit codes: 0 verified, 1 the signature does not match, 2 usage,\n"
	"3 malformed key or signature, 4 local error.\n",
};

int cmd_verify_blob(int argc, char **argv)
{
	const char *key_spec = NULL, *sig_path = NULL, *file;
	struct sign_key *key = NULL;
	unsigned char *sig = NULL;
	struct xp_error err;
	char *raw = NULL;
	size_t raw_len = 0, sig_len = 0;
	int c, ret = XP_EXIT_OK;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1) {
		switch (c) {
		case 'k': key_spec = optarg; break;
		case 's': sig_path = optarg; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (!key_spec)
		return cmd_usage_error("verify-blob", "missing --key PUB");
	if (!sig_path)
		return cmd_usage_error("verify-blob", "missing --signature SIGFILE");
	if (optind + 1 != argc)
		return cmd_usage_error("verify-blob", optind < argc ? "too many arguments"
								     : "missing FILE");
	file = argv[optind];
	if (key_read_public(key_spec, &key, &err) ||
	    file_read_all(sig_path, SIG_FILE_MAX, &raw, &raw_len, &err))
		goto fail;
	/* base64 (cosign, sign-blob) or raw DER/Ed25519 bytes */
	if (b64_decode_loose(raw, raw_len, &sig, &sig_len)) {
		sig = (unsigned char *)raw;
		sig_len = raw_len;
		raw = NULL;
	}
	if (sig_len == 0) {
		xp_error_set(&err, XP_ERR_MALFORMED, "malformed signature '%s': it is empty", sig_path);
		goto fail;
	}
	if (key_verify_file(key, file, sig, sig_len, &err)) {
		if (err.cls == XP_ERR_INTEGRITY)
			xp_error_prefix(&err, "verification failed for '%s' (signature '%s', key '%s')",
					file, sig_path, key_spec);
		goto fail;
	}
	printf("Verified OK: %s (%s key %.12s)\n", file, key_type_name(key), key_id(key));
	goto out;
fail:
	ret = cmd_fail(&err);
out:
	free(raw);
	free(sig);
	key_free(key);
	return ret;
}
