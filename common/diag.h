/*
 * diag.h — how cmd/ reports errors, warnings and notes.
 *
 * Plain form on stderr:   xpship: error: <what> '<subject>': <cause>
 * With a position:        experiment.yaml:12:7: error: unknown key 'lr'
 * GitHub mode (on by default when GITHUB_ACTIONS=true), positioned diagnostics
 * become workflow commands on stdout, escaped as the runner expects:
 *                         ::error file=experiment.yaml,line=12,col=7::unknown key 'lr'
 * Libraries never call this module; it is the printing side of struct xp_error.
 */
#ifndef XPSHIP_COMMON_DIAG_H
#define XPSHIP_COMMON_DIAG_H

#include "common/error.h"
#include "common/strbuf.h"

enum diag_sev { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };
enum diag_color { DIAG_COLOR_AUTO, DIAG_COLOR_ALWAYS, DIAG_COLOR_NEVER };

/* Reads NO_COLOR, GITHUB_ACTIONS and whether stderr is a terminal. */
void diag_init(int quiet, int verbose, enum diag_color color);
int diag_is_quiet(void);
int diag_is_verbose(void);
int diag_github(void);
void diag_set_github(int on);

void diag_error(const char *fmt, ...) XP_PRINTF(1, 2);
void diag_warning(const char *fmt, ...) XP_PRINTF(1, 2);
void diag_note(const char *fmt, ...) XP_PRINTF(1, 2);     /* not with -q */
void diag_verbose(const char *fmt, ...) XP_PRINTF(1, 2);  /* only with -v */

/* A diagnostic about an input position (line 0: no position). */
void diag_at(enum diag_sev sev, const char *file, unsigned line, unsigned col,
	     const char *fmt, ...) XP_PRINTF(5, 6);

/* Print an error filled by a library, positioned when it has a position. */
void diag_report(const struct xp_error *e);

/* GitHub workflow-command escaping: data (%, CR, LF) or property (also : and ,). */
void diag_github_escape(struct strbuf *out, const char *s, int property);
/* Format one annotation line (no trailing newline) into out. */
void diag_github_annotation(struct strbuf *out, enum diag_sev sev, const char *file,
			    unsigned line, unsigned col, const char *title,
			    const char *msg);
/* Under GitHub Actions, ask the runner to mask a secret in later log lines. */
void diag_mask(const char *secret);

#endif
