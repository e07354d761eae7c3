/*
 * profile.c — building, finishing and merging data profiles (profile.h).
 * The JSON form is in profile_json.c.
 */
#include "pipeline/profile.h"

#include "common/fileio.h"
#include "common/strbuf.h"
#include "pipeline/stats.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = (*s += 0x9e3779b97f4a7c15ull);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Uniform in [0, n) without modulo bias worth measuring (n < 2^53). */
static uint64_t rng_below(uint64_t *s, uint64_t n)
{
	return (uint64_t)((double)(rng_next(s) >> 11) * 0x1p-53 * (double)n);
}

static uint64_t seed_of(uint64_t seed, const char *name)
{
	uint64_t h = 1469598103934665603ull;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ull;
	return seed ^ h;
}

void profile_opts_init(struct profile_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->bins = PROFILE_DEFAULT_BINS;
	o->top_k = PROFILE_DEFAULT_TOP_K;
	o->sketch_k = KLL_DEFAULT_K;
}

const char *profile_type_name(enum prof_type t)
{
	return t == PROF_NUMERIC ? "numeric" : t == PROF_CATEGORICAL ? "categorical" : "unknown";
}

const struct prof_col *profile_col(const struct profile *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ncols; i++)
		if (strcmp(p->cols[i].name, name) == 0)
			return &p->cols[i];
	return NULL;
}

static void col_init(const struct profile *p, struct prof_col *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	kll_init(&c->sketch, p->sketch_k);
	topk_init(&c->top, p->has_values ? PROFILE_EXACT_CATEGORIES
			  : p->top_k * 4 > 256 ? p->top_k * 4 : 256);
	c->rng = seed_of(p->seed, name);
	if (p->sample)
		c->sample = xmalloc(p->sample * sizeof(*c->sample));
}

static void col_release(struct prof_col *c)
{
	free(c->name);
	kll_release(&c->sketch);
	topk_release(&c->top);
	free(c->edges);
	free(c->hist);
	free(c->sample);
	free(c->values);
	free(c->chunks);
}

void profile_release(struct profile *p)
{
	size_t i;

	for (i = 0; p && i < p->ncols; i++)
		col_release(&p->cols[i]);
	if (p) {
		if (p->has_values && p->spill_fd >= 0)
			close(p->spill_fd);
		free(p->cols);
		memset(p, 0, sizeof(*p));
	}
}

/* ---- one value --------------------------------------------------------- */

/* A full chunk of values to the spill file. */
static int spill(const struct profile *p, struct prof_col *c, struct xp_error *err)
{
	off_t at = lseek(p->spill_fd, 0, SEEK_END);

	if (at < 0 || write_full(p->spill_fd, c->values, c->nvalues * sizeof(*c->values)) < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot write the values of column '%s' to a temporary file",
				      c->name);
	c->chunks = xrealloc(c->chunks, (c->nchunks + 1) * sizeof(*c->chunks));
	c->chunks[c->nchunks++] = (int64_t)at;
	c->nvalues = 0;
	return 0;
}

double *profile_values(const struct profile *p, const struct prof_col *c, size_t *n,
		       struct xp_error *err)
{
	size_t total = c->nchunks * PROFILE_SPILL_CHUNK + c->nvalues, i;
	size_t len = PROFILE_SPILL_CHUNK * sizeof(double);
	double *v = xmalloc((total + 1) * sizeof(*v));

	for (i = 0; i < c->nchunks; i++)
		if (pread(p->spill_fd, v + i * PROFILE_SPILL_CHUNK, len, (off_t)c->chunks[i]) !=
		    (ssize_t)len) {
			free(v);
			xp_error_errno(err, XP_ERR_LOCAL, "cannot read back the values of column '%s'",
				       c->name);
			return NULL;
		}
	if (c->nvalues)
		memcpy(v + c->nchunks * PROFILE_SPILL_CHUNK, c->values, c->nvalues * sizeof(*v));
	*n = total;
	return v;
}

static int add_number(const struct profile *p, struct prof_col *c, double v,
		      struct xp_error *err)
{
	double delta;

	c->count++;
	if (c->count == 1) {
		c->min = c->max = v;
	} else {
		if (v < c->min)
			c->min = v;
		if (v > c->max)
			c->max = v;
	}
	if (p->has_values) { /* drift's exact mode: every value, no moments */
		if (!c->values)
			c->values = xmalloc(PROFILE_SPILL_CHUNK * sizeof(*c->values));
		c->values[c->nvalues++] = v;
		return c->nvalues == PROFILE_SPILL_CHUNK ? spill(p, c, err) : 0;
	}
	delta = v - c->mean;
	c->mean += delta / (double)c->count;
	c->m2 += delta * (v - c->mean);
	kll_add(&c->sketch, v);
	if (!p->sample)
		return 0;
	if (c->nsample < p->sample) {
		c->sample[c->nsample++] = v;
	} else {
		uint64_t j = rng_below(&c->rng, c->count);

		if (j < p->sample)
			c->sample[j] = v;
	}
	return 0;
}

/* ---- a second thread for the numbers ---------------------------------- */

/* Without keep_values, the reading thread parses and a second thread adds
 * the numbers (moments, sketch, sample) batch by batch, two batches in turn.
 * Each column's values reach add_number in input order, so the profile is
 * the one a single thread builds; add_number cannot fail in this mode. */
#define FEED_BATCH 16384

struct feed_batch {
	uint32_t *col;
	double *v;
	size_t n;
};

struct feed {
	struct profile *p;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct feed_batch b[2];
	int full[2];                  /* batch i waits for the adding thread */
	int fill;                     /* the batch the reading thread fills */
	int done;
};

static void *feed_worker(void *arg)
{
	struct feed *f = arg;
	int k = 0;

	for (;;) {
		struct feed_batch *b = &f->b[k];
		size_t i;

		pthread_mutex_lock(&f->mu);
		while (!f->full[k] && !f->done)
			pthread_cond_wait(&f->cv, &f->mu);
		if (!f->full[k]) {
			pthread_mutex_unlock(&f->mu);
			return NULL;
		}
		pthread_mutex_unlock(&f->mu);
		for (i = 0; i < b->n; i++)
			add_number(f->p, &f->p->cols[b->col[i]], b->v[i], NULL);
		b->n = 0;
		pthread_mutex_lock(&f->mu);
		f->full[k] = 0;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		k ^= 1;
	}
}

/* NULL when no thread could be started: the numbers are added in place. */
static struct feed *feed_start(struct profile *p)
{
	struct feed *f = xcalloc(1, sizeof(*f));
	int k;

	f->p = p;
	for (k = 0; k < 2; k++) {
		f->b[k].col = xmalloc(FEED_BATCH * sizeof(*f->b[k].col));
		f->b[k].v = xmalloc(FEED_BATCH * sizeof(*f->b[k].v));
	}
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	if (pthread_create(&f->th, NULL, feed_worker, f) == 0)
		return f;
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv);
	for (k = 0; k < 2; k++) {
		free(f->b[k].col);
		free(f->b[k].v);
	}
	free(f);
	return NULL;
}

/* Hand the batch being filled over; wait until the other one is free. */
static void feed_flip(struct feed *f)
{
	pthread_mutex_lock(&f->mu);
	f->full[f->fill] = 1;
	pthread_cond_broadcast(&f->cv);
	f->fill ^= 1;
	while (f->full[f->fill])
		pthread_cond_wait(&f->cv, &f->mu);
	pthread_mutex_unlock(&f->mu);
}

static void feed_put(struct feed *f, size_t col, double v)
{
	struct feed_batch *b = &f->b[f->fill];

	b->col[b->n] = (uint32_t)col;
	b->v[b->n++] = v;
	if (b->n == FEED_BATCH)
		feed_flip(f);
}

/* Everything handed over added; the thread ended. */
static void feed_finish(struct feed *f)
{
	int k;

	if (!f)
		return;
	if (f->b[f->fill].n)
		feed_flip(f);
	pthread_mutex_lock(&f->mu);
	f->done = 1;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->th, NULL);
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv);
	for (k = 0; k < 2; k++) {
		free(f->b[k].col);
		free(f->b[k].v);
	}
	free(f);
}

static int listed(const char *const *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

/* One field of column c. The reading thread keeps the column's type and
 * missing count in *type and *missing (its own memory: the adding thread
 * writes the column's moments, which share its cache lines) until the end
 * of the input. */
static int add_field(const struct profile *p, struct prof_col *c, enum prof_type *type,
		     uint64_t *missing, struct table *t, size_t idx, struct feed *feed,
		     struct xp_error *err)
{
	size_t len;
	const char *s = table_field(t, idx, &len);
	struct xp_error e2;
	double v;

	if (!s || len == 0) {
		++*missing;
		return 0;
	}
	if (*type == PROF_UNKNOWN) {
		xp_error_clear(&e2);
		*type = table_number(t, idx, &v, &e2) == 0 ? PROF_NUMERIC : PROF_CATEGORICAL;
	}
	if (*type == PROF_CATEGORICAL) {
		c->count++;
		topk_add(&c->top, s, len, 1);
		return 0;
	}
	if (table_number(t, idx, &v, err)) {
		size_t n = strlen(err->msg);

		snprintf(err->msg + n, sizeof(err->msg) - n,
			 " (the column is numeric; --categorical %s reads it as categories)",
			 c->name);
		return -1;
	}
	if (feed) {
		feed_put(feed, (size_t)(c - p->cols), v);
		return 0;
	}
	return add_number(p, c, v, err);
}

/* ---- building ---------------------------------------------------------- */

static void set_columns(const struct profile_opts *o, struct profile *p,
			const char *const *names, size_t n)
{
	size_t i;

	p->cols = xcalloc(n ? n : 1, sizeof(*p->cols));
	for (i = 0; i < n; i++) {
		struct prof_col *c = &p->cols[i];
		const struct prof_col *ref = o->types ? profile_col(o->types, names[i]) : NULL;

		col_init(p, c, names[i]);
		if (listed(o->categorical, o->n_categorical, names[i]))
			c->type = PROF_CATEGORICAL;
		else if (listed(o->numeric, o->n_numeric, names[i]))
			c->type = PROF_NUMERIC;
		else if (ref && ref->count)
			c->type = ref->type;
	}
	p->ncols = n;
}

static int read_input(const struct profile_opts *o, struct profile *p, const char *path,
		      struct feed *feed, struct xp_error *err)
{
	struct table *t;
	const char *const *names;
	size_t *idx = NULL, i, n;
	enum prof_type *type = NULL;
	uint64_t *missing = NULL, rows;
	int r = -1;

	if (table_open(path, &o->table, &t, err))
		return -1;
	if (!p->cols) {
		if (o->columns) {
			names = o->columns;
			n = o->n_columns;
		} else {
			n = table_columns(t, &names);
			if (table_format_of(t) == TABLE_JSONL) {
				xp_error_set(err, XP_ERR_USAGE,
					     "JSON Lines input '%s' needs --columns", path);
				goto out;
			}
		}
		set_columns(o, p, names, n);
	}
	idx = xcalloc(p->ncols + 1, sizeof(*idx));
	type = xcalloc(p->ncols + 1, sizeof(*type));
	missing = xcalloc(p->ncols + 1, sizeof(*missing));
	for (i = 0; i < p->ncols; i++) {
		type[i] = p->cols[i].type;
		if (table_column(t, p->cols[i].name, &idx[i], err))
			goto out;
	}
	/* rows counted here, not in *p: the adding thread reads p's settings */
	for (rows = p->rows; !(o->max_rows && rows == o->max_rows) &&
			     (r = table_next(t, err)) == 1;) {
		rows++;
		for (i = 0; i < p->ncols; i++)
			if (add_field(p, &p->cols[i], &type[i], &missing[i], t, idx[i], feed,
				      err)) {
				r = -1;
				goto out; /* the profile is dropped */
			}
	}
	for (i = 0; i < p->ncols; i++) {
		p->cols[i].type = type[i];
		p->cols[i].missing += missing[i];
	}
	p->rows = rows;
	p->truncated = o->max_rows && rows == o->max_rows;
out:
	free(idx);
	free(type);
	free(missing);
	table_free(t);
	return r < 0 ? -1 : 0;
}

/* An unlinked temporary file in $TMPDIR (else /tmp). */
static int open_spill(struct profile *p, struct xp_error *err)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/xpship-values.XXXXXX", dir && *dir ? dir : "/tmp");

	p->spill_fd = mkstemp(path);
	if (p->spill_fd < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot create a temporary file in '%s'",
			       dir && *dir ? dir : "/tmp");
		free(path);
		return -1;
	}
	unlink(path);
	free(path);
	return 0;
}

int profile_build(const struct profile_opts *o, struct profile *p, struct xp_error *err)
{
	struct feed *feed;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->bins = o->bins ? o->bins : PROFILE_DEFAULT_BINS;
	p->top_k = o->top_k ? o->top_k : PROFILE_DEFAULT_TOP_K;
	p->sketch_k = o->sketch_k ? o->sketch_k : KLL_DEFAULT_K;
	p->sample = o->keep_values ? 0 : o->sample;
	p->seed = o->seed;
	p->has_values = o->keep_values;
	p->spill_fd = -1;
	if (p->has_values && open_spill(p, err))
		return -1;
	feed = p->has_values ? NULL : feed_start(p);
	for (i = 0; i < o->n_inputs && !p->truncated; i++)
		if (read_input(o, p, o->inputs[i], feed, err)) {
			feed_finish(feed);
			profile_release(p);
			return -1;
		}
	feed_finish(feed);
	for (i = 0; i < p->ncols; i++)
		if (p->cols[i].type == PROF_UNKNOWN)
			p->cols[i].type = PROF_NUMERIC;
	profile_finish(p);
	return 0;
}

/* ---- histogram --------------------------------------------------------- */

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

static void finish_col(const struct profile *p, struct prof_col *c)
{
	double *v, *w, q;
	size_t n, i, ne = 0;

	free(c->edges);
	free(c->hist);
	c->edges = NULL;
	c->hist = NULL;
	c->nedges = 0;
	if (c->type == PROF_CATEGORICAL) {
		uint64_t shown = 0;

		topk_sort(&c->top);
		if (!p->has_values && c->top.n > p->top_k) {
			for (i = p->top_k; i < c->top.n; i++)
				free(c->top.it[i].value);
			c->top.n = p->top_k;
			c->top.evicted = 1;
			topk_sort(&c->top);
		}
		for (i = 0; i < c->top.n; i++)
			shown += c->top.it[i].count;
		c->other = c->count - shown;
		return;
	}
	if (c->count == 0 || p->has_values)
		return;
	n = kll_items(&c->sketch, &v, &w);
	c->edges = xmalloc(p->bins * sizeof(*c->edges));
	for (i = 1; i < p->bins; i++) {
		q = (double)i / (double)p->bins;
		q = kll_exact(&c->sketch) ? stats_quantile(v, n, q) : stats_quantile_w(v, w, n, q);
		if (ne == 0 || q != c->edges[ne - 1])
			c->edges[ne++] = q;
	}
	c->nedges = ne;
	c->hist = xcalloc(ne + 1, sizeof(*c->hist));
	for (i = 0; i < n; i++)
		c->hist[bin_of(c->edges, ne, v[i])] += w[i];
	free(v);
	free(w);
}

void profile_finish(struct profile *p)
{
	size_t i;

	for (i = 0; i < p->ncols; i++)
		finish_col(p, &p->cols[i]);
}

/* ---- merging ----------------------------------------------------------- */

static void merge_sample(const struct profile *p, struct prof_col *c, const struct prof_col *o,
			 size_t size)
{
	double *out = xmalloc((size ? size : 1) * sizeof(*out)), *a = c->sample;
	uint64_t ra = c->count, rb = o->count, s = seed_of(p->seed ^ 0x6d657267ull, c->name);
	size_t na = 0, nb = 0, n = 0, i;
	double *b = xmalloc((o->nsample + 1) * sizeof(*b)), t;

	memcpy(b, o->sample, o->nsample * sizeof(*b));
	/* shuffle both, then draw the merged sample's origin row by row: from A
	 * with probability (A's rows left) / (rows left) */
	for (i = c->nsample; i > 1; i--) {
		size_t j = (size_t)rng_below(&s, i);

		t = a[i - 1], a[i - 1] = a[j], a[j] = t;
	}
	for (i = o->nsample; i > 1; i--) {
		size_t j = (size_t)rng_below(&s, i);

		t = b[i - 1], b[i - 1] = b[j], b[j] = t;
	}
	while (n < size && (ra || rb)) {
		if (rng_below(&s, ra + rb) < ra) {
			ra--;
			if (na < c->nsample)
				out[n++] = a[na++];
		} else {
			rb--;
			if (nb < o->nsample)
				out[n++] = b[nb++];
		}
	}
	free(b);
	free(c->sample);
	c->sample = out;
	c->nsample = n;
}

static void merge_numeric(const struct profile *p, struct prof_col *c, const struct prof_col *o,
			  size_t sample)
{
	double n = (double)(c->count + o->count), delta = o->mean - c->mean;

	if (o->count == 0)
		return;
	if (c->count == 0) {
		c->min = o->min;
		c->max = o->max;
	} else {
		c->min = fmin(c->min, o->min);
		c->max = fmax(c->max, o->max);
	}
	c->m2 += o->m2 + delta * delta * (double)c->count * (double)o->count / n;
	c->mean = ((double)c->count * c->mean + (double)o->count * o->mean) / n;
	kll_merge(&c->sketch, &o->sketch);
	if (sample)
		merge_sample(p, c, o, sample);
	c->count += o->count;
}

int profile_merge(struct profile *p, const struct profile *o, const char *name,
		  struct xp_error *err)
{
	size_t i, sample = p->sample < o->sample ? p->sample : o->sample;

	if (p->ncols != o->ncols)
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "profile '%s': %zu columns, the first profile has %zu", name,
				    o->ncols, p->ncols);
	if (p->sketch_k != o->sketch_k)
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "profile '%s': sketch k %u, the first profile has %u", name,
				    o->sketch_k, p->sketch_k);
	for (i = 0; i < p->ncols; i++) {
		const struct prof_col *oc = profile_col(o, p->cols[i].name);
		struct prof_col *c = &p->cols[i];

		if (!oc)
			return xp_error_set(err, XP_ERR_MALFORMED,
					    "profile '%s': no column '%s'", name, c->name);
		if (c->count && oc->count && c->type != oc->type)
			return xp_error_set(err, XP_ERR_MALFORMED,
					    "profile '%s': column '%s' is %s, the first profile's is %s",
					    name, c->name, profile_type_name(oc->type),
					    profile_type_name(c->type));
		if (c->count == 0)
			c->type = oc->type;
	}
	for (i = 0; i < p->ncols; i++) {
		struct prof_col *c = &p->cols[i];
		const struct prof_col *oc = profile_col(o, c->name);

		if (c->type == PROF_CATEGORICAL) {
			topk_merge(&c->top, &oc->top);
			c->count += oc->count;
		} else {
			merge_numeric(p, c, oc, sample);
		}
		c->missing += oc->missing;
	}
	p->rows += o->rows;
	p->sample = sample;
	profile_finish(p);
	return 0;
}
