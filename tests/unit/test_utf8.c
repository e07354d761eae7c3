/* test_utf8.c — the strict UTF-8 check and quoting (common/utf8.c): every
 * boundary of RFC 3629's table, both normal forms of one letter, and the
 * printable form of names that fail. */
#include "tests/unit/test_common.h"
#include "common/utf8.h"

static void valid_and_invalid(void **state)
{
	static const struct {
		const char *s;
		int ok;
	} v[] = {
		{"", 1},
		{"plain ascii.txt", 1},
		{"\xc3\xa9", 1},                    /* é, NFC */
		{"e\xcc\x81", 1},                   /* e + U+0301, NFD */
		{"\xe6\x97\xa5\xe6\x9c\xac", 1},    /* 日本 */
		{"\xd0\xbc\xd0\xbe", 1},            /* мо */
		{"\xd9\x86", 1},                    /* ن */
		{"\xf0\x9f\xa4\x96", 1},            /* 🤖 U+1F916 */
		{"\xc2\x80", 1},                    /* U+0080, first 2-byte */
		{"\xdf\xbf", 1},                    /* U+07FF */
		{"\xe0\xa0\x80", 1},                /* U+0800, first 3-byte */
		{"\xed\x9f\xbf", 1},                /* U+D7FF, before the surrogates */
		{"\xee\x80\x80", 1},                /* U+E000, after them */
		{"\xef\xbf\xbf", 1},                /* U+FFFF */
		{"\xf0\x90\x80\x80", 1},            /* U+10000, first 4-byte */
		{"\xf4\x8f\xbf\xbf", 1},            /* U+10FFFF, the last */
		{"caf\xe9", 0},                     /* Latin-1 */
		{"\x80", 0},                        /* a lone continuation byte */
		{"\xbf", 0},
		{"\xc0\xaf", 0},                    /* overlong '/' */
		{"\xc1\xbf", 0},                    /* overlong */
		{"\xe0\x80\xaf", 0},                /* overlong, 3 bytes */
		{"\xe0\x9f\xbf", 0},                /* overlong U+07FF */
		{"\xf0\x80\x80\xaf", 0},            /* overlong, 4 bytes */
		{"\xf0\x8f\xbf\xbf", 0},            /* overlong U+FFFF */
		{"\xed\xa0\x80", 0},                /* U+D800, a surrogate */
		{"\xed\xbf\xbf", 0},                /* U+DFFF */
		{"\xed\xa0\xbd\xed\xb2\xa9", 0},    /* a CESU-8 surrogate pair */
		{"\xf4\x90\x80\x80", 0},            /* U+110000 */
		{"\xf5\x80\x80\x80", 0},
		{"\xff", 0},
		{"\xfe\xff", 0},
		{"\xe6\x97", 0},                    /* truncated at the end */
		{"\xe6\x97x", 0},                   /* truncated in the middle */
		{"\xf0\x9f\xa4", 0},
		{"ok\xc3", 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (utf8_valid(v[i].s) != v[i].ok)
			fail_msg("case %zu: utf8_valid gave %d", i, !v[i].ok);
	}
}

static void sequence_lengths(void **state)
{
	(void)state;
	assert_int_equal(utf8_seq_len(""), 0);
	assert_int_equal(utf8_seq_len("a"), 1);
	assert_int_equal(utf8_seq_len("\xc3\xa9x"), 2);
	assert_int_equal(utf8_seq_len("\xe6\x97\xa5"), 3);
	assert_int_equal(utf8_seq_len("\xf0\x9f\xa4\x96"), 4);
	assert_int_equal(utf8_seq_len("\xe6\x97"), 0);
	assert_int_equal(utf8_seq_len("\xed\xa0\x80"), 0);
}

static void non_ascii(void **state)
{
	(void)state;
	assert_false(utf8_has_non_ascii(""));
	assert_false(utf8_has_non_ascii("models/config.json"));
	assert_true(utf8_has_non_ascii("models/\xc3\xa9"));
	assert_true(utf8_has_non_ascii("\xff"));
}

static void quoting(void **state)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{"", ""},
		{"plain.txt", "plain.txt"},
		{"dir/caf\xc3\xa9 \xe6\x97\xa5.bin", "dir/caf\xc3\xa9 \xe6\x97\xa5.bin"},
		{"caf\xe9.txt", "caf\\xe9.txt"},
		{"top\xff", "top\\xff"},
		{"\xed\xa0\x80", "\\xed\\xa0\\x80"},
		{"\xe6\x97" "x", "\\xe6\\x97x"},
		{"a\\xe9", "a\\\\xe9"},             /* a literal backslash stays apart */
		{"line\nbreak\t\x7f", "line\\x0abreak\\x09\\x7f"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *q = utf8_quote(v[i].in);

		assert_string_equal(q, v[i].out);
		assert_true(utf8_valid(q));
		free(q);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_and_invalid),
		cmocka_unit_test(sequence_lengths),
		cmocka_unit_test(non_ascii),
		cmocka_unit_test(quoting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
