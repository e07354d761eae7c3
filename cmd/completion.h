/*
 * completion.h — the completion script generators of `xpship completion`
 * (cmd/completion.c: bash; cmd/completion_zf.c: zsh and fish).
 */
#ifndef XPSHIP_CMD_COMPLETION_H
#define XPSHIP_CMD_COMPLETION_H

#include <stddef.h>

#include "cmd/cmdspec.h"
#include "common/strbuf.h"

/* The body of the zsh / fish script for the commands cs[0..n), appended. */
void completion_zsh(struct strbuf *sb, const struct cmdspec *cs, size_t n);
void completion_fish(struct strbuf *sb, const struct cmdspec *cs, size_t n);

/* Whether global option o is offered after a command too. */
int completion_in_cmd(const struct cmd_opt *o);

/* Appends s single-quoted for sh and zsh ("it's" -> 'it'\''s'). */
void completion_sq(struct strbuf *sb, const char *s);

#endif
