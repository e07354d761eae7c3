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

enum gate_outcome { GATE_PASS, GATE_FAIL, GATE_WARN, GATE_SKIP, GATE_WAIVED };

/* A waiver whose signature the caller verified (packager/approval.h): the
 * gate decides whether it covers a failed check. Strings borrowed. */
struct gate_waiver {
	const char *source;               /* the file, for messages */
	const char *check;                /* "metric.check" */
	const char *candidate_digest, *policy_digest;
	const char *approver, *keyid, *identity, *reason, *time;
	const char *expires;              /* RFC 3339, NULL: never */
	const char *envelope;             /* compact JSON, carried in the record */
};

/* A waiver as the decision records it: the gate_waiver's strings copied,
 * and whether it was applied (why not, when not). */
struct gate_waiver_use {
	struct gate_waiver w;             /* owned copies */
	int applied;
	char *why;                        /* NULL when applied */
};

struct gate_result {
	const struct policy_rule *rule;   /* borrowed from the policy evaluated */
	const struct policy_check *check;
	int has_candidate, has_baseline;
	double candidate, baseline;
	int rel_undefined;                /* relative check against a baseline of 0 */
	enum gate_outcome outcome;
	char *message;
	size_t waiver;                    /* GATE_WAIVED: 1 + its index in waivers */
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
	size_t passed, failed, warned, skipped, waived;
	struct gate_waiver_use *waivers;  /* as given, each applied or not */
	size_t n_waivers;
	int pass;                         /* the verdict: pass or pass-with-waivers */
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
	const struct gate_waiver *waivers;  /* verified waivers, or NULL */
	size_t n_waivers;
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

/* Apply waivers to an evaluated decision: a failed check (not a warned one)
 * becomes GATE_WAIVED when a waiver names it ("metric.check"), this candidate's
 * digest and this policy's, and has not expired at `now`. Every waiver is
 * recorded in d->waivers, applied or with why not. */
void gate_apply_waivers(struct gate_decision *d, const struct gate_waiver *w, size_t n,
			long long now);

/* "pass", "pass-with-waivers" or "fail" (common/decision_record.h). */
const char *gate_verdict(const struct gate_decision *d);

/* "pass", "fail", "warn", "skip", "waived". */
const char *gate_outcome_name(enum gate_outcome o);

/* The decision record as JSON (docs/gate.md; caller frees), pretty-printed, newline-ended. */
char *gate_decision_json(const struct gate_decision *d);

#endif
