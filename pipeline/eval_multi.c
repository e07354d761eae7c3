/*
 * eval_multi.c — multiclass metrics (docs/evaluate.md): the weighted
 * confusion matrix gives accuracy, per-class and macro/micro/weighted
 * precision, recall and F1, balanced accuracy and MCC; the class probabilities
 * give log loss and the one-vs-rest macro ROC AUC, each class's AUC computed
 * as the binary one (rows of equal score taken as one step).
 */
#include "pipeline/evaluate_impl.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local const double *sort_keys;
static _Thread_local size_t sort_stride;

static int by_key_desc(const void *x, const void *y)
{
	double a = sort_keys[*(const uint32_t *)x * sort_stride];
	double b = sort_keys[*(const uint32_t *)y * sort_stride];

	return a < b ? 1 : a > b ? -1 : 0;
}

/* One-vs-rest ROC AUC of class c: -1 when the class has no positive or no
 * negative (weighted). */
static double ovr_auc(const struct eval_data *d, size_t c, uint32_t *perm)
{
	const double *key = d->S + c;
	double P = 0, N = 0, tp = 0, fp = 0, ptp = 0, pfp = 0, area = 0;
	size_t i;

	for (i = 0; i < d->n; i++) {
		perm[i] = (uint32_t)i;
		if (d->yc[i] == c)
			P += eval_w(d, i);
		else
			N += eval_w(d, i);
	}
	if (!(P > 0) || !(N > 0))
		return -1;
	sort_keys = key;
	sort_stride = d->k;
	qsort(perm, d->n, sizeof(*perm), by_key_desc);
	sort_keys = NULL;
	for (i = 0; i < d->n;) {
		double s = key[perm[i] * d->k];

		for (; i < d->n && key[perm[i] * d->k] == s; i++) {
			if (d->yc[perm[i]] == c)
				tp += eval_w(d, perm[i]);
			else
				fp += eval_w(d, perm[i]);
		}
		area += (fp / N - pfp / N) * (tp / P + ptp / P) / 2;
		ptp = tp;
		pfp = fp;
	}
	return area;
}

static double div0(double a, double b)
{
	return b == 0 ? 0.0 : a / b;
}

static double f1_of(double p, double r)
{
	double den = p + r;

	return 2 * p * r / (den == 0 ? 1 : den);
}

void eval_multiclass(const struct eval_opts *o, const struct eval_data *d,
		     const char *const *classes, json_t *obj, const char *path,
		     struct eval_result *r)
{
	size_t k = d->k, i, c, j;
	double *C = xcalloc(k * k, sizeof(double));
	double *tsum = xcalloc(k, sizeof(double)), *psum = xcalloc(k, sizeof(double));
	double W = 0, trace = 0, mp = 0, mr = 0, mf = 0, wp = 0, wr = 0, wf = 0;
	double bal = 0, cov_tp, cov_pp, cov_tt, dot_tp = 0, dot_pp = 0, dot_tt = 0;
	double micro_p, micro_r;
	json_t *by_class = json_object(), *cm = json_object();
	int nbal = 0;
	char *note;

	(void)o;
	for (i = 0; i < d->n; i++) {
		double w = eval_w(d, i);

		C[d->yc[i] * k + d->pc[i]] += w;
		W += w;
	}
	for (c = 0; c < k; c++) {
		trace += C[c * k + c];
		for (j = 0; j < k; j++) {
			tsum[c] += C[c * k + j];
			psum[c] += C[j * k + c];
		}
	}
	if (!(W > 0))
		goto out;
	eval_set(obj, "accuracy", trace / W);
	for (c = 0; c < k; c++) {
		double tp = C[c * k + c], p = div0(tp, psum[c]), rc = div0(tp, tsum[c]);
		double f = f1_of(p, rc);
		json_t *one = json_object();

		mp += p, mr += rc, mf += f;
		wp += tsum[c] * p, wr += tsum[c] * rc, wf += tsum[c] * f;
		if (tsum[c] > 0)
			bal += rc, nbal++;
		dot_tp += tsum[c] * psum[c];
		dot_pp += psum[c] * psum[c];
		dot_tt += tsum[c] * tsum[c];
		eval_set(one, "precision", p);
		eval_set(one, "recall", rc);
		eval_set(one, "f1", f);
		eval_set(one, "support", tsum[c]);
		json_object_set_new(by_class, classes[c], one);
	}
	eval_set(obj, "balanced_accuracy", bal / nbal);
	eval_set(obj, "precision_macro", mp / k);
	eval_set(obj, "recall_macro", mr / k);
	eval_set(obj, "f1_macro", mf / k);
	micro_p = div0(trace, W);
	micro_r = div0(trace, W);
	eval_set(obj, "precision_micro", micro_p);
	eval_set(obj, "recall_micro", micro_r);
	eval_set(obj, "f1_micro", f1_of(micro_p, micro_r));
	eval_set(obj, "precision_weighted", wp / W);
	eval_set(obj, "recall_weighted", wr / W);
	eval_set(obj, "f1_weighted", wf / W);
	cov_tp = trace * W - dot_tp;
	cov_pp = W * W - dot_pp;
	cov_tt = W * W - dot_tt;
	eval_set(obj, "mcc", cov_pp * cov_tt == 0 ? 0.0 : cov_tp / sqrt(cov_tt * cov_pp));
	if (d->S) {
		double ll = 0, auc = 0;
		uint32_t *perm = xmalloc(d->n * sizeof(*perm));
		int sums_to_one = 1, defined = 1;

		for (i = 0; i < d->n; i++) {
			const double *row = d->S + i * k;
			double sum = 0, raw = 0, q;

			for (c = 0; c < k; c++) {
				double p = row[c] < DBL_EPSILON ? DBL_EPSILON
					   : row[c] > 1 - DBL_EPSILON ? 1 - DBL_EPSILON : row[c];

				sum += p;
				raw += row[c];
			}
			q = row[d->yc[i]];
			q = q < DBL_EPSILON ? DBL_EPSILON : q > 1 - DBL_EPSILON ? 1 - DBL_EPSILON : q;
			ll += eval_w(d, i) * -log(q / sum);
			/* numpy.allclose(1, sum): |1 - sum| <= 1e-8 + 1e-5 |sum| */
			if (!(fabs(1 - raw) <= 1e-8 + 1e-5 * fabs(raw)))
				sums_to_one = 0;
		}
		eval_set(obj, "log_loss", ll / W);
		for (c = 0; c < k; c++) {
			double a = ovr_auc(d, c, perm);

			if (a < 0) {
				defined = 0;
				continue;
			}
			auc += a;
			eval_set(json_object_get(by_class, classes[c]), "roc_auc", a);
		}
		note = eval_path(path, "roc_auc");
		if (!sums_to_one)
			eval_note(r, note, "not defined: the class probabilities of a row do not sum to 1");
		else if (!defined)
			eval_note(r, note, "not defined: a class has no positive or no negative row");
		else
			eval_set(obj, "roc_auc", auc / k);
		free(note);
		free(perm);
	}
	for (c = 0; c < k; c++) {
		json_t *row = json_object();

		for (j = 0; j < k; j++)
			eval_set(row, classes[j], C[c * k + j]);
		json_object_set_new(cm, classes[c], row);
	}
	json_object_set_new(obj, "by_class", by_class);
	by_class = NULL;
	json_object_set_new(obj, "confusion_matrix", cm);
	cm = NULL;
out:
	json_decref(by_class);
	json_decref(cm);
	free(C);
	free(tsum);
	free(psum);
}
