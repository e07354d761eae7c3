/*
 * opts.c — option parsing shared by all commands (see cmd.h).
 */
#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "common/strbuf.h"
#include "common/suggest.h"
#include "common/timeutil.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *current_cmd(char **argv)
{
	return argv[0] ? argv[0] : "xpship";
}

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	diag_error("%s", sb.buf);
	fprintf(stderr, "Run 'xpship %s --help' for usage.\n", cmd);
	strbuf_release(&sb);
	return XP_EXIT_USAGE;
}

int cmd_epoch(const char *cmd, long long *out, int *set)
{
	struct xp_error err;
	int dummy;

	xp_error_clear(&err);
	if (xp_source_date_epoch(out, set ? set : &dummy, &err))
		return cmd_usage_error(cmd, "%s", err.msg);
	return 0;
}

int cmd_fail(const struct xp_error *err)
{
	diag_report(err);
	return xp_exit_of(err->cls);
}

static void unknown_option(char **argv, const char *word, const struct option *lo)
{
	const char *names[128];
	char want[256];
	const char *best;
	size_t n = 0;
	const char *eq = strchr(word, '=');
	size_t len = eq ? (size_t)(eq - word) : strlen(word);

	for (; lo && lo->name && n < 127; lo++)
		names[n++] = lo->name;
	names[n++] = "help";
	snprintf(want, sizeof(want), "%.*s", (int)(len > 2 ? len - 2 : 0), word + 2);
	best = strncmp(word, "--", 2) == 0 ? suggest_closest(want, names, n) : NULL;
	if (best)
		cmd_usage_error(current_cmd(argv), "unknown option '%.*s' (did you mean '--%s'?)",
				(int)len, word, best);
	else
		cmd_usage_error(current_cmd(argv), "unknown option '%.*s'", (int)len, word);
}

/* ---- option tables (struct cmd_def) ---- */

#define MAX_OPTS 64

size_t cmd_def_tables(const struct cmd_def *def, const struct cmd_opt *t[3])
{
	size_t n = 0;

	t[n++] = def->opts;
	if (def->registry & CMD_REG_TLS)
		t[n++] = regopt_tls;
	if (def->registry & CMD_REG_TRANSFER)
		t[n++] = regopt_transfer;
	return n;
}

static size_t label(const struct cmd_opt *o, char *buf, size_t size)
{
	char sh[8] = "";
	int n;

	if (o->short_name)
		snprintf(sh, sizeof(sh), "-%c, ", o->short_name);
	n = snprintf(buf, size, "  %s--%s%s%s", sh, o->name, o->arg ? " " : "",
		     o->arg ? o->arg : "");
	return n < 0 ? 0 : (size_t)n;
}

static void help_lines(struct strbuf *sb, const struct cmd_opt *t, size_t col)
{
	char lab[128];

	for (; t && t->name; t++) {
		const char *h = t->help, *nl;
		size_t n;

		if (!h)
			continue; /* accepted, not listed */
		n = label(t, lab, sizeof(lab));

		strbuf_adds(sb, lab);
		for (;;) {
			nl = strchr(h, '\n');
			strbuf_addf(sb, "%*s%.*s\n", (int)(col - n), "",
				    (int)(nl ? (size_t)(nl - h) : strlen(h)), h);
			if (!nl)
				break;
			h = nl + 1;
			n = 0;
		}
	}
}

char *cmd_help_text(const struct cmd_def *def)
{
	struct strbuf sb = STRBUF_INIT;
	const struct cmd_opt *t[3];
	size_t i, n = cmd_def_tables(def, t), col = 0;
	char lab[128];

	for (i = 0; i < n; i++) {
		const struct cmd_opt *o;

		for (o = t[i]; o && o->name; o++)
			if (o->help && label(o, lab, sizeof(lab)) + 2 > col)
				col = label(o, lab, sizeof(lab)) + 2;
	}
	strbuf_adds(&sb, def->synopsis);
	if (def->opts && def->opts->name) {
		strbuf_adds(&sb, "\nOptions:\n");
		help_lines(&sb, def->opts, col);
	}
	if (def->registry) {
		if (def->registry_heading || !(def->opts && def->opts->name))
			strbuf_addf(&sb, "\n%s\n", def->registry_heading ? def->registry_heading
									 : "Options:");
		for (i = 1; i < n; i++)
			help_lines(&sb, t[i], col);
		strbuf_addf(&sb, "\n%s", REGOPT_ENV_HELP);
	}
	if (def->notes)
		strbuf_addf(&sb, "\n%s", def->notes);
	return strbuf_detach(&sb, NULL);
}

/* getopt_long's tables for `def`, built once per def. */
struct parse_tables {
	const struct cmd_def *def;
	struct option lo[MAX_OPTS + 2];
	char so[2 * MAX_OPTS + 4];
};

static const struct parse_tables *tables_of(const struct cmd_def *def)
{
	static struct parse_tables pt;
	const struct cmd_opt *t[3];
	size_t i, n, k = 0, j = 0;

	if (pt.def == def)
		return &pt;
	memset(&pt, 0, sizeof(pt));
	pt.def = def;
	pt.so[j++] = ':';
	pt.so[j++] = 'h';
	n = cmd_def_tables(def, t);
	for (i = 0; i < n; i++) {
		const struct cmd_opt *o;

		for (o = t[i]; o && o->name; o++) {
			if (k == MAX_OPTS)
				abort(); /* a table too long for this parser: a build defect */
			pt.lo[k].name = o->name;
			pt.lo[k].has_arg = o->arg ? required_argument : no_argument;
			pt.lo[k].val = o->short_name ? o->short_name : o->val;
			k++;
			if (o->short_name) {
				pt.so[j++] = o->short_name;
				if (o->arg)
					pt.so[j++] = ':';
			}
		}
	}
	pt.lo[k].name = "help";
	pt.lo[k].val = 'h';
	return &pt;
}

/* Set while cmd_describe runs a command: where cmd_parse puts its def. */
static const struct cmd_def **describe_slot;

const struct cmd_def *cmd_describe(const struct cmd_info *c)
{
	const struct cmd_def *def = NULL;
	char *argv[3];

	if (c->fn == cmd_help)
		return NULL;
	argv[0] = (char *)c->name;
	argv[1] = "--help";
	argv[2] = NULL;
	describe_slot = &def;
	optind = 0;
	c->fn(2, argv);
	describe_slot = NULL;
	optind = 0;
	return def;
}

int cmd_parse(const struct cmd_def *def, int argc, char **argv, struct store_opts *reg)
{
	const struct parse_tables *pt;
	int c, idx;

	if (describe_slot) {
		*describe_slot = def;
		return CMD_OPT_HELP;
	}
	pt = tables_of(def);

	for (;;) {
		idx = -1;
		opterr = 0;
		c = getopt_long(argc, argv, pt->so, pt->lo, &idx);
		switch (c) {
		case 'h': {
			char *text = cmd_help_text(def);

			fputs(text, stdout);
			free(text);
			return CMD_OPT_HELP;
		}
		case '?': {
			const char *word = argv[optind - 1];

			if (optopt && !(word && strncmp(word, "--", 2) == 0)) {
				char w[3] = {'-', (char)optopt, '\0'};

				unknown_option(argv, w, NULL);
			} else {
				unknown_option(argv, word ? word : "?", pt->lo);
			}
			return CMD_OPT_BAD;
		}
		case ':': {
			const char *word = argv[optind - 1];

			if (word && strncmp(word, "--", 2) == 0)
				cmd_usage_error(current_cmd(argv), "option '%s' needs a value", word);
			else
				cmd_usage_error(current_cmd(argv), "option '-%c' needs a value", optopt);
			return CMD_OPT_BAD;
		}
		default:
			if (def->registry && reg) {
				int r = regopt_parse(def->name, c, optarg, reg);

				if (r < 0)
					return CMD_OPT_BAD;
				if (r > 0)
					continue;
			}
			return c;
		}
	}
}

int cmd_parse_all(const struct cmd_def *def, int argc, char **argv, struct store_opts *reg)
{
	int c = cmd_parse(def, argc, argv, reg);

	if (c == -1)
		return -1;
	return c == CMD_OPT_HELP ? XP_EXIT_OK : XP_EXIT_USAGE;
}

long long cmd_parse_size(const char *s)
{
	char *end;
	long long v, unit = 1;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || v <= 0)
		return -1;
	switch (*end) {
	case '\0':
		return v;
	case 'k': case 'K':
		unit = 1024;
		break;
	case 'm': case 'M':
		unit = 1024 * 1024;
		break;
	case 'g': case 'G':
		unit = 1024LL * 1024 * 1024;
		break;
	case 't': case 'T':
		unit = 1024LL * 1024 * 1024 * 1024;
		break;
	default:
		return -1;
	}
	if (end[1] && strcmp(end + 1, "iB") != 0 && strcmp(end + 1, "B") != 0)
		return -1;
	if (v > LLONG_MAX / unit)
		return -1;
	return v * unit;
}

char **cmd_split_list(const char *s, size_t *n)
{
	char **out = NULL;
	const char *p = s, *comma;

	*n = 0;
	for (;;) {
		comma = strchr(p, ',');
		out = xrealloc(out, (*n + 2) * sizeof(*out));
		out[(*n)++] = comma ? xstrndup(p, (size_t)(comma - p)) : xstrdup(p);
		out[*n] = NULL;
		if (!comma)
			return out;
		p = comma + 1;
	}
}

void cmd_free_list(char **l)
{
	size_t i;

	for (i = 0; l && l[i]; i++)
		free(l[i]);
	free(l);
}

int cmd_parse_table_format(const char *s, enum table_format *f)
{
	if (strcmp(s, "csv") == 0)
		*f = TABLE_CSV;
	else if (strcmp(s, "tsv") == 0)
		*f = TABLE_TSV;
	else if (strcmp(s, "jsonl") == 0)
		*f = TABLE_JSONL;
	else
		return -1;
	return 0;
}
