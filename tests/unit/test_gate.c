/*
 * test_gate.c — policy evaluation (pipeline/gate.c) and the decision record
 * (pipeline/decision.c): every check kind in both directions at and around its
 * boundary, baselines of 0 and below 0, missing metrics and baselines, warnings,
 * and MLflow's MetricThreshold examples.
 */
#include "test_common.h"

#include "cmd/exitcode.h"
#include "pipeline/gate.h"
#include "common/decision_record.h"

#include <jansson.h>

#define NONE 0     /* no champion */
#define LACKS 1    /* a champion whose metrics lack the metric */
#define HAS 2      /* a champion with baseline value b */
#define NOVAL 1e300 /* candidate: the metric is missing */

struct eval_case {
	const char *rule;      /* the rule's keys after "metric: m" */
	double c;              /* candidate value, or NOVAL */
	int base;
	double b;
	const char *on_missing;
	const char *want;      /* outcomes of the rule's checks, comma-separated */
};

static const struct eval_case cases[] = {
	/* min / max: inclusive bounds on the candidate, whatever the direction */
	{"min: 0.9", 0.9, NONE, 0, "skip", "pass"},
	{"min: 0.9", 0.9000001, NONE, 0, "skip", "pass"},
	{"min: 0.9", 0.8999999, NONE, 0, "skip", "fail"},
	{"min: -5", -5, NONE, 0, "skip", "pass"},
	{"min: -5", -5.0000001, NONE, 0, "skip", "fail"},
	{"max: 120", 120, NONE, 0, "skip", "pass"},
	{"max: 120", 119.99, NONE, 0, "skip", "pass"},
	{"max: 120", 120.01, NONE, 0, "skip", "fail"},
	{"direction: lower, max: 120", 120, HAS, 500, "skip", "pass"},
	{"direction: lower, max: 120", 120.5, HAS, 100, "skip", "fail"},
	{"direction: lower, min: 10", 9.99, NONE, 0, "skip", "fail"},
	{"min: 0, max: 0", 0, NONE, 0, "skip", "pass,pass"},
	{"min: 0, max: 0", 1e-300, NONE, 0, "skip", "pass,fail"},

	/* min_abs_change: d >= x */
	{"min_abs_change: 0.005", 0.905, HAS, 0.9, "skip", "pass"},
	{"min_abs_change: 0.005", 0.9049999, HAS, 0.9, "skip", "fail"},
	{"min_abs_change: 0.005", 0.9050001, HAS, 0.9, "skip", "pass"},
	{"min_abs_change: 0.1", 0.3, HAS, 0.2, "skip", "pass"}, /* 0.3-0.2 < 0.1 in binary */
	{"min_abs_change: 0.005", 0.9, HAS, 0.9, "skip", "fail"},
	{"min_abs_change: -0.01", 0.89, HAS, 0.9, "skip", "pass"},
	{"min_abs_change: -0.01", 0.8899, HAS, 0.9, "skip", "fail"},
	{"direction: lower, min_abs_change: 5", 95, HAS, 100, "skip", "pass"},
	{"direction: lower, min_abs_change: 5", 95.0001, HAS, 100, "skip", "fail"},
	{"direction: lower, min_abs_change: 5", 94.9999, HAS, 100, "skip", "pass"},
	{"direction: lower, min_abs_change: 5", 105, HAS, 100, "skip", "fail"},

	/* min_rel_change: r = d / |b| >= x */
	{"min_rel_change: 0.1", 0.55, HAS, 0.5, "skip", "pass"},
	{"min_rel_change: 0.1", 0.5499999, HAS, 0.5, "skip", "fail"},
	{"min_rel_change: 0.1", 0.5500001, HAS, 0.5, "skip", "pass"},
	{"direction: lower, min_rel_change: 0.1", 180, HAS, 200, "skip", "pass"},
	{"direction: lower, min_rel_change: 0.1", 180.0001, HAS, 200, "skip", "fail"},
	{"direction: lower, min_rel_change: 0.1", 179.9999, HAS, 200, "skip", "pass"},

	/* max_abs_regression: d >= -x */
	{"max_abs_regression: 0.01", 0.89, HAS, 0.9, "skip", "pass"},
	{"max_abs_regression: 0.01", 0.8899999, HAS, 0.9, "skip", "fail"},
	{"max_abs_regression: 0.01", 0.95, HAS, 0.9, "skip", "pass"},
	{"max_abs_regression: 0", 0.9, HAS, 0.9, "skip", "pass"},
	{"max_abs_regression: 0", 0.8999999, HAS, 0.9, "skip", "fail"},
	{"direction: lower, max_abs_regression: 10", 110, HAS, 100, "skip", "pass"},
	{"direction: lower, max_abs_regression: 10", 110.0001, HAS, 100, "skip", "fail"},
	{"direction: lower, max_abs_regression: 10", 50, HAS, 100, "skip", "pass"},

	/* max_rel_regression: r >= -x */
	{"max_rel_regression: 0.05", 0.76, HAS, 0.8, "skip", "pass"},
	{"max_rel_regression: 0.05", 0.7599999, HAS, 0.8, "skip", "fail"},
	{"max_rel_regression: 0.05", 0.95, HAS, 1.0, "skip", "pass"},
	{"direction: lower, max_rel_regression: 0.05", 126, HAS, 120, "skip", "pass"},
	{"direction: lower, max_rel_regression: 0.05", 126.0001, HAS, 120, "skip", "fail"},
	{"direction: lower, max_rel_regression: 0.05", 125.9999, HAS, 120, "skip", "pass"},
	{"direction: lower, max_rel_regression: 0.05", 84, HAS, 79, "skip", "fail"},

	/* a baseline of 0: relative checks pass when d >= 0 */
	{"min_rel_change: 0.1", 0, HAS, 0, "skip", "pass"},
	{"min_rel_change: 0.1", 0.5, HAS, 0, "skip", "pass"},
	{"min_rel_change: 0.1", -1e-9, HAS, 0, "skip", "fail"},
	{"direction: lower, max_rel_regression: 0.05", 0, HAS, 0, "skip", "pass"},
	{"direction: lower, max_rel_regression: 0.05", 1e-9, HAS, 0, "skip", "fail"},
	{"direction: lower, max_rel_regression: 0.05", -1, HAS, 0, "skip", "pass"},
	{"min_abs_change: 0.005", 0.005, HAS, 0, "skip", "pass"},
	{"min_abs_change: 0.005", 0.0049, HAS, 0, "skip", "fail"},

	/* negative baselines: r is relative to |b| */
	{"min_rel_change: 0.1", -90, HAS, -100, "skip", "pass"},
	{"min_rel_change: 0.1", -90.0001, HAS, -100, "skip", "fail"},
	{"min_rel_change: 0.1", -110, HAS, -100, "skip", "fail"},
	{"max_rel_regression: 0.1", -110, HAS, -100, "skip", "pass"},
	{"max_rel_regression: 0.1", -110.0001, HAS, -100, "skip", "fail"},
	{"direction: lower, max_rel_regression: 0.1", -45, HAS, -50, "skip", "pass"},
	{"direction: lower, max_rel_regression: 0.1", -44.9999, HAS, -50, "skip", "fail"},
	{"direction: lower, min_rel_change: 0.2", -60, HAS, -50, "skip", "pass"},
	{"min_abs_change: 1", -2, HAS, -3, "skip", "pass"},
	{"min_abs_change: 1", -2.0001, HAS, -3, "skip", "fail"},

	/* a metric missing from the candidate fails, even beside a missing baseline */
	{"min: 0.9", NOVAL, HAS, 0.95, "skip", "fail"},
	{"min_abs_change: 0.01", NOVAL, NONE, 0, "skip", "fail"},
	{"severity: warning, min: 0.9", NOVAL, NONE, 0, "skip", "warn"},

	/* no baseline: change checks skip or fail, bounds are evaluated */
	{"min: 0.9, min_abs_change: 0.01", 0.95, NONE, 0, "skip", "pass,skip"},
	{"min: 0.9, min_abs_change: 0.01", 0.95, NONE, 0, "fail", "pass,fail"},
	{"min: 0.9, min_abs_change: 0.01", 0.95, LACKS, 0, "skip", "pass,skip"},
	{"min: 0.9, min_abs_change: 0.01", 0.95, LACKS, 0, "fail", "pass,fail"},
	{"max_rel_regression: 0.05, severity: warning", 0.95, NONE, 0, "fail", "warn"},
	{"max_rel_regression: 0.05, severity: warning", 0.95, LACKS, 0, "skip", "skip"},

	/* warnings are reported, never failures */
	{"severity: warning, min: 0.9", 0.8, NONE, 0, "skip", "warn"},
	{"severity: warning, min: 0.9", 0.95, NONE, 0, "skip", "pass"},
	{"severity: warning, direction: lower, max_abs_regression: 1", 12, HAS, 10, "skip", "warn"},

	/* MLflow MetricThreshold(threshold=0.8, min_absolute_change=0.05,
	 * min_relative_change=0.05, greater_is_better=True) */
	{"min: 0.8, min_abs_change: 0.05, min_rel_change: 0.05", 0.9, HAS, 0.8, "skip",
	 "pass,pass,pass"},
	{"min: 0.8, min_abs_change: 0.05, min_rel_change: 0.05", 0.82, HAS, 0.8, "skip",
	 "pass,fail,fail"},
	{"min: 0.8, min_abs_change: 0.05, min_rel_change: 0.05", 0.79, HAS, 0.7, "skip",
	 "fail,pass,pass"},
	/* MLflow has no first deployment: a change threshold without a baseline fails */
	{"min: 0.8, min_abs_change: 0.05, min_rel_change: 0.05", 0.9, NONE, 0, "fail",
	 "pass,fail,fail"},
	/* MetricThreshold(threshold=10, min_absolute_change=1, greater_is_better=False) */
	{"direction: lower, max: 10, min_abs_change: 1", 8, HAS, 9.5, "skip", "pass,pass"},
	{"direction: lower, max: 10, min_abs_change: 1", 9, HAS, 9.5, "skip", "pass,fail"},
	{"direction: lower, max: 10, min_abs_change: 1", 10.5, HAS, 12, "skip", "fail,pass"},
};

static void load_policy(const char *rule, const char *on_missing, struct policy *p)
{
	char text[512];
	struct xp_error err;

	snprintf(text, sizeof(text),
		 "version: 1\non_missing_baseline: %s\nrules:\n  - {metric: m, %s}\n",
		 on_missing, rule);
	if (policy_load_buf(text, strlen(text), "gate.yaml", p, &err))
		fail_msg("%s: %s", rule, err.msg);
}

static void checks_at_their_boundaries(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct eval_case *c = &cases[i];
		struct metrics cand, base;
		struct gate_decision d;
		struct policy p;
		struct xp_error err;
		char got[128] = "";

		memset(&d, 0, sizeof(d));
		metrics_init(&cand);
		metrics_init(&base);
		load_policy(c->rule, c->on_missing, &p);
		if (c->c != NOVAL)
			assert_int_equal(metrics_set(&cand, "m", c->c, "c", 1, 1, &err), 0);
		assert_int_equal(metrics_set(&cand, "other", 1, "c", 2, 1, &err), 0);
		if (c->base == HAS)
			assert_int_equal(metrics_set(&base, "m", c->b, "b", 1, 1, &err), 0);
		assert_int_equal(metrics_set(&base, "other", 1, "b", 2, 1, &err), 0);
		gate_evaluate(&p, &cand, c->base == NONE ? NULL : &base, &d);
		for (j = 0; j < d.n_results; j++) {
			size_t n = strlen(got);

			snprintf(got + n, sizeof(got) - n, "%s%s", j ? "," : "",
				 gate_outcome_name(d.results[j].outcome));
			assert_non_null(d.results[j].message);
			assert_int_equal(d.results[j].has_candidate, c->c != NOVAL);
			assert_int_equal(d.results[j].has_baseline, c->base == HAS);
		}
		if (strcmp(got, c->want) != 0)
			fail_msg("case %zu {%s} c=%.17g b=%.17g: got %s, want %s (%s)", i, c->rule,
				 c->c, c->b, got, c->want, d.n_results ? d.results[0].message : "");
		assert_int_equal(d.pass, strstr(got, "fail") == NULL);
		for (j = 0; j < d.n_results; j++)
			free(d.results[j].message);
		free(d.results);
		policy_release(&p);
		metrics_release(&cand);
		metrics_release(&base);
	}
}

struct msg_case {
	const char *rule;
	double c;
	int base;
	double b;
	const char *message;
};

static void messages_say_why(void **state)
{
	static const struct msg_case msgs[] = {
		{"min: 0.9", 0.85, NONE, 0, "m = 0.85 is below the minimum 0.9"},
		{"min: 0.9", 0.95, NONE, 0, "m = 0.95, minimum 0.9"},
		{"max: 120", 130, NONE, 0, "m = 130 is above the maximum 120"},
		{"min: 1", NOVAL, NONE, 0, "m is missing from the candidate metrics"},
		{"min_abs_change: 0.005", 0.903, HAS, 0.9,
		 "m = 0.903 is better than the baseline 0.9 by 0.003, short of the required improvement 0.005"},
		{"min_abs_change: 0.005", 0.9, HAS, 0.9,
		 "m = 0.9 equals the baseline 0.9, short of the required improvement 0.005"},
		{"min_rel_change: 0.01", 0.95, HAS, 1,
		 "m = 0.95 is worse than the baseline 1 by 5%, short of the required improvement 1%"},
		{"max_abs_regression: 0.01", 0.88, HAS, 0.9,
		 "m = 0.88 is worse than the baseline 0.9 by 0.02, more than the allowed regression 0.01"},
		{"direction: lower, max_rel_regression: 0.05", 84, HAS, 79,
		 "m = 84 is worse than the baseline 79 by 6.32911%, more than the allowed regression 5%"},
		{"direction: lower, max_rel_regression: 0.05", 78, HAS, 79,
		 "m = 78 is better than the baseline 79 by 1.26582%; allowed regression 5%"},
		{"min_rel_change: 0.1", 2, HAS, 0,
		 "m = 2 is better than the baseline 0 by 2; relative change undefined against a baseline of 0, passes as not worse"},
		{"min_rel_change: 0.1", -2, HAS, 0,
		 "m = -2 is worse than the baseline 0 by 2; relative change undefined against a baseline of 0, fails as worse"},
		{"min_abs_change: 0.1", 1, NONE, 0, "m has no baseline value (no champion)"},
		{"min_abs_change: 0.1", 1, LACKS, 0, "m has no baseline value (not in the champion's metrics)"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		struct metrics cand, base;
		struct gate_decision d;
		struct policy p;
		struct xp_error err;

		memset(&d, 0, sizeof(d));
		metrics_init(&cand);
		metrics_init(&base);
		load_policy(msgs[i].rule, "skip", &p);
		if (msgs[i].c != NOVAL)
			assert_int_equal(metrics_set(&cand, "m", msgs[i].c, "c", 1, 1, &err), 0);
		if (msgs[i].base == HAS)
			assert_int_equal(metrics_set(&base, "m", msgs[i].b, "b", 1, 1, &err), 0);
		gate_evaluate(&p, &cand, msgs[i].base == NONE ? NULL : &base, &d);
		assert_int_equal(d.n_results, 1);
		if (strcmp(d.results[0].message, msgs[i].message) != 0)
			fail_msg("case %zu: '%s'", i, d.results[0].message);
		assert_int_equal(d.results[0].rel_undefined,
				 msgs[i].base == HAS && msgs[i].b == 0 && strstr(msgs[i].rule, "rel"));
		free(d.results[0].message);
		free(d.results);
		policy_release(&p);
		metrics_release(&cand);
		metrics_release(&base);
	}
}

static void decision_record_shape(void **state)
{
	static const char policy[] =
		"version: 1\n"
		"rules:\n"
		"  - metric: accuracy\n"
		"    min: 0.9\n"
		"  - metric: \"lat\\\"ency\"\n"
		"    direction: lower\n"
		"    max_rel_regression: 0.05\n"
		"    severity: warning\n";
	static const char want[] =
		"{\n"
		"  \"apiVersion\": \"xpship/v1\",\n"
		"  \"kind\": \"GateDecision\",\n"
		"  \"tool\": {\"name\": \"xpship\", \"version\": \"9.9.9\"},\n"
		"  \"time\": \"2026-11-25T10:00:00Z\",\n"
		"  \"policy\": {\"path\": \"gate.yaml\", \"digest\": \"%s\", \"on_missing_baseline\": \"skip\"},\n"
		"  \"candidate\": {\"source\": \"m.json\", \"digest\": null},\n"
		"  \"baseline\": null,\n"
		"  \"rules\": [\n"
		"    {\"metric\": \"accuracy\", \"check\": \"min\", \"threshold\": 0.9, \"candidate\": 0.85, \"baseline\": null, \"outcome\": \"fail\", \"severity\": \"error\", \"direction\": \"higher\", \"line\": 4, \"message\": \"accuracy = 0.85 is below the minimum 0.9\"},\n"
		"    {\"metric\": \"lat\\\"ency\", \"check\": \"max_rel_regression\", \"threshold\": 0.05, \"candidate\": null, \"baseline\": null, \"outcome\": \"warn\", \"severity\": \"warning\", \"direction\": \"lower\", \"line\": 7, \"message\": \"lat\\\"ency is missing from the candidate metrics\"}\n"
		"  ],\n"
		"  \"summary\": {\"passed\": 0, \"failed\": 1, \"warned\": 1, \"skipped\": 0},\n"
		"  \"verdict\": \"fail\"\n"
		"}\n";
	struct gate_decision d;
	struct metrics cand;
	struct xp_error err;
	char expect[2048];
	char *json;

	(void)state;
	memset(&d, 0, sizeof(d));
	metrics_init(&cand);
	assert_int_equal(policy_load_buf(policy, strlen(policy), "gate.yaml", &d.policy, &err), 0);
	assert_int_equal(metrics_set(&cand, "accuracy", 0.85, "m.json", 1, 1, &err), 0);
	d.candidate.source = strdup("m.json");
	d.tool_version = strdup("9.9.9");
	snprintf(d.time, sizeof(d.time), "2026-11-25T10:00:00Z");
	gate_evaluate(&d.policy, &cand, NULL, &d);
	assert_int_equal(d.pass, 0);
	json = gate_decision_json(&d);
	snprintf(expect, sizeof(expect), want, d.policy.digest);
	if (strcmp(json, expect) != 0)
		fail_msg("decision:\n%s\nwant:\n%s", json, expect);
	/* the readers in common/decision_record.c find what the writer wrote */
	{
		json_t *root = json_loads(json, 0, NULL);
		const char *pd, *pp;

		assert_non_null(root);
		assert_string_equal(decision_verdict(root), "fail");
		decision_policy(root, &pd, &pp);
		assert_string_equal(pd, d.policy.digest);
		assert_string_equal(pp, "gate.yaml");
		json_object_set_new(root, DECISION_KEY_VERDICT, json_string("maybe"));
		assert_null(decision_verdict(root));
		json_decref(root);
		assert_null(decision_verdict(NULL));
	}
	free(json);
	gate_decision_release(&d);
	gate_decision_release(NULL);
	metrics_release(&cand);
}

static void outcome_names(void **state)
{
	(void)state;
	assert_string_equal(gate_outcome_name(GATE_PASS), "pass");
	assert_string_equal(gate_outcome_name(GATE_FAIL), "fail");
	assert_string_equal(gate_outcome_name(GATE_WARN), "warn");
	assert_string_equal(gate_outcome_name(GATE_SKIP), "skip");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checks_at_their_boundaries),
		cmocka_unit_test(messages_say_why),
		cmocka_unit_test(decision_record_shape),
		cmocka_unit_test(outcome_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
