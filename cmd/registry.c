/*
 * registry.c — `xpship registry ping REF`: can we talk to this registry?
 */
#include "cmd/cmd.h"
#include "common/strbuf.h"
#include "packager/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: xpship registry ping [--plain-http] [--insecure] [--ca-file F] HOST[/REPO]\n"
	"\n"
	"Check that the registry answers the OCI distribution API (GET /v2/) with the\n"
	"credentials xpship would use (XPSHIP_REGISTRY_USERNAME/XPSHIP_REGISTRY_PASSWORD).\n"
	"\n"
	"Options:\n"
	"  --plain-http     use http:// instead of https://\n"
	"  --insecure       do not verify the TLS certificate\n"
	"  --ca-file F      trust the CA certificates in F\n";

static const struct option longopts[] = {
	{"plain-http", no_argument, NULL, 'P'},
	{"insecure", no_argument, NULL, 'k'},
	{"ca-file", required_argument, NULL, 'C'},
	{NULL, 0, NULL, 0},
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
	while ((c = cmd_getopt(argc, argv, "", longopts, usage)) != -1) {
		switch (c) {
		case 'P': opts.plain_http = 1; break;
		case 'k': opts.insecure = 1; break;
		case 'C': opts.ca_file = optarg; break;
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
