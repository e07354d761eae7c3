/*
 * decision.c — the gate decision record as JSON (the shape is
 * documented in docs/gate.md and stable: fields are only ever added).
 *
 * One top-level key per line and one rule per line, so records diff well;
 * numbers are written in their shortest exact form.
 */
#include "pipeline/gate.h"

#include "common/strbuf.h"
#include "pipeline/jsonw.h"
#include "common/decision_record.h"

static void field(struct strbuf *sb, const char *key, int first)
{
	if (!first)
		strbuf_adds(sb, ", ");
	jsonw_string(sb, key);
	strbuf_adds(sb, ": ");
}

static void str_field(struct strbuf *sb, const char *key, const char *val, int first)
{
	field(sb, key, first);
	if (val)
		jsonw_string(sb, val);
	else
		strbuf_adds(sb, "null");
}

static void num_field(struct strbuf *sb, const char *key, int have, double v)
{
	field(sb, key, 0);
	if (have)
		jsonw_number(sb, v);
	else
		strbuf_adds(sb, "null");
}

static void source(struct strbuf *sb, const char *key, const struct gate_source *src)
{
	strbuf_addf(sb, ",\n  \"%s\": ", key);
	if (!src->source) {
		strbuf_adds(sb, "null");
		return;
	}
	strbuf_addc(sb, '{');
	str_field(sb, "source", src->source, 1);
	str_field(sb, "digest", src->digest[0] ? src->digest : NULL, 0);
	strbuf_addc(sb, '}');
}

/* The champion the gate compared against, when the baseline was a bundle (its
 * manifest digest) or a champion looked for and not found (digest null): what
 * `promote` checks the tag against before moving it. Omitted otherwise. */
static void champion(struct strbuf *sb, const struct gate_decision *d)
{
	const char *ref = NULL, *digest = NULL;

	if (d->baseline.source && d->baseline_bundle && d->baseline.digest[0]) {
		ref = d->baseline.source;
		digest = d->baseline.digest;
	} else if (d->baseline_absent) {
		ref = d->baseline_absent;
	} else {
		return;
	}
	strbuf_addf(sb, ",\n  \"%s\": {", DECISION_KEY_CHAMPION);
	str_field(sb, DECISION_KEY_REFERENCE, ref, 1);
	str_field(sb, DECISION_KEY_DIGEST, digest, 0);
	strbuf_addc(sb, '}');
}

static void rule(struct strbuf *sb, const struct gate_result *r)
{
	strbuf_adds(sb, "    {");
	str_field(sb, "metric", r->rule->metric, 1);
	str_field(sb, "check", policy_check_name(r->check->kind), 0);
	num_field(sb, "threshold", 1, r->check->threshold);
	num_field(sb, "candidate", r->has_candidate, r->candidate);
	num_field(sb, "baseline", r->has_baseline, r->baseline);
	str_field(sb, "outcome", gate_outcome_name(r->outcome), 0);
	str_field(sb, "severity", r->rule->warning ? "warning" : "error", 0);
	str_field(sb, "direction", r->rule->lower_is_better ? "lower" : "higher", 0);
	num_field(sb, "line", 1, r->check->line);
	str_field(sb, "message", r->message, 0);
	if (r->outcome == GATE_WAIVED && r->waiver)
		num_field(sb, "waiver", 1, (double)(r->waiver - 1));
	strbuf_addc(sb, '}');
}

/* The waivers given, applied or not, each with its signed envelope (compact
 * JSON as read, so it verifies as it was signed). */
static void waivers(struct strbuf *sb, const struct gate_decision *d)
{
	size_t i;

	strbuf_addf(sb, "  \"%s\": [", DECISION_KEY_WAIVERS);
	for (i = 0; i < d->n_waivers; i++) {
		const struct gate_waiver_use *u = &d->waivers[i];

		strbuf_adds(sb, i ? ",\n    {" : "\n    {");
		str_field(sb, "check", u->w.check, 1);
		str_field(sb, "approver", u->w.approver, 0);
		str_field(sb, "keyid", u->w.keyid, 0);
		str_field(sb, "identity", u->w.identity, 0);
		str_field(sb, "reason", u->w.reason, 0);
		str_field(sb, "time", u->w.time, 0);
		str_field(sb, "expires", u->w.expires, 0);
		field(sb, "applied", 0);
		strbuf_adds(sb, u->applied ? "true" : "false");
		str_field(sb, "why", u->why, 0);
		field(sb, "envelope", 0);
		strbuf_adds(sb, u->w.envelope ? u->w.envelope : "null");
		strbuf_addc(sb, '}');
	}
	strbuf_adds(sb, d->n_waivers ? "\n  ],\n" : "],\n");
}

char *gate_decision_json(const struct gate_decision *d)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_adds(&sb, "{\n  \"apiVersion\": \"xpship/v1\",\n  \"kind\": \"GateDecision\",\n"
			 "  \"tool\": {\"name\": \"xpship\", ");
	str_field(&sb, "version", d->tool_version, 1);
	strbuf_adds(&sb, "},\n  ");
	str_field(&sb, "time", d->time, 1);
	strbuf_adds(&sb, ",\n  ");
	field(&sb, DECISION_KEY_POLICY, 1);
	strbuf_addc(&sb, '{');
	str_field(&sb, DECISION_KEY_PATH, d->policy.path, 1);
	str_field(&sb, DECISION_KEY_DIGEST, d->policy.digest, 0);
	str_field(&sb, "on_missing_baseline", d->policy.missing_baseline_fails ? "fail" : "skip", 0);
	strbuf_addc(&sb, '}');
	source(&sb, "candidate", &d->candidate);
	source(&sb, "baseline", &d->baseline);
	champion(&sb, d);
	strbuf_adds(&sb, ",\n  \"rules\": [");
	for (i = 0; i < d->n_results; i++) {
		strbuf_adds(&sb, i ? ",\n" : "\n");
		rule(&sb, &d->results[i]);
	}
	strbuf_adds(&sb, d->n_results ? "\n  ],\n" : "],\n");
	strbuf_addf(&sb, "  \"summary\": {\"passed\": %zu, \"failed\": %zu, \"warned\": %zu, "
		    "\"skipped\": %zu", d->passed, d->failed, d->warned, d->skipped);
	if (d->n_waivers)
		strbuf_addf(&sb, ", \"waived\": %zu", d->waived);
	strbuf_adds(&sb, "},\n");
	if (d->n_waivers)
		waivers(&sb, d);
	strbuf_adds(&sb, "  ");
	str_field(&sb, DECISION_KEY_VERDICT, gate_verdict(d), 1);
	strbuf_adds(&sb, "\n}\n");
	return strbuf_detach(&sb, NULL);
}
