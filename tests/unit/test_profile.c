/* test_profile.c — KLL sketch and top-K counter (pipeline/sketch.c), profile
 * JSON round trip and load errors (pipeline/profile_json.c). */
#include "tests/unit/test_common.h"
#include "common/strbuf.h"
#include "pipeline/profile.h"
#include "pipeline/sketch.h"
#include "pipeline/stats.h"

#include <math.h>
#include <unistd.h>

/* The share of `n` values i (0..n-1) at or below the sketch's q-quantile,
 * against q. */
static double rank_error(const struct kll *s, double q, double n)
{
	double *v, *w, x;
	size_t k = kll_items(s, &v, &w);

	x = stats_quantile_w(v, w, k, q);
	free(v);
	free(w);
	return fabs((x + 1) / n - q);
}

static void kll_exact_then_bounded(void **state)
{
	struct kll s, t;
	double *v, *w, q;
	size_t i, k, n = 100000;

	(void)state;
	kll_init(&s, 200);
	for (i = 0; i < 150; i++)
		kll_add(&s, (double)((i * 37) % 150));
	assert_true(kll_exact(&s));
	k = kll_items(&s, &v, &w);
	assert_int_equal(k, 150);
	for (i = 0; i < k; i++)
		assert_true(v[i] == (double)i && w[i] == 1);
	free(v);
	free(w);
	kll_release(&s);

	kll_init(&s, 200);
	kll_init(&t, 200);
	for (i = 0; i < n; i++)
		kll_add(i % 2 ? &s : &t, (double)((i * 7919) % n));
	assert_false(kll_exact(&s));
	kll_merge(&s, &t);
	assert_true(s.n == n);
	assert_true(s.size < 2000);
	for (q = 0.1; q < 0.95; q += 0.1)
		assert_true(rank_error(&s, q, (double)n) < 0.0165);
	kll_release(&s);
	kll_release(&t);
}

static void topk_counts_and_evicts(void **state)
{
	struct topk t, u;
	char name[16];
	int i;

	(void)state;
	topk_init(&t, 3);
	topk_add(&t, "a", 1, 5);
	topk_add(&t, "b", 1, 3);
	topk_add(&t, "c", 1, 1);
	assert_false(t.evicted);
	topk_add(&t, "d", 1, 1); /* replaces c, inheriting its count */
	assert_true(t.evicted);
	assert_int_equal(topk_find(&t, "c"), -1);
	topk_sort(&t);
	assert_string_equal(t.it[0].value, "a");
	assert_true(t.it[2].count == 2 && strcmp(t.it[2].value, "d") == 0);
	topk_init(&u, 4);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "%c", 'a' + i);
		topk_add(&u, name, 1, 10);
	}
	topk_merge(&t, &u);
	assert_true(t.n == 3 && t.total == 10 + 40);
	assert_string_equal(t.it[0].value, "a");
	assert_true(t.it[0].count == 15);
	topk_release(&t);
	topk_release(&u);

	/* many evictions: every counter stays findable, counts add up to the total */
	topk_init(&t, 37);
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "v%d", (i * 7919) % 5003);
		topk_add(&t, name, strlen(name), 1);
	}
	{
		uint64_t sum = 0;
		size_t k;

		for (k = 0; k < t.n; k++) {
			assert_int_equal(topk_find(&t, t.it[k].value), (long)k);
			sum += t.it[k].count;
		}
		assert_true(sum == 20000 && t.total == 20000 && t.n == 37);
	}
	topk_release(&t);
}

static char *tmpfile_with(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void json_round_trip(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct profile_opts o;
	struct profile p, q;
	struct xp_error err;
	const char *in[1];
	char *path, *a, *b;
	int i;

	(void)state;
	strbuf_adds(&sb, "x,c,m\n");
	for (i = 0; i < 3000; i++)
		strbuf_addf(&sb, "%d.5,%c,%s\n", (i * 31) % 1000, "abc"[i % 3], i % 4 ? "1" : "");
	path = tmpfile_with("xp-profile.csv", sb.buf);
	profile_opts_init(&o);
	in[0] = path;
	o.inputs = in;
	o.n_inputs = 1;
	o.sample = 100;
	o.seed = 7;
	xp_error_clear(&err);
	assert_int_equal(profile_build(&o, &p, &err), 0);
	a = profile_to_json(&p);
	assert_int_equal(profile_load_buf(a, strlen(a), "p.json", &q, &err), 0);
	b = profile_to_json(&q);
	assert_string_equal(a, b);
	assert_int_equal(profile_col(&q, "c")->type, PROF_CATEGORICAL);
	assert_true(profile_col(&q, "m")->missing == 750);
	assert_true(profile_col(&q, "x")->nsample == 100);
	free(a);
	free(b);
	profile_release(&p);
	profile_release(&q);
	unlink(path);
	free(path);
	strbuf_release(&sb);
}

static void load_errors_have_positions(void **state)
{
	static const struct {
		const char *json, *want;
	} cases[] = {
		{"[1]", "1:1: profile: expected a JSON object"},
		{"{\"xpship_profile\": 1, \"rows\": -1}", "1:31: rows: expected a non-negative integer"},
		{"{\"xpship_profile\": 1, \"rows\": 1, \"options\": {\"bins\": 0, \"top_k\": 1, "
		 "\"sketch_k\": 200, \"sample\": 0, \"seed\": 0}, \"columns\": {}}",
		 "1:45: options: bins and top_k must be at least 1, sketch_k at least 8"},
		{"{\"xpship_profile\": 1, \"rows\": 1, \"options\": {\"bins\": 2, \"top_k\": 1, "
		 "\"sketch_k\": 200, \"sample\": 0, \"seed\": 0}, \"columns\": {\"c\": {\"type\": "
		 "\"categorical\", \"count\": 1, \"missing\": 0, \"top\": [[\"a\", 1], [\"b\", 1]], "
		 "\"other\": 0}}}",
		 "1:185: top: expected a list of at most top_k [value, count] pairs"},
	};
	struct profile p;
	struct xp_error err;
	char got[1200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		xp_error_clear(&err);
		assert_int_equal(profile_load_buf(cases[i].json, strlen(cases[i].json), "p.json", &p,
						  &err), -1);
		assert_int_equal(err.cls, XP_ERR_MALFORMED);
		snprintf(got, sizeof(got), "%u:%u: %s", err.line, err.col, err.msg);
		assert_string_equal(got, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kll_exact_then_bounded),
		cmocka_unit_test(topk_counts_and_evicts),
		cmocka_unit_test(json_round_trip),
		cmocka_unit_test(load_errors_have_positions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
