/*
 * exitcode.h — the one list of xpship's exit codes, and the one table that maps
 * a library error's class to one.
 *
 * Libraries report failures by class (common/error.h); every command maps its
 * outcome to one of these codes, and `xpship --help`, the man page and the
 * README print the same table (xp_exit_table below).
 */
#ifndef XPSHIP_CMD_EXITCODE_H
#define XPSHIP_CMD_EXITCODE_H

#include "common/error.h"

enum xp_exit {
	XP_EXIT_OK = 0,        /* success */
	XP_EXIT_NO = 1,        /* the answer is no: invalid record, gate failed, verification failed */
	XP_EXIT_USAGE = 2,     /* bad command line */
	XP_EXIT_MALFORMED = 3, /* malformed input (YAML/JSON syntax, bad values) */
	XP_EXIT_SYSTEM = 4,    /* local system error (file cannot be read or written) */
	XP_EXIT_REMOTE = 5,    /* remote or registry error */
};

struct xp_exit_desc {
	enum xp_exit code;
	const char *text;
};

/* The table, terminated by an entry with text NULL. Borrowed, static. */
extern const struct xp_exit_desc xp_exit_table[];

/* The exit code for a failure of class `cls`: not found, integrity and refused
 * are "no" (1), malformed 3, local 4, remote 5, usage 2; an error without a
 * class is a local failure (4). */
enum xp_exit xp_exit_of(enum xp_err cls);

#endif
