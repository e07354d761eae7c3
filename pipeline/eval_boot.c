/*
 * eval_boot.c — bootstrap confidence intervals and the paired comparison with
 * a baseline (docs/evaluate.md).
 *
 * A bootstrap replicate draws n rows with replacement; drawing row i m times
 * is the same, for every metric here, as giving it weight m·w_i, so a
 * replicate is the data set with multiplied weights; binary replicates reuse
 * the score order and per-row terms computed once (eval_binary_prepare). Replicate b draws from its own generator, seeded from
 * (seed, b), so the result does not depend on which thread ran it: the same
 * seed gives the same bytes. Two threads share the replicates. With a baseline
 * each replicate weighs both models' rows alike: a paired bootstrap of every
 * metric's difference.
 */
#include "pipeline/evaluate_impl.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOOT_THREADS 2

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15u);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

struct boot {
	const struct eval_opts *o;
	const struct eval_data *d, *base;
	const char *const *classes;
	const struct bin_prep *prep, *bprep; /* binary: precomputed terms */
	const char **keys;
	size_t nkeys, B;
	double *vals, *dvals;        /* B x nkeys, NAN where undefined */
	unsigned tid;
};

static void values_of(const json_t *obj, const char **keys, size_t n, double *out)
{
	size_t j;

	for (j = 0; j < n; j++) {
		const json_t *v = json_object_get(obj, keys[j]);

		out[j] = v ? json_number_value(v) : NAN;
	}
}

/* The metrics of `d` with row i drawn m[i] times (w: scratch for the
 * multiplied weights), no groups. m NULL: d as it is. */
static json_t *metrics_with(const struct boot *bt, const struct eval_data *d,
			    const struct bin_prep *prep, const uint32_t *m, double *w)
{
	struct eval_data view = *d;
	struct eval_result scratch;
	json_t *obj = json_object();
	size_t i;

	memset(&scratch, 0, sizeof(scratch));
	strbuf_init(&scratch.notes);
	view.ng = 0;
	if (m && prep) {
		eval_binary_replicate(bt->o, prep, m, obj, &scratch);
	} else {
		if (m) {
			for (i = 0; i < d->n; i++)
				w[i] = m[i] * eval_w(d, i);
			view.w = w;
		}
		eval_task(bt->o, &view, bt->classes, obj, &scratch);
	}
	strbuf_release(&scratch.notes);
	return obj;
}

static void *worker(void *arg)
{
	struct boot *bt = arg;
	const struct eval_data *d = bt->d;
	uint32_t *m = xmalloc(d->n * sizeof(*m));
	double *w = xmalloc(d->n * sizeof(*w)), *bv = xmalloc(bt->nkeys * sizeof(double));
	size_t b, i, j;

	(void)i;
	for (b = bt->tid; b < bt->B; b += BOOT_THREADS) {
		uint64_t state = bt->o->seed ^ (0xD1B54A32D192ED03u * (b + 1));
		double *out = bt->vals + b * bt->nkeys;
		json_t *obj;

		memset(m, 0, d->n * sizeof(*m));
		for (i = 0; i < d->n; i++)
			m[(size_t)((double)(splitmix64(&state) >> 11) * 0x1.0p-53 * (double)d->n)]++;
		obj = metrics_with(bt, d, bt->prep, m, w);
		values_of(obj, bt->keys, bt->nkeys, out);
		json_decref(obj);
		if (!bt->base)
			continue;
		obj = metrics_with(bt, bt->base, bt->bprep, m, w);
		values_of(obj, bt->keys, bt->nkeys, bv);
		json_decref(obj);
		for (j = 0; j < bt->nkeys; j++)
			bt->dvals[b * bt->nkeys + j] = out[j] - bv[j];
	}
	free(m);
	free(w);
	free(bv);
	return NULL;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b ? 1 : 0;
}

/* numpy.percentile's default: linear between the order statistics. */
static double percentile(const double *v, size_t n, double q)
{
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* ci.<key>.low|high from column j of vals. */
static void intervals(const struct eval_opts *o, const double *vals, size_t B, size_t nkeys,
		      const char **keys, json_t *out, const char *what, struct eval_result *r)
{
	double *v = xmalloc(B * sizeof(*v)), alpha = (1 - o->confidence) / 2;
	size_t j, b, n;

	for (j = 0; j < nkeys; j++) {
		json_t *iv;

		for (b = n = 0; b < B; b++)
			if (!isnan(vals[b * nkeys + j]))
				v[n++] = vals[b * nkeys + j];
		if (n < B) {
			char *path = xasprintf("%s.%s", what, keys[j]);
			char why[128];

			snprintf(why, sizeof(why), "%s %zu of %zu replicates (not defined in the others)",
				 n ? "from" : "not defined: in none of the", n, B);
			eval_note(r, path, n ? why : "not defined in any replicate");
			free(path);
		}
		if (!n)
			continue;
		qsort(v, n, sizeof(*v), cmp_double);
		iv = json_object();
		eval_set(iv, "low", percentile(v, n, alpha));
		eval_set(iv, "high", percentile(v, n, 1 - alpha));
		json_object_set_new(out, keys[j], iv);
	}
	free(v);
}

/* P(X <= k) for X ~ Binomial(n, 1/2), summed from k down in ratios of the
 * log-space term at k. */
static double binom_half_cdf(size_t k, size_t n)
{
	double lt = lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1) -
		    (double)n * log(2.0);
	double sum = 1, term = 1;
	size_t i;

	for (i = k; i > 0; i--) {
		term *= (double)i / (double)(n - i + 1);
		sum += term;
		if (term < 1e-17 * sum)
			break;
	}
	return exp(lt) * sum;
}

/* McNemar's exact test on the rows one model classifies right and the other
 * wrong (counted, not weighted): two-sided p = min(1, 2 P(X <= min(b, c))). */
static void mcnemar(const struct eval_opts *o, const struct eval_data *d,
		    const struct eval_data *base, json_t *out)
{
	size_t i, nb = 0, nc = 0;
	json_t *m = json_object();
	double p;

	for (i = 0; i < d->n; i++) {
		int a = o->task == EVAL_BINARY ? d->yb[i] == d->pb[i] : d->yc[i] == d->pc[i];
		int z = o->task == EVAL_BINARY ? base->yb[i] == base->pb[i]
					       : base->yc[i] == base->pc[i];

		nb += a && !z;
		nc += !a && z;
	}
	p = nb + nc == 0 ? 1.0 : fmin(1.0, 2 * binom_half_cdf(nb < nc ? nb : nc, nb + nc));
	eval_set(m, "candidate_only_correct", (double)nb);
	eval_set(m, "baseline_only_correct", (double)nc);
	eval_set(m, "p_value", p);
	json_object_set_new(out, "mcnemar", m);
}

void eval_compare(const struct eval_opts *o, const struct eval_data *d,
		  const struct eval_data *base, const char *const *classes,
		  struct eval_result *r)
{
	struct boot bt[BOOT_THREADS];
	pthread_t th[BOOT_THREADS];
	struct bin_prep *prep = NULL, *bprep = NULL;
	const char **keys = NULL;
	const char *key;
	json_t *v, *bm = NULL;
	size_t nkeys = 0, j;
	unsigned t, started = 0;

	json_object_foreach(r->metrics, key, v) {
		if (!json_is_number(v) || strcmp(key, "rows") == 0 ||
		    strcmp(key, "skipped_rows") == 0)
			continue;
		keys = xrealloc(keys, (nkeys + 1) * sizeof(*keys));
		keys[nkeys++] = key;
	}
	if (base) {
		json_t *delta = json_object();

		bm = metrics_with(&(struct boot){.o = o, .classes = classes}, base, NULL, NULL, NULL);
		for (j = 0; j < nkeys; j++) {
			const json_t *b = json_object_get(bm, keys[j]);

			if (b)
				eval_set(delta, keys[j], json_number_value(json_object_get(r->metrics, keys[j])) -
					 json_number_value(b));
		}
		json_object_set_new(r->metrics, "delta", delta);
		if (o->task != EVAL_REGRESSION)
			mcnemar(o, d, base, r->metrics);
	}
	if (o->bootstrap) {
		size_t B = o->bootstrap;
		double *vals = xmalloc(B * nkeys * sizeof(double) + 1);
		double *dvals = base ? xmalloc(B * nkeys * sizeof(double) + 1) : NULL;
		json_t *ci = json_object();

		if (o->task == EVAL_BINARY) {
			prep = eval_binary_prepare(d);
			if (base)
				bprep = eval_binary_prepare(base);
		}
		for (t = 0; t < BOOT_THREADS; t++) {
			bt[t] = (struct boot){o, d, base, classes, prep, bprep, keys, nkeys, B,
					      vals, dvals, t};
			if (pthread_create(&th[t], NULL, worker, &bt[t]) == 0)
				started |= 1u << t;
			else
				worker(&bt[t]);
		}
		for (t = 0; t < BOOT_THREADS; t++)
			if (started & (1u << t))
				pthread_join(th[t], NULL);
		intervals(o, vals, B, nkeys, keys, ci, "ci", r);
		json_object_set_new(r->metrics, "ci", ci);
		if (base) {
			json_t *dci = json_object();

			intervals(o, dvals, B, nkeys, keys, dci, "delta_ci", r);
			json_object_set_new(r->metrics, "delta_ci", dci);
		}
		free(vals);
		free(dvals);
	}
	json_decref(bm);
	eval_binary_prep_free(prep);
	eval_binary_prep_free(bprep);
	free(keys);
}
