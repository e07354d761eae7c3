/*
 * validate.c — the record validator's entry point, its rule table and the schema
 * pass (see validate.h).
 *
 * The schema is a table of fields per mapping: key, type, required or
 * recommended, the fields of a nested mapping (or of each item of a list of
 * mappings), the allowed values, and an optional hook for checks that involve
 * several keys (one of image/lockfile, one of path/uri, unique ids). The walk
 * reports every problem it meets and never stops early; values of the wrong
 * type are skipped by the later passes, so one mistake yields one finding.
 */
#include "pipeline/validate_impl.h"

#include "common/error.h"
#include "common/strbuf.h"
#include "pipeline/experiment.h"
#include "pipeline/experiment_impl.h"

#include <stdlib.h>
#include <string.h>

const struct finding_rule validate_rules[] = {
	{R_SYNTAX, FINDING_ERROR, "The record is not well-formed YAML or JSON.",
	 "Fix the syntax at the position given (indentation, quotes, brackets); the message is the parser's."},
	{R_DUPLICATE_KEY, FINDING_ERROR, "A mapping defines the same key twice.",
	 "Keep one definition of the key: YAML forbids duplicates and tools disagree on which one wins."},
	{R_UNKNOWN_KEY, FINDING_ERROR, "A key the schema does not define (often a typo).",
	 "Rename the key as suggested, or remove it; keys starting with 'x-' are free for extensions."},
	{R_MISSING_KEY, FINDING_ERROR, "A required key is absent.",
	 "Add the key; docs/experiment.md lists every field with an example."},
	{R_RECOMMENDED, FINDING_WARNING, "A key needed for full traceability is absent.",
	 "Add the key so the release can be traced to its code, environment, data and model."},
	{R_WRONG_TYPE, FINDING_ERROR, "A value has the wrong type.",
	 "Write the value with the type the field takes; quote strings that look like numbers."},
	{R_BAD_FORMAT, FINDING_ERROR,
	 "A value is not in its format (id, digest, RFC 3339 time, URI, commit).",
	 "Write the value in the format the message shows, e.g. sha256:<64 hex> or 2026-11-20T09:30:00Z."},
	{R_BAD_VALUE, FINDING_ERROR, "A value is outside the allowed values.",
	 "Use one of the values the message lists."},
	{R_CONFLICT, FINDING_ERROR, "Keys that exclude each other are both present.",
	 "Keep only one of the two keys."},
	{R_DUPLICATE_ID, FINDING_ERROR, "Two runs or datasets share an id or name.",
	 "Give every run a unique id and every dataset a unique name."},
	{R_ABSOLUTE_PATH, FINDING_WARNING,
	 "A local path is absolute, so the record only works on one machine.",
	 "Write the path relative to the directory of the record."},
	{R_UNPINNED_IMAGE, FINDING_WARNING, "The environment image is not pinned by digest.",
	 "Append the image digest: name@sha256:<64 hex>, so the environment cannot change."},
	{R_TIME_ORDER, FINDING_ERROR, "A run ended before it started.",
	 "Correct the run's started and ended times."},
	{R_UNKNOWN_RUN, FINDING_ERROR, "'selected' names no run of the record.",
	 "Set 'selected' to the id of one of the runs."},
	{R_RUN_STATUS, FINDING_ERROR, "The selected run did not complete.",
	 "Select a completed run, or record the run's final status."},
	{R_BAD_METRICS, FINDING_ERROR, "A run's metrics cannot be read as finite numbers.",
	 "Fix the metric at the position given: metrics are finite numbers, nested maps or series."},
	{R_MISSING_METRIC, FINDING_ERROR, "The objective metric is missing from a run.",
	 "Record the objective metric for the run, or correct 'objective.metric'."},
	{R_NOT_BEST, FINDING_WARNING,
	 "The selected run is not the best completed run by the objective.",
	 "Select the best run, or keep the choice if another criterion decided it."},
	{R_UNKNOWN_PARAM, FINDING_ERROR, "A run sets a parameter the search space lacks.",
	 "Declare the parameter in 'space.parameters', or correct its name in the run."},
	{R_OUT_OF_SPACE, FINDING_ERROR, "A run parameter lies outside its range or enum.",
	 "Correct the run's value, or widen the search space to what was actually tried."},
	{R_MISSING_PARAM, FINDING_WARNING, "A run does not set a parameter of the space.",
	 "Record the value the run used for every parameter of the space."},
	{R_RUN_COUNT, FINDING_WARNING, "More runs are recorded than the space plans.",
	 "Update 'space.runs' to the number of runs planned."},
	{R_MISSING_FILE, FINDING_ERROR, "A local path named by the record does not exist.",
	 "Correct the path (relative to the record's directory) or add the file."},
	{R_NOT_A_FILE, FINDING_ERROR, "A local path is not a regular file (or directory).",
	 "Point the path at a regular file (an MLflow run is a directory)."},
	{R_UNREADABLE, FINDING_ERROR, "A local file exists but cannot be read.",
	 "Fix the file's permissions or the path; the message gives the system's reason."},
	{R_DIGEST_MISMATCH, FINDING_ERROR, "A file's SHA-256 differs from the recorded digest.",
	 "The file changed since it was recorded: restore it, or record its new digest (sha256sum FILE)."},
};
const size_t validate_n_rules = sizeof(validate_rules) / sizeof(validate_rules[0]);

/* ---- the schema ----------------------------------------------------------- */

enum vtype {
	V_STR,      /* non-empty string (an integer is taken as written) */
	V_ID,       /* [A-Za-z0-9][A-Za-z0-9._-]* */
	V_TIME,     /* RFC 3339 */
	V_URI,
	V_REPO,
	V_COMMIT,
	V_DIGEST,   /* sha256:<64 hex> */
	V_IMAGE,    /* image reference, ideally @sha256: pinned */
	V_PATH,     /* local path, relative to the record */
	V_ENUM,     /* one of values */
	V_POSINT,
	V_MAP,      /* sub: its fields */
	V_LIST,     /* sequence of mappings; sub: the fields of each */
	V_FREEMAP,  /* mapping with free keys (run parameters, metrics) */
	V_SPACE,    /* parameter name -> {range: [lo, hi]} | {enum: [...]} */
};

#define VF_REQUIRED 1u
#define VF_RECOMMENDED 2u
#define VF_NONEMPTY 4u

struct vfield;
typedef void (*vhook)(struct vctx *c, const struct doc_node *v, const char *where);

struct vfield {
	const char *key;
	enum vtype type;
	unsigned flags;
	const struct vfield *sub;       /* terminated by a NULL key */
	const char *const *values;      /* V_ENUM, NULL-terminated */
	vhook hook;                     /* after the type checks, on a well-typed value */
	vhook item_hook;                /* V_LIST: on each mapping item */
};

#define FIELD(key, type, flags, sub, values) {key, type, flags, sub, values, NULL, NULL}
#define FIELD_END FIELD(NULL, V_STR, 0, NULL, NULL)

static const char *const api_versions[] = {EXPERIMENT_API_VERSION, NULL};
static const char *const kinds[] = {EXPERIMENT_KIND, NULL};
static const char *const directions[] = {"maximize", "minimize", NULL};
static const char *const strategies[] = {"grid", "random", "single", NULL};
static const char *const statuses[] = {"completed", "failed", "running", NULL};

static void one_of(struct vctx *c, const struct doc_node *map, const char *where,
		   const char *a, const char *b);

static void env_hook(struct vctx *c, const struct doc_node *v, const char *where)
{
	one_of(c, v, where, "image", "lockfile");
}

static void dataset_hook(struct vctx *c, const struct doc_node *v, const char *where)
{
	one_of(c, v, where, "path", "uri");
}

static void unique_hook(struct vctx *c, const struct doc_node *v, const char *where);
static void run_hook(struct vctx *c, const struct doc_node *v, const char *where);

static const struct vfield metadata_fields[] = {
	FIELD("name", V_STR, VF_REQUIRED, NULL, NULL),
	FIELD("id", V_ID, VF_REQUIRED, NULL, NULL),
	FIELD("owner", V_STR, VF_RECOMMENDED, NULL, NULL),
	FIELD("description", V_STR, 0, NULL, NULL),
	FIELD("created", V_TIME, VF_RECOMMENDED, NULL, NULL),
	FIELD_END,
};

static const struct vfield objective_fields[] = {
	FIELD("metric", V_STR, VF_REQUIRED, NULL, NULL),
	FIELD("direction", V_ENUM, VF_REQUIRED, NULL, directions),
	FIELD_END,
};

static const struct vfield code_fields[] = {
	FIELD("repository", V_REPO, VF_REQUIRED, NULL, NULL),
	FIELD("commit", V_COMMIT, VF_REQUIRED, NULL, NULL),
	FIELD_END,
};

static const struct vfield file_fields[] = {
	FIELD("path", V_PATH, VF_REQUIRED, NULL, NULL),
	FIELD("digest", V_DIGEST, VF_REQUIRED, NULL, NULL),
	FIELD_END,
};

static const struct vfield environment_fields[] = {
	FIELD("image", V_IMAGE, 0, NULL, NULL),
	FIELD("lockfile", V_MAP, 0, file_fields, NULL),
	FIELD_END,
};

static const struct vfield dataset_fields[] = {
	FIELD("name", V_STR, VF_REQUIRED, NULL, NULL),
	FIELD("path", V_PATH, 0, NULL, NULL),
	FIELD("uri", V_URI, 0, NULL, NULL),
	FIELD("digest", V_DIGEST, VF_REQUIRED, NULL, NULL),
	FIELD("description", V_STR, 0, NULL, NULL),
	FIELD_END,
};

static const struct vfield space_fields[] = {
	FIELD("strategy", V_ENUM, VF_REQUIRED, NULL, strategies),
	FIELD("runs", V_POSINT, 0, NULL, NULL),
	FIELD("parameters", V_SPACE, 0, NULL, NULL),
	FIELD_END,
};

static const struct vfield run_fields[] = {
	FIELD("id", V_ID, VF_REQUIRED, NULL, NULL),
	FIELD("status", V_ENUM, 0, NULL, statuses),
	FIELD("started", V_TIME, 0, NULL, NULL),
	FIELD("ended", V_TIME, 0, NULL, NULL),
	FIELD("parameters", V_FREEMAP, 0, NULL, NULL),
	FIELD("metrics", V_FREEMAP, 0, NULL, NULL),
	FIELD("metrics_file", V_PATH, 0, NULL, NULL),
	FIELD("mlflow_run", V_PATH, 0, NULL, NULL),
	FIELD("artifacts", V_LIST, 0, file_fields, NULL),
	FIELD_END,
};

static const struct vfield model_fields[] = {
	FIELD("name", V_STR, VF_REQUIRED, NULL, NULL),
	FIELD("version", V_STR, VF_REQUIRED, NULL, NULL),
	FIELD("framework", V_STR, 0, NULL, NULL),
	FIELD("format", V_STR, 0, NULL, NULL),
	FIELD("license", V_STR, 0, NULL, NULL),
	FIELD("files", V_LIST, VF_REQUIRED | VF_NONEMPTY, file_fields, NULL),
	FIELD_END,
};

static const struct vfield record_fields[] = {
	FIELD("apiVersion", V_ENUM, VF_REQUIRED, NULL, api_versions),
	FIELD("kind", V_ENUM, VF_REQUIRED, NULL, kinds),
	FIELD("metadata", V_MAP, VF_REQUIRED, metadata_fields, NULL),
	FIELD("objective", V_MAP, VF_REQUIRED, objective_fields, NULL),
	FIELD("code", V_MAP, VF_RECOMMENDED, code_fields, NULL),
	{"environment", V_MAP, VF_RECOMMENDED, environment_fields, NULL, env_hook, NULL},
	{"data", V_LIST, VF_RECOMMENDED, dataset_fields, NULL, unique_hook, dataset_hook},
	FIELD("space", V_MAP, 0, space_fields, NULL),
	{"runs", V_LIST, VF_REQUIRED | VF_NONEMPTY, run_fields, NULL, run_hook, NULL},
	FIELD("selected", V_ID, VF_REQUIRED, NULL, NULL),
	FIELD("model", V_MAP, VF_RECOMMENDED, model_fields, NULL),
	FIELD_END,
};

/* ---- walking ---------------------------------------------------------------- */

static int is_null(const struct doc_node *n)
{
	return n && n->type == DOC_SCALAR && n->kind == DOC_NULL;
}

static char *sub_where(const char *where, const char *key)
{
	return *where ? xasprintf("%s.%s", where, key) : xstrdup(key);
}

static void check_map(struct vctx *c, const struct doc_node *map, const struct vfield *fields,
		      const char *where);

static void wrong_type(struct vctx *c, const struct doc_node *v, const char *where,
		       const char *want)
{
	char d[320];

	if (v->type == DOC_SCALAR && v->kind == DOC_FLOAT && strcmp(want, "a string") == 0)
		v_add(c, FINDING_ERROR, R_WRONG_TYPE, v,
		      "'%s' must be %s, found %s (quote it: '%s')", where, want,
		      v_describe(v, d, sizeof(d)), v->str);
	else
		v_add(c, FINDING_ERROR, R_WRONG_TYPE, v, "'%s' must be %s, found %s", where, want,
		      v_describe(v, d, sizeof(d)));
}

static void check_enum(struct vctx *c, const struct doc_node *v, const struct vfield *fd,
		       const char *where)
{
	struct strbuf list = STRBUF_INIT;
	char q[256];
	const char *best;
	size_t i, n = 0;

	for (i = 0; fd->values[i]; i++)
		if (strcmp(v->str, fd->values[i]) == 0)
			return;
	for (n = 0; fd->values[n]; n++)
		strbuf_addf(&list, "%s%s", n ? ", " : "", fd->values[n]);
	best = v_suggest(v->str, fd->values, n);
	if (n == 1)
		v_add(c, FINDING_ERROR, R_BAD_VALUE, v, "'%s' must be '%s', found %s", where,
		      fd->values[0], v_quote(v->str, q, sizeof(q)));
	else if (best)
		v_add(c, FINDING_ERROR, R_BAD_VALUE, v,
		      "'%s' must be one of %s, found %s (did you mean '%s'?)", where, list.buf,
		      v_quote(v->str, q, sizeof(q)), best);
	else
		v_add(c, FINDING_ERROR, R_BAD_VALUE, v, "'%s' must be one of %s, found %s", where,
		      list.buf, v_quote(v->str, q, sizeof(q)));
	strbuf_release(&list);
}

static void check_image(struct vctx *c, const struct doc_node *v, const char *where)
{
	const char *at = strchr(v->str, '@');
	char q[256];

	if (strspn(v->str, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			   "._-/:@") != v->len)
		v_add(c, FINDING_ERROR, R_BAD_FORMAT, v,
		      "'%s' must be an image reference, found %s", where,
		      v_quote(v->str, q, sizeof(q)));
	else if (at && !digest_valid(at + 1))
		v_add(c, FINDING_ERROR, R_BAD_FORMAT, v,
		      "'%s' must end in @sha256:<64 lowercase hex digits>, found %s", where,
		      v_quote(at, q, sizeof(q)));
	else if (!at)
		v_add(c, FINDING_WARNING, R_UNPINNED_IMAGE, v,
		      "'%s' is not pinned by digest (append @sha256:...)", where);
}

static void check_string(struct vctx *c, const struct doc_node *v, const struct vfield *fd,
			 const char *where)
{
	const char *s = v_text(v);
	char q[256];

	if (!s || (fd->type == V_ENUM && v->kind != DOC_STR)) {
		if (v->type == DOC_SCALAR && v->kind == DOC_STR && v->len == 0)
			v_add(c, FINDING_ERROR, R_WRONG_TYPE, v, "'%s' must not be empty", where);
		else if (v->type == DOC_SCALAR && v->kind == DOC_STR)
			v_add(c, FINDING_ERROR, R_BAD_VALUE, v, "'%s' must not contain NUL", where);
		else
			wrong_type(c, v, where, "a string");
		return;
	}
	switch (fd->type) {
	case V_ID:
		if (!v_is_id(s))
			v_add(c, FINDING_ERROR, R_BAD_FORMAT, v,
			      "'%s' must match [A-Za-z0-9][A-Za-z0-9._-]* (at most 128 characters), found %s",
			      where, v_quote(s, q, sizeof(q)));
		break;
	case V_TIME:
		if (!v_parse_time(s, NULL))
			v_add(c, FINDING_ERROR, R_BAD_FORMAT, v,
			      "'%s' must be an RFC 3339 time like 2026-11-20T09:30:00Z, found %s",
			      where, v_quote(s, q, sizeof(q)));
		break;
	case V_URI:
		if (!v_is_uri(s))
			v_add(c, FINDING_ERROR, R_BAD_FORMAT, v,
			      "'%s' must be a URI with a scheme (s3://, https://, ...), found %s",
			      where, v_quote(s, q, sizeof(q)));
		break;
	case V_REPO:
		if (!v_is_repository(s))
			v_add(c, FINDING_ERROR, R_BAD_FORMAT, v,
			      "'%s' must be a repository URL (https://host/path or git@host:path), found %s",
			      where, v_quote(s, q, sizeof(q)));
		break;
	case V_COMMIT:
		if (!v_is_commit(s))
			v_add(c, FINDING_ERROR, R_BAD_FORMAT, v,
			      "'%s' must be a full commit id (40 or 64 lowercase hex digits), found %s",
			      where, v_quote(s, q, sizeof(q)));
		break;
	case V_DIGEST:
		if (!digest_valid(s))
			v_add(c, FINDING_ERROR, R_BAD_FORMAT, v,
			      "'%s' must be sha256:<64 lowercase hex digits>, found %s", where,
			      v_quote(s, q, sizeof(q)));
		break;
	case V_IMAGE:
		check_image(c, v, where);
		break;
	case V_PATH:
		if (s[0] == '/')
			v_add(c, FINDING_WARNING, R_ABSOLUTE_PATH, v,
			      "'%s' is an absolute path: the record works only on this machine "
			      "(use a path relative to the record)", where);
		break;
	case V_ENUM:
		check_enum(c, v, fd, where);
		break;
	default:
		break;
	}
}

static void check_space(struct vctx *c, const struct doc_node *v, const char *where);

static void check_value(struct vctx *c, const struct doc_node *v, const struct vfield *fd,
			const char *where)
{
	double x;
	size_t i;

	switch (fd->type) {
	case V_MAP:
		if (v->type != DOC_MAP)
			return wrong_type(c, v, where, "a mapping");
		check_map(c, v, fd->sub, where);
		break;
	case V_FREEMAP:
	case V_SPACE:
		if (v->type != DOC_MAP)
			return wrong_type(c, v, where, "a mapping");
		if (fd->type == V_SPACE)
			check_space(c, v, where);
		break;
	case V_LIST:
		if (v->type != DOC_SEQ)
			return wrong_type(c, v, where, "a sequence");
		if ((fd->flags & VF_NONEMPTY) && v->n == 0)
			v_add(c, FINDING_ERROR, R_BAD_VALUE, v, "'%s' must not be empty", where);
		for (i = 0; i < v->n; i++) {
			char *w = xasprintf("%s[%zu]", where, i);

			if (v->items[i]->type != DOC_MAP)
				wrong_type(c, v->items[i], w, "a mapping");
			else
				check_map(c, v->items[i], fd->sub, w);
			if (fd->item_hook && v->items[i]->type == DOC_MAP)
				fd->item_hook(c, v->items[i], w);
			free(w);
		}
		break;
	case V_POSINT:
		if (v->type != DOC_SCALAR || v->kind != DOC_INT || doc_number(v, &x))
			return wrong_type(c, v, where, "an integer");
		if (x < 1)
			v_add(c, FINDING_ERROR, R_BAD_VALUE, v,
			      "'%s' must be a positive integer, found %s", where, v->str);
		break;
	default:
		check_string(c, v, fd, where);
		return;
	}
	if (fd->hook)
		fd->hook(c, v, where);
}

static void check_map(struct vctx *c, const struct doc_node *map, const struct vfield *fields,
		      const char *where)
{
	const char *names[32];
	size_t i, n = 0;

	for (n = 0; fields[n].key; n++)
		names[n] = fields[n].key;
	for (i = 0; i < map->n; i++) {
		const struct doc_node *k = map->pairs[i].key, *v = map->pairs[i].value;
		const struct vfield *fd = NULL;
		char q[256];
		size_t j;

		for (j = 0; j < n; j++)
			if (strlen(k->str) == k->len && strcmp(k->str, fields[j].key) == 0)
				fd = &fields[j];
		if (!fd) {
			const char *best;

			if (strncmp(k->str, "x-", 2) == 0)
				continue; /* extension keys */
			best = v_suggest(k->str, names, n);
			v_quote(k->str, q, sizeof(q));
			if (best)
				v_add(c, FINDING_ERROR, R_UNKNOWN_KEY, k, "unknown key %s%s%s%s (did you mean '%s'?)",
				      q, *where ? " in '" : "", where, *where ? "'" : "", best);
			else
				v_add(c, FINDING_ERROR, R_UNKNOWN_KEY, k, "unknown key %s%s%s%s", q,
				      *where ? " in '" : "", where, *where ? "'" : "");
			continue;
		}
		if (is_null(v)) {
			if (fd->flags & VF_REQUIRED) {
				char *w = sub_where(where, fd->key);

				v_add(c, FINDING_ERROR, R_MISSING_KEY, v,
				      "required key '%s' has no value", w);
				free(w);
			}
			continue;
		}
		{
			char *w = sub_where(where, fd->key);

			check_value(c, v, fd, w);
			free(w);
		}
	}
	for (i = 0; i < n; i++) {
		char *w;

		if (!(fields[i].flags & (VF_REQUIRED | VF_RECOMMENDED)) ||
		    doc_get_key(map, fields[i].key))
			continue;
		w = sub_where(where, fields[i].key);
		if (fields[i].flags & VF_REQUIRED)
			v_add(c, FINDING_ERROR, R_MISSING_KEY, map, "missing required key '%s'", w);
		else
			v_add(c, FINDING_WARNING, R_RECOMMENDED, map,
			      "missing recommended key '%s'", w);
		free(w);
	}
}

/* Exactly one of keys a and b in map. */
static void one_of(struct vctx *c, const struct doc_node *map, const char *where,
		   const char *a, const char *b)
{
	const struct doc_node *ka = doc_get_key(map, a), *kb = doc_get_key(map, b);

	if (ka && kb)
		v_add(c, FINDING_ERROR, R_CONFLICT, ka->line > kb->line ||
		      (ka->line == kb->line && ka->col > kb->col) ? ka : kb,
		      "'%s' takes either '%s' or '%s', not both", where, a, b);
	else if (!ka && !kb)
		v_add(c, FINDING_ERROR, R_MISSING_KEY, map, "'%s' needs '%s' or '%s'", where, a, b);
}

/* `field` of each mapping item is unique; `what` names it in messages. */
static void unique_in(struct vctx *c, const struct doc_node *seq, const char *field,
		      const char *what)
{
	size_t i, j;

	for (i = 0; i < seq->n; i++) {
		const struct doc_node *vi = doc_get(seq->items[i], field);
		const char *ti = v_text(vi);

		for (j = 0; ti && j < i; j++) {
			const struct doc_node *vj = doc_get(seq->items[j], field);
			const char *tj = v_text(vj);
			char q[256];

			if (tj && strcmp(ti, tj) == 0) {
				v_add(c, FINDING_ERROR, R_DUPLICATE_ID, vi,
				      "%s %s is already used at line %u", what,
				      v_quote(ti, q, sizeof(q)), vj->line);
				break;
			}
		}
	}
}

static void unique_hook(struct vctx *c, const struct doc_node *v, const char *where)
{
	(void)where;
	unique_in(c, v, "name", "dataset name");
}

static void run_hook(struct vctx *c, const struct doc_node *v, const char *where)
{
	size_t i;

	(void)where;
	unique_in(c, v, "id", "run id");
	for (i = 0; i < v->n; i++) {
		const struct doc_node *s = doc_get(v->items[i], "started");
		const struct doc_node *e = doc_get(v->items[i], "ended");
		const char *ts = v_text(s), *te = v_text(e), *id = v_text(doc_get(v->items[i], "id"));
		double a, b;

		if (ts && te && v_parse_time(ts, &a) && v_parse_time(te, &b) && b < a)
			v_add(c, FINDING_ERROR, R_TIME_ORDER, e,
			      "run '%s' ended (%s) before it started (%s)", id ? id : "?", te, ts);
	}
}

/* space.parameters: name -> {range: [lo, hi]} | {enum: [v, ...]} */
static void check_space(struct vctx *c, const struct doc_node *v, const char *where)
{
	static const char *const keys[] = {"range", "enum"};
	size_t i, j;

	for (i = 0; i < v->n; i++) {
		const struct doc_node *p = v->pairs[i].value, *r, *e;
		char *w = sub_where(where, v->pairs[i].key->str), *wk;
		double lo, hi;

		if (p->type != DOC_MAP) {
			wrong_type(c, p, w, "a mapping with 'range' or 'enum'");
			free(w);
			continue;
		}
		for (j = 0; j < p->n; j++) {
			const struct doc_node *k = p->pairs[j].key;
			const char *best;
			char q[256];

			if (strcmp(k->str, "range") == 0 || strcmp(k->str, "enum") == 0 ||
			    strncmp(k->str, "x-", 2) == 0)
				continue;
			best = v_suggest(k->str, keys, 2);
			v_add(c, FINDING_ERROR, R_UNKNOWN_KEY, k, "unknown key %s in '%s'%s%s%s",
			      v_quote(k->str, q, sizeof(q)), w, best ? " (did you mean '" : "",
			      best ? best : "", best ? "'?)" : "");
		}
		one_of(c, p, w, "range", "enum");
		r = doc_get(p, "range");
		e = doc_get(p, "enum");
		if (r) {
			wk = sub_where(w, "range");
			if (r->type != DOC_SEQ || r->n != 2 || doc_number(r->items[0], &lo) ||
			    doc_number(r->items[1], &hi))
				wrong_type(c, r, wk, "[low, high] (two numbers)");
			else if (lo > hi)
				v_add(c, FINDING_ERROR, R_BAD_VALUE, r,
				      "'%s' must be [low, high] with low <= high, found [%s, %s]", wk,
				      r->items[0]->str, r->items[1]->str);
			free(wk);
		}
		if (e) {
			wk = sub_where(w, "enum");
			if (e->type != DOC_SEQ)
				wrong_type(c, e, wk, "a sequence of values");
			else if (e->n == 0)
				v_add(c, FINDING_ERROR, R_BAD_VALUE, e, "'%s' must not be empty", wk);
			for (j = 0; e->type == DOC_SEQ && j < e->n; j++)
				if (e->items[j]->type != DOC_SCALAR) {
					char *we = xasprintf("%s[%zu]", wk, j);

					wrong_type(c, e->items[j], we, "a scalar");
					free(we);
				}
			free(wk);
		}
		free(w);
	}
}

void v_schema(struct vctx *c)
{
	const struct doc_node *root = c->d->root;
	char d[320];

	if (!root || root->type != DOC_MAP) {
		v_add(c, FINDING_ERROR, R_WRONG_TYPE, root,
		      "an experiment record must be a mapping, found %s",
		      v_describe(root, d, sizeof(d)));
		return;
	}
	check_map(c, root, record_fields, "");
}

/* ---- entry ------------------------------------------------------------------ */

static void load_failure(struct vctx *c, const struct xp_error *err)
{
	const char *code = strncmp(err->msg, "duplicate key ", 14) == 0 ? R_DUPLICATE_KEY
									 : R_SYNTAX;

	findings_add(c->f, FINDING_ERROR, code, err->file[0] ? err->file : c->file,
		     err->line ? err->line : 1, err->line ? err->col : 1, "%s", err->msg);
}

/* Validate a loaded record (d NULL: the load failed with lerr). */
static void validate_doc(struct doc *d, const struct xp_error *lerr, const char *name,
			 const struct validate_opts *opts, struct validate_report *r)
{
	static const struct validate_opts defaults;
	struct vctx c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.file = name;
	c.f = &r->findings;
	c.o = opts ? opts : &defaults;
	if (!d) {
		load_failure(&c, lerr);
		r->status = XP_ERR_MALFORMED;
		return;
	}
	c.d = d;
	c.base = experiment_base_dir(name);
	v_schema(&c);
	if (d->root && d->root->type == DOC_MAP) {
		v_references(&c);
		if (!c.o->no_files)
			v_files(&c);
	}
	findings_sort(&r->findings, name);
	r->status = c.unreadable ? XP_ERR_LOCAL
		  : findings_count(&r->findings, FINDING_ERROR) ? XP_ERR_REFUSED : XP_ERR_NONE;
	for (i = 0; i < c.n_hashes; i++)
		free(c.hashes[i].path);
	free(c.hashes);
	free(c.base);
}

int experiment_validate(const char *path, const struct validate_opts *opts,
			struct validate_report *out, struct xp_error *err)
{
	struct validate_report r;
	struct xp_error lerr;
	struct doc *d = NULL;

	memset(&r, 0, sizeof(r));
	xp_error_clear(&lerr);
	if (experiment_load(path, &d, r.digest, &lerr) && lerr.cls != XP_ERR_MALFORMED) {
		*err = lerr;
		return -1;
	}
	findings_init(&r.findings);
	validate_doc(d, &lerr, path, opts, &r);
	doc_free(d);
	*out = r;
	return 0;
}

void experiment_validate_buf(const char *buf, size_t len, const char *name,
			     const struct validate_opts *opts, struct validate_report *out)
{
	struct validate_report r;
	struct xp_error lerr;
	struct doc *d = NULL;

	memset(&r, 0, sizeof(r));
	xp_error_clear(&lerr);
	(void)experiment_parse(buf, len, name, &d, r.digest, &lerr);
	findings_init(&r.findings);
	validate_doc(d, &lerr, name, opts, &r);
	doc_free(d);
	*out = r;
}

void validate_report_release(struct validate_report *r)
{
	if (!r)
		return;
	findings_release(&r->findings);
	memset(r, 0, sizeof(*r));
}
