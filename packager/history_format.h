/*
 * history_format.h — a repository's history (history.h) as text: an aligned
 * table, JSON, CSV, a Markdown table (a CI job summary) or a self-contained
 * HTML page with a trend chart per metric (inline SVG, no script, no
 * external resource).
 *
 * Columns: tag, digest, created, experiment, objective (the objective
 * metric's value), the requested metrics, verdict, signer (key id),
 * champion (current | past). An absent value is "-" (empty in CSV, null in
 * JSON). Numbers are written in their shortest form that reads back exactly.
 */
#ifndef XPSHIP_PACKAGER_HISTORY_FORMAT_H
#define XPSHIP_PACKAGER_HISTORY_FORMAT_H

#include <stddef.h>

#include "packager/history.h"

enum history_format { HISTORY_TABLE, HISTORY_JSON, HISTORY_CSV, HISTORY_MARKDOWN,
		      HISTORY_HTML };

/* "table", "json", ... to the enum: 0, or -1 when unknown. */
int history_format_parse(const char *name, enum history_format *out);

/* The text (caller frees). `repository` names the store in titles. */
char *history_format(const struct history *h, const char *repository, enum history_format f,
		     char *const *metrics, size_t n_metrics);

#endif
