/*
 * push.c — `xpship push`: a local bundle and its signatures to a registry.
 */
#include "cmd/cmd.h"
#include "cmd/jsonout.h"
#include "cmd/keyarg.h"
#include "cmd/regopts.h"
#include "common/strbuf.h"
#include "cmd/transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	TRANSFER_FORCE_OPTION,
	JSONOUT_OPTION,
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
	"                   [--ca-file F] [--jobs N] [--chunk-size S] [--force] [--json]\n"
	"                   BUNDLE REF\n"
	"\n"
	"Push a bundle (oci:DIR[:TAG], oci-archive:FILE[:TAG] or a path) to a registry\n"
	"repository REF = [docker://]HOST[:PORT]/REPO[:TAG]. Blobs go first (those the\n"
	"registry has are skipped), then the manifest, then the bundle's signature and\n"
	"attestation tags (sha256-<hex>.sig/.att), and the tag last. The tag is REF's,\n"
	"else the bundle's; without either the manifest is pushed by digest only.\n"
	"A tag the repository has on another manifest is not moved (exit 1, nothing\n"
	"pushed) unless --force: a champion tag moves with 'xpship promote'. The same\n"
	"tag on the same digest is fine. With --sign, the manifest is signed in REF's\n"
	"repository (cosign's signature tag, docker-reference HOST/REPO) after the\n"
	"bundle's own companions and before the tag. Prints HOST/REPO@sha256:<digest>.\n",
	.opts = options,
	.registry = CMD_REG_TLS | CMD_REG_TRANSFER,
	.notes =
	"Exit codes: 0 pushed, 1 the bundle's content does not match its digests or\n"
	"the tag names another manifest, 2 usage or key passphrase, 3 malformed bundle\n"
	"or key, 4 local error,\n"
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
	struct transfer t = {.cmd = "push", .verb = "pushed"};
	struct sign_on_copy sc = {NULL, NULL, {{0}, {0}, 0, 0}};
	struct xp_ref bref = {0}, rref = {0};
	const char *key_spec = NULL;
	struct sign_key *key = NULL;
	struct xp_error err;
	char *tag = NULL, *shown;
	int ret;

	xp_error_clear(&err);
	ret = transfer_parse(&t, &spec, argc, argv);
	if (ret >= 0)
		return ret;
	key_spec = t.sign_key;
	if (t.pass_stdin && !key_spec)
		return cmd_usage_error("push", "--password-stdin needs --sign KEY");
	if (argc - optind != 2)
		return cmd_usage_error("push", "expected a bundle and a registry reference");
	if (ref_parse(argv[optind], 0, &bref, &err) ||
	    ref_parse(argv[optind + 1], REF_REGISTRY_ONLY, &rref, &err)) {
		ret = cmd_usage_error("push", "%s", err.msg);
		goto out;
	}
	if (key_spec) {
		ret = keyarg_load_private(key_spec, t.pass_stdin, &key);
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
	if (ret == XP_EXIT_OK) {
		shown = xasprintf("%s/%s@%s", rref.host, rref.repo, t.desc.digest);
		ret = transfer_print(&t, shown, argv[optind], argv[optind + 1], tag);
		free(shown);
	}
out:
	key_free(key);
	transfer_release(&t);
	ref_release(&bref);
	ref_release(&rref);
	free(tag);
	return ret;
}
