/*
 * regopts.c — registry options shared by the transfer commands (regopts.h).
 */
#include "cmd/regopts.h"
#include "cmd/cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const struct cmd_opt regopt_tls[] = {
	{"plain-http", 0, NULL, REGOPT_PLAIN_HTTP,
	 "use http:// instead of https:// (also: XPSHIP_REGISTRY_PLAIN_HTTP=HOST,...)"},
	{"insecure", 0, NULL, REGOPT_INSECURE, "do not verify the registry's TLS certificate"},
	{"ca-file", 0, "F", REGOPT_CA_FILE, "trust the CA certificates in F"},
	{NULL, 0, NULL, 0, NULL},
};

const struct cmd_opt regopt_transfer[] = {
	{"jobs", 0, "N", REGOPT_JOBS, "transfer up to N blobs at a time (default 3)"},
	{"chunk-size", 0, "S", REGOPT_CHUNK_SIZE,
	 "upload blobs in chunks of S bytes (K, M, G suffixes) with\n"
	 "resume after a dropped connection (default: one streamed PUT)"},
	{NULL, 0, NULL, 0, NULL},
};

int regopt_parse(const char *cmd, int c, const char *arg, struct store_opts *o)
{
	long long v;
	char *end;

	switch (c) {
	case REGOPT_PLAIN_HTTP:
		o->plain_http = 1;
		return 1;
	case REGOPT_INSECURE:
		o->insecure = 1;
		return 1;
	case REGOPT_CA_FILE:
		o->ca_file = arg;
		return 1;
	case REGOPT_JOBS:
		errno = 0;
		v = strtoll(arg, &end, 10);
		if (errno || *end || end == arg || v < 1 || v > 32) {
			cmd_usage_error(cmd, "invalid value '%s' for --jobs: expected 1 to 32", arg);
			return -1;
		}
		o->jobs = (int)v;
		return 1;
	case REGOPT_CHUNK_SIZE:
		v = cmd_parse_size(arg);
		if (v < 1024) {
			cmd_usage_error(cmd, "invalid value '%s' for --chunk-size: expected a size of at least 1K, like 8M",
					arg);
			return -1;
		}
		o->chunk_size = v;
		return 1;
	default:
		return 0;
	}
}

void regopt_prepare(void)
{
	diag_mask(getenv("XPSHIP_REGISTRY_PASSWORD"));
}
