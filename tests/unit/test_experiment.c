/*
 * test_experiment.c — experiment record summaries and provenance parameters
 * (pipeline/experiment.c).
 */
#include "test_common.h"
#include "test_tmp.h"

#include <jansson.h>

#include "common/digest.h"
#include "cmd/exitcode.h"
#include "common/fileio.h"
#include "pipeline/experiment.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = tmp_dir("exp");
	return dir ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	tmp_rm_rf(dir);
	free(dir);
	return 0;
}

/* Write dir/name (parents created); returns the path (caller frees). */
static char *write_file(const char *name, const char *text)
{
	struct xp_error err;
	char *path, *slash;
	size_t n = strlen(dir) + strlen(name) + 2;

	path = malloc(n);
	assert_non_null(path);
	snprintf(path, n, "%s/%s", dir, name);
	slash = strrchr(path, '/');
	*slash = '\0';
	if (mkdir_p(path, 0755, &err))
		fail_msg("mkdir %s: %s", path, err.msg);
	*slash = '/';
	if (file_write_atomic(path, text, strlen(text), 0644, &err))
		fail_msg("write %s: %s", path, err.msg);
	return path;
}

#define HEAD "apiVersion: xpship/v1\nkind: Experiment\n"
#define DIG "sha256:" \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const char full_record[] =
	HEAD
	"metadata:\n"
	"  name: churn\n"
	"  id: exp-1\n"
	"  owner: ml@example.com\n"
	"  description: a test\n"
	"  created: 2026-11-20T09:30:00Z\n"
	"objective: {metric: accuracy, direction: maximize}\n"
	"code: {repository: 'https://github.com/example/churn', commit: 3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e}\n"
	"environment:\n"
	"  image: registry.example/serving@" DIG "\n"
	"data:\n"
	"  - {name: train, path: data/train.csv, digest: " DIG "}\n"
	"  - {name: ref, uri: 's3://b/ref.csv', digest: " DIG "}\n"
	"space: {strategy: grid, runs: 2}\n"
	"runs:\n"
	"  - id: run-1\n"
	"    parameters: {lr: 0.1}\n"
	"    metrics: {accuracy: 0.5}\n"
	"  - id: run-2\n"
	"    parameters: {lr: 0.01, depth: 6, big: 12345678901234567890, hex: 0x1F,\n"
	"                 on: true, none: null, name: \"a\\\"b\", inf: .inf, list: [1, 2.5],\n"
	"                 nested: {x: 'y'}}\n"
	"    metrics:\n"
	"      accuracy: 0.931\n"
	"      latency: {p95_ms: 84}\n"
	"      loss: [0.9, 0.5, 0.31]\n"
	"    metrics_file: m/run-2.json\n"
	"selected: run-2\n"
	"model: {name: churn, version: 1.4.0, framework: scikit-learn, format: onnx, license: Apache-2.0}\n";

static void summary_of_a_full_record(void **state)
{
	struct experiment_summary s;
	struct xp_error err;
	char want[XP_DIGEST_SIZE];
	char *path;

	(void)state;
	free(write_file("m/run-2.json", "{\"f1\": 0.87, \"cal\": {\"brier\": 0.06}}"));
	path = write_file("experiment.yaml", full_record);
	xp_error_clear(&err);
	if (experiment_summarize(path, &s, &err))
		fail_msg("%s:%u:%u: %s", err.file, err.line, err.col, err.msg);
	assert_string_equal(s.id, "exp-1");
	assert_string_equal(s.name, "churn");
	assert_string_equal(s.owner, "ml@example.com");
	assert_string_equal(s.description, "a test");
	assert_string_equal(s.created, "2026-11-20T09:30:00Z");
	assert_string_equal(s.objective_metric, "accuracy");
	assert_string_equal(s.objective_direction, "maximize");
	assert_string_equal(s.code_repository, "https://github.com/example/churn");
	assert_string_equal(s.code_commit, "3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e");
	assert_string_equal(s.environment, "registry.example/serving@" DIG);
	assert_string_equal(s.model_name, "churn");
	assert_string_equal(s.model_version, "1.4.0");
	assert_string_equal(s.model_framework, "scikit-learn");
	assert_string_equal(s.model_format, "onnx");
	assert_string_equal(s.model_license, "Apache-2.0");
	assert_string_equal(s.selected_run, "run-2");
	assert_string_equal(s.space_strategy, "grid");
	assert_string_equal(s.params_json,
			    "{\"lr\":0.01,\"depth\":6,\"big\":1.2345678901234567e+19,\"hex\":31,"
			    "\"on\":true,\"none\":null,\"name\":\"a\\\"b\",\"inf\":\".inf\","
			    "\"list\":[1,2.5],\"nested\":{\"x\":\"y\"}}");
	assert_string_equal(s.metrics_json,
			    "{\"accuracy\":0.931,\"latency.p95_ms\":84,\"loss\":0.31,"
			    "\"f1\":0.87,\"cal.brier\":0.06}");
	assert_int_equal(s.n_data, 2);
	assert_string_equal(s.data[0].name, "train");
	assert_string_equal(s.data[0].uri, "data/train.csv");
	assert_string_equal(s.data[0].digest, DIG);
	assert_string_equal(s.data[1].name, "ref");
	assert_string_equal(s.data[1].uri, "s3://b/ref.csv");
	digest_buf(full_record, strlen(full_record), want);
	assert_string_equal(s.digest, want);
	experiment_summary_release(&s);
	assert_null(s.id);
	assert_int_equal(s.n_data, 0);
	experiment_summary_release(&s); /* twice is harmless */
	experiment_summary_release(NULL);
	free(path);
}

static void minimal_record_leaves_absent_fields_null(void **state)
{
	static const char text[] =
		HEAD "metadata: {name: n, id: i}\n"
		"environment: {lockfile: {path: req.lock, digest: " DIG "}}\n"
		"runs: [{id: r}]\nselected: r\n";
	struct experiment_summary s;
	struct xp_error err;
	char *path = write_file("min.yaml", text);

	(void)state;
	if (experiment_summarize(path, &s, &err))
		fail_msg("%s", err.msg);
	assert_null(s.owner);
	assert_null(s.description);
	assert_null(s.created);
	assert_null(s.objective_metric);
	assert_null(s.code_commit);
	assert_null(s.model_name);
	assert_null(s.space_strategy);
	assert_int_equal(s.n_data, 0);
	assert_string_equal(s.environment, "lockfile:req.lock@" DIG);
	assert_string_equal(s.params_json, "{}");
	assert_string_equal(s.metrics_json, "{}");
	experiment_summary_release(&s);
	free(path);
}

struct err_case {
	const char *text;
	enum xp_err code;
	unsigned line, col;
	const char *msg;
};

static void errors_are_positioned(void **state)
{
	static const struct err_case cases[] = {
		{"- a\n", XP_ERR_MALFORMED, 1, 1,
		 "expected an experiment record (a mapping), found sequence"},
		{"", XP_ERR_MALFORMED, 1, 1,
		 "expected an experiment record (a mapping), found nothing"},
		{"kind: Experiment\n", XP_ERR_MALFORMED, 1, 1, "missing required key 'apiVersion'"},
		{"apiVersion: xpship/v2\n", XP_ERR_MALFORMED, 1, 13,
		 "'apiVersion' must be 'xpship/v1', found 'xpship/v2'"},
		{"apiVersion: xpship/v1\nkind: [x]\n", XP_ERR_MALFORMED, 2, 7,
		 "'kind' must be 'Experiment', found sequence"},
		{HEAD "runs: []\n", XP_ERR_MALFORMED, 1, 1, "missing required key 'metadata'"},
		{HEAD "metadata: {name: n}\n", XP_ERR_MALFORMED, 3, 11,
		 "missing required key 'metadata.id'"},
		{HEAD "metadata: {name: n, id: {a: 1}}\n", XP_ERR_MALFORMED, 3, 25,
		 "'metadata.id' must be a non-empty string, found mapping"},
		{HEAD "metadata: {name: '', id: x}\n", XP_ERR_MALFORMED, 3, 18,
		 "'metadata.name' must be a non-empty string, found an empty string"},
		{HEAD "metadata: {name: n, id: i}\nobjective: 3\n", XP_ERR_MALFORMED, 4, 12,
		 "'objective' must be a mapping, found integer"},
		{HEAD "metadata: {name: n, id: i}\nruns: [{id: r}]\n", XP_ERR_MALFORMED, 1, 1,
		 "missing required key 'selected'"},
		{HEAD "metadata: {name: n, id: i}\nruns: [{id: r}]\nselected: q\n",
		 XP_ERR_MALFORMED, 5, 11, "selected run 'q' is not among the record's runs"},
		{HEAD "metadata: {name: n, id: i}\nruns: {id: r}\nselected: r\n",
		 XP_ERR_MALFORMED, 4, 7, "'runs' must be a sequence of runs"},
		{HEAD "metadata: {name: n, id: i}\ndata: [{name: x}]\nruns: [{id: r}]\nselected: r\n",
		 XP_ERR_MALFORMED, 4, 8, "'data[0].path' needs a 'path' or a 'uri'"},
		{HEAD "metadata: {name: n, id: i}\ndata: {}\nruns: [{id: r}]\nselected: r\n",
		 XP_ERR_MALFORMED, 4, 7, "'data' must be a sequence, found mapping"},
		{HEAD "metadata: {name: n, id: i}\nruns: [{id: r, parameters: [1]}]\nselected: r\n",
		 XP_ERR_MALFORMED, 4, 28, "'parameters' must be a mapping, found sequence"},
		{HEAD "metadata: {name: n, id: i}\nruns: [{id: r, metrics: {acc: high}}]\nselected: r\n",
		 XP_ERR_MALFORMED, 4, 31, "metric 'acc' must be a number, found string 'high'"},
		{HEAD "metadata: {name: n, id: i}\nruns: [{id: r, metrics_file: nope.json}]\nselected: r\n",
		 XP_ERR_LOCAL, 0, 0, NULL},
		{HEAD "metadata: {name: n, id: i}\nmetadata: {}\n", XP_ERR_MALFORMED, 4, 1,
		 "duplicate key 'metadata' (first defined at line 3)"},
		{HEAD "metadata: {name: n\n", XP_ERR_MALFORMED, 4, 1,
		 "did not find expected ',' or '}' while parsing a flow mapping"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct err_case *c = &cases[i];
		struct experiment_summary s;
		struct xp_error err;
		char *path = write_file("bad.yaml", c->text);

		memset(&s, 0x5a, sizeof(s));
		xp_error_clear(&err);
		if (experiment_summarize(path, &s, &err) == 0)
			fail_msg("case %zu: summarized", i);
		if (err.cls != c->code)
			fail_msg("case %zu: code %d (%s)", i, err.cls, err.msg);
		if (c->msg && (err.line != c->line || err.col != c->col || strcmp(err.msg, c->msg)))
			fail_msg("case %zu: %u:%u: %s", i, err.line, err.col, err.msg);
		if (c->msg)
			assert_string_equal(err.file, path);
		/* out is untouched on failure */
		assert_true(((unsigned char *)&s)[0] == 0x5a);
		free(path);
	}
}

static void unreadable_record_is_a_system_error(void **state)
{
	struct experiment_summary s;
	struct xp_error err;
	char *path = malloc(strlen(dir) + 16);

	(void)state;
	assert_non_null(path);
	snprintf(path, strlen(dir) + 16, "%s/missing.yaml", dir);
	assert_int_equal(experiment_summarize(path, &s, &err), -1);
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	assert_non_null(strstr(err.msg, "No such file or directory"));
	free(path);
}

struct prov_case {
	const char *env;
	const char *code_repo, *code_commit;
	const char *want_deps;
};

static void provenance_parameters(void **state)
{
	static const struct prov_case cases[] = {
		{"registry.example/serving@" DIG, "https://g/x", "abc",
		 "[{\"uri\":\"file:data/train.csv\",\"digest\":{\"sha256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"},\"name\":\"train\"},"
		 "{\"uri\":\"s3://b/r\",\"name\":\"ref\"},"
		 "{\"uri\":\"git+https://g/x@abc\",\"digest\":{\"gitCommit\":\"abc\"},\"name\":\"code\"},"
		 "{\"uri\":\"docker://registry.example/serving@" DIG "\",\"digest\":{\"sha256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"},\"name\":\"environment\"}]"},
		{"lockfile:req.lock@" DIG, NULL, "abc",
		 "[{\"uri\":\"file:data/train.csv\",\"digest\":{\"sha256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"},\"name\":\"train\"},"
		 "{\"uri\":\"s3://b/r\",\"name\":\"ref\"},"
		 "{\"uri\":\"file:req.lock\",\"digest\":{\"sha256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"},\"name\":\"environment\"}]"},
		{"serving:latest", "git@github.com:team/churn.git", "abc",
		 "[{\"uri\":\"file:data/train.csv\",\"digest\":{\"sha256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"},\"name\":\"train\"},"
		 "{\"uri\":\"s3://b/r\",\"name\":\"ref\"},"
		 "{\"uri\":\"git+ssh://git@github.com/team/churn.git@abc\",\"digest\":{\"gitCommit\":\"abc\"},\"name\":\"code\"},"
		 "{\"uri\":\"docker://serving:latest\",\"name\":\"environment\"}]"},
		{"serving:latest", "github.com/team/churn", "abc",
		 "[{\"uri\":\"file:data/train.csv\",\"digest\":{\"sha256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"},\"name\":\"train\"},"
		 "{\"uri\":\"s3://b/r\",\"name\":\"ref\"},"
		 "{\"uri\":\"git+https://github.com/team/churn@abc\",\"digest\":{\"gitCommit\":\"abc\"},\"name\":\"code\"},"
		 "{\"uri\":\"docker://serving:latest\",\"name\":\"environment\"}]"},
		{"serving:latest", NULL, NULL,
		 "[{\"uri\":\"file:data/train.csv\",\"digest\":{\"sha256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"},\"name\":\"train\"},"
		 "{\"uri\":\"s3://b/r\",\"name\":\"ref\"},"
		 "{\"uri\":\"docker://serving:latest\",\"name\":\"environment\"}]"},
	};
	struct experiment_dataset data[2] = {
		{"train", "data/train.csv", DIG},   /* a path: a file: URI */
		{"ref", "s3://b/r", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct experiment_summary s;
		struct xp_error err;
		char *out = NULL, *want;
		json_error_t jerr;
		json_t *j;
		size_t n;

		memset(&s, 0, sizeof(s));
		s.id = "exp-1";
		s.name = "churn";
		s.digest = DIG;
		s.selected_run = "run-2";
		s.params_json = "{\"lr\":0.01,\"depth\":6}";
		s.objective_metric = "accuracy";
		s.objective_direction = "maximize";
		s.space_strategy = "grid";
		s.environment = (char *)cases[i].env;
		s.code_repository = (char *)cases[i].code_repo;
		s.code_commit = (char *)cases[i].code_commit;
		s.data = data;
		s.n_data = 2;
		assert_int_equal(experiment_provenance_json(&s, &out, &err), 0);
		n = strlen(cases[i].want_deps) + 512;
		want = malloc(n);
		assert_non_null(want);
		snprintf(want, n,
			 "{\"externalParameters\":{\"experiment\":{\"id\":\"exp-1\",\"name\":\"churn\","
			 "\"digest\":\"" DIG "\"},\"run\":\"run-2\","
			 "\"parameters\":{\"lr\":0.01,\"depth\":6},"
			 "\"objective\":{\"metric\":\"accuracy\",\"direction\":\"maximize\"},"
			 "\"space\":{\"strategy\":\"grid\"}},\"resolvedDependencies\":%s}",
			 cases[i].want_deps);
		if (strcmp(out, want))
			fail_msg("case %zu:\n got %s\nwant %s", i, out, want);
		j = json_loads(out, 0, &jerr);
		assert_non_null(j);
		json_decref(j);
		free(want);
		free(out);
	}
}

static void provenance_of_a_summarized_record(void **state)
{
	struct experiment_summary s;
	struct xp_error err;
	char *path, *out = NULL;
	json_error_t jerr;
	json_t *j, *deps;

	(void)state;
	free(write_file("m/run-2.json", "{\"f1\": 0.87}"));
	path = write_file("experiment.yaml", full_record);
	assert_int_equal(experiment_summarize(path, &s, &err), 0);
	assert_int_equal(experiment_provenance_json(&s, &out, &err), 0);
	j = json_loads(out, 0, &jerr);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
				    json_object_get(j, "externalParameters"), "experiment"), "digest")),
			    s.digest);
	assert_true(json_real_value(json_object_get(json_object_get(json_object_get(
			    j, "externalParameters"), "parameters"), "lr")) == 0.01);
	deps = json_object_get(j, "resolvedDependencies");
	assert_int_equal(json_array_size(deps), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(deps, 2), "uri")),
			    "git+https://github.com/example/churn@3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e");
	json_decref(j);
	free(out);
	experiment_summary_release(&s);
	free(path);
}

static void provenance_rejects_bad_parameters(void **state)
{
	static const char *const bad[] = {"{", "[1]", "{\"a\":}"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct experiment_summary s;
		struct xp_error err;
		char *out = (char *)"untouched";

		memset(&s, 0, sizeof(s));
		s.selected_run = "r";
		s.params_json = (char *)bad[i];
		assert_int_equal(experiment_provenance_json(&s, &out, &err), -1);
		assert_int_equal(err.cls, XP_ERR_MALFORMED);
		assert_non_null(strstr(err.msg, "invalid parameters of run 'r'"));
		assert_string_equal(out, "untouched");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summary_of_a_full_record),
		cmocka_unit_test(minimal_record_leaves_absent_fields_null),
		cmocka_unit_test(errors_are_positioned),
		cmocka_unit_test(unreadable_record_is_a_system_error),
		cmocka_unit_test(provenance_parameters),
		cmocka_unit_test(provenance_of_a_summarized_record),
		cmocka_unit_test(provenance_rejects_bad_parameters),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
