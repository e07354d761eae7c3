/*
 * history_format.c — a repository's history as text (history_format.h).
 */
#include "packager/history_format.h"

#include "common/jsonout.h"
#include "common/strbuf.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHORT_DIGEST 19   /* "sha256:" + 12 hex */
#define CHART_W 480
#define CHART_H 160
#define CHART_PAD 28

static const char *const formats[] = {"table", "json", "csv", "markdown", "html"};

int history_format_parse(const char *name, enum history_format *out)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(*formats); i++)
		if (strcmp(name, formats[i]) == 0) {
			*out = (enum history_format)i;
			return 0;
		}
	return -1;
}

/* Shortest form that reads back as v (caller frees). */
static char *num(double v)
{
	char buf[XP_NUM_SIZE];

	return xstrdup(xp_num_format(v, buf));
}

static const char *champion_name(enum history_champion c)
{
	return c == HISTORY_CURRENT ? "current" : c == HISTORY_PAST ? "past" : NULL;
}

/* The grid: a header row and one row per release; NULL cells are absent. */
struct grid {
	char ***rows;
	size_t n_rows, n_cols;
};

static char *metric_cell(const struct history_entry *r, const char *name)
{
	double v;

	return name && history_metric(r, name, &v) ? num(v) : NULL;
}

static void grid_build(const struct history *h, char *const *metrics, size_t nm,
		       struct grid *g, int short_digests)
{
	size_t i, j, c;
	int people = 0;

	for (i = 0; i < h->n; i++)
		people |= h->v[i].approvals || h->v[i].waivers;
	g->n_cols = 8 + nm + (people ? 2 : 0);
	g->n_rows = h->n + 1;
	g->rows = xcalloc(g->n_rows, sizeof(*g->rows));
	for (i = 0; i < g->n_rows; i++)
		g->rows[i] = xcalloc(g->n_cols, sizeof(char *));
	c = 0;
	g->rows[0][c++] = xstrdup("TAG");
	g->rows[0][c++] = xstrdup("DIGEST");
	g->rows[0][c++] = xstrdup("CREATED");
	g->rows[0][c++] = xstrdup("EXPERIMENT");
	g->rows[0][c++] = xstrdup("OBJECTIVE");
	for (j = 0; j < nm; j++)
		g->rows[0][c++] = xstrdup(metrics[j]);
	g->rows[0][c++] = xstrdup("VERDICT");
	g->rows[0][c++] = xstrdup("SIGNER");
	if (people) {
		g->rows[0][c++] = xstrdup("APPROVED BY");
		g->rows[0][c++] = xstrdup("WAIVED");
	}
	g->rows[0][c++] = xstrdup("CHAMPION");
	for (i = 0; i < h->n; i++) {
		const struct history_entry *r = &h->v[i];
		char **row = g->rows[i + 1];

		c = 0;
		row[c++] = xstrdup(r->tag);
		row[c++] = r->digest[0] ? xstrndup(r->digest, short_digests ? SHORT_DIGEST
									     : XP_DIGEST_SIZE)
					: NULL;
		row[c++] = r->created ? xstrdup(r->created) : NULL;
		row[c++] = r->experiment_id ? xstrdup(r->experiment_id) : NULL;
		row[c++] = r->objective ? metric_cell(r, r->objective) : NULL;
		if (row[c - 1] && r->objective) {
			char *t = xasprintf("%s=%s", r->objective, row[c - 1]);

			free(row[c - 1]);
			row[c - 1] = t;
		}
		for (j = 0; j < nm; j++)
			row[c++] = metric_cell(r, metrics[j]);
		row[c++] = r->verdict ? xstrdup(r->verdict) : NULL;
		row[c++] = r->signer ? xstrndup(r->signer, short_digests ? 12 : 64) : NULL;
		if (people) {
			row[c++] = r->approvals ? xstrdup(r->approvals) : NULL;
			row[c++] = r->waivers ? xstrdup(r->waivers) : NULL;
		}
		row[c++] = champion_name(r->champion) ? xstrdup(champion_name(r->champion)) : NULL;
	}
}

static void grid_release(struct grid *g)
{
	size_t i, j;

	for (i = 0; i < g->n_rows; i++) {
		for (j = 0; j < g->n_cols; j++)
			free(g->rows[i][j]);
		free(g->rows[i]);
	}
	free(g->rows);
}

static void table(struct strbuf *sb, const struct grid *g)
{
	size_t *w = xcalloc(g->n_cols, sizeof(*w)), i, j;

	for (i = 0; i < g->n_rows; i++)
		for (j = 0; j < g->n_cols; j++) {
			size_t l = g->rows[i][j] ? strlen(g->rows[i][j]) : 1;

			if (l > w[j])
				w[j] = l;
		}
	for (i = 0; i < g->n_rows; i++) {
		for (j = 0; j < g->n_cols; j++) {
			const char *c = g->rows[i][j] ? g->rows[i][j] : "-";

			if (j + 1 == g->n_cols)
				strbuf_adds(sb, c);
			else
				strbuf_addf(sb, "%-*s  ", (int)w[j], c);
		}
		while (sb->len && sb->buf[sb->len - 1] == ' ')
			sb->buf[--sb->len] = '\0';
		strbuf_addc(sb, '\n');
	}
	free(w);
}

static void csv_cell(struct strbuf *sb, const char *c)
{
	const char *p;

	if (!c)
		return;
	if (!strpbrk(c, ",\"\n\r")) {
		strbuf_adds(sb, c);
		return;
	}
	strbuf_addc(sb, '"');
	for (p = c; *p; p++) {
		if (*p == '"')
			strbuf_addc(sb, '"');
		strbuf_addc(sb, *p);
	}
	strbuf_addc(sb, '"');
}

static void csv(struct strbuf *sb, const struct grid *g)
{
	size_t i, j;

	for (i = 0; i < g->n_rows; i++) {
		for (j = 0; j < g->n_cols; j++) {
			if (j)
				strbuf_addc(sb, ',');
			if (i == 0) {
				char *low = xstrdup(g->rows[i][j]), *p;

				for (p = low; *p; p++)
					if (*p >= 'A' && *p <= 'Z')
						*p = (char)(*p - 'A' + 'a');
				csv_cell(sb, j < 5 || j + 3 >= g->n_cols ? low : g->rows[i][j]);
				free(low);
			} else {
				csv_cell(sb, g->rows[i][j]);
			}
		}
		strbuf_addc(sb, '\n');
	}
}

static void md_cell(struct strbuf *sb, const char *c, int code)
{
	const char *p;

	if (!c) {
		strbuf_adds(sb, " - |");
		return;
	}
	strbuf_adds(sb, code ? " `" : " ");
	for (p = c; *p; p++) {
		if (*p == '|' || *p == '\\' || *p == '`')
			strbuf_addc(sb, '\\');
		strbuf_addc(sb, *p == '\n' ? ' ' : *p);
	}
	strbuf_adds(sb, code ? "` |" : " |");
}

static void markdown(struct strbuf *sb, const struct grid *g, const struct history *h,
		     const char *repo)
{
	size_t i, j;

	strbuf_addf(sb, "### Releases of `%s`\n\n|", repo);
	for (j = 0; j < g->n_cols; j++)
		md_cell(sb, g->rows[0][j], 0);
	strbuf_adds(sb, "\n|");
	for (j = 0; j < g->n_cols; j++)
		strbuf_adds(sb, " --- |");
	strbuf_addc(sb, '\n');
	for (i = 1; i < g->n_rows; i++) {
		strbuf_addc(sb, '|');
		for (j = 0; j < g->n_cols; j++)
			md_cell(sb, g->rows[i][j], j == 1);
		strbuf_addc(sb, '\n');
	}
	if (h->n_chain) {
		strbuf_addf(sb, "\nChampions of `%s`, newest first:", h->tag);
		for (i = 0; i < h->n_chain; i++)
			strbuf_addf(sb, "%s `%.*s`", i ? " ←" : "", SHORT_DIGEST, h->chain[i].digest);
		strbuf_addc(sb, '\n');
	}
}

static void chain_text(struct strbuf *sb, const struct history *h)
{
	size_t i;

	if (!h->n_chain) {
		strbuf_addf(sb, "\n%s: no champion\n", h->tag);
		return;
	}
	strbuf_addf(sb, "\n%s, newest first:\n", h->tag);
	for (i = 0; i < h->n_chain; i++)
		strbuf_addf(sb, "  %s  %s  %s%s\n", h->chain[i].digest,
			    h->chain[i].time ? h->chain[i].time : "-",
			    h->chain[i].kind ? h->chain[i].kind : "(no promotion statement)",
			    h->chain[i].kind && h->chain[i].verified ? ", verified" : "");
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *json_or_null(const char *s)
{
	json_t *j = s ? json_loads(s, 0, NULL) : NULL;

	return j ? j : json_null();
}

static char *as_json(const struct history *h, const char *repo)
{
	json_t *root = json_object(), *rel = json_array(), *chain = json_array();
	char *out;
	size_t i;

	json_object_set_new(root, "repository", json_string(repo));
	json_object_set_new(root, "tag", json_string(h->tag));
	json_object_set_new(root, "champion", h->n_chain ? json_string(h->chain[0].digest)
							 : json_null());
	for (i = 0; i < h->n_chain; i++)
		json_array_append_new(chain, json_pack("{s:s,s:o,s:o,s:b}", "digest",
						       h->chain[i].digest, "kind",
						       str_or_null(h->chain[i].kind), "time",
						       str_or_null(h->chain[i].time), "verified",
						       h->chain[i].verified));
	json_object_set_new(root, "chain", chain);
	for (i = 0; i < h->n; i++) {
		const struct history_entry *r = &h->v[i];

		json_array_append_new(rel, json_pack(
			"{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "tag", r->tag, "digest",
			str_or_null(r->digest[0] ? r->digest : NULL), "created",
			str_or_null(r->created), "experiment", str_or_null(r->experiment_id),
			"objective", str_or_null(r->objective), "metrics", json_or_null(r->metrics),
			"parameters", json_or_null(r->parameters), "verdict",
			str_or_null(r->verdict), "signer", str_or_null(r->signer), "approvals",
			str_or_null(r->approvals), "waivers", str_or_null(r->waivers), "champion",
			str_or_null(champion_name(r->champion)), "problem",
			str_or_null(r->problem)));
	}
	json_object_set_new(root, "releases", rel);
	out = json_dumps_exact(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return out;
}

static void html_text(struct strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': strbuf_adds(sb, "&lt;"); break;
		case '>': strbuf_adds(sb, "&gt;"); break;
		case '&': strbuf_adds(sb, "&amp;"); break;
		case '"': strbuf_adds(sb, "&quot;"); break;
		default: strbuf_addc(sb, *s);
		}
	}
}

/* One trend chart: the metric over the releases, oldest left; champions
 * drawn as filled dots. */
static void chart(struct strbuf *sb, const struct history *h, const char *metric)
{
	double lo = INFINITY, hi = -INFINITY, v;
	size_t i, k = 0, n = 0;
	char *a, *b;

	for (i = 0; i < h->n; i++)
		if (history_metric(&h->v[i], metric, &v)) {
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
			n++;
		}
	strbuf_adds(sb, "<figure><figcaption>");
	html_text(sb, metric);
	strbuf_adds(sb, "</figcaption>\n");
	if (!n) {
		strbuf_adds(sb, "<p>no release records this metric</p></figure>\n");
		return;
	}
	if (hi == lo) {
		hi += 0.5;
		lo -= 0.5;
	}
	strbuf_addf(sb, "<svg class=\"trend\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		    "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
		    CHART_W, CHART_H, CHART_W, CHART_H);
	html_text(sb, metric);
	strbuf_adds(sb, " by release\">\n<polyline fill=\"none\" stroke=\"#36c\" points=\"");
	for (i = h->n; i-- > 0;) {
		if (!history_metric(&h->v[i], metric, &v))
			continue;
		strbuf_addf(sb, "%s%.1f,%.1f", k ? " " : "",
			    CHART_PAD + (n > 1 ? (double)k * (CHART_W - 2 * CHART_PAD) / (n - 1) : 0),
			    CHART_H - CHART_PAD - (v - lo) * (CHART_H - 2 * CHART_PAD) / (hi - lo));
		k++;
	}
	strbuf_adds(sb, "\"/>\n");
	k = 0;
	for (i = h->n; i-- > 0;) {
		if (!history_metric(&h->v[i], metric, &v))
			continue;
		a = num(v);
		strbuf_addf(sb, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" "
			    "stroke=\"#36c\"><title>",
			    CHART_PAD + (n > 1 ? (double)k * (CHART_W - 2 * CHART_PAD) / (n - 1) : 0),
			    CHART_H - CHART_PAD - (v - lo) * (CHART_H - 2 * CHART_PAD) / (hi - lo),
			    h->v[i].champion ? "#36c" : "#fff");
		html_text(sb, h->v[i].tag);
		strbuf_addf(sb, ": %s</title></circle>\n", a);
		free(a);
		k++;
	}
	a = num(lo);
	b = num(hi);
	strbuf_addf(sb, "<text x=\"2\" y=\"%d\" font-size=\"10\">%s</text>\n"
		    "<text x=\"2\" y=\"12\" font-size=\"10\">%s</text>\n</svg></figure>\n",
		    CHART_H - 4, a, b);
	free(a);
	free(b);
}

static void html(struct strbuf *sb, const struct grid *g, const struct history *h,
		 const char *repo, char *const *metrics, size_t nm)
{
	size_t i, j;

	strbuf_adds(sb, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
	html_text(sb, repo);
	strbuf_adds(sb, " releases</title>\n<style>body{font-family:sans-serif;margin:2em}"
		    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
		    "text-align:left}tr.current{font-weight:bold}figure{display:inline-block}"
		    "</style></head>\n<body>\n<h1>Releases of ");
	html_text(sb, repo);
	strbuf_adds(sb, "</h1>\n");
	for (j = 0; j < nm; j++)
		chart(sb, h, metrics[j]);
	strbuf_adds(sb, "<table>\n<tr>");
	for (j = 0; j < g->n_cols; j++) {
		strbuf_adds(sb, "<th>");
		html_text(sb, g->rows[0][j]);
		strbuf_adds(sb, "</th>");
	}
	strbuf_adds(sb, "</tr>\n");
	for (i = 1; i < g->n_rows; i++) {
		strbuf_adds(sb, h->v[i - 1].champion == HISTORY_CURRENT ? "<tr class=\"current\">" : "<tr>");
		for (j = 0; j < g->n_cols; j++) {
			strbuf_adds(sb, "<td>");
			html_text(sb, g->rows[i][j] ? g->rows[i][j] : "-");
			strbuf_adds(sb, "</td>");
		}
		strbuf_adds(sb, "</tr>\n");
	}
	strbuf_adds(sb, "</table>\n</body></html>\n");
}

char *history_format(const struct history *h, const char *repository, enum history_format f,
		     char *const *metrics, size_t nm)
{
	struct strbuf sb = STRBUF_INIT;
	struct grid g = {0};

	if (f == HISTORY_JSON)
		return as_json(h, repository);
	grid_build(h, metrics, nm, &g, f == HISTORY_TABLE || f == HISTORY_MARKDOWN);
	switch (f) {
	case HISTORY_TABLE:
		table(&sb, &g);
		chain_text(&sb, h);
		break;
	case HISTORY_CSV:
		csv(&sb, &g);
		break;
	case HISTORY_MARKDOWN:
		markdown(&sb, &g, h, repository);
		break;
	case HISTORY_HTML:
		html(&sb, &g, h, repository, metrics, nm);
		break;
	case HISTORY_JSON:
		break;
	}
	grid_release(&g);
	return strbuf_detach(&sb, NULL);
}
