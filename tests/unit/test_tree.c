/* test_tree.c — walking pack inputs (packager/tree.c): order, modes, implied
 * directories, link checks, special files, clashes and file names. */
#include "tests/unit/test_common.h"
#define TMP_FIXTURE_TAG "tree"
#include "tests/unit/test_tmp.h"
#include "cmd/exitcode.h"
#include "common/strbuf.h"
#include "packager/tree.h"

#include <sys/stat.h>

static char *at(const char *rel)
{
	return xasprintf("%s/%s", tmp_fixture, rel);
}

static void mk(const char *rel, const char *content, mode_t mode)
{
	char *p = at(rel);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	chmod(p, mode);
	free(p);
}

static void mkd(const char *rel)
{
	char *p = at(rel);

	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
}

static void mkl(const char *target, const char *rel)
{
	char *p = at(rel);

	assert_int_equal(symlink(target, p), 0);
	free(p);
}

static int scan(const char *rel, const char *dest, struct tree *t, struct xp_error *err)
{
	char *src = at(rel);
	struct tree_input in = {src, dest};
	int ret = tree_scan(&in, 1, t, err);

	free(src);
	return ret;
}

static void test_order_modes_implied(void **state)
{
	/* bytewise order ('-' < '.' < '/'): a directory precedes its contents */
	static const struct {
		const char *name;
		enum tree_type type;
		unsigned mode;
		uint64_t size;
		int implied;
	} want[] = {
		{"models", TREE_DIR, 0755, 0, 1},
		{"models/m", TREE_DIR, 0755, 0, 0},
		{"models/m/a", TREE_DIR, 0755, 0, 0},
		{"models/m/a-b", TREE_FILE, 0644, 1, 0},
		{"models/m/a.txt", TREE_FILE, 0755, 2, 0},
		{"models/m/a/link", TREE_LINK, 0777, 0, 0},
		{"models/m/a/z", TREE_FILE, 0644, 3, 0},
	};
	struct tree t;
	struct xp_error err;
	size_t i;

	(void)state;
	mkd("m");
	mkd("m/a");
	mk("m/a-b", "1", 0600);
	mk("m/a.txt", "22", 0700);
	mk("m/a/z", "333", 0444);
	mkl("../a.txt", "m/a/link");
	assert_int_equal(scan("m", "models/m", &t, &err), 0);
	assert_int_equal(t.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < t.n; i++) {
		assert_string_equal(t.v[i].name, want[i].name);
		assert_int_equal(t.v[i].type, want[i].type);
		assert_int_equal(t.v[i].mode, want[i].mode);
		assert_int_equal(t.v[i].size, want[i].size);
		assert_int_equal(t.v[i].implied, want[i].implied);
	}
	assert_string_equal(t.v[5].link, "../a.txt");
	tree_release(&t);
}

static void test_links(void **state)
{
	static const struct { const char *target; int ok; } cases[] = {
		{"x", 1}, {"./x", 1}, {"sub/x", 1}, {"..", 1}, {"../x", 1}, {"../sub/x", 1},
		{"../..", 0}, {"../../x", 0}, {"/etc/passwd", 0}, {"sub/../../x", 0},
		{"sub/../x", 0}, {"", 0},
	};
	size_t i;

	(void)state;
	mkd("r");
	mkd("r/d");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tree t;
		struct xp_error err;
		int ret;

		if (!*cases[i].target)
			continue; /* symlink(2) refuses an empty target */
		mkl(cases[i].target, "r/d/l");
		ret = scan("r", "r", &t, &err);
		if (cases[i].ok) {
			if (ret)
				fail_msg("'%s': %s", cases[i].target, err.msg);
			tree_release(&t);
		} else {
			if (!ret)
				fail_msg("'%s' accepted", cases[i].target);
			assert_int_equal(err.cls, XP_ERR_USAGE);
			assert_non_null(strstr(err.msg, "is outside the input"));
		}
		{
			char *p = at("r/d/l");

			unlink(p);
			free(p);
		}
	}
}

static void test_input_link_followed(void **state)
{
	struct tree t;
	struct xp_error err;

	(void)state;
	mk("real.bin", "abc", 0644);
	mkl("real.bin", "alias");
	assert_int_equal(scan("alias", "models/alias", &t, &err), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.v[1].type, TREE_FILE);
	assert_int_equal(t.v[1].size, 3);
	assert_true(t.v[1].input);
	tree_release(&t);
}

static void test_clashes(void **state)
{
	struct tree_input in[2];
	struct tree t;
	struct xp_error err;
	char *a, *b;

	(void)state;
	mk("f", "1", 0644);
	mkd("d");
	mk("d/x", "1", 0644);
	a = at("f");
	b = at("d");
	/* the same landing path twice */
	in[0].src = a;
	in[0].dest = "m/f";
	in[1].src = a;
	in[1].dest = "m/f";
	assert_int_equal(tree_scan(in, 2, &t, &err), -1);
	assert_string_equal(err.msg, "two inputs land at '/m/f' in the bundle");
	/* a file where a directory must be */
	in[1].src = b;
	in[1].dest = "m/f/d";
	assert_int_equal(tree_scan(in, 2, &t, &err), -1);
	assert_string_equal(err.msg, "'/m/f' in the bundle would be both a directory and a file");
	/* an implied directory merges with a real one */
	in[0].src = b;
	in[0].dest = "m/d";
	in[1].src = a;
	in[1].dest = "m/d/.xpship/f";
	assert_int_equal(tree_scan(in, 2, &t, &err), 0);
	assert_int_equal(t.n, 5);
	assert_string_equal(t.v[1].name, "m/d");
	assert_false(t.v[1].implied);
	assert_string_equal(t.v[2].name, "m/d/.xpship");
	assert_true(t.v[2].implied);
	tree_release(&t);
	free(a);
	free(b);
}

static void test_special_and_missing(void **state)
{
	struct tree t;
	struct xp_error err;
	char *p;

	(void)state;
	mkd("s");
	p = at("s/fifo");
	assert_int_equal(mkfifo(p, 0600), 0);
	free(p);
	assert_int_equal(scan("s", "s", &t, &err), -1);
	assert_int_equal(err.cls, XP_ERR_USAGE);
	assert_non_null(strstr(err.msg, "(a FIFO)"));
	assert_int_equal(scan("nothing", "n", &t, &err), -1);
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	assert_non_null(strstr(err.msg, "No such file or directory"));
	mk("ok", "1", 0644);
	assert_int_equal(scan("ok", "/abs", &t, &err), -1);
	assert_int_equal(err.cls, XP_ERR_USAGE);
	assert_int_equal(scan("ok", "bad\xff" "name", &t, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	assert_non_null(strstr(err.msg, "not valid UTF-8"));
}

/* UTF-8 names are kept byte for byte (two normal forms of one letter are two
 * entries, in byte order); names and link targets that are not UTF-8 are
 * malformed input, quoted in the message. */
static void test_names(void **state)
{
	static const char *const want[] = {
		"m", "m/e\xcc\x81", "m/link", "m/\xc3\xa9",
		"m/\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\xa4\x96.bin",
	};
	struct tree t;
	struct xp_error err;
	char *src, *msg;
	size_t i;

	(void)state;
	mkd("m");
	mk("m/\xc3\xa9", "nfc", 0644);
	mk("m/e\xcc\x81", "nfd", 0644);
	mk("m/\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\xa4\x96.bin", "cjk", 0644);
	mkl("e\xcc\x81", "m/link");
	assert_int_equal(scan("m", "m", &t, &err), 0);
	assert_int_equal(t.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < t.n; i++)
		assert_string_equal(t.v[i].name, want[i]);
	assert_string_equal(t.v[2].link, "e\xcc\x81");
	tree_release(&t);

	mk("m/caf\xe9.txt", "latin-1", 0644);
	assert_int_equal(scan("m", "m", &t, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	src = at("m/caf\\xe9.txt");
	msg = xasprintf("cannot pack '%s': its name is not valid UTF-8", src);
	assert_string_equal(err.msg, msg);
	free(msg);
	free(src);
	src = at("m/caf\xe9.txt");
	assert_int_equal(unlink(src), 0);
	free(src);

	mkl("caf\xe9", "m/bad-link");
	assert_int_equal(scan("m", "m", &t, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	src = at("m/bad-link");
	msg = xasprintf("cannot pack link '%s': its target 'caf\\xe9' is not valid UTF-8", src);
	assert_string_equal(err.msg, msg);
	free(msg);
	free(src);
}

static void test_helpers(void **state)
{
	(void)state;
	assert_true(tree_is_ancestor("a", "a/b"));
	assert_true(tree_is_ancestor("a/b", "a/b/c"));
	assert_false(tree_is_ancestor("a", "a"));
	assert_false(tree_is_ancestor("a", "ab/c"));
	assert_string_equal(tree_basename("a/b/c.bin"), "c.bin");
	assert_string_equal(tree_basename("c.bin"), "c.bin");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order_modes_implied, tmp_fixture_setup, tmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_links, tmp_fixture_setup, tmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_input_link_followed, tmp_fixture_setup, tmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_clashes, tmp_fixture_setup, tmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_special_and_missing, tmp_fixture_setup, tmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_names, tmp_fixture_setup, tmp_fixture_teardown),
		cmocka_unit_test(test_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
