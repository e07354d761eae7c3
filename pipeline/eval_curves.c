/*
 * eval_curves.c — the binary threshold sweep (`evaluate --curves`): the ROC
 * curve's and the precision-recall curve's points, as scikit-learn 1.2's
 * roc_curve (drop_intermediate=True) and precision_recall_curve give them
 * (docs/evaluate.md).
 *
 * Both follow sklearn.metrics._ranking._binary_clf_curve: rows of weight 0
 * are dropped; the rest are taken by descending score, ties in descending row
 * order (numpy's stable argsort reversed), and the weighted true and false
 * positive counts are running sums in that order, read at the last row of each
 * distinct score. Summing in numpy's order gives the same doubles, so the
 * collinear points roc_curve drops are the same ones.
 */
#include "pipeline/evaluate_impl.h"

#include <stdlib.h>
#include <string.h>

#include "pipeline/jsonw.h"

static _Thread_local const double *sort_scores;

/* Descending score, then descending row. */
static int by_score_row_desc(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	double sa = sort_scores[a], sb = sort_scores[b];

	if (sa != sb)
		return sa < sb ? 1 : -1;
	return a < b ? 1 : a > b ? -1 : 0;
}

struct sweep {
	double *fps, *tps, *thr;  /* per distinct score, descending */
	size_t n;
};

static void sweep_build(const struct eval_data *d, struct sweep *sw)
{
	uint32_t *perm = xmalloc((d->n ? d->n : 1) * sizeof(*perm));
	size_t i, m = 0;
	double tp = 0, fp = 0;

	for (i = 0; i < d->n; i++)
		if (eval_w(d, i) != 0)
			perm[m++] = (uint32_t)i;
	sort_scores = d->s;
	qsort(perm, m, sizeof(*perm), by_score_row_desc);
	sort_scores = NULL;
	sw->fps = xmalloc((m ? m : 1) * sizeof(double));
	sw->tps = xmalloc((m ? m : 1) * sizeof(double));
	sw->thr = xmalloc((m ? m : 1) * sizeof(double));
	sw->n = 0;
	for (i = 0; i < m; i++) {
		uint32_t r = perm[i];
		double w = eval_w(d, r);

		tp += d->yb[r] * w;
		if (d->w)
			fp += (1 - d->yb[r]) * w;
		else
			fp = (double)(i + 1) - tp;
		if (i + 1 == m || d->s[perm[i + 1]] != d->s[r]) {
			sw->fps[sw->n] = fp;
			sw->tps[sw->n] = tp;
			sw->thr[sw->n] = d->s[r];
			sw->n++;
		}
	}
	free(perm);
}

static void sweep_release(struct sweep *sw)
{
	free(sw->fps);
	free(sw->tps);
	free(sw->thr);
}

static void array(struct strbuf *sb, const char *key, const double *v, size_t n,
		  int first)
{
	size_t i;

	strbuf_adds(sb, first ? "\n    " : ",\n    ");
	jsonw_string(sb, key);
	strbuf_adds(sb, ": [");
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		jsonw_number(sb, v[i]);
	}
	strbuf_addc(sb, ']');
}

/* roc_curve: the points where the curve turns (the second difference of fps
 * or tps is not 0, as numpy.diff(_, 2) computes it), the first and the last,
 * after a first point (0, 0) at threshold max + 1. */
static void roc(const struct sweep *sw, struct strbuf *sb)
{
	size_t i, k = 0, n = sw->n;
	double *fpr = xmalloc((n + 1) * sizeof(double)), *tpr = xmalloc((n + 1) * sizeof(double));
	double *thr = xmalloc((n + 1) * sizeof(double));
	double P = sw->tps[n - 1], N = sw->fps[n - 1];

	fpr[k] = 0, tpr[k] = 0, thr[k] = sw->thr[0] + 1, k++;
	for (i = 0; i < n; i++) {
		int keep = n <= 2 || i == 0 || i == n - 1;

		if (!keep) {
			double f = (sw->fps[i + 1] - sw->fps[i]) - (sw->fps[i] - sw->fps[i - 1]);
			double t = (sw->tps[i + 1] - sw->tps[i]) - (sw->tps[i] - sw->tps[i - 1]);

			keep = f != 0 || t != 0;
		}
		if (keep)
			fpr[k] = sw->fps[i] / N, tpr[k] = sw->tps[i] / P, thr[k] = sw->thr[i], k++;
	}
	strbuf_adds(sb, "  \"roc\": {");
	array(sb, "fpr", fpr, k, 1);
	array(sb, "tpr", tpr, k, 0);
	array(sb, "thresholds", thr, k, 0);
	strbuf_adds(sb, "\n  }");
	free(fpr);
	free(tpr);
	free(thr);
}

/* precision_recall_curve: by ascending threshold, then the point (1, 0). */
static void pr(const struct sweep *sw, struct strbuf *sb)
{
	size_t i, n = sw->n;
	double *prec = xmalloc((n + 1) * sizeof(double)), *rec = xmalloc((n + 1) * sizeof(double));
	double *thr = xmalloc((n + 1) * sizeof(double)), P = sw->tps[n - 1];

	for (i = 0; i < n; i++) {
		size_t j = n - 1 - i;
		double ps = sw->tps[j] + sw->fps[j];

		prec[i] = ps != 0 ? sw->tps[j] / ps : 0;
		rec[i] = P == 0 ? 1 : sw->tps[j] / P;
		thr[i] = sw->thr[j];
	}
	prec[n] = 1;
	rec[n] = 0;
	strbuf_adds(sb, "  \"precision_recall\": {");
	array(sb, "precision", prec, n + 1, 1);
	array(sb, "recall", rec, n + 1, 0);
	array(sb, "thresholds", thr, n, 0);
	strbuf_adds(sb, "\n  }");
	free(prec);
	free(rec);
	free(thr);
}

void eval_curves(const struct eval_data *d, struct eval_result *r)
{
	struct sweep sw;
	struct strbuf *sb = &r->curves;

	sweep_build(d, &sw);
	strbuf_adds(sb, "{\n");
	if (sw.n && sw.tps[sw.n - 1] > 0 && sw.fps[sw.n - 1] > 0) {
		roc(&sw, sb);
		strbuf_adds(sb, ",\n");
	} else {
		eval_note(r, "curves.roc", "not defined: the labels hold one class only");
	}
	if (sw.n)
		pr(&sw, sb);
	strbuf_adds(sb, "\n}\n");
	sweep_release(&sw);
}
