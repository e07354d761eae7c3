/*
 * gate.h — evaluating a gate policy against candidate and baseline metrics, and
 * the decision record that results (docs/gate.md).
 *
 * Every check of every rule is evaluated, in policy order. With d = candidate -
 * baseline for `direction: higher` and baseline - candidate for `lower` (d > 0
 * is better) and r = d / |baseline|:
 *   min / max              inclusive bounds on the candidate
 *   min_abs_change x       d >= x         min_rel_change x      r >= x
 *   max_abs_regression x   d >= -x        max_rel_regression x  r >= -x
 * A relative check against a baseline of 0 passes when d >= 0 (the relative
 * change is undefined and the message says so). Comparisons of d and r allow
 * for the binary rounding of their decimal inputs (a few units in the last
 * place), so a value exactly on a decimal boundary passes.
 * A metric missing from the candidate fails its checks; one missing from the
 * baseline, or no baseline at all, makes the baseline checks `skip` (or fail
 * with on_missing_baseline: fail). A failed check of a `severity: warning`
 * rule is `warn` and never fails the gate. Verdict: pass when nothing failed.
 */
#ifndef XPSHIP_PIPELINE_GATE_H
#define XPSHIP_PIPELINE_GATE_H

#include <stddef.h>

#include "common/digest.h"
#include "common/error.h"
#include "pipeline/metrics.h"
#include "pipeline/policy.h"

enum gate_outcome { GATE_PASS, GATE_FAIL, GATE_WARN, GATE_SKIP };

struct gate_result {
	const struct policy_rule *rule;   /* borrowed from the policy evaluated */
	const struct policy_check *check;
	int has_candidate, has_baseline;
	double candidate, baseline;
	int rel_undefined;                /* relative check against a baseline of 0 */
	enum gate_outcome outcome;
	char *message;
};

struct gate_source {
	char *source;                     /* path or reference as given; NULL: none */
	char digest[XP_DIGEST_SIZE];      /* "" when unknown */
};

struct gate_decision {
	struct policy policy;
	struct gate_source candidate;
	struct gate_source baseline;      /* baseline.source NULL: no champion */
	int baseline_bundle;              /* the baseline is a bundle (its digest: the
	                                     manifest's), not a metrics file */
	char *baseline_absent;            /* where a champion was looked for and not
	                                     found (first release), or NULL */
	char time[32];                    /* RFC 3339, UTC */
	char *tool_version;
	struct gate_result *results;      /* one per check, in policy order */
	size_t n_results;
	size_t passed, failed, warned, skipped;
	int pass;                         /* the verdict */
};

/* One side of the comparison, loaded by the caller (a file, an MLflow run, an
 * experiment record, a bundle's metrics): the gate only evaluates. */
struct gate_side {
	const struct metrics *metrics;    /* NULL: none (the baseline: no champion) */
	const char *source;               /* path or reference as given */
	const char *digest;               /* sha256 of the bytes that were parsed, or a
	                                     bundle's manifest digest; NULL: unknown */
	int bundle;                       /* the source is a bundle */
	const char *absent;               /* no metrics: where a champion was looked
	                                     for and not found (first release) */
};

struct gate_input {
	const char *policy;               /* policy file */
	struct gate_side candidate, baseline;
	const char *tool_version;
	long long now;                    /* seconds since the epoch */
};

/* Load the policy, evaluate candidate against baseline, and fill *out (the
 * caller releases it). A negative verdict is not an error: 0 is returned and
 * out->pass is 0. */
int gate_run(const struct gate_input *in, struct gate_decision *out, struct xp_error *err);

/* Evaluate `p` (which must outlive d's results) against candidate and baseline
 * metrics (NULL: no champion); fills d->results, the counters and the verdict. */
void gate_evaluate(const struct policy *p, const struct metrics *candidate,
		   const struct metrics *baseline, struct gate_decision *d);

void gate_decision_release(struct gate_decision *d);

/* "pass", "fail", "warn", "skip". */
const char *gate_outcome_name(enum gate_outcome o);

/* The decision record as JSON (docs/gate.md; caller frees), pretty-printed, newline-ended. */
char *gate_decision_json(const struct gate_decision *d);

#endif
