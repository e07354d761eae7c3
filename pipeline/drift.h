/*
 * drift.h — data drift: a current sample against a reference (docs/drift.md).
 *
 * The reference is data (every value kept: every statistic exact), or a
 * profile (pipeline/profile.h) from a file or a buffer (a bundle's profile
 * layer, fetched by cmd/). The current data is read in one pass with the
 * reference's column types. Per column:
 *   numeric      PSI and Jensen-Shannon distance on the reference's quantile
 *                bins, the two-sample KS statistic and p-value, Wasserstein-1
 *                (against the reference's values; a profile's sample when it
 *                has one; else its sketch, weighted, with an asymptotic
 *                p-value), the share of current values outside the reference's
 *                [min, max];
 *   categorical  PSI and Jensen-Shannon distance on the categories, the
 *                chi-square test of the 2 x k table, the number of categories
 *                the reference never listed;
 * both: the share of missing values on each side. A column drifts when
 * PSI > psi_threshold or its test's p-value < alpha / (columns tested)
 * (Bonferroni), or when only one side has values.
 *
 * The result's metrics tree has the fixed shape the gate reads:
 * drift.<column>.{psi,ks,ks_p_value,js,wasserstein,chi2,chi2_p_value,drifted},
 * drift.{drifted_columns,share_drifted,columns,rows_reference,rows_current},
 * quality.<column>.{...}; a statistic that is not defined (a column with no
 * values on one side) is left out.
 */
#ifndef XPSHIP_PIPELINE_DRIFT_H
#define XPSHIP_PIPELINE_DRIFT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/table.h"
#include "pipeline/profile.h"

enum drift_ref_kind { DRIFT_REF_DATA, DRIFT_REF_PROFILE, DRIFT_REF_PROFILE_BUF };

struct drift_opts {
	enum drift_ref_kind ref_kind;
	const char *const *reference; /* data paths, or the profile path */
	size_t n_reference;
	const char *ref_buf;          /* DRIFT_REF_PROFILE_BUF: the profile JSON */
	size_t ref_len;
	const char *ref_name;         /* its name in messages */
	const char *const *current;
	size_t n_current;
	struct table_opts table;
	const char *const *columns;   /* NULL: every column of the reference */
	size_t n_columns;
	const char *const *categorical;
	size_t n_categorical;
	unsigned bins;                /* data reference: PSI bins (default 10) */
	double psi_threshold;         /* default 0.2 */
	double alpha;                 /* default 0.05 */
};

void drift_opts_init(struct drift_opts *o);

/* The per-bin shares a chart shows. */
struct drift_chart {
	size_t n;
	char **labels;
	double *ref, *cur;            /* shares (sum 1 each side) */
};

struct drift_col {
	char *name;
	enum prof_type type;
	double psi, ks, ks_p, js, wasserstein, chi2, chi2_p; /* NAN: not defined */
	int drifted;
	double missing_ref, missing_cur, out_of_range;        /* NAN: not defined */
	double new_categories;
	struct drift_chart chart;
};

struct drift_result {
	json_t *metrics;
	struct drift_col *cols;
	size_t ncols, drifted;
	uint64_t rows_ref, rows_cur;
	double psi_threshold, alpha;
	char *ks_source;              /* "data", "the profile's sample", "the profile's sketch" */
	char *ref_name;
};

int drift_run(const struct drift_opts *o, struct drift_result *r, struct xp_error *err);
void drift_result_release(struct drift_result *r);

/* The metrics JSON (2-space indent, trailing newline). Caller frees. */
char *drift_to_json(const struct drift_result *r);
/* The table on stdout. */
void drift_to_text(const struct drift_result *r, struct strbuf *sb);
/* The GitHub job summary: a heading, the verdict and the table in Markdown. */
void drift_to_markdown(const struct drift_result *r, struct strbuf *sb);
/* One self-contained HTML page: the table and a chart per column (inline SVG). */
void drift_to_html(const struct drift_result *r, struct strbuf *sb);

#endif
