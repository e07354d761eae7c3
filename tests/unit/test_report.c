/*
 * test_report.c — renderings of a gate decision (pipeline/report.c): the
 * escaping each format needs for hostile metric names and messages, and the
 * pieces the CLI tests do not reach (no-champion reasons, empty outcomes).
 */
#include "test_common.h"

#include "common/strbuf.h"
#include "pipeline/report.h"

/* A decision over one rule `metric` with `check`, candidate c (NaN: missing). */
static void decide(struct gate_decision *d, const char *metric, const char *check, double t,
		   int have_c, double c)
{
	char text[512];
	struct metrics cand;
	struct xp_error err;

	memset(d, 0, sizeof(*d));
	snprintf(text, sizeof(text), "{\"version\": 1, \"rules\": [{\"metric\": \"%s\", \"%s\": %g}]}",
		 metric, check, t);
	if (policy_load_buf(text, strlen(text), "p,1:x.json", &d->policy, &err))
		fail_msg("%s: %s", text, err.msg);
	metrics_init(&cand);
	if (have_c)
		assert_int_equal(metrics_set(&cand, d->policy.rules[0].metric, c, "m", 1, 1, &err), 0);
	d->candidate.source = strdup("cand|1");
	d->tool_version = strdup("0");
	snprintf(d->time, sizeof(d->time), "2026-11-25T10:00:00Z");
	gate_evaluate(&d->policy, &cand, NULL, d);
	metrics_release(&cand);
}

struct esc_case {
	const char *metric;       /* JSON-escaped */
	void (*render)(const struct gate_decision *, struct strbuf *);
	const char *want;         /* must appear */
	const char *never;        /* must not appear, or NULL */
};

static void hostile_names_are_escaped(void **state)
{
	static const struct esc_case cases[] = {
		/* JUnit: markup and control characters (not allowed in XML 1.0) */
		{"a<b>&\\\"c'", report_junit, "name=\"a&lt;b&gt;&amp;&quot;c&apos; min\"", "<b>"},
		{"x\\u0001y", report_junit, "name=\"x?y min\"", "\x01"},
		{"line\\nbreak", report_junit, "name=\"line&#10;break min\"", NULL},
		/* Markdown: a name in a code span with its pipe escaped; backticks fall
		 * back to backslash escapes */
		{"a|b", report_markdown, "| `a\\|b` | `min` |", NULL},
		{"a`b*", report_markdown, "| a\\`b\\* | `min` |", NULL},
		{"x\\ny", report_markdown, "| x y | `min` |", "x\ny"},
		/* GitHub: properties escape ':' and ','; data escapes '%', CR, LF */
		{"m%1", report_github_annotations,
		 "::error file=p%2C1%3Ax.json,line=1,col=", NULL},
		{"m%1", report_github_annotations, "::m%251 = 0 is below the minimum 1\n", NULL},
		{"a\\nb", report_github_annotations, "title=gate fail%3A a%0Ab min::a%0Ab = 0", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gate_decision d;
		struct strbuf sb = STRBUF_INIT;

		decide(&d, cases[i].metric, "min", 1, 1, 0);
		cases[i].render(&d, &sb);
		if (!strstr(sb.buf, cases[i].want))
			fail_msg("case %zu: '%s' not in:\n%s", i, cases[i].want, sb.buf);
		if (cases[i].never && strstr(sb.buf, cases[i].never))
			fail_msg("case %zu: '%s' in:\n%s", i, cases[i].never, sb.buf);
		strbuf_release(&sb);
		gate_decision_release(&d);
	}
}

static void github_outputs_and_annotation_kinds(void **state)
{
	struct gate_decision d;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	decide(&d, "acc", "min", 0.9, 1, 0.95);
	report_github_outputs(&d, &sb);
	assert_string_equal(sb.buf, "verdict=pass\nfailed=0\n");
	strbuf_reset(&sb);
	report_github_annotations(&d, &sb);
	assert_string_equal(sb.buf, ""); /* nothing failed or warned */
	gate_decision_release(&d);

	decide(&d, "acc", "min", 0.9, 0, 0);
	strbuf_reset(&sb);
	report_github_outputs(&d, &sb);
	assert_string_equal(sb.buf, "verdict=fail\nfailed=1\n");
	strbuf_reset(&sb);
	report_github_annotations(&d, &sb);
	assert_string_equal(sb.buf, "::error file=p%2C1%3Ax.json,line=1,col=44,title=gate fail%3A "
				    "acc min::acc is missing from the candidate metrics\n");
	gate_decision_release(&d);
	strbuf_release(&sb);
}

static void no_champion_is_named(void **state)
{
	struct gate_decision d;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	decide(&d, "acc", "min_abs_change", 0.1, 1, 0.95);
	report_text(&d, &sb);
	assert_non_null(strstr(sb.buf, "baseline:  none (no champion)\n"));
	d.baseline_absent = strdup("oci:store:prod");
	strbuf_reset(&sb);
	report_text(&d, &sb);
	assert_non_null(strstr(sb.buf, "baseline:  none (no champion at oci:store:prod)\n"));
	assert_non_null(strstr(sb.buf, "acc   min_abs_change  0.95       -         0.1        skip\n"));
	strbuf_reset(&sb);
	report_junit(&d, &sb);
	assert_non_null(strstr(sb.buf, "<property name=\"baseline\" value=\"none (no champion at oci:store:prod)\"/>"));
	assert_non_null(strstr(sb.buf, "<skipped message=\"acc has no baseline value (no champion)\"/>"));
	strbuf_reset(&sb);
	report_markdown(&d, &sb);
	assert_non_null(strstr(sb.buf, " \xc2\xb7 baseline none (no champion at oci:store:prod)\n"));
	gate_decision_release(&d);
	strbuf_release(&sb);
}

/* Per-group tables from flat metrics: a value holding '.', '|' and a
 * backtick stays one group, escaped; a column lacking a metric shows "-";
 * worst.* is not listed; no groups, no output. */
static void group_tables(void **state)
{
	static const char *const json =
		"{\"accuracy\": 0.5, \"by_group\": {\"g\": {"
		"\"1.5\": {\"rows\": 3, \"small\": 1, \"accuracy\": 0.25},"
		"\"a|`b\": {\"rows\": 40, \"accuracy\": 1, \"f1\": 0.5}}},"
		"\"fairness\": {\"g\": {\"accuracy_difference\": 0.75,"
		"\"worst\": {\"accuracy\": {\"1.5\": 0.25}}}}}";
	struct metrics m;
	struct strbuf sb = STRBUF_INIT;
	struct xp_error err;

	(void)state;
	metrics_init(&m);
	assert_int_equal(metrics_load_buf(&m, json, strlen(json), "m.json", &err), 0);
	report_groups_markdown(&m, &sb);
	assert_string_equal(sb.buf,
			    "\n### By group: `g`\n\n"
			    "| Group | rows | accuracy | f1 |\n"
			    "| --- | ---: | ---: | ---: |\n"
			    "| `1.5` (small) | 3 | 0.25 | - |\n"
			    "| a\\|\\`b | 40 | 1 | 0.5 |\n"
			    "\n- `fairness.g.accuracy_difference`: 0.75\n");
	metrics_release(&m);
	metrics_init(&m);
	strbuf_reset(&sb);
	assert_int_equal(metrics_load_buf(&m, "{\"a\": 1}", 8, "m.json", &err), 0);
	report_groups_markdown(&m, &sb);
	assert_string_equal(sb.buf, "");
	metrics_release(&m);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile_names_are_escaped),
		cmocka_unit_test(github_outputs_and_annotation_kinds),
		cmocka_unit_test(no_champion_is_named),
		cmocka_unit_test(group_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
