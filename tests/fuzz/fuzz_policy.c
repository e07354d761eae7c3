/*
 * fuzz_policy.c — libFuzzer target: gate policy loading (pipeline/policy.c),
 * metrics loading (pipeline/metrics.c) and, for every policy that loads, its
 * evaluation and all its renderings (gate.c, decision.c, report.c).
 *
 * The first byte picks the input: 0 a policy (bit 4: JSON), 1 YAML metrics,
 * 2 JSON metrics. Invariants: every failure says why and is malformed input;
 * loaded metrics are finite and found by key; the flat JSON of a map loads back
 * to the same JSON; the decision record is valid JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/exitcode.h"
#include "pipeline/gate.h"
#include "pipeline/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const struct xp_error *err)
{
	if (err->msg[0] == '\0' || err->cls != XP_ERR_MALFORMED)
		__builtin_trap();
}

static void check_metrics(const struct metrics *m)
{
	struct metrics again;
	struct xp_error err;
	char *json, *json2;
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct metric *it = &m->items[i];

		if (it->value != it->value || it->value - it->value != 0)
			__builtin_trap(); /* NaN or infinity */
		if (metrics_get(m, it->key) != it || it->line == 0)
			__builtin_trap();
	}
	json = metrics_to_json(m);
	metrics_init(&again);
	if (metrics_load_buf(&again, json, strlen(json), "again", &err))
		__builtin_trap();
	json2 = metrics_to_json(&again);
	if (strcmp(json, json2) != 0 || again.n != m->n)
		__builtin_trap();
	free(json);
	free(json2);
	metrics_release(&again);
}

/* Candidate and baseline values around each threshold, so every check path runs. */
static void evaluate(struct policy *p, unsigned seed)
{
	struct metrics cand, base;
	struct gate_decision d;
	struct strbuf sb = STRBUF_INIT;
	struct xp_error err;
	json_t *j;
	char *json;
	size_t i;

	metrics_init(&cand);
	metrics_init(&base);
	for (i = 0; i < p->n_rules; i++) {
		double t = p->rules[i].checks[0].threshold;

		if (!metrics_get(&cand, p->rules[i].metric) && (seed + i) % 5)
			metrics_set(&cand, p->rules[i].metric, (seed + i) % 2 ? t : t * 0.5 - 1,
				    "c", 1, 1, &err);
		if (!metrics_get(&base, p->rules[i].metric) && (seed + i) % 3)
			metrics_set(&base, p->rules[i].metric, (seed + i) % 4 ? t * 2 : 0, "b", 1,
				    1, &err);
	}
	memset(&d, 0, sizeof(d));
	d.policy = *p;
	d.candidate.source = strdup("c");
	d.tool_version = strdup("0");
	gate_evaluate(&d.policy, &cand, seed % 2 ? &base : NULL, &d);
	if (d.passed + d.failed + d.warned + d.skipped != d.n_results || d.pass != (d.failed == 0))
		__builtin_trap();
	json = gate_decision_json(&d);
	j = json_loads(json, 0, NULL);
	if (!j)
		__builtin_trap();
	json_decref(j);
	free(json);
	report_text(&d, &sb);
	report_markdown(&d, &sb);
	report_junit(&d, &sb);
	report_github_annotations(&d, &sb);
	report_github_outputs(&d, &sb);
	strbuf_release(&sb);
	memset(p, 0, sizeof(*p)); /* owned by d now */
	gate_decision_release(&d);
	metrics_release(&cand);
	metrics_release(&base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data + 1;
	struct xp_error err;
	struct metrics m;
	struct policy p;
	struct doc *d = NULL;

	if (size < 1)
		return 0;
	size--;
	xp_error_clear(&err);
	switch (data[0] % 3) {
	case 0:
		if (policy_load_buf(buf, size, data[0] & 0x10 ? "p.json" : "p.yaml", &p, &err)) {
			check_error(&err);
			break;
		}
		if (p.n_rules == 0)
			__builtin_trap();
		evaluate(&p, data[0]);
		policy_release(&p);
		break;
	case 1:
		metrics_init(&m);
		if (doc_load_buf(buf, size, "m.yaml", DOC_YAML, &d, &err) ||
		    metrics_load_node(&m, d, d->root, &err)) {
			check_error(&err);
			if (m.n)
				__builtin_trap(); /* failed loads leave the map alone */
		} else {
			check_metrics(&m);
		}
		doc_free(d);
		metrics_release(&m);
		break;
	default:
		metrics_init(&m);
		if (metrics_load_buf(&m, buf, size, "m.json", &err))
			check_error(&err);
		else
			check_metrics(&m);
		metrics_release(&m);
	}
	return 0;
}
