/*
 * verify.c — `xpship verify`: verify a bundle's digests, signature and attestations.
 */
#include "cmd/approvalarg.h"
#include "cmd/bundlearg.h"
#include "cmd/cmd.h"
#include "cmd/jsonout.h"
#include "cmd/regopts.h"
#include "common/decision_record.h"
#include "packager/sign.h"

#include <stdio.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{"key", 'k', "PUB", 'k',
	 "the public key: a PKIX PEM file or env://VAR"},
	{"identity", 'i', "REPO", 'i',
	 "require a signature whose docker-reference is REPO\n"
	 "(HOST[:PORT]/REPO, compared exactly)"},
	{"require-attestation", 0, NULL, 'A',
	 "require a valid SLSA provenance attestation"},
	{"require-verdict", 0, "VERDICT", 'V',
	 "require a valid gate-decision attestation whose\n"
	 "verdict is VERDICT (pass, pass-with-waivers or fail)"},
	APPROVALARG_OPTIONS,
	JSONOUT_OPTION,
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "verify",
	.synopsis =
	"usage: xpship verify --key PUB [--identity REPO] [--require-attestation]\n"
	"                     [--require-verdict pass]\n"
	"                     [--approvers FILE [--require-approvals N] [--require-role R]]\n"
	"                     [--json] BUNDLE\n"
	"\n"
	"Verify a bundle against a public key: every blob and manifest against its\n"
	"digest; the cosign signatures under tag sha256-<hex>.sig (at least one by PUB\n"
	"whose payload names this manifest and, with --identity, that repository);\n"
	"every attestation under sha256-<hex>.att (its DSSE signature by PUB, its\n"
	"in-toto subject this manifest); and what the options require. Prints one\n"
	"line per check; each failure is also reported on stderr, naming what failed.\n"
	"The configs and layers are read last, and only when everything else\n"
	"verified: a refused bundle is refused without reading them (their check then\n"
	"says 'skip'). Approvals ('xpship approve') are signed by people, not PUB:\n"
	"with --approvers each is shown as counted or why not. With --json the checks\n"
	"and the result are one JSON object on stdout instead, also when verification\n"
	"fails.\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.registry_heading = "Registry options (BUNDLE a registry reference):",
	.notes =
	"Exit codes: 0 everything verified, 1 something did not verify, 2 usage,\n"
	"3 malformed key, 4 local error, 5 registry error.\n",
};

int cmd_verify(int argc, char **argv)
{
	struct verify_opts vo = {0};
	struct store_opts sopts = {0};
	struct verify_report rep = {0};
	const char *key_spec = NULL, *bundle;
	struct sign_key *key = NULL;
	struct store *s = NULL;
	struct oci_desc m = {0};
	struct xp_error err;
	struct approval_args aa = {0};
	size_t i;
	int c, ret, json = 0;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &sopts)) != -1) {
		switch (c) {
		case 'k': key_spec = optarg; break;
		case 'i': vo.identity = optarg; break;
		case 'A': vo.require_attestation = 1; break;
		case 'V': vo.require_verdict = optarg; break;
		case JSONOUT_VAL: json = 1; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default:
			ret = approvalarg_option(&aa, "verify", c, optarg);
			if (ret <= 0)
				return ret ? -ret : XP_EXIT_USAGE;
		}
	}
	if (!key_spec)
		return cmd_usage_error("verify", "missing --key PUB");
	if (vo.require_verdict && !decision_verdict_valid(vo.require_verdict))
		return cmd_usage_error("verify", "invalid --require-verdict '%s' (expected pass, pass-with-waivers or fail)",
				       vo.require_verdict);
	if (vo.identity && ref_check_identity(vo.identity, &err))
		return cmd_usage_error("verify", "%s", err.msg);
	if (optind + 1 != argc)
		return cmd_usage_error("verify", optind < argc ? "too many arguments" : "missing BUNDLE");
	bundle = argv[optind];
	if ((ret = approvalarg_load(&aa, "verify", &vo.approvals)))
		return ret;
	if (key_read_public(key_spec, &key, &err)) {
		approvalarg_release(&aa);
		return cmd_fail(&err);
	}
	vo.key = key;
	sopts.progress = cmd_progress();
	ret = bundlearg_open("verify", bundle, &sopts, &s, &m);
	if (ret)
		goto out;
	if (sign_verify_bundle(s, &m, &vo, &rep, &err)) {
		ret = cmd_fail(&err);
		goto out;
	}
	for (i = 0; !json && i < rep.n; i++)
		printf("%-14s %-6s %s\n", rep.v[i].name,
		       rep.v[i].ok ? "ok" : rep.v[i].skipped ? "skip" : "FAILED", rep.v[i].detail);
	for (i = 0; i < rep.n; i++)
		if (!rep.v[i].ok && !rep.v[i].skipped)
			diag_error("verification failed for '%s': %s: %s", bundle, rep.v[i].name,
				   rep.v[i].detail);
	ret = rep.failed ? XP_EXIT_NO : XP_EXIT_OK;
	if (json) {
		json_t *o = jsonout_new("verify");

		json_object_set_new(o, "bundle", json_string(bundle));
		json_object_set_new(o, "digest", json_string(m.digest));
		json_object_set_new(o, "verified", json_boolean(!rep.failed));
		json_object_set_new(o, "verdict", jsonout_str(rep.verdict));
		json_object_set_new(o, "checks", jsonout_checks(&rep));
		if (jsonout_print(o))
			ret = XP_EXIT_SYSTEM;
	} else if (!rep.failed) {
		printf("Verified %s (%s)\n", bundle, m.digest);
	}
out:
	approvalarg_release(&aa);
	verify_report_release(&rep);
	oci_desc_release(&m);
	store_close(s);
	key_free(key);
	return ret;
}
