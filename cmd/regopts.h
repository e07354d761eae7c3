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

#define REGOPT_TLS_OPTIONS \
	{"plain-http", no_argument, NULL, REGOPT_PLAIN_HTTP}, \
	{"insecure", no_argument, NULL, REGOPT_INSECURE}, \
	{"ca-file", required_argument, NULL, REGOPT_CA_FILE}
#define REGOPT_TRANSFER_OPTIONS \
	{"jobs", required_argument, NULL, REGOPT_JOBS}, \
	{"chunk-size", required_argument, NULL, REGOPT_CHUNK_SIZE}

/* The registry options, declared once (cmd_def.registry selects them). */
extern const struct cmd_opt regopt_tls[];
extern const struct cmd_opt regopt_transfer[];

/* The --help lines for those options. */
#define REGOPT_TLS_HELP \
	"  --plain-http     use http:// instead of https:// (also: XPSHIP_REGISTRY_PLAIN_HTTP=HOST,...)\n" \
	"  --insecure       do not verify the registry's TLS certificate\n" \
	"  --ca-file F      trust the CA certificates in F\n"
#define REGOPT_TRANSFER_HELP \
	"  --jobs N         transfer up to N blobs at a time (default 3)\n" \
	"  --chunk-size S   upload blobs in chunks of S bytes (K, M, G suffixes) with\n" \
	"                   resume after a dropped connection (default: one streamed PUT)\n"

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
/* The whole option loop of a command whose options are all registry
 * options: -1 when the operands follow (optind), else the exit code to
 * return (0 after --help). */
int regopt_getopt_all(const char *cmd, int argc, char **argv, const struct option *longopts,
		      const char *usage, struct store_opts *o);
/* Before the first request: mask the registry password in CI logs. */
void regopt_prepare(void);

#endif
