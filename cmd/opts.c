/*
 * opts.c — option parsing shared by all commands (see cmd.h).
 */
#include "cmd/cmd.h"
#include "common/strbuf.h"
#include "common/suggest.h"
#include "common/timeutil.h"

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

int cmd_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts, const char *usage)
{
	static struct option merged[128];
	static const struct option *merged_from;
	char so[128];
	int c, idx = -1;

	if (merged_from != longopts) {
		size_t n = 0;

		for (; longopts && longopts[n].name && n < 126; n++)
			merged[n] = longopts[n];
		merged[n].name = "help";
		merged[n].has_arg = no_argument;
		merged[n].flag = NULL;
		merged[n].val = 'h';
		memset(&merged[n + 1], 0, sizeof(merged[0]));
		merged_from = longopts;
	}
	snprintf(so, sizeof(so), ":h%s", shortopts ? shortopts : "");
	opterr = 0;
	c = getopt_long(argc, argv, so, merged, &idx);
	switch (c) {
	case 'h':
		fputs(usage, stdout);
		return CMD_OPT_HELP;
	case '?': {
		const char *word = argv[optind - 1];

		if (optopt && !(word && strncmp(word, "--", 2) == 0)) {
			char w[3] = {'-', (char)optopt, '\0'};

			unknown_option(argv, w, NULL);
		} else {
			unknown_option(argv, word ? word : "?", longopts);
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
		return c;
	}
}
