/*
 * gate.c — `xpship gate`: evaluate a policy's metric thresholds for a candidate
 * against the production champion and report the verdict the ways CI systems
 * read it (stdout table, decision record, JUnit, Markdown, GitHub outputs).
 */
#include "cmd/cmd.h"
#include "cmd/jsonout.h"
#include "common/decision_record.h"
#include "cmd/gate_waivers.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "packager/bundle.h"
#include "pipeline/experiment.h"
#include "pipeline/gate.h"
#include "pipeline/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const struct cmd_opt options[] = {
	{"policy", 0, "FILE", 'p',
	 "the gate policy, YAML or JSON (see docs/gate.md)"},
	{"metrics", 0, "SRC", 'm',
	 "candidate metrics: a JSON/YAML file (nested maps are dotted\n"
	 "keys, a list of numbers is its last value) or an MLflow run\n"
	 "directory (mlruns/<exp>/<run>)"},
	{"experiment", 0, "FILE", 'e',
	 "candidate metrics: the selected run of an experiment record"},
	{"baseline", 0, "SRC", 'b',
	 "the champion's metrics: a file or MLflow run as for --metrics,\n"
	 "or a bundle whose dev.xpship.metrics carries them: oci:DIR:TAG,\n"
	 "oci-archive:FILE:TAG, an OCI layout or .tar, HOST/REPO:TAG.\n"
	 "A bundle store, repository or tag that does not exist means\n"
	 "no champion yet (first release); without --baseline there is\n"
	 "no champion either. Then the baseline checks are skipped (or\n"
	 "fail, per the policy's on_missing_baseline)"},
	{"decision", 0, "FILE", 'd',
	 "write the decision record (JSON, docs/gate.md)"},
	{"junit", 0, "FILE", 'j',
	 "write a JUnit XML report, one test case per check"},
	{"summary", 0, "FILE", 's',
	 "write a Markdown report (verdict first, then the table)"},
	{"json", 0, NULL, JSONOUT_VAL,
	 "print the verdict and the decision record as one JSON\n"
	 "object on stdout instead of the table (docs/json-output.md)"},
	{"waivers", 0, "FILE", 'w',
	 "a signed waiver ('xpship waive'), repeatable: a failed\n"
	 "check it names becomes 'waived' (needs --approvers)"},
	{"approvers", 0, "FILE", 'a',
	 "whose waivers count (docs/approvals.md)"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "gate",
	.synopsis =
	"usage: xpship gate --policy FILE (--metrics SRC | --experiment FILE) [--baseline SRC]\n"
	"                   [--decision FILE] [--junit FILE] [--summary FILE] [--json]\n"
	"                   [--waivers FILE... --approvers FILE]\n"
	"\n"
	"Decide promotion: evaluate the policy's metric thresholds for the candidate, in\n"
	"absolute terms and against the production champion (the baseline). Every rule is\n"
	"evaluated and reported; the gate fails when a rule of severity error fails,\n"
	"unless a valid waiver covers it: then the check is 'waived' and the verdict\n"
	"pass-with-waivers.\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.registry_heading = "Registry options (a --baseline in a registry):",
	.notes =
	"Under GITHUB_ACTIONS=true the Markdown report is also appended to\n"
	"$GITHUB_STEP_SUMMARY, 'verdict=pass|fail' and 'failed=N' to $GITHUB_OUTPUT, and\n"
	"each failed check is annotated (::error) at its line in the policy (on\n"
	"stderr with --json).\n"
	"SOURCE_DATE_EPOCH, when set, is the decision's time.\n"
	"\n"
	"Exit codes: 0 pass (warnings and waivers allowed), 1 fail, 2 usage, 3 malformed policy or\n"
	"metrics, 4 file cannot be read or written, 5 registry error.\n",
};

/* What the gate compares: both sides loaded here, evaluated by gate_run. */
struct sides {
	struct metrics cand, base;
	char cand_digest[XP_DIGEST_SIZE], base_digest[XP_DIGEST_SIZE];
	char *absent;                     /* no champion: where it was looked for */
};

struct champion {
	char *json, *digest, *absent;
};

/* Bundles among --baseline values: oci:, oci-archive: and docker:// references,
 * an existing OCI layout directory or .tar archive, and HOST/REPO[:TAG] when no
 * such file exists. Anything else is a metrics file or MLflow run. */
static int is_bundle(const char *s)
{
	struct xp_error err;
	struct xp_ref ref;
	struct stat st;
	size_t n = strlen(s);
	char *marker;
	int yes;

	if (!strncmp(s, "oci:", 4) || !strncmp(s, "oci-archive:", 12) ||
	    !strncmp(s, "docker://", 9) || ref_check_scheme(s, &err))
		return 1;  /* a URL: ref_parse says how to write it */
	if (stat(s, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return n > 4 && strcmp(s + n - 4, ".tar") == 0;
		marker = xasprintf("%s/oci-layout", s);
		yes = access(marker, F_OK) == 0;
		free(marker);
		return yes;
	}
	if (s[0] == '.' || s[0] == '/' || ref_parse(s, REF_REGISTRY_ONLY, &ref, &err))
		return 0;
	ref_release(&ref);
	return 1;
}

/* The champion's metrics from a bundle. A store, repository or tag that does not
 * exist is no champion (c->absent set, 0 returned). A reference pinned by digest
 * names one bundle: when it does not resolve, or any bytes do not match their
 * digest, that is an error, never a first release. */
static int fetch_champion(const char *src, const struct store_opts *opts,
			  struct champion *c, struct xp_error *err)
{
	struct oci_annots meta;
	struct oci_desc desc;
	struct store *s = NULL;
	struct xp_ref ref;
	struct stat st;
	const char *json;
	int ret = -1;

	memset(&desc, 0, sizeof(desc));
	if (ref_parse(src, 0, &ref, err))
		return -1;
	if (ref.kind != REF_REGISTRY && stat(ref.path, &st) < 0 && errno == ENOENT) {
		xp_error_errno(err, XP_ERR_NOT_FOUND, "cannot open '%s'", ref.path);
		goto absent;
	}
	if (store_open(&ref, opts, &s, err))
		goto out;
	if (store_resolve_ref(s, &ref, &desc, err)) {
		if (err->cls == XP_ERR_NOT_FOUND)
			goto absent;
		goto out;
	}
	if (bundle_read_meta(s, &desc, &meta, err))
		goto out;
	json = oci_annots_get(&meta, BUNDLE_ANN_METRICS);
	if (!json)
		diag_note("champion '%s' carries no %s: it has no baseline values", src,
			  BUNDLE_ANN_METRICS);
	c->json = xstrdup(json ? json : "{}");
	c->digest = xstrdup(desc.digest);
	oci_annots_release(&meta);
	ret = 0;
	goto out;
absent:
	if (ref.digest) {
		xp_error_prefix(err, "champion '%s' is pinned by digest", src);
		goto out;
	}
	diag_note("no champion at '%s' (%s): gating as a first release", src, err->msg);
	c->absent = xstrdup(src);
	xp_error_clear(err);
	ret = 0;
out:
	oci_desc_release(&desc);
	store_close(s);
	ref_release(&ref);
	return ret;
}

/* The candidate (metrics file, MLflow run or experiment record) and the
 * baseline (metrics file, MLflow run or champion bundle), into in->candidate
 * and in->baseline. */
static int load_sides(struct gate_input *in, const char *cand, int experiment,
		      const char *baseline, const struct store_opts *sopts, struct sides *sd,
		      struct xp_error *err)
{
	struct champion champ = {NULL, NULL, NULL};
	int ret = -1;

	if (experiment ? experiment_metrics(cand, &sd->cand, sd->cand_digest, err)
		       : metrics_load(&sd->cand, cand, sd->cand_digest, err))
		return -1;
	in->candidate = (struct gate_side){&sd->cand, cand, sd->cand_digest, 0, NULL};
	if (!baseline)
		return 0;
	if (!is_bundle(baseline)) {
		if (metrics_load(&sd->base, baseline, sd->base_digest, err))
			return -1;
		in->baseline = (struct gate_side){&sd->base, baseline, sd->base_digest, 0, NULL};
		return 0;
	}
	if (fetch_champion(baseline, sopts, &champ, err))
		goto out;
	if (champ.absent) {
		sd->absent = champ.absent;
		champ.absent = NULL;
		in->baseline = (struct gate_side){NULL, NULL, NULL, 0, sd->absent};
	} else {
		if (metrics_load_buf(&sd->base, champ.json, strlen(champ.json), baseline, err))
			goto out;
		snprintf(sd->base_digest, sizeof(sd->base_digest), "%s", champ.digest);
		in->baseline = (struct gate_side){&sd->base, baseline, sd->base_digest, 1, NULL};
	}
	ret = 0;
out:
	free(champ.json);
	free(champ.digest);
	free(champ.absent);
	return ret;
}

struct outputs {
	const char *decision, *junit, *summary;
};

/* Files and CI outputs; the first failure is reported and ends the writing. */
static int emit(const struct gate_decision *d, const struct metrics *cand,
		const struct outputs *o, struct xp_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = 0;

	if (o->decision) {
		char *json = gate_decision_json(d);

		ret = file_write_atomic(o->decision, json, strlen(json), 0644, err);
		free(json);
	}
	if (ret == 0 && o->junit) {
		strbuf_reset(&sb);
		report_junit(d, &sb);
		ret = file_write_atomic(o->junit, sb.buf, sb.len, 0644, err);
	}
	strbuf_reset(&sb);
	report_markdown(d, &sb);
	report_groups_markdown(cand, &sb);
	if (ret == 0 && o->summary)
		ret = file_write_atomic(o->summary, sb.buf, sb.len, 0644, err);
	if (ret == 0 && diag_github()) {
		ret = file_append_env("GITHUB_STEP_SUMMARY", sb.buf, sb.len, err);
		strbuf_reset(&sb);
		report_github_outputs(d, &sb);
		if (ret == 0)
			ret = file_append_env("GITHUB_OUTPUT", sb.buf, sb.len, err);
	}
	strbuf_release(&sb);
	return ret;
}

/* The --json result: {"schema", "verdict", "decision": the record}. */
static int print_json(const struct gate_decision *d)
{
	char *text = gate_decision_json(d);
	json_error_t jerr;
	json_t *rec = json_loads(text, 0, &jerr), *o;

	free(text);
	if (!rec)
		abort(); /* the record gate_decision_json wrote is JSON */
	o = jsonout_new("gate");
	json_object_set_new(o, "verdict", jsonout_str(decision_verdict(rec)));
	json_object_set_new(o, "decision", rec);
	return jsonout_print(o);
}

int cmd_gate(int argc, char **argv)
{
	struct gate_input in;
	struct gate_decision d;
	struct sides sd;
	struct gate_waivers gw;
	struct store_opts sopts;
	struct outputs o = {NULL, NULL, NULL};
	struct strbuf sb = STRBUF_INIT;
	struct xp_error err;
	const char *experiment = NULL, *candidate = NULL, *baseline = NULL;
	int c, ret, json = 0;

	memset(&in, 0, sizeof(in));
	memset(&sopts, 0, sizeof(sopts));
	memset(&sd, 0, sizeof(sd));
	memset(&gw, 0, sizeof(gw));
	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &sopts)) != -1) {
		switch (c) {
		case 'p': in.policy = optarg; break;
		case 'm': candidate = optarg; break;
		case 'e': experiment = optarg; break;
		case 'b': baseline = optarg; break;
		case 'd': o.decision = optarg; break;
		case 'j': o.junit = optarg; break;
		case 's': o.summary = optarg; break;
		case JSONOUT_VAL: json = 1; break;
		case 'w':
			if ((ret = gate_waivers_add(&gw, optarg)))
				return ret;
			break;
		case 'a': gw.approvers_path = optarg; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error("gate", "unexpected argument '%s'", argv[optind]);
	if (!in.policy)
		return cmd_usage_error("gate", "missing --policy FILE");
	if (!candidate == !experiment)
		return cmd_usage_error("gate", candidate ? "--metrics and --experiment exclude "
				       "each other" : "missing candidate: --metrics SRC or "
				       "--experiment FILE");
	if ((ret = cmd_epoch("gate", &in.now, NULL)))
		return ret;
	in.tool_version = XP_VERSION;
	if ((ret = gate_waivers_load(&gw))) {
		gate_waivers_release(&gw);
		return ret;
	}
	in.waivers = gw.w;
	in.n_waivers = gw.n;
	metrics_init(&sd.cand);
	metrics_init(&sd.base);
	ret = load_sides(&in, experiment ? experiment : candidate, experiment != NULL, baseline,
			 &sopts, &sd, &err);
	if (ret == 0)
		ret = gate_run(&in, &d, &err);
	metrics_release(&sd.base);
	free(sd.absent);
	gate_waivers_release(&gw);
	if (ret) {
		metrics_release(&sd.cand);
		return cmd_fail(&err);
	}
	if (!json)
		report_text(&d, &sb);
	if (diag_github())
		report_github_annotations(&d, &sb);
	fwrite(sb.buf, 1, sb.len, json ? stderr : stdout);
	fflush(json ? stderr : stdout);
	strbuf_release(&sb);
	ret = d.pass ? XP_EXIT_OK : XP_EXIT_NO;
	if (json && print_json(&d))
		ret = XP_EXIT_SYSTEM;
	if (emit(&d, &sd.cand, &o, &err))
		ret = cmd_fail(&err);
	gate_decision_release(&d);
	metrics_release(&sd.cand);
	return ret;
}
