/* test_drift.c — the two-sample statistics (pipeline/stats.c, ksdist.c) on
 * values scipy 1.10 gives, and drift_run on small tables. */
#include "tests/unit/test_common.h"
#include "common/strbuf.h"
#include "pipeline/drift.h"
#include "pipeline/stats.h"

#include <math.h>
#include <unistd.h>

static void near(double got, double want, double rel)
{
	if (!(fabs(got - want) <= rel * fabs(want) + 1e-300)) {
		print_error("got %.17g, want %.17g\n", got, want);
		fail();
	}
}

static void ks_two_sample(void **state)
{
	static const double a[] = {1, 2, 3, 4, 5}, b[] = {3, 4, 5, 6, 7, 8};
	double x[20], y[20], d, p;
	int i;

	(void)state;
	stats_ks(a, 5, b, 6, &d, &p);
	near(d, 0.5, 1e-15);
	near(p, 0.35714285714285715, 1e-12);
	for (i = 0; i < 20; i++) {
		x[i] = i;
		y[i] = i + 3.5;
	}
	stats_ks(x, 20, y, 20, &d, &p);
	near(d, 0.2, 1e-15);
	near(p, 0.8319696107963263, 1e-12);
}

static void kstwo_branches(void **state)
{
	(void)state;
	near(stats_kstwo_sf(0.05, 1000), 0.013012074781090332, 1e-9);  /* Smirnov */
	near(stats_kstwo_sf(0.3, 50), 0.00017353260202718738, 1e-9);   /* small n */
	near(stats_kstwo_sf(0.6, 10), 0.0005681672000000003, 1e-9);    /* x >= 0.5 */
	near(stats_kstwo_sf(0.01, 200000), 8.433125699870092e-18, 1e-9);
	near(stats_kstwo_sf(0.002, 500000), 0.036582179671620585, 1e-9); /* Pelz-Good */
	assert_true(stats_kstwo_sf(0, 10) == 1.0);
	assert_true(stats_kstwo_sf(1, 10) == 0.0);
}

static void chi2_and_distances(void **state)
{
	static const double u[] = {0, 1, 3}, v[] = {5, 6, 8}, wu[] = {1, 2, 1}, wv[] = {3, 1, 1};
	static const double p2[] = {1, 0}, q2[] = {0, 1}, p3[] = {3, 1, 1}, q3[] = {1, 1, 3};
	static const double ra[] = {10, 20, 30}, rb[] = {15, 15, 30};
	static const double q[] = {1, 2, 3, 10};
	double s, p;
	size_t dof;

	(void)state;
	near(stats_chi2_sf(3.84, 1), 0.05004352124870519, 1e-12);
	near(stats_chi2_sf(10, 4), 0.04042768199451279, 1e-12);
	near(stats_chi2_sf(0.5, 7), 0.9994464813904249, 1e-12);
	stats_chi2(ra, rb, 3, &s, &p, &dof);
	near(s, 1.7142857142857144, 1e-12);
	near(p, 0.42437284567695, 1e-12);
	assert_int_equal(dof, 2);
	near(stats_wasserstein(u, NULL, 3, v, NULL, 3), 5.0, 1e-15);
	near(stats_wasserstein(u, wu, 3, v, wv, 3), 4.550000000000001, 1e-12);
	near(stats_js(p2, q2, 2), 1.0, 1e-15);
	near(stats_js(p3, q3, 3), 0.3885582330007866, 1e-12);
	/* PSI written out: one empty bin takes the epsilon */
	near(stats_psi(p2, q2, 2), 2 * (1 - 1e-4) * log(1 / 1e-4), 1e-12);
	near(stats_quantile(q, 4, 0.3), 1.9, 1e-15);
}

static void radix_sort_orders_doubles(void **state)
{
	size_t n = 10000, i;
	double *x = malloc(n * sizeof(*x));

	(void)state;
	for (i = 0; i < n; i++)
		x[i] = (double)((i * 7919) % n) - 5000.5 + (i % 3 ? 0.25 : -0.0);
	stats_sort(x, n);
	for (i = 1; i < n; i++)
		assert_true(x[i - 1] <= x[i]);
	free(x);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* stats_sort against qsort, bit for bit from 4096 values on (where -0 is read
 * as +0; below, the quicksort leaves -0 and +0 in either order),
 * on shapes that take every path of the radix sort: signs mixed, one sign,
 * values sharing many leading bits (timestamps with decimals, a narrow
 * range), ties, all equal, tiny and huge exponents, small and large sizes. */
static void radix_sort_matches_qsort(void **state)
{
	static const size_t sizes[] = {4095, 4096, 4097, 20000, 300000};
	uint64_t s = 7;
	size_t si, shape, i;

	(void)state;
	for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++)
		for (shape = 0; shape < 8; shape++) {
			size_t n = sizes[si];
			double *x = malloc(n * sizeof(*x)), *y = malloc(n * sizeof(*y));

			for (i = 0; i < n; i++) {
				double u, r;

				s = s * 6364136223846793005ull + 1442695040888963407ull;
				u = (double)(s >> 11) * 0x1p-53;
				r = u * 2 - 1;
				x[i] = shape == 0 ? r * 100
				     : shape == 1 ? 1.7e9 + floor(u * 1e6) / 1e3
				     : shape == 2 ? 1 + r * 1e-12
				     : shape == 3 ? floor(r * 7) * 0.5
				     : shape == 4 ? 42.0
				     : shape == 5 ? ldexp(r, (int)(s % 2000) - 1000)
				     : shape == 6 ? (i % 7 == 0 ? r : i % 5 ? 0.0 : -0.0)
				     : round(r * 1e6) / 1e6;
			}
			for (i = 0; i < n; i++)
				y[i] = x[i] == 0 ? 0.0 : x[i];
			qsort(y, n, sizeof(*y), cmp_double);
			stats_sort(x, n);
			for (i = 0; i < n; i++)
				if (n < 4096 ? x[i] != y[i] : memcmp(&x[i], &y[i], sizeof(x[i])) != 0)
					fail_msg("size %zu shape %zu at %zu: %a, qsort %a", n, shape, i,
						 x[i], y[i]);
			free(x);
			free(y);
		}
}

static char *write_tmp(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void run_on_tables(void **state)
{
	char *ref = write_tmp("xp-drift-ref.csv", "x,c\n1,a\n2,a\n3,b\n4,b\n5,\n");
	char *cur = write_tmp("xp-drift-cur.csv", "x,c\n6,a\n7,z\n8,z\n9,\n,\n");
	const char *refs[] = {ref}, *curs[] = {cur};
	struct drift_opts o;
	struct drift_result r;
	struct xp_error err;

	(void)state;
	drift_opts_init(&o);
	o.reference = refs;
	o.n_reference = 1;
	o.current = curs;
	o.n_current = 1;
	xp_error_clear(&err);
	assert_int_equal(drift_run(&o, &r, &err), 0);
	assert_int_equal(r.ncols, 2);
	assert_int_equal(r.cols[0].type, PROF_NUMERIC);
	assert_int_equal(r.cols[1].type, PROF_CATEGORICAL);
	near(r.cols[0].out_of_range, 1.0, 0);
	near(r.cols[0].missing_cur, 0.2, 1e-15);
	near(r.cols[1].new_categories, 1, 0);
	near(r.cols[1].missing_ref, 0.2, 1e-15);
	assert_int_equal(r.drifted, 2);
	drift_result_release(&r);
	unlink(ref);
	unlink(cur);
	free(ref);
	free(cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ks_two_sample),
		cmocka_unit_test(kstwo_branches),
		cmocka_unit_test(chi2_and_distances),
		cmocka_unit_test(radix_sort_orders_doubles),
		cmocka_unit_test(radix_sort_matches_qsort),
		cmocka_unit_test(run_on_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
