/*
 * experiment_update.c — `xpship record update`: refresh the digests of the
 * local files a record names (data[], environment.lockfile, runs[].artifacts[],
 * model.files[]), editing the record's text in place so its comments, order
 * and formatting stay as written.
 *
 * The record is parsed once from the bytes that are edited (positions of the
 * digest scalars come from that parse). A digest that is present is replaced
 * where it stands (plain or quoted); a missing one is added as a
 * `digest:` line below the entry's `path:` in a block mapping. Remote data
 * (`uri:`) has no local bytes and is left alone. The new text is checked by
 * parsing it again before it replaces the record, atomically.
 */
#define _GNU_SOURCE 1 /* memmem */
#include "pipeline/experiment.h"
#include "pipeline/experiment_impl.h"

#include "common/digest.h"
#include "common/doc.h"
#include "common/fileio.h"
#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct edit {
	size_t at, del;            /* byte offset and bytes replaced */
	char *text;                /* inserted */
};

struct upd {
	const char *path;          /* the record, as named */
	const char *buf;
	size_t len;
	char *base;
	struct edit *e;
	size_t n_e;
	struct experiment_update *out;
	struct xp_error *err;
};

/* Byte offset of (line, col), col counted in characters as libyaml does. */
static size_t offset_of(const char *buf, size_t len, unsigned line, unsigned col)
{
	size_t i = 0;
	unsigned l = 1, c = 1;

	while (i < len && l < line)
		if (buf[i++] == '\n')
			l++;
	while (i < len && c < col && buf[i] != '\n') {
		i++;
		while (i < len && ((unsigned char)buf[i] & 0xC0) == 0x80)
			i++;
		c++;
	}
	return i;
}

/* Plan replacing del bytes at `at` by text. A YAML alias shares one digest
 * between entries: the same edit twice is one edit, different ones conflict. */
static int add_edit(struct upd *u, size_t at, size_t del, const char *text,
		    const struct doc_node *n)
{
	size_t i;

	for (i = 0; i < u->n_e; i++) {
		if (u->e[i].at != at)
			continue;
		if (u->e[i].del == del && strcmp(u->e[i].text, text) == 0)
			return 0;
		return xp_error_at(u->err, XP_ERR_MALFORMED, u->path, n->line, n->col,
				   "this digest is shared (a YAML alias) by files whose "
				   "digests differ: give each entry its own");
	}
	u->e = xrealloc(u->e, (u->n_e + 1) * sizeof(*u->e));
	u->e[u->n_e].at = at;
	u->e[u->n_e].del = del;
	u->e[u->n_e].text = xstrdup(text);
	u->n_e++;
	return 0;
}

static void add_change(struct upd *u, const char *where, const char *file,
		       const char *old, const char *new_digest, unsigned line, unsigned col)
{
	struct experiment_change *c;

	u->out->v = xrealloc(u->out->v, (u->out->n + 1) * sizeof(*u->out->v));
	c = &u->out->v[u->out->n++];
	c->where = xstrdup(where);
	c->file = xstrdup(file);
	c->old_digest = old ? xstrdup(old) : NULL;
	c->new_digest = xstrdup(new_digest);
	c->line = line;
	c->col = col;
}

/* One {path, digest} entry: compare, and plan the edit. */
static int entry(struct upd *u, const struct doc_node *map, const char *where)
{
	const struct doc_node *p = doc_get(map, "path"), *d = doc_get(map, "digest");
	const struct doc_node *pk = doc_get_key(map, "path");
	char dg[XP_DIGEST_SIZE], *file;
	size_t at;
	int ret;

	if (!p || !doc_is_string(p))
		return 0;   /* a remote `uri:` entry, or not a file: validate says why */
	file = p->str[0] == '/' || !*u->base ? xstrdup(p->str)
					     : xasprintf("%s/%s", u->base, p->str);
	ret = digest_file(file, dg, NULL, u->err);
	if (ret) {
		char msg[XP_ERR_MSG_MAX];

		snprintf(msg, sizeof(msg), "%s", u->err->msg);
		free(file);
		return xp_error_at(u->err, u->err->cls, u->path, p->line, p->col, "%s: %s", where,
				   msg);
	}
	free(file);
	if (d && doc_is_string(d) && strcmp(d->str, dg) == 0)
		return 0;
	if (d && d->type == DOC_SCALAR && d->len) {
		size_t end;
		const char *hit;

		at = offset_of(u->buf, u->len, d->line, d->col);
		for (end = at; end < u->len && u->buf[end] != '\n'; end++)
			;
		hit = memmem(u->buf + at, end - at, d->str, d->len);
		if (!hit)
			return xp_error_at(u->err, XP_ERR_MALFORMED, u->path, d->line, d->col,
					   "cannot rewrite '%s.digest' in place: write it as a plain "
					   "or quoted string on one line", where);
		return add_edit(u, (size_t)(hit - u->buf), d->len, dg, d) ? -1 :
		       (add_change(u, where, p->str, d->str, dg, d->line, d->col), 0);
	}
	if (d)
		return xp_error_at(u->err, XP_ERR_MALFORMED, u->path, d->line, d->col,
				   "'%s.digest' must be a string, found %s", where, doc_type_name(d));
	/* no digest: a line below the path's, at the key's indentation */
	at = offset_of(u->buf, u->len, p->line, p->col);
	if (pk->line != p->line || memchr(u->buf + offset_of(u->buf, u->len, pk->line, 1), '{',
					  offset_of(u->buf, u->len, pk->line, pk->col) -
					  offset_of(u->buf, u->len, pk->line, 1)))
		return xp_error_at(u->err, XP_ERR_MALFORMED, u->path, map->line, map->col,
				   "'%s' has no digest and is not a block mapping: add "
				   "'digest: %s' by hand", where, dg);
	while (at < u->len && u->buf[at] != '\n')
		at++;
	{
		char *line = xasprintf("%s%*sdigest: %s\n", at < u->len ? "" : "\n",
				       (int)(pk->col - 1), "", dg);
		int r = add_edit(u, at < u->len ? at + 1 : at, 0, line, map);

		free(line);
		if (r)
			return -1;
	}
	add_change(u, where, p->str, NULL, dg, pk->line, pk->col);
	return 0;
}

static int entries(struct upd *u, const struct doc_node *seq, const char *name)
{
	char where[128];
	size_t i;

	if (!seq || seq->type != DOC_SEQ)
		return 0;
	for (i = 0; i < seq->n; i++) {
		if (seq->items[i]->type != DOC_MAP)
			continue;
		snprintf(where, sizeof(where), "%s[%zu]", name, i);
		if (entry(u, seq->items[i], where))
			return -1;
	}
	return 0;
}

static int plan(struct upd *u, const struct doc_node *root)
{
	const struct doc_node *env = doc_get(root, "environment");
	const struct doc_node *runs = doc_get(root, "runs"), *model = doc_get(root, "model");
	const struct doc_node *lock = env ? doc_get(env, "lockfile") : NULL;
	char where[128];
	size_t i;

	if (entries(u, doc_get(root, "data"), "data"))
		return -1;
	if (lock && lock->type == DOC_MAP && entry(u, lock, "environment.lockfile"))
		return -1;
	for (i = 0; runs && runs->type == DOC_SEQ && i < runs->n; i++) {
		if (runs->items[i]->type != DOC_MAP)
			continue;
		snprintf(where, sizeof(where), "runs[%zu].artifacts", i);
		if (entries(u, doc_get(runs->items[i], "artifacts"), where))
			return -1;
	}
	return entries(u, model ? doc_get(model, "files") : NULL, "model.files");
}

static int cmp_edit(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

static char *apply(struct upd *u, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, pos = 0;

	qsort(u->e, u->n_e, sizeof(*u->e), cmp_edit);
	for (i = 0; i < u->n_e; i++) {
		strbuf_add(&sb, u->buf + pos, u->e[i].at - pos);
		strbuf_adds(&sb, u->e[i].text);
		pos = u->e[i].at + u->e[i].del;
	}
	strbuf_add(&sb, u->buf + pos, u->len - pos);
	return strbuf_detach(&sb, len);
}

int experiment_update(const char *path, int write, struct experiment_update *out,
		      struct xp_error *err)
{
	struct upd u;
	struct doc *d = NULL, *check = NULL;
	struct stat st;
	char *buf = NULL, *text = NULL;
	size_t len, tlen, i;
	int ret = -1;

	memset(&u, 0, sizeof(u));
	memset(out, 0, sizeof(*out));
	if (file_read_all(path, EXPERIMENT_MAX_SIZE, &buf, &len, err) ||
	    experiment_parse(buf, len, path, &d, NULL, err))
		goto out;
	if (!d->root || d->root->type != DOC_MAP) {
		xp_error_at(err, XP_ERR_MALFORMED, path, 1, 1, "expected an experiment record (a mapping)");
		goto out;
	}
	u.path = path;
	u.buf = buf;
	u.len = len;
	u.base = experiment_base_dir(path);
	u.out = out;
	u.err = err;
	if (plan(&u, d->root))
		goto out;
	if (write && u.n_e) {
		text = apply(&u, &tlen);
		if (experiment_parse(text, tlen, path, &check, NULL, err)) {
			xp_error_prefix(err, "the updated record would not parse");
			goto out;
		}
		if (stat(path, &st) < 0) {
			xp_error_errno(err, XP_ERR_LOCAL, "cannot stat '%s'", path);
			goto out;
		}
		if (file_write_atomic(path, text, tlen, st.st_mode & 07777, err))
			goto out;
	}
	ret = 0;
out:
	if (ret)
		experiment_update_release(out);
	for (i = 0; i < u.n_e; i++)
		free(u.e[i].text);
	free(u.e);
	free(u.base);
	free(text);
	free(buf);
	doc_free(d);
	doc_free(check);
	return ret;
}

void experiment_update_release(struct experiment_update *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].where);
		free(r->v[i].file);
		free(r->v[i].old_digest);
		free(r->v[i].new_digest);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}
