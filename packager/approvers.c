/*
 * approvers.c — the approvers file (approval.h): who may approve and waive,
 * with which key and in which roles. Read with common/doc.h, so every error
 * names file:line:col.
 */
#include "packager/approval.h"

#include "common/doc.h"
#include "common/strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int bad(const struct doc *d, const struct doc_node *n, struct xp_error *err,
	       const char *fmt, ...) XP_PRINTF(4, 5);

static int bad(const struct doc *d, const struct doc_node *n, struct xp_error *err,
	       const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	xp_error_at(err, XP_ERR_MALFORMED, d->name, n ? n->line : 0, n ? n->col : 0, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

/* path's directory joined with rel, unless rel is absolute (caller frees). */
static char *relative_to(const char *path, const char *rel)
{
	const char *slash = strrchr(path, '/');

	if (rel[0] == '/' || !slash)
		return xstrdup(rel);
	return xasprintf("%.*s/%s", (int)(slash - path), path, rel);
}

static int load_key(const struct doc *d, const struct doc_node *e, struct approver *ap,
		    struct xp_error *err)
{
	const struct doc_node *key = doc_get(e, "key"), *pem = doc_get(e, "pem");
	const struct doc_node *at = key ? key : pem;
	struct xp_error why;
	char *spec, *what;
	int ret;

	if (!key == !pem)
		return bad(d, e, err, "approver '%s' needs one of 'key' (a file) or 'pem'",
			   ap->name);
	if (!doc_is_string(at))
		return bad(d, at, err, "'%s' of approver '%s' must be a string", key ? "key" : "pem",
			   ap->name);
	xp_error_clear(&why);
	if (key) {
		spec = relative_to(d->name, key->str);
		ret = key_read_public(spec, &ap->key, &why);
		free(spec);
	} else {
		what = xasprintf("pem of %s", ap->name);
		ret = key_load_public(pem->str, pem->len, what, &ap->key, &why);
		free(what);
	}
	if (ret)
		return xp_error_at(err, XP_ERR_MALFORMED, d->name, at->line, at->col, "%s",
				   why.msg);
	return 0;
}

static int load_roles(const struct doc *d, const struct doc_node *e, struct approver *ap,
		      struct xp_error *err)
{
	const struct doc_node *roles = doc_get(e, "roles");
	size_t i;

	if (!roles)
		return 0;
	if (roles->type != DOC_SEQ)
		return bad(d, roles, err, "'roles' of approver '%s' must be a list", ap->name);
	ap->roles = xcalloc(roles->n + 1, sizeof(*ap->roles));
	for (i = 0; i < roles->n; i++) {
		if (!doc_is_string(roles->items[i]) || !roles->items[i]->len)
			return bad(d, roles->items[i], err,
				   "a role of approver '%s' must be a non-empty string", ap->name);
		ap->roles[ap->n_roles++] = xstrdup(roles->items[i]->str);
	}
	return 0;
}

static int load_one(const struct doc *d, const struct doc_node *e, struct approvers *a,
		    struct xp_error *err)
{
	static const char *const known[] = {"name", "key", "pem", "roles"};
	const struct doc_node *name = doc_get(e, "name");
	struct approver *ap;
	size_t i, k;

	if (e->type != DOC_MAP)
		return bad(d, e, err, "an approver must be a mapping with name and key");
	for (i = 0; i < e->n; i++) {
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (strcmp(e->pairs[i].key->str, known[k]) == 0)
				break;
		if (k == sizeof(known) / sizeof(known[0]))
			return bad(d, e->pairs[i].key, err,
				   "unknown key '%s' (expected name, key, pem, roles)",
				   e->pairs[i].key->str);
	}
	if (!name || !doc_is_string(name) || !name->len)
		return bad(d, name ? name : e, err, "an approver needs a non-empty 'name'");
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, name->str) == 0)
			return bad(d, name, err, "approver '%s' is listed twice", name->str);
	a->v = xrealloc(a->v, (a->n + 1) * sizeof(*a->v));
	ap = &a->v[a->n++];
	memset(ap, 0, sizeof(*ap));
	ap->name = xstrdup(name->str);
	if (load_key(d, e, ap, err) || load_roles(d, e, ap, err))
		return -1;
	return 0;
}

int approvers_load(const char *path, struct approvers *out, struct xp_error *err)
{
	struct approvers a;
	const struct doc_node *root, *list;
	struct doc *d = NULL;
	size_t i;

	memset(&a, 0, sizeof(a));
	if (doc_load_file(path, DOC_YAML, APPROVAL_FILE_MAX, a.digest, &d, err))
		return -1;
	root = d->root;
	if (!root || root->type != DOC_MAP) {
		xp_error_at(err, XP_ERR_MALFORMED, path, root ? root->line : 1, root ? root->col : 1,
			    "expected a mapping with 'approvers'");
		goto fail;
	}
	for (i = 0; i < root->n; i++)
		if (strcmp(root->pairs[i].key->str, "approvers") != 0) {
			bad(d, root->pairs[i].key, err, "unknown key '%s' (expected approvers)",
			    root->pairs[i].key->str);
			goto fail;
		}
	list = doc_get(root, "approvers");
	if (!list || list->type != DOC_SEQ || !list->n) {
		bad(d, list ? list : root, err, "'approvers' must be a non-empty list");
		goto fail;
	}
	a.path = xstrdup(path);
	for (i = 0; i < list->n; i++)
		if (load_one(d, list->items[i], &a, err))
			goto fail;
	doc_free(d);
	*out = a;
	return 0;
fail:
	doc_free(d);
	approvers_release(&a);
	return -1;
}

void approvers_release(struct approvers *a)
{
	size_t i, j;

	if (!a)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->v[i].name);
		key_free(a->v[i].key);
		for (j = 0; j < a->v[i].n_roles; j++)
			free(a->v[i].roles[j]);
		free(a->v[i].roles);
	}
	free(a->v);
	free(a->path);
	memset(a, 0, sizeof(*a));
}
