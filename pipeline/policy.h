/*
 * policy.h — a gate policy: which metric thresholds a candidate must meet,
 * in absolute terms and against the baseline (the production champion).
 *
 *   version: 1
 *   on_missing_baseline: skip      # skip (default) | fail
 *   rules:
 *     - metric: latency.p95_ms     # dotted path into the metrics
 *       direction: lower           # higher (default) | lower: which way is better
 *       severity: error            # error (default) | warning
 *       max: 120                   # one or more checks, evaluated in this order
 *       max_rel_regression: 0.05
 *
 * A rule names one metric and one or more checks; each check is evaluated and
 * reported on its own (docs/gate.md states the semantics). Loading rejects, with
 * the position and a did-you-mean where one fits: unknown keys, a missing or
 * unsupported version, no rules, a rule without a metric or without a check,
 * thresholds that are not finite numbers, min above max, negative regression
 * allowances. All such errors are XP_ERR_MALFORMED; an unreadable file is
 * XP_ERR_LOCAL.
 */
#ifndef XPSHIP_PIPELINE_POLICY_H
#define XPSHIP_PIPELINE_POLICY_H

#include <stddef.h>

#include "common/digest.h"
#include "common/error.h"

enum policy_check_kind {
	POLICY_MIN,                /* candidate >= t */
	POLICY_MAX,                /* candidate <= t */
	POLICY_MIN_ABS_CHANGE,     /* d >= t */
	POLICY_MIN_REL_CHANGE,     /* r >= t */
	POLICY_MAX_ABS_REGRESSION, /* d >= -t */
	POLICY_MAX_REL_REGRESSION, /* r >= -t */
};
#define POLICY_N_CHECKS 6

struct policy_check {
	enum policy_check_kind kind;
	double threshold;
	unsigned line, col;        /* the check's key in the policy file */
};

struct policy_rule {
	char *metric;
	int lower_is_better;       /* direction: lower */
	int warning;               /* severity: warning */
	struct policy_check checks[POLICY_N_CHECKS]; /* in policy order */
	size_t n_checks;
	unsigned line, col;        /* the rule (its first key) */
};

struct policy {
	char *path;                        /* as given to policy_load */
	char digest[XP_DIGEST_SIZE];       /* sha256 of the file's bytes */
	int missing_baseline_fails;        /* on_missing_baseline: fail */
	struct policy_rule *rules;
	size_t n_rules;
};

/* Load and check the policy at path (YAML, or JSON for a ".json" name). */
int policy_load(const char *path, struct policy *out, struct xp_error *err);
/* The same from memory; `name` is used in positions and as path. */
int policy_load_buf(const char *buf, size_t len, const char *name, struct policy *out,
		    struct xp_error *err);
void policy_release(struct policy *p);

/* "min", "max", "min_abs_change", ... (static). */
const char *policy_check_name(enum policy_check_kind k);
/* 1 for the checks that compare against the baseline. */
int policy_check_needs_baseline(enum policy_check_kind k);
/* 1 for min_rel_change and max_rel_regression. */
int policy_check_is_relative(enum policy_check_kind k);

#endif
