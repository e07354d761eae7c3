/*
 * stats.h — the two-sample statistics `xpship drift` reports (docs/drift.md),
 * each as scipy 1.10 computes it, on sorted arrays of finite doubles.
 *
 *   stats_ks        scipy.stats.ks_2samp(a, b, method='auto'): the statistic,
 *                   and the p-value exact (lattice paths) when both samples
 *                   have at most 10000 values, else from the distribution of
 *                   the one-sample statistic at round(n*m/(n+m)) (kstwo.sf).
 *   stats_ks_w      the same statistic between weighted empirical CDFs (a
 *                   quantile sketch's items), the asymptotic p-value at `n_eff`.
 *   stats_wasserstein  scipy.stats.wasserstein_distance(a, b, wa, wb).
 *   stats_js        scipy.spatial.distance.jensenshannon(p, q, base=2).
 *   stats_psi       sum (q - p) ln(q / p) over shares, a zero share replaced by
 *                   STATS_PSI_EPS.
 *   stats_chi2      scipy.stats.chi2_contingency(2 x k, correction=False).
 *   stats_quantile  numpy.quantile(x, q) (method 'linear').
 * Sums are compensated (Neumaier), so results agree with numpy's pairwise sums
 * to far better than 1e-9 relative.
 */
#ifndef XPSHIP_PIPELINE_STATS_H
#define XPSHIP_PIPELINE_STATS_H

#include <stddef.h>

#define STATS_PSI_EPS 1e-4
#define STATS_KS_EXACT_MAX 10000

/* a (n), b (m): sorted ascending, n, m >= 1. */
void stats_ks(const double *a, size_t n, const double *b, size_t m, double *d, double *p);
/* stats_ks and, in the same walk, the Wasserstein distance (*w1; may be NULL). */
void stats_ks_w1(const double *a, size_t n, const double *b, size_t m, double *d, double *p,
		 double *w1);
/* Weighted: wa, wb the weights (sum > 0); p from kstwo.sf at round(n_eff). */
void stats_ks_w(const double *a, const double *wa, size_t n, const double *b,
		const double *wb, size_t m, double n_eff, double *d, double *p);
/* kstwo.sf(d, n): P(D_n >= d) of the one-sample two-sided statistic. */
double stats_kstwo_sf(double d, double n);
/* The exact two-sample p-value P(D >= h / lcm(n, m)) (scipy's two-sided exact
 * method); -1 when the computation leaves the double range. */
double stats_ks_exact_p(size_t n, size_t m, double d);

/* wa/wb may be NULL (unit weights). */
double stats_wasserstein(const double *a, const double *wa, size_t n, const double *b,
			 const double *wb, size_t m);
/* p, q: non-negative counts or shares of the same k bins (each sum > 0). */
double stats_js(const double *p, const double *q, size_t k);
double stats_psi(const double *p, const double *q, size_t k);
/* counts a[k], b[k] (every column sum > 0): statistic, p-value, dof. */
void stats_chi2(const double *a, const double *b, size_t k, double *stat, double *p,
		size_t *dof);
/* chi2.sf(x, dof). */
double stats_chi2_sf(double x, double dof);

/* x sorted, n >= 1, 0 <= q <= 1. */
double stats_quantile(const double *x, size_t n, double q);
/* Weighted: the smallest item whose cumulative weight reaches q * total. */
double stats_quantile_w(const double *x, const double *w, size_t n, double q);

/* Sort ascending (finite values). */
void stats_sort(double *x, size_t n);

#endif
