/*
 * test_doc.c — positioned YAML/JSON loading (common/doc.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/doc.h"
#include "cmd/exitcode.h"

static struct doc *load(const char *text, const char *name, struct xp_error *err)
{
	struct doc *d = NULL;

	xp_error_clear(err);
	if (doc_load_buf(text, strlen(text), name, DOC_AUTO, &d, err))
		return NULL;
	return d;
}

static void positions_of_every_node(void **state)
{
	struct xp_error err;
	struct doc *d = load("a: 1\nb:\n  - x\n  - {c: true}\n", "t.yaml", &err);
	const struct doc_node *b, *c;

	(void)state;
	assert_non_null(d);
	assert_int_equal(d->root->type, DOC_MAP);
	assert_int_equal(d->root->n, 2);
	assert_int_equal(doc_get(d->root, "a")->line, 1);
	assert_int_equal(doc_get(d->root, "a")->col, 4);
	b = doc_get(d->root, "b");
	assert_int_equal(b->type, DOC_SEQ);
	assert_int_equal(b->items[0]->line, 3);
	assert_int_equal(b->items[0]->col, 5);
	c = doc_get(b->items[1], "c");
	assert_non_null(c);
	assert_int_equal(c->kind, DOC_BOOL);
	assert_int_equal(c->line, 4);
	assert_int_equal(c->col, 9);
	assert_int_equal(doc_get_key(d->root, "b")->line, 2);
	doc_free(d);
}

struct kind_case {
	const char *text;
	enum doc_kind kind;
};

static void core_schema_typing(void **state)
{
	static const struct kind_case cases[] = {
		{"v: 12", DOC_INT}, {"v: -3", DOC_INT}, {"v: 0x1F", DOC_INT},
		{"v: 0o17", DOC_INT}, {"v: 1.5", DOC_FLOAT}, {"v: .5", DOC_FLOAT},
		{"v: 1e-3", DOC_FLOAT}, {"v: -.inf", DOC_FLOAT}, {"v: .nan", DOC_FLOAT},
		{"v: true", DOC_BOOL}, {"v: FALSE", DOC_BOOL}, {"v: yes", DOC_STR},
		{"v: null", DOC_NULL}, {"v: ~", DOC_NULL}, {"v:", DOC_NULL},
		{"v: '12'", DOC_STR}, {"v: \"true\"", DOC_STR}, {"v: !!str 12", DOC_STR},
		{"v: 1.2.3", DOC_STR}, {"v: 0x", DOC_STR}, {"v: e5", DOC_STR},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct xp_error err;
		struct doc *d = load(cases[i].text, "k.yaml", &err);

		assert_non_null(d);
		if (doc_get(d->root, "v")->kind != cases[i].kind)
			fail_msg("%s: kind %d, want %d", cases[i].text,
				 doc_get(d->root, "v")->kind, cases[i].kind);
		doc_free(d);
	}
}

struct num_case {
	const char *text;
	int ok;
	double want;
};

static void numbers_are_finite(void **state)
{
	static const struct num_case cases[] = {
		{"v: 0.25", 0, 0.25}, {"v: -7", 0, -7}, {"v: 0x10", 0, 16}, {"v: 1e3", 0, 1000},
		{"v: .inf", -1, 0}, {"v: .nan", -1, 0}, {"v: 1e999", -1, 0}, {"v: '1'", -1, 0},
		{"v: true", -1, 0}, {"v: [1]", -1, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct xp_error err;
		struct doc *d = load(cases[i].text, "n.yaml", &err);
		double v = -1;

		assert_non_null(d);
		if (doc_number(doc_get(d->root, "v"), &v) != cases[i].ok)
			fail_msg("%s: unexpected result", cases[i].text);
		if (cases[i].ok == 0 && v != cases[i].want)
			fail_msg("%s: got %g", cases[i].text, v);
		doc_free(d);
	}
}

struct err_case {
	const char *name, *text;
	unsigned line, col;
	const char *msg;
};

static void errors_carry_positions(void **state)
{
	static const struct err_case cases[] = {
		{"d.yaml", "a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first defined at line 1)"},
		{"d.yaml", "x:\n  k: 1\n  k: 2\n", 3, 3, "duplicate key 'k' (first defined at line 2)"},
		{"s.yaml", "a: [1, 2\n", 2, 1, "did not find expected ',' or ']' while parsing a flow sequence"},
		{"s.yaml", "a: b: c\n", 1, 5, "mapping values are not allowed in this context"},
		{"u.yaml", "a: *nope\n", 1, 4, "unknown anchor 'nope'"},
		{"m.yaml", "a: 1\n---\nb: 2\n", 2, 1, "expected a single document, found another"},
		{"k.yaml", "? [1, 2]\n: v\n", 1, 3, "a mapping key must be a scalar"},
		{"j.json", "{\"a\": 1, \"a\": 2}", 1, 12, "duplicate object key near '\"a\"'"},
		{"j.json", "{\"a\": }", 1, 7, "unexpected token near '}'"},
		{"j.json", "{\"a\": NaN}", 1, 9, "invalid token near 'NaN'"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct xp_error err;
		struct doc *d = load(cases[i].text, cases[i].name, &err);

		if (d)
			fail_msg("case %zu loaded", i);
		assert_int_equal(err.cls, XP_ERR_MALFORMED);
		assert_string_equal(err.file, cases[i].name);
		if (err.line != cases[i].line || err.col != cases[i].col ||
		    strcmp(err.msg, cases[i].msg) != 0)
			fail_msg("case %zu: %u:%u %s", i, err.line, err.col, err.msg);
	}
}

static void json_positions(void **state)
{
	struct xp_error err;
	struct doc *d = load("{\n  \"acc\": 0.9,\n  \"lat\": {\"p95\": 12}\n}\n", "m.json", &err);
	const struct doc_node *p95;

	(void)state;
	assert_non_null(d);
	p95 = doc_get(doc_get(d->root, "lat"), "p95");
	assert_non_null(p95);
	assert_int_equal(p95->kind, DOC_INT);
	assert_int_equal(p95->line, 3);
	assert_int_equal(p95->col, 18);
	assert_int_equal(doc_get(d->root, "acc")->col, 10);
	doc_free(d);
}

static void alias_bomb_is_bounded(void **state)
{
	struct xp_error err;
	char text[2048];
	size_t off = 0;
	int i;
	struct doc *d;

	(void)state;
	off += (size_t)snprintf(text + off, sizeof(text) - off, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (i = 1; i < 9; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
					"a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n",
					i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	d = load(text, "bomb.yaml", &err);
	assert_null(d);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	assert_non_null(strstr(err.msg, "after alias expansion"));
}

static void deep_nesting_is_refused(void **state)
{
	struct xp_error err;
	char text[1024];
	struct doc *d;

	(void)state;
	memset(text, '[', 600);
	text[600] = '\0';
	d = load(text, "deep.yaml", &err);
	assert_null(d);
	assert_non_null(strstr(err.msg, "nesting deeper than"));
}

static void large_map_duplicate_found(void **state)
{
	char *text = malloc(20000 * 16);
	size_t off = 0;
	struct xp_error err;
	struct doc *d;
	int i;

	(void)state;
	for (i = 0; i < 20000; i++)
		off += (size_t)snprintf(text + off, 20000 * 16 - off, "k%d: %d\n", i, i);
	snprintf(text + off, 20000 * 16 - off, "k19999: 1\n");
	d = load(text, "big.yaml", &err);
	assert_null(d);
	assert_int_equal(err.line, 20001);
	free(text);
}

static void missing_file_is_system_error(void **state)
{
	struct xp_error err;
	struct doc *d = NULL;

	(void)state;
	assert_int_equal(doc_load_file("/nonexistent/x.yaml", DOC_AUTO, DOC_MAX_SIZE, NULL, &d, &err), -1);
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	assert_string_equal(err.msg, "cannot open '/nonexistent/x.yaml': No such file or directory");
}

/* A file past the cap is refused before it is parsed (no unbounded growth on
 * /dev/zero); the digest is of exactly the bytes parsed. */
static void files_are_capped_and_hashed(void **state)
{
	static const char text[] = "a: 1\nb: [2, 3]\n";
	char want[XP_DIGEST_SIZE], got[XP_DIGEST_SIZE];
	struct xp_error err;
	struct doc *d = NULL;
	FILE *f = fopen("capped.yaml", "w");

	(void)state;
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(doc_load_file("capped.yaml", DOC_AUTO, sizeof(text) - 2, got, &d, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	assert_string_equal(err.msg, "cannot read 'capped.yaml': larger than 14 bytes");
	assert_null(d);
	assert_int_equal(doc_load_file("capped.yaml", DOC_AUTO, sizeof(text) - 1, got, &d, &err), 0);
	digest_buf(text, sizeof(text) - 1, want);
	assert_string_equal(got, want);
	assert_int_equal(doc_get(d->root, "b")->n, 2);
	doc_free(d);
	assert_int_equal(doc_load_file("/dev/zero", DOC_AUTO, 1 << 20, NULL, &d, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(positions_of_every_node),
		cmocka_unit_test(core_schema_typing),
		cmocka_unit_test(numbers_are_finite),
		cmocka_unit_test(errors_carry_positions),
		cmocka_unit_test(json_positions),
		cmocka_unit_test(alias_bomb_is_bounded),
		cmocka_unit_test(deep_nesting_is_refused),
		cmocka_unit_test(large_map_duplicate_found),
		cmocka_unit_test(missing_file_is_system_error),
		cmocka_unit_test(files_are_capped_and_hashed),
	};
	return cmocka_run_group_tests_name("doc", tests, NULL, NULL);
}
