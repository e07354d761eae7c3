/*
 * completion.c — `xpship completion bash|zsh|fish`: a completion script made
 * at run time from the command table and each command's option table
 * (cmd/cmdspec.h), so it offers exactly what this binary's parser accepts.
 * Options with help NULL are accepted but not offered.
 */
#include "cmd/cmd.h"
#include "cmd/cmdspec.h"
#include "cmd/completion.h"
#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CMDS 64

static const struct cmd_def spec = {
	.name = "completion",
	.synopsis =
	"usage: xpship completion bash|zsh|fish\n"
	"\n"
	"Print a completion script for the shell, made from this binary's commands\n"
	"and options. Load it for the current shell:\n"
	"  bash: source <(xpship completion bash)\n"
	"  zsh:  source <(xpship completion zsh)   (after compinit)\n"
	"  fish: xpship completion fish | source\n"
	"or install it where the shell looks: 'make install' puts the three in\n"
	"$(PREFIX)/share: bash-completion/completions/xpship, zsh/site-functions/_xpship\n"
	"(zsh/vendor-completions in the Debian package), fish/vendor_completions.d.\n",
	.notes = "Exit codes: 0 printed, 2 usage.\n",
};

void completion_sq(struct strbuf *sb, const char *s)
{
	strbuf_addc(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_adds(sb, "'\\''");
		else
			strbuf_addc(sb, *s);
	}
	strbuf_addc(sb, '\'');
}

/* Global options a command takes among its own: not --help (the command's
 * own help) nor --version (before the command only). */
int completion_in_cmd(const struct cmd_opt *o)
{
	return strcmp(o->name, "help") != 0 && strcmp(o->name, "version") != 0;
}

/* How add_words lists a table: a command's own, or the globals (value as
 * --NAME=VALUE) before a command or after one. */
enum words_of { W_OWN, W_GLOBAL, W_GLOBAL_IN_CMD };

/* The option words of table t, "-x --name", after " " when sb is not empty;
 * only those taking a value when `values`. */
static void add_words(struct strbuf *sb, const struct cmd_opt *t, int values, enum words_of w)
{
	for (; t && t->name; t++) {
		if (!t->help || (values && !t->arg) || (w == W_GLOBAL_IN_CMD && !completion_in_cmd(t)))
			continue;
		if (t->short_name)
			strbuf_addf(sb, "%s-%c", sb->len ? " " : "", t->short_name);
		strbuf_addf(sb, "%s--%s%s", sb->len ? " " : "", t->name,
			    w != W_OWN && t->arg && !values ? "=" : "");
	}
}

/* ---- bash ---- */

static void bash_values(struct strbuf *sb, const char *pat, const struct cmd_def *def,
			const struct cmd_opt *t)
{
	for (; t && t->name; t++) {
		struct strbuf v = STRBUF_INIT;

		if (t->help && t->arg)
			cmdspec_values(def, t, &v);
		if (v.len)
			strbuf_addf(sb, "\t\t\t%s' --%s') choices='%s' ;;\n", pat, t->name, v.buf);
		strbuf_release(&v);
	}
}

static void bash_cmd(struct strbuf *sb, const char *name, const struct cmd_def *def,
		     const char *words)
{
	struct strbuf opts = STRBUF_INIT, vals = STRBUF_INIT;
	const struct cmd_opt *t[3];
	size_t i, n = def ? cmd_def_tables(def, t) : 0;

	for (i = 0; i < n; i++) {
		if (def == &cmd_global_def) {
			add_words(&opts, t[i], 0, W_GLOBAL);
			continue;
		}
		add_words(&opts, t[i], 0, W_OWN);
		add_words(&vals, t[i], 1, W_OWN);
	}
	if (def != &cmd_global_def) {
		add_words(&opts, cmd_global_def.opts, 0, W_GLOBAL_IN_CMD);
		strbuf_adds(&opts, " -h --help");
	}
	strbuf_addf(sb, "\t%s) opts='%s' vals='%s' words=%s ;;\n", name, opts.buf, vals.buf,
		    words);
	strbuf_release(&opts);
	strbuf_release(&vals);
}

static void gen_bash(struct strbuf *sb, const struct cmdspec *cs, size_t n)
{
	struct strbuf g = STRBUF_INIT;
	size_t i;

	strbuf_adds(sb, "_xpship() {\n"
		    "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev='' cmd='' at=0 n=0 eq=0 i w\n"
		    "\tlocal opts='' vals='' words='' choices='' eqpre=''\n"
		    "\t# the global options that take a value (as --NAME=VALUE only)\n"
		    "\tlocal gvals=");
	add_words(&g, cmd_global_def.opts, 1, W_GLOBAL);
	completion_sq(sb, g.buf);
	strbuf_adds(sb, " commands=");
	strbuf_reset(&g);
	for (i = 0; i < n; i++)
		strbuf_addf(&g, "%s%s", i ? " " : "", cs[i].info->name);
	completion_sq(sb, g.buf);
	strbuf_release(&g);
	strbuf_adds(sb, "\n"
		    "\t((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
		    "\t# --NAME=VALUE: one word, or three when COMP_WORDBREAKS has '='\n"
		    "\tif [[ $cur == --*=* ]]; then\n"
		    "\t\teqpre=${cur%%=*}= prev=${cur%%=*} cur=${cur#*=} eq=1\n"
		    "\telif [[ $cur == = ]]; then\n"
		    "\t\tcur='' eq=1\n"
		    "\telif [[ $prev == = ]] && ((COMP_CWORD > 1)); then\n"
		    "\t\tprev=${COMP_WORDS[COMP_CWORD - 2]} eq=1\n"
		    "\tfi\n"
		    "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
		    "\t\tw=${COMP_WORDS[i]}\n"
		    "\t\tcase $w in\n"
		    "\t\t=) ((i++)) ;;\n"
		    "\t\t-*) ;;\n"
		    "\t\t*) cmd=$w at=$i; break ;;\n"
		    "\t\tesac\n"
		    "\tdone\n"
		    "\tcase $cmd in\n");
	bash_cmd(sb, "''", &cmd_global_def, "$commands");
	for (i = 0; i < n; i++) {
		struct strbuf w = STRBUF_INIT, q = STRBUF_INIT;

		if (cs[i].def) {
			cmdspec_words(cs[i].def, &w);
			completion_sq(&q, w.buf);
		} else {
			strbuf_adds(&q, "$commands");
		}
		bash_cmd(sb, cs[i].info->name, cs[i].def, q.buf);
		strbuf_release(&w);
		strbuf_release(&q);
	}
	strbuf_adds(sb, "\t*) opts='--help' ;;\n"
		    "\tesac\n"
		    "\tif [[ \" $vals \" == *\" $prev \"* ]] ||\n"
		    "\t\t{ ((eq)) && [[ \" $gvals \" == *\" $prev \"* ]]; }; then\n"
		    "\t\tcase \"$cmd $prev\" in\n");
	bash_values(sb, "*", &cmd_global_def, cmd_global_def.opts);
	for (i = 0; i < n; i++) {
		const struct cmd_opt *t[3];
		size_t k, m = cs[i].def ? cmd_def_tables(cs[i].def, t) : 0;

		for (k = 0; k < m; k++)
			bash_values(sb, cs[i].info->name, cs[i].def, t[k]);
	}
	strbuf_adds(sb, "\t\tesac\n"
		    "\t\tif [[ -n $choices ]]; then\n"
		    "\t\t\tCOMPREPLY=($(compgen -W \"$choices\" -- \"$cur\"))\n"
		    "\t\telse\n"
		    "\t\t\tcompopt -o filenames 2>/dev/null\n"
		    "\t\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
		    "\t\tfi\n"
		    "\t\t[[ -n $eqpre ]] && COMPREPLY=(\"${COMPREPLY[@]/#/$eqpre}\")\n"
		    "\telif [[ $cur == -* ]]; then\n"
		    "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
		    "\t\t[[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null\n"
		    "\telse\n"
		    "\t\t# operands before this word (option values are not)\n"
		    "\t\tfor ((i = at + 1; i < COMP_CWORD; i++)); do\n"
		    "\t\t\tw=${COMP_WORDS[i]}\n"
		    "\t\t\tif [[ $w == = ]]; then\n"
		    "\t\t\t\t((i++))\n"
		    "\t\t\telif [[ \" $vals \" == *\" $w \"* ]]; then\n"
		    "\t\t\t\t((i++))\n"
		    "\t\t\t\t[[ ${COMP_WORDS[i]} == = ]] && ((i++))\n"
		    "\t\t\telif [[ $w != -* ]]; then\n"
		    "\t\t\t\t((n++))\n"
		    "\t\t\tfi\n"
		    "\t\tdone\n"
		    "\t\tif [[ -n $words && $n == 0 ]]; then\n"
		    "\t\t\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
		    "\t\telse\n"
		    "\t\t\tcompopt -o filenames 2>/dev/null\n"
		    "\t\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
		    "\t\tfi\n"
		    "\tfi\n"
		    "\treturn 0\n"
		    "}\n"
		    "complete -F _xpship xpship\n");
}

int cmd_completion(int argc, char **argv)
{
	struct cmdspec cs[MAX_CMDS];
	struct strbuf sb = STRBUF_INIT;
	const char *shell;
	size_t n;
	int c;

	while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1)
		return c == CMD_OPT_HELP ? XP_EXIT_OK : XP_EXIT_USAGE;
	if (argc - optind != 1)
		return cmd_usage_error("completion", "expected one shell: bash, zsh or fish");
	shell = argv[optind];
	if (strcmp(shell, "bash") && strcmp(shell, "zsh") && strcmp(shell, "fish"))
		return cmd_usage_error("completion", "unknown shell '%s': expected bash, zsh or fish",
				       shell);
	n = cmdspec_load(cs, MAX_CMDS);
	strbuf_addf(&sb, "%s%s completion for xpship %s, made by 'xpship completion %s'\n"
		    "# from its command and option tables.\n",
		    strcmp(shell, "zsh") == 0 ? "#compdef xpship\n# " : "# ", shell, XP_VERSION,
		    shell);
	if (strcmp(shell, "bash") == 0)
		gen_bash(&sb, cs, n);
	else if (strcmp(shell, "zsh") == 0)
		completion_zsh(&sb, cs, n);
	else
		completion_fish(&sb, cs, n);
	fputs(sb.buf, stdout);
	strbuf_release(&sb);
	return XP_EXIT_OK;
}
