/*
 * history.c — `xpship history`: a repository's releases, newest first, with
 * their metrics, verdicts, signers and the champion chain.
 */
#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "packager/blobcache.h"
#include "packager/history_format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_METRICS 32

static const struct cmd_opt options[] = {
	{"tag", 't', "TAG", 't',
	 "the champion tag whose chain is shown (default prod)"},
	{"limit", 'n', "N", 'n',
	 "the N newest releases only"},
	{"metric", 'm', "M", 'm',
	 "a metric column (repeatable; default: none besides the objective)"},
	{"format", 'f', "FORMAT", 'f',
	 "table (default), json, csv, markdown or html (a page with a\n"
	 "trend chart per metric)"},
	{"key", 'k', "PUB", 'k',
	 "read the champion chain from promotion statements verified with PUB"},
	{"verify-key", 0, "PUB", 'k',
	 "the same as --key"},
	{"no-cache", 0, NULL, 'C',
	 "do not read or write the blob cache"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "history",
	.synopsis =
	"usage: xpship history [--tag TAG] [--limit N] [--metric M]... [--format F]\n"
	"                      [--key PUB] [--jobs N] [--plain-http] REPO\n"
	"\n"
	"List every release of REPO ([docker://]HOST[:PORT]/REPO, or a local layout)\n"
	"newest first: tag, digest, created, experiment, objective value, the chosen\n"
	"metrics, gate verdict, signer key id, and whether it is or was a champion of\n"
	"TAG, followed by the chain of champions from the promotion log. Companion\n"
	"tags (signatures, attestations) are not releases. Only manifests and configs\n"
	"are read (never model layers), --jobs at a time, and kept by digest in\n"
	"$XDG_CACHE_HOME/xpship (else ~/.cache/xpship). A release whose metadata\n"
	"cannot be read is listed with a note; releases without metrics show '-'.\n",
	.opts = options,
	.registry = CMD_REG_TLS | CMD_REG_TRANSFER,
	.notes =
	"Exit codes: 0 listed, 2 usage, 3 malformed layout, 4 local error,\n"
	"5 registry error.\n",
};

static int parse_limit(const char *s, size_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || end == s)
		return -1;
	*out = (size_t)v;
	return 0;
}

int cmd_history(int argc, char **argv)
{
	struct store_opts opts = {0};
	struct history_opts ho = {0};
	struct history h = {0};
	struct store *s = NULL;
	struct sign_key *key = NULL;
	struct xp_ref ref = {0};
	struct xp_error err;
	enum history_format fmt = HISTORY_TABLE;
	char *metrics[MAX_METRICS], *cache = NULL, *text;
	const char *key_spec = NULL;
	size_t nm = 0, i;
	int c, ret, no_cache = 0;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &opts)) != -1) {
		switch (c) {
		case 't': ho.tag = optarg; break;
		case 'n':
			if (parse_limit(optarg, &ho.limit))
				return cmd_usage_error("history", "invalid --limit '%s'", optarg);
			break;
		case 'm':
			if (nm == MAX_METRICS)
				return cmd_usage_error("history", "at most %d --metric", MAX_METRICS);
			metrics[nm++] = optarg;
			break;
		case 'f':
			if (history_format_parse(optarg, &fmt))
				return cmd_usage_error("history", "invalid --format '%s' (table, json, csv, markdown or html)",
						       optarg);
			break;
		case 'k': key_spec = optarg; break;
		case 'C': no_cache = 1; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error("history", "expected one repository reference");
	if (ho.tag && !ref_valid_tag(ho.tag))
		return cmd_usage_error("history", "invalid --tag '%s'", ho.tag);
	if (ref_parse(argv[optind], 0, &ref, &err))
		return cmd_usage_error("history", "%s", err.msg);
	if (key_spec && key_read_public(key_spec, &key, &err)) {
		ref_release(&ref);
		return cmd_fail(&err);
	}
	regopt_prepare();
	opts.resolve_get = 1;   /* every release's manifest is read: one request, not two */
	cache = no_cache ? NULL : blobcache_default_dir();
	ho.cache = cache;
	ho.jobs = opts.jobs;
	ho.key = key;
	if (store_open(&ref, &opts, &s, &err) || history_read(s, &ho, &h, &err)) {
		ret = cmd_fail(&err);
		goto out;
	}
	for (i = 0; i < h.n; i++)
		if (h.v[i].problem)
			diag_note("release '%s' not read: %s", h.v[i].tag, h.v[i].problem);
	text = history_format(&h, store_name(s), fmt, metrics, nm);
	fputs(text, stdout);
	free(text);
	ret = XP_EXIT_OK;
out:
	history_release(&h);
	store_close(s);
	key_free(key);
	ref_release(&ref);
	free(cache);
	return ret;
}
