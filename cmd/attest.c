/*
 * attest.c — `xpship attest`: attach signed in-toto/SLSA provenance and the
 * gate decision to a bundle.
 *
 * The experiment record is read here (pipeline/experiment.h) and handed to
 * packager/ as plain JSON; the builder identity comes from the CI environment.
 */
#include "cmd/bundlearg.h"
#include "cmd/cmd.h"
#include "common/timeutil.h"
#include "cmd/regopts.h"
#include "cmd/cienv.h"
#include "cmd/keyarg.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "packager/sign.h"
#include "pipeline/experiment.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DECISION_MAX (4 * 1024 * 1024)

static const struct cmd_opt options[] = {
	{"key", 'k', "KEY", 'k',
	 "the private key: a PEM file or env://VAR"},
	{"experiment", 'e', "FILE", 'e',
	 "the experiment record (xpship/v1)"},
	{"decision", 'd', "FILE", 'd',
	 "the gate decision record ('xpship gate --decision')"},
	{"identity", 'i', "REPO", 'i',
	 "the statements' subject name (default: BUNDLE's\n"
	 "registry repository, else its tag name; never a\n"
	 "local path)"},
	{"output", 'o', "FILE", 'o',
	 "also write the envelopes, one JSON per line"},
	{"replace", 0, NULL, 'R',
	 "replace earlier attestations of the same types"},
	{"password-stdin", 0, NULL, 'P',
	 "read the key's passphrase from standard input"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "attest",
	.synopsis =
	"usage: xpship attest --key KEY [--experiment FILE] [--decision FILE]\n"
	"                     [--identity REPO] [--output FILE.intoto.jsonl] [--replace]\n"
	"                     [--password-stdin] BUNDLE\n"
	"\n"
	"Attach signed attestations to a bundle, each an in-toto Statement v1 about the\n"
	"bundle's manifest digest in a DSSE envelope, stored under tag sha256-<hex>.att\n"
	"(one layer per envelope, annotation predicateType):\n"
	"  - SLSA provenance v1: externalParameters are the experiment's parameters,\n"
	"    objective and search space and the gate policy's digest; resolvedDependencies\n"
	"    its datasets, code commit and environment; builder.id and invocationId come\n"
	"    from GitHub Actions (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID,\n"
	"    GITHUB_RUN_ATTEMPT, GITHUB_WORKFLOW_REF), Jenkins (BUILD_URL, JENKINS_URL),\n"
	"    else local://<hostname>\n"
	"  - with --decision, the gate decision record, predicateType\n"
	"    https://xpship.dev/gate-decision/v1 ('verify --require-verdict' reads it)\n"
	"Attesting again adds envelopes; --replace drops earlier ones of the same types.\n"
	"SOURCE_DATE_EPOCH, when set, is the build's start and finish time.\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.registry_heading = "Registry options (BUNDLE a registry reference):",
	.notes =
	"Exit codes: 0 attested, 1 no such tag, 2 usage or key passphrase, 3 malformed\n"
	"record, decision, key or bundle, 4 local error, 5 registry error.\n",
};

static int write_jsonl(const char *path, const struct attest_result *r, struct xp_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int ret;

	for (i = 0; i < r->n; i++)
		strbuf_addf(&sb, "%s\n", r->envelopes[i]);
	ret = file_write_atomic(path, sb.buf, sb.len, 0644, err);
	strbuf_release(&sb);
	return ret;
}

/* The experiment's provenance JSON (caller frees) or NULL with err. */
static char *experiment_json(const char *path, struct xp_error *err)
{
	struct experiment_summary sum;
	char *json = NULL;

	if (experiment_summarize(path, &sum, err))
		return NULL;
	if (experiment_provenance_json(&sum, &json, err))
		json = NULL;
	experiment_summary_release(&sum);
	return json;
}

int cmd_attest(int argc, char **argv)
{
	const char *key_spec = NULL, *exp_path = NULL, *output = NULL;
	char *prov = NULL, *decision = NULL, *builder = NULL, *invocation = NULL;
	char started[32], finished[32];
	struct attest_opts ao = {0};
	struct store_opts sopts = {0};
	struct attest_result res = {0};
	struct sign_key *key = NULL;
	struct store *s = NULL;
	struct oci_desc m = {0};
	struct xp_error err;
	size_t i;
	long long epoch;
	int c, pass_stdin = 0, ret, epoch_set;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &sopts)) != -1) {
		switch (c) {
		case 'k': key_spec = optarg; break;
		case 'e': exp_path = optarg; break;
		case 'd': ao.decision_name = optarg; break;
		case 'i': ao.identity = optarg; break;
		case 'o': output = optarg; break;
		case 'R': ao.replace = 1; break;
		case 'P': pass_stdin = 1; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default:
			return XP_EXIT_USAGE;
		}
	}
	if (!key_spec)
		return cmd_usage_error("attest", "missing --key KEY");
	if (optind + 1 != argc)
		return cmd_usage_error("attest", optind < argc ? "too many arguments" : "missing BUNDLE");
	if (ao.identity && !*ao.identity)
		return cmd_usage_error("attest", "empty --identity");
	if ((ret = cmd_epoch("attest", &epoch, &epoch_set)))
		return ret;
	xp_time_format(epoch, started);
	if (exp_path && !(prov = experiment_json(exp_path, &err)))
		return cmd_fail(&err);
	if (ao.decision_name &&
	    file_read_all(ao.decision_name, DECISION_MAX, &decision, NULL, &err)) {
		free(prov);
		return cmd_fail(&err);
	}
	ret = bundlearg_open("attest", argv[optind], &sopts, &s, &m);
	if (ret)
		goto out;
	ret = keyarg_load_private(key_spec, pass_stdin, &key);
	if (ret)
		goto out;
	cmd_builder_from_env(&builder, &invocation);
	xp_time_format(epoch_set ? epoch : (long long)time(NULL), finished);
	ao.provenance_json = prov;
	ao.decision_json = decision;
	ao.builder_id = builder;
	ao.invocation_id = invocation;
	ao.started_on = started;
	ao.finished_on = finished;
	if (attest_bundle(s, &m, key, &ao, &res, &err) || store_commit(s, &err) ||
	    (output && write_jsonl(output, &res, &err))) {
		ret = cmd_fail(&err);
		goto out;
	}
	printf("Attested %s (tag %s, %zu attestation%s)\n", m.digest, res.tag, res.n_attestations,
	       res.n_attestations == 1 ? "" : "s");
	for (i = 0; i < res.n; i++)
		printf("  %s\n", res.predicate_types[i]);
	ret = XP_EXIT_OK;
out:
	attest_result_release(&res);
	free(prov);
	free(decision);
	free(builder);
	free(invocation);
	key_free(key);
	oci_desc_release(&m);
	store_close(s);
	return ret;
}
