/*
 * unpack.c — `xpship unpack`: extract a bundle's files into DIR, verifying
 * every digest (packager/unpack.h). stdout: the manifest digest.
 */
#include "cmd/bundlearg.h"
#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "packager/unpack.h"

#include <stdio.h>
#include <string.h>

#define OPT_MAX_SIZE 256

static const struct cmd_opt options[] = {
	{"max-size", 0, "SIZE", OPT_MAX_SIZE,
	 "stop (exit 1) when the layers expand past SIZE bytes (suffix\n"
	 "K, M, G, T: 512M, 2G); default 1 GiB plus 100 times the\n"
	 "compressed size of the layers"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "unpack",
	.synopsis =
	"usage: xpship unpack [--max-size SIZE] [--plain-http] [--insecure] [--ca-file F]\n"
	"                     BUNDLE DIR\n"
	"\n"
	"Extract the files of BUNDLE (oci:DIR[:TAG], oci-archive:FILE[:TAG], a path, or\n"
	"HOST[:PORT]/REPO[:TAG|@DIGEST]) into DIR, layer by layer, as a container\n"
	"runtime would (whiteouts applied). Every blob is checked against its digest as\n"
	"it is read; entries with absolute paths, '..', links out of DIR, hard links\n"
	"out of the bundle or special files are refused, and refuse the whole unpack.\n"
	"The files appear at DIR only when everything verified: they are extracted\n"
	"beside it first, then renamed. DIR must not exist or be empty. Permissions\n"
	"are those pack writes: 0755 for directories and executables, 0644 otherwise\n"
	"(no setuid, setgid, sticky or group/world-writable bit).\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.registry_heading = "Registry options (BUNDLE a registry reference):",
	.notes =
	"Output: the manifest digest on stdout; progress on stderr (none with -q).\n"
	"Exit codes: 0 unpacked, 1 a digest did not match, an entry was refused or the\n"
	"layers expand past --max-size, 2 usage (or DIR not empty), 3 malformed bundle,\n"
	"4 local error, 5 registry error.\n",
};

int cmd_unpack(int argc, char **argv)
{
	struct store_opts sopts = {0};
	struct unpack_stats st;
	struct store *s = NULL;
	struct oci_desc m = {0};
	struct xp_error err;
	long long max = 0;
	int c, ret;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &sopts)) != -1) {
		if (c == CMD_OPT_HELP)
			return XP_EXIT_OK;
		if (c != OPT_MAX_SIZE)
			return XP_EXIT_USAGE;
		max = cmd_parse_size(optarg);
		if (max < 0)
			return cmd_usage_error("unpack",
					       "invalid value '%s' for --max-size: expected a size, like 512M or 2G",
					       optarg);
	}
	if (argc - optind != 2)
		return cmd_usage_error("unpack", "expected a bundle and a directory");
	regopt_prepare();
	sopts.progress = cmd_progress();
	ret = bundlearg_open("unpack", argv[optind], &sopts, &s, &m);
	if (ret)
		return ret;
	if (unpack_bundle(s, &m, argv[optind + 1], (uint64_t)max, sopts.progress, &st, &err)) {
		ret = cmd_fail(&err);
	} else {
		printf("%s\n", m.digest);
		diag_verbose("%zu layers, %zu entries, %llu bytes (%llu expanded)", st.layers,
			     st.entries, (unsigned long long)st.bytes,
			     (unsigned long long)st.expanded);
		ret = XP_EXIT_OK;
	}
	oci_desc_release(&m);
	store_close(s);
	return ret;
}
