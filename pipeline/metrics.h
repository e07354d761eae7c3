/*
 * metrics.h — a model's metrics as one flat map: dotted key -> finite double,
 * each value with the position it came from.
 *
 * Sources, all loaded through common/doc.h (positions, duplicate-key rejection):
 *   - a JSON or YAML file: nested mappings flatten to dotted keys ({a: {b: 1}} is
 *     "a.b", the same key as a flat "a.b", so having both is a duplicate); a series
 *     (a non-empty list of numbers) stands for its last element;
 *   - an MLflow run directory: every file under metrics/ (subdirectories make keys
 *     with '/', as MLflow names them) holds lines "<timestamp_ms> <value> [<step>]";
 *     the value is the one with the greatest (step, timestamp), the later line
 *     winning a tie;
 *   - a JSON buffer (a champion bundle's `dev.xpship.metrics` annotation);
 *   - the selected run of an experiment record (docs/experiment.md: `selected`, `runs[].id`,
 *     `runs[].metrics`, `runs[].metrics_file`, `runs[].mlflow_run`, paths relative
 *     to the record's directory), its sources merged in that order.
 *
 * Values must be finite numbers: NaN, infinities, strings, booleans and nulls are
 * malformed input (XP_ERR_MALFORMED) reported at their position. A key defined
 * twice within one source is malformed; when sources are merged, the same key
 * with the same value is accepted and a different value is a conflict
 * (malformed, reported at the later definition).
 *
 * Every loader appends to a caller-initialised struct metrics and changes it only
 * on success. Unreadable files are XP_ERR_LOCAL.
 */
#ifndef XPSHIP_PIPELINE_METRICS_H
#define XPSHIP_PIPELINE_METRICS_H

#include <stddef.h>

#include "common/doc.h"
#include "common/error.h"

struct metric {
	char *key;          /* dotted path */
	double value;       /* finite */
	const char *file;   /* the file (or buffer name) it came from; owned by the map */
	unsigned line, col; /* 1-based position of the value */
};

struct metrics {
	struct metric *items; /* in load order */
	size_t n;
	size_t cap_;
	size_t *index_;       /* private: open-addressing hash of item index + 1 */
	size_t index_cap_;
	char **files_;        /* private: the source names items point into */
	size_t n_files_, files_cap_;
};

/* How many index slots a lookup of `key` looks at (0 for an empty map): the
 * cost of one metrics_get or metrics_set, for tests that hold the index to
 * constant work per key. */
size_t metrics_probes(const struct metrics *m, const char *key);

/* Longest text metrics_format_number writes, NUL included. */
#define METRICS_NUMBER_MAX 32

void metrics_init(struct metrics *m);
void metrics_release(struct metrics *m);

/* A directory is an MLflow run, anything else a JSON/YAML file (at most
 * DOC_MAX_SIZE bytes). `digest` (optional) names what was read: the sha256 of
 * the file's bytes as parsed, or of an MLflow run's flat metrics JSON. */
int metrics_load(struct metrics *m, const char *path, char digest[XP_DIGEST_SIZE],
		 struct xp_error *err);
/* A JSON (".json") or YAML file. */
int metrics_load_file(struct metrics *m, const char *path, struct xp_error *err);
/* An MLflow run directory (the one holding metrics/). */
int metrics_load_mlflow(struct metrics *m, const char *dir, struct xp_error *err);
/* JSON in memory; `name` is used in positions. */
int metrics_load_buf(struct metrics *m, const char *buf, size_t len, const char *name,
		     struct xp_error *err);
/* A mapping inside an already loaded document (e.g. a run's `metrics:`). */
int metrics_load_node(struct metrics *m, const struct doc *d, const struct doc_node *map,
		      struct xp_error *err);
/* One run of an experiment record: its `metrics`, then `metrics_file`, then
 * `mlflow_run`, the paths relative to base_dir (NULL or "" for the working
 * directory). */
int metrics_load_run(struct metrics *m, const struct doc *record, const struct doc_node *run,
		     const char *base_dir, struct xp_error *err);

/* The metric under a dotted key, or NULL. Borrowed from m. */
const struct metric *metrics_get(const struct metrics *m, const char *key);

/* Add one metric; a key already present is an error (XP_ERR_MALFORMED at the new
 * position). The value must be finite. */
int metrics_set(struct metrics *m, const char *key, double value, const char *file,
		unsigned line, unsigned col, struct xp_error *err);

/* The flat compact JSON object {"key":value,...} in load order (caller frees). */
char *metrics_to_json(const struct metrics *m);

/* The shortest decimal text that reads back as exactly v ("84", "0.931",
 * "1e-07"); integral values below 1e15 without exponent or fraction. */
void metrics_format_number(double v, char out[METRICS_NUMBER_MAX]);

#endif
