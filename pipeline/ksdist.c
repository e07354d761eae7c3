/*
 * ksdist.c — the survival function of the one-sample two-sided
 * Kolmogorov-Smirnov statistic D_n, P(D_n >= x), as scipy.stats.kstwo.sf
 * evaluates it (Simard & L'Ecuyer 2011): Ruben-Gambino's exact forms at the
 * ends, twice the one-sided Smirnov probability where that is exact or
 * Miller's approximation holds, Durbin's matrix (Marsaglia-Tsang-Wang) and
 * Pomeranz's recursion for small n, Pelz-Good's expansion for large n.
 * Two-sample KS p-values for large samples are this function at
 * round(n*m/(n+m)) (stats.c).
 */
#include "pipeline/stats.h"

#include "common/strbuf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SCALE_EXP 128
#define LOG_2PI 1.8378770664093454836
#define MIN_LOG (-708.0)

static double clip01(double p)
{
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

/* log(n! / n^n) by Stirling's series with n log n removed. */
static double log_nfact_div_npow(double n)
{
	static const double c[] = {-2.955065359477124183e-2, 6.4102564102564102564e-3,
				   -1.9175269175269175269e-3, 8.4175084175084175084e-4,
				   -5.952380952380952381e-4, 7.9365079365079365079e-4,
				   -2.7777777777777777778e-3, 8.3333333333333333333e-2};
	double rn = 1.0 / n, x = rn / n, poly = 0;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		poly = poly * x + c[i];
	return log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/* P(D_n^+ >= e), Birnbaum and Tingey's sum. */
static double smirnov(double n, double e)
{
	double nn, v, p = 0, c = 1, evn, lg;

	if (e <= 0)
		return 1.0;
	if (e >= 1)
		return 0.0;
	nn = floor(n * (1.0 - e));
	if (n < 1013) {
		for (v = 0; v <= nn; v++) {
			evn = e + v / n;
			p += c * pow(evn, v - 1) * pow(1.0 - evn, n - v);
			c *= (n - v) / (v + 1);
		}
		return p * e;
	}
	lg = lgamma(n + 1);
	for (v = 0; v <= nn; v++) {
		double t;

		evn = e + v / n;
		if (!(1.0 - evn > 0))
			continue;
		t = lg - lgamma(v + 1) - lgamma(n - v + 1) + (v - 1) * log(evn) +
		    (n - v) * log1p(-evn);
		if (t > MIN_LOG)
			p += exp(t);
	}
	return p * e;
}

static void matmul(const double *a, const double *b, double *out, size_t m)
{
	size_t i, j, k;

	memset(out, 0, m * m * sizeof(*out));
	for (i = 0; i < m; i++)
		for (k = 0; k < m; k++) {
			double aik = a[i * m + k];

			if (aik == 0)
				continue;
			for (j = 0; j < m; j++)
				out[i * m + j] += aik * b[k * m + j];
		}
}

/* P(D_n <= d), Durbin's matrix method (MTW). */
static double cdf_durbin(double n, double d)
{
	double nd = n * d, h, fac = 1, tt, p;
	size_t k, m, i, j, sz;
	double *H, *P, *T, *v, *w;
	long long nn, expnt = 0, hexp = 0;

	if (d >= 1.0)
		return 1.0;
	if (nd <= 0.5)
		return 0.0;
	k = (size_t)ceil(nd);
	h = (double)k - nd;
	m = 2 * k - 1;
	sz = m * m;
	H = xcalloc(sz, sizeof(*H));
	P = xcalloc(sz, sizeof(*P));
	T = xcalloc(sz, sizeof(*T));
	v = xmalloc(m * sizeof(*v));
	w = xmalloc(m * sizeof(*w));
	for (j = 1; j <= m; j++) {
		v[j - 1] = 1.0 - pow(h, (double)j);
		w[j - 1] = fac;
		fac /= (double)j;
		v[j - 1] *= fac;
	}
	tt = pow(fmax(2 * h - 1.0, 0), (double)m) - 2 * pow(h, (double)m);
	v[m - 1] = (1.0 + tt) * fac;
	for (i = 1; i < m; i++)
		for (j = i - 1; j < m; j++)
			H[j * m + i] = w[j - (i - 1)];
	for (j = 0; j < m; j++)
		H[j * m] = v[j];
	for (j = 0; j < m; j++)
		H[(m - 1) * m + j] = v[m - 1 - j];
	for (i = 0; i < m; i++)
		P[i * m + i] = 1.0;
	for (nn = (long long)n; nn > 0; nn /= 2) {
		if (nn % 2) {
			matmul(P, H, T, m);
			memcpy(P, T, sz * sizeof(*P));
			expnt += hexp;
		}
		matmul(H, H, T, m);
		memcpy(H, T, sz * sizeof(*H));
		hexp *= 2;
		if (fabs(H[(k - 1) * m + k - 1]) > ldexp(1.0, SCALE_EXP)) {
			for (i = 0; i < sz; i++)
				H[i] = ldexp(H[i], -SCALE_EXP);
			hexp += SCALE_EXP;
		}
	}
	p = P[(k - 1) * m + k - 1];
	for (i = 1; i <= (size_t)n; i++) {
		p = (double)i * p / n;
		if (fabs(p) < ldexp(1.0, -SCALE_EXP)) {
			p = ldexp(p, SCALE_EXP);
			expnt -= SCALE_EXP;
		}
	}
	if (expnt)
		p = ldexp(p, (int)expnt);
	free(H);
	free(P);
	free(T);
	free(v);
	free(w);
	return clip01(p);
}

static void pomeranz_j1j2(long long i, long long n, long long ll, long long ceilf,
			  long long roundf, long long *j1, long long *j2)
{
	long long a, b;

	if (i == 0) {
		a = -ll - ceilf - 1;
		b = ll + ceilf - 1;
	} else {
		long long half = (i + 1) / 2, odd = (i + 1) % 2;

		if (odd == 0) {
			if (half == n + 1) {
				a = n - ll - ceilf - 1;
				b = n + ll + ceilf - 1;
			} else {
				a = half - 1 - ll - roundf - 1;
				b = half + ll - 1 + ceilf - 1;
			}
		} else {
			a = half - 1 - ll - 1;
			b = half + ll + roundf - 1;
		}
	}
	*j1 = a + 2 > 0 ? a + 2 : 0;
	*j2 = b < n ? b : n;
}

/* P(D_n <= x), Pomeranz's recursion (two rows, Poisson-like convolutions). */
static double cdf_pomeranz(long long n, double x)
{
	double t = (double)n * x, f, g, ans, *gp, *g2p, *g12p, *V0, *V1, *tmp, *pw, mx;
	long long ll = (long long)floor(t), ceilf, roundf, np, i, k1, j1, j2, ln2, V0s = 0,
		  V1s = 0, q, r, ts, expnt = 0;

	f = t - (double)ll;
	g = fmin(f, 1.0 - f);
	ceilf = f > 0;
	roundf = f > 0.5;
	np = 2 * (ll + 1);
	gp = xmalloc((size_t)np * sizeof(double));
	g2p = xmalloc((size_t)np * sizeof(double));
	g12p = xmalloc((size_t)np * sizeof(double));
	V0 = xcalloc((size_t)np, sizeof(double));
	V1 = xcalloc((size_t)np, sizeof(double));
	gp[0] = g2p[0] = g12p[0] = 1.0;
	for (i = 1; i < np; i++) {
		gp[i] = gp[i - 1] * (g / (double)n) / (double)i;
		g2p[i] = g2p[i - 1] * (2 * g / (double)n) / (double)i;
		g12p[i] = g12p[i - 1] * ((1 - 2 * g) / (double)n) / (double)i;
	}
	V1[0] = 1;
	pomeranz_j1j2(0, n, ll, ceilf, roundf, &j1, &j2);
	for (i = 1; i < 2 * n + 2; i++) {
		k1 = j1;
		tmp = V0;
		V0 = V1;
		V1 = tmp;
		ts = V0s;
		V0s = V1s;
		V1s = ts;
		memset(V1, 0, (size_t)np * sizeof(double));
		pomeranz_j1j2(i, n, ll, ceilf, roundf, &j1, &j2);
		pw = (i == 1 || i == 2 * n + 1) ? gp : (i % 2 ? g2p : g12p);
		ln2 = j2 - k1 + 1;
		if (ln2 <= 0)
			continue;
		/* V1[q] = conv(V0[k1 - V0s ...], pw)[j1 - k1 + q] */
		mx = 0;
		for (q = 0; q < j2 - j1 + 1; q++) {
			long long c = j1 - k1 + q;
			double s = 0;

			for (r = 0; r < ln2 && r <= c; r++) {
				long long vi = k1 - V0s + r;

				if (c - r < ln2 && vi >= 0 && vi < np)
					s += V0[vi] * pw[c - r];
			}
			if (q < np)
				V1[q] = s;
			mx = fmax(mx, s);
		}
		if (mx > 0 && mx < ldexp(1.0, -SCALE_EXP)) {
			for (q = 0; q < np; q++)
				V1[q] = ldexp(V1[q], SCALE_EXP);
			expnt -= SCALE_EXP;
		}
		V1s = V0s + j1 - k1;
	}
	ans = n - V1s >= 0 && n - V1s < np ? V1[n - V1s] : 0;
	for (q = 1; q <= n; q++) {
		if (fabs(ans) > ldexp(1.0, SCALE_EXP)) {
			ans = ldexp(ans, -SCALE_EXP);
			expnt += SCALE_EXP;
		}
		ans *= (double)q;
	}
	if (expnt)
		ans = ldexp(ans, (int)expnt);
	free(gp);
	free(g2p);
	free(g12p);
	free(V0);
	free(V1);
	return clip01(ans);
}

/* P(D_n <= x), Pelz-Good's asymptotic expansion. */
static double cdf_pelz_good(double n, double x)
{
	const double pi2 = M_PI * M_PI, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
	double z, z2, z3, z4, z6, qlog, q, K[4] = {0, 0, 0, 0}, k1a, k1b, k2a, k2b, k2c,
	       k3a, k3b, k3c, k3d, k2x = 0, k3x = 0, s3z, sum;
	long long maxk, k;
	int i;

	if (x <= 0)
		return 0.0;
	if (x >= 1)
		return 1.0;
	z = sqrt(n) * x;
	z2 = z * z;
	z3 = z2 * z;
	z4 = z2 * z2;
	z6 = z4 * z2;
	qlog = -pi2 / 8 / z2;
	if (qlog < MIN_LOG)
		return 0.0;
	q = exp(qlog);
	k1a = -z2;
	k1b = pi2 / 4;
	k2a = 6 * z6 + 2 * z4;
	k2b = (2 * z4 - 5 * z2) * pi2 / 4;
	k2c = pi4 * (1 - 2 * z2) / 16;
	k3d = pi6 * (5 - 30 * z2) / 64;
	k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
	k3b = pi2 * (135 * z4 - 96 * z6) / 4;
	k3a = -30 * z6 - 90 * z4 * z4;
	maxk = (long long)ceil(16 * z / M_PI);
	for (k = maxk; k > 0; k--) {
		double m = (double)(2 * k - 1), m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
		double qp = pow(q, (double)(8 * k));
		double c[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
			       k3a + k3b * m2 + k3c * m4 + k3d * m6};

		for (i = 0; i < 4; i++)
			K[i] = K[i] * qp + c[i];
	}
	for (i = 0; i < 4; i++)
		K[i] *= q * sqrt(2 * M_PI);
	K[0] /= z;
	K[1] /= 6 * z4;
	K[2] /= 72 * z6 * z;
	K[3] /= 6480 * z6 * z4;
	q = exp(-pi2 / 2 / z2);
	s3z = sqrt(3.0) * z;
	for (k = maxk; k > 0; k--) {
		double kk = (double)k, ks2 = kk * kk, qpw = pow(q, ks2), kp = M_PI * kk;

		k2x += ks2 * qpw;
		k3x += (s3z + kp) * (s3z - kp) * ks2 * qpw;
	}
	K[2] += k2x * pi2 * sqrt(2 * M_PI) / (-36 * z3);
	K[3] += k3x * pi2 * sqrt(2 * M_PI) / (216 * z6);
	sum = 0;
	for (i = 0; i < 4; i++)
		sum += K[i] / pow(n, i / 2.0);
	return sum;
}

double stats_kstwo_sf(double x, double n)
{
	double t, nx2, cdf;

	if (!(n >= 1))
		return NAN;
	if (x >= 1.0)
		return 0.0;
	if (x <= 0.0)
		return 1.0;
	t = n * x;
	if (t <= 1.0) {
		double prob = 1;

		if (t <= 0.5)
			return 1.0;
		if (n <= 140) {
			double i;

			for (i = 1; i <= n; i++)
				prob *= i * (1.0 / n) * (2 * t - 1);
		} else {
			prob = exp(log_nfact_div_npow(n) + n * log(2 * t - 1));
		}
		return clip01(1.0 - prob);
	}
	if (t >= n - 1)
		return clip01(2 * pow(1.0 - x, n));
	if (x >= 0.5)
		return clip01(2 * smirnov(n, x));
	nx2 = t * x;
	if (n <= 140) {
		if (nx2 <= 0.754693)
			return clip01(1.0 - cdf_durbin(n, x));
		if (nx2 <= 4)
			return clip01(1.0 - cdf_pomeranz((long long)n, x));
		return clip01(2 * smirnov(n, x));
	}
	if (nx2 >= 370.0)
		return 0.0;
	if (nx2 >= 2.2)
		return clip01(2 * smirnov(n, x));
	if (n <= 100000 && n * pow(x, 1.5) <= 1.4)
		cdf = cdf_durbin(n, x);
	else
		cdf = cdf_pelz_good(n, x);
	return clip01(1.0 - clip01(cdf));
}
