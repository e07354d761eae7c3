/*
 * keygen.c — `xpship keygen`: create a signing key pair PREFIX.key and PREFIX.pub.
 */
#include "cmd/cmd.h"
#include "cmd/keyarg.h"
#include "common/strbuf.h"
#include "packager/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{"type", 't', "TYPE", 't',
	 "ecdsa-p256 (default, cosign's default), ed25519 or rsa-3072"},
	{"format", 0, "FORMAT", 'F',
	 "pkcs8 (default: PKCS#8 PEM) or cosign (cosign's\n"
	 "encrypted key file, what 'cosign generate-key-pair'\n"
	 "writes and 'cosign sign --key' reads)"},
	{"output", 'o', "PREFIX", 'o',
	 "write PREFIX.key and PREFIX.pub (default: cosign, as\n"
	 "cosign generate-key-pair names them)"},
	{"password-stdin", 0, NULL, 'P',
	 "read the passphrase from standard input"},
	{"force", 'f', NULL, 'f',
	 "replace existing key files"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "keygen",
	.synopsis =
	"usage: xpship keygen [--type ecdsa-p256|ed25519|rsa-3072] [--format pkcs8|cosign]\n"
	"                     [--password-stdin] [--force] [-o PREFIX]\n"
	"\n"
	"Create a signing key pair: PREFIX.key, the private key (PKCS#8 PEM, mode 0600)\n"
	"and PREFIX.pub, the public key (PKIX PEM, what 'verify', 'verify-blob',\n"
	"'openssl' and 'cosign verify --key' take).\n"
	"\n"
	"The private key is encrypted (AES-256-CBC, PBKDF2) when a passphrase is given:\n"
	"the first line of standard input with --password-stdin, else the environment\n"
	"variable XPSHIP_KEY_PASSWORD, else (on a terminal only) a prompt, where an empty\n"
	"answer leaves the key unencrypted. With --format cosign the key is cosign's\n"
	"file (-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----: scrypt N=65536, r=8,\n"
	"p=1 and NaCl secretbox over PKCS#8), always encrypted, an empty passphrase\n"
	"included, as cosign does; every command reads both formats. Keys given to\n"
	"other commands may also be env://VAR: the PEM text in an environment variable.\n",
	.opts = options,
	.notes =
	"Exit codes: 0 written, 2 usage (existing files, unknown type), 4 cannot write.\n",
};

int cmd_keygen(int argc, char **argv)
{
	const char *prefix = "cosign", *type_name = "ecdsa-p256", *format = "pkcs8";
	enum key_format fmt = KEY_FORMAT_PKCS8;
	struct passphrase pass = {NULL, 0};
	struct sign_key *key = NULL;
	enum key_type type = KEY_ECDSA_P256;
	struct xp_error err;
	int c, pass_stdin = 0, force = 0, ret;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1) {
		switch (c) {
		case 't': type_name = optarg; break;
		case 'o': prefix = optarg; break;
		case 'F': format = optarg; break;
		case 'P': pass_stdin = 1; break;
		case 'f': force = 1; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (key_type_parse(type_name, &type))
		return cmd_usage_error("keygen",
				       "unknown key type '%s' (expected ecdsa-p256, ed25519 or rsa-3072)",
				       type_name);
	if (strcmp(format, "cosign") == 0)
		fmt = KEY_FORMAT_COSIGN;
	else if (strcmp(format, "pkcs8") != 0)
		return cmd_usage_error("keygen", "unknown key format '%s' (expected pkcs8 or cosign)",
				       format);
	if (!*prefix)
		return cmd_usage_error("keygen", "empty -o PREFIX");
	if (optind < argc)
		return cmd_usage_error("keygen", "unexpected argument '%s'", argv[optind]);
	if (keyarg_passphrase(pass_stdin, &pass, &err))
		return cmd_fail(&err);
	if (!pass.buf && !pass_stdin &&
	    keyarg_prompt("Enter a passphrase for the new key (empty for none): ", 1, &pass, &err))
		return cmd_fail(&err);
	ret = key_generate(type, &key, &err) ||
	      key_write_pair_as(key, prefix, fmt, pass.buf, pass.len, force, &err);
	if (ret) {
		keyarg_passphrase_release(&pass);
		key_free(key);
		return cmd_fail(&err);
	}
	printf("Private key written to %s.key (%s, %s)\n", prefix, key_type_name(key),
	       fmt == KEY_FORMAT_COSIGN ? (pass.len ? "cosign format, encrypted"
						     : "cosign format, empty passphrase")
					: pass.len ? "encrypted" : "not encrypted");
	printf("Public key written to %s.pub (keyid %s)\n", prefix, key_id(key));
	keyarg_passphrase_release(&pass);
	key_free(key);
	return XP_EXIT_OK;
}
