/*
 * fuzz_table.c — libFuzzer target: the streaming CSV/TSV/JSON Lines reader
 * (common/table.c). The first byte picks the format and the delimiter; the rest
 * is the input (which may be gzip or zstd compressed). Every row's fields are
 * read and parsed as numbers; every failure must carry a position.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum table_format fmts[] = {TABLE_CSV, TABLE_TSV, TABLE_JSONL, TABLE_AUTO};
	struct table_opts o;
	struct xp_error err;
	struct table *t;
	size_t idx[3], n = 0, i, len;
	double v;
	int r, rows = 0;

	if (size < 1)
		return 0;
	o.format = fmts[data[0] & 3];
	o.delimiter = (data[0] & 4) ? ';' : 0;
	xp_error_clear(&err);
	if (table_open_buf(data + 1, size - 1, "fuzz.csv", &o, &t, &err)) {
		if (err.msg[0] == '\0' || err.line == 0 || err.col == 0)
			__builtin_trap();
		return 0;
	}
	if (table_column(t, "a", &idx[n], &err) == 0)
		n++;
	if (table_column(t, "b", &idx[n], &err) == 0)
		n++;
	while ((r = table_next(t, &err)) == 1 && rows++ < 100000) {
		for (i = 0; i < n; i++) {
			const char *f = table_field(t, idx[i], &len);

			if (f && strlen(f) > len)
				__builtin_trap();
			if (table_number(t, idx[i], &v, &err) && (err.line == 0 || err.col == 0))
				__builtin_trap();
		}
	}
	if (r < 0 && (err.msg[0] == '\0' || err.line == 0 || err.col == 0))
		__builtin_trap();
	table_free(t);
	return 0;
}
