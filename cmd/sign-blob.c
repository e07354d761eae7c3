/*
 * sign-blob.c — `xpship sign-blob`: sign a file; prints a base64 DER signature.
 */
#include "cmd/cmd.h"
#include "cmd/keyarg.h"
#include "common/base64.h"
#include "common/fileio.h"
#include "packager/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{"key", 'k', "KEY", 'k',
	 "the private key: a PEM file or env://VAR"},
	{"password-stdin", 0, NULL, 'P',
	 "read the key's passphrase from standard input\n"
	 "(else XPSHIP_KEY_PASSWORD, else a prompt on a terminal)"},
	{"output", 'o', "SIGFILE", 'o',
	 "write the signature to SIGFILE instead of stdout"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "sign-blob",
	.synopsis =
	"usage: xpship sign-blob --key KEY [--password-stdin] [-o SIGFILE] FILE\n"
	"\n"
	"Sign a file and print the signature, base64 on one line (cosign's form:\n"
	"'cosign verify-blob --key KEY.pub --signature SIGFILE FILE' accepts it).\n"
	"ECDSA P-256 and RSA keys sign SHA-256(FILE) (ECDSA: ASN.1 DER; RSA: PKCS#1\n"
	"v1.5); an Ed25519 key signs the file's bytes themselves.\n",
	.opts = options,
	.notes =
	"Exit codes: 0 signed, 2 usage or key passphrase, 3 malformed key, 4 local error.\n",
};

int cmd_sign_blob(int argc, char **argv)
{
	const char *key_spec = NULL, *output = NULL, *file;
	struct sign_key *key = NULL;
	unsigned char *sig = NULL;
	struct xp_error err;
	size_t sig_len = 0;
	char *b64, *line;
	int c, pass_stdin = 0, ret;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1) {
		switch (c) {
		case 'k': key_spec = optarg; break;
		case 'P': pass_stdin = 1; break;
		case 'o': output = optarg; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (!key_spec)
		return cmd_usage_error("sign-blob", "missing --key KEY");
	if (optind + 1 != argc)
		return cmd_usage_error("sign-blob", optind < argc ? "too many arguments"
								   : "missing FILE");
	file = argv[optind];
	ret = keyarg_load_private(key_spec, pass_stdin, &key);
	if (ret)
		return ret;
	ret = key_sign_file(key, file, &sig, &sig_len, &err);
	key_free(key);
	if (ret)
		return cmd_fail(&err);
	b64 = b64_encode(sig, sig_len, NULL);
	free(sig);
	line = xasprintf("%s\n", b64);
	free(b64);
	if (output) {
		ret = file_write_atomic(output, line, strlen(line), 0644, &err);
		free(line);
		return ret ? cmd_fail(&err) : XP_EXIT_OK;
	}
	fputs(line, stdout);
	free(line);
	return XP_EXIT_OK;
}
