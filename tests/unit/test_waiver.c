/*
 * test_waiver.c — waivers applied to a gate decision (pipeline/waiver.c):
 * what a waiver covers and what it never covers, the verdict
 * pass-with-waivers in the record; and the time helpers waivers and
 * approvals use (common/timeutil.c).
 */
#include "test_common.h"

#include "common/decision_record.h"
#include "common/timeutil.h"
#include "pipeline/gate.h"

#include <jansson.h>

static const char policy[] =
	"version: 1\n"
	"rules:\n"
	"  - metric: accuracy\n"
	"    min: 0.9\n"
	"  - metric: latency\n"
	"    direction: lower\n"
	"    max: 100\n"
	"  - metric: f1\n"
	"    min: 0.9\n"
	"    severity: warning\n";

#define CAND "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define OTHER "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define NOW 1764064800LL   /* 2025-11-25T10:00:00Z */

/* Evaluate accuracy 0.85 (fails), latency 50 (passes), f1 0.5 (warns). */
static void decide(struct gate_decision *d)
{
	struct metrics cand;
	struct xp_error err;

	memset(d, 0, sizeof(*d));
	metrics_init(&cand);
	assert_int_equal(policy_load_buf(policy, strlen(policy), "gate.yaml", &d->policy, &err), 0);
	assert_int_equal(metrics_set(&cand, "accuracy", 0.85, "m.json", 1, 1, &err), 0);
	assert_int_equal(metrics_set(&cand, "latency", 50, "m.json", 1, 1, &err), 0);
	assert_int_equal(metrics_set(&cand, "f1", 0.5, "m.json", 1, 1, &err), 0);
	d->candidate.source = strdup("m.json");
	snprintf(d->candidate.digest, sizeof(d->candidate.digest), "%s", CAND);
	d->tool_version = strdup("9.9.9");
	gate_evaluate(&d->policy, &cand, NULL, d);
	metrics_release(&cand);
	assert_int_equal(d->failed, 1);
}

struct cover_case {
	const char *check, *cand, *policy_digest, *expires;
	int applied;
	const char *why;       /* prefix of the reason when not applied */
};

static void waivers_cover_only_what_they_name(void **state)
{
	const struct cover_case cases[] = {
		{"accuracy.min", CAND, NULL, NULL, 1, NULL},
		{"accuracy.min", CAND, NULL, "2025-11-26T00:00:00Z", 1, NULL},
		{"accuracy.min", CAND, NULL, "2025-11-25T10:00:00Z", 0, "expired at 2025-11-25T10:00:00Z"},
		{"accuracy.min", CAND, NULL, "not a time", 0, "expired at not a time"},
		{"accuracy.min", OTHER, NULL, NULL, 0, "another candidate: waives " OTHER},
		{"accuracy.min", CAND, OTHER, NULL, 0, "another policy: waives under " OTHER},
		{"latency.max", CAND, NULL, NULL, 0, "check 'latency.max' did not fail (pass)"},
		{"f1.min", CAND, NULL, NULL, 0, "check 'f1.min' did not fail (warn)"},
		{"accuracy.max", CAND, NULL, NULL, 0, "another rule: the policy has no check 'accuracy.max'"},
		{"accuracy", CAND, NULL, NULL, 0, "another rule"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gate_decision d;
		struct gate_waiver w = {0};

		decide(&d);
		w.source = "w.json";
		w.check = cases[i].check;
		w.candidate_digest = cases[i].cand;
		w.policy_digest = cases[i].policy_digest ? cases[i].policy_digest : d.policy.digest;
		w.approver = "alice";
		w.expires = cases[i].expires;
		gate_apply_waivers(&d, &w, 1, NOW);
		assert_int_equal(d.n_waivers, 1);
		if (d.waivers[0].applied != cases[i].applied)
			fail_msg("case %zu: applied %d (%s)", i, d.waivers[0].applied,
				 d.waivers[0].why ? d.waivers[0].why : "");
		if (cases[i].applied) {
			assert_null(d.waivers[0].why);
			assert_int_equal(d.results[0].outcome, GATE_WAIVED);
			assert_int_equal(d.failed, 0);
			assert_int_equal(d.waived, 1);
			assert_true(d.pass);
			assert_string_equal(gate_verdict(&d), DECISION_PASS_WITH_WAIVERS);
		} else {
			if (strncmp(d.waivers[0].why, cases[i].why, strlen(cases[i].why)) != 0)
				fail_msg("case %zu: why '%s', want '%s...'", i, d.waivers[0].why,
					 cases[i].why);
			assert_int_equal(d.results[0].outcome, GATE_FAIL);
			assert_false(d.pass);
			assert_string_equal(gate_verdict(&d), DECISION_FAIL);
		}
		gate_decision_release(&d);
	}
}

static void two_waivers_one_check(void **state)
{
	struct gate_decision d;
	struct gate_waiver w[2] = {{0}, {0}};
	json_t *root;
	char *json;

	(void)state;
	decide(&d);
	w[0].check = w[1].check = "accuracy.min";
	w[0].candidate_digest = w[1].candidate_digest = CAND;
	w[0].policy_digest = w[1].policy_digest = d.policy.digest;
	w[0].approver = "alice";
	w[1].approver = "bob";
	w[1].envelope = "{\"payloadType\":\"x\"}";
	gate_apply_waivers(&d, w, 2, NOW);
	assert_int_equal(d.waived, 1);
	assert_int_equal(d.results[0].waiver, 1);   /* the first that covers it */
	assert_true(d.waivers[0].applied && d.waivers[1].applied);
	json = gate_decision_json(&d);
	root = json_loads(json, 0, NULL);
	assert_non_null(root);
	assert_string_equal(decision_verdict(root), "pass-with-waivers");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "summary"),
							    "waived")), 1);
	assert_string_equal(json_string_value(json_object_get(
		json_object_get(json_array_get(json_object_get(root, "waivers"), 1), "envelope"),
		"payloadType")), "x");
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(root, "waivers"), 0),
						 "envelope")));
	json_decref(root);
	free(json);
	gate_decision_release(&d);
}

static void no_waivers_no_new_fields(void **state)
{
	struct gate_decision d;
	char *json;

	(void)state;
	decide(&d);
	gate_apply_waivers(&d, NULL, 0, NOW);
	json = gate_decision_json(&d);
	assert_null(strstr(json, "waive"));
	assert_non_null(strstr(json, "\"verdict\": \"fail\""));
	free(json);
	gate_decision_release(&d);
	assert_true(decision_verdict_valid("pass-with-waivers"));
	assert_false(decision_verdict_valid("pass-with-waiver"));
	assert_false(decision_verdict_valid(NULL));
	assert_string_equal(gate_outcome_name(GATE_WAIVED), "waived");
}

static void times_and_durations(void **state)
{
	static const struct { const char *s; long long v; } good[] = {
		{"1970-01-01T00:00:00Z", 0}, {"2025-11-25T10:00:00Z", NOW},
		{"2024-02-29T23:59:59Z", 1709251199}, {"9999-12-31T23:59:59Z", XP_EPOCH_MAX},
	};
	static const char *const bad[] = {
		"", "2025-11-25", "2025-11-25T10:00:00", "2025-11-25T10:00:00+01:00",
		"2025-02-30T00:00:00Z", "2025-13-01T00:00:00Z", "2025-11-25T24:00:00Z",
		"2025-11-25T10:00:00Zx", " 2025-11-25T10:00:00Z",
	};
	static const struct { const char *s; long long v; } dur[] = {
		{"90s", 90}, {"30m", 1800}, {"12h", 43200}, {"7d", 604800}, {"2w", 1209600},
	};
	static const char *const bad_dur[] = {"", "7", "d", "-1d", "0d", "7y", "7dd", "1e3s",
					      "99999999999w", " 7d"};
	long long v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(xp_time_parse(good[i].s, &v), 0);
		assert_true(v == good[i].v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (xp_time_parse(bad[i], &v) == 0)
			fail_msg("'%s' parsed", bad[i]);
	assert_int_equal(xp_time_parse(NULL, &v), -1);
	for (i = 0; i < sizeof(dur) / sizeof(dur[0]); i++) {
		assert_int_equal(xp_duration_parse(dur[i].s, &v), 0);
		assert_true(v == dur[i].v);
	}
	for (i = 0; i < sizeof(bad_dur) / sizeof(bad_dur[0]); i++)
		if (xp_duration_parse(bad_dur[i], &v) == 0)
			fail_msg("duration '%s' parsed", bad_dur[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(waivers_cover_only_what_they_name),
		cmocka_unit_test(two_waivers_one_check),
		cmocka_unit_test(no_waivers_no_new_fields),
		cmocka_unit_test(times_and_durations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
