/*
 * completion_zf.c — the zsh and fish completion scripts of `xpship
 * completion` (completion.h), from the same tables as the bash one.
 */
#include "cmd/completion.h"

#include <stdlib.h>
#include <string.h>

/* ---- zsh: one _arguments spec per option word ---- */

/* The first line of help, escaped for an _arguments [description]. */
static void zsh_desc(struct strbuf *sb, const char *help)
{
	size_t i, n = strcspn(help, "\n");

	for (i = 0; i < n; i++) {
		if (strchr("[]:\\", help[i]))
			strbuf_addc(sb, '\\');
		strbuf_addc(sb, help[i]);
	}
}

/* The specs of option o, each single-quoted, one per line. A global option
 * takes its value in the same word (--color=WHEN). */
static void zsh_opt(struct strbuf *sb, const struct cmd_def *def, const struct cmd_opt *o,
		    int global)
{
	struct strbuf tail = STRBUF_INIT, v = STRBUF_INIT, raw = STRBUF_INIT;
	int pass;

	strbuf_addc(&tail, '[');
	zsh_desc(&tail, o->help);
	strbuf_addc(&tail, ']');
	if (o->arg) {
		cmdspec_values(def, o, &v);
		strbuf_addf(&tail, ":%s:", o->arg);
		if (v.len)
			strbuf_addf(&tail, "(%s)", v.buf);
		else
			strbuf_adds(&tail, "_files");
	}
	for (pass = 0; pass < 2; pass++) {
		if (pass == 0 && !o->short_name)
			continue;
		strbuf_reset(&raw);
		if (o->arg && !global)
			strbuf_addc(&raw, '*'); /* a value option may be repeated */
		if (pass == 0)
			strbuf_addf(&raw, "-%c%s", o->short_name, o->arg ? "+" : "");
		else
			strbuf_addf(&raw, "--%s%s", o->name, o->arg ? (global ? "=-" : "=") : "");
		strbuf_adds(&raw, tail.buf);
		strbuf_adds(sb, "\t\t\t\t");
		completion_sq(sb, raw.buf);
		strbuf_adds(sb, " \\\n");
	}
	strbuf_release(&tail);
	strbuf_release(&v);
	strbuf_release(&raw);
}

static void zsh_table(struct strbuf *sb, const struct cmd_def *def, const struct cmd_opt *t,
		      int global)
{
	for (; t && t->name; t++)
		if (t->help)
			zsh_opt(sb, def ? def : &cmd_global_def, t, global);
}

static void zsh_cmd(struct strbuf *sb, const struct cmdspec *c, const struct cmdspec *all,
		    size_t n)
{
	const struct cmd_opt *t[3];
	struct strbuf w = STRBUF_INIT;
	size_t i, m = c->def ? cmd_def_tables(c->def, t) : 0;

	strbuf_addf(sb, "\t\t%s)\n\t\t\t_arguments -s -S : \\\n", c->info->name);
	for (i = 0; i < m; i++)
		zsh_table(sb, c->def, t[i], 0);
	strbuf_adds(sb, "\t\t\t\t'--help[show the command'\\''s help]' \\\n");
	if (c->def) {
		cmdspec_words(c->def, &w);
	} else {
		for (i = 0; i < n; i++)
			strbuf_addf(&w, "%s%s", i ? " " : "", all[i].info->name);
	}
	if (w.len)
		strbuf_addf(sb, "\t\t\t\t'1:word:(%s)' \\\n", w.buf);
	strbuf_adds(sb, "\t\t\t\t'*:file:_files' && ret=0\n\t\t\t;;\n");
	strbuf_release(&w);
}

void completion_zsh(struct strbuf *sb, const struct cmdspec *cs, size_t n)
{
	size_t i;

	strbuf_adds(sb, "_xpship() {\n"
		    "\tlocal curcontext=$curcontext state state_descr line ret=1\n"
		    "\ttypeset -A opt_args\n"
		    "\t_arguments -C -s : \\\n");
	zsh_table(sb, NULL, cmd_global_def.opts, 1);
	strbuf_adds(sb, "\t\t\t\t'1:command:->command' \\\n"
		    "\t\t\t\t'*::argument:->argument' && ret=0\n"
		    "\tcase $state in\n"
		    "\tcommand)\n"
		    "\t\tlocal -a commands\n"
		    "\t\tcommands=(\n");
	for (i = 0; i < n; i++) {
		char *e = xasprintf("%s:%s", cs[i].info->name, cs[i].info->summary);

		strbuf_adds(sb, "\t\t\t");
		completion_sq(sb, e);
		strbuf_addc(sb, '\n');
		free(e);
	}
	strbuf_adds(sb, "\t\t)\n"
		    "\t\t_describe -t commands 'xpship command' commands && ret=0\n"
		    "\t\t;;\n"
		    "\targument)\n"
		    "\t\tcurcontext=${curcontext%:*:*}:xpship-$words[1]:\n"
		    "\t\tcase $words[1] in\n");
	for (i = 0; i < n; i++)
		zsh_cmd(sb, &cs[i], cs, n);
	strbuf_adds(sb, "\t\tesac\n"
		    "\t\t;;\n"
		    "\tesac\n"
		    "\treturn ret\n"
		    "}\n"
		    "\n"
		    "if [ \"$funcstack[1]\" = _xpship ]; then\n"
		    "\t_xpship \"$@\"\n"
		    "else\n"
		    "\tcompdef _xpship xpship\n"
		    "fi\n");
}

/* ---- fish: one `complete` line per option ---- */

/* Appends s single-quoted for fish (\ and ' escaped). */
static void fish_sq(struct strbuf *sb, const char *s, size_t n)
{
	size_t i;

	strbuf_addc(sb, '\'');
	for (i = 0; i < n && s[i]; i++) {
		if (s[i] == '\\' || s[i] == '\'')
			strbuf_addc(sb, '\\');
		strbuf_addc(sb, s[i]);
	}
	strbuf_addc(sb, '\'');
}

static void fish_table(struct strbuf *sb, const char *cond, const struct cmd_def *def,
		       const struct cmd_opt *t)
{
	for (; t && t->name; t++) {
		struct strbuf v = STRBUF_INIT;

		if (!t->help)
			continue;
		strbuf_adds(sb, "complete -c xpship");
		if (cond)
			strbuf_addf(sb, " -n '%s'", cond);
		if (t->short_name)
			strbuf_addf(sb, " -s %c", t->short_name);
		strbuf_addf(sb, " -l %s", t->name);
		if (t->arg) {
			cmdspec_values(def, t, &v);
			if (v.len) {
				strbuf_adds(sb, " -x -a ");
				fish_sq(sb, v.buf, v.len);
			} else {
				strbuf_adds(sb, " -r -F");
			}
		}
		strbuf_adds(sb, " -d ");
		fish_sq(sb, t->help, strcspn(t->help, "\n"));
		strbuf_addc(sb, '\n');
		strbuf_release(&v);
	}
}

void completion_fish(struct strbuf *sb, const struct cmdspec *cs, size_t n)
{
	struct strbuf all = STRBUF_INIT;
	size_t i;

	strbuf_adds(sb, "function __xpship_command -d 'the command word of the xpship command line'\n"
		    "\tset -l tokens (commandline -opc)\n"
		    "\tset -e tokens[1]\n"
		    "\tfor t in $tokens\n"
		    "\t\tif not string match -q -- '-*' $t\n"
		    "\t\t\techo $t\n"
		    "\t\t\treturn 0\n"
		    "\t\tend\n"
		    "\tend\n"
		    "\treturn 1\n"
		    "end\n"
		    "function __xpship_is -a name\n"
		    "\tset -l c (__xpship_command); and test \"$c\" = \"$name\"\n"
		    "end\n"
		    "function __xpship_first_operand -d 'no operand after the command yet'\n"
		    "\tset -l tokens (commandline -opc)\n"
		    "\tset -e tokens[1]\n"
		    "\ttest (count (string match -v -- '-*' $tokens)) -le 1\n"
		    "end\n");
	fish_table(sb, NULL, &cmd_global_def, cmd_global_def.opts);
	for (i = 0; i < n; i++) {
		strbuf_addf(sb, "complete -c xpship -f -n 'not __xpship_command' -a %s -d ",
			    cs[i].info->name);
		fish_sq(sb, cs[i].info->summary, strlen(cs[i].info->summary));
		strbuf_addc(sb, '\n');
		strbuf_addf(&all, "%s%s", i ? " " : "", cs[i].info->name);
	}
	for (i = 0; i < n; i++) {
		const struct cmd_opt *t[3];
		struct strbuf w = STRBUF_INIT;
		char *cond = xasprintf("__xpship_is %s", cs[i].info->name);
		size_t k, m = cs[i].def ? cmd_def_tables(cs[i].def, t) : 0;

		for (k = 0; k < m; k++)
			fish_table(sb, cond, cs[i].def, t[k]);
		if (cs[i].def)
			cmdspec_words(cs[i].def, &w);
		else
			strbuf_adds(&w, all.buf);
		if (w.len)
			strbuf_addf(sb, "complete -c xpship -f -n '%s; and __xpship_first_operand' -a '%s'\n",
				    cond, w.buf);
		free(cond);
		strbuf_release(&w);
	}
	strbuf_release(&all);
}
