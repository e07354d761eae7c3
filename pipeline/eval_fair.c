/*
 * eval_fair.c — between-group disparities of multiclass and regression
 * metrics (docs/evaluate.md). Fairlearn's parity measures (demographic
 * parity, equalized odds) are defined for binary predictions only; for the
 * other tasks Fairlearn compares groups through MetricFrame:
 * difference(method="between_groups") is the largest minus the smallest
 * value of a metric over the groups, ratio(method="between_groups") the
 * smallest over the largest. Those two, and the worst group, for each metric
 * below.
 */
#include "pipeline/evaluate_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fair_metric {
	const char *name;
	int lower_better;       /* the worst group has the largest value */
	int ratio;              /* non-negative by definition: min/max means something */
};

static const struct fair_metric multiclass_metrics[] = {
	{"accuracy", 0, 1},        {"balanced_accuracy", 0, 1}, {"precision_macro", 0, 1},
	{"recall_macro", 0, 1},    {"f1_macro", 0, 1},          {"roc_auc", 0, 1},
	{"log_loss", 1, 1},        {NULL, 0, 0},
};

static const struct fair_metric regression_metrics[] = {
	{"mae", 1, 1},       {"mse", 1, 1},          {"rmse", 1, 1},
	{"mape", 1, 1},      {"median_ae", 1, 1},    {"max_error", 1, 1},
	{"r2", 0, 0},        {"explained_variance", 0, 0}, {NULL, 0, 0},
};

/* The disparities of one metric over the groups in `groups` (value -> metrics
 * object, in byte order) into out and worst; a group without the metric
 * leaves it out, with a note. */
static void one_metric(const struct fair_metric *m, const char *col, json_t *groups,
		       json_t *out, json_t *worst, struct eval_result *r)
{
	const char *value, *arg_lo = NULL, *arg_hi = NULL;
	double lo = INFINITY, hi = -INFINITY;
	json_t *g, *w;
	char key[128], path[512];

	json_object_foreach(groups, value, g) {
		const json_t *v = json_object_get(g, m->name);
		double x;

		if (!v) {
			snprintf(path, sizeof(path), "fairness.%s.%s_difference", col, m->name);
			eval_note(r, path, "not defined: the metric is not defined in every group");
			return;
		}
		x = json_number_value(v);
		if (x < lo)
			lo = x, arg_lo = value;
		if (x > hi)
			hi = x, arg_hi = value;
	}
	if (!arg_lo)
		return;
	snprintf(key, sizeof(key), "%s_difference", m->name);
	eval_set(out, key, hi - lo);
	if (m->ratio && hi > 0) {
		snprintf(key, sizeof(key), "%s_ratio", m->name);
		eval_set(out, key, lo / hi);
	}
	w = json_object();
	eval_set(w, m->lower_better ? arg_hi : arg_lo, m->lower_better ? hi : lo);
	json_object_set_new(worst, m->name, w);
}

void eval_task_fairness(const struct eval_opts *o, const char *col, json_t *groups,
			json_t *out, struct eval_result *r)
{
	const struct fair_metric *m = o->task == EVAL_MULTICLASS ? multiclass_metrics
				      : regression_metrics;
	json_t *worst = json_object();

	for (; m->name; m++)
		one_metric(m, col, groups, out, worst, r);
	json_object_set_new(out, "worst", worst);
}
