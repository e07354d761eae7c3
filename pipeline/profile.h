/*
 * profile.h — data profiles: what `xpship profile` writes and `xpship drift`
 * compares against (docs/drift.md).
 *
 * profile_build reads one or more tables (common/table.h) in one streaming
 * pass. Each column is numeric or categorical: as told (--categorical,
 * --numeric), else numeric when its first non-missing value is a number (a
 * later value that is not is malformed input, with a hint). A missing value is
 * an empty field or a JSON null or absent key. Per column it keeps the count,
 * the missing count; numeric: min, max, mean and the sum of squared
 * deviations (Welford), a KLL sketch (pipeline/sketch.h), an optional seeded
 * reservoir sample; categorical: a Space-Saving top-K counter. Memory is
 * bounded per column whatever the input's size. With keep_values (drift's
 * exact mode) every numeric value is kept instead of the moments, sketch and
 * sample (drift reads count, missing, min and max besides the values): in chunks of
 * PROFILE_SPILL_CHUNK values written to an unlinked temporary file in
 * $TMPDIR (else /tmp), so memory stays bounded and one column's values are
 * read back at a time (profile_values).
 *
 * profile_finish derives the histogram: bin edges at the sketch's quantiles
 * i/bins (numpy's linear quantile while the sketch is exact), duplicates
 * removed; bin i holds e[i-1] <= v < e[i] (e[-1] = -inf, e[last] = +inf).
 *
 * Profiles merge (profile_merge): counts, min and max exactly, mean and
 * variance by Chan's formula, sketches and counters as sketch.h says, samples
 * by a seeded draw that keeps the merged sample uniform over both inputs.
 *
 * The JSON form (profile_to_json / profile_load) is documented in
 * docs/drift.md; profile_load reports every schema error at its line and
 * column (XP_ERR_MALFORMED).
 */
#ifndef XPSHIP_PIPELINE_PROFILE_H
#define XPSHIP_PIPELINE_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/table.h"
#include "pipeline/sketch.h"

#define PROFILE_VERSION 1
#define PROFILE_DEFAULT_BINS 10
#define PROFILE_DEFAULT_TOP_K 50
#define PROFILE_MAX_BINS 1000
#define PROFILE_MAX_TOP_K 100000
#define PROFILE_MAX_SAMPLE 10000000
#define PROFILE_SPILL_CHUNK 16384
/* Distinct categories counted exactly in keep_values mode. */
#define PROFILE_EXACT_CATEGORIES 65536

enum prof_type { PROF_UNKNOWN, PROF_NUMERIC, PROF_CATEGORICAL };

struct prof_col {
	char *name;
	enum prof_type type;
	uint64_t count, missing;      /* non-missing values; missing ones */
	double min, max, mean, m2;    /* numeric, count > 0 */
	struct kll sketch;            /* numeric */
	double *edges;                /* histogram edges (nedges) */
	double *hist;                 /* bin counts (nedges + 1) */
	size_t nedges;
	double *sample;               /* reservoir (nsample <= profile sample) */
	size_t nsample;
	uint64_t rng;
	struct topk top;              /* categorical: the top_k counters once finished */
	uint64_t other;               /* categorical: values not in top */
	double *values;               /* keep_values: the values not yet spilled */
	size_t nvalues, cap_values;
	int64_t *chunks;              /* keep_values: offsets of spilled chunks */
	size_t nchunks;
};

struct profile {
	uint64_t rows;
	unsigned bins, top_k, sketch_k;
	size_t sample;
	uint64_t seed;
	size_t ncols;
	struct prof_col *cols;
	int has_values;
	int spill_fd;                 /* keep_values: the unlinked spill file; -1: none */
	int truncated;                /* 1: profile_opts.max_rows rows were read, and
					 the input may hold more */
};

struct profile_opts {
	const char *const *inputs;    /* paths, "-": stdin */
	size_t n_inputs;
	struct table_opts table;
	const char *const *columns;   /* NULL: every column of the header */
	size_t n_columns;
	const char *const *categorical;
	size_t n_categorical;
	const char *const *numeric;
	size_t n_numeric;
	unsigned bins, top_k, sketch_k;
	size_t sample;
	uint64_t seed;
	int keep_values;
	const struct profile *types;  /* column types to use (drift's current data) */
	uint64_t max_rows;            /* stop after this many rows (0: read all) */
};

void profile_opts_init(struct profile_opts *o);

int profile_build(const struct profile_opts *o, struct profile *p, struct xp_error *err);
void profile_finish(struct profile *p);
/* Merge `o` (named `name` in errors) into `p`; p finished again. */
int profile_merge(struct profile *p, const struct profile *o, const char *name,
		  struct xp_error *err);
void profile_release(struct profile *p);

/* The profile JSON (2-space indent, exact numbers, trailing newline). */
char *profile_to_json(const struct profile *p);
int profile_load_buf(const char *buf, size_t len, const char *name, struct profile *p,
		     struct xp_error *err);
int profile_load_file(const char *path, struct profile *p, struct xp_error *err);
/* Load and merge profile files in order (profile merge). */
int profile_merge_files(const char *const *paths, size_t n, struct profile *p,
			struct xp_error *err);

/* keep_values: every value of numeric column `c` of `p`, in input order
 * (caller frees); *n their count. NULL with an I/O error in err. */
double *profile_values(const struct profile *p, const struct prof_col *c, size_t *n,
		       struct xp_error *err);

/* The column named `name`, or NULL. Borrowed. */
const struct prof_col *profile_col(const struct profile *p, const char *name);
/* "numeric" / "categorical" / "unknown". */
const char *profile_type_name(enum prof_type t);

#endif
