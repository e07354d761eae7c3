/*
 * pull.c — `xpship pull`: a bundle from a registry into a local OCI layout.
 */
#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "common/strbuf.h"
#include "packager/copy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: xpship pull [--plain-http] [--insecure] [--ca-file F] [--jobs N] REF OUT\n"
	"\n"
	"Pull the bundle REF = [docker://]HOST[:PORT]/REPO[:TAG|@DIGEST] with its\n"
	"signature and attestation tags into the OCI layout OUT (oci:DIR[:TAG],\n"
	"oci-archive:FILE[:TAG], or a directory; created when missing). Every blob\n"
	"and manifest is verified against its digest before it is renamed into\n"
	"place. The tag in OUT is OUT's, else REF's. Prints OUT:TAG@sha256:<digest>.\n"
	"\n"
	"Options:\n"
	REGOPT_TLS_HELP
	"  --jobs N         transfer up to N blobs at a time (default 3)\n"
	"\n"
	REGOPT_ENV_HELP
	"\n"
	"Exit codes: 0 pulled, 1 no such tag or content that does not match its\n"
	"digest, 2 usage, 3 malformed content, 4 local error, 5 registry error.\n";

static const struct option longopts[] = {
	REGOPT_TLS_OPTIONS,
	{"jobs", required_argument, NULL, REGOPT_JOBS},
	{NULL, 0, NULL, 0},
};

int cmd_pull(int argc, char **argv)
{
	struct store_opts opts = {0};
	struct store *src = NULL, *dst = NULL;
	struct copy_stats st = {0};
	struct copy_opts co = {0};
	struct xp_ref rref = {0}, oref = {0};
	struct oci_desc d = {0};
	struct xp_error err;
	const char *tag;
	char *shown;
	int c, ret = XP_EXIT_USAGE;

	xp_error_clear(&err);
	while ((c = cmd_getopt(argc, argv, "", longopts, usage)) != -1) {
		if (c == CMD_OPT_HELP)
			return XP_EXIT_OK;
		if (regopt_parse("pull", c, optarg, &opts) <= 0)
			return XP_EXIT_USAGE;
	}
	if (argc - optind != 2)
		return cmd_usage_error("pull", "expected a registry reference and an output layout");
	if (ref_parse(argv[optind], REF_REGISTRY_ONLY, &rref, &err) ||
	    ref_parse(argv[optind + 1], REF_LOCAL_ONLY, &oref, &err)) {
		ret = cmd_usage_error("pull", "%s", err.msg);
		goto out;
	}
	tag = oref.tag ? oref.tag : rref.tag;
	if (!tag) {
		ret = cmd_usage_error("pull", "name a tag for the bundle in '%s', as in 'oci:%s:TAG'",
				      oref.path, oref.path);
		goto out;
	}
	regopt_prepare();
	opts.progress = cmd_progress();
	co.jobs = opts.jobs;
	co.stats = &st;
	if (store_open(&rref, &opts, &src, &err) || store_resolve_ref(src, &rref, &d, &err))
		goto fail;
	opts.create = 1;
	if (store_open(&oref, &opts, &dst, &err) || copy_graph(src, dst, &d, tag, &co, &err) ||
	    store_commit(dst, &err))
		goto fail;
	diag_verbose("pulled %u blobs (%llu bytes), %u already there; %u manifests, %u signatures/attestations",
		     st.blobs_copied, (unsigned long long)st.bytes, st.blobs_present, st.manifests,
		     st.companions);
	if (!oref.tag)
		oref.tag = xstrdup(tag);
	free(oref.digest);
	oref.digest = xstrdup(d.digest);
	shown = ref_format(&oref);
	printf("%s\n", shown);
	free(shown);
	ret = XP_EXIT_OK;
	goto out;
fail:
	ret = cmd_fail(&err);
out:
	store_close(dst);
	store_close(src);
	oci_desc_release(&d);
	ref_release(&rref);
	ref_release(&oref);
	return ret;
}
