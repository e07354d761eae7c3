/*
 * validate_impl.h — what the passes of the record validator share (validate.c:
 * entry and schema; validate_format.c: value formats and messages;
 * validate_refs.c: references and files). Private to pipeline/.
 */
#ifndef XPSHIP_PIPELINE_VALIDATE_IMPL_H
#define XPSHIP_PIPELINE_VALIDATE_IMPL_H

#include <stddef.h>

#include "common/digest.h"
#include "common/doc.h"
#include "pipeline/findings.h"
#include "pipeline/validate.h"

/* Rule codes (the ids of validate_rules). */
#define R_SYNTAX "syntax"
#define R_DUPLICATE_KEY "duplicate-key"
#define R_UNKNOWN_KEY "unknown-key"
#define R_MISSING_KEY "missing-key"
#define R_RECOMMENDED "missing-recommended"
#define R_WRONG_TYPE "wrong-type"
#define R_BAD_FORMAT "bad-format"
#define R_BAD_VALUE "bad-value"
#define R_CONFLICT "conflicting-keys"
#define R_DUPLICATE_ID "duplicate-id"
#define R_ABSOLUTE_PATH "absolute-path"
#define R_UNPINNED_IMAGE "unpinned-image"
#define R_TIME_ORDER "time-order"
#define R_UNKNOWN_RUN "unknown-run"
#define R_RUN_STATUS "run-status"
#define R_BAD_METRICS "bad-metrics"
#define R_MISSING_METRIC "missing-metric"
#define R_NOT_BEST "not-best"
#define R_UNKNOWN_PARAM "unknown-param"
#define R_OUT_OF_SPACE "param-out-of-space"
#define R_MISSING_PARAM "missing-param"
#define R_RUN_COUNT "run-count"
#define R_MISSING_FILE "missing-file"
#define R_NOT_A_FILE "not-a-file"
#define R_UNREADABLE "unreadable-file"
#define R_DIGEST_MISMATCH "digest-mismatch"

struct vhash {
	char *path;                 /* resolved path */
	char digest[XP_DIGEST_SIZE];
};

struct vctx {
	const struct doc *d;
	const char *file;           /* the record, as named on the command line */
	char *base;                 /* where its relative paths start ("" = cwd) */
	struct findings *f;
	const struct validate_opts *o;
	int unreadable;             /* a named file exists but could not be read */
	struct vhash *hashes;       /* files hashed so far (each is hashed once) */
	size_t n_hashes;
};

/* A finding at node n (the record's file; NULL n: 1:1). */
void v_add(struct vctx *c, enum finding_sev sev, const char *code, const struct doc_node *n,
	   const char *fmt, ...) XP_PRINTF(5, 6);

/* "<type> '<text>'" for a scalar, "<type>" otherwise; text escaped and
 * shortened. Returns buf. */
const char *v_describe(const struct doc_node *n, char *buf, size_t size);
/* "'<text>'" of a scalar, escaped and shortened. Returns buf. */
const char *v_quote(const char *s, char *buf, size_t size);

/* Formats. */
int v_is_id(const char *s);
int v_is_uri(const char *s);
int v_is_repository(const char *s);
int v_is_commit(const char *s);
/* RFC 3339 date-time; *epoch (optional) gets seconds since 1970 (UTC). */
int v_parse_time(const char *s, double *epoch);

/* The closest candidate (common/suggest.h), else the one whose initials are
 * `word` or that is the initials of `word` ("lr" and "learning_rate"); NULL when
 * none or ambiguous. */
const char *v_suggest(const char *word, const char *const *cands, size_t n);

/* A node's scalar text when it is a string (or an integer written like one), else
 * NULL: values of the wrong type were reported by the schema pass. */
const char *v_text(const struct doc_node *n);

/* The record-relative path resolved against the record's directory (caller
 * frees). */
char *v_resolve(const struct vctx *c, const char *rel);

void v_schema(struct vctx *c);
void v_references(struct vctx *c);
void v_files(struct vctx *c);

#endif
