/*
 * copy.c — `xpship copy`: a bundle between repositories, registries or
 * local layouts.
 */
#include "cmd/cmd.h"
#include "cmd/jsonout.h"
#include "cmd/regopts.h"
#include "common/strbuf.h"
#include "cmd/transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	TRANSFER_FORCE_OPTION,
	JSONOUT_OPTION,
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "copy",
	.synopsis =
	"usage: xpship copy [--plain-http] [--insecure] [--ca-file F] [--jobs N]\n"
	"                   [--chunk-size S] [--force] [--json] SRC DST\n"
	"\n"
	"Copy a bundle with its signature and attestation tags from SRC to DST; each\n"
	"is a registry reference [docker://]HOST[:PORT]/REPO[:TAG|@DIGEST] or a local\n"
	"bundle (oci:DIR[:TAG], oci-archive:FILE[:TAG]). Between repositories of one\n"
	"registry, blobs are mounted rather than transferred. The tag in DST is DST's,\n"
	"else SRC's; when DST has it on another manifest it is not moved (exit 1,\n"
	"nothing copied) unless --force: a champion tag moves with 'xpship promote'.\n"
	"Prints DST@sha256:<digest>. The registry options apply to both sides.\n",
	.opts = options,
	.registry = CMD_REG_TLS | CMD_REG_TRANSFER,
	.notes =
	"Exit codes: 0 copied, 1 no such tag, content that does not match its digest\n"
	"or a DST tag on another manifest, 2 usage, 3 malformed content, 4 local\n"
	"error, 5 registry error.\n",
};

int cmd_copy(int argc, char **argv)
{
	struct transfer t = {.cmd = "copy", .verb = "copied"};
	struct xp_ref sref = {0}, dref = {0};
	struct xp_error err;
	char *tag = NULL;
	char *shown;
	int ret;

	xp_error_clear(&err);
	ret = transfer_parse(&t, &spec, argc, argv);
	if (ret >= 0)
		return ret;
	if (argc - optind != 2)
		return cmd_usage_error("copy", "expected a source and a destination");
	if (ref_parse(argv[optind], 0, &sref, &err) || ref_parse(argv[optind + 1], 0, &dref, &err)) {
		ret = cmd_usage_error("copy", "%s", err.msg);
		goto out;
	}
	tag = dref.tag ? xstrdup(dref.tag) : sref.tag ? xstrdup(sref.tag) : NULL;
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
		ret = transfer_print(&t, shown, argv[optind], argv[optind + 1], tag);
		free(shown);
	}
out:
	transfer_release(&t);
	ref_release(&sref);
	ref_release(&dref);
	free(tag);
	return ret;
}
