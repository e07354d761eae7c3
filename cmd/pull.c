/*
 * pull.c — `xpship pull`: a bundle from a registry into a local OCI layout.
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
	{"output", 'o', "OUT", 'o', "the output layout (instead of the OUT operand)"},
	TRANSFER_FORCE_OPTION,
	JSONOUT_OPTION,
	{"jobs", 0, "N", REGOPT_JOBS, "transfer up to N blobs at a time (default 3)"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "pull",
	.synopsis =
	"usage: xpship pull [--plain-http] [--insecure] [--ca-file F] [--jobs N] REF OUT\n"
	"                   [--force] [--json]\n"
	"       xpship pull [options] -o OUT REF\n"
	"\n"
	"Pull the bundle REF = [docker://]HOST[:PORT]/REPO[:TAG|@DIGEST] with its\n"
	"signature and attestation tags into the OCI layout OUT (oci:DIR[:TAG],\n"
	"oci-archive:FILE[:TAG], or a directory; created when missing). Every blob\n"
	"and manifest is verified against its digest before it is renamed into\n"
	"place. The tag in OUT is OUT's, else REF's; when OUT has it on another\n"
	"manifest it is not moved (exit 1) unless --force. Prints\n"
	"OUT:TAG@sha256:<digest>.\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.notes =
	"Exit codes: 0 pulled, 1 no such tag, content that does not match its digest\n"
	"or an OUT tag on another manifest, 2 usage, 3 malformed content, 4 local\n"
	"error, 5 registry error.\n",
};

int cmd_pull(int argc, char **argv)
{
	struct transfer t = {.cmd = "pull", .verb = "pulled"};
	struct xp_ref rref = {0}, oref = {0};
	struct xp_error err;
	const char *tag, *src, *out;
	char *shown;
	int ret;

	xp_error_clear(&err);
	ret = transfer_parse(&t, &spec, argc, argv);
	if (ret >= 0)
		return ret;
	if (argc - optind != (t.output ? 1 : 2))
		return cmd_usage_error("pull", t.output ? "expected one registry reference with -o OUT"
				       : "expected a registry reference and an output layout");
	src = argv[optind];
	out = t.output ? t.output : argv[optind + 1];
	if (ref_parse(src, REF_REGISTRY_ONLY, &rref, &err) ||
	    ref_parse(out, REF_LOCAL_ONLY, &oref, &err)) {
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
		ret = transfer_print(&t, shown, src, out, tag);
		free(shown);
	}
out:
	transfer_release(&t);
	ref_release(&rref);
	ref_release(&oref);
	return ret;
}
