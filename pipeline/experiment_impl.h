/*
 * experiment_impl.h — what experiment.c shares with the record validator
 * (validate*.c): loading a record, locating runs, writing JSON text. Private to
 * pipeline/.
 */
#ifndef XPSHIP_PIPELINE_EXPERIMENT_IMPL_H
#define XPSHIP_PIPELINE_EXPERIMENT_IMPL_H

#include <stddef.h>

#include "common/digest.h"
#include "common/doc.h"
#include "common/error.h"
#include "common/strbuf.h"

/* Records larger than this are refused (a record is text, not data). */
#define EXPERIMENT_MAX_SIZE DOC_MAX_SIZE

/* Hash buf into digest (optional) and parse it; `name` names it in positions
 * and its directory is where the record's relative paths start. */
int experiment_parse(const char *buf, size_t len, const char *name, struct doc **out,
		     char digest[XP_DIGEST_SIZE], struct xp_error *err);

/* Read the record once: hash its bytes into digest (optional) and parse them.
 * Errors: XP_ERR_LOCAL (unreadable), XP_ERR_MALFORMED (positioned). */
int experiment_load(const char *path, struct doc **out, char digest[XP_DIGEST_SIZE],
		    struct xp_error *err);

/* The directory relative paths in the record start from ("" for the working
 * directory). Caller frees. */
char *experiment_base_dir(const char *path);

/* The first run whose id is `id` in the `runs` sequence, or NULL. Borrowed. */
const struct doc_node *experiment_find_run(const struct doc_node *runs, const char *id);

/* Append s as a JSON string; -1 (nothing appended) when s is not UTF-8. */
int experiment_json_string(struct strbuf *sb, const char *s, size_t len);

/* Append a document node as compact JSON: integers exact, other numbers in their
 * shortest exact form, .inf/.nan as strings; -1 on text that is not UTF-8. */
int experiment_node_json(struct strbuf *sb, const struct doc_node *n);

struct experiment_summary;

/* experiment_summarize over a record in memory; with files 0, metrics_file and
 * mlflow_run are not read (only inline metrics count). */
int experiment_summarize_buf(const char *buf, size_t len, const char *name, int files,
			     struct experiment_summary *out, struct xp_error *err);

#endif
