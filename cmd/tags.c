/*
 * tags.c — `xpship tags`: list a repository's (or a local bundle's) tags.
 */
#include "cmd/cmd.h"
#include "cmd/jsonout.h"
#include "cmd/regopts.h"
#include "packager/ref.h"

#include <stdio.h>
#include <stdlib.h>

static const struct cmd_opt options[] = {
	{"all", 'a', NULL, 'a',
	 "also the companion tags: signatures (sha256-<hex>.sig),\n"
	 "attestations (.att) and referrers fallbacks (sha256-<hex>)"},
	JSONOUT_OPTION,
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "tags",
	.synopsis =
	"usage: xpship tags [--all] [--json] [--plain-http] [--insecure] [--ca-file F] REF\n"
	"\n"
	"List the release tags of the registry repository REF =\n"
	"[docker://]HOST[:PORT]/REPO (or of a local bundle: oci:DIR, oci-archive:FILE),\n"
	"sorted, one per line; --all lists the companion tags too. With --json:\n"
	"{\"schema\": \"https://xpship.dev/cli/tags/v1\", \"repository\", \"tags\": [...]}.\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.notes =
	"Exit codes: 0 listed, 1 no such repository, 2 usage, 3 malformed layout,\n"
	"4 local error, 5 registry error.\n",
};

int cmd_tags(int argc, char **argv)
{
	struct store_opts opts = {0};
	struct store *s = NULL;
	struct xp_ref ref = {0};
	struct xp_error err;
	char **tags = NULL;
	size_t n = 0, i;
	int c, all = 0, json = 0, ret;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &opts)) != -1) {
		if (c == CMD_OPT_HELP)
			return XP_EXIT_OK;
		if (c == 'a')
			all = 1;
		else if (c == JSONOUT_VAL)
			json = 1;
		else
			return XP_EXIT_USAGE;
	}
	if (argc - optind != 1)
		return cmd_usage_error("tags", "expected one repository reference");
	if (ref_parse(argv[optind], 0, &ref, &err))
		return cmd_usage_error("tags", "%s", err.msg);
	regopt_prepare();
	if (store_open(&ref, &opts, &s, &err) || store_tags(s, &tags, &n, &err)) {
		ret = cmd_fail(&err);
	} else if (json) {
		json_t *o = jsonout_new("tags"), *a = json_array();

		for (i = 0; i < n; i++)
			if (all || !ref_is_companion_tag(tags[i]))
				json_array_append_new(a, json_string(tags[i]));
		json_object_set_new(o, "repository", json_string(store_name(s)));
		json_object_set_new(o, "tags", a);
		ret = jsonout_print(o);
	} else {
		for (i = 0; i < n; i++)
			if (all || !ref_is_companion_tag(tags[i]))
				printf("%s\n", tags[i]);
		ret = XP_EXIT_OK;
	}
	store_tags_free(tags, n);
	store_close(s);
	ref_release(&ref);
	return ret;
}
