/*
 * tree.c — walking pack inputs into a sorted, normalised entry list (see
 * tree.h).
 */
#include "packager/tree.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "common/utf8.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINK_MAX_LEN 4096

struct walk {
	struct tree *t;
	size_t cap;
};

static struct tree_entry *add(struct walk *w, const char *name, const char *src,
			      enum tree_type type)
{
	struct tree_entry *e;

	if (w->t->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 64;
		w->t->v = xrealloc(w->t->v, w->cap * sizeof(*w->t->v));
	}
	e = &w->t->v[w->t->n++];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(name);
	e->src = src ? xstrdup(src) : NULL;
	e->type = type;
	e->mode = tree_mode(type, 0);
	return e;
}

unsigned tree_mode(enum tree_type type, unsigned mode)
{
	if (type == TREE_DIR)
		return 0755;
	if (type == TREE_LINK)
		return 0777;
	return mode & 0111 ? 0755 : 0644;
}

const char *tree_basename(const char *name)
{
	const char *slash = strrchr(name, '/');

	return slash ? slash + 1 : name;
}

int tree_is_ancestor(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	return strncmp(dir, name, n) == 0 && name[n] == '/';
}

/* A ".." after a normal component could climb out through a link, so it is
 * refused even when it would stay inside lexically. */
int tree_link_inside(const char *target, size_t depth)
{
	const char *p = target;
	long level = (long)depth;
	int descended = 0;

	if (!*target || *target == '/')
		return 0;
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (descended || --level < 0)
				return 0;
		} else if (len && !(len == 1 && p[0] == '.')) {
			descended = 1;
		}
		p += len;
		while (*p == '/')
			p++;
	}
	return 1;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct tree_entry *)a)->name, ((const struct tree_entry *)b)->name);
}

static int walk_dir(struct walk *w, const char *src, const char *name, size_t depth,
		    struct xp_error *err);

/* Names go into tar headers and JSON annotations as UTF-8, byte for byte: a
 * name that is not UTF-8 has no faithful form there and is refused. */
static int check_name(const char *name, const char *src, struct xp_error *err)
{
	char *q;

	if (utf8_valid(name))
		return 0;
	q = utf8_quote(src);
	xp_error_set(err, XP_ERR_MALFORMED, "cannot pack '%s': its name is not valid UTF-8", q);
	free(q);
	return -1;
}

static int check_link(const char *target, const char *src, struct xp_error *err)
{
	char *q, *t;

	if (utf8_valid(target))
		return 0;
	q = utf8_quote(src);
	t = utf8_quote(target);
	xp_error_set(err, XP_ERR_MALFORMED,
		     "cannot pack link '%s': its target '%s' is not valid UTF-8", q, t);
	free(q);
	free(t);
	return -1;
}

static int special(const char *src, const struct stat *st, struct xp_error *err)
{
	return xp_error_set(err, XP_ERR_USAGE,
			    "cannot pack '%s': not a regular file, directory or link (%s)", src,
			    S_ISFIFO(st->st_mode) ? "a FIFO" : S_ISSOCK(st->st_mode) ? "a socket"
			    : "a device node");
}

/* One entry found inside an input directory (lstat: never followed). */
static int walk_entry(struct walk *w, const char *src, const char *name, size_t depth,
		      struct xp_error *err)
{
	struct tree_entry *e;
	struct stat st;
	char target[LINK_MAX_LEN + 1];
	ssize_t n;

	if (check_name(name, src, err))
		return -1;
	if (lstat(src, &st) < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", src);
	if (S_ISDIR(st.st_mode)) {
		add(w, name, src, TREE_DIR);
		return walk_dir(w, src, name, depth + 1, err);
	}
	if (S_ISREG(st.st_mode)) {
		e = add(w, name, src, TREE_FILE);
		e->size = (uint64_t)st.st_size;
		e->mode = tree_mode(TREE_FILE, st.st_mode);
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		n = readlink(src, target, sizeof(target));
		if (n < 0)
			return xp_error_errno(err, XP_ERR_LOCAL, "cannot read link '%s'", src);
		if ((size_t)n > LINK_MAX_LEN)
			return xp_error_set(err, XP_ERR_USAGE, "cannot pack link '%s': target too long",
					    src);
		target[n] = '\0';
		if (check_link(target, src, err))
			return -1;
		if (!tree_link_inside(target, depth))
			return xp_error_set(err, XP_ERR_USAGE,
					    "cannot pack link '%s': its target '%s' is outside the input (pack the target instead)",
					    src, target);
		e = add(w, name, src, TREE_LINK);
		e->link = xstrdup(target);
		return 0;
	}
	return special(src, &st, err);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(struct walk *w, const char *src, const char *name, size_t depth,
		    struct xp_error *err)
{
	DIR *d = opendir(src);
	struct dirent *de;
	char **names = NULL;
	size_t i, n = 0, cap = 0;
	int ret = 0;

	if (!d)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot read directory '%s'", src);
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	if (errno)
		ret = xp_error_errno(err, XP_ERR_LOCAL, "cannot read directory '%s'", src);
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n && !ret; i++) {
		char *s = xasprintf("%s/%s", src, names[i]);
		char *nm = xasprintf("%s/%s", name, names[i]);

		ret = walk_entry(w, s, nm, depth, err);
		free(s);
		free(nm);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

/* An input: followed if it is a link, then walked. */
static int walk_input(struct walk *w, const struct tree_input *in, struct xp_error *err)
{
	struct tree_entry *e;
	struct stat st;
	const char *p;

	if (!in->dest[0] || in->dest[0] == '/')
		return xp_error_set(err, XP_ERR_USAGE, "invalid path '%s' inside the bundle", in->dest);
	/* dest is a prefix and the input's name: when that name is UTF-8, the
	 * prefix (a command-line option) is what is wrong */
	if (!utf8_valid(in->dest) && utf8_valid(tree_basename(in->dest))) {
		char *q = utf8_quote(in->dest);

		xp_error_set(err, XP_ERR_USAGE, "invalid path '%s' inside the bundle: not valid UTF-8", q);
		free(q);
		return -1;
	}
	if (check_name(in->dest, in->src, err))
		return -1;
	if (stat(in->src, &st) < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", in->src);
	/* implied parents: "models" of "models/x" */
	for (p = strchr(in->dest, '/'); p; p = strchr(p + 1, '/')) {
		char *dir = xstrndup(in->dest, (size_t)(p - in->dest));

		add(w, dir, NULL, TREE_DIR)->implied = 1;
		free(dir);
	}
	if (S_ISDIR(st.st_mode)) {
		add(w, in->dest, in->src, TREE_DIR);
		return walk_dir(w, in->src, in->dest, 0, err);
	}
	if (!S_ISREG(st.st_mode))
		return special(in->src, &st, err);
	e = add(w, in->dest, in->src, TREE_FILE);
	e->input = 1;
	e->size = (uint64_t)st.st_size;
	e->mode = tree_mode(TREE_FILE, st.st_mode);
	return 0;
}

static void entry_release(struct tree_entry *e)
{
	free(e->name);
	free(e->src);
	free(e->link);
}

/* Sort, merge duplicate directories (an implied one gives way), refuse other
 * clashes. Every parent of an entry is present (walked or implied), so a file
 * where a directory must be shows up as a duplicate name. */
static int normalise(struct tree *t, struct xp_error *err)
{
	size_t i, out = 0;

	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), cmp_name);
	for (i = 0; i < t->n; i++) {
		struct tree_entry *prev = out ? &t->v[out - 1] : NULL, *e = &t->v[i];

		if (prev && strcmp(prev->name, e->name) == 0) {
			if (prev->type == TREE_DIR && e->type == TREE_DIR && (prev->implied || e->implied)) {
				if (prev->implied && !e->implied) {
					entry_release(prev);
					*prev = *e;
				} else {
					entry_release(e);
				}
				continue;
			}
			if ((prev->type == TREE_DIR) != (e->type == TREE_DIR))
				xp_error_set(err, XP_ERR_USAGE,
					     "'/%s' in the bundle would be both a directory and a file", e->name);
			else
				xp_error_set(err, XP_ERR_USAGE, "two inputs land at '/%s' in the bundle",
					     e->name);
			for (; i < t->n; i++)
				entry_release(&t->v[i]);
			t->n = out;
			return -1;
		}
		t->v[out++] = *e;
	}
	t->n = out;
	return 0;
}

int tree_scan(const struct tree_input *in, size_t n, struct tree *out, struct xp_error *err)
{
	struct tree t = {NULL, 0};
	struct walk w = {&t, 0};
	size_t i;

	for (i = 0; i < n; i++)
		if (walk_input(&w, &in[i], err))
			goto fail;
	if (normalise(&t, err))
		goto fail;
	*out = t;
	return 0;
fail:
	tree_release(&t);
	return -1;
}

void tree_release(struct tree *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		entry_release(&t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
