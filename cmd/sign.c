/*
 * sign.c — `xpship sign`: sign a bundle's manifest digest (cosign-compatible).
 */
#include "cmd/bundlearg.h"
#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "cmd/keyarg.h"
#include "packager/sign.h"

#include <stdio.h>
#include <stdlib.h>

static const struct cmd_opt options[] = {
	{"key", 'k', "KEY", 'k', "the private key: a PEM file or env://VAR"},
	{"identity", 'i', "REPO", 'i',
	 "the docker-reference the payload names: the\n"
	 "registry repository the bundle will live in, such\n"
	 "as registry.example/team/model (lowercase path, as\n"
	 "cosign requires). Default: BUNDLE's repository when\n"
	 "BUNDLE is a registry reference; required for a\n"
	 "local bundle (or sign at push time: push --sign)"},
	{"password-stdin", 0, NULL, 'P',
	 "read the key's passphrase from standard input\n"
	 "(else XPSHIP_KEY_PASSWORD, else a prompt on a terminal)"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "sign",
	.synopsis =
	"usage: xpship sign --key KEY [--identity REGISTRY/REPO] [--password-stdin] BUNDLE\n"
	"\n"
	"Sign a bundle's manifest digest the way 'cosign sign --key' does and store the\n"
	"signature in the bundle itself, under tag sha256-<hex>.sig (an OCI manifest\n"
	"with one simple-signing layer per signature and the signed manifest as its\n"
	"subject), so pushing or copying the bundle carries its signature along.\n"
	"Signing again with another key adds a signature; with the same key it changes\n"
	"nothing. BUNDLE is oci:DIR[:TAG], oci-archive:FILE[:TAG], a layout directory or\n"
	".tar with one tag, or a registry reference.\n"
	"\n"
	"The payload names the registry repository the signature is for (its\n"
	"docker-reference), which 'cosign verify' and 'xpship verify --identity' check:\n"
	"a local bundle needs --identity, or is signed when pushed ('xpship push --sign').\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.registry_heading = "Registry options (BUNDLE a registry reference):",
	.notes = "Exit codes: 0 signed, 1 no such tag or manifest, 2 usage or key passphrase,\n"
		 "3 malformed key or bundle, 4 local error, 5 registry error.\n",
};

int cmd_sign(int argc, char **argv)
{
	const char *key_spec = NULL, *identity = NULL;
	struct store_opts sopts = {0};
	struct sign_result res;
	struct sign_key *key = NULL;
	struct store *s = NULL;
	struct oci_desc m = {0};
	struct xp_error err;
	char *def = NULL;
	int c, pass_stdin = 0, ret;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &sopts)) != -1) {
		switch (c) {
		case 'k': key_spec = optarg; break;
		case 'i': identity = optarg; break;
		case 'P': pass_stdin = 1; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (!key_spec)
		return cmd_usage_error("sign", "missing --key KEY");
	if (optind + 1 != argc)
		return cmd_usage_error("sign", optind < argc ? "too many arguments" : "missing BUNDLE");
	if (identity && !*identity)
		return cmd_usage_error("sign", "empty --identity");
	if (identity && ref_check_identity(identity, &err))
		return cmd_usage_error("sign", "%s", err.msg);
	ret = bundlearg_open("sign", argv[optind], &sopts, &s, &m);
	if (ret)
		return ret;
	if (!identity && sign_identity(s, NULL, &def, &err)) {
		ret = cmd_usage_error("sign", "%s", err.msg);
		goto out;
	}
	ret = keyarg_load_private(key_spec, pass_stdin, &key);
	if (ret)
		goto out;
	if (sign_bundle(s, &m, key, identity ? identity : def, &res, &err) || store_commit(s, &err)) {
		ret = cmd_fail(&err);
		goto out;
	}
	printf("%s %s (tag %s, %zu signature%s)\n",
	       res.added ? "Signed" : "Already signed by this key:", m.digest, res.tag,
	       res.n_signatures, res.n_signatures == 1 ? "" : "s");
	ret = XP_EXIT_OK;
out:
	free(def);
	key_free(key);
	oci_desc_release(&m);
	store_close(s);
	return ret;
}
