/*
 * metrics.c — flat metric maps from files, MLflow runs, buffers and experiment
 * records (see metrics.h).
 *
 * Each loader fills a private map and merges it into the caller's on success, so
 * a failed load leaves the caller's map untouched. Lookups go through a small
 * open-addressing hash index, so 10,000-key maps load and query in linear time.
 */
#include "pipeline/metrics.h"

#include "common/digest.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "pipeline/jsonw.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#define MLFLOW_MAX_FILE (256u * 1024 * 1024)
#define MLFLOW_MAX_DEPTH 16

/* ---- the map --------------------------------------------------------- */

void metrics_init(struct metrics *m)
{
	memset(m, 0, sizeof(*m));
}

void metrics_release(struct metrics *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		free(m->items[i].key);
	for (i = 0; i < m->n_files_; i++)
		free(m->files_[i]);
	free(m->items);
	free(m->index_);
	free(m->files_);
	metrics_init(m);
}

static uint64_t key_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

/* The slot holding `key`, or the empty slot where it would go; *probes (if
 * given) counts the slots looked at. */
static size_t index_find(const struct metrics *m, const char *key, size_t *probes)
{
	size_t mask = m->index_cap_ - 1;
	size_t i = (size_t)key_hash(key) & mask, n = 1;

	while (m->index_[i] && strcmp(m->items[m->index_[i] - 1].key, key) != 0) {
		i = (i + 1) & mask;
		n++;
	}
	if (probes)
		*probes = n;
	return i;
}

static size_t index_slot(const struct metrics *m, const char *key)
{
	return index_find(m, key, NULL);
}

size_t metrics_probes(const struct metrics *m, const char *key)
{
	size_t n = 0;

	if (m->index_cap_)
		index_find(m, key, &n);
	return n;
}

/* Make room for `want` items without rehashing on the way. */
static void index_grow_to(struct metrics *m, size_t want)
{
	size_t i, ncap = m->index_cap_ ? m->index_cap_ * 2 : 64;

	while (ncap < 2 * (want + 1))
		ncap *= 2;
	free(m->index_);
	m->index_ = xcalloc(ncap, sizeof(*m->index_));
	m->index_cap_ = ncap;
	for (i = 0; i < m->n; i++)
		m->index_[index_slot(m, m->items[i].key)] = i + 1;
	if (m->cap_ < want) {
		m->cap_ = want;
		m->items = xrealloc(m->items, m->cap_ * sizeof(*m->items));
	}
}

const struct metric *metrics_get(const struct metrics *m, const char *key)
{
	size_t i;

	if (!m->index_cap_)
		return NULL;
	i = index_slot(m, key);
	return m->index_[i] ? &m->items[m->index_[i] - 1] : NULL;
}

static const char *where(const struct metric *o, const char *file, char *buf, size_t size)
{
	if (strcmp(o->file, file) == 0)
		snprintf(buf, size, "line %u", o->line);
	else
		snprintf(buf, size, "%s:%u:%u", o->file, o->line, o->col);
	return buf;
}

/* Take ownership of a source name; consecutive metrics of one source share it. */
static void add_file(struct metrics *m, char *file)
{
	if (m->n_files_ == m->files_cap_) {
		m->files_cap_ = m->files_cap_ ? m->files_cap_ * 2 : 4;
		m->files_ = xrealloc(m->files_, m->files_cap_ * sizeof(*m->files_));
	}
	m->files_[m->n_files_++] = file;
}

static const char *file_name(struct metrics *m, const char *file)
{
	if (!m->n_files_ || strcmp(m->files_[m->n_files_ - 1], file) != 0)
		add_file(m, xstrdup(file));
	return m->files_[m->n_files_ - 1];
}

/* Append, taking ownership of key; file is one of m's source names. */
static void append(struct metrics *m, char *key, double value, const char *file,
		   unsigned line, unsigned col)
{
	struct metric *it;

	if (2 * (m->n + 1) > m->index_cap_)
		index_grow_to(m, m->n + 1);
	if (m->n == m->cap_) {
		m->cap_ = m->cap_ ? m->cap_ * 2 : 32;
		m->items = xrealloc(m->items, m->cap_ * sizeof(*m->items));
	}
	it = &m->items[m->n];
	it->key = key;
	it->value = value;
	it->file = file;
	it->line = line;
	it->col = col;
	m->index_[index_slot(m, key)] = ++m->n;
}

int metrics_set(struct metrics *m, const char *key, double value, const char *file,
		unsigned line, unsigned col, struct xp_error *err)
{
	const struct metric *o = metrics_get(m, key);
	char buf[XP_ERR_FILE_MAX + 32];

	if (!isfinite(value))
		return xp_error_at(err, XP_ERR_MALFORMED, file, line, col,
				   "metric '%s' is not a finite number", key);
	if (o)
		return xp_error_at(err, XP_ERR_MALFORMED, file, line, col,
				   "duplicate metric '%s' (first defined at %s)", key,
				   where(o, file, buf, sizeof(buf)));
	append(m, xstrdup(key), value, file_name(m, file), line, col);
	return 0;
}

/* Merge src into dst (src is emptied). Equal values of one key are accepted. */
static int merge(struct metrics *dst, struct metrics *src, struct xp_error *err)
{
	char num[2][METRICS_NUMBER_MAX], buf[XP_ERR_FILE_MAX + 32];
	size_t i;

	if (dst->n == 0 && dst->n_files_ == 0) { /* the common case: take it whole */
		metrics_release(dst);
		*dst = *src;
		metrics_init(src);
		return 0;
	}
	for (i = 0; i < src->n; i++) {
		const struct metric *s = &src->items[i], *o = metrics_get(dst, s->key);

		if (o && o->value != s->value) {
			metrics_format_number(s->value, num[0]);
			metrics_format_number(o->value, num[1]);
			return xp_error_at(err, XP_ERR_MALFORMED, s->file, s->line, s->col,
					   "metric '%s' = %s conflicts with %s from %s", s->key,
					   num[0], num[1], where(o, "", buf, sizeof(buf)));
		}
	}
	for (i = 0; i < src->n; i++) {
		struct metric *s = &src->items[i];

		if (metrics_get(dst, s->key))
			free(s->key);
		else
			append(dst, s->key, s->value, s->file, s->line, s->col);
	}
	for (i = 0; i < src->n_files_; i++) /* items keep pointing at them */
		add_file(dst, src->files_[i]);
	free(src->items);
	free(src->index_);
	free(src->files_);
	metrics_init(src);
	return 0;
}

/* ---- documents --------------------------------------------------------- */

static int bad_value(const struct doc *d, const struct doc_node *n, const char *key,
		     struct xp_error *err)
{
	if (n->type == DOC_SCALAR && (n->kind == DOC_INT || n->kind == DOC_FLOAT))
		return xp_error_at(err, XP_ERR_MALFORMED, d->name, n->line, n->col,
				   "metric '%s' is not a finite number: %s", key, n->str);
	if (n->type == DOC_SCALAR && n->kind != DOC_NULL)
		return xp_error_at(err, XP_ERR_MALFORMED, d->name, n->line, n->col,
				   "metric '%s' must be a number, found %s '%s'", key,
				   doc_type_name(n), n->str);
	return xp_error_at(err, XP_ERR_MALFORMED, d->name, n->line, n->col,
			   "metric '%s' must be a number, found %s", key, doc_type_name(n));
}

static int flatten(struct metrics *m, const struct doc *d, const struct doc_node *n,
		   struct strbuf *key, struct xp_error *err)
{
	const struct doc_node *v = n;
	double x;
	size_t i;

	if (n->type == DOC_MAP) {
		for (i = 0; i < n->n; i++) {
			const struct doc_node *k = n->pairs[i].key;
			size_t keep = key->len;

			if (k->len == 0 || strlen(k->str) != k->len)
				return xp_error_at(err, XP_ERR_MALFORMED, d->name, k->line,
						   k->col, "invalid metric name '%s'", k->str);
			if (keep)
				strbuf_addc(key, '.');
			strbuf_add(key, k->str, k->len);
			if (flatten(m, d, n->pairs[i].value, key, err))
				return -1;
			key->len = keep;
			key->buf[keep] = '\0';
		}
		return 0;
	}
	if (n->type == DOC_SEQ) {
		if (n->n == 0)
			return xp_error_at(err, XP_ERR_MALFORMED, d->name, n->line, n->col,
					   "metric '%s' is an empty series", key->buf);
		for (i = 0; i < n->n; i++)
			if (doc_number(n->items[i], &x))
				return bad_value(d, n->items[i], key->buf, err);
		v = n->items[n->n - 1];
	}
	if (doc_number(v, &x))
		return bad_value(d, v, key->buf, err);
	return metrics_set(m, key->buf, x, d->name, v->line, v->col, err);
}

/* The number of values under n (for sizing the map once). */
static size_t count_leaves(const struct doc_node *n)
{
	size_t i, c = 0;

	if (n->type != DOC_MAP)
		return 1;
	for (i = 0; i < n->n; i++)
		c += count_leaves(n->pairs[i].value);
	return c;
}

int metrics_load_node(struct metrics *m, const struct doc *d, const struct doc_node *map,
		      struct xp_error *err)
{
	struct metrics tmp;
	struct strbuf key = STRBUF_INIT;
	int ret;

	if (!map || map->type != DOC_MAP)
		return xp_error_at(err, XP_ERR_MALFORMED, d->name, map ? map->line : 1,
				   map ? map->col : 1, "expected a mapping of metrics, found %s",
				   doc_type_name(map));
	metrics_init(&tmp);
	index_grow_to(&tmp, count_leaves(map));
	ret = flatten(&tmp, d, map, &key, err);
	if (ret == 0)
		ret = merge(m, &tmp, err);
	strbuf_release(&key);
	metrics_release(&tmp);
	return ret;
}

static int load_file(struct metrics *m, const char *path, char digest[XP_DIGEST_SIZE],
		     struct xp_error *err)
{
	struct doc *d = NULL;
	int ret;

	if (doc_load_file(path, DOC_AUTO, DOC_MAX_SIZE, digest, &d, err))
		return -1;
	ret = metrics_load_node(m, d, d->root, err);
	doc_free(d);
	return ret;
}

int metrics_load_file(struct metrics *m, const char *path, struct xp_error *err)
{
	return load_file(m, path, NULL, err);
}

int metrics_load_buf(struct metrics *m, const char *buf, size_t len, const char *name,
		     struct xp_error *err)
{
	struct doc *d = NULL;
	int ret;

	if (doc_load_buf(buf, len, name, DOC_JSON, &d, err))
		return -1;
	ret = metrics_load_node(m, d, d->root, err);
	doc_free(d);
	return ret;
}

/* ---- MLflow run directories -------------------------------------------- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Parse one history line "<ts> <value> [<step>]"; 0 and fields set, else -1 with
 * *bad_col at the offending field. */
static int mlflow_line(const char *s, size_t len, long long *ts, double *value,
		       long long *step, unsigned *value_col, unsigned *bad_col)
{
	char field[3][64];
	unsigned cols[3];
	size_t i = 0, nf = 0;
	char *end;

	while (nf < 4) {
		size_t start;

		while (i < len && is_space(s[i]))
			i++;
		if (i >= len)
			break;
		if (nf == 3) {
			*bad_col = (unsigned)i + 1;
			return -1;
		}
		start = i;
		while (i < len && !is_space(s[i]))
			i++;
		cols[nf] = (unsigned)start + 1;
		if (i - start >= sizeof(field[0]) || memchr(s + start, '\0', i - start)) {
			*bad_col = cols[nf];
			return -1;
		}
		memcpy(field[nf], s + start, i - start);
		field[nf][i - start] = '\0';
		nf++;
	}
	*bad_col = nf ? cols[nf - 1] : 1;
	if (nf < 2)
		return -1;
	*step = 0;
	errno = 0;
	*ts = strtoll(field[0], &end, 10);
	if (*end || errno) {
		*bad_col = cols[0];
		return -1;
	}
	*value = strtod(field[1], &end);
	*value_col = cols[1];
	if (*end) {
		*bad_col = cols[1];
		return -1;
	}
	if (nf == 3) {
		errno = 0;
		*step = strtoll(field[2], &end, 10);
		if (*end || errno) {
			*bad_col = cols[2];
			return -1;
		}
	}
	return 0;
}

static int mlflow_file(struct metrics *m, const char *path, const char *key,
		       struct xp_error *err)
{
	char *buf = NULL;
	size_t len, pos = 0;
	unsigned lineno = 0, best_line = 0, best_col = 0;
	long long best_ts = 0, best_step = 0;
	double best = 0;
	int ret = -1;

	if (file_read_all(path, MLFLOW_MAX_FILE, &buf, &len, err))
		return -1;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len, i;
		long long ts, step;
		double v;
		unsigned vcol, bad;

		lineno++;
		for (i = pos; i < end && is_space(buf[i]); i++)
			;
		if (i == end) { /* blank line */
			pos = end + 1;
			continue;
		}
		if (mlflow_line(buf + pos, end - pos, &ts, &v, &step, &vcol, &bad)) {
			xp_error_at(err, XP_ERR_MALFORMED, path, lineno, bad,
				    "metric '%s': expected \"<timestamp> <value> [<step>]\"", key);
			goto out;
		}
		if (!best_line || step > best_step || (step == best_step && ts >= best_ts)) {
			best_line = lineno;
			best_col = vcol;
			best_step = step;
			best_ts = ts;
			best = v;
		}
		pos = end + 1;
	}
	if (!best_line) {
		xp_error_at(err, XP_ERR_MALFORMED, path, 1, 1, "metric '%s' has no values", key);
		goto out;
	}
	if (!isfinite(best)) {
		xp_error_at(err, XP_ERR_MALFORMED, path, best_line, best_col,
			    "metric '%s' is not a finite number", key);
		goto out;
	}
	ret = metrics_set(m, key, best, path, best_line, best_col, err);
out:
	free(buf);
	return ret;
}

static int no_dots(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Walk dir (key prefix `prefix`, "" at the top) in name order. */
static int mlflow_walk(struct metrics *m, const char *dir, const char *prefix, int depth,
		       struct xp_error *err)
{
	struct dirent **ents = NULL;
	int i, n, ret = 0;

	if (depth > MLFLOW_MAX_DEPTH)
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "cannot read MLflow metrics '%s': nested too deeply", dir);
	n = scandir(dir, &ents, no_dots, alphasort);
	if (n < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot read directory '%s'", dir);
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, ents[i]->d_name);
		char *key = *prefix ? xasprintf("%s/%s", prefix, ents[i]->d_name)
				    : xstrdup(ents[i]->d_name);
		json_t *utf8 = json_string(key);
		struct stat st;

		if (ret == 0 && !utf8)
			ret = xp_error_set(err, XP_ERR_MALFORMED,
					   "invalid metric name '%s': not UTF-8", path);
		else if (ret == 0 && stat(path, &st) < 0)
			ret = xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", path);
		else if (ret == 0 && S_ISDIR(st.st_mode))
			ret = mlflow_walk(m, path, key, depth + 1, err);
		else if (ret == 0)
			ret = mlflow_file(m, path, key, err);
		json_decref(utf8);
		free(path);
		free(key);
		free(ents[i]);
	}
	free(ents);
	return ret;
}

int metrics_load_mlflow(struct metrics *m, const char *dir, struct xp_error *err)
{
	char *sub = xasprintf("%s/metrics", dir);
	struct metrics tmp;
	struct stat st;
	int ret = -1;

	metrics_init(&tmp);
	if (stat(dir, &st) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot read MLflow run '%s'", dir);
		goto out;
	}
	if (stat(sub, &st) < 0 || !S_ISDIR(st.st_mode)) {
		xp_error_set(err, XP_ERR_MALFORMED,
			     "cannot read MLflow run '%s': no metrics/ directory", dir);
		goto out;
	}
	ret = mlflow_walk(&tmp, sub, "", 0, err);
	if (ret == 0)
		ret = merge(m, &tmp, err);
out:
	metrics_release(&tmp);
	free(sub);
	return ret;
}

int metrics_load(struct metrics *m, const char *path, char digest[XP_DIGEST_SIZE],
		 struct xp_error *err)
{
	struct stat st;
	char *json;

	if (!(stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
		return load_file(m, path, digest, err);
	if (metrics_load_mlflow(m, path, err))
		return -1;
	if (digest) {
		json = metrics_to_json(m);
		digest_buf(json, strlen(json), digest);
		free(json);
	}
	return 0;
}

/* ---- experiment records ------------------------------------------------ */

static char *join(const char *base, const char *rel)
{
	if (!base || !*base || rel[0] == '/')
		return xstrdup(rel);
	return xasprintf("%s/%s", base, rel);
}

static int run_path(const struct doc *d, const struct doc_node *run, const char *field,
		    const char **out, struct xp_error *err)
{
	const struct doc_node *v = doc_get(run, field);

	*out = NULL;
	if (!v || (v->type == DOC_SCALAR && v->kind == DOC_NULL))
		return 0;
	if (!doc_is_string(v) || v->len == 0 || strlen(v->str) != v->len)
		return xp_error_at(err, XP_ERR_MALFORMED, d->name, v->line, v->col,
				   "'%s' must be a path, found %s", field, doc_type_name(v));
	*out = v->str;
	return 0;
}

int metrics_load_run(struct metrics *m, const struct doc *record, const struct doc_node *run,
		     const char *base_dir, struct xp_error *err)
{
	static const struct {
		const char *field;
		int (*load)(struct metrics *, const char *, struct xp_error *);
	} sources[] = {
		{"metrics_file", metrics_load_file},
		{"mlflow_run", metrics_load_mlflow},
	};
	const struct doc_node *inl = doc_get(run, "metrics");
	const char *rel[2];
	struct metrics tmp;
	size_t i;
	int ret = -1;

	if (!run || run->type != DOC_MAP)
		return xp_error_at(err, XP_ERR_MALFORMED, record->name, run ? run->line : 1,
				   run ? run->col : 1, "a run must be a mapping, found %s",
				   doc_type_name(run));
	for (i = 0; i < 2; i++)
		if (run_path(record, run, sources[i].field, &rel[i], err))
			return -1;
	metrics_init(&tmp);
	if (inl && !(inl->type == DOC_SCALAR && inl->kind == DOC_NULL) &&
	    metrics_load_node(&tmp, record, inl, err))
		goto out;
	for (i = 0; i < 2; i++) {
		char *path;

		if (!rel[i])
			continue;
		path = join(base_dir, rel[i]);
		ret = sources[i].load(&tmp, path, err);
		free(path);
		if (ret)
			goto out;
	}
	ret = merge(m, &tmp, err);
out:
	metrics_release(&tmp);
	return ret;
}

/* ---- output -------------------------------------------------------------- */

void metrics_format_number(double v, char out[METRICS_NUMBER_MAX])
{
	int p;

	if (v == 0) {
		snprintf(out, METRICS_NUMBER_MAX, "0");
		return;
	}
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v) {
		snprintf(out, METRICS_NUMBER_MAX, "%.0f", v);
		return;
	}
	for (p = 1; p < 17; p++) {
		snprintf(out, METRICS_NUMBER_MAX, "%.*g", p, v);
		if (strtod(out, NULL) == v)
			return;
	}
	snprintf(out, METRICS_NUMBER_MAX, "%.17g", v);
}

char *metrics_to_json(const struct metrics *m)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addc(&sb, '{');
	for (i = 0; i < m->n; i++) {
		jsonw_key(&sb, m->items[i].key, i == 0);
		jsonw_number(&sb, m->items[i].value);
	}
	strbuf_addc(&sb, '}');
	return strbuf_detach(&sb, NULL);
}
