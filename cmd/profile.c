/*
 * profile.c — `xpship profile`: summarise tabular data into a mergeable
 * profile (pipeline/profile.h), and `xpship profile merge` to combine the
 * profiles of shards.
 */
#include "cmd/cmd.h"
#include "common/fileio.h"
#include "pipeline/profile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{"columns", 'c', "COLS", 'c', "profile only these columns (comma-separated; required\n"
				      "for JSON Lines)"},
	{"categorical", 0, "COLS", 'C', "treat these columns as categorical"},
	{"numeric", 0, "COLS", 'N', "treat these columns as numeric"},
	{"bins", 'b', "N", 'b', "histogram bins on the data's quantiles (default 10)"},
	{"top-k", 'k', "K", 'k', "categories counted per column (default 50; the rest\n"
				 "are 'other')"},
	{"sample", 0, "N", 's', "keep a reservoir sample of N values per numeric column\n"
				"(exact KS tests in drift)"},
	{"seed", 0, "S", 'S', "the sample's seed (default 0): same seed, same bytes"},
	{"delimiter", 'd', "C", 'd', "CSV field delimiter (default ',')"},
	{"input-format", 0, "FMT", 'I', "csv, tsv or jsonl (default: by the file's extension)"},
	{"output", 'o', "FILE", 'o', "write the profile to FILE (atomically; default stdout)"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "profile",
	.synopsis =
	"usage: xpship profile [--columns C,...] [--categorical C,...] [--bins 10]\n"
	"                      [--top-k 50] [--sample N [--seed S]] [-o PROFILE.json] DATA...\n"
	"       xpship profile merge [-o ALL.json] PROFILE.json...\n"
	"\n"
	"Summarise CSV, TSV or JSON Lines data (optionally .gz or .zst; '-' for standard\n"
	"input) in one streaming pass: per column its type, count, missing count; numeric:\n"
	"min, max, mean, standard deviation, a KLL quantile sketch, a histogram on its\n"
	"quantiles and an optional reservoir sample; categorical: the top-K categories.\n"
	"Profiles of shards merge into the profile of the whole ('profile merge').\n"
	"'xpship drift --reference' and 'xpship pack --profile' read it. Format and error\n"
	"bounds: docs/drift.md.\n",
	.opts = options,
	.notes =
	"Exit codes:\n"
	"  0  profile written\n"
	"  2  usage error\n"
	"  3  malformed input: broken data (file:line:col), a profile that does not\n"
	"     parse, or profiles that do not merge\n"
	"  4  an input cannot be read, or the output cannot be written\n",
};

struct args {
	struct profile_opts o;
	char **columns, **categorical, **numeric;
	const char *output;
};

static int parse_count(const char *s, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return !*s || *end || errno || !(*out >= 0) || *out > max || *out != floor(*out) ? -1 : 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	struct profile_opts *o = &a->o;
	double v;
	int c;

	while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1) {
		switch (c) {
		case 'c':
			cmd_free_list(a->columns);
			a->columns = cmd_split_list(optarg, &o->n_columns);
			o->columns = (const char *const *)a->columns;
			break;
		case 'C':
			cmd_free_list(a->categorical);
			a->categorical = cmd_split_list(optarg, &o->n_categorical);
			o->categorical = (const char *const *)a->categorical;
			break;
		case 'N':
			cmd_free_list(a->numeric);
			a->numeric = cmd_split_list(optarg, &o->n_numeric);
			o->numeric = (const char *const *)a->numeric;
			break;
		case 'b':
			if (parse_count(optarg, PROFILE_MAX_BINS, &v) || v < 1)
				return cmd_usage_error("profile", "invalid bins '%s': expected 1 to %d", optarg, PROFILE_MAX_BINS);
			o->bins = (unsigned)v;
			break;
		case 'k':
			if (parse_count(optarg, PROFILE_MAX_TOP_K, &v) || v < 1)
				return cmd_usage_error("profile", "invalid top-k '%s': expected 1 to %d", optarg, PROFILE_MAX_TOP_K);
			o->top_k = (unsigned)v;
			break;
		case 's':
			if (parse_count(optarg, PROFILE_MAX_SAMPLE, &v))
				return cmd_usage_error("profile", "invalid sample size '%s': expected 0 to %d", optarg, PROFILE_MAX_SAMPLE);
			o->sample = (size_t)v;
			break;
		case 'S':
			if (parse_count(optarg, 9007199254740992.0, &v))
				return cmd_usage_error("profile", "invalid seed '%s': expected a non-negative integer", optarg);
			o->seed = (uint64_t)v;
			break;
		case 'd':
			if (strlen(optarg) != 1 || optarg[0] == '"' || optarg[0] == '\n' || optarg[0] == '\r')
				return cmd_usage_error("profile", "invalid delimiter '%s': expected one character", optarg);
			o->table.delimiter = optarg[0];
			break;
		case 'I':
			if (cmd_parse_table_format(optarg, &o->table.format))
				return cmd_usage_error("profile", "invalid input format '%s': expected csv, tsv or jsonl", optarg);
			break;
		case 'o': a->output = optarg; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	return -1;
}

static int emit(const struct profile *p, const char *output)
{
	struct xp_error err;
	char *text = profile_to_json(p);
	int ret = XP_EXIT_OK;

	xp_error_clear(&err);
	if (output) {
		if (file_write_atomic(output, text, strlen(text), 0644, &err))
			ret = cmd_fail(&err);
	} else {
		fputs(text, stdout);
	}
	free(text);
	return ret;
}

static int run(struct args *a, int merge, int argc, char **argv)
{
	struct profile p;
	struct xp_error err;
	int ret;

	if (optind >= argc)
		return cmd_usage_error("profile", merge ? "missing PROFILE.json to merge" : "missing DATA");
	xp_error_clear(&err);
	a->o.inputs = (const char *const *)argv + optind;
	a->o.n_inputs = (size_t)(argc - optind);
	if (merge ? profile_merge_files(a->o.inputs, a->o.n_inputs, &p, &err)
		  : profile_build(&a->o, &p, &err)) {
		if (err.cls == XP_ERR_USAGE)
			return cmd_usage_error("profile", "%s", err.msg);
		return cmd_fail(&err);
	}
	ret = emit(&p, a->output);
	profile_release(&p);
	return ret;
}

int cmd_profile(int argc, char **argv)
{
	struct args a;
	int ret, merge = argc > 1 && strcmp(argv[1], "merge") == 0;

	memset(&a, 0, sizeof(a));
	profile_opts_init(&a.o);
	if (merge) {
		argc--;
		argv++;
	}
	ret = parse_args(argc, argv, &a);
	if (ret < 0 && merge && (a.columns || a.categorical || a.numeric))
		ret = cmd_usage_error("profile", "merge takes only -o and profiles");
	if (ret < 0)
		ret = run(&a, merge, argc, argv);
	cmd_free_list(a.columns);
	cmd_free_list(a.categorical);
	cmd_free_list(a.numeric);
	return ret;
}
