/*
 * keyarg.h — what the signing commands share on the command line: loading a
 * private key from --key (a file or env://VAR) with its passphrase, and the
 * passphrase itself.
 *
 * A passphrase comes from, in order: --password-stdin (the first line of
 * standard input), XPSHIP_KEY_PASSWORD, or a prompt on the terminal — the
 * prompt only when standard input is a TTY, never in CI. It is never taken
 * from argv, never printed, and wiped when released.
 */
#ifndef XPSHIP_CMD_KEYARG_H
#define XPSHIP_CMD_KEYARG_H

#include <stddef.h>

#include "common/error.h"
#include "packager/keys.h"

struct passphrase {
	char *buf;      /* NULL when none */
	size_t len;
};

/* Read the passphrase from stdin or the environment (no prompt). *p is
 * empty when neither gives one. */
int keyarg_passphrase(int from_stdin, struct passphrase *p, struct xp_error *err);
/* Prompt on the terminal (twice when confirm) when stdin is a TTY; *p stays
 * empty otherwise. */
int keyarg_prompt(const char *prompt, int confirm, struct passphrase *p,
		  struct xp_error *err);
void keyarg_passphrase_release(struct passphrase *p);

/* Load the private signing key `spec`; an encrypted key takes its passphrase
 * as above. Returns 0, or an exit code after printing the error. */
int keyarg_load_private(const char *spec, int pass_stdin, struct sign_key **out);

#endif
