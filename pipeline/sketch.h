/*
 * sketch.h — the mergeable summaries a data profile keeps per column
 * (docs/drift.md):
 *
 *   KLL quantile sketch (Karnin, Lang, Liberty 2016): compactors of
 *   geometrically decreasing capacity (k at the top, factor 2/3, at least 2);
 *   a full compactor sorts its items and promotes every other one (the odd or
 *   even ones by a coin seeded from the item count, so the same input gives the
 *   same sketch) to the next level, where an item weighs twice as much. The
 *   rank error of a quantile is about 1.65% of n for k = 200 (99% confidence,
 *   the bound Apache DataSketches states for its KLL at k = 200); until the
 *   first compaction the sketch holds every item and is exact. Two sketches
 *   merge by concatenating their levels and compacting.
 *
 *   Top-K counter (Space-Saving, Metwally et al. 2005): at most `cap`
 *   counters; an unseen value when all are taken replaces the smallest
 *   counter, inheriting its count (so a count is over-estimated by at most
 *   n / cap); exact while the distinct values fit. Merge adds counts value by
 *   value and keeps the `cap` largest.
 */
#ifndef XPSHIP_PIPELINE_SKETCH_H
#define XPSHIP_PIPELINE_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#define KLL_DEFAULT_K 200

struct kll_level {
	double *v;
	size_t len, cap;
	size_t limit;            /* compaction threshold at the current height */
	int sorted;              /* v ascending (levels above 0 stay merged) */
};

struct kll {
	unsigned k;
	uint64_t n;              /* items added (or merged in) */
	size_t nlevels;
	struct kll_level *lv;
	size_t size, max_size;   /* items held; the sum of the capacities */
};

void kll_init(struct kll *s, unsigned k);
void kll_release(struct kll *s);
void kll_add(struct kll *s, double v);
/* Merge `o` into `s` (o unchanged). */
void kll_merge(struct kll *s, const struct kll *o);
/* Append an item at `level` (loading a stored sketch); kll_settle after. */
void kll_put(struct kll *s, size_t level, double v);
void kll_settle(struct kll *s);
/* 1 when no compaction has happened: every item is held with weight 1. */
int kll_exact(const struct kll *s);
/* The held items sorted ascending with their weights (2^level); caller frees
 * both. Returns the count. */
size_t kll_items(const struct kll *s, double **v, double **w);

struct topk_item {
	char *value;
	uint64_t count;
};

struct topk {
	size_t cap, n;
	struct topk_item *it;
	uint64_t total;          /* values counted */
	int evicted;             /* 1 once a counter was replaced: counts approximate */
	size_t *bucket, nbucket; /* hash of value -> index + 1 */
};

void topk_init(struct topk *t, size_t cap);
void topk_release(struct topk *t);
void topk_add(struct topk *t, const char *value, size_t len, uint64_t count);
void topk_merge(struct topk *t, const struct topk *o);
/* Index of `value`, or -1. */
long topk_find(const struct topk *t, const char *value);
/* Sort the counters by count (descending), then value (bytewise). */
void topk_sort(struct topk *t);

#endif
