/*
 * promote.c — `xpship promote`: move a tag to a verified digest.
 */
#include "cmd/approvalarg.h"
#include "cmd/bundlearg.h"
#include "cmd/cienv.h"
#include "cmd/cmd.h"
#include "cmd/jsonout.h"
#include "cmd/keyarg.h"
#include "cmd/regopts.h"
#include "common/decision_record.h"
#include "common/strbuf.h"
#include "packager/promote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{"to", 0, "TAG", 't',
	 "the tag to move (required)"},
	{"key", 'k', "PUB", 'k',
	 "the public key (a PKIX PEM file or env://VAR)"},
	{"verify-key", 0, "PUB", 'k',
	 "the same as --key"},
	{"require-verdict", 0, "VERDICT", 'V',
	 "require a gate decision with this verdict (pass)"},
	JSONOUT_OPTION,
	{"identity", 0, "REPO", 'i',
	 "require a signature whose docker-reference is REPO"},
	APPROVALARG_OPTIONS,
	{"allow-stale", 0, NULL, 'S',
	 "move the tag even when it no longer names the champion the gate compared against"},
	{"sign-key", 0, "KEY", 'K',
	 "record the move as a promotion statement signed by KEY (a private key or env://VAR)"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "promote",
	.synopsis =
	"usage: xpship promote [--key PUB] [--require-verdict pass] [--identity REPO]\n"
	"                      [--json]\n"
	"                      [--approvers FILE --require-approvals N [--require-role R]]\n"
	"                      [--allow-stale] [--sign-key KEY]\n"
	"                      [--plain-http] [--insecure] [--ca-file F] REF --to TAG\n"
	"\n"
	"Point TAG of REF's repository at REF's manifest (REF = [docker://]HOST[:PORT]/\n"
	"REPO:TAG|@DIGEST, or a local bundle), after verifying it: with --key,\n"
	"every blob against its digest and a cosign signature by PUB (as 'xpship\n"
	"verify'); with --require-verdict, also a gate-decision attestation signed by\n"
	"PUB with that verdict (pass-with-waivers: failed checks were waived); with\n"
	"--identity, a signature by PUB naming REPO as its docker-reference; with\n"
	"--require-approvals, approvals of this digest and decision by N distinct\n"
	"keys of --approvers, none expired ('xpship approve'). Nothing is moved\n"
	"unless everything verifies. The\n"
	"signatures and attestations stay attached: they are keyed by the digest.\n"
	"Prints REPO:TAG@sha256:<digest>; with --json one object with the checks,\n"
	"also when a check failed (docs/json-output.md).\n"
	"\n"
	"A verified gate decision names the champion it compared against: right\n"
	"before the tag moves, it is read again and must still name that champion,\n"
	"else the decision is stale and nothing moves (--allow-stale overrides). With\n"
	"--sign-key the move is recorded as a signed promotion statement attached to\n"
	"the new champion (docs/history.md).\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.notes =
	"Without --key the tag is moved unverified, with a warning.\n"
	"\n"
	"Exit codes: 0 promoted, 1 verification failed, stale decision or no such tag\n"
	"(nothing moved), or another promotion moved the tag right after this one,\n"
	"2 usage, 3 malformed key or content, 4 local error, 5 registry error.\n",
};

/* Print the verification's checks: failures as errors, the rest verbose. */
static void print_checks(const char *ref, const struct verify_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++) {
		if (rep->v[i].skipped)
			diag_verbose("%s: skipped (%s)", rep->v[i].name, rep->v[i].detail);
		else if (!rep->v[i].ok)
			diag_error("verification failed for '%s': %s: %s", ref, rep->v[i].name,
				   rep->v[i].detail);
		else
			diag_verbose("%s: ok (%s)", rep->v[i].name, rep->v[i].detail);
	}
}

/* The --json result (docs/json-output.md). */
static int print_json(const char *shown, const char *to, const struct oci_desc *m,
		      int verified, int promoted, const struct verify_report *rep)
{
	json_t *o = jsonout_new("promote");

	json_object_set_new(o, "reference", json_string(shown));
	json_object_set_new(o, "tag", json_string(to));
	json_object_set_new(o, "digest", json_string(m->digest));
	json_object_set_new(o, "promoted", json_boolean(promoted));
	json_object_set_new(o, "verified", json_boolean(verified && !rep->failed));
	json_object_set_new(o, "verdict", jsonout_str(rep->verdict));
	json_object_set_new(o, "checks", jsonout_checks(rep));
	return jsonout_print(o);
}

int cmd_promote(int argc, char **argv)
{
	struct store_opts opts = {0};
	const char *to = NULL, *key_spec = NULL, *verdict = NULL, *identity = NULL;
	const char *sign_spec = NULL;
	struct promote_outcome outcome = {0};
	struct sign_key *skey = NULL;
	char *builder = NULL, *invocation = NULL;
	long long epoch;
	int epoch_set;
	struct store *s = NULL;
	struct oci_desc m = {0};
	struct promote_opts po = {0};
	struct verify_report rep = {0};
	struct sign_key *key = NULL;
	struct xp_error err;
	struct xp_ref shown = {0};
	struct approval_args aa = {0};
	char *out;
	int c, ret, json = 0;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &opts)) != -1) {
		switch (c) {
		case CMD_OPT_HELP:
			return XP_EXIT_OK;
		case 't':
			to = optarg;
			break;
		case 'k':
			key_spec = optarg;
			break;
		case 'V':
			verdict = optarg;
			break;
		case JSONOUT_VAL:
			json = 1;
			break;
		case 'i':
			identity = optarg;
			break;
		case 'S':
			po.allow_stale = 1;
			break;
		case 'K':
			sign_spec = optarg;
			break;
		default:
			ret = approvalarg_option(&aa, "promote", c, optarg);
			if (ret <= 0)
				return ret ? -ret : XP_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error("promote", optind < argc ? "too many arguments"
								 : "missing REF");
	if (!to)
		return cmd_usage_error("promote", "missing --to TAG");
	if (!ref_valid_tag(to)) {
		struct xp_error why;

		ref_check_tag(to, &why);
		return cmd_usage_error("promote", "%s", why.msg);
	}
	if (verdict && !decision_verdict_valid(verdict))
		return cmd_usage_error("promote", "invalid --require-verdict '%s' (expected pass, pass-with-waivers or fail)",
				       verdict);
	if (verdict && !key_spec)
		return cmd_usage_error("promote", "--require-verdict needs --key: a verdict counts only when signed");
	if (identity && ref_check_identity(identity, &err))
		return cmd_usage_error("promote", "%s", err.msg);
	if (identity && !key_spec)
		return cmd_usage_error("promote", "--identity needs --key: an identity counts only when signed");
	if ((ret = approvalarg_load(&aa, "promote", &po.approvals)))
		return ret;
	if (key_spec && key_read_public(key_spec, &key, &err)) {
		approvalarg_release(&aa);
		return cmd_fail(&err);
	}
	if ((ret = cmd_epoch("promote", &epoch, &epoch_set)))
		goto out;
	if (sign_spec && (ret = keyarg_load_private(sign_spec, 0, &skey)))
		goto out;
	opts.progress = cmd_progress();
	ret = bundlearg_open("promote", argv[optind], &opts, &s, &m);
	if (ret)
		goto out;
	if (!key)
		diag_warning("promoting '%s' without verification (no --key)", argv[optind]);
	po.to = to;
	po.key = key;
	po.require_verdict = verdict;
	po.identity = identity;
	po.sign_key = skey;
	po.now = epoch_set ? epoch : 0;
	po.outcome = &outcome;
	cmd_builder_from_env(&builder, &invocation);
	po.builder_id = builder;
	po.invocation_id = invocation;
	shown = *store_ref(s);
	shown.tag = (char *)to;
	shown.digest = m.digest;
	out = ref_format(&shown);
	if (promote_run(s, &m, &po, &rep, &err)) {
		print_checks(argv[optind], &rep);
		ret = rep.failed ? XP_EXIT_NO : cmd_fail(&err);
		if (json && rep.failed && print_json(out, to, &m, key != NULL, 0, &rep))
			ret = XP_EXIT_SYSTEM;
		free(out);
		goto out;
	}
	print_checks(argv[optind], &rep);
	if (outcome.stale)
		diag_warning("stale decision: %s was %s, not the champion the gate compared against (--allow-stale)",
			     to, outcome.from[0] ? outcome.from : "absent");
	ret = json ? print_json(out, to, &m, key != NULL, 1, &rep) : XP_EXIT_OK;
	if (!json)
		printf("%s\n", out);
	free(out);
out:
	approvalarg_release(&aa);
	verify_report_release(&rep);
	key_free(key);
	key_free(skey);
	free(builder);
	free(invocation);
	oci_desc_release(&m);
	store_close(s);
	return ret;
}
