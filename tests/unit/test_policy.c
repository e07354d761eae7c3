/*
 * test_policy.c — gate policy loading (pipeline/policy.c): the fixed syntax, its
 * defaults, and every malformed-policy error with its position.
 */
#include "test_common.h"
#include "test_tmp.h"

#include "common/digest.h"
#include "cmd/exitcode.h"
#include "common/fileio.h"
#include "pipeline/policy.h"

static void issue_example_loads(void **state)
{
	static const char text[] =
		"version: 1\n"
		"on_missing_baseline: skip\n"
		"rules:\n"
		"  - metric: accuracy\n"
		"    min: 0.90\n"
		"  - metric: latency.p95_ms\n"
		"    direction: lower\n"
		"    max: 120\n"
		"    max_rel_regression: 0.05\n"
		"  - metric: f1\n"
		"    min_abs_change: 0.005\n"
		"    severity: warning\n";
	char want[XP_DIGEST_SIZE];
	struct policy p;
	struct xp_error err;
	const struct policy_rule *r;

	(void)state;
	assert_int_equal(policy_load_buf(text, strlen(text), "gate.yaml", &p, &err), 0);
	digest_buf(text, strlen(text), want);
	assert_string_equal(p.digest, want);
	assert_string_equal(p.path, "gate.yaml");
	assert_int_equal(p.missing_baseline_fails, 0);
	assert_int_equal(p.n_rules, 3);
	r = &p.rules[0];
	assert_string_equal(r->metric, "accuracy");
	assert_int_equal(r->lower_is_better, 0);
	assert_int_equal(r->warning, 0);
	assert_int_equal(r->n_checks, 1);
	assert_int_equal(r->checks[0].kind, POLICY_MIN);
	assert_true(r->checks[0].threshold == 0.9);
	assert_int_equal(r->line, 4);
	assert_int_equal(r->col, 5);
	r = &p.rules[1];
	assert_int_equal(r->lower_is_better, 1);
	assert_int_equal(r->n_checks, 2);
	assert_int_equal(r->checks[0].kind, POLICY_MAX);
	assert_int_equal(r->checks[1].kind, POLICY_MAX_REL_REGRESSION);
	assert_int_equal(r->checks[1].line, 9);
	assert_int_equal(r->checks[1].col, 5);
	r = &p.rules[2];
	assert_int_equal(r->warning, 1);
	assert_int_equal(r->checks[0].kind, POLICY_MIN_ABS_CHANGE);
	policy_release(&p);
	policy_release(NULL);
}

static void checks_keep_policy_order(void **state)
{
	static const char text[] =
		"{\"version\": 1, \"on_missing_baseline\": \"fail\", \"rules\": [{\"metric\": \"m\", "
		"\"max_rel_regression\": 0, \"min_rel_change\": -0.5, \"max_abs_regression\": 1, "
		"\"min_abs_change\": 2, \"max\": 3, \"min\": -3}]}";
	static const enum policy_check_kind order[] = {
		POLICY_MAX_REL_REGRESSION, POLICY_MIN_REL_CHANGE, POLICY_MAX_ABS_REGRESSION,
		POLICY_MIN_ABS_CHANGE, POLICY_MAX, POLICY_MIN,
	};
	static const char *const names[] = {
		"max_rel_regression", "min_rel_change", "max_abs_regression", "min_abs_change",
		"max", "min",
	};
	struct policy p;
	struct xp_error err;
	size_t i;

	(void)state;
	assert_int_equal(policy_load_buf(text, strlen(text), "gate.json", &p, &err), 0);
	assert_int_equal(p.missing_baseline_fails, 1);
	assert_int_equal(p.rules[0].n_checks, 6);
	for (i = 0; i < 6; i++) {
		assert_int_equal(p.rules[0].checks[i].kind, order[i]);
		assert_string_equal(policy_check_name(order[i]), names[i]);
		assert_int_equal(policy_check_needs_baseline(order[i]),
				 order[i] != POLICY_MIN && order[i] != POLICY_MAX);
	}
	assert_true(policy_check_is_relative(POLICY_MIN_REL_CHANGE));
	assert_true(policy_check_is_relative(POLICY_MAX_REL_REGRESSION));
	assert_false(policy_check_is_relative(POLICY_MIN_ABS_CHANGE));
	policy_release(&p);
}

struct bad_case {
	const char *text;
	unsigned line, col;
	const char *msg;
};

#define HEAD "version: 1\nrules:\n"

static void malformed_policies(void **state)
{
	static const struct bad_case cases[] = {
		{"version: 1\nrule:\n  - {metric: a, min: 1}\n", 2, 1,
		 "unknown key 'rule' (did you mean 'rules'?)\n"
		 "  gate.yaml:1:1: policy has no 'rules'"},
		/* every error at once: each rule is checked, every unknown key named */
		{"versio: 1\nrules:\n  - {metric: a, mn: 1, directon: up}\n  - {metric: b, max: x}\n"
		 "  - {metric: c, min: 1}\n  - {metric: d, threshold: 1}\n", 1, 1,
		 "unknown key 'versio' (did you mean 'version'?)\n"
		 "  gate.yaml:1:1: policy has no 'version' (expected 1)\n"
		 "  gate.yaml:3:17: unknown rule key 'mn' (did you mean 'min'?)\n"
		 "  gate.yaml:3:24: unknown rule key 'directon' (did you mean 'direction'?)\n"
		 "  gate.yaml:4:22: 'max' must be a number, found string 'x'\n"
		 "  gate.yaml:6:17: unknown rule key 'threshold' (MLflow's threshold is written min "
		 "or max here, its min_absolute_change min_abs_change; see docs/gate.md)"},
		{HEAD "  - {metric: a, mn: 1, directon: up}\n  - {metric: b, max: x}\n"
		 "  - {metric: c, min: 1}\n  - {metric: d, threshold: 1}\n", 3, 17,
		 "unknown rule key 'mn' (did you mean 'min'?)\n"
		 "  gate.yaml:3:24: unknown rule key 'directon' (did you mean 'direction'?)\n"
		 "  gate.yaml:4:22: 'max' must be a number, found string 'x'\n"
		 "  gate.yaml:6:17: unknown rule key 'threshold' (MLflow's threshold is written min "
		 "or max here, its min_absolute_change min_abs_change; see docs/gate.md)"},
		{"version: 1\non_missing_basline: skip\nrules: [{metric: a, min: 1}]\n", 2, 1,
		 "unknown key 'on_missing_basline' (did you mean 'on_missing_baseline'?)"},
		{"version: 1\nthreshold: 3\nrules: [{metric: a, min: 1}]\n", 2, 1,
		 "unknown key 'threshold'"},
		{HEAD "  - metric: a\n    mn: 0.9\n", 4, 5, "unknown rule key 'mn' (did you mean 'min'?)"},
		{HEAD "  - metric: a\n    threshold: 0.9\n", 4, 5,
		 "unknown rule key 'threshold' (MLflow's threshold is written min or max here, "
		 "its min_absolute_change min_abs_change; see docs/gate.md)"},
		{HEAD "  - metric: a\n    min_relative_change: 0.1\n", 4, 5,
		 "unknown rule key 'min_relative_change' (did you mean 'min_rel_change'?)"},
		{HEAD "  - metric: a\n    greater_is_better: true\n", 4, 5,
		 "unknown rule key 'greater_is_better'"},
		{"rules: [{metric: a, min: 1}]\n", 1, 1, "policy has no 'version' (expected 1)"},
		{"version: 2\nrules: [{metric: a, min: 1}]\n", 1, 10,
		 "unsupported policy version '2' (expected 1)"},
		{"version: '1'\nrules: [{metric: a, min: 1}]\n", 1, 10,
		 "unsupported policy version '1' (expected 1)"},
		{"version: 1\n", 1, 1, "policy has no 'rules'"},
		{"version: 1\nrules: {metric: a}\n", 2, 8, "'rules' must be a list of rules, found mapping"},
		{"version: 1\nrules: []\n", 2, 8,
		 "'rules' is empty: a gate without rules would pass anything"},
		{HEAD "  - accuracy\n", 3, 5, "a rule must be a mapping, found string"},
		{HEAD "  - min: 0.9\n", 3, 5, "rule has no 'metric'"},
		{HEAD "  - {metric: '', min: 1}\n", 3, 14, "'metric' must be a metric name, found string"},
		{HEAD "  - {metric: 3, min: 1}\n", 3, 14, "'metric' must be a metric name, found integer"},
		{HEAD "  - metric: f1\n    severity: warning\n", 3, 13,
		 "rule for 'f1' has no check (min, max, min_abs_change, min_rel_change, "
		 "max_abs_regression or max_rel_regression)"},
		{HEAD "  - {metric: a, min: .nan}\n", 3, 22, "'min' must be a finite number, found .nan"},
		{HEAD "  - {metric: a, max: -.inf}\n", 3, 22, "'max' must be a finite number, found -.inf"},
		{HEAD "  - {metric: a, min: '0.9'}\n", 3, 22, "'min' must be a number, found string '0.9'"},
		{HEAD "  - {metric: a, min: true}\n", 3, 22, "'min' must be a number, found boolean 'true'"},
		{HEAD "  - {metric: a, min: null}\n", 3, 22, "'min' must be a number, found null"},
		{HEAD "  - {metric: a, min: [1]}\n", 3, 22, "'min' must be a number, found sequence"},
		{HEAD "  - {metric: a, min: 0.9, max: 0.8}\n", 3, 17,
		 "rule for 'a': min 0.9 is above max 0.8"},
		{HEAD "  - {metric: a, max_abs_regression: -0.1}\n", 3, 37,
		 "'max_abs_regression' must not be negative (use min_abs_change to require an improvement)"},
		{HEAD "  - {metric: a, max_rel_regression: -0.1}\n", 3, 37,
		 "'max_rel_regression' must not be negative (use min_rel_change to require an improvement)"},
		{HEAD "  - {metric: a, direction: lowr, max: 1}\n", 3, 28,
		 "invalid direction 'lowr' (did you mean 'lower'?)"},
		{HEAD "  - {metric: a, direction: down, max: 1}\n", 3, 28,
		 "invalid direction 'down': expected higher or lower"},
		{HEAD "  - {metric: a, direction: 1, max: 1}\n", 3, 28,
		 "'direction' must be one of higher, lower, found integer"},
		{HEAD "  - {metric: a, severity: warn, max: 1}\n", 3, 27,
		 "invalid severity 'warn' (did you mean 'warning'?)"},
		{"version: 1\non_missing_baseline: error\nrules: [{metric: a, min: 1}]\n", 2, 22,
		 "invalid on_missing_baseline 'error': expected skip or fail"},
		{HEAD "  - {metric: a, min: 1, min: 2}\n", 3, 25, "duplicate key 'min' (first defined at line 3)"},
		{"- 1\n", 1, 1, "expected a gate policy (a mapping), found sequence"},
		{"", 1, 1, "expected a gate policy (a mapping), found nothing"},
		{"version: 1\nrules: [\n", 3, 1,
		 "did not find expected node content while parsing a flow node"},
	};
	size_t i, bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct policy p;
		struct xp_error err;

		memset(&p, 0x5a, sizeof(p));
		xp_error_clear(&err);
		if (policy_load_buf(cases[i].text, strlen(cases[i].text), "gate.yaml", &p, &err) == 0)
			fail_msg("case %zu loaded", i);
		assert_int_equal(err.cls, XP_ERR_MALFORMED);
		assert_string_equal(err.file, "gate.yaml");
		if (err.line != cases[i].line || err.col != cases[i].col ||
		    strcmp(err.msg, cases[i].msg) != 0) {
			print_error("case %zu: %u:%u %s\n", i, err.line, err.col, err.msg);
			bad++;
		}
		/* the out-parameter is untouched on failure */
		assert_int_equal(((unsigned char *)&p)[0], 0x5a);
	}
	assert_int_equal(bad, 0);
}

static void file_errors(void **state)
{
	char *dir = tmp_dir("policy");
	char path[600];
	struct policy p;
	struct xp_error err;
	static const char text[] = "version: 1\nrules: [{metric: a, min: 1}]\n";
	char want[XP_DIGEST_SIZE];

	(void)state;
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/missing.yaml", dir);
	assert_int_equal(policy_load(path, &p, &err), -1);
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	assert_non_null(strstr(err.msg, "No such file or directory"));
	snprintf(path, sizeof(path), "%s/gate.yaml", dir);
	assert_int_equal(file_write_atomic(path, text, strlen(text), 0644, &err), 0);
	assert_int_equal(policy_load(path, &p, &err), 0);
	digest_buf(text, strlen(text), want);
	assert_string_equal(p.digest, want);
	assert_string_equal(p.path, path);
	policy_release(&p);
	assert_int_equal(tmp_rm_rf(dir), 0);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(issue_example_loads),
		cmocka_unit_test(checks_keep_policy_order),
		cmocka_unit_test(malformed_policies),
		cmocka_unit_test(file_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
