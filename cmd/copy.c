/*
 * copy.c — `xpship copy`: a bundle between repositories, registries or
 * local layouts.
 */
#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "common/strbuf.h"
#include "cmd/transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "copy",
	.synopsis =
	"usage: xpship copy [--plain-http] [--insecure] [--ca-file F] [--jobs N]\n"
	"                   [--chunk-size S] SRC DST\n"
	"\n"
	"Copy a bundle with its signature and attestation tags from SRC to DST; each\n"
	"is a registry reference [docker://]HOST[:PORT]/REPO[:TAG|@DIGEST] or a local\n"
	"bundle (oci:DIR[:TAG], oci-archive:FILE[:TAG]). Between repositories of one\n"
	"registry, blobs are mounted rather than transferred. The tag in DST is DST's,\n"
	"else SRC's. Prints DST@sha256:<digest>. The registry options apply to both\n"
	"sides.\n",
	.opts = options,
	.registry = CMD_REG_TLS | CMD_REG_TRANSFER,
	.notes =
	"Exit codes: 0 copied, 1 no such tag or content that does not match its\n"
	"digest, 2 usage, 3 malformed content, 4 local error, 5 registry error.\n",
};

int cmd_copy(int argc, char **argv)
{
	struct transfer t = {"copy", "copied", {0}, NULL, {0}, NULL};
	struct xp_ref sref = {0}, dref = {0};
	struct xp_error err;
	const char *tag;
	char *shown;
	int ret;

	xp_error_clear(&err);
	ret = cmd_parse_all(&spec, argc, argv, &t.opts);
	if (ret >= 0)
		return ret;
	if (argc - optind != 2)
		return cmd_usage_error("copy", "expected a source and a destination");
	if (ref_parse(argv[optind], 0, &sref, &err) || ref_parse(argv[optind + 1], 0, &dref, &err)) {
		ret = cmd_usage_error("copy", "%s", err.msg);
		goto out;
	}
	tag = dref.tag ? dref.tag : sref.tag;
	if (!tag && dref.kind != REF_REGISTRY) {
		ret = cmd_usage_error("copy", "name a tag for the bundle in '%s', as in '%s:TAG'",
				      argv[optind + 1], argv[optind + 1]);
		goto out;
	}
	if (dref.digest) {
		ret = cmd_usage_error("copy", "the destination '%s' cannot name a digest",
				      argv[optind + 1]);
		goto out;
	}
	ret = transfer_source(&t, &sref);
	if (ret == XP_EXIT_OK)
		ret = transfer_copy(&t, &dref, tag);
	if (ret == XP_EXIT_OK) {
		free(dref.tag);
		dref.tag = NULL;
		dref.digest = xstrdup(t.desc.digest);
		shown = ref_format(&dref);
		printf("%s\n", shown);
		free(shown);
	}
out:
	transfer_release(&t);
	ref_release(&sref);
	ref_release(&dref);
	return ret;
}
