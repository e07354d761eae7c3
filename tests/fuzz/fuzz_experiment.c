/*
 * fuzz_experiment.c — libFuzzer target: the experiment record loader and
 * validator (pipeline/experiment.c, validate*.c, findings.c).
 *
 * The first byte picks JSON ('j') or YAML (anything else); the rest is the
 * record. The validator runs
 * with no_files (a fuzzed record must not make the target read /dev or /proc),
 * then the summary and its provenance JSON are built. Invariants: every finding
 * is positioned and explained, findings come sorted, the status matches them,
 * the JSON and SARIF reports and the provenance are valid JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/exitcode.h"
#include "common/strbuf.h"
#include "pipeline/experiment.h"
#include "pipeline/experiment_impl.h"
#include "pipeline/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must_be_json(char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);

	if (!j)
		__builtin_trap();
	json_decref(j);
	free(text);
}

static void check_report(const struct validate_report *r, const char *name, int slow)
{
	size_t i, errors = 0;

	for (i = 0; i < r->findings.n; i++) {
		const struct finding *f = &r->findings.items[i];

		if (!f->code || !f->msg[0] || f->line == 0 || f->col == 0)
			__builtin_trap();
		if (i && strcmp(f->file, name) == 0 &&
		    strcmp(r->findings.items[i - 1].file, name) == 0 &&
		    (f->line < r->findings.items[i - 1].line ||
		     (f->line == r->findings.items[i - 1].line &&
		      f->col < r->findings.items[i - 1].col)))
			__builtin_trap(); /* not sorted */
		errors += f->sev == FINDING_ERROR;
	}
	if ((r->status == XP_ERR_NONE) != (errors == 0))
		__builtin_trap();
	/* the reports cost more than the validation: build them for 1 input in 8 */
	if (slow) {
		must_be_json(findings_to_json(&r->findings, name, r->digest, r->status == 0));
		must_be_json(findings_to_sarif(&r->findings, validate_rules, validate_n_rules,
					       "xpship", "0", NULL, "/"));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *name;
	struct validate_opts opts = {0};
	struct validate_report r;
	struct experiment_summary s;
	struct xp_error err;
	char *prov = NULL;

	if (size < 1)
		return 0;
	name = data[0] == 'j' ? "fuzz/experiment.json" : "fuzz/experiment.yaml";
	opts.no_files = 1;
	experiment_validate_buf((const char *)data + 1, size - 1, name, &opts, &r);
	check_report(&r, name, size % 8 == 0);
	validate_report_release(&r);

	xp_error_clear(&err);
	if (experiment_summarize_buf((const char *)data + 1, size - 1, name, 0, &s, &err) == 0) {
		if (!s.id || !s.name || !s.selected_run || !s.params_json || !s.metrics_json ||
		    !s.digest)
			__builtin_trap();
		must_be_json(xasprintf("%s", s.params_json));
		must_be_json(xasprintf("%s", s.metrics_json));
		if (experiment_provenance_json(&s, &prov, &err))
			__builtin_trap(); /* its own parameters always parse */
		must_be_json(prov);
		experiment_summary_release(&s);
	} else if (!err.msg[0]) {
		__builtin_trap();
	}
	return 0;
}
