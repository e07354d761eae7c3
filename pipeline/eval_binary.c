/*
 * eval_binary.c — binary classification metrics, overall and per group, and
 * the Fairlearn disparities between groups (docs/evaluate.md).
 *
 * Every statistic is a weighted sum kept per "slot": slot 0 is the whole set,
 * then one slot per value of each group column. One pass in input order
 * fills the confusion matrix, log loss, Brier score and calibration bins; one
 * pass in descending score order (rows of equal score taken as one step, as
 * scikit-learn's _binary_clf_curve does) fills the ROC area by the trapezoid
 * rule and average precision as sum (R_k - R_k-1) P_k.
 */
#include "pipeline/evaluate_impl.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ECE_BINS 10

struct acc {
	double tp, fp, tn, fn;              /* weighted confusion matrix */
	double ll, br;                      /* weighted sums of log loss, squared error */
	double bw[ECE_BINS], by[ECE_BINS], bp[ECE_BINS]; /* calibration bins */
	size_t rows, npos, nneg;            /* unweighted counts */
	double ctp, cfp, ptp, pfp;          /* curve: current and previous step */
	double area, ap;
	int touched;
};

/* The calibration bin of a probability: bins (i/10, (i+1)/10], 0 in the first,
 * edges as numpy.linspace(0, 1, 11) makes them (i * 0.1), as
 * sklearn.calibration.calibration_curve bins them (searchsorted, side left). */
static int ece_bin(double p)
{
	int b = (int)(p * ECE_BINS);

	/* p * 10 is within an ulp of the bin: settle on the edges themselves */
	if (b > ECE_BINS - 1)
		b = ECE_BINS - 1;
	while (b > 0 && b * 0.1 >= p)
		b--;
	while (b < ECE_BINS - 1 && (b + 1) * 0.1 < p)
		b++;
	return b;
}

/* Log loss of one row as sklearn.metrics.log_loss: the probability clipped to
 * [eps, 1 - eps] (eps: DBL_EPSILON), the pair (1 - p, p) renormalised. */
static double row_log_loss(double s, int y)
{
	double p = s < DBL_EPSILON ? DBL_EPSILON : s > 1 - DBL_EPSILON ? 1 - DBL_EPSILON : s;
	double q = 1 - p, sum = q + p;

	return -log((y ? p : q) / sum);
}

static void add_row(struct acc *a, int y, int p, double s, double w, int has_s)
{
	double wy = w * y, wn = w - wy;

	/* branch-free: labels and predictions are unpredictable */
	a->tp += wy * p;
	a->fn += wy - wy * p;
	a->fp += wn * p;
	a->tn += wn - wn * p;
	a->rows++;
	a->npos += y;
	a->nneg += !y;
	if (has_s) {
		int b = ece_bin(s);

		a->ll += w * row_log_loss(s, y);
		a->br += w * (y - s) * (y - s);
		a->bw[b] += w;
		a->by[b] += wy;
		a->bp[b] += w * s;
	}
}

/* The end of a step of equal scores: one trapezoid and one precision term,
 * kept unnormalised (area in units of P·N/2, precision terms in units of P:
 * emit divides) so that a step costs one division. */
static void step(struct acc *a)
{
	double dfp = a->cfp - a->pfp, dtp = a->ctp - a->ptp;

	a->touched = 0;
	if (dfp == 0 && dtp == 0)
		return;
	a->area += dfp * (a->ctp + a->ptp);
	if (dtp != 0)
		a->ap += dtp * (a->ctp / (a->ctp + a->cfp));
	a->ptp = a->ctp;
	a->pfp = a->cfp;
}

struct keyed {
	double s;
	uint32_t i;
};

static int keyed_desc(const void *x, const void *y)
{
	double a = ((const struct keyed *)x)->s, b = ((const struct keyed *)y)->s;

	return a < b ? 1 : a > b ? -1 : 0;
}

/* Row indices in descending score order (ties in any order: a step takes
 * them together). Scores are in [0, 1]: a counting sort by
 * floor(s * (BUCKETS - 1)) (monotone in s; BUCKETS about n / 8, from 2^16
 * to 2^20), then each bucket sorted on its gathered (score, row) pairs, which
 * stay in cache: by insertion when small. */
static uint32_t *score_order(const struct eval_data *d)
{
	uint32_t *perm = xmalloc((d->n ? d->n : 1) * sizeof(*perm));
	size_t BUCKETS = 65536;
	size_t *start;
	struct keyed *tmp = NULL;
	size_t i, b, tmp_cap = 0;

	while (BUCKETS < (1u << 20) && BUCKETS * 8 < d->n)
		BUCKETS *= 2;
	start = xcalloc(BUCKETS + 1, sizeof(*start));

	for (i = 0; i < d->n; i++)
		start[(BUCKETS - 1) - (size_t)(d->s[i] * (BUCKETS - 1))]++;
	for (b = 0, i = 0; b < BUCKETS; b++) {
		size_t c = start[b];

		start[b] = i;
		i += c;
	}
	start[BUCKETS] = d->n;
	for (i = 0; i < d->n; i++)
		perm[start[(BUCKETS - 1) - (size_t)(d->s[i] * (BUCKETS - 1))]++] = (uint32_t)i;
	/* start[b] is now the end of bucket b */
	for (b = 0; b < BUCKETS; b++) {
		size_t lo = b ? start[b - 1] : 0, n = start[b] - lo, j;

		if (n < 2)
			continue;
		if (n > tmp_cap) {
			tmp_cap = n;
			free(tmp);
			tmp = xmalloc(tmp_cap * sizeof(*tmp));
		}
		for (j = 0; j < n; j++) {
			tmp[j].i = perm[lo + j];
			tmp[j].s = d->s[tmp[j].i];
		}
		if (n > 32) {
			qsort(tmp, n, sizeof(*tmp), keyed_desc);
		} else {
			for (j = 1; j < n; j++) {
				struct keyed k = tmp[j];
				size_t q = j;

				for (; q > 0 && tmp[q - 1].s < k.s; q--)
					tmp[q] = tmp[q - 1];
				tmp[q] = k;
			}
		}
		for (j = 0; j < n; j++)
			perm[lo + j] = tmp[j].i;
	}
	free(tmp);
	free(start);
	return perm;
}

struct slots {
	struct acc *a;
	size_t n, base[EVAL_MAX_GROUP_COLS];
	size_t *touched;
	size_t ntouched;
};

static size_t row_slots(const struct eval_data *d, const struct slots *sl, size_t i,
			size_t out[1 + EVAL_MAX_GROUP_COLS])
{
	size_t k, n = 0;

	out[n++] = 0;
	for (k = 0; k < d->ng; k++)
		out[n++] = sl->base[k] + d->g[k].id[i];
	return n;
}

static void accumulate(const struct eval_data *d, struct slots *sl)
{
	size_t i, j, n, ids[1 + EVAL_MAX_GROUP_COLS];
	uint32_t *perm;

	for (i = 0; i < d->n; i++) {
		n = row_slots(d, sl, i, ids);
		for (j = 0; j < n; j++)
			add_row(&sl->a[ids[j]], d->yb[i], d->pb[i], d->s ? d->s[i] : 0,
				eval_w(d, i), d->s != NULL);
	}
	if (!d->s)
		return;
	perm = score_order(d);
	sl->touched = xmalloc(sl->n * sizeof(*sl->touched));
	for (i = 0; i < d->n;) {
		double s = d->s[perm[i]];

		sl->ntouched = 0;
		for (; i < d->n && d->s[perm[i]] == s; i++) {
			size_t r = perm[i];
			double w = eval_w(d, r);

			n = row_slots(d, sl, r, ids);
			for (j = 0; j < n; j++) {
				struct acc *a = &sl->a[ids[j]];

				if (d->yb[r])
					a->ctp += w;
				else
					a->cfp += w;
				if (!a->touched) {
					a->touched = 1;
					sl->touched[sl->ntouched++] = ids[j];
				}
			}
		}
		for (j = 0; j < sl->ntouched; j++)
			step(&sl->a[sl->touched[j]]);
	}
	free(sl->touched);
	free(perm);
}

static double ratio0(double num, double den)
{
	return den == 0 ? 0.0 : num / den;
}

/* The metrics of one slot into obj; `path` names it in notes. */
static void emit(const struct eval_opts *o, const struct eval_data *d, const struct acc *a,
		 json_t *obj, const char *path, struct eval_result *r)
{
	double tp = a->tp, fp = a->fp, tn = a->tn, fn = a->fn;
	double W = tp + fp + tn + fn, P = tp + fn, N = tn + fp;
	double prec = ratio0(tp, tp + fp), rec = ratio0(tp, P), b2 = o->beta * o->beta;
	double den, t0, t1, p0, p1, nc, cov_tp, cov_pp, cov_tt, ece = 0, bal = 0;
	json_t *cm;
	char note[512];
	int classes = 0, i;

	if (W <= 0)
		return;
	eval_set(obj, "accuracy", (tp + tn) / W);
	if (P > 0)
		bal += tp / P, classes++;
	if (N > 0)
		bal += tn / N, classes++;
	eval_set(obj, "balanced_accuracy", bal / classes);
	eval_set(obj, "precision", prec);
	eval_set(obj, "recall", rec);
	eval_set(obj, "specificity", ratio0(tn, N));
	den = prec + rec;
	eval_set(obj, "f1", 2 * prec * rec / (den == 0 ? 1 : den));
	den = b2 * prec + rec;
	eval_set(obj, "fbeta", (1 + b2) * prec * rec / (den == 0 ? 1 : den));
	/* matthews_corrcoef from the 2x2 matrix [[tn, fp], [fn, tp]] */
	t0 = tn + fp, t1 = fn + tp, p0 = tn + fn, p1 = fp + tp, nc = tn + tp;
	cov_tp = nc * W - (t0 * p0 + t1 * p1);
	cov_pp = W * W - (p0 * p0 + p1 * p1);
	cov_tt = W * W - (t0 * t0 + t1 * t1);
	eval_set(obj, "mcc", cov_pp * cov_tt == 0 ? 0.0 : cov_tp / sqrt(cov_tt * cov_pp));
	if (d->s) {
		if (a->npos && a->nneg && P > 0 && N > 0) {
			eval_set(obj, "roc_auc", a->area / (2 * P * N));
		} else {
			snprintf(note, sizeof(note), "%s%sroc_auc", path, *path ? "." : "");
			eval_note(r, note, "not defined: the labels hold one class only");
		}
		eval_set(obj, "average_precision", P > 0 ? a->ap / P : 0.0);
		eval_set(obj, "log_loss", a->ll / W);
		eval_set(obj, "brier", a->br / W);
		for (i = 0; i < ECE_BINS; i++)
			if (a->bw[i] > 0)
				ece += fabs(a->by[i] - a->bp[i]);
		eval_set(obj, "ece", ece / W);
	}
	eval_set(obj, "support", P);
	eval_set(obj, "prevalence", P / W);
	eval_set(obj, "selection_rate", (tp + fp) / W);
	eval_set(obj, "tpr", rec);
	eval_set(obj, "fpr", ratio0(fp, N));
	cm = json_object();
	eval_set(cm, "tn", tn);
	eval_set(cm, "fp", fp);
	eval_set(cm, "fn", fn);
	eval_set(cm, "tp", tp);
	json_object_set_new(obj, "confusion_matrix", cm);
}

/* Fairlearn's between-groups disparities of one group column. */
static void fairness(const struct eval_group *g, const struct acc *a, json_t *out,
		     struct eval_result *r)
{
	static const char *const rates[] = {"selection_rate", "tpr", "fpr"};
	double lo[3], hi[3];
	size_t arg_lo[3], arg_hi[3], i, j;
	json_t *worst = json_object();
	char path[512];

	for (j = 0; j < 3; j++)
		lo[j] = INFINITY, hi[j] = -INFINITY, arg_lo[j] = arg_hi[j] = 0;
	for (i = 0; i < g->n; i++) {
		size_t id = g->order[i];
		const struct acc *x = &a[id];
		double W = x->tp + x->fp + x->tn + x->fn, v[3];

		v[0] = ratio0(x->tp + x->fp, W);
		v[1] = ratio0(x->tp, x->tp + x->fn);
		v[2] = ratio0(x->fp, x->fp + x->tn);
		for (j = 0; j < 3; j++) {
			if (v[j] < lo[j])
				lo[j] = v[j], arg_lo[j] = id;
			if (v[j] > hi[j])
				hi[j] = v[j], arg_hi[j] = id;
		}
	}
	eval_set(out, "demographic_parity_difference", hi[0] - lo[0]);
	if (hi[0] > 0)
		eval_set(out, "demographic_parity_ratio", lo[0] / hi[0]);
	else
		snprintf(path, sizeof(path), "fairness.%s.demographic_parity_ratio", g->col),
		eval_note(r, path, "not defined: no group has a positive prediction");
	eval_set(out, "equalized_odds_difference", fmax(hi[1] - lo[1], hi[2] - lo[2]));
	if (hi[1] > 0 && hi[2] > 0)
		eval_set(out, "equalized_odds_ratio", fmin(lo[1] / hi[1], lo[2] / hi[2]));
	else
		snprintf(path, sizeof(path), "fairness.%s.equalized_odds_ratio", g->col),
		eval_note(r, path, "not defined: a true or false positive rate is 0 in every group");
	eval_set(out, "tpr_difference", hi[1] - lo[1]);
	eval_set(out, "fpr_difference", hi[2] - lo[2]);
	for (j = 0; j < 3; j++) {
		json_t *w = json_object();
		size_t id = j == 2 ? arg_hi[j] : arg_lo[j];

		eval_set(w, g->values[id], j == 2 ? hi[j] : lo[j]);
		json_object_set_new(worst, rates[j], w);
	}
	json_object_set_new(out, "worst", worst);
}

/* ---- bootstrap replicates -------------------------------------------- */

struct bin_prep {
	const struct eval_data *d;
	uint32_t *perm;         /* rows by descending score */
	uint8_t *ys;            /* label in that order */
	double *ws, *ss;        /* weight and score in that order */
	double *ll;             /* each row's log loss */
	uint8_t *bin;           /* each row's calibration bin */
};

struct bin_prep *eval_binary_prepare(const struct eval_data *d)
{
	struct bin_prep *p = xcalloc(1, sizeof(*p));
	size_t i, n = d->n ? d->n : 1;

	p->d = d;
	if (!d->s)
		return p;
	p->perm = score_order(d);
	p->ys = xmalloc(n);
	p->ws = xmalloc(n * sizeof(double));
	p->ss = xmalloc(n * sizeof(double));
	p->ll = xmalloc(n * sizeof(double));
	p->bin = xmalloc(n);
	for (i = 0; i < d->n; i++) {
		uint32_t r = p->perm[i];

		p->ys[i] = d->yb[r];
		p->ws[i] = eval_w(d, r);
		p->ss[i] = d->s[r];
		p->ll[i] = row_log_loss(d->s[i], d->yb[i]);
		p->bin[i] = (uint8_t)ece_bin(d->s[i]);
	}
	return p;
}

void eval_binary_prep_free(struct bin_prep *p)
{
	if (!p)
		return;
	free(p->perm);
	free(p->ys);
	free(p->ws);
	free(p->ss);
	free(p->ll);
	free(p->bin);
	free(p);
}

/* The top-level metrics with row i drawn m[i] times: add_row and the curve
 * pass of accumulate, on precomputed per-row terms. */
void eval_binary_replicate(const struct eval_opts *o, const struct bin_prep *p,
			   const uint32_t *m, json_t *obj, struct eval_result *r)
{
	const struct eval_data *d = p->d;
	struct acc a;
	size_t i;

	/* branch-free: labels are unpredictable, and a weight of 0 adds 0 */
	memset(&a, 0, sizeof(a));
	for (i = 0; i < d->n; i++) {
		double w = m[i] * eval_w(d, i), y = d->yb[i], pr = d->pb[i];
		double wy = w * y, wn = w - wy;

		a.tp += wy * pr;
		a.fn += wy - wy * pr;
		a.fp += wn * pr;
		a.tn += wn - wn * pr;
		a.npos += m[i] && d->yb[i];
		a.nneg += m[i] && !d->yb[i];
		if (d->s) {
			double s = d->s[i];
			int b = p->bin[i];

			a.ll += w * p->ll[i];
			a.br += w * (y - s) * (y - s);
			a.bw[b] += w;
			a.by[b] += wy;
			a.bp[b] += w * s;
		}
	}
	if (d->s) {
		for (i = 0; i < d->n;) {
			double s = p->ss[i], dfp, dtp;

			for (; i < d->n && p->ss[i] == s; i++) {
				double w = m[p->perm[i]] * p->ws[i], wy = w * p->ys[i];

				a.ctp += wy;
				a.cfp += w - wy;
			}
			dfp = a.cfp - a.pfp;
			dtp = a.ctp - a.ptp;
			a.area += dfp * (a.ctp + a.ptp);
			a.ap += dtp * (a.ctp / fmax(a.ctp + a.cfp, DBL_MIN));
			a.ptp = a.ctp;
			a.pfp = a.cfp;
		}
	}
	emit(o, d, &a, obj, "", r);
}

void eval_binary(const struct eval_opts *o, const struct eval_data *d, json_t *obj,
		 struct eval_result *r)
{
	struct slots sl;
	json_t *by_group = NULL, *fair = NULL;
	size_t k, i;

	memset(&sl, 0, sizeof(sl));
	sl.n = 1;
	for (k = 0; k < d->ng; k++) {
		sl.base[k] = sl.n;
		sl.n += d->g[k].n;
	}
	sl.a = xcalloc(sl.n, sizeof(*sl.a));
	accumulate(d, &sl);
	emit(o, d, &sl.a[0], obj, "", r);
	for (k = 0; k < d->ng; k++) {
		const struct eval_group *g = &d->g[k];
		json_t *col = json_object(), *f = json_object();

		if (!by_group) {
			by_group = json_object();
			fair = json_object();
		}
		for (i = 0; i < g->n; i++) {
			size_t id = g->order[i];
			const struct acc *a = &sl.a[sl.base[k] + id];
			json_t *one = json_object();
			char *path = xasprintf("by_group.%s.%s", g->col, g->values[id]);

			eval_set(one, "rows", (double)a->rows);
			if (a->rows < o->min_group_size)
				eval_set(one, "small", 1);
			emit(o, d, a, one, path, r);
			json_object_set_new(col, g->values[id], one);
			free(path);
		}
		json_object_set_new(by_group, g->col, col);
		fairness(g, &sl.a[sl.base[k]], f, r);
		json_object_set_new(fair, g->col, f);
	}
	if (by_group) {
		json_object_set_new(obj, "by_group", by_group);
		json_object_set_new(obj, "fairness", fair);
	}
	free(sl.a);
}
