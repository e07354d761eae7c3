/*
 * test_findings.c — positioned findings: order, counts, the JSON report and
 * SARIF 2.1.0 (pipeline/findings.c).
 */
#include "test_common.h"

#include <jansson.h>

#include "pipeline/findings.h"

static const struct finding_rule rules[] = {
	{"first-rule", FINDING_ERROR, "One.", "Fix one."},
	{"second-rule", FINDING_WARNING, "Two.", NULL},
};

static void sorted_by_file_line_column_then_insertion(void **state)
{
	struct findings f;
	static const char *const want[] = {
		"rec.yaml:1:1 a", "rec.yaml:2:3 b", "rec.yaml:2:3 c", "rec.yaml:2:9 d",
		"a.json:1:1 e", "z.json:4:2 f",
	};
	size_t i;

	(void)state;
	findings_init(&f);
	findings_add(&f, FINDING_ERROR, "x", "z.json", 4, 2, "f");
	findings_add(&f, FINDING_ERROR, "x", "rec.yaml", 2, 9, "d");
	findings_add(&f, FINDING_WARNING, "x", "rec.yaml", 2, 3, "b");
	findings_add(&f, FINDING_ERROR, "x", "a.json", 1, 1, "e");
	findings_add(&f, FINDING_NOTE, "x", "rec.yaml", 2, 3, "%s", "c");
	findings_add(&f, FINDING_ERROR, "x", "rec.yaml", 1, 1, "%c", 'a');
	findings_sort(&f, "rec.yaml");
	assert_int_equal(f.n, 6);
	for (i = 0; i < f.n; i++) {
		char got[64];

		snprintf(got, sizeof(got), "%s:%u:%u %s", f.items[i].file, f.items[i].line,
			 f.items[i].col, f.items[i].msg);
		assert_string_equal(got, want[i]);
	}
	assert_int_equal(findings_count(&f, FINDING_ERROR), 4);
	assert_int_equal(findings_count(&f, FINDING_WARNING), 1);
	assert_int_equal(findings_count(&f, FINDING_NOTE), 1);
	assert_string_equal(finding_sev_name(FINDING_NOTE), "note");
	findings_release(&f);
	assert_int_equal(f.n, 0);
	findings_release(&f);
	findings_release(NULL);
}

static void json_report(void **state)
{
	struct findings f;
	char *text;

	(void)state;
	findings_init(&f);
	text = findings_to_json(&f, "e.yaml", NULL, 1);
	assert_string_equal(text, "{\n  \"file\": \"e.yaml\",\n  \"digest\": null,\n"
			    "  \"valid\": true,\n  \"errors\": 0,\n  \"warnings\": 0,\n"
			    "  \"notes\": 0,\n  \"findings\": []\n}\n");
	free(text);
	findings_add(&f, FINDING_WARNING, "second-rule", "e.yaml", 3, 4, "say \"hi\"\n");
	text = findings_to_json(&f, "e.yaml", "sha256:x", 0);
	assert_non_null(strstr(text, "\"digest\": \"sha256:x\""));
	assert_non_null(strstr(text, "\"valid\": false"));
	assert_non_null(strstr(text, "\"line\": 3,\n      \"column\": 4,\n      \"severity\": \"warning\",\n"
				     "      \"code\": \"second-rule\",\n"
				     "      \"message\": \"say \\\"hi\\\"\\n\""));
	free(text);
	findings_release(&f);
}

/* Parse SARIF text and return results[i].locations[0].physicalLocation. */
static json_t *location(json_t *log, size_t i)
{
	json_t *res = json_object_get(json_array_get(json_object_get(log, "runs"), 0), "results");

	return json_object_get(json_array_get(json_object_get(json_array_get(res, i), "locations"), 0),
			       "physicalLocation");
}

static void sarif_log(void **state)
{
	struct findings f;
	json_error_t jerr;
	json_t *log, *run, *rule, *res;
	char *text;

	(void)state;
	findings_init(&f);
	findings_add(&f, FINDING_ERROR, "first-rule", "./dir/a b#1.yaml", 2, 5, "bad");
	findings_add(&f, FINDING_WARNING, "second-rule", "/abs/x:y.yaml", 0, 0, "whole file");
	findings_add(&f, FINDING_NOTE, "unlisted", "\xff\xfe.yaml", 1, 1, "bytes \xc3(");
	text = findings_to_sarif(&f, rules, 2, "xpship", "9.9", "https://example.org/", NULL);
	log = json_loads(text, 0, &jerr);
	if (!log)
		fail_msg("%s: %s", jerr.text, text);
	assert_string_equal(json_string_value(json_object_get(log, "version")), "2.1.0");
	assert_non_null(strstr(json_string_value(json_object_get(log, "$schema")),
			       "sarif-schema-2.1.0.json"));
	run = json_array_get(json_object_get(log, "runs"), 0);
	rule = json_array_get(json_object_get(json_object_get(json_object_get(run, "tool"), "driver"),
					      "rules"), 1);
	assert_string_equal(json_string_value(json_object_get(rule, "id")), "second-rule");
	assert_string_equal(json_string_value(json_object_get(rule, "name")), "SecondRule");
	assert_string_equal(json_string_value(json_object_get(json_object_get(rule, "help"), "text")),
			    "Two.");
	assert_string_equal(json_string_value(json_object_get(json_object_get(rule, "defaultConfiguration"),
							      "level")), "warning");
	res = json_object_get(run, "results");
	assert_int_equal(json_array_size(res), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(res, 1), "ruleIndex")), 1);
	assert_null(json_object_get(json_array_get(res, 2), "ruleIndex"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(res, 2), "level")), "note");
	/* relative paths stay relative, "./" dropped, reserved bytes escaped */
	assert_string_equal(json_string_value(json_object_get(json_object_get(location(log, 0),
			    "artifactLocation"), "uri")), "dir/a%20b%231.yaml");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(location(log, 0), "region"),
							    "startColumn")), 5);
	/* absolute paths become file URIs; no position becomes 1:1 */
	assert_string_equal(json_string_value(json_object_get(json_object_get(location(log, 1),
			    "artifactLocation"), "uri")), "file:///abs/x%3Ay.yaml");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(location(log, 1), "region"),
							    "startLine")), 1);
	/* bytes that are not UTF-8 are percent-encoded in URIs, replaced in text */
	assert_string_equal(json_string_value(json_object_get(json_object_get(location(log, 2),
			    "artifactLocation"), "uri")), "%FF%FE.yaml");
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(res, 2),
			    "message"), "text")), "bytes \xef\xbf\xbd(");
	json_decref(log);
	free(text);
	findings_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sorted_by_file_line_column_then_insertion),
		cmocka_unit_test(json_report),
		cmocka_unit_test(sarif_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
