/*
 * findings.h — positioned findings (errors, warnings, notes about an input file)
 * and their machine-readable forms: a JSON report and SARIF 2.1.0.
 *
 * A finding names a stable rule (`code`, e.g. "unknown-key") from a rule table the
 * producer owns, so tools downstream (GitHub code scanning, Jenkins Warnings NG,
 * jq) can filter on it. Findings are collected in any order and sorted by
 * position before output; ties keep the order in which they were added.
 *
 * The text and GitHub-annotation forms are printed by cmd/ through common/diag.h;
 * this module only builds strings and never prints.
 */
#ifndef XPSHIP_PIPELINE_FINDINGS_H
#define XPSHIP_PIPELINE_FINDINGS_H

#include <stddef.h>

#include "common/error.h"

enum finding_sev { FINDING_ERROR, FINDING_WARNING, FINDING_NOTE };

struct finding {
	enum finding_sev sev;
	const char *code;       /* the rule id: static, borrowed from the rule table */
	char *file;             /* the file the position refers to */
	unsigned line, col;     /* 1-based; 0 when unknown */
	char *msg;              /* lowercase, no full stop */
	size_t seq_;            /* private: insertion order */
};

struct findings {
	struct finding *items;
	size_t n;
	size_t cap_;
};

/* One rule: its id, default severity, a one-line description and how to fix
 * what it reports. */
struct finding_rule {
	const char *code;
	enum finding_sev sev;
	const char *summary;
	const char *help;
};

void findings_init(struct findings *f);
void findings_release(struct findings *f);

void findings_add(struct findings *f, enum finding_sev sev, const char *code,
		  const char *file, unsigned line, unsigned col, const char *fmt, ...)
	XP_PRINTF(7, 8);

/* Sort by file (`first_file` before all others, the rest by name), line, column,
 * then insertion order. */
void findings_sort(struct findings *f, const char *first_file);

size_t findings_count(const struct findings *f, enum finding_sev sev);

/* "error", "warning" or "note". */
const char *finding_sev_name(enum finding_sev sev);

/* The JSON report (pretty-printed, caller frees):
 *   {"file","digest"|null,"valid","errors","warnings","notes",
 *    "findings":[{"file","line","column","severity","code","message"}]} */
char *findings_to_json(const struct findings *f, const char *file, const char *digest,
		       int valid);

/* A SARIF 2.1.0 log with one run of tool `tool` (version, information URI) whose
 * driver lists every rule of `rules`; each result refers to its rule by id and
 * index. `srcroot`: the absolute directory code scanning resolves against (the
 * repository's top level), or NULL. A file under it becomes a URI relative to
 * it with uriBaseId %SRCROOT% (declared in originalUriBaseIds), whatever the
 * working directory; other files file:// URIs of their absolute path. Without
 * srcroot, relative names stay relative references. Caller frees. */
char *findings_to_sarif(const struct findings *f, const struct finding_rule *rules,
			size_t n_rules, const char *tool, const char *version,
			const char *info_uri, const char *srcroot);

/* The absolute, lexically normalised form of `path` ("." and ".." components
 * resolved against the working directory, links not followed); caller frees. */
char *findings_abs_path(const char *path);

#endif
