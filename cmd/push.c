/*
 * push.c — `xpship push`: a local bundle and its signatures to a registry.
 */
#include "cmd/cmd.h"
#include "cmd/keyarg.h"
#include "cmd/regopts.h"
#include "common/strbuf.h"
#include "cmd/transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{"sign", 0, "KEY", 'k',
	 "sign the bundle in REF's repository before its tag is\n"
	 "written, naming HOST/REPO as identity (KEY: a private\n"
	 "key file or env://VAR)"},
	{"password-stdin", 0, NULL, 'P',
	 "read --sign's key passphrase from standard input\n"
	 "(else XPSHIP_KEY_PASSWORD, else a prompt on a terminal)"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "push",
	.synopsis =
	"usage: xpship push [--sign KEY [--password-stdin]] [--plain-http] [--insecure]\n"
	"                   [--ca-file F] [--jobs N] [--chunk-size S] BUNDLE REF\n"
	"\n"
	"Push a bundle (oci:DIR[:TAG], oci-archive:FILE[:TAG] or a path) to a registry\n"
	"repository REF = [docker://]HOST[:PORT]/REPO[:TAG]. Blobs go first (those the\n"
	"registry has are skipped), then the manifest, then the bundle's signature and\n"
	"attestation tags (sha256-<hex>.sig/.att), and the tag last. The tag is REF's,\n"
	"else the bundle's; without either the manifest is pushed by digest only.\n"
	"With --sign, the manifest is signed in REF's repository (cosign's signature\n"
	"tag, docker-reference HOST/REPO) after the bundle's own companions and before\n"
	"the tag. Prints HOST/REPO@sha256:<digest>.\n",
	.opts = options,
	.registry = CMD_REG_TLS | CMD_REG_TRANSFER,
	.notes =
	"Exit codes: 0 pushed, 1 the bundle's content does not match its digests,\n"
	"2 usage or key passphrase, 3 malformed bundle or key, 4 local error,\n"
	"5 registry error.\n",
};

/* The bundle's tag when it has exactly one besides its signature and
 * attestation tags (caller frees), else NULL. */
static char *only_tag(struct store *s)
{
	struct xp_error ignored;
	char *t = NULL;

	return store_release_tag(s, &t, &ignored) == 0 ? t : NULL;
}

int cmd_push(int argc, char **argv)
{
	struct transfer t = {"push", "pushed", {0}, NULL, {0}, NULL};
	struct sign_on_copy sc = {NULL, NULL, {{0}, {0}, 0, 0}};
	struct xp_ref bref = {0}, rref = {0};
	const char *key_spec = NULL;
	struct sign_key *key = NULL;
	struct xp_error err;
	char *tag = NULL;
	int c, ret, pass_stdin = 0;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &t.opts)) != -1) {
		switch (c) {
		case 'k': key_spec = optarg; break;
		case 'P': pass_stdin = 1; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (pass_stdin && !key_spec)
		return cmd_usage_error("push", "--password-stdin needs --sign KEY");
	if (argc - optind != 2)
		return cmd_usage_error("push", "expected a bundle and a registry reference");
	if (ref_parse(argv[optind], 0, &bref, &err) ||
	    ref_parse(argv[optind + 1], REF_REGISTRY_ONLY, &rref, &err)) {
		ret = cmd_usage_error("push", "%s", err.msg);
		goto out;
	}
	if (key_spec) {
		ret = keyarg_load_private(key_spec, pass_stdin, &key);
		if (ret)
			goto out;
		sc.key = key;
		t.sign = &sc;
	}
	ret = transfer_source(&t, &bref);
	if (ret)
		goto out;
	if (rref.digest && strcmp(rref.digest, t.desc.digest) != 0) {
		ret = cmd_usage_error("push", "'%s' names digest %s but the bundle is %s",
				      argv[optind + 1], rref.digest, t.desc.digest);
		goto out;
	}
	tag = rref.tag ? xstrdup(rref.tag) : bref.tag ? xstrdup(bref.tag)
			 : bref.digest ? NULL : only_tag(t.src);
	ret = transfer_copy(&t, &rref, tag);
	if (ret == XP_EXIT_OK && key)
		diag_note("%s %s as %s/%s (tag %s, %zu signature%s)",
			  sc.result.added ? "signed" : "already signed by this key:", t.desc.digest,
			  rref.host, rref.repo, sc.result.tag, sc.result.n_signatures,
			  sc.result.n_signatures == 1 ? "" : "s");
	if (ret == XP_EXIT_OK)
		printf("%s/%s@%s\n", rref.host, rref.repo, t.desc.digest);
out:
	key_free(key);
	transfer_release(&t);
	ref_release(&bref);
	ref_release(&rref);
	free(tag);
	return ret;
}
