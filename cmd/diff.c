/*
 * diff.c — `xpship diff`: what changed between two bundles.
 */
#include "cmd/bundlearg.h"
#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "packager/diff.h"

#include <stdio.h>
#include <stdlib.h>

static const struct cmd_opt options[] = {
	{"json", 0, NULL, 'j',
	 "print the comparison as JSON"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "diff",
	.synopsis =
	"usage: xpship diff [--json] [--plain-http] [--insecure] [--ca-file F] A B\n"
	"\n"
	"Compare two bundles (oci:DIR[:TAG], oci-archive:FILE[:TAG], a path, or\n"
	"[docker://]HOST[:PORT]/REPO:TAG|@DIGEST; A and B may live in different\n"
	"places): the selected run's parameters, the metrics with B - A and whether\n"
	"that is better or worse in the gate's direction, data digests and the code\n"
	"commit (from the provenance attestation), files (added, removed, changed,\n"
	"with sizes) and layers shared, labels, and the signatures and attestations\n"
	"present. Reads manifests, configs, attestations and the small-files layer,\n"
	"never the layers of large files (compared by digest).\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.notes =
	"Exit codes: 0 compared, 1 no such bundle, 2 usage, 3 malformed content,\n"
	"4 local error, 5 registry error.\n",
};

int cmd_diff(int argc, char **argv)
{
	struct store_opts opts = {0};
	struct store *sa = NULL, *sb = NULL;
	struct oci_desc ma = {0}, mb = {0};
	struct diff_side a, b;
	struct xp_error err;
	char *out = NULL;
	int c, json = 0, ret;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &opts)) != -1) {
		if (c == CMD_OPT_HELP)
			return XP_EXIT_OK;
		if (c != 'j')
			return XP_EXIT_USAGE;
		json = 1;
	}
	if (argc - optind != 2)
		return cmd_usage_error("diff", "expected two bundles, A and B");
	ret = bundlearg_open("diff", argv[optind], &opts, &sa, &ma);
	if (!ret)
		ret = bundlearg_open("diff", argv[optind + 1], &opts, &sb, &mb);
	if (ret)
		goto out;
	a = (struct diff_side){sa, &ma, argv[optind]};
	b = (struct diff_side){sb, &mb, argv[optind + 1]};
	if (bundle_diff(&a, &b, json, &out, &err)) {
		ret = cmd_fail(&err);
		goto out;
	}
	fputs(out, stdout);
	ret = XP_EXIT_OK;
out:
	free(out);
	oci_desc_release(&ma);
	oci_desc_release(&mb);
	store_close(sa);
	store_close(sb);
	return ret;
}
