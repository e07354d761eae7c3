/*
 * profile_json.c — a profile as JSON and back (the format is in
 * docs/drift.md). Loading goes through common/doc.h so every schema error
 * names the line and column of the offending value.
 */
#include "pipeline/profile.h"

#include "common/doc.h"
#include "common/strbuf.h"
#include "pipeline/jsonw.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KLL_MAX_LEVELS 64

/* ---- writing ----------------------------------------------------------- */

static json_t *reals(const double *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_real(v[i]));
	return a;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static json_t *sketch_json(const struct kll *s)
{
	json_t *o = json_object(), *levels = json_array();
	size_t h, top = s->nlevels;

	while (top > 1 && s->lv[top - 1].len == 0)
		top--;
	for (h = 0; h < top; h++) {
		double *v = xmalloc((s->lv[h].len + 1) * sizeof(*v));

		if (s->lv[h].len)
			memcpy(v, s->lv[h].v, s->lv[h].len * sizeof(*v));
		qsort(v, s->lv[h].len, sizeof(*v), cmp_double);
		json_array_append_new(levels, reals(v, s->lv[h].len));
		free(v);
	}
	json_object_set_new(o, "kind", json_string("kll"));
	json_object_set_new(o, "k", json_integer(s->k));
	json_object_set_new(o, "exact", json_boolean(kll_exact(s)));
	json_object_set_new(o, "levels", levels);
	return o;
}

static json_t *numeric_json(const struct profile *p, const struct prof_col *c)
{
	json_t *o = json_object(), *h;

	if (c->count == 0)
		return o;
	json_object_set_new(o, "min", json_real(c->min));
	json_object_set_new(o, "max", json_real(c->max));
	json_object_set_new(o, "mean", json_real(c->mean));
	json_object_set_new(o, "std", c->count > 1 ? json_real(sqrt(c->m2 / (double)(c->count - 1)))
						   : json_null());
	json_object_set_new(o, "m2", json_real(c->m2));
	h = json_object();
	json_object_set_new(h, "edges", reals(c->edges, c->nedges));
	json_object_set_new(h, "counts", reals(c->hist, c->nedges + 1));
	json_object_set_new(o, "histogram", h);
	json_object_set_new(o, "sketch", sketch_json(&c->sketch));
	if (p->sample)
		json_object_set_new(o, "sample", reals(c->sample, c->nsample));
	return o;
}

static json_t *categorical_json(const struct prof_col *c)
{
	json_t *o = json_object(), *top = json_array();
	size_t i;

	for (i = 0; i < c->top.n; i++)
		json_array_append_new(top, json_pack("[s,I]", c->top.it[i].value,
						     (json_int_t)c->top.it[i].count));
	json_object_set_new(o, "approximate", json_boolean(c->top.evicted));
	json_object_set_new(o, "top", top);
	json_object_set_new(o, "other", json_integer((json_int_t)c->other));
	return o;
}

char *profile_to_json(const struct profile *p)
{
	json_t *root = json_object(), *opts = json_object(), *cols = json_object();
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	json_object_set_new(root, "xpship_profile", json_integer(PROFILE_VERSION));
	json_object_set_new(root, "rows", json_integer((json_int_t)p->rows));
	json_object_set_new(opts, "bins", json_integer(p->bins));
	json_object_set_new(opts, "top_k", json_integer(p->top_k));
	json_object_set_new(opts, "sketch_k", json_integer(p->sketch_k));
	json_object_set_new(opts, "sample", json_integer((json_int_t)p->sample));
	json_object_set_new(opts, "seed", json_integer((json_int_t)p->seed));
	json_object_set_new(root, "options", opts);
	for (i = 0; i < p->ncols; i++) {
		const struct prof_col *c = &p->cols[i];
		json_t *o = json_object(), *body;
		const char *k;
		json_t *v;

		json_object_set_new(o, "type", json_string(profile_type_name(c->type)));
		json_object_set_new(o, "count", json_integer((json_int_t)c->count));
		json_object_set_new(o, "missing", json_integer((json_int_t)c->missing));
		body = c->type == PROF_CATEGORICAL ? categorical_json(c) : numeric_json(p, c);
		json_object_foreach(body, k, v)
			json_object_set(o, k, v);
		json_decref(body);
		json_object_set_new(cols, c->name, o);
	}
	json_object_set_new(root, "columns", cols);
	jsonw_tree(&sb, root, 2);
	strbuf_addc(&sb, '\n');
	json_decref(root);
	return strbuf_detach(&sb, NULL);
}

/* ---- reading ----------------------------------------------------------- */

struct rd {
	const struct doc *d;
	struct xp_error *err;
};

static int bad(const struct rd *r, const struct doc_node *n, const char *what, const char *path)
{
	return xp_error_at(r->err, XP_ERR_MALFORMED, r->d->name, n ? n->line : 1,
			   n ? n->col : 1, "%s: %s", path, what);
}

static const struct doc_node *need(const struct rd *r, const struct doc_node *map,
				   const char *key, const char *path)
{
	const struct doc_node *n = doc_get(map, key);

	if (!n) {
		xp_error_at(r->err, XP_ERR_MALFORMED, r->d->name, map->line, map->col,
			    "%s: missing key '%s'", path, key);
	}
	return n;
}

static int get_num(const struct rd *r, const struct doc_node *map, const char *key,
		   const char *path, double *out)
{
	const struct doc_node *n = need(r, map, key, path);

	if (!n)
		return -1;
	if (doc_number(n, out))
		return bad(r, n, "expected a finite number", key);
	return 0;
}

/* A non-negative integer up to `max`. */
static int get_count(const struct rd *r, const struct doc_node *map, const char *key,
		     const char *path, double max, uint64_t *out)
{
	double v;

	if (get_num(r, map, key, path, &v))
		return -1;
	if (v < 0 || v != floor(v) || v > max)
		return bad(r, doc_get(map, key), "expected a non-negative integer", key);
	*out = (uint64_t)v;
	return 0;
}

static int get_reals(const struct rd *r, const struct doc_node *n, const char *path,
		     size_t max, double **out, size_t *len)
{
	size_t i;

	if (n->type != DOC_SEQ)
		return bad(r, n, "expected a list of numbers", path);
	if (n->n > max)
		return bad(r, n, "too many values", path);
	*out = xmalloc((n->n + 1) * sizeof(**out));
	for (i = 0; i < n->n; i++)
		if (doc_number(n->items[i], &(*out)[i])) {
			free(*out);
			*out = NULL;
			return bad(r, n->items[i], "expected a finite number", path);
		}
	*len = n->n;
	return 0;
}

static int load_sketch(const struct rd *r, const struct doc_node *s, struct prof_col *c)
{
	const struct doc_node *lv = need(r, s, "levels", "sketch");
	size_t h, i, len;
	double *v;
	uint64_t n = 0;

	if (!lv)
		return -1;
	if (lv->type != DOC_SEQ || lv->n == 0 || lv->n > KLL_MAX_LEVELS)
		return bad(r, lv, "expected a list of 1 to 64 levels", "sketch.levels");
	for (h = 0; h < lv->n; h++) {
		if (get_reals(r, lv->items[h], "sketch.levels", 1u << 20, &v, &len))
			return -1;
		for (i = 0; i < len; i++)
			kll_put(&c->sketch, h, v[i]);
		n += (uint64_t)len << h;
		free(v);
	}
	if (n != c->count)
		return bad(r, lv, "the levels' weights do not add up to the column's count",
			   "sketch.levels");
	c->sketch.n = n;
	kll_settle(&c->sketch);
	return 0;
}

static int load_numeric(const struct rd *r, const struct profile *p, const struct doc_node *o,
			struct prof_col *c)
{
	const struct doc_node *s;
	double *v;
	size_t len;

	if (c->count == 0)
		return 0;
	if (get_num(r, o, "min", c->name, &c->min) || get_num(r, o, "max", c->name, &c->max) ||
	    get_num(r, o, "mean", c->name, &c->mean) || get_num(r, o, "m2", c->name, &c->m2))
		return -1;
	if (c->min > c->max)
		return bad(r, doc_get(o, "min"), "greater than max", c->name);
	if (c->m2 < 0)
		return bad(r, doc_get(o, "m2"), "negative", c->name);
	if (!(s = need(r, o, "sketch", c->name)) || load_sketch(r, s, c))
		return -1;
	s = doc_get(o, "sample");
	if (s && p->sample) {
		if (get_reals(r, s, "sample", p->sample, &v, &len))
			return -1;
		if (len > c->count) {
			free(v);
			return bad(r, s, "more values than the column's count", "sample");
		}
		memcpy(c->sample, v, len * sizeof(*v));
		c->nsample = len;
		free(v);
	}
	return 0;
}

static int load_categorical(const struct rd *r, const struct doc_node *o, struct prof_col *c)
{
	const struct doc_node *top = need(r, o, "top", c->name), *a;
	uint64_t sum = 0, other;
	double v;
	size_t i;

	if (!top)
		return -1;
	if (top->type != DOC_SEQ || top->n > c->top.cap)
		return bad(r, top, "expected a list of at most top_k [value, count] pairs", "top");
	for (i = 0; i < top->n; i++) {
		a = top->items[i];
		if (a->type != DOC_SEQ || a->n != 2 || a->items[0]->type != DOC_SCALAR ||
		    doc_number(a->items[1], &v) || v < 1 || v != floor(v) || v > 9e15)
			return bad(r, a, "expected [value, count] with a positive count", "top");
		if (topk_find(&c->top, a->items[0]->str) >= 0)
			return bad(r, a, "value listed twice", "top");
		topk_add(&c->top, a->items[0]->str, a->items[0]->len, (uint64_t)v);
		sum += (uint64_t)v;
	}
	if (get_count(r, o, "other", c->name, 9e15, &other))
		return -1;
	if (sum + other != c->count)
		return bad(r, doc_get(o, "other"), "top counts and other do not add up to count",
			   c->name);
	a = doc_get(o, "approximate");
	c->other = other;
	c->top.evicted = other > 0 || (a && a->kind == DOC_BOOL && a->str[0] == 't');
	c->top.total = c->count;
	return 0;
}

static int load_column(const struct rd *r, struct profile *p, const struct doc_pair *pr,
		       struct prof_col *c)
{
	const struct doc_node *o = pr->value, *t;
	const char *name = pr->key->str;

	if (o->type != DOC_MAP)
		return bad(r, o, "expected a mapping", name);
	c->name = xstrdup(name);
	kll_init(&c->sketch, p->sketch_k);
	topk_init(&c->top, p->top_k);
	if (p->sample)
		c->sample = xmalloc(p->sample * sizeof(*c->sample));
	if (!(t = need(r, o, "type", name)))
		return -1;
	if (doc_is_string(t) && strcmp(t->str, "numeric") == 0)
		c->type = PROF_NUMERIC;
	else if (doc_is_string(t) && strcmp(t->str, "categorical") == 0)
		c->type = PROF_CATEGORICAL;
	else
		return bad(r, t, "expected numeric or categorical", "type");
	if (get_count(r, o, "count", name, 9e15, &c->count) ||
	    get_count(r, o, "missing", name, 9e15, &c->missing))
		return -1;
	if (c->count + c->missing != p->rows)
		return bad(r, doc_get(o, "count"), "count and missing do not add up to rows", name);
	return c->type == PROF_NUMERIC ? load_numeric(r, p, o, c) : load_categorical(r, o, c);
}

static int load_options(const struct rd *r, const struct doc_node *root, struct profile *p)
{
	const struct doc_node *o = need(r, root, "options", "profile");
	uint64_t bins, top_k, k, sample, seed;

	if (!o)
		return -1;
	if (o->type != DOC_MAP)
		return bad(r, o, "expected a mapping", "options");
	if (get_count(r, o, "bins", "options", PROFILE_MAX_BINS, &bins) ||
	    get_count(r, o, "top_k", "options", PROFILE_MAX_TOP_K, &top_k) ||
	    get_count(r, o, "sketch_k", "options", 65535, &k) ||
	    get_count(r, o, "sample", "options", PROFILE_MAX_SAMPLE, &sample) ||
	    get_count(r, o, "seed", "options", 9007199254740992.0, &seed))
		return -1;
	if (bins < 1 || top_k < 1 || k < 8)
		return bad(r, o, "bins and top_k must be at least 1, sketch_k at least 8", "options");
	p->bins = (unsigned)bins;
	p->top_k = (unsigned)top_k;
	p->sketch_k = (unsigned)k;
	p->sample = (size_t)sample;
	p->seed = seed;
	return 0;
}

static int load_root(const struct rd *r, struct profile *p)
{
	const struct doc_node *root = r->d->root, *v, *cols;
	double ver;
	size_t i;

	if (!root || root->type != DOC_MAP)
		return bad(r, root, "expected a JSON object", "profile");
	if (!(v = need(r, root, "xpship_profile", "profile")))
		return -1;
	if (doc_number(v, &ver) || ver != PROFILE_VERSION)
		return bad(r, v, "unsupported profile version (expected 1)", "xpship_profile");
	if (get_count(r, root, "rows", "profile", 9e15, &p->rows) || load_options(r, root, p))
		return -1;
	if (!(cols = need(r, root, "columns", "profile")))
		return -1;
	if (cols->type != DOC_MAP)
		return bad(r, cols, "expected a mapping", "columns");
	p->cols = xcalloc(cols->n + 1, sizeof(*p->cols));
	for (i = 0; i < cols->n; i++) {
		p->ncols = i + 1;
		if (load_column(r, p, &cols->pairs[i], &p->cols[i]))
			return -1;
	}
	return 0;
}

static int load_doc(struct doc *d, struct profile *p, struct xp_error *err)
{
	struct rd r;
	int ret;

	r.d = d;
	r.err = err;
	ret = load_root(&r, p);
	doc_free(d);
	if (ret) {
		profile_release(p);
		return -1;
	}
	profile_finish(p);
	return 0;
}

int profile_load_buf(const char *buf, size_t len, const char *name, struct profile *p,
		     struct xp_error *err)
{
	struct doc *d;

	memset(p, 0, sizeof(*p));
	if (doc_load_buf(buf, len, name, DOC_JSON, &d, err))
		return -1;
	return load_doc(d, p, err);
}

int profile_load_file(const char *path, struct profile *p, struct xp_error *err)
{
	struct doc *d;

	memset(p, 0, sizeof(*p));
	if (doc_load_file(path, DOC_JSON, DOC_MAX_SIZE, NULL, &d, err))
		return -1;
	return load_doc(d, p, err);
}

int profile_merge_files(const char *const *paths, size_t n, struct profile *p,
			struct xp_error *err)
{
	struct profile o;
	size_t i;

	if (n == 0)
		return xp_error_set(err, XP_ERR_USAGE, "no profiles to merge");
	if (profile_load_file(paths[0], p, err))
		return -1;
	for (i = 1; i < n; i++) {
		if (profile_load_file(paths[i], &o, err)) {
			profile_release(p);
			return -1;
		}
		if (profile_merge(p, &o, paths[i], err)) {
			profile_release(&o);
			profile_release(p);
			return -1;
		}
		profile_release(&o);
	}
	return 0;
}
