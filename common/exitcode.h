/*
 * exitcode.h — the one list of xpship's exit codes.
 *
 * Every command maps its outcome to one of these; `xpship --help`, the man page
 * and the README print the same table (xp_exit_table below).
 */
#ifndef XPSHIP_COMMON_EXITCODE_H
#define XPSHIP_COMMON_EXITCODE_H

enum xp_exit {
	XP_EXIT_OK = 0,        /* success */
	XP_EXIT_NO = 1,        /* the answer is no: invalid record, gate failed, verification failed */
	XP_EXIT_USAGE = 2,     /* bad command line */
	XP_EXIT_MALFORMED = 3, /* malformed input (YAML/JSON syntax, bad values) */
	XP_EXIT_SYSTEM = 4,    /* local system error (file cannot be read or written) */
	XP_EXIT_REMOTE = 5,    /* remote or registry error */
};

struct xp_exit_desc {
	int code;
	const char *text;
};

/* The table, terminated by an entry with text NULL. Borrowed, static. */
extern const struct xp_exit_desc xp_exit_table[];

#endif
