/*
 * man.c — `xpship man CMD` (not listed): the man page xpship-CMD(1), in
 * roff, made from the command's cmd_def, the text its --help prints: the
 * usage lines become the SYNOPSIS, the paragraphs after them the
 * DESCRIPTION, the option table OPTIONS, the registry environment
 * ENVIRONMENT and an "Exit codes" paragraph EXIT STATUS. `xpship man --list`
 * names the commands that have one; `make install` writes them all.
 */
#include "cmd/cmd.h"
#include "cmd/cmdspec.h"
#include "cmd/regopts.h"
#include "common/strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CMDS 64

static const struct cmd_opt options[] = {
	{"list", 'l', NULL, 'l', "print the commands that have a man page, one per line"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "man",
	.synopsis =
	"usage: xpship man CMD\n"
	"       xpship man --list\n"
	"\n"
	"Print the man page xpship-CMD(1) (roff), made from the command's own help.\n",
	.opts = options,
	.notes = "Exit codes: 0 printed, 2 usage.\n",
};

/* n bytes of s as roff text: \ and - escaped, a control character at the
 * start of a line made text. */
static void roff(struct strbuf *sb, const char *s, size_t n)
{
	size_t i;

	if (n && (s[0] == '.' || s[0] == '\''))
		strbuf_adds(sb, "\\&");
	for (i = 0; i < n; i++) {
		if (s[i] == '\\')
			strbuf_adds(sb, "\\e");
		else if (s[i] == '-')
			strbuf_adds(sb, "\\-");
		else
			strbuf_addc(sb, s[i]);
	}
}

static void roff_line(struct strbuf *sb, const char *s, size_t n)
{
	roff(sb, s, n);
	strbuf_addc(sb, '\n');
}

/* One "  N  meaning" line of an exit code list: its code's length, else 0. */
static size_t exit_item(const char *l, size_t n)
{
	size_t i = 0, d;

	while (i < n && l[i] == ' ')
		i++;
	d = i;
	while (i < n && isdigit((unsigned char)l[i]))
		i++;
	return i > d && d > 0 && i + 1 < n && l[i] == ' ' ? i : 0;
}

/* One paragraph (lines up to a blank line); a section heading before it when
 * it starts another kind (*sect tracks the current one). */
static void paragraph(struct strbuf *sb, const char *p, size_t n, const char **sect,
		      const char *own)
{
	const char *want = strncmp(p, "Exit codes:", 11) == 0 ? "EXIT STATUS" : own;
	const char *end = p + n;
	int nofill = 0;

	if (*sect != want) {
		strbuf_addf(sb, ".SH \"%s\"\n", want);
		*sect = want;
	} else {
		strbuf_adds(sb, ".PP\n");
	}
	if (want != own) {
		p += 11;
		while (p < end && *p == ' ')
			p++;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		size_t code = want != own ? exit_item(p, len) : 0;

		if (code) {
			size_t ind = strspn(p, " "), k = code;

			while (k < len && p[k] == ' ')
				k++;
			strbuf_addf(sb, ".TP\n.B %.*s\n", (int)(code - ind), p + ind);
			roff_line(sb, p + k, len - k);
		} else if (len && p[0] == ' ') {
			/* indented lines (examples, option lists) keep their lines */
			size_t ind = strspn(p, " ");

			if (!nofill)
				strbuf_adds(sb, ".RS 4\n.nf\n");
			nofill = 1;
			roff_line(sb, p + ind, len - ind);
			p += len + 1;
			continue;
		} else if (len) {
			if (nofill)
				strbuf_adds(sb, ".fi\n.RE\n");
			nofill = 0;
			roff_line(sb, p, len);
		}
		p += len + 1;
	}
	if (nofill)
		strbuf_adds(sb, ".fi\n.RE\n");
}

/* Which paragraphs paragraphs() prints: the exit codes, the others, or all. */
enum para_kind { P_EXIT = 1, P_OTHER = 2, P_ALL = 3 };

/* The paragraphs of text of `kind`, split at blank lines. */
static void paragraphs(struct strbuf *sb, const char *text, const char **sect, const char *own,
		       enum para_kind kind)
{
	const char *p = text;

	while (*p) {
		const char *q = strstr(p, "\n\n");
		size_t n = q ? (size_t)(q - p) + 1 : strlen(p);

		while (*p == '\n') {
			p++;
			n = n ? n - 1 : 0;
		}
		if (n && (kind & (strncmp(p, "Exit codes:", 11) == 0 ? P_EXIT : P_OTHER)))
			paragraph(sb, p, n, sect, own);
		p += n;
		while (*p == '\n')
			p++;
	}
}

static void option_items(struct strbuf *sb, const struct cmd_opt *t)
{
	for (; t && t->name; t++) {
		const char *h = t->help;

		if (!h)
			continue;
		strbuf_adds(sb, ".TP\n");
		if (t->short_name)
			strbuf_addf(sb, "\\fB\\-%c\\fR, ", t->short_name);
		strbuf_adds(sb, "\\fB\\-\\-");
		roff(sb, t->name, strlen(t->name));
		strbuf_adds(sb, "\\fR");
		if (t->arg) {
			strbuf_adds(sb, " \\fI");
			roff(sb, t->arg, strlen(t->arg));
			strbuf_adds(sb, "\\fR");
		}
		strbuf_addc(sb, '\n');
		while (*h) {
			size_t len = strcspn(h, "\n");

			roff_line(sb, h, len);
			h += len + (h[len] == '\n');
		}
	}
}

/* The synopsis: its usage lines (up to the first blank line) without
 * "usage: "; returns where the description starts. */
static const char *synopsis(struct strbuf *sb, const char *s)
{
	strbuf_adds(sb, ".SH SYNOPSIS\n.nf\n");
	while (*s && *s != '\n') {
		size_t len = strcspn(s, "\n");
		size_t skip = strncmp(s, "usage: ", 7) == 0 ? 7 : 0;

		if (!skip && len >= 7 && strspn(s, " ") >= 7)
			skip = 7; /* continuation, aligned under "usage: " */
		roff_line(sb, s + skip, len - skip);
		s += len + (s[len] == '\n');
	}
	strbuf_adds(sb, ".fi\n");
	return s;
}

static char *man_page(const struct cmd_info *c, const struct cmd_def *def)
{
	struct strbuf sb = STRBUF_INIT, up = STRBUF_INIT;
	const struct cmd_opt *t[3];
	const char *sect = NULL, *rest;
	size_t i, n = cmd_def_tables(def, t);

	for (i = 0; c->name[i]; i++)
		strbuf_addc(&up, (char)toupper((unsigned char)c->name[i]));
	strbuf_adds(&sb, ".TH XPSHIP\\-");
	roff(&sb, up.buf, up.len);
	strbuf_addf(&sb, " 1 \"\" \"xpship %s\" \"User Commands\"\n.nh\n.ad l\n.SH NAME\nxpship\\-",
		    XP_VERSION);
	roff(&sb, c->name, strlen(c->name));
	strbuf_adds(&sb, " \\- ");
	roff_line(&sb, c->summary, strlen(c->summary));
	rest = synopsis(&sb, def->synopsis);
	paragraphs(&sb, rest, &sect, "DESCRIPTION", P_OTHER);
	strbuf_adds(&sb, ".SH OPTIONS\n");
	option_items(&sb, def->opts);
	for (i = 1; i < n; i++) {
		if (i == 1 && def->registry_heading) {
			size_t hl = strlen(def->registry_heading);

			strbuf_adds(&sb, ".SS \"");
			roff(&sb, def->registry_heading, hl && def->registry_heading[hl - 1] == ':' ? hl - 1 : hl);
			strbuf_adds(&sb, "\"\n");
		}
		option_items(&sb, t[i]);
	}
	strbuf_adds(&sb, ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nprint the command's help\n.PP\n"
		    "The global options of\n.BR xpship (1)\n(\\fB\\-q\\fR, \\fB\\-v\\fR, "
		    "\\fB\\-\\-color\\fR) are accepted too.\n");
	sect = NULL;
	if (def->registry)
		paragraphs(&sb, REGOPT_ENV_HELP, &sect, "ENVIRONMENT", P_ALL);
	if (def->notes)
		paragraphs(&sb, def->notes, &sect, "NOTES", P_ALL);
	paragraphs(&sb, rest, &sect, "DESCRIPTION", P_EXIT);
	strbuf_adds(&sb, ".SH \"SEE ALSO\"\n.BR xpship (1)\n");
	strbuf_release(&up);
	return strbuf_detach(&sb, NULL);
}

int cmd_man(int argc, char **argv)
{
	struct cmdspec cs[MAX_CMDS];
	const char *want;
	size_t i, n;
	int c, list = 0;

	while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1) {
		if (c != 'l')
			return c == CMD_OPT_HELP ? XP_EXIT_OK : XP_EXIT_USAGE;
		list = 1;
	}
	if (argc - optind != !list)
		return cmd_usage_error("man", list ? "--list takes no command"
						   : "expected one command");
	want = list ? NULL : argv[optind];
	n = cmdspec_load(cs, MAX_CMDS); /* runs each command: optind is reset */
	for (i = 0; i < n; i++) {
		if (!cs[i].def)
			continue;
		if (list) {
			printf("%s\n", cs[i].info->name);
		} else if (strcmp(cs[i].info->name, want) == 0) {
			char *page = man_page(cs[i].info, cs[i].def);

			fputs(page, stdout);
			free(page);
			return XP_EXIT_OK;
		}
	}
	if (list)
		return XP_EXIT_OK;
	return cmd_usage_error("man", "no man page for '%s'", want);
}
