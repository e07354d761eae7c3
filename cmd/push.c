/*
 * push.c — `xpship push`: a local bundle and its signatures to a registry.
 */
#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "common/strbuf.h"
#include "packager/copy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: xpship push [--plain-http] [--insecure] [--ca-file F] [--jobs N]\n"
	"                   [--chunk-size S] BUNDLE REF\n"
	"\n"
	"Push a bundle (oci:DIR[:TAG], oci-archive:FILE[:TAG] or a path) to a registry\n"
	"repository REF = [docker://]HOST[:PORT]/REPO[:TAG]. Blobs go first (those the\n"
	"registry has are skipped), then the manifest, then the bundle's signature and\n"
	"attestation tags (sha256-<hex>.sig/.att), and the tag last. The tag is REF's,\n"
	"else the bundle's; without either the manifest is pushed by digest only.\n"
	"Prints HOST/REPO@sha256:<digest>.\n"
	"\n"
	"Options:\n"
	REGOPT_TLS_HELP
	REGOPT_TRANSFER_HELP
	"\n"
	REGOPT_ENV_HELP
	"\n"
	"Exit codes: 0 pushed, 1 the bundle's content does not match its digests,\n"
	"2 usage, 3 malformed bundle, 4 local error, 5 registry error.\n";

static const struct option longopts[] = {
	REGOPT_TLS_OPTIONS,
	REGOPT_TRANSFER_OPTIONS,
	{NULL, 0, NULL, 0},
};

/* The bundle's tag when it has exactly one (caller frees), else NULL. */
static char *only_tag(struct store *s)
{
	struct xp_error ignored;
	char **tags = NULL, *t = NULL;
	size_t n = 0;

	if (store_tags(s, &tags, &n, &ignored) == 0 && n == 1)
		t = xstrdup(tags[0]);
	store_tags_free(tags, n);
	return t;
}

int cmd_push(int argc, char **argv)
{
	struct store_opts opts = {0};
	struct store *src = NULL, *dst = NULL;
	struct copy_stats st = {0};
	struct copy_opts co = {0};
	struct xp_ref bref = {0}, rref = {0};
	struct oci_desc d = {0};
	struct xp_error err;
	char *tag = NULL;
	int c, r, ret = XP_EXIT_USAGE;

	xp_error_clear(&err);
	while ((c = cmd_getopt(argc, argv, "", longopts, usage)) != -1) {
		if (c == CMD_OPT_HELP)
			return XP_EXIT_OK;
		r = regopt_parse("push", c, optarg, &opts);
		if (r <= 0)
			return XP_EXIT_USAGE;
	}
	if (argc - optind != 2)
		return cmd_usage_error("push", "expected a bundle and a registry reference");
	if (ref_parse(argv[optind], 0, &bref, &err) ||
	    ref_parse(argv[optind + 1], REF_REGISTRY_ONLY, &rref, &err)) {
		ret = cmd_usage_error("push", "%s", err.msg);
		goto out;
	}
	regopt_prepare();
	opts.progress = cmd_progress();
	if (store_open(&bref, &opts, &src, &err) || store_resolve_ref(src, &bref, &d, &err))
		goto fail;
	if (rref.digest && strcmp(rref.digest, d.digest) != 0) {
		ret = cmd_usage_error("push", "'%s' names digest %s but the bundle is %s",
				      argv[optind + 1], rref.digest, d.digest);
		goto out;
	}
	tag = rref.tag ? xstrdup(rref.tag) : bref.tag ? xstrdup(bref.tag)
			 : bref.digest ? NULL : only_tag(src);
	co.jobs = opts.jobs;
	co.stats = &st;
	if (store_open(&rref, &opts, &dst, &err) || copy_graph(src, dst, &d, tag, &co, &err))
		goto fail;
	diag_verbose("pushed %u blobs (%llu bytes), %u already there, %u mounted; %u manifests, %u signatures/attestations",
		     st.blobs_copied, (unsigned long long)st.bytes, st.blobs_present,
		     st.blobs_mounted, st.manifests, st.companions);
	printf("%s/%s@%s\n", rref.host, rref.repo, d.digest);
	ret = XP_EXIT_OK;
	goto out;
fail:
	ret = cmd_fail(&err);
out:
	store_close(dst);
	store_close(src);
	oci_desc_release(&d);
	ref_release(&bref);
	ref_release(&rref);
	free(tag);
	return ret;
}
