/*
 * table.h — a streaming reader of tabular text: CSV, TSV and JSON Lines, plain
 * or gzip/zstd compressed, one row at a time in bounded memory.
 *
 * Formats:
 *   - CSV (RFC 4180): a header row naming the columns, then one record per line;
 *     fields separated by the delimiter (',' unless told), optionally enclosed
 *     in double quotes, inside which the delimiter, CR and LF are data and '""'
 *     is one quote. A quote inside an unquoted field, text after a closing
 *     quote, a lone CR and an unterminated quoted field are errors. Lines end in
 *     LF or CRLF; a UTF-8 byte order mark before the header is skipped.
 *   - TSV (IANA text/tab-separated-values): a header row, tab-separated fields,
 *     no quoting (a field holds neither a tab nor a line end).
 *   - JSON Lines: one JSON object per line; the columns are its keys. A key
 *     absent from a line, or null, is a missing value (table_field gives NULL);
 *     numbers read back exactly; true/false are the fields "true"/"false".
 * Empty lines are skipped in every format. A row whose field count differs
 * from the header's is an error ("ragged row"), as is a NUL byte.
 *
 * Compression is found from the content (gzip or zstd magic), so a ".csv.gz"
 * file and a compressed stdin both read; decompression is libarchive's. The
 * format, unless given, follows the name's extension with any ".gz"/".zst"
 * removed: ".tsv"/".tab" TSV, ".jsonl"/".ndjson" JSON Lines, anything else
 * (and "-", stdin) CSV.
 *
 * Every input error is XP_ERR_MALFORMED with the file, line and column (1-based,
 * bytes) of the offending field; an unreadable file is XP_ERR_LOCAL. Memory is
 * bounded by TABLE_MAX_RECORD and TABLE_MAX_COLS whatever the input's size.
 */
#ifndef XPSHIP_COMMON_TABLE_H
#define XPSHIP_COMMON_TABLE_H

#include <stddef.h>

#include "common/error.h"

enum table_format { TABLE_AUTO, TABLE_CSV, TABLE_TSV, TABLE_JSONL };

/* The longest row (bytes of its fields) and the most columns a table may have. */
#define TABLE_MAX_RECORD (1u << 20)
#define TABLE_MAX_COLS 4096u

struct table_opts {
	enum table_format format; /* TABLE_AUTO: by the name's extension */
	char delimiter;           /* CSV only; 0: ',' */
};

struct table;

/* Open `path` ("-": stdin) and read its header (for JSON Lines: nothing is
 * read yet). opts may be NULL. */
int table_open(const char *path, const struct table_opts *opts, struct table **out,
	       struct xp_error *err);
/* The same over a memory buffer (borrowed until table_free); `name` is used in
 * positions and for the format by extension. */
int table_open_buf(const void *data, size_t len, const char *name,
		   const struct table_opts *opts, struct table **out, struct xp_error *err);
void table_free(struct table *t);

/* The format in use (never TABLE_AUTO). */
enum table_format table_format_of(const struct table *t);
/* The name used in positions. Borrowed. */
const char *table_name(const struct table *t);

/* The column named `name`: *idx is what table_field takes. A CSV/TSV header
 * without it is XP_ERR_MALFORMED at the header (the message lists the
 * columns); for JSON Lines any name is accepted, and each row must have it.
 * Ask for every column before the first table_next. */
int table_column(struct table *t, const char *name, size_t *idx, struct xp_error *err);

/* The columns known so far: a CSV/TSV header's, in order; for JSON Lines
 * the keys asked for. *names is borrowed until table_free. */
size_t table_columns(const struct table *t, const char *const **names);

/* The next row: 1 when there is one, 0 at the end, -1 on error. */
int table_next(struct table *t, struct xp_error *err);

/* Field `idx` (from table_column) of the current row, NUL-terminated, *len its
 * length (may be NULL); NULL for a JSON Lines key that is absent or null.
 * Borrowed until the next table_next. */
const char *table_field(const struct table *t, size_t idx, size_t *len);

/* Field `idx` as a finite number (decimal, as strtod reads it, with nothing
 * around it); a missing, empty or non-numeric field, NaN or an infinity is
 * XP_ERR_MALFORMED at the field. */
int table_number(const struct table *t, size_t idx, double *out, struct xp_error *err);

/* Fail with XP_ERR_MALFORMED at field `idx` of the current row; the message is
 * prefixed "column '<name>': ". Returns -1. */
int table_error_at(const struct table *t, size_t idx, struct xp_error *err,
		   const char *fmt, ...) XP_PRINTF(4, 5);

/* The line and column where field `idx` of the current row starts. */
void table_field_pos(const struct table *t, size_t idx, unsigned *line, unsigned *col);

/* The line where the current row starts (1-based). */
unsigned table_line(const struct table *t);

#endif
