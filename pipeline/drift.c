/*
 * drift.c — per-column drift statistics of current data against a reference
 * (drift.h); the statistics themselves are pipeline/stats.c's, the reports
 * drift_report.c's.
 */
#include "pipeline/drift.h"

#include "common/strbuf.h"
#include "pipeline/jsonw.h"
#include "pipeline/stats.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CHART_MAX_CATEGORIES 20

void drift_opts_init(struct drift_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->bins = PROFILE_DEFAULT_BINS;
	o->psi_threshold = 0.2;
	o->alpha = 0.05;
}

/* The options of profiling the reference data as drift reads it. */
static void reference_profile_opts(const struct drift_opts *o, struct profile_opts *po)
{
	profile_opts_init(po);
	po->inputs = o->reference;
	po->n_inputs = o->n_reference;
	po->table = o->table;
	po->columns = o->columns;
	po->n_columns = o->n_columns;
	po->categorical = o->categorical;
	po->n_categorical = o->n_categorical;
}

static int load_reference(const struct drift_opts *o, struct profile *ref, struct xp_error *err)
{
	struct profile_opts po;

	if (o->ref_kind == DRIFT_REF_PROFILE)
		return profile_load_file(o->reference[0], ref, err);
	if (o->ref_kind == DRIFT_REF_PROFILE_BUF)
		return profile_load_buf(o->ref_buf, o->ref_len, o->ref_name, ref, err);
	reference_profile_opts(o, &po);
	po.bins = o->bins;
	po.keep_values = 1;
	return profile_build(&po, ref, err);
}

/* The columns to compare: --columns (each in the reference) or all. */
static int pick_columns(const struct drift_opts *o, const struct profile *ref,
			const char ***names, size_t *n, struct xp_error *err)
{
	size_t i;

	*n = o->columns ? o->n_columns : ref->ncols;
	*names = xcalloc(*n + 1, sizeof(**names));
	for (i = 0; i < *n; i++) {
		(*names)[i] = o->columns ? o->columns[i] : ref->cols[i].name;
		if (!profile_col(ref, (*names)[i])) {
			xp_error_set(err, XP_ERR_USAGE, "no column '%s' in the reference '%s'",
				     (*names)[i], o->ref_name ? o->ref_name : o->reference[0]);
			free(*names);
			*names = NULL;
			return -1;
		}
	}
	return 0;
}

static size_t bin_of(const double *e, size_t ne, double v)
{
	size_t lo = 0, hi = ne;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (e[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void chart_set(struct drift_chart *ch, size_t n)
{
	ch->n = n;
	ch->labels = xcalloc(n + 1, sizeof(*ch->labels));
	ch->ref = xcalloc(n + 1, sizeof(*ch->ref));
	ch->cur = xcalloc(n + 1, sizeof(*ch->cur));
}

static void shares(double *dst, const double *cnt, size_t n)
{
	double t = 0;
	size_t i;

	for (i = 0; i < n; i++)
		t += cnt[i];
	for (i = 0; i < n; i++)
		dst[i] = t > 0 ? cnt[i] / t : 0;
}

static void numeric_chart(struct drift_col *d, const double *e, size_t ne, const double *rc,
			  const double *cc)
{
	size_t i;

	chart_set(&d->chart, ne + 1);
	shares(d->chart.ref, rc, ne + 1);
	shares(d->chart.cur, cc, ne + 1);
	for (i = 0; i <= ne; i++) {
		if (i == 0)
			d->chart.labels[i] = xasprintf("< %.4g", e[0]);
		else if (i == ne)
			d->chart.labels[i] = xasprintf(">= %.4g", e[ne - 1]);
		else
			d->chart.labels[i] = xasprintf("%.4g..%.4g", e[i - 1], e[i]);
	}
}

/* KS and Wasserstein against the best the reference has. */
static void numeric_tests(const struct prof_col *rc, const double *rv, size_t rn,
			  const double *cur, size_t nc, struct drift_col *d, const char **source)
{
	if (rv) {
		stats_ks_w1(rv, rn, cur, nc, &d->ks, &d->ks_p, &d->wasserstein);
		*source = "data";
	} else if (rc->nsample) {
		double *s = xmalloc(rc->nsample * sizeof(*s));

		memcpy(s, rc->sample, rc->nsample * sizeof(*s));
		stats_sort(s, rc->nsample);
		stats_ks_w1(s, rc->nsample, cur, nc, &d->ks, &d->ks_p, &d->wasserstein);
		free(s);
		*source = "the profile's sample";
	} else {
		double *v, *w, n = (double)rc->count;
		size_t k = kll_items(&rc->sketch, &v, &w);

		stats_ks_w(v, w, k, cur, NULL, nc, n * (double)nc / (n + (double)nc), &d->ks,
			   &d->ks_p);
		d->wasserstein = stats_wasserstein(v, w, k, cur, NULL, nc);
		free(v);
		free(w);
		*source = "the profile's sketch";
	}
}

/* rv: the reference's values (NULL for a profile), cv the current ones,
 * both sorted here. */
/* The first index of sorted x[lo..n) whose value is not below v. */
static size_t first_not_below(const double *x, size_t lo, size_t n, double v)
{
	while (lo < n) {
		size_t mid = lo + (n - lo) / 2;

		if (x[mid] < v)
			lo = mid + 1;
		else
			n = mid;
	}
	return lo;
}

/* Bin counts of sorted x (bin_of's bins): with strictly increasing edges a
 * binary search per edge, else bin_of per value. */
static void count_bins(const double *e, size_t ne, const double *x, size_t n, double *cnt)
{
	size_t b, lo = 0, hi;

	for (b = 1; b < ne && e[b - 1] < e[b]; b++)
		;
	if (b < ne) {
		for (b = 0; b < n; b++)
			cnt[bin_of(e, ne, x[b])]++;
		return;
	}
	for (b = 0; b < ne; b++) {
		hi = first_not_below(x, lo, n, e[b]);
		cnt[b] = (double)(hi - lo);
		lo = hi;
	}
	cnt[ne] = (double)(n - lo);
}

/* How many of sorted x lie outside [lo, hi]. */
static size_t outside(const double *x, size_t n, double lo, double hi)
{
	size_t below = first_not_below(x, 0, n, lo), i = n;

	while (i > below && x[i - 1] > hi) /* usually few: from the top */
		i--;
	return below + (n - i);
}

static void numeric(const struct prof_col *rc, double *rv, size_t rn, double *cv, size_t cn,
		    unsigned bins, struct drift_col *d, const char **source)
{
	double *e, *rcnt, *ccnt, q;
	size_t ne = 0, i;

	stats_sort(cv, cn);
	if (rv) {
		stats_sort(rv, rn);
		e = xmalloc((bins + 1) * sizeof(*e));
		for (i = 1; i < bins; i++) {
			q = stats_quantile(rv, rn, (double)i / (double)bins);
			if (ne == 0 || q != e[ne - 1])
				e[ne++] = q;
		}
		rcnt = xcalloc(ne + 1, sizeof(*rcnt));
		count_bins(e, ne, rv, rn, rcnt);
	} else {
		ne = rc->nedges;
		e = xmalloc((ne + 1) * sizeof(*e));
		memcpy(e, rc->edges, ne * sizeof(*e));
		rcnt = xmalloc((ne + 1) * sizeof(*rcnt));
		memcpy(rcnt, rc->hist, (ne + 1) * sizeof(*rcnt));
	}
	ccnt = xcalloc(ne + 1, sizeof(*ccnt));
	count_bins(e, ne, cv, cn, ccnt);
	d->psi = stats_psi(rcnt, ccnt, ne + 1);
	d->js = stats_js(rcnt, ccnt, ne + 1);
	d->out_of_range = (double)outside(cv, cn, rc->min, rc->max) / (double)cn;
	numeric_tests(rc, rv, rn, cv, cn, d, source);
	numeric_chart(d, e, ne, rcnt, ccnt);
	free(e);
	free(rcnt);
	free(ccnt);
}

static void categorical(const struct prof_col *rc, const struct prof_col *cc,
			struct drift_col *d)
{
	size_t k = rc->top.n + 1 + cc->top.n, n = 0, i, other_bin = SIZE_MAX, newc = 0;
	double *a = xcalloc(k, sizeof(*a)), *b = xcalloc(k, sizeof(*b));
	char **labels = xcalloc(k, sizeof(*labels));

	for (i = 0; i < rc->top.n; i++) {
		labels[n] = rc->top.it[i].value;
		a[n++] = (double)rc->top.it[i].count;
	}
	if (rc->other) {
		other_bin = n;
		labels[n] = "__other__";
		a[n++] = (double)rc->other;
	}
	for (i = 0; i < cc->top.n; i++) {
		long j = topk_find(&rc->top, cc->top.it[i].value);

		if (j >= 0) {
			b[j] += (double)cc->top.it[i].count;
			continue;
		}
		newc++;
		if (other_bin != SIZE_MAX) {
			b[other_bin] += (double)cc->top.it[i].count;
		} else {
			labels[n] = cc->top.it[i].value;
			b[n++] = (double)cc->top.it[i].count;
		}
	}
	d->new_categories = (double)newc;
	d->psi = stats_psi(a, b, n);
	d->js = stats_js(a, b, n);
	{
		size_t dof;

		stats_chi2(a, b, n, &d->chi2, &d->chi2_p, &dof);
	}
	chart_set(&d->chart, n < CHART_MAX_CATEGORIES ? n : CHART_MAX_CATEGORIES);
	shares(a, a, n);
	shares(b, b, n);
	for (i = 0; i < d->chart.n; i++) {
		d->chart.labels[i] = xstrdup(labels[i]);
		d->chart.ref[i] = a[i];
		d->chart.cur[i] = b[i];
	}
	free(a);
	free(b);
	free(labels);
}

static int compare(unsigned bins, const struct profile *ref, const struct prof_col *rc,
		   const struct profile *cur, const struct prof_col *cc, struct drift_col *d,
		   const char **source, struct xp_error *err)
{
	uint64_t rows_ref = ref->rows, rows_cur = cur->rows;
	double *rv = NULL, *cv;
	size_t rn = 0, cn;

	d->name = xstrdup(rc->name);
	d->type = rc->type;
	d->psi = d->ks = d->ks_p = d->js = d->wasserstein = d->chi2 = d->chi2_p = NAN;
	d->out_of_range = d->new_categories = NAN;
	d->missing_ref = rows_ref ? (double)rc->missing / (double)rows_ref : NAN;
	d->missing_cur = rows_cur ? (double)cc->missing / (double)rows_cur : NAN;
	if (rc->count == 0 || cc->count == 0) {
		d->drifted = (rc->count == 0) != (cc->count == 0);
		return 0;
	}
	if (rc->type == PROF_CATEGORICAL) {
		categorical(rc, cc, d);
		return 0;
	}
	if (ref->has_values && !(rv = profile_values(ref, rc, &rn, err)))
		return -1;
	if (!(cv = profile_values(cur, cc, &cn, err))) {
		free(rv);
		return -1;
	}
	numeric(rc, rv, rn, cv, cn, bins, d, source);
	free(rv);
	free(cv);
	return 0;
}

static void set_num(json_t *o, const char *key, double v)
{
	if (!isnan(v))
		json_object_set_new(o, key, json_real(v));
}

static void build_metrics(struct drift_result *r)
{
	json_t *root = json_object(), *drift = json_object(), *qual = json_object();
	size_t i;

	for (i = 0; i < r->ncols; i++) {
		const struct drift_col *d = &r->cols[i];
		json_t *c = json_object(), *q = json_object();

		set_num(c, "psi", d->psi);
		set_num(c, "ks", d->ks);
		set_num(c, "ks_p_value", d->ks_p);
		set_num(c, "js", d->js);
		set_num(c, "wasserstein", d->wasserstein);
		set_num(c, "chi2", d->chi2);
		set_num(c, "chi2_p_value", d->chi2_p);
		json_object_set_new(c, "drifted", json_integer(d->drifted));
		json_object_set_new(drift, d->name, c);
		set_num(q, "missing_share_reference", d->missing_ref);
		set_num(q, "missing_share_current", d->missing_cur);
		set_num(q, "out_of_range_share", d->out_of_range);
		set_num(q, "new_categories", d->new_categories);
		json_object_set_new(qual, d->name, q);
	}
	json_object_set_new(drift, "drifted_columns", json_integer((json_int_t)r->drifted));
	json_object_set_new(drift, "share_drifted",
			    json_real(r->ncols ? (double)r->drifted / (double)r->ncols : 0));
	json_object_set_new(drift, "columns", json_integer((json_int_t)r->ncols));
	json_object_set_new(drift, "rows_reference", json_integer((json_int_t)r->rows_ref));
	json_object_set_new(drift, "rows_current", json_integer((json_int_t)r->rows_cur));
	json_object_set_new(root, "drift", drift);
	json_object_set_new(root, "quality", qual);
	r->metrics = root;
}

static void decide(struct drift_result *r)
{
	size_t i, tested = 0;
	double cut;

	for (i = 0; i < r->ncols; i++)
		tested += !isnan(r->cols[i].ks_p) || !isnan(r->cols[i].chi2_p);
	cut = r->alpha / (double)(tested ? tested : 1);
	for (i = 0; i < r->ncols; i++) {
		struct drift_col *d = &r->cols[i];
		double p = !isnan(d->ks_p) ? d->ks_p : d->chi2_p;

		if (!isnan(d->psi) && d->psi > r->psi_threshold)
			d->drifted = 1;
		if (!isnan(p) && p < cut)
			d->drifted = 1;
		r->drifted += d->drifted != 0;
	}
}

static const char *const reserved[] = {"drifted_columns", "share_drifted", "columns",
				       "rows_reference", "rows_current", NULL};

static int check_reserved(const char *const *names, size_t n, struct xp_error *err)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; reserved[j]; j++)
			if (strcmp(names[i], reserved[j]) == 0)
				return xp_error_set(err, XP_ERR_USAGE,
						    "column '%s' has the name of a summary key: leave it out with --columns",
						    names[i]);
	return 0;
}

static void current_opts(const struct drift_opts *o, const char *const *names, size_t n,
			 const struct profile *types, struct profile_opts *po)
{
	profile_opts_init(po);
	po->inputs = o->current;
	po->n_inputs = o->n_current;
	po->table = o->table;
	po->columns = names;
	po->n_columns = n;
	po->keep_values = 1;
	po->types = types;
}

/* ---- reading both sides at once ---------------------------------------- */

/* The current data is read with the reference's column types, which a data
 * reference settles at each column's first value: usually in its first rows.
 * The head of the reference tells them; when it settles every column, the
 * reference and the current data are read at the same time. */
#define HEAD_ROWS 4096

struct build_job {
	const struct drift_opts *o;
	struct profile p;
	struct xp_error err;
	int rc;
};

static void *build_reference(void *arg)
{
	struct build_job *j = arg;

	j->rc = load_reference(j->o, &j->p, &j->err);
	return NULL;
}

/* Every reference input a regular file (read twice: its head, then all). */
static int rereadable(const struct drift_opts *o)
{
	struct stat st;
	size_t i;

	for (i = 0; i < o->n_reference; i++)
		if (strcmp(o->reference[i], "-") == 0 || stat(o->reference[i], &st) ||
		    !S_ISREG(st.st_mode))
			return 0;
	return 1;
}

/* 1 with *head holding each column's type as the whole reference would give
 * it and *names the columns to compare; 0 when that cannot be told from the
 * head (the reading then stays sequential, which also reports any error in
 * the order it always has). */
static int plan_concurrent(const struct drift_opts *o, struct profile *head,
			   const char ***names, size_t *n)
{
	struct profile_opts po;
	struct xp_error e;
	size_t i;

	if (o->ref_kind != DRIFT_REF_DATA || !rereadable(o))
		return 0;
	reference_profile_opts(o, &po);
	po.max_rows = HEAD_ROWS;
	xp_error_clear(&e);
	if (profile_build(&po, head, &e))
		return 0;
	for (i = 0; i < head->ncols; i++)
		if (head->truncated && head->cols[i].count == 0)
			break;
	if (i < head->ncols || pick_columns(o, head, names, n, &e))
		goto no;
	if (check_reserved(*names, *n, &e) == 0)
		return 1;
	free(*names);
no:
	profile_release(head);
	return 0;
}

/* Both profiles, read one after the other or, when plan_concurrent allows,
 * the reference on a thread of its own. An error is the reference's first,
 * as when reading sequentially. */
static int build_both(const struct drift_opts *o, struct profile *ref, struct profile *cur,
		      const char ***names, size_t *n, struct xp_error *err)
{
	struct build_job job = {.o = o};
	struct profile head;
	struct profile_opts po;
	pthread_t th;
	int rc;

	if (!plan_concurrent(o, &head, names, n)) {
		if (load_reference(o, ref, err))
			return -1;
		if (pick_columns(o, ref, names, n, err) == 0 &&
		    check_reserved(*names, *n, err) == 0) {
			current_opts(o, *names, *n, ref, &po);
			if (profile_build(&po, cur, err) == 0)
				return 0;
		}
		free(*names);
		*names = NULL;
		profile_release(ref);
		return -1;
	}
	xp_error_clear(&job.err);
	if (pthread_create(&th, NULL, build_reference, &job) != 0) {
		build_reference(&job);
		th = pthread_self();
	}
	current_opts(o, *names, *n, &head, &po);
	rc = profile_build(&po, cur, err);
	if (!pthread_equal(th, pthread_self()))
		pthread_join(th, NULL);
	profile_release(&head);
	free(*names);
	*names = NULL;
	if (job.rc == 0 && rc == 0) {
		*ref = job.p;
		/* the names again, borrowed from the reference (the head is gone):
		 * the same columns, so this cannot fail */
		return pick_columns(o, ref, names, n, err);
	}
	if (rc == 0)
		profile_release(cur);
	if (job.rc == 0)
		profile_release(&job.p);
	else
		*err = job.err;
	return -1;
}

/* ---- comparing columns on two threads ---------------------------------- */

#define COMPARE_THREADS 2

struct compare_job {
	const struct profile *ref, *cur;
	const char **names;
	struct drift_col *cols;
	const char **sources;         /* per column */
	size_t n;
	atomic_size_t next;
	atomic_size_t failed;         /* the first column that failed; n: none */
	struct xp_error err[COMPARE_THREADS];
	size_t err_col[COMPARE_THREADS];
};

struct compare_worker {
	struct compare_job *job;
	unsigned id;
};

static void *compare_columns(void *arg)
{
	struct compare_worker *w = arg;
	struct compare_job *j = w->job;
	size_t i;

	j->err_col[w->id] = j->n;
	while ((i = atomic_fetch_add(&j->next, 1)) < j->n && i < atomic_load(&j->failed)) {
		if (compare(j->ref->bins, j->ref, profile_col(j->ref, j->names[i]), j->cur,
			    &j->cur->cols[i], &j->cols[i], &j->sources[i], &j->err[w->id])) {
			size_t f = atomic_load(&j->failed);

			j->err_col[w->id] = i;
			while (i < f && !atomic_compare_exchange_weak(&j->failed, &f, i))
				;
			break;
		}
	}
	return NULL;
}

/* compare() for every column, columns shared out between threads; each
 * column's result lands in its own slot, so the result does not depend on
 * which thread took which. On error: the first failing column's. */
static int compare_all(const struct profile *ref, const struct profile *cur, const char **names,
		       size_t n, struct drift_result *r, const char **source, struct xp_error *err)
{
	struct compare_job *j = xcalloc(1, sizeof(*j));
	struct compare_worker w[COMPARE_THREADS];
	pthread_t th[COMPARE_THREADS];
	unsigned t, started = 0;
	size_t i;
	int ret = 0;

	j->ref = ref;
	j->cur = cur;
	j->names = names;
	j->cols = r->cols;
	j->n = n;
	j->sources = xcalloc(n + 1, sizeof(*j->sources));
	atomic_init(&j->next, 0);
	atomic_init(&j->failed, n);
	for (t = 0; t < COMPARE_THREADS; t++) {
		w[t] = (struct compare_worker){j, t};
		if (t > 0 && n > 1 && pthread_create(&th[t], NULL, compare_columns, &w[t]) == 0)
			started |= 1u << t;
	}
	compare_columns(&w[0]);
	for (t = 1; t < COMPARE_THREADS; t++)
		if (started & (1u << t))
			pthread_join(th[t], NULL);
		else
			compare_columns(&w[t]);
	for (i = 0; i < n; i++)
		if (j->sources[i])
			*source = j->sources[i];
	for (t = 0; t < COMPARE_THREADS; t++)
		if (j->err_col[t] == atomic_load(&j->failed) && j->err_col[t] < n) {
			*err = j->err[t];
			ret = -1;
		}
	/* release every column that was started, whichever failed */
	r->ncols = n;
	free(j->sources);
	free(j);
	return ret;
}

int drift_run(const struct drift_opts *o, struct drift_result *r, struct xp_error *err)
{
	struct profile ref, cur;
	const char **names = NULL, *source = NULL;
	size_t n;

	memset(r, 0, sizeof(*r));
	if (build_both(o, &ref, &cur, &names, &n, err))
		return -1;
	r->rows_ref = ref.rows;
	r->rows_cur = cur.rows;
	r->psi_threshold = o->psi_threshold;
	r->alpha = o->alpha;
	r->cols = xcalloc(n + 1, sizeof(*r->cols));
	if (compare_all(&ref, &cur, names, n, r, &source, err)) {
		drift_result_release(r);
	} else {
		decide(r);
		build_metrics(r);
		r->ks_source = xstrdup(source ? source : "data");
		r->ref_name = xstrdup(o->ref_name ? o->ref_name : o->reference[0]);
	}
	profile_release(&cur);
	free(names);
	profile_release(&ref);
	return r->metrics ? 0 : -1;
}

void drift_result_release(struct drift_result *r)
{
	size_t i, j;

	for (i = 0; i < r->ncols; i++) {
		struct drift_chart *c = &r->cols[i].chart;

		for (j = 0; j < c->n; j++)
			free(c->labels[j]);
		free(c->labels);
		free(c->ref);
		free(c->cur);
		free(r->cols[i].name);
	}
	free(r->cols);
	free(r->ks_source);
	free(r->ref_name);
	json_decref(r->metrics);
	memset(r, 0, sizeof(*r));
}

char *drift_to_json(const struct drift_result *r)
{
	struct strbuf sb = STRBUF_INIT;

	jsonw_tree(&sb, r->metrics, 2);
	strbuf_addc(&sb, '\n');
	return strbuf_detach(&sb, NULL);
}
