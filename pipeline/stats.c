/*
 * stats.c — two-sample statistics on sorted arrays (see stats.h): KS
 * statistic and exact p-value, Wasserstein-1, Jensen-Shannon, PSI, the
 * chi-square test of a 2 x k table, numpy's linear quantile, and a radix sort
 * of doubles. The distribution of the one-sample KS statistic used for large
 * samples is in ksdist.c.
 */
#include "pipeline/stats.h"

#include "common/strbuf.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* ---- compensated sum --------------------------------------------------- */

struct ksum {
	double s, c;
};

static void ksum_add(struct ksum *k, double v)
{
	double t = k->s + v;

	if (fabs(k->s) >= fabs(v))
		k->c += (k->s - t) + v;
	else
		k->c += (v - t) + k->s;
	k->s = t;
}

static double ksum_get(const struct ksum *k)
{
	return k->s + k->c;
}

/* ---- sorting ----------------------------------------------------------- */

static uint64_t key_of(double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	return (u & 0x8000000000000000ull) ? ~u : u | 0x8000000000000000ull;
}

static double val_of(uint64_t k)
{
	uint64_t u = (k & 0x8000000000000000ull) ? k & ~0x8000000000000000ull : ~k;
	double v;

	memcpy(&v, &u, sizeof(v));
	return v;
}

/* Quicksort (median of three, insertion sort below 16) for the small arrays
 * a sketch compacts: no comparison callback. */
static void quick_sort(double *x, size_t n)
{
	while (n > 16) {
		double a = x[0], b = x[n / 2], c = x[n - 1], piv, t;
		size_t i = 0, j = n - 1;

		piv = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		for (;;) {
			while (x[i] < piv)
				i++;
			while (x[j] > piv)
				j--;
			if (i >= j)
				break;
			t = x[i], x[i] = x[j], x[j] = t;
			i++;
			j--;
		}
		/* [0, j] <= piv <= [j + 1, n): recurse on the smaller side */
		if (j + 1 < n - j - 1) {
			quick_sort(x, j + 1);
			x += j + 1;
			n -= j + 1;
		} else {
			quick_sort(x + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		double v = x[i];
		size_t k = i;

		for (; k > 0 && x[k - 1] > v; k--)
			x[k] = x[k - 1];
		x[k] = v;
	}
}

/* Keys are moved through memcpy: the array of doubles holds them in place
 * during the sort without type punning. */
static uint64_t key_at(const void *a, size_t i)
{
	uint64_t k;

	memcpy(&k, (const unsigned char *)a + i * sizeof(k), sizeof(k));
	return k;
}

static void key_put(void *a, size_t i, uint64_t k)
{
	memcpy((unsigned char *)a + i * sizeof(k), &k, sizeof(k));
}

/* Scratch for n keys; large ones on huge pages where the kernel offers them
 * (a radix pass writes to 2048 places at once: fewer TLB misses). */
static void *scratch_alloc(size_t n)
{
	size_t len = n * sizeof(uint64_t);
	void *p = NULL;

#ifdef MADV_HUGEPAGE
	if (len >= (4u << 20)) {
		size_t huge = 2u << 20;

		len = (len + huge - 1) & ~(huge - 1);
		if (posix_memalign(&p, huge, len) == 0) {
			madvise(p, len, MADV_HUGEPAGE);
			return p;
		}
	}
#endif
	return xmalloc(len);
}

/* Insertion sort of a few keys. */
static void insert_keys(void *a, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		uint64_t k = key_at(a, i), p;

		for (j = i; j > 0 && (p = key_at(a, j - 1)) > k; j--)
			key_put(a, j, p);
		key_put(a, j, k);
	}
}

/* Radix sort of the keys a[0..n) with scratch b: LSD on the 33 bits that end
 * at the highest bit where the keys differ (at most three 11-bit passes,
 * cache-sized counts, every digit's counts taken in one read, a pass where
 * every key has the same digit skipped), then each run of keys equal down
 * to those bits sorted the same way on the bits below. Values read from
 * decimals rarely share 33 leading bits, so most runs are single keys and a
 * sort takes three passes instead of six. */
#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)
#define RADIX_WINDOW 33
#define RADIX_MIN 48
static void sort_keys(void *a, void *b, size_t n)
{
	uint64_t k0, diff = 0, k;
	size_t *cnt, i, j, sum, v;
	unsigned top, lo, pass, npass;
	void *src = a, *dst = b, *t;

	if (n <= RADIX_MIN) {
		insert_keys(a, n);
		return;
	}
	k0 = key_at(a, 0);
	for (i = 1; i < n; i++)
		diff |= key_at(a, i) ^ k0;
	if (!diff)
		return;
	top = 63 - (unsigned)__builtin_clzll(diff);
	lo = top + 1 > RADIX_WINDOW ? top + 1 - RADIX_WINDOW : 0;
	npass = (top + 1 - lo + RADIX_BITS - 1) / RADIX_BITS;
	cnt = xcalloc(npass * RADIX_SIZE, sizeof(*cnt));
	for (i = 0; i < n; i++) {
		k = key_at(a, i) >> lo;
		for (pass = 0; pass < npass; pass++)
			cnt[pass * RADIX_SIZE + ((k >> (pass * RADIX_BITS)) & (RADIX_SIZE - 1))]++;
	}
	for (pass = 0; pass < npass; pass++) {
		unsigned sh = lo + pass * RADIX_BITS;
		size_t *c = cnt + pass * RADIX_SIZE;

		if (c[(k0 >> sh) & (RADIX_SIZE - 1)] == n)
			continue;
		for (i = 0, sum = 0; i < RADIX_SIZE; i++) {
			v = c[i];
			c[i] = sum;
			sum += v;
		}
		for (i = 0; i < n; i++) {
			k = key_at(src, i);
			key_put(dst, c[(k >> sh) & (RADIX_SIZE - 1)]++, k);
		}
		t = src;
		src = dst;
		dst = t;
	}
	free(cnt);
	if (src != a)
		memcpy(a, src, n * sizeof(uint64_t));
	for (i = 0; lo > 0 && i < n; i = j) {
		k = key_at(a, i) >> lo;
		for (j = i + 1; j < n && key_at(a, j) >> lo == k; j++)
			;
		if (j - i > 1)
			sort_keys((unsigned char *)a + i * sizeof(uint64_t), b, j - i);
	}
}

/* Doubles ascending (-0 and +0 both as +0 from 4096 values on): a
 * callback-free quicksort below that, else the radix sort of their
 * order-preserving integer images, kept in x itself. */
void stats_sort(double *x, size_t n)
{
	void *b;
	size_t i;

	if (n < 4096) {
		quick_sort(x, n);
		return;
	}
	for (i = 0; i < n; i++)
		key_put(x, i, key_of(x[i] == 0 ? 0.0 : x[i]));
	b = scratch_alloc(n);
	sort_keys(x, b, n);
	free(b);
	for (i = 0; i < n; i++)
		x[i] = val_of(key_at(x, i));
}

/* ---- quantiles --------------------------------------------------------- */

/* numpy's _lerp: exact at both ends, monotone. */
static double lerp(double a, double b, double t)
{
	double diff = b - a;

	return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

double stats_quantile(const double *x, size_t n, double q)
{
	double v = (double)(n - 1) * q, lo = floor(v);
	size_t i = (size_t)lo;

	if (i >= n - 1)
		return x[n - 1];
	return lerp(x[i], x[i + 1], v - lo);
}

double stats_quantile_w(const double *x, const double *w, size_t n, double q)
{
	double total = 0, cum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		total += w[i];
	for (i = 0; i < n; i++) {
		cum += w[i];
		if (cum >= q * total)
			return x[i];
	}
	return x[n - 1];
}

/* ---- Kolmogorov-Smirnov ------------------------------------------------ */

static size_t gcd_z(size_t a, size_t b)
{
	while (b) {
		size_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* P(D_{n,n} >= h/n), scipy's _compute_prob_outside_square. */
static double prob_outside_square(double n, double h)
{
	double p = 0, k = floor(n / h), j, p1;

	for (; k >= 0; k--) {
		p1 = 1.0;
		for (j = 0; j < h; j++)
			p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
		p = p1 * (1.0 - p);
	}
	return 2 * p;
}

/* 1 - (paths from (0,0) to (m,n) staying strictly inside |nx - my| < h g)
 * / binom(m+n, n), by the column recursion of Hodges' inside method kept as
 * the complement (Viehmann 2021), one sliding column. */
static double prob_outer_inside(size_t m0, size_t n0, size_t g, double h)
{
	size_t m = m0 > n0 ? m0 : n0, n = m0 > n0 ? n0 : m0;
	double mg = (double)(m / g), ng = (double)(n / g), val, res;
	long long minj = 0, maxj, lastminj, curlen, lastlen, lenA, jj, j, i;
	double *A;

	maxj = (long long)ceil(h / mg);
	if (maxj > (long long)n + 1)
		maxj = (long long)n + 1;
	curlen = maxj - minj;
	lenA = 2 * maxj + 2 < (long long)n + 1 ? 2 * maxj + 2 : (long long)n + 1;
	A = xmalloc((size_t)lenA * sizeof(*A));
	for (jj = 0; jj < lenA; jj++)
		A[jj] = jj < maxj ? 0.0 : 1.0;
	for (i = 1; i <= (long long)m; i++) {
		lastminj = minj;
		lastlen = curlen;
		minj = (long long)floor((ng * (double)i - h) / mg) + 1;
		if (minj < 0)
			minj = 0;
		if (minj > (long long)n)
			minj = (long long)n;
		maxj = (long long)ceil((ng * (double)i + h) / mg);
		if (maxj > (long long)n + 1)
			maxj = (long long)n + 1;
		if (maxj <= minj) {
			free(A);
			return 1.0;
		}
		val = minj == 0 ? 0.0 : 1.0;
		for (jj = 0; jj < maxj - minj; jj++) {
			j = jj + minj;
			val = (A[jj + minj - lastminj] * (double)i + val * (double)j) /
			      (double)(i + j);
			A[jj] = val;
		}
		curlen = maxj - minj;
		for (jj = curlen; jj < lastlen && jj < lenA; jj++)
			A[jj] = 1.0;
	}
	res = A[maxj - minj - 1];
	free(A);
	return res;
}

double stats_ks_exact_p(size_t n, size_t m, double d)
{
	size_t g = gcd_z(n, m);
	double lcm = (double)(n / g) * (double)m, h = nearbyint(d * lcm), p;

	if (h == 0)
		return 1.0;
	p = n == m ? prob_outside_square((double)n, h) : prob_outer_inside(n, m, g, h);
	return isfinite(p) && p >= 0 && p <= 1 ? p : -1;
}

static double ks_asymp(double n, double m, double d)
{
	double big = n > m ? n : m, small = n > m ? m : n;

	return stats_kstwo_sf(d, nearbyint(big * small / (big + small)));
}

static double clip01(double p)
{
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

/* One walk over the pooled sorted values: the largest |F_a - F_b| (the CDF
 * difference as scipy forms it, i/n - j/m) and the integral of |F_a - F_b|
 * (scipy's wasserstein_distance). Weights may be NULL (unit weights). */
static void walk(const double *a, const double *wa, size_t n, const double *b,
		 const double *wb, size_t m, double *ks, double *w1)
{
	double ta = wa ? 0 : (double)n, tb = wb ? 0 : (double)m, ca = 0, cb = 0, dmax = 0,
	       dmin = 0, diff, v, next;
	struct ksum sum = {0, 0};
	size_t i = 0, j = 0, k;

	for (k = 0; wa && k < n; k++)
		ta += wa[k];
	for (k = 0; wb && k < m; k++)
		tb += wb[k];
	v = a[0] < b[0] ? a[0] : b[0];
	/* Unit weights, both sides left: the same steps as the loop below, with
	 * no branch on which side holds the next value (a coin toss for the
	 * branch predictor); a tie takes the loops after the first step. The
	 * step that exhausts a side is finished by the loop below (its first
	 * part again changes nothing). */
	while (!wa && !wb && i < n && j < m) {
		i += a[i] <= v;
		j += b[j] <= v;
		for (; i < n && a[i] <= v; i++)
			;
		for (; j < m && b[j] <= v; j++)
			;
		if (i >= n || j >= m)
			break;
		diff = (double)i / ta - (double)j / tb;
		if (diff > dmax)
			dmax = diff;
		if (diff < dmin)
			dmin = diff;
		next = a[i] <= b[j] ? a[i] : b[j];
		ksum_add(&sum, fabs(diff) * (next - v));
		v = next;
	}
	for (;;) {
		if (wa)
			for (; i < n && a[i] <= v; i++)
				ca += wa[i];
		else {
			for (; i < n && a[i] <= v; i++)
				;
			ca = (double)i;
		}
		if (wb)
			for (; j < m && b[j] <= v; j++)
				cb += wb[j];
		else {
			for (; j < m && b[j] <= v; j++)
				;
			cb = (double)j;
		}
		diff = ca / ta - cb / tb;
		if (diff > dmax)
			dmax = diff;
		if (diff < dmin)
			dmin = diff;
		if (i >= n && j >= m)
			break;
		next = j >= m || (i < n && a[i] <= b[j]) ? a[i] : b[j];
		ksum_add(&sum, fabs(diff) * (next - v));
		v = next;
	}
	*ks = -dmin > dmax ? -dmin : dmax;
	*w1 = ksum_get(&sum);
}

static double ks_stat(const double *a, const double *wa, size_t n, const double *b,
		      const double *wb, size_t m)
{
	double ks, w1;

	walk(a, wa, n, b, wb, m, &ks, &w1);
	return ks;
}

void stats_ks_w1(const double *a, size_t n, const double *b, size_t m, double *d, double *p,
		 double *w1)
{
	double s, q, w;

	walk(a, NULL, n, b, NULL, m, &s, &w);
	if (w1)
		*w1 = w;

	if (n <= STATS_KS_EXACT_MAX && m <= STATS_KS_EXACT_MAX) {
		size_t g = gcd_z(n, m);
		double lcm = (double)(n / g) * (double)m;

		q = stats_ks_exact_p(n, m, s);
		if (q >= 0) {
			*d = nearbyint(s * lcm) / lcm;
			*p = clip01(q);
			return;
		}
	}
	*d = s;
	*p = clip01(ks_asymp((double)n, (double)m, s));
}

void stats_ks(const double *a, size_t n, const double *b, size_t m, double *d, double *p)
{
	stats_ks_w1(a, n, b, m, d, p, NULL);
}

void stats_ks_w(const double *a, const double *wa, size_t n, const double *b,
		const double *wb, size_t m, double n_eff, double *d, double *p)
{
	*d = ks_stat(a, wa, n, b, wb, m);
	*p = clip01(stats_kstwo_sf(*d, nearbyint(n_eff < 1 ? 1 : n_eff)));
}

/* ---- Wasserstein-1 ----------------------------------------------------- */

double stats_wasserstein(const double *a, const double *wa, size_t n, const double *b,
			 const double *wb, size_t m)
{
	double ks, w1;

	walk(a, wa, n, b, wb, m, &ks, &w1);
	return w1;
}

/* ---- distances on bins ------------------------------------------------- */

static double total(const double *x, size_t k)
{
	struct ksum s = {0, 0};
	size_t i;

	for (i = 0; i < k; i++)
		ksum_add(&s, x[i]);
	return ksum_get(&s);
}

static double rel_entr(double x, double y)
{
	if (x > 0 && y > 0)
		return x * log(x / y);
	return x == 0 && y >= 0 ? 0 : INFINITY;
}

double stats_js(const double *p, const double *q, size_t k)
{
	double sp = total(p, k), sq = total(q, k), pi, qi, mi, js;
	struct ksum l = {0, 0}, r = {0, 0};
	size_t i;

	for (i = 0; i < k; i++) {
		pi = p[i] / sp;
		qi = q[i] / sq;
		mi = (pi + qi) / 2.0;
		ksum_add(&l, rel_entr(pi, mi));
		ksum_add(&r, rel_entr(qi, mi));
	}
	js = (ksum_get(&l) + ksum_get(&r)) / log(2.0);
	return sqrt(js / 2.0);
}

double stats_psi(const double *p, const double *q, size_t k)
{
	double sp = total(p, k), sq = total(q, k), pi, qi;
	struct ksum s = {0, 0};
	size_t i;

	for (i = 0; i < k; i++) {
		pi = p[i] / sp;
		qi = q[i] / sq;
		if (pi == 0)
			pi = STATS_PSI_EPS;
		if (qi == 0)
			qi = STATS_PSI_EPS;
		ksum_add(&s, (qi - pi) * log(qi / pi));
	}
	return ksum_get(&s);
}

/* ---- chi-square -------------------------------------------------------- */

/* Regularized lower incomplete gamma by its series (x < a + 1). */
static double gamma_p_series(double a, double x)
{
	double sum = 1.0 / a, del = sum, ap = a;
	int i;

	for (i = 0; i < 100000; i++) {
		ap += 1;
		del *= x / ap;
		sum += del;
		if (fabs(del) < fabs(sum) * 1e-17)
			break;
	}
	return sum * exp(-x + a * log(x) - lgamma(a));
}

/* Regularized upper incomplete gamma by Lentz's continued fraction. */
static double gamma_q_cf(double a, double x)
{
	double b = x + 1 - a, c = 1e300, d = 1 / b, h = d, an, del;
	int i;

	for (i = 1; i < 100000; i++) {
		an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (fabs(d) < 1e-300)
			d = 1e-300;
		c = b + an / c;
		if (fabs(c) < 1e-300)
			c = 1e-300;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-17)
			break;
	}
	return exp(-x + a * log(x) - lgamma(a)) * h;
}

double stats_chi2_sf(double x, double dof)
{
	double a = dof / 2, hx = x / 2;

	if (x <= 0)
		return 1.0;
	if (hx < a + 1)
		return clip01(1.0 - gamma_p_series(a, hx));
	return clip01(gamma_q_cf(a, hx));
}

void stats_chi2(const double *a, const double *b, size_t k, double *stat, double *p,
		size_t *dof)
{
	double ta = total(a, k), tb = total(b, k), n = ta + tb, col, ea, eb;
	struct ksum s = {0, 0};
	size_t i;

	*dof = k - 1;
	if (k <= 1) {
		*stat = 0;
		*p = 1.0;
		return;
	}
	for (i = 0; i < k; i++) {
		col = a[i] + b[i];
		ea = ta * col / n;
		eb = tb * col / n;
		ksum_add(&s, (a[i] - ea) * (a[i] - ea) / ea);
		ksum_add(&s, (b[i] - eb) * (b[i] - eb) / eb);
	}
	*stat = ksum_get(&s);
	*p = stats_chi2_sf(*stat, (double)*dof);
}
