/*
 * evaluate.c — `xpship evaluate`: compute a model's metrics from its
 * predictions, per group and with fairness disparities, into a metrics file
 * the gate reads.
 */
#include "cmd/cmd.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "pipeline/evaluate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{"task", 't', "TASK", 't', "binary (default), multiclass or regression"},
	{"predictions", 'p', "FILE", 'p',
	 "the predictions: CSV, TSV (.tsv) or JSON Lines (.jsonl),\n"
	 "optionally .gz or .zst; '-' for standard input"},
	{"label", 'l', "COL", 'l', "the true label (or value) column (default: label)"},
	{"score", 's', "COL", 's', "binary: the positive class's probability column"},
	{"scores", 0, "COLS", 'S',
	 "multiclass: the class probability columns, comma-separated,\n"
	 "in class order"},
	{"classes", 0, "LABELS", 'C',
	 "multiclass: the class labels, comma-separated, in the order\n"
	 "of --scores (default 0,1,...,K-1)"},
	{"pred", 0, "COL", 'P',
	 "the predicted label (regression: value) column, instead of\n"
	 "--score or --scores"},
	{"threshold", 0, "T", 'T', "binary: positive when score >= T (default 0.5)"},
	{"positive", 0, "VALUE", 'V', "binary: the positive label (default 1)"},
	{"beta", 0, "B", 'b', "the beta of fbeta (default 1)"},
	{"weight", 'w', "COL", 'w', "sample weights (scikit-learn's sample_weight)"},
	{"group", 'g', "COL", 'g',
	 "metrics per value of COL and the fairness disparities\n"
	 "between its groups (repeatable)"},
	{"min-group-size", 0, "N", 'm', "groups with fewer rows are flagged small (default 30)"},
	{"skip-invalid", 0, NULL, 'k',
	 "skip rows with a missing or invalid value (counted in\n"
	 "skipped_rows) instead of failing"},
	{"bootstrap", 0, "N", 'B',
	 "percentile confidence intervals ci.<metric>.low|high from N\n"
	 "bootstrap replicates (two threads)"},
	{"seed", 0, "S", 'R', "the bootstrap's seed (default 0): same seed, same bytes"},
	{"confidence", 0, "C", 'c', "the intervals' confidence level (default 0.95)"},
	{"baseline-predictions", 0, "FILE", 'x',
	 "the champion's predictions on the same rows, paired by\n"
	 "order: delta.<metric>, with --bootstrap delta_ci.<metric>,\n"
	 "and McNemar's exact test (mcnemar.p_value)"},
	{"id", 0, "COL", 'i',
	 "pair the baseline's rows with the candidate's by this column\n"
	 "(unique in each file) instead of by their order"},
	{"curves", 0, "FILE", 'K',
	 "binary with --score: write the ROC and precision-recall\n"
	 "curves' points to FILE (JSON, as scikit-learn's roc_curve and\n"
	 "precision_recall_curve give them)"},
	{"delimiter", 'd', "C", 'd', "CSV field delimiter (default ',')"},
	{"input-format", 0, "FMT", 'I', "csv, tsv or jsonl (default: by the file's extension)"},
	{"output", 'o', "FILE", 'o',
	 "write the metrics to FILE (atomically): YAML when FILE ends\n"
	 "in .yaml or .yml, else JSON"},
	{"format", 'f', "FMT", 'f',
	 "stdout: text (default, a table), json or yaml (the metrics)"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "evaluate",
	.synopsis =
	"usage: xpship evaluate --predictions FILE [--task binary] (--score COL | --pred COL)\n"
	"       xpship evaluate --predictions FILE --task multiclass (--scores COLS | --pred COL)\n"
	"                       [--classes LABELS]\n"
	"       xpship evaluate --predictions FILE --task regression --pred COL\n"
	"\n"
	"Common options:\n"
	"                       [--label COL] [--threshold T] [--positive VALUE] [--beta B]\n"
	"                       [--weight COL] [--group COL]... [--min-group-size N]\n"
	"                       [--skip-invalid] [--bootstrap N [--seed S] [--confidence C]]\n"
	"                       [--baseline-predictions FILE] [-o METRICS.json] [--format text|json|yaml]\n"
	"                       [--curves FILE] [--id COL]\n"
	"\n"
	"Compute a model's metrics from its predictions on an evaluation set, as\n"
	"scikit-learn computes them: accuracy, balanced accuracy, precision, recall,\n"
	"specificity, F1, F-beta, MCC, ROC AUC, average precision, log loss, Brier score,\n"
	"calibration error, the confusion matrix; per group with --group, with the\n"
	"disparities Fairlearn defines (demographic parity, equalized odds). Multiclass:\n"
	"accuracy, macro/micro/weighted precision, recall and F1, per-class metrics, log\n"
	"loss, one-vs-rest ROC AUC. Regression: MAE, MSE, RMSE, R2, MAPE, median absolute\n"
	"error, explained variance, max error. The metrics file is what\n"
	"'xpship gate --metrics' reads. Definitions: docs/evaluate.md.\n",
	.opts = options,
	.notes =
	"Exit codes:\n"
	"  0  metrics computed (a metric not defined on the data is left out, with a warning)\n"
	"  2  usage error\n"
	"  3  malformed input: a missing or invalid value, a label outside the classes,\n"
	"     a ragged row, broken quoting (reported as file:line:col)\n"
	"  4  the predictions cannot be read, or the output cannot be written\n"
	"\n"
	"Under GITHUB_ACTIONS=true a Markdown report (the metrics, their intervals,\n"
	"the per-group tables and disparities) is appended to $GITHUB_STEP_SUMMARY.\n",
};

static int parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return !*s || *end || errno || !isfinite(*out) ? -1 : 0;
}

static int parse_task(const char *s, enum eval_task *t)
{
	if (strcmp(s, "binary") == 0)
		*t = EVAL_BINARY;
	else if (strcmp(s, "multiclass") == 0)
		*t = EVAL_MULTICLASS;
	else if (strcmp(s, "regression") == 0)
		*t = EVAL_REGRESSION;
	else
		return -1;
	return 0;
}

struct args {
	struct eval_opts o;
	const char *groups[EVAL_MAX_GROUP_COLS];
	char **scores, **classes;
	const char *output;
	enum { OUT_TEXT, OUT_JSON, OUT_YAML } format;
};

/* -1 when the command should run, else the exit code. */
static int parse_args(int argc, char **argv, struct args *a)
{
	struct eval_opts *o = &a->o;
	double v;
	int c;

	while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_task(optarg, &o->task))
				return cmd_usage_error("evaluate", "invalid task '%s': expected binary, multiclass or regression", optarg);
			break;
		case 'p': o->predictions = optarg; break;
		case 'l': o->label = optarg; break;
		case 's': o->score = optarg; break;
		case 'P': o->pred = optarg; break;
		case 'S':
			cmd_free_list(a->scores);
			a->scores = cmd_split_list(optarg, &o->n_scores);
			o->scores = (const char *const *)a->scores;
			break;
		case 'C':
			cmd_free_list(a->classes);
			a->classes = cmd_split_list(optarg, &o->n_classes);
			o->classes = (const char *const *)a->classes;
			break;
		case 'T':
			if (parse_double(optarg, &o->threshold) || o->threshold < 0 || o->threshold > 1)
				return cmd_usage_error("evaluate", "invalid threshold '%s': expected a number in [0, 1]", optarg);
			break;
		case 'V': o->positive = optarg; break;
		case 'b':
			if (parse_double(optarg, &o->beta) || !(o->beta > 0))
				return cmd_usage_error("evaluate", "invalid beta '%s': expected a positive number", optarg);
			break;
		case 'w': o->weight = optarg; break;
		case 'g':
			if (o->n_groups == EVAL_MAX_GROUP_COLS)
				return cmd_usage_error("evaluate", "at most %d --group columns", EVAL_MAX_GROUP_COLS);
			a->groups[o->n_groups++] = optarg;
			break;
		case 'm':
			if (parse_double(optarg, &v) || v < 0 || v != floor(v) || v > 1e12)
				return cmd_usage_error("evaluate", "invalid group size '%s'", optarg);
			o->min_group_size = (size_t)v;
			break;
		case 'k': o->skip_invalid = 1; break;
		case 'B':
			if (parse_double(optarg, &v) || v < 1 || v != floor(v) || v > 1e6)
				return cmd_usage_error("evaluate", "invalid bootstrap count '%s': expected 1 to 1000000", optarg);
			o->bootstrap = (size_t)v;
			break;
		case 'R':
			if (parse_double(optarg, &v) || v < 0 || v != floor(v) || v > 9007199254740992.0)
				return cmd_usage_error("evaluate", "invalid seed '%s': expected a non-negative integer", optarg);
			o->seed = (uint64_t)v;
			break;
		case 'c':
			if (parse_double(optarg, &o->confidence) || !(o->confidence > 0 && o->confidence < 1))
				return cmd_usage_error("evaluate", "invalid confidence '%s': expected a number in (0, 1)", optarg);
			break;
		case 'x': o->baseline = optarg; break;
		case 'i': o->id = optarg; break;
		case 'K': o->curves = optarg; break;
		case 'd':
			if (strlen(optarg) != 1 || optarg[0] == '"' || optarg[0] == '\n' || optarg[0] == '\r')
				return cmd_usage_error("evaluate", "invalid delimiter '%s': expected one character", optarg);
			o->table.delimiter = optarg[0];
			break;
		case 'I':
			if (cmd_parse_table_format(optarg, &o->table.format))
				return cmd_usage_error("evaluate", "invalid input format '%s': expected csv, tsv or jsonl", optarg);
			break;
		case 'o': a->output = optarg; break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				a->format = OUT_JSON;
			else if (strcmp(optarg, "yaml") == 0)
				a->format = OUT_YAML;
			else if (strcmp(optarg, "text") == 0)
				a->format = OUT_TEXT;
			else
				return cmd_usage_error("evaluate", "invalid format '%s': expected text, json or yaml", optarg);
			break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error("evaluate", "unexpected argument '%s'", argv[optind]);
	if (!o->predictions)
		return cmd_usage_error("evaluate", "missing --predictions FILE");
	o->groups = a->groups;
	return -1;
}

static int is_yaml_name(const char *path)
{
	size_t n = strlen(path);

	return (n > 5 && strcmp(path + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(path + n - 4, ".yml") == 0);
}

static int run(const struct args *a)
{
	struct eval_result r;
	struct xp_error err;
	struct strbuf sb = STRBUF_INIT;
	char *file = NULL, *line, *nl;
	int ret = XP_EXIT_OK;

	xp_error_clear(&err);
	if (evaluate_run(&a->o, &r, &err)) {
		if (err.cls == XP_ERR_USAGE)
			return cmd_usage_error("evaluate", "%s", err.msg);
		return cmd_fail(&err);
	}
	for (line = r.notes.buf; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		diag_warning("%.*s", (int)(nl - line), line);
	}
	if (a->output) {
		file = is_yaml_name(a->output) ? evaluate_to_yaml(&r) : evaluate_to_json(&r);
		if (file_write_atomic(a->output, file, strlen(file), 0644, &err))
			goto fail;
	}
	if (a->o.curves &&
	    file_write_atomic(a->o.curves, r.curves.buf, r.curves.len, 0644, &err))
		goto fail;
	if (diag_github()) {
		evaluate_to_markdown(&r, &sb);
		if (file_append_env("GITHUB_STEP_SUMMARY", sb.buf, sb.len, &err))
			goto fail;
		strbuf_reset(&sb);
	}
	if (a->format == OUT_JSON)
		free(file), file = evaluate_to_json(&r), fputs(file, stdout);
	else if (a->format == OUT_YAML)
		free(file), file = evaluate_to_yaml(&r), fputs(file, stdout);
	else
		evaluate_to_text(&r, &sb), fputs(sb.buf, stdout);
	goto out;
fail:
	ret = cmd_fail(&err);
out:
	free(file);
	strbuf_release(&sb);
	eval_result_release(&r);
	return ret;
}

int cmd_evaluate(int argc, char **argv)
{
	struct args a;
	int ret;

	memset(&a, 0, sizeof(a));
	eval_opts_init(&a.o);
	ret = parse_args(argc, argv, &a);
	if (ret < 0)
		ret = run(&a);
	cmd_free_list(a.scores);
	cmd_free_list(a.classes);
	return ret;
}
