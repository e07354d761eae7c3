/*
 * regopts.h — the registry options the transfer commands (push, pull, copy,
 * tags, promote, login) share, and what they do before talking to a
 * registry.
 */
#ifndef XPSHIP_CMD_REGOPTS_H
#define XPSHIP_CMD_REGOPTS_H

#include <getopt.h>

#include "cmd/cmd.h"
#include "packager/store.h"

/* Option values (the val of struct option) the helpers below understand. */
#define REGOPT_PLAIN_HTTP 1001
#define REGOPT_INSECURE 1002
#define REGOPT_CA_FILE 1003
#define REGOPT_JOBS 1004
#define REGOPT_CHUNK_SIZE 1005

/* The registry options, declared once (cmd_def.registry selects them). */
extern const struct cmd_opt regopt_tls[];
extern const struct cmd_opt regopt_transfer[];

/* The registry environment, in the --help texts. */
#define REGOPT_ENV_HELP \
	"Credentials: XPSHIP_REGISTRY_USERNAME and XPSHIP_REGISTRY_PASSWORD, else\n" \
	"~/.docker/config.json ($DOCKER_CONFIG): auths, credHelpers, credsStore (see\n" \
	"'xpship login'). Retries: XPSHIP_REGISTRY_RETRIES (default 4),\n" \
	"XPSHIP_REGISTRY_RETRY_DELAY_MS (first backoff, default 500),\n" \
	"XPSHIP_REGISTRY_STALL_TIMEOUT (seconds without progress, default 60);\n" \
	"a transfer slower than XPSHIP_REGISTRY_LOW_SPEED_LIMIT bytes/s (default\n" \
	"1024; 0: no limit) for XPSHIP_REGISTRY_LOW_SPEED_TIME seconds (default 30)\n" \
	"fails. Answers are capped: a manifest at 4 MiB, a tag list at 16 MiB.\n"

/* Handle option `c` (with optarg) for `cmd`: 1 when it was one of these,
 * 0 when not, -1 after printing a usage error. */
int regopt_parse(const char *cmd, int c, const char *arg, struct store_opts *o);
/* Before the first request: mask the registry password in CI logs. */
void regopt_prepare(void);

#endif
