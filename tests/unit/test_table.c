/* test_table.c — streaming CSV/TSV/JSON Lines reader (common/table.c). */
#include "tests/unit/test_common.h"
#include "common/strbuf.h"
#include "common/table.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <math.h>

/* Every row of `in` as "f1|f2|...\n" over the columns `cols` ("a,b"), or the
 * error as "line:col: message". */
static char *render(const char *in, size_t len, const char *name, const char *cols,
		    enum table_format fmt)
{
	struct table_opts o = {fmt, 0};
	struct strbuf sb = STRBUF_INIT;
	struct xp_error err;
	struct table *t;
	size_t idx[16], n = 0, i;
	char *list = xstrdup(cols), *p = list, *c;
	int r;

	xp_error_clear(&err);
	if (table_open_buf(in, len, name, &o, &t, &err))
		goto fail;
	while ((c = p) != NULL) {
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
		if (table_column(t, c, &idx[n++], &err)) {
			table_free(t);
			goto fail;
		}
	}
	while ((r = table_next(t, &err)) == 1) {
		for (i = 0; i < n; i++) {
			const char *f = table_field(t, idx[i], NULL);

			strbuf_addf(&sb, "%s%s", i ? "|" : "", f ? f : "<missing>");
		}
		strbuf_addc(&sb, '\n');
	}
	table_free(t);
	if (r < 0)
		goto fail;
	free(list);
	return strbuf_detach(&sb, NULL);
fail:
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	assert_string_equal(err.file, name);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%u:%u: %s", err.line, err.col, err.msg);
	free(list);
	return strbuf_detach(&sb, NULL);
}

struct tcase {
	const char *in;
	const char *cols;
	const char *want;
};

static void run_cases(const struct tcase *cases, size_t n, const char *name,
		      enum table_format fmt)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *got = render(cases[i].in, strlen(cases[i].in), name, cases[i].cols, fmt);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: %s\n  want: %s\n  got:  %s", i, cases[i].in,
				 cases[i].want, got);
		free(got);
	}
}

static void csv_rfc4180(void **state)
{
	static const struct tcase cases[] = {
		{"a,b\n1,2\n3,4\n", "a,b", "1|2\n3|4\n"},
		{"a,b\r\n1,2\r\n", "b,a", "2|1\n"},
		{"a,b\n1,2", "a,b", "1|2\n"},                      /* no final line end */
		{"\xEF\xBB\xBF" "a,b\n1,2\n", "a", "1\n"},           /* BOM */
		{"a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", "a,b", "x,y|say \"hi\"\n"},
		{"a,b\n\"two\nlines\",2\n", "a,b", "two\nlines|2\n"},
		{"a,b\n\n1,2\n\r\n3,4\n\n", "a,b", "1|2\n3|4\n"},    /* empty lines */
		{"a,b\n,\n\"\",x\n", "a,b", "|\n|x\n"},              /* empty fields */
		{"a\n\"\"\n", "a", "\n"},                           /* quoted empty is a row */
		{"a,b\n", "a", ""},                                 /* header only */
	};

	(void)state;
	run_cases(cases, sizeof(cases) / sizeof(cases[0]), "t.csv", TABLE_AUTO);
}

static void csv_errors_have_positions(void **state)
{
	static const struct tcase cases[] = {
		{"a,b\n1,2,3\n", "a", "2:5: ragged row: more than the header's 2 fields"},
		{"a,b\n1,2\n1\n", "a", "3:2: ragged row: 1 field, the header has 2"},
		{"a,b,c\r\n1,2\r\n", "a", "2:4: ragged row: 2 fields, the header has 3"},
		{"a,b\n1,x\"y\n", "a",
		 "2:4: '\"' inside an unquoted field (quote the whole field and double the quote)"},
		{"a,b\n1,\"x\"y\n", "a", "2:6: unexpected 'y' after a closing quote"},
		{"a,b\n1,2\n3,\"open\n\n", "a",
		 "3:3: quoted field not closed before the end of the input"},
		{"a,b\n1,2\r3,4\n", "a", "2:4: carriage return not followed by a line feed"},
		{"a,b\n1,\0002\n", "a", "2:3: NUL byte"},
		{"a,b,a\n", "a", "1:5: column 'a' appears twice in the header"},
		{"", "a", "1:1: empty input: no header row"},
		{"\n\n", "a", "1:1: empty input: no header row"},
		{"a,b\n1,2\n", "c", "1:1: no column 'c' in the header ('a', 'b')"},
	};
	size_t i;

	(void)state;
	/* the NUL case needs its length: render it by hand */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = i == 7 ? 9 : strlen(cases[i].in);
		char *got = render(cases[i].in, len, "t.csv", cases[i].cols, TABLE_AUTO);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu:\n  want: %s\n  got:  %s", i, cases[i].want, got);
		free(got);
	}
}

static void tsv_has_no_quoting(void **state)
{
	static const struct tcase cases[] = {
		{"a\tb\n\"x\"\ty,z\n", "a,b", "\"x\"|y,z\n"},
		{"a\tb\r\n1\t2\r\n", "b", "2\n"},
		{"a\tb\n1\n", "a", "2:2: ragged row: 1 field, the header has 2"},
	};

	(void)state;
	run_cases(cases, sizeof(cases) / sizeof(cases[0]), "t.tsv", TABLE_AUTO);
}

static void custom_delimiter(void **state)
{
	struct table_opts o = {TABLE_CSV, ';'};
	struct xp_error err;
	struct table *t;
	size_t a, b;
	const char *in = "a;b\n\"1;5\";2,5\n";

	(void)state;
	assert_int_equal(table_open_buf(in, strlen(in), "x.txt", &o, &t, &err), 0);
	assert_int_equal(table_column(t, "a", &a, &err), 0);
	assert_int_equal(table_column(t, "b", &b, &err), 0);
	assert_int_equal(table_next(t, &err), 1);
	assert_string_equal(table_field(t, a, NULL), "1;5");
	assert_string_equal(table_field(t, b, NULL), "2,5");
	assert_int_equal(table_next(t, &err), 0);
	table_free(t);
}

static void json_lines(void **state)
{
	static const struct tcase cases[] = {
		{"{\"a\":1,\"b\":\"x\"}\n\n{\"b\":null,\"a\":0.1}\r\n{\"a\":true}", "a,b",
		 "1|x\n0.10000000000000001|<missing>\ntrue|<missing>\n"},
		{"{\"a\":1}\n{\"a\":}\n", "a", "2:6: unexpected token near '}'"},
		{"{\"a\":1}\n[1]\n", "a", "2:1: a JSON Lines row must be an object"},
		{"{\"a\":{\"x\":1}}\n", "a", "1:1: column 'a': expected a scalar, found an object"},
		{"{\"a\":1,\"a\":2}\n", "a", "1:10: duplicate object key near '\"a\"'"},
		{"", "a", ""},
	};

	(void)state;
	run_cases(cases, sizeof(cases) / sizeof(cases[0]), "t.jsonl", TABLE_AUTO);
}

static void numbers(void **state)
{
	const char *in = "x\n1e3\n-0.25\n\n abc\n1 \nnan\ninf\n1e999\n\"\"\n0x10\n";
	static const char *const want[] = {
		NULL, NULL,
		"t.csv:5:1: column 'x': ' abc' is not a number",
		"t.csv:6:1: column 'x': '1 ' is not a number",
		"t.csv:7:1: column 'x': 'nan' is not a number",
		"t.csv:8:1: column 'x': 'inf' is not a number",
		"t.csv:9:1: column 'x': '1e999' is not a finite number",
		"t.csv:10:1: column 'x': missing value",
		"t.csv:11:1: column 'x': '0x10' is not a number",
	};
	struct xp_error err;
	struct table *t;
	size_t x, i = 0;
	double v;
	char got[2048];

	(void)state;
	assert_int_equal(table_open_buf(in, strlen(in), "t.csv", NULL, &t, &err), 0);
	assert_int_equal(table_column(t, "x", &x, &err), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(table_next(t, &err), 1);
		if (!want[i]) {
			assert_int_equal(table_number(t, x, &v, &err), 0);
			assert_true(v == (i == 0 ? 1000.0 : -0.25));
			continue;
		}
		assert_int_equal(table_number(t, x, &v, &err), -1);
		snprintf(got, sizeof(got), "%s:%u:%u: %s", err.file, err.line, err.col, err.msg);
		assert_string_equal(got, want[i]);
	}
	table_free(t);
}

/* table_number on generated decimals of every shape (signs, 0-10 digits on
 * each side of the point, junk after them), in every field position: the
 * same double, bit for bit, as strtod gives under table_number's rule
 * (decimal characters only, all of them read, finite), and the same refusals. */
static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

static void numbers_match_strtod(void **state)
{
	static const char junk[] = "e.x -+E";
	struct strbuf in = STRBUF_INIT;
	struct xp_error err;
	struct table *t;
	uint64_t seed = 42;
	size_t col[3], i, j, rows = 60000, ok = 0;
	char **want = xcalloc(rows * 3, sizeof(*want));

	(void)state;
	strbuf_adds(&in, "a,b,c\n");
	for (i = 0; i < rows * 3; i++) {
		struct strbuf f = STRBUF_INIT;
		unsigned r = (unsigned)lcg(&seed), nd = r % 11, nf = (r >> 4) % 11;

		if ((r >> 8) % 3 == 0)
			strbuf_addc(&f, (r >> 10) & 1 ? '-' : '+');
		for (j = 0; j < nd; j++)
			strbuf_addc(&f, (char)('0' + lcg(&seed) % 10));
		if ((r >> 12) % 4)
			strbuf_addc(&f, '.');
		for (j = 0; (r >> 12) % 4 && j < nf; j++)
			strbuf_addc(&f, (char)('0' + lcg(&seed) % 10));
		if ((r >> 14) % 16 == 0)
			strbuf_addc(&f, junk[(r >> 18) % (sizeof(junk) - 1)]);
		if (f.len == 0)
			strbuf_addc(&f, '7');
		want[i] = strbuf_detach(&f, NULL);
		strbuf_addf(&in, "%s%s", want[i], i % 3 == 2 ? "\n" : ",");
	}
	assert_int_equal(table_open_buf(in.buf, in.len, "n.csv", NULL, &t, &err), 0);
	for (j = 0; j < 3; j++)
		assert_int_equal(table_column(t, (const char[]){(char)('a' + j), 0}, &col[j], &err),
				 0);
	for (i = 0; i < rows; i++) {
		assert_int_equal(table_next(t, &err), 1);
		for (j = 0; j < 3; j++) {
			const char *s = want[i * 3 + j];
			char *end;
			double v = 0, w;
			int got = table_number(t, col[j], &v, &err);

			errno = 0;
			w = strtod(s, &end);
			if (strspn(s, "0123456789+-.eE") == strlen(s) && *end == '\0' &&
			    end != s && isfinite(w)) {
				if (got != 0 || memcmp(&v, &w, sizeof(v)) != 0)
					fail_msg("'%s': %d %.17g, strtod %.17g", s, got, v, w);
				ok++;
			} else if (got != -1) {
				fail_msg("'%s' read as %.17g", s, v);
			}
		}
	}
	assert_int_equal(table_next(t, &err), 0);
	assert_true(ok > rows);
	table_free(t);
	for (i = 0; i < rows * 3; i++)
		free(want[i]);
	free(want);
	strbuf_release(&in);
}

/* compressed input is found from its content, whatever the name */
static void gzip_and_zstd(void **state)
{
	static const char plain[] = "a,b\n1,2\n3,4\n";
	const char *names[] = {"gzip", "zstd"};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct archive *w = archive_write_new();
		struct archive_entry *e = archive_entry_new();
		static char buf[4096];
		size_t used = 0;
		char *got;

		assert_int_equal(archive_write_set_format_raw(w), ARCHIVE_OK);
		assert_int_equal(i == 0 ? archive_write_add_filter_gzip(w)
				 : archive_write_add_filter_zstd(w), ARCHIVE_OK);
		assert_int_equal(archive_write_open_memory(w, buf, sizeof(buf), &used), ARCHIVE_OK);
		archive_entry_set_filetype(e, AE_IFREG);
		assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(w, plain, strlen(plain)), (la_ssize_t)strlen(plain));
		archive_write_free(w);
		archive_entry_free(e);
		assert_true(used > 0 && memcmp(buf, plain, 3) != 0);
		got = render(buf, used, names[i], "b,a", TABLE_AUTO);
		assert_string_equal(got, "2|1\n4|3\n");
		free(got);
		/* a truncated stream is an error, not a short table */
		got = render(buf, used / 2, names[i], "a", TABLE_AUTO);
		assert_true(strstr(got, "cannot read") != NULL || strstr(got, "ragged") != NULL ||
			    strstr(got, "no header") != NULL);
		free(got);
	}
}

/* a row longer than the bound is refused, not buffered */
static void bounded_row(void **state)
{
	size_t n = TABLE_MAX_RECORD + 100, i;
	char *in = xmalloc(n + 8), *got;

	(void)state;
	memcpy(in, "a,b\n1,", 6);
	for (i = 6; i < n; i++)
		in[i] = 'x';
	in[n] = '\n';
	got = render(in, n + 1, "big.csv", "a", TABLE_AUTO);
	assert_string_equal(got, "2:1: row longer than 1048576 bytes");
	free(got);
	/* too many columns in a header */
	{
		struct strbuf sb = STRBUF_INIT;

		for (i = 0; i < TABLE_MAX_COLS + 1; i++)
			strbuf_addf(&sb, "%sc%zu", i ? "," : "", i);
		strbuf_addc(&sb, '\n');
		got = render(sb.buf, sb.len, "wide.csv", "c0", TABLE_AUTO);
		assert_true(strstr(got, "more than 4096 columns") != NULL);
		free(got);
		strbuf_release(&sb);
	}
	free(in);
}

static void files_and_stdin_names(void **state)
{
	struct xp_error err;
	struct table *t;

	(void)state;
	assert_int_equal(table_open("/nonexistent/x.csv", NULL, &t, &err), -1);
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	assert_non_null(strstr(err.msg, "/nonexistent/x.csv"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_rfc4180),
		cmocka_unit_test(csv_errors_have_positions),
		cmocka_unit_test(tsv_has_no_quoting),
		cmocka_unit_test(custom_delimiter),
		cmocka_unit_test(json_lines),
		cmocka_unit_test(numbers),
		cmocka_unit_test(numbers_match_strtod),
		cmocka_unit_test(gzip_and_zstd),
		cmocka_unit_test(bounded_row),
		cmocka_unit_test(files_and_stdin_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
