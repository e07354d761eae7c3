/*
 * gc.c — `xpship gc`: delete old candidate releases with their signatures,
 * attestations and referrers; champions stay.
 */
#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "common/timeutil.h"
#include "packager/blobcache.h"
#include "packager/gc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TAGS 32

static const struct cmd_opt options[] = {
	{"keep-last", 0, "N", 'n',
	 "keep the N newest releases (required)"},
	{"tag", 't', "TAG", 't',
	 "a champion tag (repeatable; default prod): its current and past\n"
	 "champions stay"},
	{"keep-champions", 0, NULL, 'c',
	 "keep past champions (the default)"},
	{"delete-past-champions", 0, NULL, 'D',
	 "past champions may go too (current ones never)"},
	{"older-than", 0, "AGE", 'o',
	 "delete only releases created more than AGE ago (30d, 12h, 2w)"},
	{"yes", 'y', NULL, 'y',
	 "delete; without it, only print what would be deleted"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "gc",
	.synopsis =
	"usage: xpship gc --keep-last N [--tag TAG]... [--older-than AGE]\n"
	"                 [--delete-past-champions] [--yes] [--plain-http] REPO\n"
	"\n"
	"Delete old candidate releases of REPO with their companion manifests\n"
	"(signatures, attestations, referrers) through the registry's delete API,\n"
	"printing what it does; without --yes it only prints what it would delete.\n"
	"Never deleted: what a champion tag names now, past champions (as the\n"
	"promotion log records them) unless --delete-past-champions, a manifest\n"
	"another kept tag names, a release whose metadata cannot be read, and the\n"
	"signatures of what is kept. The registry frees the blobs in its own garbage\n"
	"collection.\n",
	.opts = options,
	.registry = CMD_REG_TLS | CMD_REG_TRANSFER,
	.notes =
	"Exit codes: 0 done (or planned), 2 usage, 3 malformed layout, 4 local error,\n"
	"5 registry error (e.g. deletes not enabled: 405).\n",
};

static void report(const struct gc_result *r, int apply)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct gc_item *it = &r->v[i];

		if (it->remove)
			printf("%s  %s  %s  (+%zu companion manifest%s)\n",
			       apply ? "deleted" : "delete ", it->tag, it->digest, it->companions,
			       it->companions == 1 ? "" : "s");
		else
			printf("keep     %s  %s  (%s)\n", it->tag, it->digest, it->why);
	}
	if (apply)
		printf("deleted %zu release%s (%zu manifests), kept %zu\n", r->removed,
		       r->removed == 1 ? "" : "s", r->manifests, r->kept);
	else
		printf("would delete %zu release%s, keep %zu (dry run: --yes deletes)\n", r->removed,
		       r->removed == 1 ? "" : "s", r->kept);
}

int cmd_gc(int argc, char **argv)
{
	struct store_opts opts = {0};
	struct gc_opts go = {0};
	struct gc_result res = {0};
	struct store *s = NULL;
	struct xp_ref ref = {0};
	struct xp_error err;
	char *tags[MAX_TAGS], *cache = NULL, *end;
	long long epoch;
	int c, ret, keep_set = 0, epoch_set;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &opts)) != -1) {
		switch (c) {
		case 'n':
			errno = 0;
			go.keep_last = (size_t)strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || optarg[0] == '-')
				return cmd_usage_error("gc", "invalid --keep-last '%s'", optarg);
			keep_set = 1;
			break;
		case 't':
			if (go.n_tags == MAX_TAGS)
				return cmd_usage_error("gc", "at most %d --tag", MAX_TAGS);
			if (!ref_valid_tag(optarg))
				return cmd_usage_error("gc", "invalid --tag '%s'", optarg);
			tags[go.n_tags++] = optarg;
			break;
		case 'c': go.delete_past_champions = 0; break;
		case 'D': go.delete_past_champions = 1; break;
		case 'o':
			if (xp_duration_parse(optarg, &go.older_than))
				return cmd_usage_error("gc", "invalid --older-than '%s' (e.g. 30d, 12h)", optarg);
			break;
		case 'y': go.apply = 1; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error("gc", "expected one repository reference");
	if (!keep_set)
		return cmd_usage_error("gc", "missing --keep-last N");
	if ((ret = cmd_epoch("gc", &epoch, &epoch_set)))
		return ret;
	if (ref_parse(argv[optind], 0, &ref, &err))
		return cmd_usage_error("gc", "%s", err.msg);
	regopt_prepare();
	opts.resolve_get = 1;   /* every release's manifest is read: one request, not two */
	cache = blobcache_default_dir();
	go.tags = tags;
	go.now = epoch;
	go.cache = cache;
	go.jobs = opts.jobs;
	if (store_open(&ref, &opts, &s, &err) || gc_run(s, &go, &res, &err)) {
		report(&res, go.apply);
		ret = cmd_fail(&err);
	} else {
		report(&res, go.apply);
		ret = XP_EXIT_OK;
	}
	gc_result_release(&res);
	store_close(s);
	ref_release(&ref);
	free(cache);
	return ret;
}
