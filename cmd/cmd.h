/*
 * cmd.h — what every cmd/<verb>.c shares: the command entry points, option
 * parsing with "did you mean", and the progress reporter.
 *
 * A command function parses its arguments, makes one call into a library, maps
 * the result to an exit code (cmd/exitcode.h) and returns it. Only cmd/ prints
 * to stdout or exits.
 */
#ifndef XPSHIP_CMD_CMD_H
#define XPSHIP_CMD_CMD_H

#include <getopt.h>

#include "common/diag.h"
#include "common/error.h"
#include "cmd/exitcode.h"
#include "common/progress.h"

struct cmd_info {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* The command table (cmd/main.c), terminated by a NULL name. */
extern const struct cmd_info cmd_table[];

#define CMD_OPT_HELP (-100)
#define CMD_OPT_BAD (-101)

/* The build time for `cmd`: SOURCE_DATE_EPOCH when set (*set 1), else now
 * (common/timeutil.h). An invalid value is reported as a usage error of `cmd`
 * and its exit code returned; 0 otherwise. */
int cmd_epoch(const char *cmd, long long *out, int *set);

/* getopt_long for commands: handles -h/--help (prints `usage` on stdout and
 * returns CMD_OPT_HELP) and errors (prints them with a suggestion and returns
 * CMD_OPT_BAD). Returns -1 after the last option; optind is the first operand. */
int cmd_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts, const char *usage);

/* Print "xpship: error: <msg>" and the usage hint for `cmd`; returns 2. */
int cmd_usage_error(const char *cmd, const char *fmt, ...) XP_PRINTF(2, 3);
/* Report a library error and return its exit code (4 when none was set). */
int cmd_fail(const struct xp_error *err);

/* The progress reporter for stderr: NULL with --quiet, a bar on a TTY, plain
 * lines every ~10% otherwise. */
const struct xp_progress *cmd_progress(void);

int cmd_init(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_unpack(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_attest(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_sign_blob(int argc, char **argv);
int cmd_verify_blob(int argc, char **argv);
int cmd_push(int argc, char **argv);
int cmd_pull(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_promote(int argc, char **argv);
int cmd_tags(int argc, char **argv);
int cmd_login(int argc, char **argv);
int cmd_logout(int argc, char **argv);
int cmd_registry(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif
