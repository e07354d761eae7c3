/*
 * best.h — the best recorded run across a repository's releases (history.h):
 * the starting point for the next experiment.
 *
 * Direction: `lower` when given, else the objective's direction when the
 * metric is the releases' objective, else higher is better. Releases without
 * the metric, or whose parameters do not match every `where`, do not count;
 * ties go to the newest release.
 */
#ifndef XPSHIP_PACKAGER_BEST_H
#define XPSHIP_PACKAGER_BEST_H

#include <stddef.h>

#include "common/error.h"
#include "packager/history.h"

struct best_opts {
	const char *metric;
	int direction;                   /* 0: from the objective; 1 higher; -1 lower */
	char *const *where;              /* "PARAM=VALUE" (a number compares as a number) */
	size_t n_where;
	struct history_opts history;
};

struct best_result {
	char *tag;
	char digest[XP_DIGEST_SIZE];
	char *experiment_id;
	double value;
	int lower;                       /* lower was better */
	char *parameters;                /* JSON object ("{}" when none) */
	char *metrics;                   /* its recorded metrics, JSON object */
	size_t considered;               /* releases that had the metric and matched */
};

/* XP_ERR_NOT_FOUND when no release records the metric (matching `where`). */
int best_find(struct store *s, const struct best_opts *o, struct best_result *out,
	      struct xp_error *err);
/* The experiment-record fragment for the next experiment (caller frees). */
char *best_fragment(const struct best_result *b, const char *repository, const char *metric);
void best_result_release(struct best_result *b);

#endif
