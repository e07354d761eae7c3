/*
 * test_metrics.c — flat metric maps (pipeline/metrics.c): files, buffers, MLflow
 * runs, experiment records, merging, lookups and JSON output.
 */
#include "test_common.h"
#include "test_tmp.h"

#include <math.h>

#include "cmd/exitcode.h"
#include "common/fileio.h"
#include "pipeline/experiment.h"
#include "pipeline/metrics.h"

static void write_file(const char *dir, const char *name, const char *text)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	struct xp_error err;
	char *slash;

	assert_non_null(path);
	memcpy(path, dir, strlen(dir));
	path[strlen(dir)] = '/';
	memcpy(path + strlen(dir) + 1, name, strlen(name) + 1);
	slash = strrchr(path, '/');
	*slash = '\0';
	if (mkdir_p(path, 0755, &err))
		fail_msg("mkdir %s: %s", path, err.msg);
	*slash = '/';
	if (file_write_atomic(path, text, strlen(text), 0644, &err))
		fail_msg("write %s: %s", path, err.msg);
	free(path);
}

/* "k=v,k=v" against the map, in load order */
static void expect_map(const struct metrics *m, const char *want)
{
	char *json = metrics_to_json(m);

	if (strcmp(json, want) != 0)
		fail_msg("metrics %s, want %s", json, want);
	free(json);
}

struct load_case {
	const char *name;    /* decides JSON vs YAML */
	const char *text;
	const char *json;    /* expected flat map, or NULL for an error */
	unsigned line, col;
	const char *msg;
};

static void documents_flatten(void **state)
{
	static const struct load_case cases[] = {
		{"m.json", "{\"accuracy\": 0.931, \"latency\": {\"p95_ms\": 84}, \"loss\": [0.9, 0.5, 0.31]}",
		 "{\"accuracy\":0.931,\"latency.p95_ms\":84,\"loss\":0.31}", 0, 0, NULL},
		{"m.yaml", "a:\n  b:\n    c: 1\n  d: -2.5e-3\ne: 0x10\n",
		 "{\"a.b.c\":1,\"a.d\":-0.0025,\"e\":16}", 0, 0, NULL},
		{"m.yaml", "\"a.b\": 1\nc: {}\n", "{\"a.b\":1}", 0, 0, NULL},
		{"m.json", "{}", "{}", 0, 0, NULL},
		{"m.yaml", "s: [1]\n", "{\"s\":1}", 0, 0, NULL},
		{"m.yaml", "a.b: 1\na:\n  b: 2\n", NULL, 3, 6,
		 "duplicate metric 'a.b' (first defined at line 1)"},
		{"m.json", "{\"x\": {\"y.z\": 1}, \"x.y\": {\"z\": 1}}", NULL, 1, 32,
		 "duplicate metric 'x.y.z' (first defined at line 1)"},
		{"m.yaml", "acc: .nan\n", NULL, 1, 6, "metric 'acc' is not a finite number: .nan"},
		{"m.yaml", "acc: -.inf\n", NULL, 1, 6, "metric 'acc' is not a finite number: -.inf"},
		{"m.yaml", "acc: 1e999\n", NULL, 1, 6, "metric 'acc' is not a finite number: 1e999"},
		{"m.yaml", "acc: high\n", NULL, 1, 6, "metric 'acc' must be a number, found string 'high'"},
		{"m.yaml", "acc: '0.9'\n", NULL, 1, 6, "metric 'acc' must be a number, found string '0.9'"},
		{"m.json", "{\"ok\": true}", NULL, 1, 8, "metric 'ok' must be a number, found boolean 'true'"},
		{"m.json", "{\"a\": {\"b\": null}}", NULL, 1, 13, "metric 'a.b' must be a number, found null"},
		{"m.yaml", "loss: []\n", NULL, 1, 7, "metric 'loss' is an empty series"},
		{"m.yaml", "loss: [0.5, x, 0.2]\n", NULL, 1, 13,
		 "metric 'loss' must be a number, found string 'x'"},
		{"m.yaml", "loss: [0.5, .nan, 0.2]\n", NULL, 1, 13,
		 "metric 'loss' is not a finite number: .nan"},
		{"m.yaml", "loss: [[1]]\n", NULL, 1, 8, "metric 'loss' must be a number, found sequence"},
		{"m.yaml", "- 1\n- 2\n", NULL, 1, 1, "expected a mapping of metrics, found sequence"},
		{"m.yaml", "", NULL, 1, 1, "expected a mapping of metrics, found nothing"},
		{"m.yaml", "'': 1\n", NULL, 1, 1, "invalid metric name ''"},
		{"m.json", "{\"a\": NaN}", NULL, 1, 9, "invalid token near 'NaN'"},
		{"m.json", "{\"a\": 1, \"a\": 2}", NULL, 1, 12, "duplicate object key near '\"a\"'"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct load_case *c = &cases[i];
		struct metrics m;
		struct xp_error err;
		struct doc *d = NULL;
		int ret;

		metrics_init(&m);
		xp_error_clear(&err);
		if (doc_load_buf(c->text, strlen(c->text), c->name, DOC_AUTO, &d, &err) == 0) {
			ret = metrics_load_node(&m, d, d->root, &err);
			doc_free(d);
		} else {
			ret = -1;
		}
		if (c->json) {
			if (ret)
				fail_msg("case %zu: %s", i, err.msg);
			expect_map(&m, c->json);
		} else {
			if (ret == 0)
				fail_msg("case %zu loaded", i);
			assert_int_equal(err.cls, XP_ERR_MALFORMED);
			assert_string_equal(err.file, c->name);
			if (err.line != c->line || err.col != c->col || strcmp(err.msg, c->msg))
				fail_msg("case %zu: %u:%u %s", i, err.line, err.col, err.msg);
			assert_int_equal(m.n, 0);
		}
		metrics_release(&m);
	}
}

static void positions_are_kept(void **state)
{
	static const char text[] = "{\n  \"acc\": 0.9,\n  \"lat\": {\"p95\": 12},\n  \"loss\": [3, 2, 1]\n}\n";
	const struct metric *p;
	struct metrics m;
	struct xp_error err;

	(void)state;
	metrics_init(&m);
	assert_int_equal(metrics_load_buf(&m, text, strlen(text), "champion", &err), 0);
	p = metrics_get(&m, "lat.p95");
	assert_non_null(p);
	assert_string_equal(p->file, "champion");
	assert_int_equal(p->line, 3);
	assert_int_equal(p->col, 18);
	p = metrics_get(&m, "loss");
	assert_true(p->value == 1);
	assert_int_equal(p->line, 4);
	assert_int_equal(p->col, 18);
	assert_null(metrics_get(&m, "lat"));
	assert_null(metrics_get(&m, "p95"));
	assert_null(metrics_get(&m, "acc.x"));
	metrics_release(&m);
}

static void buffer_is_json(void **state)
{
	static const char yaml[] = "acc: 0.9\n";
	struct metrics m;
	struct xp_error err;

	(void)state;
	metrics_init(&m);
	assert_int_equal(metrics_load_buf(&m, yaml, strlen(yaml), "ann", &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	assert_string_equal(err.file, "ann");
	assert_int_equal(m.n, 0);
	metrics_release(&m);
}

struct num_case {
	double v;
	const char *text;
};

static void numbers_round_trip(void **state)
{
	static const struct num_case cases[] = {
		{0, "0"}, {-0.0, "0"}, {84, "84"}, {-3, "-3"}, {0.931, "0.931"},
		{0.1 + 0.2, "0.30000000000000004"}, {1e-7, "1e-07"}, {1e20, "1e+20"},
		{123456789012345, "123456789012345"}, {-0.0025, "-0.0025"},
		{1.0 / 3, "0.3333333333333333"}, {2.5, "2.5"},
	};
	char buf[METRICS_NUMBER_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		metrics_format_number(cases[i].v, buf);
		if (strcmp(buf, cases[i].text))
			fail_msg("%.17g: got %s, want %s", cases[i].v, buf, cases[i].text);
		assert_true(strtod(buf, NULL) == cases[i].v);
	}
	metrics_format_number(1.7976931348623157e308, buf);
	assert_true(strtod(buf, NULL) == 1.7976931348623157e308);
	metrics_format_number(5e-324, buf);
	assert_true(strtod(buf, NULL) == 5e-324);
}

static void set_rejects_duplicates_and_non_finite(void **state)
{
	struct metrics m;
	struct xp_error err;

	(void)state;
	metrics_init(&m);
	assert_int_equal(metrics_set(&m, "a", 1, "x.yaml", 1, 4, &err), 0);
	assert_int_equal(metrics_set(&m, "a", 1, "y.yaml", 2, 5, &err), -1);
	assert_string_equal(err.msg, "duplicate metric 'a' (first defined at x.yaml:1:4)");
	assert_int_equal(err.line, 2);
	assert_int_equal(metrics_set(&m, "b", NAN, "x.yaml", 3, 1, &err), -1);
	assert_string_equal(err.msg, "metric 'b' is not a finite number");
	assert_int_equal(metrics_set(&m, "b", INFINITY, "x.yaml", 3, 1, &err), -1);
	assert_int_equal(m.n, 1);
	metrics_release(&m);
	metrics_release(NULL);
}

static void ten_thousand_keys(void **state)
{
	struct metrics m;
	struct xp_error err;
	char key[32];
	int i;

	(void)state;
	metrics_init(&m);
	for (i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "group%d.m%d", i % 97, i);
		assert_int_equal(metrics_set(&m, key, i, "big.json", (unsigned)i + 1, 1, &err), 0);
	}
	for (i = 0; i < 10000; i++) {
		const struct metric *p;

		snprintf(key, sizeof(key), "group%d.m%d", i % 97, i);
		p = metrics_get(&m, key);
		assert_non_null(p);
		assert_true(p->value == i);
		assert_int_equal(p->line, i + 1);
	}
	assert_null(metrics_get(&m, "group0.m1"));
	/* linear time: constant work per key, counted in index probes (a list
	 * scan would look at n/2 items on average, 5000 here), and an index of
	 * a size linear in the keys */
	{
		size_t total = 0, most = 0, p;

		for (i = 0; i < 10000; i++) {
			snprintf(key, sizeof(key), "group%d.m%d", i % 97, i);
			p = metrics_probes(&m, key);
			total += p;
			if (p > most)
				most = p;
		}
		assert_true(total <= 2 * 10000);
		assert_true(most <= 64);
		assert_true(metrics_probes(&m, "absent.key") <= 64);
		assert_true(m.index_cap_ <= 8 * 10000);
	}
	metrics_release(&m);
}

struct ml_case {
	const char *content;
	double want;          /* when msg is NULL */
	unsigned line, col;   /* of the value, or of the error */
	const char *msg;
};

static void mlflow_latest_by_step_then_time(void **state)
{
	static const struct ml_case cases[] = {
		{"1000 0.5 0\n2000 0.7 1\n3000 0.6 2\n", 0.6, 3, 6, NULL},
		/* later step wins over later timestamp */
		{"5000 0.9 3\n9000 0.1 2\n", 0.9, 1, 6, NULL},
		/* same step: later timestamp; same both: later line */
		{"2000 0.4 1\n1000 0.3 1\n", 0.4, 1, 6, NULL},
		{"1000 0.4 1\n1000 0.3 1\n", 0.3, 2, 6, NULL},
		/* no step field (old file store): step 0 */
		{"100 1.5\n200 2.5\n", 2.5, 2, 5, NULL},
		{"\n100 1.5 0\n\n", 1.5, 2, 5, NULL},
		{"100  \t 7e-3   4\r\n", 0.007, 1, 8, NULL},
		/* NaN in the history is history; only the latest value must be finite */
		{"100 nan 0\n200 0.5 1\n", 0.5, 2, 5, NULL},
		{"100 0.5 0\n200 nan 1\n", 0, 2, 5, "metric 'acc' is not a finite number"},
		{"100 inf 0\n", 0, 1, 5, "metric 'acc' is not a finite number"},
		{"", 0, 1, 1, "metric 'acc' has no values"},
		{"100 abc 0\n", 0, 1, 5, "metric 'acc': expected \"<timestamp> <value> [<step>]\""},
		{"100 0.5 0 9\n", 0, 1, 11, "metric 'acc': expected \"<timestamp> <value> [<step>]\""},
		{"1.5 0.5 0\n", 0, 1, 1, "metric 'acc': expected \"<timestamp> <value> [<step>]\""},
		{"100\n", 0, 1, 1, "metric 'acc': expected \"<timestamp> <value> [<step>]\""},
		{"100 1 x\n", 0, 1, 7, "metric 'acc': expected \"<timestamp> <value> [<step>]\""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = tmp_dir("mlflow");
		char *path;
		struct metrics m;
		struct xp_error err;
		int ret;

		assert_non_null(dir);
		write_file(dir, "run/metrics/acc", cases[i].content);
		path = malloc(strlen(dir) + 8);
		assert_non_null(path);
		snprintf(path, strlen(dir) + 8, "%s/run", dir);
		metrics_init(&m);
		xp_error_clear(&err);
		ret = metrics_load(&m, path, NULL, &err);
		if (!cases[i].msg) {
			const struct metric *p = metrics_get(&m, "acc");

			if (ret)
				fail_msg("case %zu: %s", i, err.msg);
			assert_non_null(p);
			if (p->value != cases[i].want || p->line != cases[i].line ||
			    p->col != cases[i].col)
				fail_msg("case %zu: %g at %u:%u", i, p->value, p->line, p->col);
			assert_non_null(strstr(p->file, "/run/metrics/acc"));
		} else {
			if (ret == 0)
				fail_msg("case %zu loaded", i);
			assert_int_equal(err.cls, XP_ERR_MALFORMED);
			if (err.line != cases[i].line || err.col != cases[i].col ||
			    strcmp(err.msg, cases[i].msg))
				fail_msg("case %zu: %u:%u %s", i, err.line, err.col, err.msg);
			assert_int_equal(m.n, 0);
		}
		metrics_release(&m);
		free(path);
		assert_int_equal(tmp_rm_rf(dir), 0);
		free(dir);
	}
}

static void mlflow_subdirectories_and_errors(void **state)
{
	char *dir = tmp_dir("mlflow");
	char path[600];
	struct metrics m;
	struct xp_error err;

	(void)state;
	assert_non_null(dir);
	write_file(dir, "r/metrics/val.acc", "1 0.91 0\n");
	write_file(dir, "r/metrics/system/cpu", "1 12 0\n");
	write_file(dir, "r/metrics/.hidden", "garbage\n");
	write_file(dir, "r/params/lr", "0.1");
	metrics_init(&m);
	snprintf(path, sizeof(path), "%s/r", dir);
	assert_int_equal(metrics_load_mlflow(&m, path, &err), 0);
	expect_map(&m, "{\"system/cpu\":12,\"val.acc\":0.91}");
	metrics_release(&m);

	/* not a run directory */
	snprintf(path, sizeof(path), "%s/r/params", dir);
	assert_int_equal(metrics_load(&m, path, NULL, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	assert_non_null(strstr(err.msg, "no metrics/ directory"));
	/* missing */
	snprintf(path, sizeof(path), "%s/nope", dir);
	assert_int_equal(metrics_load_mlflow(&m, path, &err), -1);
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	assert_non_null(strstr(err.msg, "No such file or directory"));
	assert_int_equal(metrics_load(&m, path, NULL, &err), -1);
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	assert_int_equal(m.n, 0);
	assert_int_equal(tmp_rm_rf(dir), 0);
	free(dir);
}

/* What every record declares, appended so the positions above stay put. */
#define REC_HEAD "apiVersion: xpship/v1\nkind: Experiment\nmetadata: {id: e, name: n}\n"

static const char record[] =
	"apiVersion: xpship/v1\n"
	"kind: Experiment\n"
	"runs:\n"
	"  - id: run-1\n"
	"    metrics: {accuracy: 0.88}\n"
	"  - id: run-2\n"
	"    metrics:\n"
	"      accuracy: 0.931\n"
	"      latency: {p95_ms: 84}\n"
	"      loss: [0.9, 0.5, 0.31]\n"
	"    metrics_file: metrics/run-2.json\n"
	"    mlflow_run: mlruns/0/abc\n"
	"selected: run-2\n"
	"metadata: {id: e, name: n}\n";

static void experiment_selected_run_merged(void **state)
{
	char *dir = tmp_dir("exp");
	char path[600];
	struct metrics m;
	struct xp_error err;
	const struct metric *p;

	(void)state;
	assert_non_null(dir);
	write_file(dir, "e/experiment.yaml", record);
	write_file(dir, "e/metrics/run-2.json", "{\"f1\": 0.9, \"accuracy\": 0.931}");
	write_file(dir, "e/mlruns/0/abc/metrics/auc", "1 0.95 0\n");
	snprintf(path, sizeof(path), "%s/e/experiment.yaml", dir);
	metrics_init(&m);
	if (experiment_metrics(path, &m, NULL, &err))
		fail_msg("%s", err.msg);
	expect_map(&m, "{\"accuracy\":0.931,\"latency.p95_ms\":84,\"loss\":0.31,\"f1\":0.9,\"auc\":0.95}");
	p = metrics_get(&m, "accuracy");
	assert_string_equal(p->file, path);
	assert_int_equal(p->line, 8);
	p = metrics_get(&m, "f1");
	assert_non_null(strstr(p->file, "/e/metrics/run-2.json"));

	/* a conflicting value from the merged file: positioned at the later one */
	write_file(dir, "e/metrics/run-2.json", "{\"accuracy\": 0.94}");
	assert_int_equal(experiment_metrics(path, &m, NULL, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	assert_non_null(strstr(err.file, "/e/metrics/run-2.json"));
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 14);
	if (!strstr(err.msg, "metric 'accuracy' = 0.94 conflicts with 0.931 from ") ||
	    !strstr(err.msg, "experiment.yaml:8:17"))
		fail_msg("%s", err.msg);
	/* the map is unchanged by the failed load */
	assert_int_equal(m.n, 5);

	/* a missing metrics file is a system error naming it */
	write_file(dir, "e/experiment.yaml",
		   "runs: [{id: a, metrics_file: gone.json}]\nselected: a\n" REC_HEAD);
	assert_int_equal(experiment_metrics(path, &m, NULL, &err), -1);
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	assert_non_null(strstr(err.msg, "/e/gone.json"));
	metrics_release(&m);
	assert_int_equal(tmp_rm_rf(dir), 0);
	free(dir);
}

struct rec_case {
	const char *text;
	unsigned line, col;
	const char *msg;
};

static void experiment_errors(void **state)
{
	static const struct rec_case cases[] = {
		{"runs: []\n" REC_HEAD, 1, 1, "missing required key 'selected'"},
		{"selected: [a]\n" REC_HEAD, 1, 11, "'selected' must be a non-empty string, found sequence"},
		{"selected: b\nruns: [{id: a}]\n" REC_HEAD, 1, 11, "selected run 'b' is not among the record's runs"},
		{"selected: b\n" REC_HEAD, 1, 1, "'runs' must be a sequence of runs"},
		{"- a\n", 1, 1, "expected an experiment record (a mapping), found sequence"},
		{"selected: a\nruns: [{id: a, metrics: [1]}]\n" REC_HEAD, 2, 25,
		 "expected a mapping of metrics, found sequence"},
		{"selected: a\nruns: [{id: a, metrics_file: 3}]\n" REC_HEAD, 2, 30,
		 "'metrics_file' must be a path, found integer"},
		{"selected: a\nruns: [{id: a, mlflow_run: ''}]\n" REC_HEAD, 2, 28,
		 "'mlflow_run' must be a path, found string"},
		{"selected: a\nruns: [{id: a, metrics: {acc: true}}]\n" REC_HEAD, 2, 31,
		 "metric 'acc' must be a number, found boolean 'true'"},
	};
	char *dir = tmp_dir("exp");
	char path[600];
	size_t i;

	(void)state;
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/x.yaml", dir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct metrics m;
		struct xp_error err;

		write_file(dir, "x.yaml", cases[i].text);
		metrics_init(&m);
		assert_int_equal(experiment_metrics(path, &m, NULL, &err), -1);
		assert_int_equal(err.cls, XP_ERR_MALFORMED);
		assert_string_equal(err.file, path);
		if (err.line != cases[i].line || err.col != cases[i].col ||
		    strcmp(err.msg, cases[i].msg))
			fail_msg("case %zu: %u:%u %s", i, err.line, err.col, err.msg);
		metrics_release(&m);
	}
	/* a run without any metrics yields an empty map */
	{
		struct metrics m;
		struct xp_error err;

		write_file(dir, "x.yaml", "selected: a\nruns: [{id: a, metrics: null}]\n" REC_HEAD);
		metrics_init(&m);
		assert_int_equal(experiment_metrics(path, &m, NULL, &err), 0);
		assert_int_equal(m.n, 0);
		metrics_release(&m);
	}
	assert_int_equal(tmp_rm_rf(dir), 0);
	free(dir);
}

static void sources_merge_when_equal(void **state)
{
	static const char a[] = "{\"x\": 1, \"y\": {\"z\": 2}}";
	static const char b[] = "{\"y.z\": 2, \"w\": 3}";
	struct metrics m;
	struct xp_error err;

	(void)state;
	metrics_init(&m);
	assert_int_equal(metrics_load_buf(&m, a, strlen(a), "a", &err), 0);
	assert_int_equal(metrics_load_buf(&m, b, strlen(b), "b", &err), 0);
	expect_map(&m, "{\"x\":1,\"y.z\":2,\"w\":3}");
	assert_string_equal(metrics_get(&m, "y.z")->file, "a");
	metrics_release(&m);
}

static void json_escapes_keys(void **state)
{
	static const char text[] = "{\"a\\\"b\": 1, \"t\\tab\": 2, \"\\u00e9\": 3}";
	struct metrics m;
	struct xp_error err;

	(void)state;
	metrics_init(&m);
	assert_int_equal(metrics_load_buf(&m, text, strlen(text), "k", &err), 0);
	expect_map(&m, "{\"a\\\"b\":1,\"t\\tab\":2,\"\xc3\xa9\":3}");
	metrics_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(documents_flatten),
		cmocka_unit_test(positions_are_kept),
		cmocka_unit_test(buffer_is_json),
		cmocka_unit_test(numbers_round_trip),
		cmocka_unit_test(set_rejects_duplicates_and_non_finite),
		cmocka_unit_test(ten_thousand_keys),
		cmocka_unit_test(mlflow_latest_by_step_then_time),
		cmocka_unit_test(mlflow_subdirectories_and_errors),
		cmocka_unit_test(experiment_selected_run_merged),
		cmocka_unit_test(experiment_errors),
		cmocka_unit_test(sources_merge_when_equal),
		cmocka_unit_test(json_escapes_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
