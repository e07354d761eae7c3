/*
 * report.c — text, Markdown, JUnit and GitHub renderings of a gate decision
 * (see report.h).
 */
#include "pipeline/report.h"

#include "common/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCOLS 6

/* The cells of one table row (numbers formatted, "-" when absent). */
struct row {
	const char *cell[NCOLS];
	char cand[METRICS_NUMBER_MAX], base[METRICS_NUMBER_MAX], thr[METRICS_NUMBER_MAX];
};

static const char *const headers[NCOLS] = {
	"RULE", "CHECK", "CANDIDATE", "BASELINE", "THRESHOLD", "OUTCOME",
};

static void fill_row(const struct gate_result *r, struct row *row)
{
	metrics_format_number(r->candidate, row->cand);
	metrics_format_number(r->baseline, row->base);
	metrics_format_number(r->check->threshold, row->thr);
	row->cell[0] = r->rule->metric;
	row->cell[1] = policy_check_name(r->check->kind);
	row->cell[2] = r->has_candidate ? row->cand : "-";
	row->cell[3] = r->has_baseline ? row->base : "-";
	row->cell[4] = row->thr;
	row->cell[5] = gate_outcome_name(r->outcome);
}

static void summary_counts(const struct gate_decision *d, struct strbuf *out)
{
	strbuf_addf(out, "%zu passed, %zu failed, %zu warned, %zu skipped", d->passed,
		    d->failed, d->warned, d->skipped);
	if (d->n_waivers)
		strbuf_addf(out, ", %zu waived", d->waived);
}

/* Who waived result r, and why (caller frees); NULL when it is not waived. */
static char *waived_by(const struct gate_decision *d, const struct gate_result *r)
{
	const struct gate_waiver *w;

	if (r->outcome != GATE_WAIVED || !r->waiver || r->waiver > d->n_waivers)
		return NULL;
	w = &d->waivers[r->waiver - 1].w;
	return xasprintf("waived by %s (key %.12s)%s%s%s%s", w->approver, w->keyid ? w->keyid : "",
			 w->reason ? ": " : "", w->reason ? w->reason : "",
			 w->expires ? ", until " : "", w->expires ? w->expires : "");
}

/* One line per waiver that was not applied, each with `prefix`. */
static void unapplied(const struct gate_decision *d, const char *prefix, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < d->n_waivers; i++) {
		const struct gate_waiver_use *u = &d->waivers[i];

		if (u->applied)
			continue;
		strbuf_addf(out, "%swaiver '%s' by %s for %s not applied: %s\n", prefix,
			    u->w.source ? u->w.source : "", u->w.approver, u->w.check, u->why);
	}
}

/* The baseline as the reports name it (caller frees): a champion bundle
 * with the digest of the manifest its tag named at the time. */
static char *baseline_text(const struct gate_decision *d)
{
	if (d->baseline.source && d->baseline_bundle && d->baseline.digest[0])
		return xasprintf("%s (%s)", d->baseline.source, d->baseline.digest);
	if (d->baseline.source)
		return xstrdup(d->baseline.source);
	if (d->baseline_absent)
		return xasprintf("none (no champion at %s)", d->baseline_absent);
	return xstrdup("none (no champion)");
}

static void table_line(struct strbuf *out, const char *const *cells, const size_t *width)
{
	size_t c;

	for (c = 0; c + 1 < NCOLS; c++)
		strbuf_addf(out, "%-*s  ", (int)width[c], cells[c]);
	strbuf_addf(out, "%s\n", cells[NCOLS - 1]);
}

void report_text(const struct gate_decision *d, struct strbuf *out)
{
	size_t width[NCOLS], i, c;
	char *base = baseline_text(d);
	struct row row;

	strbuf_addf(out, "policy:    %s\ncandidate: %s\nbaseline:  %s\n\n", d->policy.path,
		    d->candidate.source, base);
	free(base);
	for (c = 0; c < NCOLS; c++)
		width[c] = strlen(headers[c]);
	for (i = 0; i < d->n_results; i++) {
		fill_row(&d->results[i], &row);
		for (c = 0; c < NCOLS; c++)
			if (strlen(row.cell[c]) > width[c])
				width[c] = strlen(row.cell[c]);
	}
	table_line(out, headers, width);
	for (i = 0; i < d->n_results; i++) {
		fill_row(&d->results[i], &row);
		table_line(out, row.cell, width);
	}
	strbuf_addc(out, '\n');
	for (i = 0; i < d->n_results; i++) {
		const struct gate_result *r = &d->results[i];

		char *by;

		if (r->outcome == GATE_PASS)
			continue;
		strbuf_addf(out, "%s: %s %s (%s:%u): %s", gate_outcome_name(r->outcome),
			    r->rule->metric, policy_check_name(r->check->kind), d->policy.path,
			    r->check->line, r->message);
		by = waived_by(d, r);
		if (by)
			strbuf_addf(out, "; %s", by);
		free(by);
		strbuf_addc(out, '\n');
	}
	unapplied(d, "", out);
	strbuf_addf(out, "verdict: %s (", gate_verdict(d));
	summary_counts(d, out);
	strbuf_adds(out, ")\n");
}

/* ---- Markdown ----------------------------------------------------------- */

static void md_escape(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|#", *s))
			strbuf_addc(out, '\\');
		if (*s == '\n' || *s == '\r')
			strbuf_addc(out, ' ');
		else
			strbuf_addc(out, *s);
	}
}

/* A name as a code span (its '|' escaped for tables), escaped text if it has a
 * backtick. */
static void md_code(struct strbuf *out, const char *s)
{
	if (strchr(s, '`') || strchr(s, '\n') || strchr(s, '\r')) {
		md_escape(out, s);
		return;
	}
	strbuf_addc(out, '`');
	for (; *s; s++) {
		if (*s == '|')
			strbuf_addc(out, '\\');
		strbuf_addc(out, *s);
	}
	strbuf_addc(out, '`');
}

static const char *md_outcome(enum gate_outcome o)
{
	switch (o) {
	case GATE_PASS: return "\u2705 pass";
	case GATE_FAIL: return "\u274c fail";
	case GATE_WARN: return "\u26a0\ufe0f warn";
	case GATE_SKIP: return "\u23ed\ufe0f skip";
	case GATE_WAIVED: return "\u2611\ufe0f waived";
	}
	return "?";
}

void report_markdown(const struct gate_decision *d, struct strbuf *out)
{
	struct row row;
	size_t i, c, notes = 0;

	strbuf_addf(out, "## xpship gate: %s %s\n\n**Verdict: %s** \u2014 ",
		    !d->pass ? "\u274c" : d->waived ? "\u2611\ufe0f" : "\u2705", gate_verdict(d),
		    gate_verdict(d));
	summary_counts(d, out);
	strbuf_adds(out, "\n\nPolicy ");
	md_code(out, d->policy.path);
	strbuf_adds(out, " \u00b7 candidate ");
	md_code(out, d->candidate.source);
	strbuf_adds(out, " \u00b7 baseline ");
	if (d->baseline.source) {
		md_code(out, d->baseline.source);
		if (d->baseline_bundle && d->baseline.digest[0]) {
			strbuf_adds(out, " ");
			md_code(out, d->baseline.digest);
		}
	} else {
		char *base = baseline_text(d);

		md_escape(out, base);
		free(base);
	}
	strbuf_adds(out, "\n\n| Rule | Check | Candidate | Baseline | Threshold | Outcome |\n"
			 "| --- | --- | ---: | ---: | ---: | --- |\n");
	for (i = 0; i < d->n_results; i++) {
		fill_row(&d->results[i], &row);
		row.cell[5] = md_outcome(d->results[i].outcome);
		strbuf_adds(out, "|");
		for (c = 0; c < NCOLS; c++) {
			strbuf_addc(out, ' ');
			if (c < 2)
				md_code(out, row.cell[c]);
			else
				strbuf_adds(out, row.cell[c]); /* numbers, "-", outcomes */
			strbuf_adds(out, " |");
		}
		strbuf_addc(out, '\n');
	}
	for (i = 0; i < d->n_results; i++) {
		const struct gate_result *r = &d->results[i];
		char *by;

		if (r->outcome == GATE_PASS)
			continue;
		strbuf_adds(out, notes++ ? "- " : "\n- ");
		strbuf_addf(out, "**%s** ", gate_outcome_name(r->outcome));
		md_code(out, r->rule->metric);
		strbuf_adds(out, " ");
		md_code(out, policy_check_name(r->check->kind));
		strbuf_addf(out, " (policy line %u): ", r->check->line);
		md_escape(out, r->message);
		by = waived_by(d, r);
		if (by) {
			strbuf_adds(out, " \u2014 ");
			md_escape(out, by);
			free(by);
		}
		strbuf_addc(out, '\n');
	}
	if (d->n_waivers) {
		struct strbuf sb = STRBUF_INIT;

		unapplied(d, "", &sb);
		if (sb.len) {
			char *line = sb.buf, *nl;

			strbuf_adds(out, notes ? "" : "\n");
			for (; (nl = strchr(line, '\n')); line = nl + 1) {
				*nl = '\0';
				strbuf_adds(out, "- ");
				md_escape(out, line);
				strbuf_addc(out, '\n');
			}
		}
		strbuf_release(&sb);
	}
}

/* ---- per-group tables --------------------------------------------------- */

const char *const report_group_metrics[] = {
	"rows", "accuracy", "selection_rate", "tpr", "fpr", "precision", "f1", "roc_auc",
	"mae", "rmse", "r2", NULL,
};

/* Key "by_group.<col>.<value>.rows": its column (up to the first '.') and
 * value, or 0 for any other key. */
static int group_entry(const char *key, const char **col, size_t *col_len,
		       const char **value, size_t *value_len)
{
	size_t n = strlen(key);
	const char *x, *dot;

	if (strncmp(key, "by_group.", 9) != 0 || n < 9 + 5 || strcmp(key + n - 5, ".rows") != 0)
		return 0;
	x = key + 9;
	dot = memchr(x, '.', (size_t)(key + n - 5 - x));
	if (!dot || dot == x || dot + 1 == key + n - 5)
		return 0;
	*col = x;
	*col_len = (size_t)(dot - x);
	*value = dot + 1;
	*value_len = (size_t)(key + n - 5 - *value);
	return 1;
}

static const struct metric *group_metric(const struct metrics *m, const char *col,
					 size_t col_len, const char *value, size_t value_len,
					 const char *name)
{
	char *key = xasprintf("by_group.%.*s.%.*s.%s", (int)col_len, col, (int)value_len,
			      value, name);
	const struct metric *x = metrics_get(m, key);

	free(key);
	return x;
}

static void group_column(const struct metrics *m, const char *col, size_t col_len,
			 struct strbuf *out)
{
	const char *value, *k, *const *name;
	size_t i, value_len, k_len, cols = 0;
	int shown[16] = {0};
	char num[METRICS_NUMBER_MAX], *prefix;

	for (i = 0; i < m->n; i++)
		if (group_entry(m->items[i].key, &k, &k_len, &value, &value_len) &&
		    k_len == col_len && !memcmp(k, col, col_len))
			for (name = report_group_metrics; *name; name++)
				if (group_metric(m, col, col_len, value, value_len, *name))
					shown[name - report_group_metrics] = 1;
	strbuf_addf(out, "\n### By group: `%.*s`\n\n| Group |", (int)col_len, col);
	for (name = report_group_metrics; *name; name++)
		if (shown[name - report_group_metrics])
			strbuf_addf(out, " %s |", *name), cols++;
	strbuf_adds(out, "\n| --- |");
	for (i = 0; i < cols; i++)
		strbuf_adds(out, " ---: |");
	strbuf_addc(out, '\n');
	for (i = 0; i < m->n; i++) {
		const struct metric *small;
		char *v;

		if (!group_entry(m->items[i].key, &k, &k_len, &value, &value_len) ||
		    k_len != col_len || memcmp(k, col, col_len))
			continue;
		v = xstrndup(value, value_len);
		strbuf_adds(out, "| ");
		md_code(out, v);
		small = group_metric(m, col, col_len, value, value_len, "small");
		if (small && small->value != 0)
			strbuf_adds(out, " (small)");
		strbuf_adds(out, " |");
		for (name = report_group_metrics; *name; name++) {
			const struct metric *x;

			if (!shown[name - report_group_metrics])
				continue;
			x = group_metric(m, col, col_len, value, value_len, *name);
			if (x)
				metrics_format_number(x->value, num);
			strbuf_addf(out, " %s |", x ? num : "-");
		}
		strbuf_addc(out, '\n');
		free(v);
	}
	prefix = xasprintf("fairness.%.*s.", (int)col_len, col);
	for (i = 0; i < m->n; i++) {
		const char *key = m->items[i].key;

		if (strncmp(key, prefix, strlen(prefix)) != 0 ||
		    strncmp(key + strlen(prefix), "worst.", 6) == 0)
			continue;
		metrics_format_number(m->items[i].value, num);
		strbuf_adds(out, cols ? "\n- " : "- ");
		md_code(out, key);
		strbuf_addf(out, ": %s\n", num);
		cols = 0;
	}
	free(prefix);
}

void report_groups_markdown(const struct metrics *m, struct strbuf *out)
{
	const char *col, *value, *pc, *pv;
	size_t i, j, col_len, value_len, pcl, pvl;

	for (i = 0; i < m->n; i++) {
		int seen = 0;

		if (!group_entry(m->items[i].key, &col, &col_len, &value, &value_len))
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = group_entry(m->items[j].key, &pc, &pcl, &pv, &pvl) &&
			       pcl == col_len && !memcmp(pc, col, col_len);
		if (!seen)
			group_column(m, col, col_len, out);
	}
}

/* ---- JUnit -------------------------------------------------------------- */

static void xml_escape(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': strbuf_adds(out, "&amp;"); break;
		case '<': strbuf_adds(out, "&lt;"); break;
		case '>': strbuf_adds(out, "&gt;"); break;
		case '"': strbuf_adds(out, "&quot;"); break;
		case '\'': strbuf_adds(out, "&apos;"); break;
		case '\n': strbuf_adds(out, "&#10;"); break;
		case '\t': strbuf_adds(out, "&#9;"); break;
		case '\r': strbuf_adds(out, "&#13;"); break;
		default:
			/* other control characters are not allowed in XML 1.0 */
			strbuf_addc(out, c < 0x20 ? '?' : (char)c);
		}
	}
}

static void xml_attr(struct strbuf *out, const char *name, const char *value)
{
	strbuf_addf(out, " %s=\"", name);
	xml_escape(out, value);
	strbuf_addc(out, '"');
}

/* The counts of a <testsuite>; <testsuites> takes no `skipped` (Jenkins
 * xUnit's junit-10.xsd refuses it there). */
static void junit_counts(const struct gate_decision *d, int suite, struct strbuf *out)
{
	strbuf_addf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\"", d->n_results, d->failed);
	if (suite)
		strbuf_addf(out, " skipped=\"%zu\"", d->skipped + d->waived);
	strbuf_adds(out, " time=\"0\"");
}

static void junit_property(struct strbuf *out, const char *name, const char *value)
{
	strbuf_adds(out, "      <property");
	xml_attr(out, "name", name);
	xml_attr(out, "value", value);
	strbuf_adds(out, "/>\n");
}

void report_junit(const struct gate_decision *d, struct strbuf *out)
{
	struct strbuf name = STRBUF_INIT, ts = STRBUF_INIT;
	char *base;
	size_t i;

	/* Ant's timestamp form: no zone designator (the time is UTC) */
	strbuf_add(&ts, d->time, strlen(d->time) && d->time[strlen(d->time) - 1] == 'Z'
					 ? strlen(d->time) - 1 : strlen(d->time));
	strbuf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"xpship gate\"");
	junit_counts(d, 0, out);
	strbuf_adds(out, ">\n  <testsuite name=\"xpship gate\"");
	junit_counts(d, 1, out);
	xml_attr(out, "timestamp", ts.buf);
	strbuf_adds(out, ">\n    <properties>\n");
	junit_property(out, "policy", d->policy.path);
	junit_property(out, "policy.digest", d->policy.digest);
	junit_property(out, "candidate", d->candidate.source);
	base = baseline_text(d);
	junit_property(out, "baseline", base);
	free(base);
	junit_property(out, "verdict", gate_verdict(d));
	strbuf_adds(out, "    </properties>\n");
	for (i = 0; i < d->n_results; i++) {
		const struct gate_result *r = &d->results[i];
		const char *check = policy_check_name(r->check->kind);

		strbuf_reset(&name);
		strbuf_addf(&name, "%s %s", r->rule->metric, check);
		strbuf_adds(out, "    <testcase classname=\"xpship.gate\"");
		xml_attr(out, "name", name.buf);
		strbuf_adds(out, " time=\"0\"");
		if (r->outcome == GATE_PASS) {
			strbuf_adds(out, "/>\n");
			continue;
		}
		strbuf_adds(out, ">\n      ");
		if (r->outcome == GATE_FAIL) {
			strbuf_adds(out, "<failure");
			xml_attr(out, "message", r->message);
			xml_attr(out, "type", check);
			strbuf_addf(out, ">");
			xml_escape(out, d->policy.path);
			strbuf_addf(out, ":%u:%u: ", r->check->line, r->check->col);
			xml_escape(out, r->message);
			strbuf_adds(out, "</failure>\n");
		} else if (r->outcome == GATE_SKIP) {
			strbuf_adds(out, "<skipped");
			xml_attr(out, "message", r->message);
			strbuf_adds(out, "/>\n");
		} else if (r->outcome == GATE_WAIVED) {
			char *by = waived_by(d, r), *msg = xasprintf("%s: %s", by, r->message);

			strbuf_adds(out, "<skipped");
			xml_attr(out, "type", "waived");
			xml_attr(out, "message", msg);
			strbuf_adds(out, "/>\n");
			free(msg);
			free(by);
		} else {
			strbuf_adds(out, "<system-out>warning: ");
			xml_escape(out, r->message);
			strbuf_adds(out, "</system-out>\n");
		}
		strbuf_adds(out, "    </testcase>\n");
	}
	strbuf_adds(out, "  </testsuite>\n</testsuites>\n");
	strbuf_release(&name);
	strbuf_release(&ts);
}

/* ---- GitHub Actions ------------------------------------------------------ */

void report_github_annotations(const struct gate_decision *d, struct strbuf *out)
{
	struct strbuf title = STRBUF_INIT;
	size_t i;

	for (i = 0; i < d->n_results; i++) {
		const struct gate_result *r = &d->results[i];

		char *by, *msg;

		if (r->outcome != GATE_FAIL && r->outcome != GATE_WARN && r->outcome != GATE_WAIVED)
			continue;
		strbuf_reset(&title);
		strbuf_addf(&title, "gate %s: %s %s", gate_outcome_name(r->outcome),
			    r->rule->metric, policy_check_name(r->check->kind));
		by = waived_by(d, r);
		msg = by ? xasprintf("%s; %s", r->message, by) : xstrdup(r->message);
		diag_github_annotation(out, r->outcome == GATE_FAIL ? DIAG_ERROR : DIAG_WARNING,
				       d->policy.path, r->check->line, r->check->col, title.buf, msg);
		strbuf_addc(out, '\n');
		free(by);
		free(msg);
	}
	for (i = 0; i < d->n_waivers; i++) {
		const struct gate_waiver_use *u = &d->waivers[i];
		char *msg;

		if (u->applied)
			continue;
		strbuf_reset(&title);
		strbuf_addf(&title, "waiver not applied: %s", u->w.check);
		msg = xasprintf("waiver by %s for %s not applied: %s", u->w.approver, u->w.check,
				u->why);
		diag_github_annotation(out, DIAG_WARNING, u->w.source, 0, 0, title.buf, msg);
		strbuf_addc(out, '\n');
		free(msg);
	}
	strbuf_release(&title);
}

void report_github_outputs(const struct gate_decision *d, struct strbuf *out)
{
	strbuf_addf(out, "verdict=%s\nfailed=%zu\n", gate_verdict(d), d->failed);
	if (d->n_waivers)
		strbuf_addf(out, "waived=%zu\n", d->waived);
}
