/*
 * approve.c — `xpship approve`: a person's signed approval of a bundle,
 * attached to it for `promote --require-approvals` (docs/approvals.md).
 */
#include "cmd/bundlearg.h"
#include "cmd/cmd.h"
#include "cmd/keyarg.h"
#include "cmd/regopts.h"
#include "common/fileio.h"
#include "common/timeutil.h"
#include "packager/approval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECISION_MAX (4 * 1024 * 1024)

static const struct cmd_opt options[] = {
	{"key", 'k', "KEY", 'k',
	 "the approver's private key: a PEM file or env://VAR"},
	{"identity", 'i', "WHO", 'i',
	 "who approves, in words (an e-mail, a CI user)"},
	{"reason", 'r', "TEXT", 'r',
	 "why"},
	{"role", 0, "ROLE", 'R',
	 "the role approved in (the approvers file must grant it)"},
	{"expires", 0, "DURATION", 'x',
	 "valid for this long: 90m, 12h, 7d, 2w (default: no expiry)"},
	{"decision", 'd', "FILE", 'd',
	 "the gate decision approved (default: the one the bundle\n"
	 "was packed with, dev.xpship.decision.digest)"},
	{"output", 'o', "FILE", 'o',
	 "also write the DSSE envelope to FILE"},
	{"attach", 0, "FILE", 'a',
	 "attach an approval signed elsewhere (an --output file)\n"
	 "instead of signing one"},
	{"password-stdin", 0, NULL, 'P',
	 "read the key's passphrase from standard input"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "approve",
	.synopsis =
	"usage: xpship approve --key KEY [--identity WHO] [--reason TEXT] [--role ROLE]\n"
	"                      [--expires DURATION] [--decision FILE] [--output FILE]\n"
	"                      [--password-stdin] BUNDLE\n"
	"   or: xpship approve --attach FILE BUNDLE\n"
	"\n"
	"Sign an approval of BUNDLE's manifest digest with your own key: an in-toto\n"
	"statement (predicateType https://xpship.dev/approval/v1) naming your key id,\n"
	"identity, role, reason, the time, the expiry and the digests of the gate\n"
	"decision and policy approved, in a DSSE envelope attached under tag\n"
	"sha256-<hex>.att. 'promote --require-approvals N --approvers FILE' counts\n"
	"them. SOURCE_DATE_EPOCH, when set, is the approval's time.\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.registry_heading = "Registry options (BUNDLE a registry reference):",
	.notes =
	"Exit codes: 0 approved, 1 no such tag, 2 usage or key passphrase, 3 malformed\n"
	"key, decision or envelope, 4 local error, 5 registry error.\n",
};

struct args {
	const char *key, *decision, *output, *attach, *expires;
	int pass_stdin;
	struct approve_opts ao;
};

static int parse(int argc, char **argv, struct store_opts *sopts, struct args *a)
{
	int c;

	while ((c = cmd_parse(&spec, argc, argv, sopts)) != -1) {
		switch (c) {
		case 'k': a->key = optarg; break;
		case 'i': a->ao.identity = optarg; break;
		case 'r': a->ao.reason = optarg; break;
		case 'R': a->ao.role = optarg; break;
		case 'x': a->expires = optarg; break;
		case 'd': a->decision = optarg; break;
		case 'o': a->output = optarg; break;
		case 'a': a->attach = optarg; break;
		case 'P': a->pass_stdin = 1; break;
		case CMD_OPT_HELP: return -1;
		default: return XP_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error("approve", optind < argc ? "too many arguments" : "missing BUNDLE");
	if (!a->key == !a->attach)
		return cmd_usage_error("approve", a->key ? "--attach signs nothing: no --key"
						       : "missing --key KEY (or --attach FILE)");
	if (a->expires && xp_duration_parse(a->expires, &a->ao.expires))
		return cmd_usage_error("approve", "invalid --expires '%s' (expected e.g. 12h, 7d, 2w)",
				       a->expires);
	if ((a->ao.identity && !*a->ao.identity) || (a->ao.role && !*a->ao.role))
		return cmd_usage_error("approve", "empty --identity or --role");
	return 0;
}

int cmd_approve(int argc, char **argv)
{
	struct args a;
	struct store_opts sopts = {0};
	struct sign_key *key = NULL;
	struct store *s = NULL;
	struct oci_desc m = {0};
	struct xp_error err;
	char *decision = NULL, *env = NULL;
	size_t len = 0;
	int ret;

	memset(&a, 0, sizeof(a));
	xp_error_clear(&err);
	ret = parse(argc, argv, &sopts, &a);
	if (ret)
		return ret < 0 ? XP_EXIT_OK : ret;
	if ((ret = cmd_epoch("approve", &a.ao.time, NULL)))
		return ret;
	if (a.decision && file_read_all(a.decision, DECISION_MAX, &decision, &len, &err))
		return cmd_fail(&err);
	a.ao.decision_json = decision;
	a.ao.decision_len = len;
	if (a.attach && file_read_all(a.attach, APPROVAL_FILE_MAX, &env, &len, &err)) {
		ret = cmd_fail(&err);
		goto out;
	}
	ret = bundlearg_open("approve", argv[optind], &sopts, &s, &m);
	if (ret || (a.key && (ret = keyarg_load_private(a.key, a.pass_stdin, &key))))
		goto out;
	if (a.attach && approval_attach(s, &m, env, len, &err)) {
		xp_error_prefix(&err, "cannot attach '%s'", a.attach);
		ret = cmd_fail(&err);
		goto out;
	}
	if ((!a.attach && approve_bundle(s, &m, key, &a.ao, &env, &err)) ||
	    store_commit(s, &err) ||
	    (a.output && file_write_atomic(a.output, env, strlen(env), 0644, &err))) {
		ret = cmd_fail(&err);
		goto out;
	}
	printf("Approved %s (tag sha256-%s.att)\n", m.digest, digest_hex(m.digest));
	ret = XP_EXIT_OK;
out:
	free(decision);
	free(env);
	key_free(key);
	oci_desc_release(&m);
	store_close(s);
	return ret;
}
