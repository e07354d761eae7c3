/* test_suggest.c — edit distance and "did you mean" (common/suggest.c). */
#include "tests/unit/test_common.h"
#include "common/suggest.h"

static void distances(void **state)
{
	static const struct {
		const char *a, *b;
		size_t d;
	} v[] = {
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "abd", 1}, {"abc", "acb", 1},
		{"kitten", "sitting", 3}, {"", "abc", 3}, {"validate", "valdiate", 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_int_equal(suggest_distance(v[i].a, v[i].b), v[i].d);
}

static void closest(void **state)
{
	static const char *const cmds[] = {"validate", "gate", "pack", "push", "pull",
					   "promote", NULL};
	static const char *const keys[] = {"learning_rate", "batch_size", "epochs", NULL};

	(void)state;
	assert_string_equal(suggest_closest("valdate", cmds, (size_t)-1), "validate");
	assert_string_equal(suggest_closest("gat", cmds, (size_t)-1), "gate");
	assert_string_equal(suggest_closest("prom", cmds, (size_t)-1), "promote");
	assert_null(suggest_closest("pu", cmds, (size_t)-1)); /* too short to guess */
	assert_null(suggest_closest("xyzzy", cmds, (size_t)-1));
	assert_string_equal(suggest_closest("learning_rat", keys, 3), "learning_rate");
	assert_string_equal(suggest_closest("epoch", keys, (size_t)-1), "epochs");
	assert_null(suggest_closest("lr", keys, (size_t)-1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(distances),
		cmocka_unit_test(closest),
	};
	return cmocka_run_group_tests_name("suggest", tests, NULL, NULL);
}
