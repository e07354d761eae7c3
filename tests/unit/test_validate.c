/*
 * test_validate.c — the experiment record validator (pipeline/validate*.c):
 * value formats, suggestions, quoting, and findings of in-memory records.
 */
#include "test_common.h"

#include "cmd/exitcode.h"
#include "pipeline/validate.h"
#include "pipeline/validate_impl.h"

struct fmt_case {
	int (*check)(const char *);
	const char *value;
	int ok;
};

static int is_time(const char *s)
{
	return v_parse_time(s, NULL);
}

static void formats(void **state)
{
	static const struct fmt_case cases[] = {
		{v_is_id, "exp-2026-11.churn_042", 1}, {v_is_id, "9", 1},
		{v_is_id, "-x", 0}, {v_is_id, "a b", 0}, {v_is_id, "a/b", 0}, {v_is_id, "", 0},
		{v_is_uri, "s3://bucket/key", 1}, {v_is_uri, "urn:isbn:1", 1},
		{v_is_uri, "hf+data://x", 1}, {v_is_uri, "bucket/key", 0}, {v_is_uri, "s3:", 0},
		{v_is_uri, "1s://x", 0}, {v_is_uri, "s3://a b", 0},
		{v_is_repository, "https://github.com/example/churn", 1},
		{v_is_repository, "ssh://git@host:22/x.git", 1},
		{v_is_repository, "git@github.com:example/churn.git", 1},
		{v_is_repository, "churn", 0}, {v_is_repository, "https:///x", 0},
		{v_is_repository, "./path:x", 0}, {v_is_repository, ":x", 0},
		{v_is_commit, "3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e", 1},
		{v_is_commit, "3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e3f9c2d1e8b7a6f5e4d3c2b1a", 1},
		{v_is_commit, "3F9C2D1E8B7A6F5E4D3C2B1A0F9E8D7C6B5A4F3E", 0},
		{v_is_commit, "3f9c2d1", 0}, {v_is_commit, "3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3g", 0},
		{is_time, "2026-11-20T09:30:00Z", 1}, {is_time, "2026-11-20t09:30:00z", 1},
		{is_time, "2026-11-20 09:30:00.123+05:30", 1}, {is_time, "2024-02-29T00:00:00Z", 1},
		{is_time, "2016-12-31T23:59:60Z", 1}, {is_time, "2025-02-29T00:00:00Z", 0},
		{is_time, "1900-02-29T00:00:00Z", 0}, {is_time, "2026-11-20", 0},
		{is_time, "2026-11-20T09:30:00", 0}, {is_time, "2026-11-20T24:00:00Z", 0},
		{is_time, "2026-11-20T09:30:00.Z", 0}, {is_time, "2026-11-20T09:30:00+0530", 0},
		{is_time, "2026-13-01T00:00:00Z", 0}, {is_time, "2026-11-20T09:30:00Zx", 0},
		{is_time, "", 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!cases[i].check(cases[i].value) != !cases[i].ok)
			fail_msg("case %zu '%s': got %d", i, cases[i].value, !cases[i].ok);
}

static void time_ordering(void **state)
{
	double a, b;

	(void)state;
	assert_true(v_parse_time("1970-01-01T00:00:00Z", &a));
	assert_true(a == 0);
	assert_true(v_parse_time("2026-11-20T09:30:00Z", &a));
	assert_true(a == 1795167000);
	assert_true(v_parse_time("2026-11-20T10:30:00.5+01:00", &b));
	assert_true(b - a == 0.5);
	assert_true(v_parse_time("1969-12-31T23:59:59Z", &a));
	assert_true(a == -1);
}

static void suggestions_and_quoting(void **state)
{
	static const char *const params[] = {"learning_rate", "max_depth", "n_estimators"};
	static const char *const keys[] = {"name", "id", "owner"};
	char buf[128];

	(void)state;
	assert_string_equal(v_suggest("lr", params, 3), "learning_rate");
	assert_string_equal(v_suggest("md", params, 3), "max_depth");
	assert_string_equal(v_suggest("max_dept", params, 3), "max_depth");
	assert_string_equal(v_suggest("nmae", keys, 3), "name");
	assert_null(v_suggest("zz", params, 3));
	assert_null(v_suggest("x", params, 3));
	assert_string_equal(v_quote("a'b\\c\n\x01", buf, sizeof(buf)), "'a\\'b\\\\c\\n\\x01'");
	assert_string_equal(v_quote("0123456789012345678901234567890123456789012345678901234567890123",
				    buf, sizeof(buf)),
			    "'012345678901234567890123456789012345678901234567890123456789...'");
}

struct rec_case {
	const char *text;
	enum xp_err status;
	const char *want;   /* "line:col code" per finding, ';'-separated */
};

#define HEAD "apiVersion: xpship/v1\nkind: Experiment\n" \
	"metadata: {name: n, id: i, owner: o, created: 2026-11-20T09:30:00Z}\n" \
	"objective: {metric: a, direction: maximize}\n" \
	"code: {repository: 'https://h/r', commit: 3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e}\n" \
	"environment: {image: 'r/i@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'}\n" \
	"data: []\nmodel: {name: n, version: '1', files: [{path: m, digest: " \
	"'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'}]}\n"

static void records(void **state)
{
	static const struct rec_case cases[] = {
		{HEAD "runs: [{id: r, metrics: {a: 1}}]\nselected: r\n", XP_ERR_NONE, ""},
		{HEAD "runs: [{id: r, metrics: {a: 1}}]\nselected: r\nx-note: 1\n", XP_ERR_NONE, ""},
		{HEAD "runs: [{id: r, metrics: {a: 1}}]\nselected: r\nseleted: r\n", XP_ERR_REFUSED,
		 "11:1 unknown-key"},
		{HEAD "runs: [{id: r, metrics: {b: 1}}]\nselected: r\n", XP_ERR_REFUSED,
		 "9:25 missing-metric"},
		{HEAD "runs: [{id: r, metrics: {a: .inf}}]\nselected: r\n", XP_ERR_REFUSED,
		 "9:29 bad-metrics"},
		{HEAD "runs: [{id: r, metrics: {a: 1}}, {id: s, metrics: {a: 2}}]\nselected: r\n",
		 XP_ERR_NONE, "10:11 not-best"},
		{HEAD "runs: [{id: r, metrics_file: m.json}]\nselected: r\n", XP_ERR_NONE, ""},
		{HEAD "runs: [{id: r, metrics: {a: 1}, parameters: {p: 1}}]\nselected: r\n"
		 "space: {strategy: grid, parameters: {p: {range: [2, 3]}, q: {enum: [x]}}}\n",
		 XP_ERR_REFUSED, "9:45 missing-param;9:49 param-out-of-space"},
		{HEAD "runs: [{id: r, metrics: {a: 1}, parameters: {q: 'y'}}]\nselected: r\n"
		 "space: {strategy: grid, parameters: {q: {enum: [x]}}}\n", XP_ERR_REFUSED,
		 "9:49 param-out-of-space"},
		{HEAD "runs: [{id: r, metrics: {a: 1}, parameters: {q: true}}]\nselected: r\n"
		 "space: {strategy: grid, parameters: {q: {enum: [True, false]}}}\n", XP_ERR_NONE, ""},
		{HEAD "runs: [{id: 7, metrics: {a: 1}}]\nselected: 7\n", XP_ERR_NONE, ""},
		{HEAD "runs: [{id: r, metrics: {a: 1}}]\nselected: r\nmodel: {}\n", XP_ERR_MALFORMED,
		 "11:1 duplicate-key"},
		{"a: [\n", XP_ERR_MALFORMED, "2:1 syntax"},
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct validate_opts opts = {0};
		struct validate_report r;
		char got[512] = "";
		size_t len = 0;

		opts.no_files = 1;
		experiment_validate_buf(cases[i].text, strlen(cases[i].text), "r.yaml", &opts, &r);
		for (j = 0; j < r.findings.n; j++)
			len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%u:%u %s",
						j ? ";" : "", r.findings.items[j].line,
						r.findings.items[j].col, r.findings.items[j].code);
		if (strcmp(got, cases[i].want) || r.status != cases[i].status) {
			for (j = 0; j < r.findings.n; j++)
				print_message("  %s\n", r.findings.items[j].msg);
			fail_msg("case %zu: status %d, findings '%s'", i, r.status, got);
		}
		assert_int_equal(strlen(r.digest), 71);
		validate_report_release(&r);
	}
}

static void every_rule_is_listed_once(void **state)
{
	size_t i, j;

	(void)state;
	assert_true(validate_n_rules >= 26);
	for (i = 0; i < validate_n_rules; i++) {
		assert_non_null(validate_rules[i].summary);
		assert_non_null(validate_rules[i].help);
		for (j = 0; j < i; j++)
			assert_string_not_equal(validate_rules[i].code, validate_rules[j].code);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formats),
		cmocka_unit_test(time_ordering),
		cmocka_unit_test(suggestions_and_quoting),
		cmocka_unit_test(records),
		cmocka_unit_test(every_rule_is_listed_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
