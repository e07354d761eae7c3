/*
 * eval_out.c — what `evaluate` writes (see evaluate.h): the metrics tree as
 * JSON or YAML (numbers in their shortest exact form, keys in their order),
 * and the human table.
 */
#include "pipeline/evaluate.h"

#include "pipeline/jsonw.h"
#include "pipeline/metrics.h"
#include "pipeline/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- output ------------------------------------------------------------ */

char *evaluate_to_json(const struct eval_result *r)
{
	struct strbuf sb = STRBUF_INIT;

	jsonw_tree(&sb, r->metrics, 2);
	strbuf_addc(&sb, '\n');
	return strbuf_detach(&sb, NULL);
}

/* A key as YAML: plain when it cannot read as anything but that text (in
 * YAML 1.1 and 1.2 alike), else double-quoted with JSON's escapes, which
 * YAML's double-quoted style shares. */
static void yaml_key(struct strbuf *out, const char *k)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "on", "off", "true", "false", "null", NULL,
	};
	const char *p, *const *w;
	int plain = (*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || *k == '_';

	for (p = k; plain && *p; p++)
		plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			(*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.';
	for (w = words; plain && *w; w++)
		plain = strcasecmp(k, *w) != 0;
	if (plain)
		strbuf_adds(out, k);
	else
		jsonw_string(out, k);
}

/* A number as YAML reads it back exactly: the shortest exact form, with a
 * '.' before an exponent (YAML 1.1 resolvers read "1e-05" as text). */
static void yaml_number(struct strbuf *out, double v)
{
	char num[METRICS_NUMBER_MAX];
	char *e;

	metrics_format_number(v, num);
	e = strchr(num, 'e');
	if (e && !strchr(num, '.'))
		strbuf_addf(out, "%.*s.0%s", (int)(e - num), num, e);
	else
		strbuf_adds(out, num);
}

static void yaml_tree(struct strbuf *out, const json_t *obj, int depth)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		strbuf_addf(out, "%*s", 2 * depth, "");
		yaml_key(out, key);
		if (json_is_object(v)) {
			if (json_object_size(v) == 0) {
				strbuf_adds(out, ": {}\n");
				continue;
			}
			strbuf_adds(out, ":\n");
			yaml_tree(out, v, depth + 1);
		} else {
			strbuf_adds(out, ": ");
			yaml_number(out, json_number_value(v));
			strbuf_addc(out, '\n');
		}
	}
}

char *evaluate_to_yaml(const struct eval_result *r)
{
	struct strbuf sb = STRBUF_INIT;

	yaml_tree(&sb, r->metrics, 0);
	return strbuf_detach(&sb, NULL);
}

static void text_value(struct strbuf *out, const json_t *v)
{
	double x = json_number_value(v);

	if (x == floor(x) && fabs(x) < 1e15)
		strbuf_addf(out, "%.0f", x);
	else if (fabs(x) >= 1e6)
		strbuf_addf(out, "%.6g", x);
	else
		strbuf_addf(out, "%.6f", x);
}

/* The columns shown per group, when present: the reports' own list. */
#define group_cols report_group_metrics

static void group_table(struct strbuf *out, const char *col, const json_t *groups)
{
	const char *value, *const *k;
	json_t *g;
	int first;

	strbuf_addf(out, "\nby %s:\n  %-16s", col, "group");
	/* heading from the first group's keys */
	first = 1;
	json_object_foreach((json_t *)groups, value, g) {
		if (!first)
			break;
		first = 0;
		for (k = group_cols; *k; k++)
			if (json_object_get(g, *k))
				strbuf_addf(out, " %14s", *k);
	}
	strbuf_addc(out, '\n');
	json_object_foreach((json_t *)groups, value, g) {
		const json_t *head = json_object_iter_value(json_object_iter((json_t *)groups));

		strbuf_addf(out, "  %-16.16s", value);
		for (k = group_cols; *k; k++) {
			const json_t *v = json_object_get(g, *k);

			if (!json_object_get(head, *k))
				continue;
			if (!v) {
				strbuf_addf(out, " %14s", "-");
				continue;
			}
			strbuf_adds(out, " ");
			{
				struct strbuf cell = STRBUF_INIT;

				text_value(&cell, v);
				strbuf_addf(out, "%14s", cell.buf);
				strbuf_release(&cell);
			}
		}
		if (json_object_get(g, "small"))
			strbuf_adds(out, "  (small)");
		strbuf_addc(out, '\n');
	}
}

static void flat(struct strbuf *out, const char *prefix, const json_t *obj)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		struct strbuf path = STRBUF_INIT;

		strbuf_addf(&path, "%s%s%s", prefix, *prefix ? "." : "", key);
		if (json_is_object(v)) {
			flat(out, path.buf, v);
		} else {
			strbuf_addf(out, "  %-40s ", path.buf);
			text_value(out, v);
			strbuf_addc(out, '\n');
		}
		strbuf_release(&path);
	}
}

void evaluate_to_text(const struct eval_result *r, struct strbuf *out)
{
	const char *key;
	json_t *v;

	strbuf_adds(out, "metrics:\n");
	json_object_foreach(r->metrics, key, v) {
		if (json_is_object(v))
			continue;
		strbuf_addf(out, "  %-26s ", key);
		text_value(out, v);
		strbuf_addc(out, '\n');
	}
	json_object_foreach(r->metrics, key, v) {
		if (!json_is_object(v) || strcmp(key, "by_group") == 0 ||
		    strcmp(key, "fairness") == 0)
			continue;
		strbuf_addf(out, "\n%s:\n", key);
		flat(out, "", v);
	}
	v = json_object_get(r->metrics, "by_group");
	if (v) {
		const char *col;
		json_t *groups;

		json_object_foreach(v, col, groups)
			group_table(out, col, groups);
	}
	v = json_object_get(r->metrics, "fairness");
	if (v) {
		strbuf_adds(out, "\nfairness:\n");
		flat(out, "", v);
	}
}

/* ---- Markdown ---------------------------------------------------------- */

static void md_cell(struct strbuf *out, const json_t *obj, const char *metric,
		    const char *end)
{
	const json_t *v = json_object_get(json_object_get(obj, metric), end);
	char num[METRICS_NUMBER_MAX];

	if (v)
		metrics_format_number(json_number_value(v), num);
	strbuf_addf(out, " %s |", v ? num : "-");
}

void evaluate_to_markdown(const struct eval_result *r, struct strbuf *out)
{
	const json_t *ci = json_object_get(r->metrics, "ci");
	const json_t *delta = json_object_get(r->metrics, "delta");
	const json_t *dci = json_object_get(r->metrics, "delta_ci");
	char num[METRICS_NUMBER_MAX], *json;
	const char *key;
	json_t *v;
	struct metrics flat;
	struct xp_error err;

	strbuf_addf(out, "## xpship evaluate\n\n%zu rows evaluated, %zu skipped\n\n"
			 "| Metric | Value |", r->rows, r->skipped);
	if (ci)
		strbuf_adds(out, " CI low | CI high |");
	if (delta)
		strbuf_adds(out, " Delta | Delta CI low | Delta CI high |");
	strbuf_adds(out, "\n| --- | ---: |");
	if (ci)
		strbuf_adds(out, " ---: | ---: |");
	if (delta)
		strbuf_adds(out, " ---: | ---: | ---: |");
	strbuf_addc(out, '\n');
	json_object_foreach(r->metrics, key, v) {
		if (json_is_object(v) || !strcmp(key, "rows") || !strcmp(key, "skipped_rows"))
			continue;
		metrics_format_number(json_number_value(v), num);
		strbuf_addf(out, "| `%s` | %s |", key, num);
		if (ci) {
			md_cell(out, ci, key, "low");
			md_cell(out, ci, key, "high");
		}
		if (delta) {
			const json_t *d = json_object_get(delta, key);

			if (d)
				metrics_format_number(json_number_value(d), num);
			strbuf_addf(out, " %s |", d ? num : "-");
			md_cell(out, dci, key, "low");
			md_cell(out, dci, key, "high");
		}
		strbuf_addc(out, '\n');
	}
	v = json_object_get(r->metrics, "mcnemar");
	if (v && json_object_get(v, "p_value")) {
		metrics_format_number(json_number_value(json_object_get(v, "p_value")), num);
		strbuf_addf(out, "\nMcNemar's exact test against the baseline: p = %s\n", num);
	}
	/* the groups, as the gate's report shows them, from the flat metrics */
	json = evaluate_to_json(r);
	metrics_init(&flat);
	xp_error_clear(&err);
	if (metrics_load_buf(&flat, json, strlen(json), "metrics", &err) == 0)
		report_groups_markdown(&flat, out);
	metrics_release(&flat);
	free(json);
}
