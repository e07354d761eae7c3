/*
 * gate.c — evaluating policies against candidate and baseline metrics (see
 * gate.h). gate_run is the one entry point cmd/gate.c calls: policy, metrics and
 * sources in, decision out; the decision's JSON form is in decision.c and its
 * human and CI renderings in report.c.
 */
#include "pipeline/gate.h"

#include "common/decision_record.h"
#include "common/suggest.h"

#include "common/error.h"
#include "common/strbuf.h"
#include "common/timeutil.h"

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *gate_outcome_name(enum gate_outcome o)
{
	static const char *const names[] = {"pass", "fail", "warn", "skip", "waived"};

	return (unsigned)o < 5 ? names[o] : "?";
}

const char *gate_verdict(const struct gate_decision *d)
{
	if (!d->pass)
		return DECISION_FAIL;
	return d->waived ? DECISION_PASS_WITH_WAIVERS : DECISION_PASS;
}

/* Magnitudes without libm (xpship links no maths library). */
static double mag(double v)
{
	return v < 0 ? -v : v;
}

static double max3(double a, double b, double c)
{
	double m = a > b ? a : b;

	return m > c ? m : c;
}

/* a >= b, allowing for the rounding of the inputs whose magnitude is `scale`. */
static int at_least(double a, double b, double scale)
{
	return a >= b - 4 * DBL_EPSILON * scale;
}

static const char *num(double v, char buf[METRICS_NUMBER_MAX])
{
	metrics_format_number(v, buf);
	return buf;
}

/* A computed difference for messages: ten significant digits hide the binary
 * noise of a subtraction (0.0010000000000000009) and keep boundary misses
 * visible (0.0049999999). */
static void add_diff(struct strbuf *sb, double v)
{
	strbuf_addf(sb, "%.10g", v);
}

/* A fraction as a percentage for messages. */
static void add_pct(struct strbuf *sb, double fraction)
{
	strbuf_addf(sb, "%.6g%%", fraction * 100);
}

static void describe_change(struct strbuf *sb, const struct gate_result *res, double d,
			    double r)
{
	char a[METRICS_NUMBER_MAX];
	int rel = policy_check_is_relative(res->check->kind);

	strbuf_addf(sb, "%s = %s", res->rule->metric, num(res->candidate, a));
	if (d == 0) {
		strbuf_addf(sb, " equals the baseline %s", num(res->baseline, a));
		return;
	}
	strbuf_addf(sb, " is %s than the baseline %s by ", d > 0 ? "better" : "worse",
		    num(res->baseline, a));
	if (rel && !res->rel_undefined)
		add_pct(sb, mag(r));
	else
		add_diff(sb, mag(d));
}

static void check_change(struct gate_result *res, struct strbuf *msg)
{
	const struct policy_check *ck = res->check;
	double c = res->candidate, b = res->baseline, x = ck->threshold;
	double d = res->rule->lower_is_better ? b - c : c - b;
	double scale = max3(mag(c), mag(b), mag(x));
	double r = 0, need;
	int ok, rel = policy_check_is_relative(ck->kind);
	int regression = ck->kind == POLICY_MAX_ABS_REGRESSION ||
			 ck->kind == POLICY_MAX_REL_REGRESSION;
	char a[METRICS_NUMBER_MAX];

	need = regression ? -x : x;
	if (rel && b == 0) {
		res->rel_undefined = 1;
		ok = d >= 0;
	} else if (rel) {
		r = d / mag(b);
		ok = at_least(r, need, max3(mag(c), mag(b), 0) / mag(b) + mag(x));
	} else {
		ok = at_least(d, need, scale);
	}
	res->outcome = ok ? GATE_PASS : GATE_FAIL;
	describe_change(msg, res, d, r);
	if (res->rel_undefined) {
		strbuf_addf(msg, "; relative change undefined against a baseline of 0, %s",
			    ok ? "passes as not worse" : "fails as worse");
		return;
	}
	if (regression) {
		strbuf_adds(msg, ok ? "; allowed regression " : ", more than the allowed regression ");
		if (rel)
			add_pct(msg, x);
		else
			strbuf_adds(msg, num(x, a));
		return;
	}
	strbuf_adds(msg, ok ? "; required improvement " : ", short of the required improvement ");
	if (rel)
		add_pct(msg, x);
	else
		strbuf_adds(msg, num(x, a));
}

static void check_bound(struct gate_result *res, struct strbuf *msg)
{
	char a[METRICS_NUMBER_MAX], t[METRICS_NUMBER_MAX];
	int is_min = res->check->kind == POLICY_MIN;
	int ok = is_min ? res->candidate >= res->check->threshold
			: res->candidate <= res->check->threshold;

	res->outcome = ok ? GATE_PASS : GATE_FAIL;
	num(res->candidate, a);
	num(res->check->threshold, t);
	if (ok)
		strbuf_addf(msg, "%s = %s, %s %s", res->rule->metric, a,
			    is_min ? "minimum" : "maximum", t);
	else
		strbuf_addf(msg, "%s = %s is %s the %s %s", res->rule->metric, a,
			    is_min ? "below" : "above", is_min ? "minimum" : "maximum", t);
}

static void eval_one(const struct policy *p, const struct metrics *cand,
		     const struct metrics *base, struct gate_result *res)
{
	const struct policy_rule *rule = res->rule;
	const struct metric *c = metrics_get(cand, rule->metric);
	const struct metric *b = base ? metrics_get(base, rule->metric) : NULL;
	struct strbuf msg = STRBUF_INIT;

	if (c) {
		res->has_candidate = 1;
		res->candidate = c->value;
	}
	if (b) {
		res->has_baseline = 1;
		res->baseline = b->value;
	}
	if (!c) {
		res->outcome = GATE_FAIL;
		strbuf_addf(&msg, "%s is missing from the candidate metrics", rule->metric);
	} else if (!policy_check_needs_baseline(res->check->kind)) {
		check_bound(res, &msg);
	} else if (!b) {
		res->outcome = p->missing_baseline_fails ? GATE_FAIL : GATE_SKIP;
		strbuf_addf(&msg, "%s has no baseline value (%s)%s", rule->metric,
			    base ? "not in the champion's metrics" : "no champion",
			    p->missing_baseline_fails ? " and on_missing_baseline is fail" : "");
	} else {
		check_change(res, &msg);
	}
	if (res->outcome == GATE_FAIL && rule->warning)
		res->outcome = GATE_WARN;
	res->message = strbuf_detach(&msg, NULL);
}

void gate_evaluate(const struct policy *p, const struct metrics *candidate,
		   const struct metrics *baseline, struct gate_decision *d)
{
	size_t i, j, n = 0;

	for (i = 0; i < p->n_rules; i++)
		n += p->rules[i].n_checks;
	d->results = xcalloc(n, sizeof(*d->results));
	d->n_results = n;
	d->passed = d->failed = d->warned = d->skipped = d->waived = 0;
	n = 0;
	for (i = 0; i < p->n_rules; i++) {
		for (j = 0; j < p->rules[i].n_checks; j++) {
			struct gate_result *res = &d->results[n++];

			res->rule = &p->rules[i];
			res->check = &p->rules[i].checks[j];
			eval_one(p, candidate, baseline, res);
			switch (res->outcome) {
			case GATE_PASS: d->passed++; break;
			case GATE_FAIL: d->failed++; break;
			case GATE_WARN: d->warned++; break;
			case GATE_SKIP: d->skipped++; break;
			case GATE_WAIVED: d->waived++; break;
			}
		}
	}
	d->pass = d->failed == 0;
}

void gate_decision_release(struct gate_decision *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n_results; i++)
		free(d->results[i].message);
	free(d->results);
	for (i = 0; i < d->n_waivers; i++) {
		struct gate_waiver *w = &d->waivers[i].w;

		free((char *)w->source);
		free((char *)w->check);
		free((char *)w->candidate_digest);
		free((char *)w->policy_digest);
		free((char *)w->approver);
		free((char *)w->keyid);
		free((char *)w->identity);
		free((char *)w->reason);
		free((char *)w->time);
		free((char *)w->expires);
		free((char *)w->envelope);
		free(d->waivers[i].why);
	}
	free(d->waivers);
	policy_release(&d->policy);
	free(d->candidate.source);
	free(d->baseline.source);
	free(d->baseline_absent);
	free(d->tool_version);
	memset(d, 0, sizeof(*d));
}

static void set_source(struct gate_source *dst, const struct gate_side *side)
{
	dst->source = xstrdup(side->source ? side->source : "");
	snprintf(dst->digest, sizeof(dst->digest), "%s", side->digest ? side->digest : "");
}

/* A rule whose metric the candidate lacks while it has one a typo away is a
 * policy error, not a failing model: every such rule is named, with the
 * metric it probably meant. */
static int check_metric_names(const struct policy *p, const struct metrics *cand,
			      struct xp_error *err)
{
	const char **keys = xcalloc(cand->n + 1, sizeof(*keys));
	struct strbuf sb = STRBUF_INIT;
	const struct policy_rule *first = NULL;
	size_t i, n = 0;

	for (i = 0; i < cand->n; i++)
		keys[i] = cand->items[i].key;
	for (i = 0; i < p->n_rules; i++) {
		const struct policy_rule *r = &p->rules[i];
		const char *best;

		if (metrics_get(cand, r->metric))
			continue;
		best = suggest_closest(r->metric, keys, cand->n);
		if (!best)
			continue;
		if (!first)
			first = r;
		else
			strbuf_addf(&sb, "\n  %s:%u:%u: ", p->path, r->line, r->col);
		strbuf_addf(&sb, "metric '%s' is not in the candidate metrics (did you mean '%s'?)",
			    r->metric, best);
		n++;
	}
	free(keys);
	if (first)
		xp_error_at(err, XP_ERR_MALFORMED, p->path, first->line, first->col, "%s", sb.buf);
	strbuf_release(&sb);
	return n ? -1 : 0;
}

int gate_run(const struct gate_input *in, struct gate_decision *out, struct xp_error *err)
{
	struct gate_decision d;

	memset(&d, 0, sizeof(d));
	if (!in->candidate.metrics)
		return xp_error_set(err, XP_ERR_USAGE, "gate_run: no candidate metrics");
	if (policy_load(in->policy, &d.policy, err) ||
	    check_metric_names(&d.policy, in->candidate.metrics, err)) {
		gate_decision_release(&d);
		return -1;
	}
	set_source(&d.candidate, &in->candidate);
	if (in->baseline.metrics) {
		set_source(&d.baseline, &in->baseline);
		d.baseline_bundle = in->baseline.bundle;
	} else if (in->baseline.absent) {
		d.baseline_absent = xstrdup(in->baseline.absent);
	}
	xp_time_format(in->now, d.time);
	d.tool_version = xstrdup(in->tool_version ? in->tool_version : "");
	gate_evaluate(&d.policy, in->candidate.metrics, in->baseline.metrics, &d);
	gate_apply_waivers(&d, in->waivers, in->n_waivers, in->now);
	*out = d;
	return 0;
}
