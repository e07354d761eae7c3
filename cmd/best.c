/*
 * best.c — `xpship best`: the best recorded run across a repository's
 * releases, and its parameters as the next experiment's starting point.
 */
#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "common/fileio.h"
#include "common/jsonout.h"
#include "packager/best.h"
#include "packager/blobcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WHERE 32

static const struct cmd_opt options[] = {
	{"metric", 'm', "M", 'm',
	 "the metric to rank by (required)"},
	{"lower", 0, NULL, 'l',
	 "lower is better (default: the objective's direction, else higher)"},
	{"higher", 0, NULL, 'h',
	 "higher is better"},
	{"where", 'w', "PARAM=VALUE", 'w',
	 "only runs with this parameter value (repeatable)"},
	{"emit-params", 0, "FILE", 'e',
	 "write the run's parameters as an experiment-record fragment"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "best",
	.synopsis =
	"usage: xpship best --metric M [--lower|--higher] [--where PARAM=VALUE]...\n"
	"                   [--emit-params FILE] [--jobs N] [--plain-http] REPO\n"
	"\n"
	"Find the best recorded run across REPO's releases by metric M (reading\n"
	"manifests and configs as 'xpship history' does) and print its release,\n"
	"value and parameters; --emit-params writes them as a fragment of an\n"
	"experiment record, the starting point for the next experiment.\n",
	.opts = options,
	.registry = CMD_REG_TLS | CMD_REG_TRANSFER,
	.notes =
	"Exit codes: 0 found, 1 no release records M (with those parameters),\n"
	"2 usage, 4 local error, 5 registry error.\n",
};

int cmd_best(int argc, char **argv)
{
	struct store_opts opts = {0};
	struct best_opts bo = {0};
	struct best_result b = {0};
	struct store *s = NULL;
	struct xp_ref ref = {0};
	struct xp_error err;
	char *where[MAX_WHERE], *cache = NULL, *frag = NULL, num[XP_NUM_SIZE];
	const char *emit = NULL;
	int c, ret;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &opts)) != -1) {
		switch (c) {
		case 'm': bo.metric = optarg; break;
		case 'l': bo.direction = -1; break;
		case 'h': bo.direction = 1; break;
		case 'w':
			if (bo.n_where == MAX_WHERE || !strchr(optarg, '=') || optarg[0] == '=')
				return cmd_usage_error("best", "invalid --where '%s' (PARAM=VALUE)", optarg);
			where[bo.n_where++] = optarg;
			break;
		case 'e': emit = optarg; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error("best", "expected one repository reference");
	if (!bo.metric)
		return cmd_usage_error("best", "missing --metric M");
	if (ref_parse(argv[optind], 0, &ref, &err))
		return cmd_usage_error("best", "%s", err.msg);
	regopt_prepare();
	opts.resolve_get = 1;   /* every release's manifest is read: one request, not two */
	cache = blobcache_default_dir();
	bo.where = where;
	bo.history.cache = cache;
	bo.history.jobs = opts.jobs;
	if (store_open(&ref, &opts, &s, &err) || best_find(s, &bo, &b, &err)) {
		ret = cmd_fail(&err);
		goto out;
	}
	frag = best_fragment(&b, store_name(s), bo.metric);
	if (emit && file_write_atomic(emit, frag, strlen(frag), 0644, &err)) {
		ret = cmd_fail(&err);
		goto out;
	}
	printf("%s  %s  %s=%s  (%s is better; %zu run%s compared)\nparameters: %s\n", b.tag,
	       b.digest, bo.metric, xp_num_format(b.value, num), b.lower ? "lower" : "higher", b.considered,
	       b.considered == 1 ? "" : "s", b.parameters);
	ret = XP_EXIT_OK;
out:
	free(frag);
	best_result_release(&b);
	store_close(s);
	ref_release(&ref);
	free(cache);
	return ret;
}
