/*
 * validate.h — `xpship validate`: every finding about an experiment record at
 * once, each with its position and a stable rule code.
 *
 * Three passes over the record (the schema in docs/experiment.md):
 *   schema      required keys, types, formats (ids, digests, RFC 3339 times, URIs,
 *               commits), allowed values; unknown keys with "did you mean";
 *   references  `selected` names a run, the objective metric exists in the runs,
 *               run parameters lie inside the declared space, metrics sources load;
 *   files       every local path (relative to the record's directory) exists and
 *               its SHA-256 matches, hashed in streaming chunks.
 * A record that is not well-formed YAML (or JSON) yields exactly one finding,
 * `syntax` or `duplicate-key`, and no other pass runs.
 *
 * The rule table (validate_rules) is what SARIF output lists; codes never change
 * meaning once released.
 */
#ifndef XPSHIP_PIPELINE_VALIDATE_H
#define XPSHIP_PIPELINE_VALIDATE_H

#include <stddef.h>

#include "common/digest.h"
#include "common/error.h"
#include "pipeline/findings.h"

struct validate_opts {
	int no_digest_check;   /* check that files exist, do not hash them */
	int no_files;          /* open no file the record names: no files pass, and
	                          metrics_file / mlflow_run are not read */
};

struct validate_report {
	struct findings findings;      /* sorted by position, the record's file first */
	char digest[XP_DIGEST_SIZE];   /* the record's sha256, "" when unreadable */
	/* The outcome as an error class, warnings not counted:
	 *   XP_ERR_NONE        no errors
	 *   XP_ERR_REFUSED     errors (invalid record)
	 *   XP_ERR_MALFORMED   the record is not well-formed YAML/JSON
	 *   XP_ERR_LOCAL       a file the record names exists but cannot be read */
	enum xp_err status;
};

/* The rules, in a fixed order (SARIF rule indexes). Borrowed, static. */
extern const struct finding_rule validate_rules[];
extern const size_t validate_n_rules;

/* Validate the record at `path`. Returns 0 with the report filled (whatever the
 * findings), or -1 when the record itself cannot be read (XP_ERR_LOCAL in err,
 * report untouched). Release the report with validate_report_release. */
int experiment_validate(const char *path, const struct validate_opts *opts,
			struct validate_report *out, struct xp_error *err);

/* The same for a record in memory, named `name` in positions (its directory is
 * where relative paths start). Never fails: a record that does not parse is a
 * finding. */
void experiment_validate_buf(const char *buf, size_t len, const char *name,
			     const struct validate_opts *opts, struct validate_report *out);

void validate_report_release(struct validate_report *r);

#endif
