/*
 * waive.c — `xpship waive`: a person's signed waiver of one failed gate check
 * for one candidate under one policy (docs/approvals.md), for `gate --waivers`.
 */
#include "cmd/cmd.h"
#include "cmd/keyarg.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "common/timeutil.h"
#include "packager/approval.h"
#include "pipeline/waiver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{"key", 'k', "KEY", 'k',
	 "the approver's private key: a PEM file or env://VAR"},
	{"rule", 0, "METRIC.CHECK", 'r',
	 "the check waived, as the gate's table names it\n"
	 "(accuracy.min, latency.p95_ms.max_rel_regression)"},
	{"reason", 0, "TEXT", 'R',
	 "why (required)"},
	{"expires", 0, "DURATION", 'x',
	 "valid for this long: 90m, 12h, 7d, 2w (default: no expiry)"},
	{"experiment", 'e', "FILE", 'e',
	 "the candidate: an experiment record (as gate --experiment)"},
	{"metrics", 'm', "SRC", 'm',
	 "the candidate: a metrics source (as gate --metrics)"},
	{"policy", 'p', "FILE", 'p',
	 "the gate policy"},
	{"identity", 'i', "WHO", 'i',
	 "who waives, in words (an e-mail, a CI user)"},
	{"output", 'o', "FILE", 'o',
	 "the waiver file to write (required)"},
	{"password-stdin", 0, NULL, 'P',
	 "read the key's passphrase from standard input"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "waive",
	.synopsis =
	"usage: xpship waive --key KEY --rule METRIC.CHECK --reason TEXT [--expires 7d]\n"
	"                    (--experiment FILE | --metrics SRC) --policy FILE\n"
	"                    [--identity WHO] [--password-stdin] -o WAIVER.json\n"
	"\n"
	"Sign a waiver of one check of the policy for one candidate: an in-toto\n"
	"statement (predicateType https://xpship.dev/waiver/v1) whose subjects are\n"
	"the digests of the candidate's record (or metrics file) and of the policy,\n"
	"in a DSSE envelope signed with your own key. 'gate --waivers WAIVER.json\n"
	"--approvers FILE' turns that check, when it fails, into 'waived'. A waiver\n"
	"never covers another check, candidate or policy, nor after it expired.\n"
	"SOURCE_DATE_EPOCH, when set, is the waiver's time.\n",
	.opts = options,
	.notes =
	"Exit codes: 0 written, 2 usage (a check the policy does not have) or key\n"
	"passphrase, 3 malformed policy, record or key, 4 local error.\n",
};

struct args {
	const char *key, *rule, *reason, *expires, *experiment, *metrics, *policy, *identity,
		   *output;
	int pass_stdin;
};

static int parse(int argc, char **argv, struct args *a)
{
	int c;

	while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1) {
		switch (c) {
		case 'k': a->key = optarg; break;
		case 'r': a->rule = optarg; break;
		case 'R': a->reason = optarg; break;
		case 'x': a->expires = optarg; break;
		case 'e': a->experiment = optarg; break;
		case 'm': a->metrics = optarg; break;
		case 'p': a->policy = optarg; break;
		case 'i': a->identity = optarg; break;
		case 'o': a->output = optarg; break;
		case 'P': a->pass_stdin = 1; break;
		case CMD_OPT_HELP: return -1;
		default: return XP_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error("waive", "unexpected argument '%s'", argv[optind]);
	if (!a->key || !a->rule || !a->policy || !a->output)
		return cmd_usage_error("waive", "missing %s", !a->key ? "--key KEY" : !a->rule
				       ? "--rule METRIC.CHECK" : !a->policy ? "--policy FILE" : "-o WAIVER.json");
	if (!a->reason || !*a->reason)
		return cmd_usage_error("waive", "missing --reason TEXT: a waiver says why");
	if (!a->experiment == !a->metrics)
		return cmd_usage_error("waive", a->metrics ? "--metrics and --experiment exclude each other"
				       : "missing candidate: --experiment FILE or --metrics SRC");
	return 0;
}

int cmd_waive(int argc, char **argv)
{
	struct waiver_target t;
	struct waive_opts wo = {0};
	struct sign_key *key = NULL;
	struct xp_error err;
	struct args a;
	char *env = NULL;
	int ret;

	memset(&a, 0, sizeof(a));
	xp_error_clear(&err);
	ret = parse(argc, argv, &a);
	if (ret)
		return ret < 0 ? XP_EXIT_OK : ret;
	if (a.expires && xp_duration_parse(a.expires, &wo.expires))
		return cmd_usage_error("waive", "invalid --expires '%s' (expected e.g. 12h, 7d, 2w)",
				       a.expires);
	if ((ret = cmd_epoch("waive", &wo.time, NULL)))
		return ret;
	if (waiver_target_load(a.policy, a.experiment ? a.experiment : a.metrics,
			       a.experiment != NULL, a.rule, &t, &err))
		return err.cls == XP_ERR_USAGE ? cmd_usage_error("waive", "%s", err.msg) : cmd_fail(&err);
	if ((ret = keyarg_load_private(a.key, a.pass_stdin, &key)))
		return ret;
	wo.check = t.check;
	wo.reason = a.reason;
	wo.identity = a.identity;
	wo.candidate_path = a.experiment ? a.experiment : a.metrics;
	wo.candidate_digest = t.candidate_digest;
	wo.policy_path = a.policy;
	wo.policy_digest = t.policy_digest;
	if (waiver_sign(key, &wo, &env, &err) ||
	    file_write_atomic(a.output, env, strlen(env), 0644, &err)) {
		ret = cmd_fail(&err);
		goto out;
	}
	printf("Waived %s for %s (%s) under %s (%s): %s\n", t.check, wo.candidate_path,
	       t.candidate_digest, a.policy, t.policy_digest, a.output);
	ret = XP_EXIT_OK;
out:
	free(env);
	key_free(key);
	return ret;
}
