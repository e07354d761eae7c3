/*
 * eval_regress.c — regression metrics (docs/evaluate.md), as scikit-learn
 * 1.2 computes them with sample weights: means are weighted averages, the
 * median absolute error with weights is sklearn's lower weighted percentile,
 * R² and explained variance are 1 (perfect) or 0 when the truth is constant.
 */
#include "pipeline/evaluate_impl.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local const double *sort_keys;

static int by_key(const void *x, const void *y)
{
	double a = sort_keys[*(const uint32_t *)x], b = sort_keys[*(const uint32_t *)y];

	return a < b ? -1 : a > b ? 1 : 0;
}

/* sklearn.metrics.median_absolute_error: numpy.median unweighted, else
 * utils.stats._weighted_percentile(50): the first sorted value whose
 * cumulative weight reaches half the total. */
static double median_ae(const struct eval_data *d, double *ae)
{
	uint32_t *perm = xmalloc(d->n * sizeof(*perm));
	double cdf = 0, half, total = 0, m;
	size_t i;

	for (i = 0; i < d->n; i++)
		perm[i] = (uint32_t)i;
	sort_keys = ae;
	qsort(perm, d->n, sizeof(*perm), by_key);
	sort_keys = NULL;
	if (!d->w) {
		size_t h = d->n / 2;

		m = d->n % 2 ? ae[perm[h]] : (ae[perm[h - 1]] + ae[perm[h]]) / 2;
		free(perm);
		return m;
	}
	for (i = 0; i < d->n; i++)
		total += d->w[perm[i]];
	half = 0.5 * total;
	if (half == 0)
		half = nextafter(0, 1);
	m = ae[perm[d->n - 1]];
	for (i = 0; i < d->n; i++) {
		cdf += d->w[perm[i]];
		if (cdf >= half) {
			m = ae[perm[i]];
			break;
		}
	}
	free(perm);
	return m;
}

static double finite_score(double num, double den)
{
	if (den == 0)
		return num == 0 ? 1.0 : 0.0;
	return 1 - num / den;
}

void eval_regression(const struct eval_opts *o, const struct eval_data *d, json_t *obj,
		     const char *path, struct eval_result *r)
{
	double W = 0, sa = 0, se = 0, sape = 0, sy = 0, sdiff = 0, maxe = 0;
	double ybar, dbar, ss_res = 0, ss_tot = 0, var_diff = 0;
	double *ae = xmalloc(d->n * sizeof(*ae));
	size_t i;

	(void)o;
	(void)path;
	(void)r;
	for (i = 0; i < d->n; i++) {
		double w = eval_w(d, i), y = d->yr[i], e = y - d->s[i];
		double a = fabs(e);

		ae[i] = a;
		W += w;
		sa += w * a;
		se += w * e * e;
		sape += w * (a / fmax(fabs(y), DBL_EPSILON));
		sy += w * y;
		sdiff += w * e;
		if (a > maxe)
			maxe = a;
	}
	if (!(W > 0)) {
		free(ae);
		return;
	}
	ybar = sy / W;
	dbar = sdiff / W;
	for (i = 0; i < d->n; i++) {
		double w = eval_w(d, i), y = d->yr[i], e = y - d->s[i];

		ss_res += w * e * e;
		ss_tot += w * (y - ybar) * (y - ybar);
		var_diff += w * (e - dbar) * (e - dbar);
	}
	eval_set(obj, "mae", sa / W);
	eval_set(obj, "mse", se / W);
	eval_set(obj, "rmse", sqrt(se / W));
	eval_set(obj, "r2", finite_score(ss_res, ss_tot));
	eval_set(obj, "mape", sape / W);
	eval_set(obj, "median_ae", median_ae(d, ae));
	eval_set(obj, "explained_variance", finite_score(var_diff / W, ss_tot / W));
	eval_set(obj, "max_error", maxe);
	free(ae);
}
