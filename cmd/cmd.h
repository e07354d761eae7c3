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
#include "common/table.h"
#include "packager/store.h"

struct cmd_info {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary; /* NULL: hidden (not listed, not completed) */
};

/* The command table (cmd/main.c), terminated by a NULL name. */
extern const struct cmd_info cmd_table[];

#define CMD_OPT_HELP (-100)
#define CMD_OPT_BAD (-101)

/* One option, declared once: its usage line, long-option entry and short
 * letter all follow from it. */
struct cmd_opt {
	const char *name;      /* long name, without "--" */
	char short_name;       /* 0: none */
	const char *arg;       /* "FILE": takes a value; NULL: a flag */
	int val;               /* what cmd_parse returns (short_name when set) */
	const char *help;      /* lines separated by '\n' */
};

/* Which shared registry option groups a command takes (cmd/regopts.c). */
#define CMD_REG_TLS 1u       /* --plain-http, --insecure, --ca-file */
#define CMD_REG_TRANSFER 2u  /* --jobs, --chunk-size */

/* A command's options and help text. */
struct cmd_def {
	const char *name;            /* "gate" */
	const char *synopsis;        /* usage line(s), description; ends before "Options:" */
	const struct cmd_opt *opts;  /* the command's own, ended by a NULL name */
	unsigned registry;           /* CMD_REG_* */
	const char *registry_heading; /* heading of the registry options; NULL: with the others */
	const char *notes;           /* after the options: environment, exit codes */
};

/* xpship's own usage and global options (cmd/main.c): its --help, the
 * completions and the man pages list them. A global option that takes a
 * value takes it as --NAME=VALUE. */
extern const struct cmd_def cmd_global_def;

/* The next option of argv for `def`: the command's own option's val (optarg
 * set), -1 after the last option (optind is the first operand), CMD_OPT_HELP
 * after printing the help, or CMD_OPT_BAD after printing a usage error.
 * Registry options are parsed into *reg and not returned. */
int cmd_parse(const struct cmd_def *def, int argc, char **argv, struct store_opts *reg);
/* All options of a command that has no options of its own but registry ones:
 * -1 when the operands follow, else the exit code to return. */
int cmd_parse_all(const struct cmd_def *def, int argc, char **argv, struct store_opts *reg);
/* The help text of `def`, as --help prints it (caller frees). */
char *cmd_help_text(const struct cmd_def *def);
/* The option tables of `def`, its own first, then the registry groups it
 * takes (borrowed); returns how many (at most 3). */
size_t cmd_def_tables(const struct cmd_def *def, const struct cmd_opt *t[3]);
/* The cmd_def command `c` parses its arguments with (borrowed): `c` runs with
 * "--help" while cmd_parse hands back its def instead of printing. NULL for a
 * command that parses no options table (help). */
const struct cmd_def *cmd_describe(const struct cmd_info *c);

/* The build time for `cmd`: SOURCE_DATE_EPOCH when set (*set 1), else now
 * (common/timeutil.h). An invalid value is reported as a usage error of `cmd`
 * and its exit code returned; 0 otherwise. */
int cmd_epoch(const char *cmd, long long *out, int *set);

/* A size option: "1048576", "4k", "64M", "2G", "1T" (also "64MiB", "64MB",
 * all powers of 1024) → bytes; -1 when invalid, not positive or too large. */
long long cmd_parse_size(const char *s);

/* "a,b,c" into a NULL-terminated list of copies, *n its length; free with
 * cmd_free_list (NULL is fine). */
char **cmd_split_list(const char *s, size_t *n);
void cmd_free_list(char **l);
/* --input-format: "csv", "tsv" or "jsonl"; -1 otherwise. */
int cmd_parse_table_format(const char *s, enum table_format *f);

/* Print "xpship: error: <msg>" and the usage hint for `cmd`; returns 2. */
int cmd_usage_error(const char *cmd, const char *fmt, ...) XP_PRINTF(2, 3);
/* Report a library error and return its exit code (4 when none was set). */
int cmd_fail(const struct xp_error *err);

/* The progress reporter for stderr: NULL with --quiet, a bar on a TTY, plain
 * lines every ~10% otherwise. */
const struct xp_progress *cmd_progress(void);

int cmd_init(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_drift(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_unpack(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_attest(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_approve(int argc, char **argv);
int cmd_waive(int argc, char **argv);
int cmd_sign_blob(int argc, char **argv);
int cmd_verify_blob(int argc, char **argv);
int cmd_push(int argc, char **argv);
int cmd_pull(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_promote(int argc, char **argv);
int cmd_tags(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_rollback(int argc, char **argv);
int cmd_gc(int argc, char **argv);
int cmd_best(int argc, char **argv);
int cmd_login(int argc, char **argv);
int cmd_logout(int argc, char **argv);
int cmd_registry(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_completion(int argc, char **argv);
int cmd_man(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif
