/*
 * sketch.c — KLL quantile sketch and Space-Saving top-K counter (sketch.h).
 */
#include "pipeline/sketch.h"

#include "common/strbuf.h"
#include "pipeline/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- KLL --------------------------------------------------------------- */

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static size_t capacity(const struct kll *s, size_t h)
{
	return s->lv[h].limit;
}

static void grow(struct kll *s)
{
	size_t h;

	s->lv = xrealloc(s->lv, (s->nlevels + 1) * sizeof(*s->lv));
	memset(&s->lv[s->nlevels], 0, sizeof(*s->lv));
	s->nlevels++;
	s->max_size = 0;
	for (h = 0; h < s->nlevels; h++) {
		double c = ceil((double)s->k * pow(2.0 / 3.0, (double)(s->nlevels - h - 1)));

		s->lv[h].limit = c < 2 ? 2 : (size_t)c;
		s->max_size += s->lv[h].limit;
	}
}

void kll_init(struct kll *s, unsigned k)
{
	memset(s, 0, sizeof(*s));
	s->k = k ? k : KLL_DEFAULT_K;
	grow(s);
}

void kll_release(struct kll *s)
{
	size_t h;

	for (h = 0; h < s->nlevels; h++)
		free(s->lv[h].v);
	free(s->lv);
	memset(s, 0, sizeof(*s));
}

static void push(struct kll_level *l, double v)
{
	if (l->len && v < l->v[l->len - 1])
		l->sorted = 0;
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->len++] = v;
}

/* Merge the sorted run v[0..n) into sorted level l. */
static void merge_run(struct kll_level *l, const double *v, size_t n)
{
	size_t i, j, k;

	if (l->len + n > l->cap) {
		l->cap = (l->len + n) * 2;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	i = l->len;
	j = n;
	k = l->len + n;
	/* from the back, the larger first (the level's on a tie): no branch on
	 * the comparison, which is a coin toss */
	while (i > 0 && j > 0) {
		double a = l->v[i - 1], b = v[j - 1];
		size_t t = a > b;

		l->v[--k] = t ? a : b;
		i -= t;
		j -= 1 - t;
	}
	while (j > 0)
		l->v[--k] = v[--j];
	l->len += n;
}

/* Sort level h (when it is not) and promote every other item to level h + 1,
 * merged into it while that level is sorted; an odd item out (the smallest)
 * stays. The promoted items are gathered in place, at the front of level h
 * after the one kept. Returns how many items the sketch holds fewer. */
static size_t compact(struct kll *s, size_t h)
{
	struct kll_level *l, *up;
	size_t i, n = 0, keep, off;
	double *run;

	if (h + 1 >= s->nlevels)
		grow(s);
	l = &s->lv[h];
	up = &s->lv[h + 1];
	if (!l->sorted)
		stats_sort(l->v, l->len);
	keep = l->len % 2;
	off = mix64(s->n * 64 + h) & 1;
	run = l->v + keep;
	for (i = keep + off; i < l->len; i += 2)
		run[n++] = l->v[i];
	if (up->sorted || up->len == 0) {
		merge_run(up, run, n);
		up->sorted = 1;
	} else {
		for (i = 0; i < n; i++)
			push(up, run[i]);
	}
	i = l->len - keep - n;
	l->len = keep;
	l->sorted = 1;
	return i;
}

static void compress(struct kll *s)
{
	size_t h;

	while (s->size >= s->max_size) {
		for (h = 0; h < s->nlevels; h++)
			if (s->lv[h].len >= capacity(s, h))
				break;
		if (h == s->nlevels)
			break;
		s->size -= compact(s, h);
	}
}

void kll_add(struct kll *s, double v)
{
	push(&s->lv[0], v);
	s->n++;
	if (++s->size >= s->max_size)
		compress(s);
}

void kll_put(struct kll *s, size_t level, double v)
{
	while (s->nlevels <= level)
		grow(s);
	push(&s->lv[level], v);
	s->size++;
}

void kll_settle(struct kll *s)
{
	compress(s);
}

void kll_merge(struct kll *s, const struct kll *o)
{
	size_t h, i;

	while (s->nlevels < o->nlevels)
		grow(s);
	for (h = 0; h < o->nlevels; h++)
		for (i = 0; i < o->lv[h].len; i++)
			push(&s->lv[h], o->lv[h].v[i]);
	s->n += o->n;
	s->size += o->size;
	compress(s);
}

int kll_exact(const struct kll *s)
{
	size_t h;

	for (h = 1; h < s->nlevels; h++)
		if (s->lv[h].len)
			return 0;
	return 1;
}

struct wv {
	double v, w;
};

static int cmp_wv(const void *a, const void *b)
{
	const struct wv *x = a, *y = b;

	return (x->v > y->v) - (x->v < y->v);
}

size_t kll_items(const struct kll *s, double **v, double **w)
{
	struct wv *all = xmalloc((s->size + 1) * sizeof(*all));
	size_t h, i, n = 0;

	for (h = 0; h < s->nlevels; h++)
		for (i = 0; i < s->lv[h].len; i++) {
			all[n].v = s->lv[h].v[i];
			all[n++].w = ldexp(1.0, (int)h);
		}
	qsort(all, n, sizeof(*all), cmp_wv);
	*v = xmalloc((n + 1) * sizeof(**v));
	*w = xmalloc((n + 1) * sizeof(**w));
	for (i = 0; i < n; i++) {
		(*v)[i] = all[i].v;
		(*w)[i] = all[i].w;
	}
	free(all);
	return n;
}

/* ---- top-K ------------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void rehash(struct topk *t)
{
	size_t i, b;

	memset(t->bucket, 0, t->nbucket * sizeof(*t->bucket));
	for (i = 0; i < t->n; i++) {
		b = hash_str(t->it[i].value) & (t->nbucket - 1);
		while (t->bucket[b])
			b = (b + 1) & (t->nbucket - 1);
		t->bucket[b] = i + 1;
	}
}

void topk_init(struct topk *t, size_t cap)
{
	memset(t, 0, sizeof(*t));
	t->cap = cap ? cap : 1;
	t->nbucket = 16;
	while (t->nbucket < 2 * t->cap)
		t->nbucket *= 2;
	t->bucket = xcalloc(t->nbucket, sizeof(*t->bucket));
	t->it = xcalloc(t->cap, sizeof(*t->it));
}

void topk_release(struct topk *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->it[i].value);
	free(t->it);
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

long topk_find(const struct topk *t, const char *value)
{
	size_t b = hash_str(value) & (t->nbucket - 1);

	while (t->bucket[b]) {
		if (strcmp(t->it[t->bucket[b] - 1].value, value) == 0)
			return (long)t->bucket[b] - 1;
		b = (b + 1) & (t->nbucket - 1);
	}
	return -1;
}

/* Remove the slot of counter `idx` (linear probing: later entries of the
 * run shift back into the gap). */
static void unhash(struct topk *t, size_t idx)
{
	size_t mask = t->nbucket - 1, b = hash_str(t->it[idx].value) & mask, j, home;

	while (t->bucket[b] != idx + 1)
		b = (b + 1) & mask;
	t->bucket[b] = 0;
	for (j = (b + 1) & mask; t->bucket[j]; j = (j + 1) & mask) {
		home = hash_str(t->it[t->bucket[j] - 1].value) & mask;
		/* move j into the gap at b unless its home lies in (b, j] */
		if ((j > b && (home <= b || home > j)) || (j < b && home <= b && home > j)) {
			t->bucket[b] = t->bucket[j];
			t->bucket[j] = 0;
			b = j;
		}
	}
}

static void hash_in(struct topk *t, size_t idx)
{
	size_t b = hash_str(t->it[idx].value) & (t->nbucket - 1);

	while (t->bucket[b])
		b = (b + 1) & (t->nbucket - 1);
	t->bucket[b] = idx + 1;
}

void topk_add(struct topk *t, const char *value, size_t len, uint64_t count)
{
	long i = topk_find(t, value);
	size_t b, j, min;

	(void)len;
	t->total += count;
	if (i >= 0) {
		t->it[i].count += count;
		return;
	}
	if (t->n < t->cap) {
		t->it[t->n].value = xstrdup(value);
		t->it[t->n].count = count;
		b = hash_str(value) & (t->nbucket - 1);
		while (t->bucket[b])
			b = (b + 1) & (t->nbucket - 1);
		t->bucket[b] = ++t->n;
		return;
	}
	min = 0;
	for (j = 1; j < t->n; j++)
		if (t->it[j].count < t->it[min].count)
			min = j;
	unhash(t, min);
	free(t->it[min].value);
	t->it[min].value = xstrdup(value);
	t->it[min].count += count;
	t->evicted = 1;
	hash_in(t, min);
}

static int cmp_item(const void *a, const void *b)
{
	const struct topk_item *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->value, y->value);
}

void topk_sort(struct topk *t)
{
	qsort(t->it, t->n, sizeof(*t->it), cmp_item);
	rehash(t);
}

void topk_merge(struct topk *t, const struct topk *o)
{
	struct topk u;
	size_t i;

	topk_init(&u, t->n + o->n);
	for (i = 0; i < t->n; i++)
		topk_add(&u, t->it[i].value, 0, t->it[i].count);
	for (i = 0; i < o->n; i++)
		topk_add(&u, o->it[i].value, 0, o->it[i].count);
	topk_sort(&u);
	u.total = t->total + o->total;
	u.evicted = t->evicted || o->evicted || u.n > t->cap;
	for (i = t->cap; i < u.n; i++)
		free(u.it[i].value);
	if (u.n > t->cap)
		u.n = t->cap;
	u.cap = t->cap;
	topk_release(t);
	*t = u;
	t->it = xrealloc(t->it, t->cap * sizeof(*t->it));
	/* the bucket array was sized for the union: still a power of two >= 2n */
	rehash(t);
}
