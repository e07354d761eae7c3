/*
 * evaluate_impl.h — what the evaluate reader (evaluate.c) shares with the
 * metric computations (eval_binary.c, ...): the predictions held in columnar
 * arrays, the group columns, and small helpers. Private to pipeline/.
 */
#ifndef XPSHIP_PIPELINE_EVALUATE_IMPL_H
#define XPSHIP_PIPELINE_EVALUATE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/strbuf.h"
#include "pipeline/evaluate.h"

/* One group column: its distinct values and each row's value id. */
struct eval_group {
	const char *col;
	size_t idx;             /* table column */
	char **values;          /* in first-seen order; ids index it */
	size_t n;
	size_t *slots_;         /* private: open-addressing hash of id + 1 */
	size_t cap_;
	uint32_t *id;           /* per row */
	size_t *order;          /* ids sorted by value (for output) */
};

/* The rows kept, columnar; which arrays exist depends on the task. */
struct eval_data {
	size_t n, cap;
	uint8_t *yb, *pb;       /* binary: truth and predicted, 1 = positive */
	uint16_t *yc, *pc;      /* multiclass: class indices */
	double *yr;             /* regression truth */
	double *s;              /* binary score, regression prediction */
	double *S;              /* multiclass scores, n x k */
	size_t k;               /* classes */
	double *w;              /* NULL: every weight 1 */
	struct eval_group g[EVAL_MAX_GROUP_COLS];
	size_t ng;
};

/* Weight of row i. */
static inline double eval_w(const struct eval_data *d, size_t i)
{
	return d->w ? d->w[i] : 1.0;
}

/* Add `v` under `key` in obj, as a JSON real (integers stay integers in the
 * output: jsonw_tree writes the shortest exact form). */
void eval_set(json_t *obj, const char *key, double v);
/* A note "<path>: <why>\n" for a metric left out. */
void eval_note(struct eval_result *r, const char *path, const char *why);

/* The binary metrics into obj (overall, then by group and fairness when d has
 * group columns). Notes go to r. */
void eval_binary(const struct eval_opts *o, const struct eval_data *d, json_t *obj,
		 struct eval_result *r);

/* Binary bootstrap replicates on precomputed per-row terms (eval_binary.c):
 * the metrics of d with row i drawn m[i] times, as eval_binary computes them
 * with weights m[i]·w[i] and no groups. */
struct bin_prep;
struct bin_prep *eval_binary_prepare(const struct eval_data *d);
void eval_binary_replicate(const struct eval_opts *o, const struct bin_prep *p,
			   const uint32_t *m, json_t *obj, struct eval_result *r);
void eval_binary_prep_free(struct bin_prep *p);

/* Bootstrap intervals (ci.*) of every top-level scalar of r->metrics, and with
 * a baseline the deltas (delta.*), their paired intervals (delta_ci.*) and
 * McNemar's exact test. d and base hold no group columns' effect here. */
void eval_compare(const struct eval_opts *o, const struct eval_data *d,
		  const struct eval_data *base, const char *const *classes,
		  struct eval_result *r);
/* The task's metrics of d (no groups) into obj; notes go to r. */
void eval_task(const struct eval_opts *o, const struct eval_data *d,
	       const char *const *classes, json_t *obj, struct eval_result *r);

/* The multiclass metrics of d into obj (`path` names obj in notes). */
void eval_multiclass(const struct eval_opts *o, const struct eval_data *d,
		     const char *const *classes, json_t *obj, const char *path,
		     struct eval_result *r);
/* The regression metrics of d into obj. */
void eval_regression(const struct eval_opts *o, const struct eval_data *d, json_t *obj,
		     const char *path, struct eval_result *r);

/* Multiclass and regression: the between-group disparities of the metrics
 * in `groups` (the by_group object of column col) into out (eval_fair.c). */
void eval_task_fairness(const struct eval_opts *o, const char *col, json_t *groups,
			json_t *out, struct eval_result *r);

/* The ROC and precision-recall curves' points of binary data with scores, as
 * a JSON document into r->curves (eval_curves.c). */
void eval_curves(const struct eval_data *d, struct eval_result *r);

/* A path for notes: "<prefix>.<name>", or "<name>" when prefix is "". Caller
 * frees. */
char *eval_path(const char *prefix, const char *name);

#endif
