/*
 * logout.c — `xpship logout`: remove stored registry credentials.
 */
#include "cmd/cmd.h"
#include "common/strbuf.h"
#include "packager/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_def spec = {
	.name = "logout",
	.synopsis =
	"usage: xpship logout HOST\n"
	"\n"
	"Remove the credentials for the registry HOST[:PORT] that 'xpship login' (or\n"
	"docker login) stored: its auths entry in ~/.docker/config.json\n"
	"($DOCKER_CONFIG) and, when the file names one, from its credential helper.\n"
	"\n"
	"Exit codes: 0 removed or none stored, 2 usage, 3 malformed docker config,\n"
	"4 local error.\n",
};

int cmd_logout(int argc, char **argv)
{
	struct xp_error err;
	const char *host;
	int c, removed = 0;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1)
		return c == CMD_OPT_HELP ? XP_EXIT_OK : XP_EXIT_USAGE;
	if (argc - optind != 1)
		return cmd_usage_error("logout", "expected one registry host");
	host = argv[optind];
	if (strncmp(host, "docker://", 9) == 0)
		host += 9;
	if (!*host || strchr(host, '/'))
		return cmd_usage_error("logout", "invalid registry host '%s': expected HOST[:PORT]",
				       argv[optind]);
	if (registry_logout(host, &removed, &err))
		return cmd_fail(&err);
	if (removed)
		printf("logged out of %s\n", host);
	else
		printf("not logged in to %s\n", host);
	return XP_EXIT_OK;
}
