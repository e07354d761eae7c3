/*
 * cmdspec.h — the command line as data: the visible commands with the
 * cmd_def each parses with, and what their usage lines name literally
 * (subcommands such as "registry ping", option values such as
 * "--format text|json"). The completion scripts and the man pages are
 * generated from it, so they follow the tables the parser uses.
 */
#ifndef XPSHIP_CMD_CMDSPEC_H
#define XPSHIP_CMD_CMDSPEC_H

#include <stddef.h>

#include "cmd/cmd.h"
#include "common/strbuf.h"

struct cmdspec {
	const struct cmd_info *info;  /* borrowed from cmd_table */
	const struct cmd_def *def;    /* borrowed; NULL for help */
};

/* The visible commands (those with a summary), in table order: at most
 * `max` into out; returns how many. */
size_t cmdspec_load(struct cmdspec *out, size_t max);

/* The literal words the usage lines of `def` give as the first operand
 * ("xpship registry ping ..." -> "ping"), space-separated, appended to out. */
void cmdspec_words(const struct cmd_def *def, struct strbuf *out);

/* The literal values the usage lines give option `o` ("--format
 * text|json|github|sarif", "--task binary" ... "--task multiclass"),
 * space-separated, appended to out; nothing when they name none. */
void cmdspec_values(const struct cmd_def *def, const struct cmd_opt *o, struct strbuf *out);

/* The first line of a help text, appended to out. */
void cmdspec_first_line(const char *help, struct strbuf *out);

#endif
