/*
 * table.c — streaming CSV/TSV/JSON Lines reader (see table.h).
 *
 * Bytes come from libarchive's "raw" format with the gzip and zstd filters, so
 * decompression is found from the content and never written here. CSV and TSV
 * run one state machine over the byte stream, keeping only the current record
 * (its fields NUL-separated in one buffer, each with the line and column where
 * it starts); JSON Lines collects one line and hands it to jansson.
 */
#include "common/table.h"

#include "common/strbuf.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IN_BUF (64u * 1024)
/* Readable bytes after a field's start that table_number's eight-byte
 * parser needs (past the field's NUL they are ignored). */
#define SWAR_SLACK 24
#define MISSING SIZE_MAX

struct field {
	size_t off, len;    /* in rec; off MISSING: absent (JSON Lines) */
	unsigned line, col; /* where the field starts */
};

enum state { S_START, S_UNQUOTED, S_QUOTED, S_QUOTE_SEEN, S_CR };

struct table {
	struct archive *ar;
	int fd;                 /* owned; -1: none (memory or stdin) */
	char *name;
	enum table_format fmt;
	char delim;
	int quoting;            /* CSV: 1; TSV: 0 */
	unsigned char stop[2][256]; /* bytes that end a run: [0] unquoted, [1] quoted */

	char *in;               /* input buffer */
	size_t in_len, in_pos;
	int eof, started;
	unsigned line, col;     /* position of the next input byte */

	struct strbuf rec;      /* the current record's fields, NUL after each */
	struct field *f;
	size_t nf, f_cap;
	unsigned rec_line;
	unsigned end_line, end_col; /* where the record's line ends */

	char **cols;            /* CSV/TSV header; JSON Lines: the asked-for keys */
	size_t ncols;
	int have_row;
};

/* ---- opening ----------------------------------------------------------- */

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && strncmp(s + len - n, suffix, n) == 0;
}

static enum table_format format_by_name(const char *name)
{
	size_t len = strlen(name);

	if (ends_with(name, len, ".gz"))
		len -= 3;
	else if (ends_with(name, len, ".zst"))
		len -= 4;
	if (ends_with(name, len, ".tsv") || ends_with(name, len, ".tab"))
		return TABLE_TSV;
	if (ends_with(name, len, ".jsonl") || ends_with(name, len, ".ndjson"))
		return TABLE_JSONL;
	return TABLE_CSV;
}

static int read_header(struct table *t, struct xp_error *err);
static int csv_record(struct table *t, struct xp_error *err);

static int archive_fail(struct table *t, struct xp_error *err)
{
	const char *why = archive_error_string(t->ar);

	return xp_error_at(err, XP_ERR_MALFORMED, t->name, t->line, t->col,
			   "cannot read '%s': %s", t->name, why ? why : "unknown error");
}

static struct table *table_new(const char *name, const struct table_opts *o)
{
	struct table *t = xcalloc(1, sizeof(*t));

	t->fd = -1;
	t->name = xstrdup(name);
	t->fmt = o && o->format != TABLE_AUTO ? o->format : format_by_name(name);
	t->delim = t->fmt == TABLE_TSV ? '\t' : o && o->delimiter ? o->delimiter : ',';
	t->quoting = t->fmt == TABLE_CSV;
	t->in = xmalloc(IN_BUF);
	t->line = t->col = 1;
	strbuf_init(&t->rec);
	t->ar = archive_read_new();
	if (!t->ar)
		abort();
	archive_read_support_filter_gzip(t->ar);
	archive_read_support_filter_zstd(t->ar);
	archive_read_support_format_raw(t->ar);
	archive_read_support_format_empty(t->ar);
	return t;
}

/* The bytes that end a run of ordinary field bytes, once delimiter and
 * quoting are known. */
static void set_stops(struct table *t)
{
	memset(t->stop, 0, sizeof(t->stop));
	t->stop[1]['"'] = t->stop[1]['\n'] = t->stop[1][0] = 1;
	t->stop[0][(unsigned char)t->delim] = t->stop[0]['\n'] = t->stop[0]['\r'] = 1;
	t->stop[0][0] = 1;
	if (t->quoting)
		t->stop[0]['"'] = 1;
}

/* After archive_read_open*: the raw entry, then the header. */
static int table_start(struct table *t, struct table **out, struct xp_error *err)
{
	struct archive_entry *e;
	int r = archive_read_next_header(t->ar, &e);

	set_stops(t);
	if (r == ARCHIVE_EOF) { /* the "empty" format: no bytes at all */
		t->eof = 1;
	} else if (r < ARCHIVE_WARN) {
		archive_fail(t, err);
		goto fail;
	}
	if (t->fmt != TABLE_JSONL && read_header(t, err))
		goto fail;
	*out = t;
	return 0;
fail:
	table_free(t);
	return -1;
}

int table_open(const char *path, const struct table_opts *opts, struct table **out,
	       struct xp_error *err)
{
	int stdin_ = strcmp(path, "-") == 0;
	struct table *t;
	int fd = stdin_ ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot open '%s'", path);
	t = table_new(stdin_ ? "<stdin>" : path, opts);
	if (stdin_ && (!opts || opts->format == TABLE_AUTO))
		t->fmt = TABLE_CSV, t->quoting = 1;
	if (!stdin_)
		t->fd = fd;
	if (archive_read_open_fd(t->ar, fd, IN_BUF) != ARCHIVE_OK) {
		archive_fail(t, err);
		table_free(t);
		return -1;
	}
	return table_start(t, out, err);
}

int table_open_buf(const void *data, size_t len, const char *name,
		   const struct table_opts *opts, struct table **out, struct xp_error *err)
{
	struct table *t = table_new(name, opts);

	if (archive_read_open_memory(t->ar, data, len) != ARCHIVE_OK) {
		archive_fail(t, err);
		table_free(t);
		return -1;
	}
	return table_start(t, out, err);
}

void table_free(struct table *t)
{
	size_t i;

	if (!t)
		return;
	if (t->ar)
		archive_read_free(t->ar);
	if (t->fd >= 0)
		close(t->fd);
	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->cols);
	free(t->f);
	strbuf_release(&t->rec);
	free(t->in);
	free(t->name);
	free(t);
}

enum table_format table_format_of(const struct table *t)
{
	return t->fmt;
}

const char *table_name(const struct table *t)
{
	return t->name;
}

unsigned table_line(const struct table *t)
{
	return t->rec_line;
}

/* ---- input ------------------------------------------------------------- */

/* 1: bytes available, 0: end of input, -1: error */
static int fill(struct table *t, struct xp_error *err)
{
	la_ssize_t n;

	if (t->in_pos < t->in_len)
		return 1;
	if (t->eof)
		return 0;
	do
		n = archive_read_data(t->ar, t->in, IN_BUF);
	while (n == ARCHIVE_RETRY);
	if (n < 0)
		return archive_fail(t, err);
	t->in_len = (size_t)n;
	t->in_pos = 0;
	if (n == 0) {
		t->eof = 1;
		return 0;
	}
	if (!t->started) {
		t->started = 1;
		if (t->in_len >= 3 && memcmp(t->in, "\xEF\xBB\xBF", 3) == 0)
			t->in_pos = 3;
		if (t->in_pos == t->in_len)
			return fill(t, err);
	}
	return 1;
}

/* ---- errors ------------------------------------------------------------ */

/* Up to 40 bytes of s for a message, non-printable bytes as '?'. */
static void excerpt(const char *s, size_t len, char out[48])
{
	size_t i, n = len > 40 ? 40 : len;

	for (i = 0; i < n; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (len > n) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

static const char *col_name(const struct table *t, size_t idx)
{
	return idx < t->ncols ? t->cols[idx] : "?";
}

void table_field_pos(const struct table *t, size_t idx, unsigned *line, unsigned *col)
{
	*line = idx < t->nf ? t->f[idx].line : t->rec_line;
	*col = idx < t->nf ? t->f[idx].col : 1;
}

int table_error_at(const struct table *t, size_t idx, struct xp_error *err,
		   const char *fmt, ...)
{
	char msg[XP_ERR_MSG_MAX];
	unsigned line = t->rec_line, col = 1;
	va_list ap;

	if (idx < t->nf) {
		line = t->f[idx].line;
		col = t->f[idx].col;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return xp_error_at(err, XP_ERR_MALFORMED, t->name, line, col, "column '%s': %s",
			   col_name(t, idx), msg);
}

/* ---- CSV and TSV ------------------------------------------------------- */

static int field_begin(struct table *t, unsigned line, unsigned col, struct xp_error *err)
{
	if (t->nf == t->f_cap) {
		if (t->f_cap >= TABLE_MAX_COLS)
			return xp_error_at(err, XP_ERR_MALFORMED, t->name, line, col,
					   "more than %u columns", TABLE_MAX_COLS);
		t->f_cap = t->f_cap ? t->f_cap * 2 : 16;
		t->f = xrealloc(t->f, t->f_cap * sizeof(*t->f));
	}
	t->f[t->nf].off = t->rec.len;
	t->f[t->nf].line = line;
	t->f[t->nf].col = col;
	return 0;
}

static int field_end(struct table *t, struct xp_error *err)
{
	struct field *f = &t->f[t->nf];

	f->len = t->rec.len - f->off;
	strbuf_addc(&t->rec, '\0');
	t->nf++;
	if (t->rec.len > TABLE_MAX_RECORD)
		return xp_error_at(err, XP_ERR_MALFORMED, t->name, t->rec_line, 1,
				   "row longer than %u bytes", TABLE_MAX_RECORD);
	/* a data row with more fields than the header: stop at the first extra */
	if (t->ncols && t->nf > t->ncols && t->fmt != TABLE_JSONL)
		return xp_error_at(err, XP_ERR_MALFORMED, t->name, f->line, f->col,
				   "ragged row: more than the header's %zu fields", t->ncols);
	return 0;
}

/* The common case in one sweep: a whole record of unquoted fields, ended by
 * LF or CRLF, inside the input buffer, with no more fields than the header
 * has. Its bytes are copied once and each field end (delimiter, CR or LF)
 * becomes the NUL, which is the layout the state machine builds byte by
 * byte. 1: the record is in t->rec / t->f; 2: it was an empty line (consumed);
 * 0: anything else (a quote, a lone CR, a NUL byte, the buffer's end, too
 * many fields): nothing consumed, the state machine takes the record. */
static int csv_fast(struct table *t)
{
	const unsigned char *start = (const unsigned char *)t->in + t->in_pos;
	const unsigned char *end = (const unsigned char *)t->in + t->in_len;
	const unsigned char *p = start, *stop = t->stop[0];
	size_t nf = 0, max = t->ncols && t->ncols < t->f_cap ? t->ncols : t->f_cap, span;
	unsigned char delim = (unsigned char)t->delim, c;
	struct field *f = t->f;

	for (;;) {
		const unsigned char *fs = p;

		while (p < end && !stop[*p])
			p++;
		if (p == end || nf == max)
			return 0;
		c = *p;
		if (c == '\r') {
			if (p + 1 == end || p[1] != '\n')
				return 0;
		} else if (c != delim && c != '\n') {
			return 0; /* '"' or NUL */
		}
		f[nf].off = (size_t)(fs - start);
		f[nf].len = (size_t)(p - fs);
		f[nf].line = t->line;
		f[nf].col = t->col + (unsigned)(fs - start);
		nf++;
		if (c != delim)
			break;
		p++;
	}
	span = (size_t)(p - start);
	if (span + 1 > TABLE_MAX_RECORD)
		return 0;
	t->rec_line = t->end_line = t->line;
	t->end_col = t->col + (unsigned)span;
	t->in_pos += span + (c == '\r' ? 2 : 1);
	t->line++;
	t->col = 1;
	if (nf == 1 && span == 0)
		return 2;
	strbuf_grow(&t->rec, span + 1 + SWAR_SLACK);
	memcpy(t->rec.buf, start, span);
	for (size_t i = 0; i < nf; i++)
		t->rec.buf[f[i].off + f[i].len] = '\0';
	t->rec.len = span + 1;
	t->rec.buf[span + 1] = '\0';
	t->nf = nf;
	return 1;
}

/* One record into t->rec / t->f: 1, 0 at the end of input, -1 on error.
 * Empty lines are skipped. */
static int csv_record(struct table *t, struct xp_error *err)
{
	enum state st = S_START;
	int begun = 0, quoted = 0;
	unsigned qline = 0, qcol = 0;

restart:
	strbuf_reset(&t->rec);
	t->nf = 0;
	st = S_START;
	begun = quoted = 0;
	while (t->in_pos < t->in_len) {
		int r = csv_fast(t);

		if (r == 1)
			return 1;
		if (r == 0)
			break;
	}
	for (;;) {
		unsigned line = t->line, col = t->col;
		unsigned char c;
		int r = fill(t, err);

		if (r < 0)
			return -1;
		if (r == 0)
			break;
		if (!begun) {
			begun = 1;
			t->rec_line = line;
		}
		/* a run of ordinary bytes */
		if (st == S_UNQUOTED || st == S_QUOTED) {
			size_t p = t->in_pos;

			const unsigned char *stop = t->stop[st == S_QUOTED];

			while (p < t->in_len && !stop[(unsigned char)t->in[p]])
				p++;
			if (p > t->in_pos) {
				strbuf_add(&t->rec, t->in + t->in_pos, p - t->in_pos);
				t->col += (unsigned)(p - t->in_pos);
				t->in_pos = p;
				if (t->rec.len > TABLE_MAX_RECORD)
					return xp_error_at(err, XP_ERR_MALFORMED, t->name, t->rec_line,
							   1, "row longer than %u bytes",
							   TABLE_MAX_RECORD);
				continue;
			}
		}
		c = (unsigned char)t->in[t->in_pos++];
		if (c == '\n') {
			t->line++;
			t->col = 1;
		} else {
			t->col++;
		}
		if (c == '\0')
			return xp_error_at(err, XP_ERR_MALFORMED, t->name, line, col, "NUL byte");
		switch (st) {
		case S_START:
			if (field_begin(t, line, col, err))
				return -1;
			quoted = 0;
			if (c == '"' && t->quoting) {
				quoted = 1;
				qline = line;
				qcol = col;
				st = S_QUOTED;
				break;
			}
			st = S_UNQUOTED;
			/* fall through */
		case S_UNQUOTED:
			if (c == (unsigned char)t->delim) {
				if (field_end(t, err))
					return -1;
				st = S_START;
			} else if (c == '\n') {
				t->end_line = line, t->end_col = col;
				goto record_end;
			} else if (c == '\r') {
				t->end_line = line, t->end_col = col;
				st = S_CR;
			} else if (c == '"' && t->quoting) {
				return xp_error_at(err, XP_ERR_MALFORMED, t->name, line, col,
						   "'\"' inside an unquoted field (quote the whole field and double the quote)");
			} else {
				strbuf_addc(&t->rec, (char)c);
			}
			break;
		case S_QUOTED:
			if (c == '"')
				st = S_QUOTE_SEEN;
			else
				strbuf_addc(&t->rec, (char)c);
			break;
		case S_QUOTE_SEEN:
			if (c == '"') {
				strbuf_addc(&t->rec, '"');
				st = S_QUOTED;
			} else if (c == (unsigned char)t->delim) {
				if (field_end(t, err))
					return -1;
				st = S_START;
			} else if (c == '\n') {
				t->end_line = line, t->end_col = col;
				goto record_end;
			} else if (c == '\r') {
				t->end_line = line, t->end_col = col;
				st = S_CR;
			} else {
				return xp_error_at(err, XP_ERR_MALFORMED, t->name, line, col,
						   "unexpected '%c' after a closing quote", c < 0x20 || c > 0x7e ? '?' : c);
			}
			break;
		case S_CR:
			if (c != '\n')
				return xp_error_at(err, XP_ERR_MALFORMED, t->name, line, col - 1,
						   "carriage return not followed by a line feed");
			goto record_end;
		}
		continue;
record_end:
		if (field_end(t, err))
			return -1;
		if (t->nf == 1 && !quoted && t->f[0].len == 0)
			goto restart; /* an empty line */
		return 1;
	}
	/* end of input */
	if (!begun)
		return 0;
	if (st == S_QUOTED)
		return xp_error_at(err, XP_ERR_MALFORMED, t->name, qline, qcol,
				   "quoted field not closed before the end of the input");
	if (st == S_START && t->nf == 0)
		return 0;
	if (st != S_CR)
		t->end_line = t->line, t->end_col = t->col;
	if (st == S_START && field_begin(t, t->line, t->col, err))
		return -1;
	if (field_end(t, err))
		return -1;
	if (t->nf == 1 && !quoted && t->f[0].len == 0)
		return 0;
	return 1;
}

static int read_header(struct table *t, struct xp_error *err)
{
	size_t i, j;
	int r = csv_record(t, err);

	if (r < 0)
		return -1;
	if (r == 0)
		return xp_error_at(err, XP_ERR_MALFORMED, t->name, 1, 1,
				   "empty input: no header row");
	t->cols = xcalloc(t->nf, sizeof(*t->cols));
	for (i = 0; i < t->nf; i++) {
		const char *name = t->rec.buf + t->f[i].off;

		for (j = 0; j < i; j++)
			if (strcmp(t->cols[j], name) == 0)
				return xp_error_at(err, XP_ERR_MALFORMED, t->name, t->f[i].line,
						   t->f[i].col, "column '%s' appears twice in the header",
						   name);
		t->cols[i] = xstrndup(name, t->f[i].len);
		t->ncols = i + 1;
	}
	return 0;
}

/* ---- JSON Lines -------------------------------------------------------- */

/* One non-empty line into t->rec (no line end): 1, 0 at the end, -1. */
static int jsonl_line(struct table *t, struct xp_error *err)
{
	int r;

	for (;;) {
		int begun = 0;

		strbuf_reset(&t->rec);
		for (;;) {
			const char *nl;
			size_t n;

			r = fill(t, err);
			if (r < 0)
				return -1;
			if (r == 0)
				break;
			if (!begun) {
				begun = 1;
				t->rec_line = t->line;
			}
			nl = memchr(t->in + t->in_pos, '\n', t->in_len - t->in_pos);
			n = nl ? (size_t)(nl - (t->in + t->in_pos)) : t->in_len - t->in_pos;
			strbuf_add(&t->rec, t->in + t->in_pos, n);
			t->in_pos += n;
			if (t->rec.len > TABLE_MAX_RECORD)
				return xp_error_at(err, XP_ERR_MALFORMED, t->name, t->rec_line, 1,
						   "line longer than %u bytes", TABLE_MAX_RECORD);
			if (nl) {
				t->in_pos++;
				break;
			}
		}
		if (!begun)
			return 0;
		t->line++;
		if (t->rec.len && t->rec.buf[t->rec.len - 1] == '\r')
			t->rec.buf[--t->rec.len] = '\0';
		if (strspn(t->rec.buf, " \t") != t->rec.len)
			return 1;
		if (r == 0)
			return 0;
	}
}

static void put_value(struct table *t, struct strbuf *vals, size_t i, const json_t *v)
{
	char num[40];

	t->f[i].line = t->rec_line;
	t->f[i].col = 1;
	t->f[i].off = vals->len;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		strbuf_add(vals, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		strbuf_adds(vals, num);
		break;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		strbuf_adds(vals, num);
		break;
	case JSON_TRUE:
		strbuf_adds(vals, "true");
		break;
	case JSON_FALSE:
		strbuf_adds(vals, "false");
		break;
	default:
		break;
	}
	t->f[i].len = vals->len - t->f[i].off;
	strbuf_addc(vals, '\0');
}

static int jsonl_record(struct table *t, struct xp_error *err)
{
	struct strbuf vals = STRBUF_INIT;
	json_error_t je;
	json_t *obj;
	size_t i;
	int r = jsonl_line(t, err);

	if (r <= 0)
		return r;
	obj = json_loadb(t->rec.buf, t->rec.len, JSON_REJECT_DUPLICATES, &je);
	if (!obj)
		return xp_error_at(err, XP_ERR_MALFORMED, t->name, t->rec_line,
				   je.column > 0 ? (unsigned)je.column : 1, "%s", je.text);
	if (!json_is_object(obj)) {
		json_decref(obj);
		return xp_error_at(err, XP_ERR_MALFORMED, t->name, t->rec_line, 1,
				   "a JSON Lines row must be an object");
	}
	for (i = 0; i < t->ncols; i++) {
		json_t *v = json_object_get(obj, t->cols[i]);

		if (v && (json_is_object(v) || json_is_array(v))) {
			const char *kind = json_is_object(v) ? "object" : "array";

			xp_error_at(err, XP_ERR_MALFORMED, t->name, t->rec_line, 1,
				    "column '%s': expected a scalar, found an %s", t->cols[i], kind);
			json_decref(obj);
			strbuf_release(&vals);
			return -1;
		}
		put_value(t, &vals, i, v && !json_is_null(v) ? v : NULL);
		if (!v || json_is_null(v))
			t->f[i].off = MISSING;
	}
	json_decref(obj);
	strbuf_release(&t->rec);
	t->rec = vals;
	t->nf = t->ncols;
	return 1;
}

/* ---- rows -------------------------------------------------------------- */

int table_column(struct table *t, const char *name, size_t *idx, struct xp_error *err)
{
	struct strbuf list = STRBUF_INIT;
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0) {
			*idx = i;
			return 0;
		}
	if (t->fmt == TABLE_JSONL) {
		if (t->ncols == t->f_cap) {
			t->f_cap = t->f_cap ? t->f_cap * 2 : 8;
			t->f = xrealloc(t->f, t->f_cap * sizeof(*t->f));
		}
		t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
		t->cols[t->ncols] = xstrdup(name);
		*idx = t->ncols++;
		return 0;
	}
	for (i = 0; i < t->ncols && i < 20; i++)
		strbuf_addf(&list, "%s'%s'", i ? ", " : "", t->cols[i]);
	if (t->ncols > 20)
		strbuf_adds(&list, ", ...");
	xp_error_at(err, XP_ERR_MALFORMED, t->name, 1, 1, "no column '%s' in the header (%s)",
		    name, list.buf);
	strbuf_release(&list);
	return -1;
}

size_t table_columns(const struct table *t, const char *const **names)
{
	*names = (const char *const *)t->cols;
	return t->ncols;
}

int table_next(struct table *t, struct xp_error *err)
{
	int r;

	t->have_row = 0;
	if (t->fmt == TABLE_JSONL)
		r = jsonl_record(t, err);
	else
		r = csv_record(t, err);
	if (r <= 0)
		return r;
	if (t->fmt != TABLE_JSONL && t->nf < t->ncols) {
		return xp_error_at(err, XP_ERR_MALFORMED, t->name, t->end_line, t->end_col,
				   "ragged row: %zu field%s, the header has %zu", t->nf,
				   t->nf == 1 ? "" : "s", t->ncols);
	}
	t->have_row = 1;
	return 1;
}

const char *table_field(const struct table *t, size_t idx, size_t *len)
{
	if (!t->have_row || idx >= t->nf || t->f[idx].off == MISSING)
		return NULL;
	if (len)
		*len = t->f[idx].len;
	return t->rec.buf + t->f[idx].off;
}

/* Clinger's fast path: [+-]DIGITS[.DIGITS] with at most 15 digits is an
 * integer below 2^53 divided by an exact power of ten, one correctly rounded
 * operation: what strtod gives, without its general machinery. 1 when it
 * applies. */
static const double pow10_exact[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
				     1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

static int fast_decimal(const char *s, size_t len, double *out)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len, *d;
	uint64_t m = 0;
	size_t digits, frac = 0;
	int neg = 0;
	double v;

	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	d = p;
	while (p < end && (unsigned)(*p - '0') < 10)
		m = m * 10 + (uint64_t)(*p++ - '0');
	digits = (size_t)(p - d);
	if (p < end && *p == '.') {
		d = ++p;
		while (p < end && (unsigned)(*p - '0') < 10)
			m = m * 10 + (uint64_t)(*p++ - '0');
		frac = (size_t)(p - d);
		digits += frac;
	}
	/* m wraps past 19 digits: those are refused here anyway */
	if (p != end || digits == 0 || digits > 15)
		return 0;
	v = (double)m / pow10_exact[frac];
	*out = neg ? -v : v;
	return 1;
}

/* The same eight bytes at a time (digits found and summed without a branch
 * per digit), for a field followed by at least SWAR_SLACK readable bytes: a
 * NUL ends every field, so no digit run reaches past it. The same m and
 * frac as fast_decimal, hence the same double; -1 when it cannot tell
 * (a run of eight digits or more) and fast_decimal decides. */
#define ONES 0x0101010101010101ull

static uint64_t load8(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v; /* little-endian: p[0] in the low byte */
}

/* How many of the 8 bytes (first byte lowest) are digits before the first
 * non-digit; x is the bytes minus '0'. */
static unsigned digit_run(uint64_t x)
{
	uint64_t bad = (((x & 0x7f * ONES) + 0x76 * ONES) | x) & 0x80 * ONES;

	return bad ? (unsigned)__builtin_ctzll(bad) >> 3 : 8;
}

/* The value of the first n (1..7) digits of x (bytes minus '0'). */
static uint64_t digits_value(uint64_t x, unsigned n)
{
	x <<= 8 * (8 - n); /* leading zeros: the first digit is the most significant */
	x = x * 10 + (x >> 8);
	return (((x & 0x000000ff000000ffull) * (100 + (1000000ull << 32))) +
		(((x >> 16) & 0x000000ff000000ffull) * (1 + (10000ull << 32)))) >> 32;
}

static int swar_decimal(const char *s, size_t len, double *out)
{
	static const uint64_t pow10_int[] = {1, 10, 100, 1000, 10000, 100000, 1000000,
					     10000000};
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	uint64_t x, m = 0;
	unsigned n1, n2 = 0;
	int neg = 0;
	double v;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	x = load8(p) ^ 0x30 * ONES; /* a digit's byte becomes its value */
	n1 = digit_run(x);
	if (n1 == 8)
		return -1;
	if (n1)
		m = digits_value(x, n1);
	p += n1;
	if (p < end && *p == '.') {
		x = load8(++p) ^ 0x30 * ONES;
		n2 = digit_run(x);
		if (n2 == 8)
			return -1;
		if (n2)
			m = m * pow10_int[n2] + digits_value(x, n2);
		p += n2;
	}
	if (p != end || n1 + n2 == 0)
		return 0;
	v = (double)m / pow10_exact[n2];
	*out = neg ? -v : v;
	return 1;
}

int table_number(const struct table *t, size_t idx, double *out, struct xp_error *err)
{
	size_t len;
	const char *s = table_field(t, idx, &len);
	char show[48];
	char *end;
	double v;
	int r;

	if (!s || len == 0)
		return table_error_at(t, idx, err, "missing value");
	r = s + SWAR_SLACK <= t->rec.buf + t->rec.alloc ? swar_decimal(s, len, out) : -1;
	if (r == 1 || (r < 0 && fast_decimal(s, len, out)))
		return 0;
	excerpt(s, len, show);
	/* decimal only: no spaces, hex, "nan" or "inf" */
	if (strspn(s, "0123456789+-.eE") != len)
		return table_error_at(t, idx, err, "'%s' is not a number", show);
	errno = 0;
	v = strtod(s, &end);
	if (end != s + len)
		return table_error_at(t, idx, err, "'%s' is not a number", show);
	if (!isfinite(v))
		return table_error_at(t, idx, err, "'%s' is not a finite number", show);
	*out = v;
	return 0;
}
