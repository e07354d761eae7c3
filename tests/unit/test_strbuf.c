/* test_strbuf.c — growable buffer (common/strbuf.c). */
#include "tests/unit/test_common.h"
#include "common/strbuf.h"

#include <malloc.h>

static void grows_and_terminates(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	(void)state;
	assert_string_equal(sb.buf, "");
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i % 10);
	assert_int_equal(sb.len, 2000);
	assert_int_equal(sb.buf[sb.len], '\0');
	assert_memory_equal(sb.buf, "0,1,2,", 6);
	strbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

static void binary_data_and_detach(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	char *p;

	(void)state;
	strbuf_add(&sb, "a\0b", 3);
	strbuf_addc(&sb, 'c');
	p = strbuf_detach(&sb, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(p, "a\0bc", 5);
	assert_int_equal(sb.len, 0);
	free(p);
	p = strbuf_detach(&sb, &len); /* an empty buffer detaches as "" */
	assert_string_equal(p, "");
	free(p);
}

static void asprintf_and_dup(void **state)
{
	char *s = xasprintf("%s-%03d", "x", 7);
	char *t = xstrndup("abcdef", 3);

	(void)state;
	assert_string_equal(s, "x-007");
	assert_string_equal(t, "abc");
	free(s);
	free(t);
}

/* xwipe zeroes the whole block, not only the bytes asked for */
static void wipe_whole_block(void **state)
{
	size_t i, n = 100;
	unsigned char *p = xmalloc(n);

	(void)state;
	memset(p, 'A', malloc_usable_size(p));
	xwipe(p);
	for (i = 0; i < malloc_usable_size(p); i++)
		assert_int_equal(p[i], 0);
	xwipe(NULL);
	xfree_wiped(p);
	xfree_wiped(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows_and_terminates),
		cmocka_unit_test(binary_data_and_detach),
		cmocka_unit_test(asprintf_and_dup),
		cmocka_unit_test(wipe_whole_block),
	};
	return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}
