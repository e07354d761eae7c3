/*
 * drift.c — `xpship drift`: compare current data with a reference (data, a
 * profile, or a bundle's profile layer) into a metrics file the gate reads, a
 * table, a job summary and an HTML report (pipeline/drift.h).
 */
#include "cmd/bundlearg.h"
#include "cmd/cmd.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "packager/bundle.h"
#include "pipeline/drift.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct cmd_opt options[] = {
	{"reference", 'r', "REF", 'r',
	 "the reference: data (CSV/TSV/JSON Lines, .gz/.zst), a profile\n"
	 "(.json, from 'xpship profile') or a bundle (oci:DIR[:TAG],\n"
	 "oci-archive:FILE[:TAG], REGISTRY/REPO:TAG) packed with --profile"},
	{"current", 'c', "DATA", 'c', "the current data (repeatable; '-' for standard input)"},
	{"columns", 0, "COLS", 'C', "compare only these columns (comma-separated)"},
	{"categorical", 0, "COLS", 'K', "data reference: treat these columns as categorical"},
	{"bins", 'b', "N", 'b', "data reference: PSI bins on its quantiles (default 10)"},
	{"psi-threshold", 0, "X", 'P', "a column drifts when PSI > X (default 0.2)"},
	{"alpha", 0, "A", 'A', "... or its test's p < A / columns tested (default 0.05)"},
	{"delimiter", 'd', "C", 'd', "CSV field delimiter (default ',')"},
	{"input-format", 0, "FMT", 'I', "csv, tsv or jsonl (default: by the file's extension)"},
	{"output", 'o', "FILE", 'o', "write the metrics JSON to FILE (atomically)"},
	{"html", 0, "FILE", 'H', "write a self-contained HTML report to FILE"},
	{"summary", 0, "FILE", 'M', "write the Markdown summary to FILE"},
	{"format", 'f', "FMT", 'f', "stdout: text (default, a table) or json (the metrics)"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "drift",
	.synopsis =
	"usage: xpship drift --reference PROFILE|DATA|BUNDLE --current DATA [--columns C,...]\n"
	"                    [-o METRICS.json] [--html REPORT.html] [--summary SUMMARY.md]\n"
	"\n"
	"Compare the distribution of current data (a production sample) with a\n"
	"reference, column by column: PSI, Kolmogorov-Smirnov statistic and p-value,\n"
	"Jensen-Shannon distance, Wasserstein-1 for numeric columns; PSI, JS and the\n"
	"chi-square test for categorical ones; missing shares, values out of the\n"
	"reference's range, unseen categories. A column drifts when PSI > 0.2 or its\n"
	"test's p-value < 0.05 / columns tested (Bonferroni). The metrics file\n"
	"(drift.<column>.psi, drift.share_drifted, quality.<column>.*, ...) is what\n"
	"'xpship gate --metrics' reads. A bundle reference fetches only its profile\n"
	"layer. Definitions: docs/drift.md.\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.registry_heading = "Registry options (a bundle reference):",
	.notes =
	"Under GITHUB_ACTIONS=true the Markdown summary is also appended to\n"
	"$GITHUB_STEP_SUMMARY.\n"
	"\n"
	"Exit codes:\n"
	"  0  statistics computed (whether or not columns drifted: the gate decides)\n"
	"  2  usage error\n"
	"  3  malformed input: broken data (file:line:col), a profile that does not\n"
	"     parse, a bundle without a profile\n"
	"  4  an input cannot be read, or an output cannot be written\n"
	"  5  registry error\n",
};

struct args {
	struct drift_opts o;
	struct store_opts sopts;
	const char *reference, **current;
	size_t n_current;
	char **columns, **categorical;
	const char *output, *html, *summary;
	int json;
};

static int parse_num(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return !*s || *end || errno || !isfinite(*out) ? -1 : 0;
}

static int parse_opt(struct args *a, int c)
{
	struct drift_opts *o = &a->o;
	double v;

	switch (c) {
	case 'r': a->reference = optarg; break;
	case 'c':
		a->current = xrealloc(a->current, (a->n_current + 1) * sizeof(*a->current));
		a->current[a->n_current++] = optarg;
		break;
	case 'C':
		cmd_free_list(a->columns);
		a->columns = cmd_split_list(optarg, &o->n_columns);
		o->columns = (const char *const *)a->columns;
		break;
	case 'K':
		cmd_free_list(a->categorical);
		a->categorical = cmd_split_list(optarg, &o->n_categorical);
		o->categorical = (const char *const *)a->categorical;
		break;
	case 'b':
		if (parse_num(optarg, &v) || v < 1 || v > PROFILE_MAX_BINS || v != floor(v))
			return cmd_usage_error("drift", "invalid bins '%s': expected 1 to %d", optarg, PROFILE_MAX_BINS);
		o->bins = (unsigned)v;
		break;
	case 'P':
		if (parse_num(optarg, &o->psi_threshold) || o->psi_threshold < 0)
			return cmd_usage_error("drift", "invalid PSI threshold '%s'", optarg);
		break;
	case 'A':
		if (parse_num(optarg, &o->alpha) || !(o->alpha > 0 && o->alpha < 1))
			return cmd_usage_error("drift", "invalid alpha '%s': expected a number in (0, 1)", optarg);
		break;
	case 'd':
		if (strlen(optarg) != 1 || optarg[0] == '"' || optarg[0] == '\n' || optarg[0] == '\r')
			return cmd_usage_error("drift", "invalid delimiter '%s': expected one character", optarg);
		o->table.delimiter = optarg[0];
		break;
	case 'I':
		if (cmd_parse_table_format(optarg, &o->table.format))
			return cmd_usage_error("drift", "invalid input format '%s': expected csv, tsv or jsonl", optarg);
		break;
	case 'o': a->output = optarg; break;
	case 'H': a->html = optarg; break;
	case 'M': a->summary = optarg; break;
	case 'f':
		if (strcmp(optarg, "json") && strcmp(optarg, "text"))
			return cmd_usage_error("drift", "invalid format '%s': expected text or json", optarg);
		a->json = strcmp(optarg, "json") == 0;
		break;
	case CMD_OPT_HELP: return XP_EXIT_OK;
	default: return XP_EXIT_USAGE;
	}
	return -1;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	int c, ret;

	while ((c = cmd_parse(&spec, argc, argv, &a->sopts)) != -1)
		if ((ret = parse_opt(a, c)) >= 0)
			return ret;
	if (optind < argc)
		return cmd_usage_error("drift", "unexpected argument '%s'", argv[optind]);
	if (!a->reference)
		return cmd_usage_error("drift", "missing --reference PROFILE|DATA|BUNDLE");
	if (!a->n_current)
		return cmd_usage_error("drift", "missing --current DATA");
	return -1;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Data by its extension (what common/table.h reads), a profile by ".json";
 * anything else names a bundle. */
static enum drift_ref_kind kind_of(const char *ref, int *bundle)
{
	static const char *const data[] = {".csv", ".tsv", ".tab", ".jsonl", ".ndjson", NULL};
	char base[4096];
	struct stat st;
	size_t i, n;

	*bundle = 0;
	if (strcmp(ref, "-") == 0)
		return DRIFT_REF_DATA;
	snprintf(base, sizeof(base), "%s", ref);
	n = strlen(base);
	if (ends_with(base, ".gz"))
		base[n - 3] = '\0';
	else if (ends_with(base, ".zst"))
		base[n - 4] = '\0';
	if (stat(ref, &st) == 0 && S_ISREG(st.st_mode)) {
		if (ends_with(ref, ".json"))
			return DRIFT_REF_PROFILE;
		for (i = 0; data[i]; i++)
			if (ends_with(base, data[i]))
				return DRIFT_REF_DATA;
	}
	*bundle = 1;
	return DRIFT_REF_PROFILE_BUF;
}

/* The bundle's profile layer, fetched alone, into o->ref_buf. */
static int fetch_profile(struct args *a, char **buf)
{
	struct store *s;
	struct oci_desc m;
	struct xp_error err;
	size_t len;
	int ret;

	if ((ret = bundlearg_open("drift", a->reference, &a->sopts, &s, &m)))
		return ret;
	xp_error_clear(&err);
	ret = bundle_fetch_profile(s, &m, buf, &len, &err) ? cmd_fail(&err) : 0;
	a->o.ref_buf = *buf;
	a->o.ref_len = len;
	a->o.ref_name = a->reference;
	oci_desc_release(&m);
	store_close(s);
	return ret;
}

static int emit(const struct args *a, const struct drift_result *r)
{
	struct strbuf sb = STRBUF_INIT;
	struct xp_error err;
	char *text = drift_to_json(r);
	int ret = 0;

	xp_error_clear(&err);
	if (a->output)
		ret = file_write_atomic(a->output, text, strlen(text), 0644, &err);
	if (ret == 0 && a->html) {
		drift_to_html(r, &sb);
		ret = file_write_atomic(a->html, sb.buf, sb.len, 0644, &err);
	}
	strbuf_reset(&sb);
	drift_to_markdown(r, &sb);
	if (ret == 0 && a->summary)
		ret = file_write_atomic(a->summary, sb.buf, sb.len, 0644, &err);
	if (ret == 0 && diag_github())
		ret = file_append_env("GITHUB_STEP_SUMMARY", sb.buf, sb.len, &err);
	if (ret == 0) {
		strbuf_reset(&sb);
		if (a->json)
			fputs(text, stdout);
		else
			drift_to_text(r, &sb);
		fputs(sb.buf, stdout);
	}
	free(text);
	strbuf_release(&sb);
	return ret ? cmd_fail(&err) : XP_EXIT_OK;
}

static int run(struct args *a)
{
	struct drift_result r;
	struct xp_error err;
	char *buf = NULL;
	int bundle, ret;

	a->o.ref_kind = kind_of(a->reference, &bundle);
	a->o.reference = &a->reference;
	a->o.n_reference = 1;
	a->o.current = a->current;
	a->o.n_current = a->n_current;
	if (bundle && (ret = fetch_profile(a, &buf))) {
		free(buf);
		return ret;
	}
	xp_error_clear(&err);
	if (drift_run(&a->o, &r, &err)) {
		free(buf);
		if (err.cls == XP_ERR_USAGE)
			return cmd_usage_error("drift", "%s", err.msg);
		return cmd_fail(&err);
	}
	free(buf);
	ret = emit(a, &r);
	drift_result_release(&r);
	return ret;
}

int cmd_drift(int argc, char **argv)
{
	struct args a;
	int ret;

	memset(&a, 0, sizeof(a));
	drift_opts_init(&a.o);
	ret = parse_args(argc, argv, &a);
	if (ret < 0)
		ret = run(&a);
	free(a.current);
	cmd_free_list(a.columns);
	cmd_free_list(a.categorical);
	return ret;
}
