/*
 * evaluate.c — `evaluate`'s reader and output (see evaluate.h): one pass over
 * the predictions table into columnar arrays, each value checked at its
 * position; the task's metrics are computed by eval_<task>.c.
 */
#include "pipeline/evaluate.h"

#include "pipeline/evaluate_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void eval_opts_init(struct eval_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->task = EVAL_BINARY;
	o->threshold = 0.5;
	o->beta = 1.0;
	o->min_group_size = 30;
	o->confidence = 0.95;
}

void eval_set(json_t *obj, const char *key, double v)
{
	json_object_set_new(obj, key, json_real(v));
}

void eval_note(struct eval_result *r, const char *path, const char *why)
{
	strbuf_addf(&r->notes, "%s: %s\n", path, why);
}

char *eval_path(const char *prefix, const char *name)
{
	return xasprintf("%s%s%s", prefix, *prefix ? "." : "", name);
}

/* ---- labels ------------------------------------------------------------ */

/* Two label texts name the same class: equal text, or equal numbers ("1.0"
 * and "1"). */
static int same_label(const char *a, const char *b)
{
	char *ea, *eb;
	double x, y;

	if (strcmp(a, b) == 0)
		return 1;
	if (!*a || !*b)
		return 0;
	x = strtod(a, &ea);
	y = strtod(b, &eb);
	return *ea == '\0' && *eb == '\0' && x == y;
}

/* Binary classes: the positive label and the negative one ("0" when the
 * positive is "1", else the first other label seen). */
struct bin_labels {
	const char *pos;
	char *neg;
};

static int bin_label(struct bin_labels *l, const struct table *t, size_t idx, uint8_t *out,
		     struct xp_error *err)
{
	size_t len;
	const char *v = table_field(t, idx, &len);

	if (!v || !len)
		return table_error_at(t, idx, err, "missing value");
	if (same_label(v, l->pos)) {
		*out = 1;
		return 0;
	}
	if (!l->neg)
		l->neg = xstrdup(v);
	if (same_label(v, l->neg)) {
		*out = 0;
		return 0;
	}
	return table_error_at(t, idx, err,
			      "label '%.40s' is neither the positive '%s' nor the negative '%s' "
			      "(a binary task has two classes)", v, l->pos, l->neg);
}

/* ---- groups ------------------------------------------------------------ */

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void group_rehash(struct eval_group *g)
{
	size_t i, cap = g->cap_ ? g->cap_ * 2 : 64;

	free(g->slots_);
	g->slots_ = xcalloc(cap, sizeof(*g->slots_));
	g->cap_ = cap;
	for (i = 0; i < g->n; i++) {
		size_t h = hash_str(g->values[i]) & (cap - 1);

		while (g->slots_[h])
			h = (h + 1) & (cap - 1);
		g->slots_[h] = i + 1;
	}
}

/* The id of the current row's value of group column g. */
static int group_id(struct eval_group *g, const struct table *t, uint32_t *out,
		    struct xp_error *err)
{
	size_t len, h;
	const char *v = table_field(t, g->idx, &len);
	json_t *check;

	if (!v || !len)
		return table_error_at(t, g->idx, err, "missing value");
	if (!g->cap_)
		group_rehash(g);
	h = hash_str(v) & (g->cap_ - 1);
	for (; g->slots_[h]; h = (h + 1) & (g->cap_ - 1))
		if (strcmp(g->values[g->slots_[h] - 1], v) == 0) {
			*out = (uint32_t)(g->slots_[h] - 1);
			return 0;
		}
	if (strlen(v) != len || !(check = json_stringn(v, len)))
		return table_error_at(t, g->idx, err, "group value is not UTF-8 text");
	json_decref(check);
	if (g->n >= EVAL_MAX_GROUPS)
		return table_error_at(t, g->idx, err, "more than %u distinct groups",
				      EVAL_MAX_GROUPS);
	g->values = xrealloc(g->values, (g->n + 1) * sizeof(*g->values));
	g->values[g->n] = xstrndup(v, len);
	g->slots_[h] = g->n + 1;
	*out = (uint32_t)g->n++;
	if (g->n * 2 > g->cap_)
		group_rehash(g);
	return 0;
}

static const struct eval_group *sort_ctx;

static int cmp_value(const void *a, const void *b)
{
	return strcmp(sort_ctx->values[*(const size_t *)a], sort_ctx->values[*(const size_t *)b]);
}

static void group_sort(struct eval_group *g)
{
	size_t i;

	g->order = xmalloc((g->n ? g->n : 1) * sizeof(*g->order));
	for (i = 0; i < g->n; i++)
		g->order[i] = i;
	sort_ctx = g;
	qsort(g->order, g->n, sizeof(*g->order), cmp_value);
	sort_ctx = NULL;
}

/* ---- pairing by id (--id) --------------------------------------------- */

/* The candidate's ids: each row's text, position, and the baseline row paired
 * with it; an open-addressing hash of row + 1. */
struct idmap {
	const char *col;
	struct strbuf text;     /* the ids, NUL-separated */
	size_t *off;            /* per candidate row: its id in text */
	unsigned *line, *fcol;  /* per candidate row: where its id is */
	uint32_t *pair;         /* per candidate row: baseline row + 1, 0: none yet */
	unsigned *pair_line;    /* per candidate row: that baseline row's line */
	size_t n, cap, *slots, nslots;
	char *name;             /* the candidate's file, for positions */
	int baseline;           /* reading the baseline: look up, do not add */
};

static void idmap_rehash(struct idmap *m)
{
	size_t i, cap = m->nslots ? m->nslots * 2 : 1024;

	free(m->slots);
	m->slots = xcalloc(cap, sizeof(*m->slots));
	m->nslots = cap;
	for (i = 0; i < m->n; i++) {
		size_t h = hash_str(m->text.buf + m->off[i]) & (cap - 1);

		while (m->slots[h])
			h = (h + 1) & (cap - 1);
		m->slots[h] = i + 1;
	}
}

/* The slot of id v: holding its row + 1, or 0 (where it would go). */
static size_t *idmap_slot(const struct idmap *m, const char *v)
{
	size_t h = hash_str(v) & (m->nslots - 1);

	for (; m->slots[h]; h = (h + 1) & (m->nslots - 1))
		if (strcmp(m->text.buf + m->off[m->slots[h] - 1], v) == 0)
			break;
	return &m->slots[h];
}

/* The id of the current row (row `row` of its file): the candidate's are
 * added, unique; the baseline's are paired with the candidate's, once each. */
static int idmap_row(struct idmap *m, const struct table *t, size_t idx, size_t row,
		     struct xp_error *err)
{
	size_t len, *slot, c;
	const char *v = table_field(t, idx, &len);
	unsigned line, col;

	if (!v || !len)
		return table_error_at(t, idx, err, "missing value");
	if (strlen(v) != len)
		return table_error_at(t, idx, err, "an id holds a NUL byte");
	if (!m->nslots)
		idmap_rehash(m);
	slot = idmap_slot(m, v);
	table_field_pos(t, idx, &line, &col);
	if (m->baseline) {
		if (!*slot)
			return table_error_at(t, idx, err,
					      "id '%.40s' is not among the candidate's predictions", v);
		c = *slot - 1;
		if (m->pair[c])
			return table_error_at(t, idx, err, "id '%.40s' is also on line %u", v,
					      m->pair_line[c]);
		m->pair[c] = (uint32_t)(row + 1);
		m->pair_line[c] = line;
		return 0;
	}
	if (*slot)
		return table_error_at(t, idx, err, "id '%.40s' is also on line %u", v,
				      m->line[*slot - 1]);
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 4096;
		m->off = xrealloc(m->off, m->cap * sizeof(*m->off));
		m->line = xrealloc(m->line, m->cap * sizeof(*m->line));
		m->fcol = xrealloc(m->fcol, m->cap * sizeof(*m->fcol));
	}
	m->off[m->n] = m->text.len;
	m->line[m->n] = line;
	m->fcol[m->n] = col;
	strbuf_add(&m->text, v, len + 1);
	*slot = ++m->n;
	if (m->n * 2 > m->nslots)
		idmap_rehash(m);
	return 0;
}

static void idmap_release(struct idmap *m)
{
	strbuf_release(&m->text);
	free(m->off);
	free(m->line);
	free(m->fcol);
	free(m->pair);
	free(m->pair_line);
	free(m->slots);
	free(m->name);
}

/* ---- rows -------------------------------------------------------------- */

struct columns {
	size_t label, score, pred, weight, *scores;
};

struct row {
	uint8_t yb, pb;
	uint16_t yc, pc;
	double s, y, w;
	double *S;              /* multiclass scores, k */
	uint32_t gid[EVAL_MAX_GROUP_COLS];
};

/* The class index of a multiclass label. */
static int class_of(const struct eval_opts *o, const char *const *classes, size_t k,
		    const struct table *t, size_t idx, uint16_t *out, struct xp_error *err)
{
	size_t len, i;
	const char *v = table_field(t, idx, &len);

	(void)o;
	if (!v || !len)
		return table_error_at(t, idx, err, "missing value");
	for (i = 0; i < k; i++)
		if (same_label(v, classes[i])) {
			*out = (uint16_t)i;
			return 0;
		}
	return table_error_at(t, idx, err, "label '%.40s' is not one of the %zu classes", v, k);
}

static void grow(struct eval_data *d, const struct eval_opts *o)
{
	size_t i, cap = d->cap ? d->cap * 2 : 4096;

	if (o->task == EVAL_BINARY) {
		d->yb = xrealloc(d->yb, cap);
		d->pb = xrealloc(d->pb, cap);
		if (o->score)
			d->s = xrealloc(d->s, cap * sizeof(double));
	} else if (o->task == EVAL_MULTICLASS) {
		d->yc = xrealloc(d->yc, cap * sizeof(uint16_t));
		d->pc = xrealloc(d->pc, cap * sizeof(uint16_t));
		if (o->n_scores)
			d->S = xrealloc(d->S, cap * d->k * sizeof(double));
	} else {
		d->yr = xrealloc(d->yr, cap * sizeof(double));
		d->s = xrealloc(d->s, cap * sizeof(double));
	}
	if (o->weight)
		d->w = xrealloc(d->w, cap * sizeof(double));
	for (i = 0; i < d->ng; i++)
		d->g[i].id = xrealloc(d->g[i].id, cap * sizeof(uint32_t));
	d->cap = cap;
}

static int read_row(const struct eval_opts *o, struct eval_data *d, struct table *t,
		    const struct columns *c, struct bin_labels *bl, struct row *row,
		    const char *const *classes, struct xp_error *err)
{
	size_t i;

	row->w = 1.0;
	if (o->weight) {
		if (table_number(t, c->weight, &row->w, err))
			return -1;
		if (row->w < 0)
			return table_error_at(t, c->weight, err, "weight %g is negative", row->w);
	}
	if (o->task == EVAL_BINARY) {
		if (bin_label(bl, t, c->label, &row->yb, err))
			return -1;
		if (o->score) {
			if (table_number(t, c->score, &row->s, err))
				return -1;
			if (row->s < 0 || row->s > 1)
				return table_error_at(t, c->score, err,
						      "score %.17g is not a probability in [0, 1]",
						      row->s);
			row->pb = row->s >= o->threshold;
		} else if (bin_label(bl, t, c->pred, &row->pb, err)) {
			return -1;
		}
	} else if (o->task == EVAL_MULTICLASS) {
		if (class_of(o, classes, d->k, t, c->label, &row->yc, err))
			return -1;
		if (o->n_scores) {
			row->pc = 0;
			for (i = 0; i < d->k; i++) {
				double v;

				if (table_number(t, c->scores[i], &v, err))
					return -1;
				if (v < 0 || v > 1)
					return table_error_at(t, c->scores[i], err,
							      "score %.17g is not a probability in [0, 1]",
							      v);
				row->S[i] = v;
				if (v > row->S[row->pc]) /* argmax, the first on ties */
					row->pc = (uint16_t)i;
			}
		} else if (class_of(o, classes, d->k, t, c->pred, &row->pc, err)) {
			return -1;
		}
	} else {
		if (table_number(t, c->label, &row->y, err) || table_number(t, c->pred, &row->s, err))
			return -1;
	}
	for (i = 0; i < d->ng; i++)
		if (group_id(&d->g[i], t, &row->gid[i], err))
			return -1;
	return 0;
}

static void append(const struct eval_opts *o, struct eval_data *d, const struct row *row)
{
	size_t i, n = d->n;

	if (n == d->cap)
		grow(d, o);
	if (o->task == EVAL_BINARY) {
		d->yb[n] = row->yb;
		d->pb[n] = row->pb;
		if (o->score)
			d->s[n] = row->s == 0 ? 0.0 : row->s; /* -0 sorts as 0 */
	} else if (o->task == EVAL_MULTICLASS) {
		d->yc[n] = row->yc;
		d->pc[n] = row->pc;
		if (o->n_scores)
			memcpy(d->S + n * d->k, row->S, d->k * sizeof(double));
	} else {
		d->yr[n] = row->y;
		d->s[n] = row->s;
	}
	if (d->w)
		d->w[n] = row->w;
	for (i = 0; i < d->ng; i++)
		d->g[i].id[n] = row->gid[i];
	d->n++;
}

static int check_opts(const struct eval_opts *o, struct xp_error *err)
{
	if (o->task == EVAL_BINARY) {
		if (!o->score == !o->pred)
			return xp_error_set(err, XP_ERR_USAGE,
					    "a binary task takes one of --score and --pred");
		if (o->n_scores)
			return xp_error_set(err, XP_ERR_USAGE, "--scores is for a multiclass task");
		if (!(o->threshold >= 0 && o->threshold <= 1))
			return xp_error_set(err, XP_ERR_USAGE, "the threshold must be in [0, 1]");
		if (!(o->beta > 0) || !isfinite(o->beta))
			return xp_error_set(err, XP_ERR_USAGE, "beta must be a positive number");
	} else if (o->task == EVAL_MULTICLASS) {
		if (!o->n_scores == !o->pred)
			return xp_error_set(err, XP_ERR_USAGE,
					    "a multiclass task takes one of --scores and --pred");
		if (o->pred && !o->n_classes)
			return xp_error_set(err, XP_ERR_USAGE,
					    "a multiclass task with --pred takes --classes");
		if (o->n_scores && o->n_classes && o->n_classes != o->n_scores)
			return xp_error_set(err, XP_ERR_USAGE,
					    "%zu classes but %zu score columns", o->n_classes,
					    o->n_scores);
		if ((o->n_scores ? o->n_scores : o->n_classes) < 2 ||
		    (o->n_scores ? o->n_scores : o->n_classes) > EVAL_MAX_CLASSES)
			return xp_error_set(err, XP_ERR_USAGE,
					    "a multiclass task takes 2 to %d classes",
					    EVAL_MAX_CLASSES);
		if (o->score || o->positive)
			return xp_error_set(err, XP_ERR_USAGE,
					    "--score and --positive are for a binary task");
	} else {
		if (!o->pred || o->score || o->n_scores)
			return xp_error_set(err, XP_ERR_USAGE,
					    "a regression task takes --pred (the predicted value)");
		if (o->positive || o->n_classes)
			return xp_error_set(err, XP_ERR_USAGE,
					    "--positive and --classes are for classification");
	}
	if (!(o->confidence > 0 && o->confidence < 1))
		return xp_error_set(err, XP_ERR_USAGE, "the confidence must be in (0, 1)");
	if (o->curves && (o->task != EVAL_BINARY || !o->score))
		return xp_error_set(err, XP_ERR_USAGE, "--curves takes a binary task with --score");
	if (o->id && !o->baseline)
		return xp_error_set(err, XP_ERR_USAGE, "--id pairs --baseline-predictions: give both");
	if (o->baseline && o->skip_invalid)
		return xp_error_set(err, XP_ERR_USAGE,
				    "--skip-invalid cannot pair rows with --baseline-predictions");
	if (o->n_groups > EVAL_MAX_GROUP_COLS)
		return xp_error_set(err, XP_ERR_USAGE, "at most %d group columns",
				    EVAL_MAX_GROUP_COLS);
	return 0;
}

static void data_release(struct eval_data *d)
{
	size_t i, j;

	free(d->yb);
	free(d->pb);
	free(d->yc);
	free(d->pc);
	free(d->yr);
	free(d->s);
	free(d->S);
	free(d->w);
	for (i = 0; i < d->ng; i++) {
		for (j = 0; j < d->g[i].n; j++)
			free(d->g[i].values[j]);
		free(d->g[i].values);
		free(d->g[i].slots_);
		free(d->g[i].id);
		free(d->g[i].order);
	}
}

/* Rows of group `id` of column k, as a data set of their own (no groups). */
static void subset(const struct eval_data *d, const uint32_t *rows, size_t n,
		   struct eval_data *out)
{
	size_t i, k = d->k;

	memset(out, 0, sizeof(*out));
	out->n = out->cap = n;
	out->k = k;
#define COPY(f, size) \
	if (d->f) { \
		out->f = xmalloc((n ? n : 1) * (size)); \
		for (i = 0; i < n; i++) \
			memcpy((char *)out->f + i * (size), (const char *)d->f + rows[i] * (size), (size)); \
	}
	COPY(yb, 1)
	COPY(pb, 1)
	COPY(yc, sizeof(uint16_t))
	COPY(pc, sizeof(uint16_t))
	COPY(yr, sizeof(double))
	COPY(s, sizeof(double))
	COPY(S, k * sizeof(double))
	COPY(w, sizeof(double))
#undef COPY
}

/* Multiclass and regression: the metrics overall, then per group on each
 * group's rows. */
static void by_task(const struct eval_opts *o, const struct eval_data *d,
		    const char *const *classes, struct eval_result *r)
{
	json_t *by_group = NULL, *fair = NULL;
	size_t k, i;

	eval_task(o, d, classes, r->metrics, r);
	for (k = 0; k < d->ng; k++) {
		const struct eval_group *g = &d->g[k];
		size_t *start = xcalloc(g->n + 1, sizeof(*start));
		uint32_t *rows = xmalloc(d->n * sizeof(*rows));
		json_t *col = json_object();

		/* rows grouped by id: a counting sort */
		for (i = 0; i < d->n; i++)
			start[g->id[i] + 1]++;
		for (i = 0; i < g->n; i++)
			start[i + 1] += start[i];
		for (i = 0; i < d->n; i++)
			rows[start[g->id[i]]++] = (uint32_t)i;
		for (i = g->n; i > 0; i--)
			start[i] = start[i - 1];
		start[0] = 0;
		for (i = 0; i < g->n; i++) {
			size_t id = g->order[i];
			struct eval_data sub;
			json_t *one = json_object();
			char *path = xasprintf("by_group.%s.%s", g->col, g->values[id]);

			subset(d, rows + start[id], start[id + 1] - start[id], &sub);
			eval_set(one, "rows", (double)sub.n);
			if (sub.n < o->min_group_size)
				eval_set(one, "small", 1);
			if (o->task == EVAL_MULTICLASS)
				eval_multiclass(o, &sub, classes, one, path, r);
			else
				eval_regression(o, &sub, one, path, r);
			json_object_set_new(col, g->values[id], one);
			data_release(&sub);
			free(path);
		}
		if (!by_group) {
			by_group = json_object();
			fair = json_object();
		}
		json_object_set_new(by_group, g->col, col);
		{
			json_t *f = json_object();

			eval_task_fairness(o, g->col, col, f, r);
			json_object_set_new(fair, g->col, f);
		}
		free(rows);
		free(start);
	}
	if (by_group) {
		json_object_set_new(r->metrics, "by_group", by_group);
		json_object_set_new(r->metrics, "fairness", fair);
	}
}

void eval_task(const struct eval_opts *o, const struct eval_data *d,
	       const char *const *classes, json_t *obj, struct eval_result *r)
{
	if (o->task == EVAL_BINARY)
		eval_binary(o, d, obj, r);
	else if (o->task == EVAL_MULTICLASS)
		eval_multiclass(o, d, classes, obj, "", r);
	else
		eval_regression(o, d, obj, "", r);
}

/* Read `path` into d (group columns only when with_groups). */
static int load(const struct eval_opts *o, const char *path, int with_groups,
		const char *const *classes, struct idmap *ids, struct eval_data *d,
		size_t *skipped, struct xp_error *err)
{
	struct bin_labels bl = {0};
	struct columns c = {0};
	struct table *t = NULL;
	struct row row;
	size_t i, id_idx = 0;
	int ret = -1, rc;

	memset(&row, 0, sizeof(row));
	bl.pos = o->positive ? o->positive : "1";
	if (same_label(bl.pos, "1"))
		bl.neg = xstrdup("0");
	if (o->task == EVAL_MULTICLASS) {
		row.S = xcalloc(d->k, sizeof(double));
		c.scores = xcalloc(d->k, sizeof(*c.scores));
	}
	if (table_open(path, &o->table, &t, err))
		goto out;
	if (table_column(t, o->label ? o->label : "label", &c.label, err) ||
	    (o->score && table_column(t, o->score, &c.score, err)) ||
	    (o->pred && table_column(t, o->pred, &c.pred, err)) ||
	    (o->weight && table_column(t, o->weight, &c.weight, err)))
		goto out;
	for (i = 0; i < o->n_scores; i++)
		if (table_column(t, o->scores[i], &c.scores[i], err))
			goto out;
	if (ids && table_column(t, ids->col, &id_idx, err))
		goto out;
	if (ids && !ids->baseline)
		ids->name = xstrdup(table_name(t));
	d->ng = with_groups ? o->n_groups : 0;
	for (i = 0; i < d->ng; i++) {
		d->g[i].col = o->groups[i];
		if (table_column(t, o->groups[i], &d->g[i].idx, err))
			goto out;
	}
	while ((rc = table_next(t, err)) == 1) {
		if (read_row(o, d, t, &c, &bl, &row, classes, err) == 0 &&
		    (!ids || idmap_row(ids, t, id_idx, d->n, err) == 0)) {
			append(o, d, &row);
			continue;
		}
		if (!o->skip_invalid || err->cls != XP_ERR_MALFORMED)
			goto out;
		(*skipped)++;
		xp_error_clear(err);
	}
	if (rc < 0)
		goto out;
	if (d->n == 0) {
		xp_error_set(err, XP_ERR_MALFORMED, "no rows to evaluate in '%s'%s",
			     table_name(t), *skipped ? " (every row was invalid)" : "");
		goto out;
	}
	{
		double wsum = 0;

		for (i = 0; i < d->n; i++)
			wsum += eval_w(d, i);
		if (!(wsum > 0)) {
			xp_error_set(err, XP_ERR_MALFORMED, "the weights in '%s' sum to zero",
				     table_name(t));
			goto out;
		}
	}
	for (i = 0; i < d->ng; i++)
		group_sort(&d->g[i]);
	ret = 0;
out:
	free(row.S);
	free(c.scores);
	free(bl.neg);
	table_free(t);
	return ret;
}

/* The baseline rows in the candidate's order: by id, every candidate row has
 * exactly one baseline row (duplicates and strangers were refused as the
 * baseline was read). */
static int align_by_id(struct idmap *m, struct eval_data *b, struct xp_error *err)
{
	struct eval_data aligned;
	uint32_t *rows = xmalloc((m->n ? m->n : 1) * sizeof(*rows));
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (!m->pair[i]) {
			xp_error_at(err, XP_ERR_MALFORMED, m->name, m->line[i], m->fcol[i],
				    "column '%s': id '%.40s' has no row in the baseline predictions",
				    m->col, m->text.buf + m->off[i]);
			free(rows);
			return -1;
		}
		rows[i] = m->pair[i] - 1;
	}
	subset(b, rows, m->n, &aligned);
	free(rows);
	data_release(b);
	*b = aligned;
	return 0;
}

/* The baseline pairs with the candidate row by row (in order, or aligned by
 * id): same count, same labels and weights. */
static int check_pairs(const struct eval_opts *o, const struct eval_data *d,
		       const struct eval_data *b, const struct idmap *m, struct xp_error *err)
{
	size_t i;

	if (d->n != b->n)
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "the baseline predictions have %zu rows and the candidate's %zu: "
				    "rows are paired by their order", b->n, d->n);
	for (i = 0; i < d->n; i++) {
		int same = o->task == EVAL_BINARY ? d->yb[i] == b->yb[i]
			   : o->task == EVAL_MULTICLASS ? d->yc[i] == b->yc[i]
			   : d->yr[i] == b->yr[i];

		if (same && eval_w(d, i) == eval_w(b, i))
			continue;
		if (m)
			return xp_error_at(err, XP_ERR_MALFORMED, o->baseline, m->pair_line[i], 1,
					   "the row of id '%.40s' has another label or weight than "
					   "the candidate's (%s:%u)", m->text.buf + m->off[i],
					   m->name, m->line[i]);
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "row %zu of the baseline predictions has another label or "
				    "weight than the candidate's: rows are paired by their order",
				    i + 1);
	}
	return 0;
}

int evaluate_run(const struct eval_opts *o, struct eval_result *r, struct xp_error *err)
{
	struct eval_data d, base;
	struct idmap ids, *idp = NULL;
	char **names = NULL;
	const char *const *classes = o->classes;
	size_t i, base_skipped = 0;
	int ret = -1;

	memset(&d, 0, sizeof(d));
	memset(&base, 0, sizeof(base));
	memset(&ids, 0, sizeof(ids));
	strbuf_init(&ids.text);
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->notes);
	strbuf_init(&r->curves);
	if (check_opts(o, err))
		return -1;
	if (o->task == EVAL_MULTICLASS) {
		d.k = base.k = o->n_scores ? o->n_scores : o->n_classes;
		if (!classes) {
			names = xcalloc(d.k, sizeof(*names));
			for (i = 0; i < d.k; i++)
				names[i] = xasprintf("%zu", i);
			classes = (const char *const *)names;
		}
	}
	if (o->id) {
		ids.col = o->id;
		idp = &ids;
	}
	if (load(o, o->predictions, 1, classes, idp, &d, &r->skipped, err))
		goto out;
	if (idp) {
		ids.baseline = 1;
		ids.pair = xcalloc(ids.n ? ids.n : 1, sizeof(*ids.pair));
		ids.pair_line = xcalloc(ids.n ? ids.n : 1, sizeof(*ids.pair_line));
	}
	if (o->baseline && (load(o, o->baseline, 0, classes, idp, &base, &base_skipped, err) ||
			    (idp && align_by_id(idp, &base, err)) ||
			    check_pairs(o, &d, &base, idp, err)))
		goto out;
	r->rows = d.n;
	r->metrics = json_object();
	eval_set(r->metrics, "rows", (double)d.n);
	eval_set(r->metrics, "skipped_rows", (double)r->skipped);
	if (o->task == EVAL_BINARY)
		eval_binary(o, &d, r->metrics, r);
	else
		by_task(o, &d, classes, r);
	if (o->curves)
		eval_curves(&d, r);
	if (o->bootstrap || o->baseline)
		eval_compare(o, &d, o->baseline ? &base : NULL, classes, r);
	ret = 0;
out:
	if (ret) {
		json_decref(r->metrics);
		r->metrics = NULL;
		strbuf_release(&r->notes);
		strbuf_release(&r->curves);
	}
	idmap_release(&ids);
	if (names)
		for (i = 0; i < d.k; i++)
			free(names[i]);
	free(names);
	data_release(&d);
	data_release(&base);
	return ret;
}

void eval_result_release(struct eval_result *r)
{
	json_decref(r->metrics);
	r->metrics = NULL;
	strbuf_release(&r->notes);
	strbuf_release(&r->curves);
}
