/*
 * registry.c — `xpship registry ping REF`: can we talk to this registry?
 */
#include "cmd/cmd.h"
#include "common/strbuf.h"
#include "packager/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "registry",
	.synopsis =
	"usage: xpship registry ping [--plain-http] [--insecure] [--ca-file F] HOST[/REPO]\n"
	"\n"
	"Check that the registry answers the OCI distribution API (GET /v2/) with the\n"
	"credentials xpship would use (XPSHIP_REGISTRY_USERNAME/XPSHIP_REGISTRY_PASSWORD).\n",
	.opts = options,
	.registry = CMD_REG_TLS,
};

int cmd_registry(int argc, char **argv)
{
	struct store_opts opts = {0};
	struct registry_ping ping;
	struct xp_error err;
	struct xp_ref ref;
	char *target;
	int c, ret;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &opts)) != -1) {
		switch (c) {
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cmd_usage_error("registry", "missing subcommand (ping)");
	if (strcmp(argv[optind], "ping") != 0)
		return cmd_usage_error("registry", "unknown subcommand '%s' (expected ping)",
				       argv[optind]);
	if (optind + 2 != argc)
		return cmd_usage_error("registry", "ping takes one registry (HOST[:PORT][/REPO])");
	if (ref_check_scheme(argv[optind + 1], &err))
		return cmd_usage_error("registry", "%s", err.msg);
	/* a bare host is allowed: ping needs no repository */
	target = strchr(argv[optind + 1], '/') ? xstrdup(argv[optind + 1])
					       : xasprintf("%s/ping", argv[optind + 1]);
	ret = ref_parse(target, REF_REGISTRY_ONLY, &ref, &err);
	free(target);
	if (ret)
		return cmd_usage_error("registry", "invalid registry '%s': expected HOST[:PORT][/REPO]",
				       argv[optind + 1]);
	ret = registry_ping(&ref, &opts, &ping, &err);
	if (ret) {
		ref_release(&ref);
		return cmd_fail(&err);
	}
	printf("%s: ok (%s%s%s)\n", ref.host, ping.scheme,
	       ping.api_version[0] ? ", " : "", ping.api_version);
	ref_release(&ref);
	return XP_EXIT_OK;
}
