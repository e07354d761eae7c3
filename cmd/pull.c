/*
 * pull.c — `xpship pull`: a bundle from a registry into a local OCI layout.
 */
#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "common/strbuf.h"
#include "cmd/transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{"jobs", 0, "N", REGOPT_JOBS, "transfer up to N blobs at a time (default 3)"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "pull",
	.synopsis =
	"usage: xpship pull [--plain-http] [--insecure] [--ca-file F] [--jobs N] REF OUT\n"
	"\n"
	"Pull the bundle REF = [docker://]HOST[:PORT]/REPO[:TAG|@DIGEST] with its\n"
	"signature and attestation tags into the OCI layout OUT (oci:DIR[:TAG],\n"
	"oci-archive:FILE[:TAG], or a directory; created when missing). Every blob\n"
	"and manifest is verified against its digest before it is renamed into\n"
	"place. The tag in OUT is OUT's, else REF's. Prints OUT:TAG@sha256:<digest>.\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.notes =
	"Exit codes: 0 pulled, 1 no such tag or content that does not match its\n"
	"digest, 2 usage, 3 malformed content, 4 local error, 5 registry error.\n",
};

int cmd_pull(int argc, char **argv)
{
	struct transfer t = {"pull", "pulled", {0}, NULL, {0}, NULL};
	struct xp_ref rref = {0}, oref = {0};
	struct xp_error err;
	const char *tag;
	char *shown;
	int ret;

	xp_error_clear(&err);
	ret = cmd_parse_all(&spec, argc, argv, &t.opts);
	if (ret >= 0)
		return ret;
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
	ret = transfer_source(&t, &rref);
	if (ret == XP_EXIT_OK)
		ret = transfer_copy(&t, &oref, tag);
	if (ret == XP_EXIT_OK) {
		if (!oref.tag)
			oref.tag = xstrdup(tag);
		free(oref.digest);
		oref.digest = xstrdup(t.desc.digest);
		shown = ref_format(&oref);
		printf("%s\n", shown);
		free(shown);
	}
out:
	transfer_release(&t);
	ref_release(&rref);
	ref_release(&oref);
	return ret;
}
