/*
 * evaluate.h — model metrics computed from predictions (docs/evaluate.md).
 *
 * evaluate_run reads a predictions table (common/table.h) in one pass, keeping
 * only the columns the metrics need in compact arrays, and computes the metrics
 * of the task as scikit-learn 1.2 defines them (weights as its sample_weight),
 * per group and with the fairness disparities Fairlearn defines when groups are
 * asked for. The result is a jansson tree of numbers only, in a fixed shape the
 * gate's metrics loader reads (pipeline/metrics.h): scalars at the top level,
 * `confusion_matrix`, `by_group.<column>.<value>.<metric>`,
 * `fairness.<column>.<name>`, `rows`, `skipped_rows`; with a bootstrap
 * `ci.<metric>.low|high`; with a baseline `delta.<metric>`,
 * `delta_ci.<metric>.low|high` and `mcnemar.*`. A metric that is not
 * defined on the data (scikit-learn raises or returns NaN: ROC AUC with one
 * class) is left out and named in the result's notes.
 *
 * Errors: an input value that is missing, not a number, out of range or a label
 * outside the classes is XP_ERR_MALFORMED at file:line:col (with skip_invalid
 * the row is counted in skipped_rows instead); an input with no rows is
 * XP_ERR_MALFORMED; options that contradict each other are XP_ERR_USAGE.
 */
#ifndef XPSHIP_PIPELINE_EVALUATE_H
#define XPSHIP_PIPELINE_EVALUATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/table.h"

enum eval_task { EVAL_BINARY, EVAL_MULTICLASS, EVAL_REGRESSION };

#define EVAL_MAX_GROUP_COLS 8
#define EVAL_MAX_GROUPS 10000   /* distinct values of one group column */
#define EVAL_MAX_CLASSES 1000

struct eval_opts {
	enum eval_task task;
	const char *predictions;      /* path, "-": stdin */
	struct table_opts table;
	const char *label;            /* truth column; NULL: "label" */
	const char *score;            /* binary: positive-class probability column */
	const char *pred;             /* predicted label (or value, regression) column */
	const char *const *scores;    /* multiclass: one probability column per class */
	size_t n_scores;
	const char *const *classes;   /* multiclass: class labels in column order */
	size_t n_classes;
	const char *positive;         /* binary: the positive label; NULL: "1" */
	double threshold;             /* binary: positive when score >= threshold */
	double beta;                  /* fbeta */
	const char *weight;           /* sample weight column, or NULL */
	const char *const *groups;    /* group columns */
	size_t n_groups;
	size_t min_group_size;        /* groups smaller are flagged `small` */
	int skip_invalid;
	size_t bootstrap;             /* replicates for ci.*, 0: none */
	uint64_t seed;                /* of the bootstrap */
	double confidence;            /* of the intervals (default 0.95) */
	const char *baseline;         /* the champion's predictions, paired by row */
	const char *id;               /* pair the baseline by this column, not by order */
	const char *curves;           /* binary: fill the result's curves (a path, for
					 the caller; the library writes no file) */
};

/* Fill o with the defaults (binary, threshold 0.5, beta 1, min group size 30,
 * confidence 0.95). */
void eval_opts_init(struct eval_opts *o);

struct eval_result {
	json_t *metrics;              /* the metrics tree, owned */
	struct strbuf notes;          /* "roc_auc: ...\n" for each undefined metric */
	struct strbuf curves;         /* with opts.curves: the curves' JSON document */
	size_t rows, skipped;
};

int evaluate_run(const struct eval_opts *o, struct eval_result *r, struct xp_error *err);
void eval_result_release(struct eval_result *r);

/* The metrics JSON (2-space indent, numbers in their shortest exact form,
 * trailing newline). Caller frees. */
char *evaluate_to_json(const struct eval_result *r);
/* The same tree as YAML (block style, two-space indent; keys plain when they
 * cannot read as another type, else double-quoted; numbers as in the JSON, an
 * exponent always after a '.'), which `gate --metrics` reads alike. Caller
 * frees. */
char *evaluate_to_yaml(const struct eval_result *r);
/* GitHub-flavoured Markdown (the job summary): the top-level metrics with
 * their intervals and deltas, then the per-group tables and disparities as
 * the gate's report shows them (report_groups_markdown). */
void evaluate_to_markdown(const struct eval_result *r, struct strbuf *out);
/* The human table: overall metrics, then one table per group column. */
void evaluate_to_text(const struct eval_result *r, struct strbuf *out);

#endif
