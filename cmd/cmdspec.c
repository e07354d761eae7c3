/*
 * cmdspec.c — the command line as data, for the generated completions and
 * man pages (cmdspec.h): the command table, each command's cmd_def, and what
 * its usage lines say about literal operands and option values.
 */
#include "cmd/cmdspec.h"
#include "common/strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A synopsis word stripped of the brackets around it: "[--task" -> "--task",
 * "binary]" -> "binary", "PATH..." -> "PATH". */
static void strip_word(const char *w, size_t n, const char **out, size_t *out_n)
{
	while (n && strchr("[(", *w)) {
		w++;
		n--;
	}
	while (n && strchr("])|.", w[n - 1]))
		n--;
	*out = w;
	*out_n = n;
}

/* A literal value list: lowercase words joined by '|' ("text|json"). */
static int is_literal(const char *w, size_t n)
{
	size_t i;

	if (!n || !islower((unsigned char)w[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)w[i]) && !isdigit((unsigned char)w[i]) &&
		    !strchr("|.-", w[i]))
			return 0;
	return 1;
}

/* Appends the words of "a|b|c" to `sb` (space-separated) unless present. */
static void add_values(struct strbuf *sb, const char *w, size_t n)
{
	while (n) {
		const char *bar = memchr(w, '|', n);
		size_t k = bar ? (size_t)(bar - w) : n;
		char *v = xstrndup(w, k);
		char *have = xasprintf(" %s ", sb->buf);
		char *want = xasprintf(" %s ", v);

		if (k && !strstr(have, want))
			strbuf_addf(sb, "%s%s", sb->len ? " " : "", v);
		free(v);
		free(have);
		free(want);
		w += k;
		n -= k;
		if (n) {
			w++;
			n--;
		}
	}
}

/* Calls fn for each pair of consecutive whitespace-separated words of s. */
static void each_pair(const char *s, void (*fn)(const char *a, size_t an, const char *b,
						size_t bn, void *ctx), void *ctx)
{
	const char *a = NULL, *p = s;
	size_t an = 0;

	for (;;) {
		size_t n;

		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		n = strcspn(p, " \t\n");
		if (a)
			fn(a, an, p, n, ctx);
		a = p;
		an = n;
		p += n;
	}
}

struct pair_ctx {
	const char *want;  /* "--name" or "name" (after "xpship") */
	int after_xpship;  /* the pair must be preceded by "xpship" */
	const char *prev;  /* the word before the pair's first */
	size_t prev_n;
	struct strbuf *out;
};

static void value_pair(const char *a, size_t an, const char *b, size_t bn, void *vctx)
{
	struct pair_ctx *ctx = vctx;
	const char *sa, *sb, *eq;
	size_t sa_n, sb_n;

	strip_word(a, an, &sa, &sa_n);
	if (ctx->after_xpship) {
		/* "xpship NAME word": the previous pair ended at "xpship" */
		int ok = ctx->prev && ctx->prev_n == 6 && memcmp(ctx->prev, "xpship", 6) == 0;

		ctx->prev = a;
		ctx->prev_n = an;
		if (!ok || an != strlen(ctx->want) || memcmp(a, ctx->want, an) != 0)
			return;
		if (is_literal(b, bn))
			add_values(ctx->out, b, bn);
		return;
	}
	eq = memchr(sa, '=', sa_n);
	if (eq && (size_t)(eq - sa) == strlen(ctx->want) && memcmp(sa, ctx->want, eq - sa) == 0) {
		/* "--color=auto|always|never" */
		sb = eq + 1;
		sb_n = sa_n - (size_t)(sb - sa);
		if (is_literal(sb, sb_n))
			add_values(ctx->out, sb, sb_n);
		return;
	}
	if (sa_n != strlen(ctx->want) || memcmp(sa, ctx->want, sa_n) != 0)
		return;
	strip_word(b, bn, &sb, &sb_n);
	if (is_literal(sb, sb_n))
		add_values(ctx->out, sb, sb_n);
}

void cmdspec_values(const struct cmd_def *def, const struct cmd_opt *o, struct strbuf *out)
{
	char *want = xasprintf("--%s", o->name);
	struct pair_ctx ctx = {want, 0, NULL, 0, out};

	if (def && def->synopsis && o->arg)
		each_pair(def->synopsis, value_pair, &ctx);
	free(want);
}

void cmdspec_words(const struct cmd_def *def, struct strbuf *out)
{
	struct pair_ctx ctx = {NULL, 1, NULL, 0, out};

	if (!def || !def->synopsis)
		return;
	ctx.want = def->name;
	each_pair(def->synopsis, value_pair, &ctx);
}

size_t cmdspec_load(struct cmdspec *out, size_t max)
{
	const struct cmd_info *c;
	size_t n = 0;

	for (c = cmd_table; c->name && n < max; c++) {
		if (!c->summary)
			continue;
		out[n].info = c;
		out[n].def = cmd_describe(c);
		n++;
	}
	return n;
}

void cmdspec_first_line(const char *help, struct strbuf *out)
{
	strbuf_add(out, help, strcspn(help, "\n"));
}
