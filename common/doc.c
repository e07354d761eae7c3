/*
 * doc.c — positioned YAML/JSON trees over libyaml events (see doc.h).
 *
 * The tree is built from the parser's event stream with an explicit stack, so
 * deep input cannot overflow the C stack. Nodes, strings and child arrays live in
 * one arena freed with the document. Each mapping under construction keeps a small
 * hash set of its keys, so duplicate detection stays linear for large maps.
 */
#include "common/doc.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/strbuf.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

/* ---- arena ------------------------------------------------------------ */

struct block {
	struct block *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct block *head;
};

static void *arena_alloc(struct arena *a, size_t n)
{
	struct block *b = a->head;
	size_t need = (n + 15) & ~(size_t)15;
	void *p;

	if (!b || b->size - b->used < need) {
		size_t size = 64 * 1024;

		if (b && b->size < 4 * 1024 * 1024)
			size = b->size * 2;
		if (size < need)
			size = need;
		b = xmalloc(sizeof(*b) + size);
		b->next = a->head;
		b->used = 0;
		b->size = size;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += need;
	memset(p, 0, n);
	return p;
}

static void arena_free(struct arena *a)
{
	struct block *b, *next;

	if (!a)
		return;
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

/* ---- construction state ---------------------------------------------- */

struct xnode {
	struct doc_node n;
	size_t weight;      /* nodes after alias expansion, this one included */
	size_t cap;         /* capacity of items/pairs while building */
};

struct frame {
	struct xnode *node;
	struct xnode *key;     /* map: key waiting for its value */
	size_t *set;           /* map: hash set of pair indexes + 1 */
	size_t setcap;
	char *anchor;          /* registered when the collection ends */
};

struct anchor {
	char *name;
	struct xnode *node;
};

struct builder {
	struct arena *arena;
	const char *name;
	struct frame *stack;
	size_t depth, stackcap;
	struct anchor *anchors;
	size_t nanchors, anchorcap;
	struct xnode *root;
	int have_doc;
	struct xp_error *err;
};

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static int is_one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static int all_in(const char *s, const char *set)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr(set, *s))
			return 0;
	return 1;
}

static int is_core_float(const char *s)
{
	static const char *const special[] = {
		".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
		"-.INF", ".nan", ".NaN", ".NAN", NULL,
	};
	const char *p = s;
	int digits = 0;

	if (is_one_of(s, special))
		return 1;
	if (*p == '+' || *p == '-')
		p++;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits++;
		}
	}
	if (!digits)
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

static enum doc_kind resolve_plain(const char *s)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
	static const char *const bools[] = {"true", "True", "TRUE", "false", "False",
					    "FALSE", NULL};
	const char *p = s;

	if (is_one_of(s, nulls))
		return DOC_NULL;
	if (is_one_of(s, bools))
		return DOC_BOOL;
	if (strncmp(s, "0x", 2) == 0 && all_in(s + 2, "0123456789abcdefABCDEF"))
		return DOC_INT;
	if (strncmp(s, "0o", 2) == 0 && all_in(s + 2, "01234567"))
		return DOC_INT;
	if (*p == '+' || *p == '-')
		p++;
	if (all_in(p, "0123456789"))
		return DOC_INT;
	if (is_core_float(s))
		return DOC_FLOAT;
	return DOC_STR;
}

static struct xnode *new_node(struct builder *b, enum doc_type type, yaml_mark_t mark)
{
	struct xnode *x = arena_alloc(b->arena, sizeof(*x));

	x->n.type = type;
	x->n.line = (unsigned)mark.line + 1;
	x->n.col = (unsigned)mark.column + 1;
	x->weight = 1;
	return x;
}

static int fail_at(struct builder *b, unsigned line, unsigned col, const char *fmt,
		   const char *arg)
{
	return xp_error_at(b->err, XP_ERR_MALFORMED, b->name, line, col, fmt, arg);
}

/* Map key bookkeeping: returns the index + 1 of an equal key, or 0 after adding. */
static size_t set_find_or_add(struct builder *b, struct frame *f, size_t idx)
{
	struct doc_node *m = &f->node->n;
	const struct doc_node *k = m->pairs[idx].key;
	size_t i, mask;

	if (f->setcap < 2 * (m->n + 1)) {
		size_t ncap = f->setcap ? f->setcap * 2 : 32, j;
		size_t *nset;

		while (ncap < 2 * (m->n + 1))
			ncap *= 2;
		nset = xcalloc(ncap, sizeof(*nset));
		for (j = 0; j < idx; j++) {
			const struct doc_node *kj = m->pairs[j].key;

			i = hash_str(kj->str, kj->len) & (ncap - 1);
			while (nset[i])
				i = (i + 1) & (ncap - 1);
			nset[i] = j + 1;
		}
		free(f->set);
		f->set = nset;
		f->setcap = ncap;
	}
	(void)b;
	mask = f->setcap - 1;
	i = hash_str(k->str, k->len) & mask;
	while (f->set[i]) {
		const struct doc_node *o = m->pairs[f->set[i] - 1].key;

		if (o->len == k->len && memcmp(o->str, k->str, k->len) == 0)
			return f->set[i];
		i = (i + 1) & mask;
	}
	f->set[i] = idx + 1;
	return 0;
}

static void grow_children(struct builder *b, struct xnode *p, size_t elem)
{
	size_t ncap;
	void *arr;

	if (p->n.n < p->cap)
		return;
	ncap = p->cap ? p->cap * 2 : 4;
	arr = arena_alloc(b->arena, ncap * elem);
	if (p->n.type == DOC_SEQ) {
		if (p->n.n)
			memcpy(arr, p->n.items, p->n.n * elem);
		p->n.items = arr;
	} else {
		if (p->n.n)
			memcpy(arr, p->n.pairs, p->n.n * elem);
		p->n.pairs = arr;
	}
	p->cap = ncap;
}

static int attach(struct builder *b, struct xnode *x)
{
	struct frame *f;
	struct xnode *p;

	if (!b->depth) {
		b->root = x;
		return 0;
	}
	f = &b->stack[b->depth - 1];
	p = f->node;
	if (p->n.type == DOC_SEQ) {
		grow_children(b, p, sizeof(*p->n.items));
		p->n.items[p->n.n++] = &x->n;
		p->weight += x->weight;
		return 0;
	}
	if (!f->key) {
		if (x->n.type != DOC_SCALAR)
			return fail_at(b, x->n.line, x->n.col,
				       "a mapping key must be a scalar%s", "");
		f->key = x;
		return 0;
	}
	grow_children(b, p, sizeof(*p->n.pairs));
	p->n.pairs[p->n.n].key = &f->key->n;
	p->n.pairs[p->n.n].value = &x->n;
	{
		size_t dup = set_find_or_add(b, f, p->n.n);

		if (dup) {
			const struct doc_node *first = p->n.pairs[dup - 1].key;
			char what[64];

			snprintf(what, sizeof(what), " (first defined at line %u)", first->line);
			return xp_error_at(b->err, XP_ERR_MALFORMED, b->name, f->key->n.line,
					   f->key->n.col, "duplicate key '%s'%s",
					   f->key->n.str, what);
		}
	}
	p->n.n++;
	p->weight += f->key->weight + x->weight;
	f->key = NULL;
	return 0;
}

static int push_frame(struct builder *b, struct xnode *x)
{
	if (b->depth >= DOC_MAX_DEPTH)
		return xp_error_at(b->err, XP_ERR_MALFORMED, b->name, x->n.line, x->n.col,
				   "nesting deeper than %d levels", DOC_MAX_DEPTH);
	if (b->depth == b->stackcap) {
		b->stackcap = b->stackcap ? b->stackcap * 2 : 16;
		b->stack = xrealloc(b->stack, b->stackcap * sizeof(*b->stack));
	}
	memset(&b->stack[b->depth], 0, sizeof(b->stack[0]));
	b->stack[b->depth++].node = x;
	return 0;
}

static void add_anchor(struct builder *b, const char *name, struct xnode *x)
{
	if (b->nanchors == b->anchorcap) {
		b->anchorcap = b->anchorcap ? b->anchorcap * 2 : 8;
		b->anchors = xrealloc(b->anchors, b->anchorcap * sizeof(*b->anchors));
	}
	b->anchors[b->nanchors].name = xstrdup(name);
	b->anchors[b->nanchors++].node = x;
}

static struct xnode *find_anchor(struct builder *b, const char *name)
{
	size_t i = b->nanchors;

	while (i--)   /* the latest definition wins */
		if (strcmp(b->anchors[i].name, name) == 0)
			return b->anchors[i].node;
	return NULL;
}

static int check_weight(struct builder *b, struct xnode *x)
{
	size_t total = x->weight;
	size_t i;

	for (i = 0; i < b->depth; i++)
		total += b->stack[i].node->weight;
	if (total > DOC_MAX_NODES)
		return xp_error_at(b->err, XP_ERR_MALFORMED, b->name, x->n.line, x->n.col,
				   "document too large: more than %d nodes after alias expansion",
				   DOC_MAX_NODES);
	return 0;
}

static int on_event(struct builder *b, yaml_event_t *ev)
{
	struct xnode *x;
	const char *anchor = NULL;

	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
	case YAML_STREAM_END_EVENT:
	case YAML_DOCUMENT_END_EVENT:
	case YAML_NO_EVENT:
		return 0;
	case YAML_DOCUMENT_START_EVENT:
		if (b->have_doc)
			return xp_error_at(b->err, XP_ERR_MALFORMED, b->name,
					   (unsigned)ev->start_mark.line + 1,
					   (unsigned)ev->start_mark.column + 1,
					   "expected a single document, found another%s", "");
		b->have_doc = 1;
		return 0;
	case YAML_ALIAS_EVENT:
		x = find_anchor(b, (const char *)ev->data.alias.anchor);
		if (!x)
			return xp_error_at(b->err, XP_ERR_MALFORMED, b->name,
					   (unsigned)ev->start_mark.line + 1,
					   (unsigned)ev->start_mark.column + 1,
					   "unknown anchor '%s'", (const char *)ev->data.alias.anchor);
		if (check_weight(b, x))
			return -1;
		return attach(b, x);
	case YAML_SCALAR_EVENT: {
		const char *tag = (const char *)ev->data.scalar.tag;

		x = new_node(b, DOC_SCALAR, ev->start_mark);
		x->n.len = ev->data.scalar.length;
		{
			char *s = arena_alloc(b->arena, x->n.len + 1);

			memcpy(s, ev->data.scalar.value, x->n.len);
			x->n.str = s;
		}
		if (tag && strcmp(tag, YAML_STR_TAG) == 0)
			x->n.kind = DOC_STR;
		else if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			 strlen(x->n.str) == x->n.len)
			x->n.kind = resolve_plain(x->n.str);
		else
			x->n.kind = DOC_STR;
		anchor = (const char *)ev->data.scalar.anchor;
		if (anchor)
			add_anchor(b, anchor, x);
		return attach(b, x);
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		x = new_node(b, ev->type == YAML_SEQUENCE_START_EVENT ? DOC_SEQ : DOC_MAP,
			     ev->start_mark);
		if (push_frame(b, x))
			return -1;
		b->stack[b->depth - 1].key = NULL;
		/* remember the anchor name until the end event (no self-reference) */
		anchor = ev->type == YAML_SEQUENCE_START_EVENT
				 ? (const char *)ev->data.sequence_start.anchor
				 : (const char *)ev->data.mapping_start.anchor;
		if (anchor)
			b->stack[b->depth - 1].anchor = xstrdup(anchor);
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT: {
		struct frame f = b->stack[--b->depth];

		free(f.set);
		if (f.anchor) {
			add_anchor(b, f.anchor, f.node);
			free(f.anchor);
		}
		if (check_weight(b, f.node))
			return -1;
		return attach(b, f.node);
	}
	}
	return 0;
}

static void builder_release(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->depth; i++) {
		free(b->stack[i].set);
		free(b->stack[i].anchor);
	}
	free(b->stack);
	for (i = 0; i < b->nanchors; i++)
		free(b->anchors[i].name);
	free(b->anchors);
}

static int parse_yaml(struct builder *b, const char *buf, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int done = 0, ret = 0;

	if (!yaml_parser_initialize(&parser))
		return xp_error_set(b->err, XP_ERR_LOCAL, "cannot initialise the YAML parser");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			const char *ctx = parser.context;
			char extra[160] = "";

			if (ctx)
				snprintf(extra, sizeof(extra), " %s", ctx);
			xp_error_at(b->err, XP_ERR_MALFORMED, b->name,
				    (unsigned)parser.problem_mark.line + 1,
				    (unsigned)parser.problem_mark.column + 1, "%s%s",
				    parser.problem ? parser.problem : "YAML syntax error", extra);
			ret = -1;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		ret = on_event(b, &ev);
		yaml_event_delete(&ev);
		if (ret)
			break;
	}
	yaml_parser_delete(&parser);
	return ret;
}

static int check_json(const char *buf, size_t len, const char *name, struct xp_error *err)
{
	json_error_t jerr;
	json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);

	if (j) {
		json_decref(j);
		return 0;
	}
	return xp_error_at(err, XP_ERR_MALFORMED, name, jerr.line > 0 ? (unsigned)jerr.line : 1,
			   jerr.column > 0 ? (unsigned)jerr.column : 1, "%s", jerr.text);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int doc_load_buf(const char *buf, size_t len, const char *name, enum doc_format fmt,
		 struct doc **out, struct xp_error *err)
{
	struct builder b;
	struct doc *d;

	memset(&b, 0, sizeof(b));
	if (fmt == DOC_AUTO)
		fmt = ends_with(name, ".json") ? DOC_JSON : DOC_YAML;
	if (fmt == DOC_JSON && check_json(buf, len, name, err))
		return -1;
	b.arena = xcalloc(1, sizeof(*b.arena));
	b.name = name;
	b.err = err;
	if (parse_yaml(&b, buf, len)) {
		builder_release(&b);
		arena_free(b.arena);
		return -1;
	}
	builder_release(&b);
	d = xcalloc(1, sizeof(*d));
	d->name = xstrdup(name);
	d->root = b.root ? &b.root->n : NULL;
	d->arena_ = b.arena;
	*out = d;
	return 0;
}

int doc_load_file(const char *path, enum doc_format fmt, size_t max,
		  char digest[XP_DIGEST_SIZE], struct doc **out, struct xp_error *err)
{
	char *buf = NULL;
	size_t len;
	int ret;

	if (file_read_all(path, max, &buf, &len, err))
		return -1;
	if (digest)
		digest_buf(buf, len, digest);
	ret = doc_load_buf(buf, len, path, fmt, out, err);
	free(buf);
	return ret;
}

void doc_free(struct doc *d)
{
	if (!d)
		return;
	arena_free(d->arena_);
	free(d->name);
	free(d);
}

/* The pair of `map` whose key is `key`, or NULL. */
static const struct doc_pair *find_pair(const struct doc_node *map, const char *key)
{
	size_t i, n;

	if (!map || map->type != DOC_MAP)
		return NULL;
	n = strlen(key);
	for (i = 0; i < map->n; i++) {
		const struct doc_node *k = map->pairs[i].key;

		if (k->len == n && memcmp(k->str, key, n) == 0)
			return &map->pairs[i];
	}
	return NULL;
}

const struct doc_node *doc_get_key(const struct doc_node *map, const char *key)
{
	const struct doc_pair *p = find_pair(map, key);

	return p ? p->key : NULL;
}

const struct doc_node *doc_get(const struct doc_node *map, const char *key)
{
	const struct doc_pair *p = find_pair(map, key);

	return p ? p->value : NULL;
}

int doc_number(const struct doc_node *n, double *out)
{
	const char *s;
	char *end;
	double v;

	if (!n || n->type != DOC_SCALAR || (n->kind != DOC_INT && n->kind != DOC_FLOAT))
		return -1;
	s = n->str;
	errno = 0;
	if (strncmp(s, "0x", 2) == 0)
		v = (double)strtoull(s + 2, &end, 16);
	else if (strncmp(s, "0o", 2) == 0)
		v = (double)strtoull(s + 2, &end, 8);
	else if (strchr(s, 'n') || strchr(s, 'N')) /* .inf, .nan */
		return -1;
	else
		v = strtod(s, &end);
	if (*end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int doc_is_string(const struct doc_node *n)
{
	return n && n->type == DOC_SCALAR && n->kind == DOC_STR;
}

const char *doc_type_name(const struct doc_node *n)
{
	if (!n)
		return "nothing";
	if (n->type == DOC_MAP)
		return "mapping";
	if (n->type == DOC_SEQ)
		return "sequence";
	switch (n->kind) {
	case DOC_STR:
		return "string";
	case DOC_NULL:
		return "null";
	case DOC_BOOL:
		return "boolean";
	case DOC_INT:
		return "integer";
	case DOC_FLOAT:
		return "number";
	}
	return "scalar";
}
