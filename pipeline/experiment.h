/*
 * experiment.h — experiment records (schema xpship/v1, kind Experiment): the
 * summary other commands take from a record, and its SLSA provenance parameters.
 *
 * The record is a YAML (or JSON) file documented in docs/experiment.md. Loading
 * goes through common/doc.h, so every error carries the record's file, line and
 * column. experiment_summarize checks only what it extracts (the record's shape,
 * apiVersion and kind, metadata.id and metadata.name, the selected run and its
 * metrics); `xpship validate` checks everything else.
 *
 * All strings in a summary are plain NUL-terminated copies owned by the summary:
 * cmd/ may hand them to packager/, which never sees a pipeline/ type.
 */
#ifndef XPSHIP_PIPELINE_EXPERIMENT_H
#define XPSHIP_PIPELINE_EXPERIMENT_H

#include <stddef.h>

#include "common/digest.h"
#include "common/error.h"
#include "pipeline/metrics.h"

/* The API version and kind every record declares. */
#define EXPERIMENT_API_VERSION "xpship/v1"
#define EXPERIMENT_KIND "Experiment"

struct experiment_dataset {
	char *name;
	char *uri;      /* the uri, or the local path as given in the record */
	char *digest;   /* "sha256:<64 hex>", NULL when absent */
};

/* One entry of model.files: what `pack` must put in the bundle. */
struct experiment_file {
	char *path;     /* as written: relative to the record's directory */
	char *resolved; /* on disk: path as seen from the working directory */
	char *digest;   /* "sha256:<64 hex>", NULL when absent */
	char *where;    /* "FILE:LINE:COL" of the entry, for messages */
};

struct experiment_summary {
	char *id, *name, *owner, *description, *created;      /* NULL when absent */
	char *objective_metric, *objective_direction;          /* "maximize"|"minimize" */
	char *code_repository, *code_commit;
	char *environment;      /* image ref or "lockfile:<path>@<digest>", NULL when absent */
	char *model_name, *model_version, *model_framework, *model_format, *model_license;
	char *selected_run;
	char *params_json;      /* selected run's parameters: compact JSON object ("{}"
	                           when it has none) */
	char *metrics_json;     /* selected run's metrics, FLAT: {"accuracy":0.931,
	                           "latency.p95_ms":84,"loss":0.31} (dotted keys, series
	                           reduced to the last value, metrics_file/mlflow_run
	                           merged, in that order) */
	struct experiment_dataset *data;
	size_t n_data;
	char *digest;           /* "sha256:..." of the record file's bytes */
	/* Extensions (appended, so existing initialisers stay valid): */
	char *space_strategy;   /* "grid"|"random"|"single", NULL when absent */
	struct experiment_file *model_files;   /* model.files[] */
	size_t n_model_files;
};

/* Load (and minimally check) the record at path; errors are positioned
 * (XP_ERR_MALFORMED with file:line:col, or XP_ERR_LOCAL when a file cannot be
 * read). metrics_file and mlflow_run paths are relative to the record's
 * directory. `out` is written only on success; release it with
 * experiment_summary_release. */
int experiment_summarize(const char *path, struct experiment_summary *out,
			 struct xp_error *err);

/* The selected run's metrics of the record at `path`, positioned in the files
 * they came from, merged into m: the same reading and the same checks as
 * experiment_summarize (one reader of the record, so gate and pack cannot
 * disagree about it). `digest` (optional) receives the record's. */
int experiment_metrics(const char *path, struct metrics *m, char digest[XP_DIGEST_SIZE],
		       struct xp_error *err);

/* Free every string of s and zero it; NULL and a zeroed summary are no-ops. */
void experiment_summary_release(struct experiment_summary *s);

/* SLSA build parameters as a compact JSON string the caller frees:
 *   {"externalParameters":{"experiment":{"id","name","digest"},"run":<selected>,
 *     "parameters":{...},"objective":{"metric","direction"},
 *     "space":{"strategy"}},
 *    "resolvedDependencies":[{"uri","digest":{"sha256":hex},"name"}...]}
 * Dependencies: the datasets (in record order), the code ("git+<repo>@<commit>",
 * digest {"gitCommit":"<commit>"}, name "code") and the environment (name
 * "environment": an image ref with its sha256 from "@sha256:", or the lock file's
 * path and digest). Absent parts are left out. */
int experiment_provenance_json(const struct experiment_summary *s, char **out,
			       struct xp_error *err);

/* The commented starter record `xpship init` writes (schema-valid, with
 * placeholder values; created = `now`, seconds since 1970). Caller frees. */
char *experiment_starter(long long now);

/* What `init` fills from files instead of placeholders. */
struct experiment_init_opts {
	const char *model;              /* model.files: a file, or every regular file
	                                   under a directory, with digests */
	const char *metrics;            /* run-1's metrics, inlined from a JSON/YAML file */
	const char *const *data;        /* data[]: named after the file, with digests */
	size_t n_data;
	const char *lockfile;           /* environment.lockfile; NULL: left as a comment */
};

/* Write the starter (created `now`) as DIR/experiment.yaml (DIR created when missing; NULL or ""
 * is "."), filled from o's files when o is not NULL (paths relative to DIR). An
 * existing record is never overwritten: that is an error
 * (XP_ERR_LOCAL, "refusing to overwrite ..."); a file o names that cannot be
 * read is XP_ERR_LOCAL, a malformed metrics file XP_ERR_MALFORMED, both before
 * anything is created. *written gets the path (caller frees). */
int experiment_init(const char *dir, long long now, const struct experiment_init_opts *o,
		    char **written, struct xp_error *err);

/* One digest `record update` changed (or would change). */
struct experiment_change {
	char *where;          /* "model.files[0]", "environment.lockfile", ... */
	char *file;           /* the path as the record writes it */
	char *old_digest;     /* NULL when the entry had none */
	char *new_digest;
	unsigned line, col;   /* the digest's position (the path key's when added) */
};

struct experiment_update {
	struct experiment_change *v;
	size_t n;
};

/* Refresh the digests of the record's local files (data[], environment.lockfile,
 * runs[].artifacts[], model.files[]): out lists every digest that differs or is
 * missing; with write, the record is rewritten in place (atomically, comments
 * and formatting kept) when anything changed. A file the record names that
 * cannot be read is XP_ERR_LOCAL (nothing written), a malformed record
 * XP_ERR_MALFORMED. Release out with experiment_update_release. */
int experiment_update(const char *path, int write, struct experiment_update *out,
		      struct xp_error *err);
void experiment_update_release(struct experiment_update *r);

#endif
