/*
 * rollback.c — `xpship rollback`: move a tag back to an earlier champion
 * from its signed promotion log.
 */
#include "cmd/cienv.h"
#include "cmd/cmd.h"
#include "cmd/keyarg.h"
#include "cmd/regopts.h"
#include "packager/blobcache.h"
#include "packager/rollback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{"tag", 't', "TAG", 't',
	 "the tag to move back (default prod)"},
	{"to", 0, "DIGEST", 'T',
	 "an earlier champion of TAG (default: the previous one)"},
	{"key", 'k', "PUB", 'k',
	 "the public key: the promotion log, the signature and the gate\n"
	 "verdict must verify with it (required)"},
	{"sign-key", 0, "KEY", 'K',
	 "sign the rollback's promotion statement (required)"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "rollback",
	.synopsis =
	"usage: xpship rollback [--tag TAG] [--to DIGEST] --key PUB --sign-key KEY\n"
	"                       [--plain-http] [--insecure] [--ca-file F] REPO\n"
	"\n"
	"Move TAG of REPO back to the champion before the current one, as the\n"
	"promotion statements signed by PUB record it (or to the earlier champion\n"
	"DIGEST), after verifying it as 'xpship promote' does: its signature by PUB\n"
	"and a signed gate decision with the verdict pass. The tag must still name\n"
	"the champion the log was read from. The move is recorded as a promotion\n"
	"statement of kind rollback. Prints REPO:TAG@sha256:<digest>.\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.notes =
	"Exit codes: 0 rolled back, 1 no earlier champion, verification failed or\n"
	"the tag moved (nothing moved), 2 usage, 3 malformed key or content,\n"
	"4 local error, 5 registry error.\n",
};

static void print_failed(const char *repo, const struct verify_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		if (!rep->v[i].ok && !rep->v[i].skipped)
			diag_error("verification failed for '%s': %s: %s", repo, rep->v[i].name,
				   rep->v[i].detail);
}

int cmd_rollback(int argc, char **argv)
{
	struct store_opts opts = {0};
	struct rollback_opts ro = {0};
	struct verify_report rep = {0};
	struct oci_desc m = {0};
	struct sign_key *key = NULL, *skey = NULL;
	struct store *s = NULL;
	struct xp_ref ref = {0}, shown;
	struct xp_error err;
	const char *key_spec = NULL, *sign_spec = NULL;
	char *builder = NULL, *invocation = NULL, *cache = NULL, *out;
	long long epoch;
	int c, ret, epoch_set;

	xp_error_clear(&err);
	ro.promote.to = "prod";
	while ((c = cmd_parse(&spec, argc, argv, &opts)) != -1) {
		switch (c) {
		case 't': ro.promote.to = optarg; break;
		case 'T': ro.to = optarg; break;
		case 'k': key_spec = optarg; break;
		case 'K': sign_spec = optarg; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error("rollback", "expected one repository reference");
	if (!key_spec || !sign_spec)
		return cmd_usage_error("rollback", "missing %s", key_spec ? "--sign-key KEY" : "--key PUB");
	if (!ref_valid_tag(ro.promote.to))
		return cmd_usage_error("rollback", "invalid --tag '%s'", ro.promote.to);
	if (ro.to && !digest_valid(ro.to))
		return cmd_usage_error("rollback", "invalid --to '%s' (expected sha256:<64 hex>)", ro.to);
	if ((ret = cmd_epoch("rollback", &epoch, &epoch_set)))
		return ret;
	if (ref_parse(argv[optind], 0, &ref, &err))
		return cmd_usage_error("rollback", "%s", err.msg);
	if (key_read_public(key_spec, &key, &err)) {
		ret = cmd_fail(&err);
		goto out;
	}
	if ((ret = keyarg_load_private(sign_spec, 0, &skey)))
		goto out;
	regopt_prepare();
	cmd_builder_from_env(&builder, &invocation);
	cache = blobcache_default_dir();
	ro.cache = cache;
	ro.promote.key = key;
	ro.promote.sign_key = skey;
	ro.promote.builder_id = builder;
	ro.promote.invocation_id = invocation;
	ro.promote.now = epoch_set ? epoch : 0;
	if (store_open(&ref, &opts, &s, &err) || rollback_run(s, &ro, &m, &rep, &err)) {
		print_failed(argv[optind], &rep);
		ret = rep.failed ? XP_EXIT_NO : cmd_fail(&err);
		goto out;
	}
	shown = *store_ref(s);
	shown.tag = (char *)ro.promote.to;
	shown.digest = m.digest;
	out = ref_format(&shown);
	printf("%s\n", out);
	free(out);
	ret = XP_EXIT_OK;
out:
	verify_report_release(&rep);
	oci_desc_release(&m);
	store_close(s);
	key_free(key);
	key_free(skey);
	ref_release(&ref);
	free(builder);
	free(invocation);
	free(cache);
	return ret;
}
