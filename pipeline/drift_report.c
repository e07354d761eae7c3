/*
 * drift_report.c — a drift result as the table on stdout, the GitHub job
 * summary (Markdown) and one self-contained HTML page with an inline SVG
 * chart per column (no scripts, no external assets: it works offline and
 * reads on a phone).
 */
#include "pipeline/drift.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void num(struct strbuf *sb, double v)
{
	if (isnan(v))
		strbuf_addf(sb, " %11s", "-");
	else
		strbuf_addf(sb, " %11.4g", v);
}

static void rule(const struct drift_result *r, struct strbuf *sb)
{
	size_t i, tested = 0;

	for (i = 0; i < r->ncols; i++)
		tested += !isnan(r->cols[i].ks_p) || !isnan(r->cols[i].chi2_p);
	strbuf_addf(sb, "PSI > %g or p < %g/%zu (Bonferroni)", r->psi_threshold, r->alpha,
		    tested ? tested : 1);
}

void drift_to_text(const struct drift_result *r, struct strbuf *sb)
{
	size_t i, w = 6;

	for (i = 0; i < r->ncols; i++)
		if (strlen(r->cols[i].name) > w)
			w = strlen(r->cols[i].name);
	strbuf_addf(sb, "%-*s  %-11s %11s %11s %11s %11s %11s %11s %11s  %s\n", (int)w, "column",
		    "type", "psi", "ks", "ks_p", "js", "wasserstein", "chi2", "chi2_p", "drifted");
	for (i = 0; i < r->ncols; i++) {
		const struct drift_col *d = &r->cols[i];

		strbuf_addf(sb, "%-*s  %-11s", (int)w, d->name, profile_type_name(d->type));
		num(sb, d->psi);
		num(sb, d->ks);
		num(sb, d->ks_p);
		num(sb, d->js);
		num(sb, d->wasserstein);
		num(sb, d->chi2);
		num(sb, d->chi2_p);
		strbuf_addf(sb, "  %s\n", d->drifted ? "yes" : "no");
	}
	strbuf_addf(sb, "\n%zu of %zu columns drifted (share %.4g; rule: ", r->drifted, r->ncols,
		    r->ncols ? (double)r->drifted / (double)r->ncols : 0.0);
	rule(r, sb);
	strbuf_addf(sb, ")\nreference: %s, %llu rows (KS and Wasserstein from %s); current: %llu rows\n",
		    r->ref_name, (unsigned long long)r->rows_ref, r->ks_source,
		    (unsigned long long)r->rows_cur);
}

static void md_num(struct strbuf *sb, double v)
{
	if (isnan(v))
		strbuf_adds(sb, " – |");
	else
		strbuf_addf(sb, " %.4g |", v);
}

/* Text for a Markdown table cell or HTML: <>&"| escaped. */
static void esc(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': strbuf_adds(sb, "&lt;"); break;
		case '>': strbuf_adds(sb, "&gt;"); break;
		case '&': strbuf_adds(sb, "&amp;"); break;
		case '"': strbuf_adds(sb, "&quot;"); break;
		case '|': strbuf_adds(sb, "&#124;"); break;
		case '\n': case '\r': strbuf_addc(sb, ' '); break;
		default: strbuf_addc(sb, *s);
		}
	}
}

void drift_to_markdown(const struct drift_result *r, struct strbuf *sb)
{
	size_t i;

	strbuf_addf(sb, "### Data drift: %zu of %zu columns drifted\n\n", r->drifted, r->ncols);
	strbuf_adds(sb, "| column | type | PSI | KS | KS p | JS | Wasserstein | χ² | χ² p | drifted |\n"
			"| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
	for (i = 0; i < r->ncols; i++) {
		const struct drift_col *d = &r->cols[i];

		strbuf_adds(sb, "| ");
		esc(sb, d->name);
		strbuf_addf(sb, " | %s |", profile_type_name(d->type));
		md_num(sb, d->psi);
		md_num(sb, d->ks);
		md_num(sb, d->ks_p);
		md_num(sb, d->js);
		md_num(sb, d->wasserstein);
		md_num(sb, d->chi2);
		md_num(sb, d->chi2_p);
		strbuf_addf(sb, " %s |\n", d->drifted ? "**yes**" : "no");
	}
	strbuf_adds(sb, "\nRule: ");
	rule(r, sb);
	strbuf_adds(sb, ". Reference: `");
	esc(sb, r->ref_name);
	strbuf_addf(sb, "` (%llu rows), current: %llu rows.\n", (unsigned long long)r->rows_ref,
		    (unsigned long long)r->rows_cur);
}

/* ---- HTML -------------------------------------------------------------- */

static const char css[] =
	"body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;"
	"max-width:960px;padding:12px;color:#1b1f24;background:#fff}"
	"h1{font-size:1.4em}h2{font-size:1.1em;margin:0 0 4px}"
	".verdict{padding:8px 12px;border-radius:6px;background:#e6f4ea}"
	".verdict.bad{background:#fde7e9}"
	".scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.9em;min-width:100%}"
	"th,td{padding:4px 8px;border-bottom:1px solid #d0d7de;text-align:right;white-space:nowrap}"
	"th:first-child,td:first-child,td.t{text-align:left}tr.d td{background:#fff1f2}"
	".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:12px;"
	"margin-top:16px}figure{margin:0;border:1px solid #d0d7de;border-radius:6px;padding:8px}"
	"svg{width:100%;height:auto;display:block}.legend{font-size:.8em;color:#57606a}"
	".r{fill:#0969da}.c{fill:#fb8500}";

static void cell(struct strbuf *sb, double v)
{
	if (isnan(v))
		strbuf_adds(sb, "<td>–</td>");
	else
		strbuf_addf(sb, "<td>%.4g</td>", v);
}

static void chart(struct strbuf *sb, const struct drift_col *d, size_t idx)
{
	const struct drift_chart *c = &d->chart;
	double maxv = 0, bw, x, h;
	size_t i;
	const double W = 300, H = 150, top = 10, base = 120;

	for (i = 0; i < c->n; i++)
		maxv = fmax(maxv, fmax(c->ref[i], c->cur[i]));
	strbuf_addf(sb, "<figure class=\"chart\" id=\"chart-%zu\" data-column=\"", idx);
	esc(sb, d->name);
	strbuf_adds(sb, "\"><h2>");
	esc(sb, d->name);
	strbuf_addf(sb, "%s</h2>", d->drifted ? " — drifted" : "");
	strbuf_addf(sb, "<svg viewBox=\"0 0 %g %g\" role=\"img\" aria-label=\"", W, H);
	esc(sb, d->name);
	strbuf_adds(sb, ": reference and current shares\">");
	strbuf_addf(sb, "<line x1=\"0\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"#8c959f\"/>", base, W,
		    base);
	if (c->n == 0 || maxv <= 0) {
		strbuf_addf(sb, "<text x=\"%g\" y=\"%g\" font-size=\"12\" text-anchor=\"middle\">"
				"no values to compare</text>", W / 2, base / 2);
	}
	bw = c->n ? W / (double)c->n : W;
	for (i = 0; c->n && maxv > 0 && i < c->n; i++) {
		x = (double)i * bw;
		h = (base - top) * c->ref[i] / maxv;
		strbuf_addf(sb, "<rect class=\"r\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\">"
				"<title>", x + bw * 0.1, base - h, bw * 0.4, h);
		esc(sb, c->labels[i]);
		strbuf_addf(sb, " reference %.4g</title></rect>", c->ref[i]);
		h = (base - top) * c->cur[i] / maxv;
		strbuf_addf(sb, "<rect class=\"c\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\">"
				"<title>", x + bw * 0.5, base - h, bw * 0.4, h);
		esc(sb, c->labels[i]);
		strbuf_addf(sb, " current %.4g</title></rect>", c->cur[i]);
	}
	if (c->n) {
		strbuf_addf(sb, "<text x=\"2\" y=\"%g\" font-size=\"10\" fill=\"#57606a\">", base + 14);
		esc(sb, c->labels[0]);
		strbuf_addf(sb, "</text><text x=\"%g\" y=\"%g\" font-size=\"10\" fill=\"#57606a\" "
				"text-anchor=\"end\">", W - 2, base + 28);
		esc(sb, c->labels[c->n - 1]);
		strbuf_adds(sb, "</text>");
	}
	strbuf_adds(sb, "</svg><div class=\"legend\"><svg width=\"10\" height=\"10\" "
			"style=\"display:inline;width:10px\"><rect class=\"r\" width=\"10\" "
			"height=\"10\"/></svg> reference <svg width=\"10\" height=\"10\" "
			"style=\"display:inline;width:10px\"><rect class=\"c\" width=\"10\" "
			"height=\"10\"/></svg> current</div></figure>\n");
}

void drift_to_html(const struct drift_result *r, struct strbuf *sb)
{
	size_t i;

	strbuf_adds(sb, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
			"<title>Data drift report</title><style>");
	strbuf_adds(sb, css);
	strbuf_adds(sb, "</style></head><body>\n<h1>Data drift report</h1>\n");
	strbuf_addf(sb, "<p class=\"verdict%s\"><strong>%zu of %zu columns drifted</strong> "
			"(rule: ", r->drifted ? " bad" : "", r->drifted, r->ncols);
	rule(r, sb);
	strbuf_adds(sb, ")<br>Reference: ");
	esc(sb, r->ref_name);
	strbuf_addf(sb, ", %llu rows (KS and Wasserstein from %s). Current: %llu rows.</p>\n",
		    (unsigned long long)r->rows_ref, r->ks_source,
		    (unsigned long long)r->rows_cur);
	strbuf_adds(sb, "<div class=\"scroll\"><table><thead><tr><th>column</th><th>type</th>"
			"<th>PSI</th><th>KS</th><th>KS p</th><th>JS</th><th>Wasserstein</th>"
			"<th>χ²</th><th>χ² p</th><th>missing ref</th><th>missing cur</th>"
			"<th>out of range</th><th>new categories</th><th>drifted</th></tr></thead>"
			"<tbody>\n");
	for (i = 0; i < r->ncols; i++) {
		const struct drift_col *d = &r->cols[i];

		strbuf_addf(sb, "<tr%s><td>", d->drifted ? " class=\"d\"" : "");
		esc(sb, d->name);
		strbuf_addf(sb, "</td><td class=\"t\">%s</td>", profile_type_name(d->type));
		cell(sb, d->psi);
		cell(sb, d->ks);
		cell(sb, d->ks_p);
		cell(sb, d->js);
		cell(sb, d->wasserstein);
		cell(sb, d->chi2);
		cell(sb, d->chi2_p);
		cell(sb, d->missing_ref);
		cell(sb, d->missing_cur);
		cell(sb, d->out_of_range);
		cell(sb, d->new_categories);
		strbuf_addf(sb, "<td>%s</td></tr>\n", d->drifted ? "<strong>yes</strong>" : "no");
	}
	strbuf_adds(sb, "</tbody></table></div>\n<div class=\"charts\">\n");
	for (i = 0; i < r->ncols; i++)
		chart(sb, &r->cols[i], i);
	strbuf_adds(sb, "</div>\n</body></html>\n");
}
