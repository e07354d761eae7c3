/*
 * experiment.c — an experiment record's summary and its SLSA provenance
 * parameters (see experiment.h).
 *
 * The record is read once: its bytes are hashed for the summary's digest and
 * parsed from the same buffer, so the digest always describes what was parsed.
 * Values are copied out of the document; numbers in the parameters JSON are
 * written in their shortest exact form (metrics_format_number), never with
 * jansson's 17-digit reals.
 */
#include "pipeline/experiment.h"

#include "common/digest.h"
#include "common/doc.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "pipeline/experiment_impl.h"
#include "pipeline/metrics.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* ---- loading -------------------------------------------------------------- */

int experiment_parse(const char *buf, size_t len, const char *name, struct doc **out,
		     char digest[XP_DIGEST_SIZE], struct xp_error *err)
{
	if (digest)
		digest_buf(buf, len, digest);
	return doc_load_buf(buf, len, name, DOC_AUTO, out, err);
}

int experiment_load(const char *path, struct doc **out, char digest[XP_DIGEST_SIZE],
		    struct xp_error *err)
{
	char *buf = NULL;
	size_t len;
	int ret;

	if (file_read_all(path, EXPERIMENT_MAX_SIZE, &buf, &len, err))
		return -1;
	ret = experiment_parse(buf, len, path, out, digest, err);
	free(buf);
	return ret;
}

char *experiment_base_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup("");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

const struct doc_node *experiment_find_run(const struct doc_node *runs, const char *id)
{
	size_t i;

	if (!runs || runs->type != DOC_SEQ)
		return NULL;
	for (i = 0; i < runs->n; i++) {
		const struct doc_node *rid = doc_get(runs->items[i], "id");

		if (rid && rid->type == DOC_SCALAR && rid->kind != DOC_NULL &&
		    strcmp(rid->str, id) == 0)
			return runs->items[i];
	}
	return NULL;
}

/* ---- JSON text ------------------------------------------------------------ */

int experiment_json_string(struct strbuf *sb, const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);
	char *text;

	if (!j)
		return -1; /* not UTF-8 */
	text = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(j);
	if (!text)
		abort(); /* only out of memory */
	strbuf_adds(sb, text);
	free(text);
	return 0;
}

/* An integer scalar's exact value (YAML 1.2 core: decimal, 0x, 0o). */
static int scalar_int(const char *s, long long *out)
{
	int neg = 0, base = 10;
	unsigned long long v;
	char *end;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] == 'o') {
		base = 8;
		s += 2;
	}
	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (*end || errno || v > (unsigned long long)INT64_MAX + (unsigned long long)neg)
		return -1;
	*out = neg ? (v ? -(long long)(v - 1) - 1 : 0) : (long long)v;
	return 0;
}

int experiment_node_json(struct strbuf *sb, const struct doc_node *n)
{
	char num[METRICS_NUMBER_MAX];
	long long iv;
	double dv;
	size_t i;

	if (!n) {
		strbuf_adds(sb, "null");
		return 0;
	}
	switch (n->type) {
	case DOC_MAP:
		strbuf_addc(sb, '{');
		for (i = 0; i < n->n; i++) {
			if (i)
				strbuf_addc(sb, ',');
			if (experiment_json_string(sb, n->pairs[i].key->str, n->pairs[i].key->len))
				return -1;
			strbuf_addc(sb, ':');
			if (experiment_node_json(sb, n->pairs[i].value))
				return -1;
		}
		strbuf_addc(sb, '}');
		return 0;
	case DOC_SEQ:
		strbuf_addc(sb, '[');
		for (i = 0; i < n->n; i++) {
			if (i)
				strbuf_addc(sb, ',');
			if (experiment_node_json(sb, n->items[i]))
				return -1;
		}
		strbuf_addc(sb, ']');
		return 0;
	case DOC_SCALAR:
		break;
	}
	switch (n->kind) {
	case DOC_NULL:
		strbuf_adds(sb, "null");
		return 0;
	case DOC_BOOL:
		strbuf_adds(sb, (n->str[0] == 't' || n->str[0] == 'T') ? "true" : "false");
		return 0;
	case DOC_INT:
	case DOC_FLOAT:
		/* integers exactly; beyond 64 bits, as a double */
		if (n->kind == DOC_INT && scalar_int(n->str, &iv) == 0) {
			strbuf_addf(sb, "%lld", iv);
			return 0;
		}
		if (doc_number(n, &dv) == 0) {
			metrics_format_number(dv, num);
			strbuf_adds(sb, num);
			return 0;
		}
		/* .inf and .nan have no JSON number: keep their text */
		return experiment_json_string(sb, n->str, n->len);
	case DOC_STR:
		return experiment_json_string(sb, n->str, n->len);
	}
	return -1;
}

/* ---- summary -------------------------------------------------------------- */

struct ctx {
	const struct doc *d;
	struct xp_error *err;
	int files;            /* load metrics_file and mlflow_run */
	struct metrics *keep; /* NULL, or where the selected run's metrics go */
};

static int fail_at(struct ctx *c, const struct doc_node *n, const char *fmt, const char *a,
		   const char *b)
{
	return xp_error_at(c->err, XP_ERR_MALFORMED, c->d->name, n ? n->line : 1,
			   n ? n->col : 1, fmt, a, b);
}

/* A map under `key` of `map` (NULL when absent or null). */
static int get_map(struct ctx *c, const struct doc_node *map, const char *key,
		   const char *where, const struct doc_node **out)
{
	const struct doc_node *v = doc_get(map, key);

	*out = NULL;
	if (!v || (v->type == DOC_SCALAR && v->kind == DOC_NULL))
		return 0;
	if (v->type != DOC_MAP)
		return fail_at(c, v, "'%s' must be a mapping, found %s", where, doc_type_name(v));
	*out = v;
	return 0;
}

/* A copy of the scalar text under `key` (NULL when absent or null). Strings and
 * numbers are taken as written; anything else is an error. */
static int get_str(struct ctx *c, const struct doc_node *map, const char *key,
		   const char *where, int required, char **out)
{
	const struct doc_node *v = doc_get(map, key);

	*out = NULL;
	if (!v || (v->type == DOC_SCALAR && v->kind == DOC_NULL)) {
		if (required)
			return fail_at(c, v ? v : map, "missing required key '%s'%s", where, "");
		return 0;
	}
	if (v->type != DOC_SCALAR || v->kind == DOC_BOOL || strlen(v->str) != v->len ||
	    v->len == 0)
		return fail_at(c, v, "'%s' must be a non-empty string, found %s", where,
			       v->len == 0 && v->type == DOC_SCALAR ? "an empty string"
								   : doc_type_name(v));
	*out = xstrdup(v->str);
	return 0;
}

static int get_environment(struct ctx *c, const struct doc_node *root, char **out)
{
	const struct doc_node *env, *lock;
	char *path = NULL, *dg = NULL;
	int ret;

	*out = NULL;
	if (get_map(c, root, "environment", "environment", &env))
		return -1;
	if (!env)
		return 0;
	if (get_str(c, env, "image", "environment.image", 0, out))
		return -1;
	if (*out)
		return 0;
	if (get_map(c, env, "lockfile", "environment.lockfile", &lock))
		return -1;
	if (!lock)
		return 0;
	ret = get_str(c, lock, "path", "environment.lockfile.path", 1, &path);
	if (ret == 0)
		ret = get_str(c, lock, "digest", "environment.lockfile.digest", 1, &dg);
	if (ret == 0)
		*out = xasprintf("lockfile:%s@%s", path, dg);
	free(path);
	free(dg);
	return ret;
}

static int get_data(struct ctx *c, const struct doc_node *root, struct experiment_summary *s)
{
	const struct doc_node *data = doc_get(root, "data");
	size_t i;

	if (!data || (data->type == DOC_SCALAR && data->kind == DOC_NULL))
		return 0;
	if (data->type != DOC_SEQ)
		return fail_at(c, data, "'%s' must be a sequence, found %s", "data",
			       doc_type_name(data));
	s->data = xcalloc(data->n ? data->n : 1, sizeof(*s->data));
	for (i = 0; i < data->n; i++) {
		const struct doc_node *e = data->items[i];
		struct experiment_dataset *ds = &s->data[s->n_data++];
		char where[64];

		snprintf(where, sizeof(where), "data[%zu]", i);
		if (e->type != DOC_MAP)
			return fail_at(c, e, "'%s' must be a mapping, found %s", where,
				       doc_type_name(e));
		snprintf(where, sizeof(where), "data[%zu].name", i);
		if (get_str(c, e, "name", where, 1, &ds->name))
			return -1;
		snprintf(where, sizeof(where), "data[%zu].uri", i);
		if (get_str(c, e, "uri", where, 0, &ds->uri))
			return -1;
		snprintf(where, sizeof(where), "data[%zu].path", i);
		if (!ds->uri && get_str(c, e, "path", where, 0, &ds->uri))
			return -1;
		if (!ds->uri)
			return fail_at(c, e, "'%s' needs a 'path' or a 'uri'%s", where, "");
		snprintf(where, sizeof(where), "data[%zu].digest", i);
		if (get_str(c, e, "digest", where, 0, &ds->digest))
			return -1;
	}
	return 0;
}

/* rel as seen from the working directory: joined to the record's directory. */
static char *join_base(const char *record, const char *rel)
{
	char *base = experiment_base_dir(record), *out;

	out = *base ? xasprintf("%s/%s", base, rel) : xstrdup(rel);
	free(base);
	return out;
}

static int get_model_files(struct ctx *c, const struct doc_node *model,
			   struct experiment_summary *s)
{
	const struct doc_node *files = model ? doc_get(model, "files") : NULL;
	size_t i;

	if (!files || (files->type == DOC_SCALAR && files->kind == DOC_NULL))
		return 0;
	if (files->type != DOC_SEQ)
		return fail_at(c, files, "'%s' must be a sequence, found %s", "model.files",
			       doc_type_name(files));
	s->model_files = xcalloc(files->n ? files->n : 1, sizeof(*s->model_files));
	for (i = 0; i < files->n; i++) {
		const struct doc_node *e = files->items[i];
		struct experiment_file *f = &s->model_files[s->n_model_files++];
		char where[64];

		snprintf(where, sizeof(where), "model.files[%zu]", i);
		if (e->type != DOC_MAP)
			return fail_at(c, e, "'%s' must be a mapping, found %s", where,
				       doc_type_name(e));
		f->where = xasprintf("%s:%u:%u", c->d->name, e->line, e->col);
		snprintf(where, sizeof(where), "model.files[%zu].path", i);
		if (get_str(c, e, "path", where, 1, &f->path))
			return -1;
		f->resolved = f->path[0] == '/' ? xstrdup(f->path) : join_base(c->d->name, f->path);
		snprintf(where, sizeof(where), "model.files[%zu].digest", i);
		if (get_str(c, e, "digest", where, 0, &f->digest))
			return -1;
	}
	return 0;
}

static int get_run(struct ctx *c, const struct doc_node *root, struct experiment_summary *s)
{
	const struct doc_node *runs = doc_get(root, "runs"), *run, *params, *sel;
	struct metrics m, *dst;
	struct strbuf sb = STRBUF_INIT;
	char *base;
	int ret;

	if (get_str(c, root, "selected", "selected", 1, &s->selected_run))
		return -1;
	sel = doc_get(root, "selected");
	if (!runs || runs->type != DOC_SEQ)
		return fail_at(c, runs ? runs : root, "'%s' must be a sequence of runs%s", "runs",
			       "");
	run = experiment_find_run(runs, s->selected_run);
	if (!run)
		return fail_at(c, sel, "selected run '%s' is not among the record's runs%s",
			       s->selected_run, "");
	if (run->type != DOC_MAP)
		return fail_at(c, run, "a run must be a mapping, found %s%s", doc_type_name(run), "");
	params = doc_get(run, "parameters");
	if (params && !(params->type == DOC_SCALAR && params->kind == DOC_NULL) &&
	    params->type != DOC_MAP)
		return fail_at(c, params, "'%s' must be a mapping, found %s", "parameters",
			       doc_type_name(params));
	if (params && params->type == DOC_MAP) {
		if (experiment_node_json(&sb, params)) {
			strbuf_release(&sb);
			return fail_at(c, params, "'%s' of run '%s' is not valid UTF-8",
				       "parameters", s->selected_run);
		}
	} else {
		strbuf_adds(&sb, "{}");
	}
	s->params_json = strbuf_detach(&sb, NULL);
	metrics_init(&m);
	dst = c->keep ? c->keep : &m;
	base = experiment_base_dir(c->d->name);
	if (c->files) {
		ret = metrics_load_run(dst, c->d, run, base, c->err);
	} else {
		const struct doc_node *inl = doc_get(run, "metrics");

		ret = inl && !(inl->type == DOC_SCALAR && inl->kind == DOC_NULL)
		      ? metrics_load_node(dst, c->d, inl, c->err) : 0;
	}
	if (ret == 0)
		s->metrics_json = metrics_to_json(dst);
	free(base);
	metrics_release(&m);
	return ret;
}

static int check_header(struct ctx *c, const struct doc_node *root)
{
	static const char *const want[2][2] = {
		{"apiVersion", EXPERIMENT_API_VERSION},
		{"kind", EXPERIMENT_KIND},
	};
	size_t i;

	for (i = 0; i < 2; i++) {
		const struct doc_node *v = doc_get(root, want[i][0]);

		if (!v)
			return fail_at(c, root, "missing required key '%s'%s", want[i][0], "");
		if (v->type != DOC_SCALAR)
			return xp_error_at(c->err, XP_ERR_MALFORMED, c->d->name, v->line,
					   v->col, "'%s' must be '%s', found %s", want[i][0],
					   want[i][1], doc_type_name(v));
		if (!doc_is_string(v) || strcmp(v->str, want[i][1]) != 0)
			return xp_error_at(c->err, XP_ERR_MALFORMED, c->d->name, v->line,
					   v->col, "'%s' must be '%s', found '%s'", want[i][0],
					   want[i][1], v->str);
	}
	return 0;
}

static int summarize(struct ctx *c, struct experiment_summary *s)
{
	const struct doc_node *root = c->d->root, *meta, *obj, *code, *model, *space;

	if (!root || root->type != DOC_MAP)
		return fail_at(c, root, "expected an experiment record (a mapping), found %s%s",
			       doc_type_name(root), "");
	if (check_header(c, root) || get_map(c, root, "metadata", "metadata", &meta))
		return -1;
	if (!meta)
		return fail_at(c, root, "missing required key '%s'%s", "metadata", "");
	if (get_str(c, meta, "id", "metadata.id", 1, &s->id) ||
	    get_str(c, meta, "name", "metadata.name", 1, &s->name) ||
	    get_str(c, meta, "owner", "metadata.owner", 0, &s->owner) ||
	    get_str(c, meta, "description", "metadata.description", 0, &s->description) ||
	    get_str(c, meta, "created", "metadata.created", 0, &s->created))
		return -1;
	if (get_map(c, root, "objective", "objective", &obj) ||
	    get_str(c, obj, "metric", "objective.metric", 0, &s->objective_metric) ||
	    get_str(c, obj, "direction", "objective.direction", 0, &s->objective_direction))
		return -1;
	if (get_map(c, root, "code", "code", &code) ||
	    get_str(c, code, "repository", "code.repository", 0, &s->code_repository) ||
	    get_str(c, code, "commit", "code.commit", 0, &s->code_commit))
		return -1;
	if (get_environment(c, root, &s->environment) || get_data(c, root, s))
		return -1;
	if (get_map(c, root, "space", "space", &space) ||
	    get_str(c, space, "strategy", "space.strategy", 0, &s->space_strategy))
		return -1;
	if (get_map(c, root, "model", "model", &model) ||
	    get_str(c, model, "name", "model.name", 0, &s->model_name) ||
	    get_str(c, model, "version", "model.version", 0, &s->model_version) ||
	    get_str(c, model, "framework", "model.framework", 0, &s->model_framework) ||
	    get_str(c, model, "format", "model.format", 0, &s->model_format) ||
	    get_str(c, model, "license", "model.license", 0, &s->model_license) ||
	    get_model_files(c, model, s))
		return -1;
	return get_run(c, root, s);
}

static int summarize_doc(struct doc *d, const char *digest, int files, struct metrics *keep,
			 struct experiment_summary *out, struct xp_error *err)
{
	struct experiment_summary s;
	struct ctx c;

	memset(&s, 0, sizeof(s));
	c.d = d;
	c.err = err;
	c.files = files;
	c.keep = keep;
	if (summarize(&c, &s)) {
		experiment_summary_release(&s);
		return -1;
	}
	s.digest = xstrdup(digest);
	*out = s;
	return 0;
}

int experiment_summarize(const char *path, struct experiment_summary *out,
			 struct xp_error *err)
{
	char digest[XP_DIGEST_SIZE];
	struct doc *d = NULL;
	int ret;

	if (experiment_load(path, &d, digest, err))
		return -1;
	ret = summarize_doc(d, digest, 1, NULL, out, err);
	doc_free(d);
	return ret;
}

int experiment_metrics(const char *path, struct metrics *m, char digest[XP_DIGEST_SIZE],
		       struct xp_error *err)
{
	struct experiment_summary s;
	char dg[XP_DIGEST_SIZE];
	struct doc *d = NULL;
	int ret;

	if (experiment_load(path, &d, dg, err))
		return -1;
	ret = summarize_doc(d, dg, 1, m, &s, err);
	doc_free(d);
	if (ret)
		return -1;
	experiment_summary_release(&s);
	if (digest)
		memcpy(digest, dg, XP_DIGEST_SIZE);
	return 0;
}

int experiment_summarize_buf(const char *buf, size_t len, const char *name, int files,
			     struct experiment_summary *out, struct xp_error *err)
{
	char digest[XP_DIGEST_SIZE];
	struct doc *d = NULL;
	int ret;

	if (experiment_parse(buf, len, name, &d, digest, err))
		return -1;
	ret = summarize_doc(d, digest, files, NULL, out, err);
	doc_free(d);
	return ret;
}

void experiment_summary_release(struct experiment_summary *s)
{
	size_t i;

	if (!s)
		return;
	free(s->id);
	free(s->name);
	free(s->owner);
	free(s->description);
	free(s->created);
	free(s->objective_metric);
	free(s->objective_direction);
	free(s->code_repository);
	free(s->code_commit);
	free(s->environment);
	free(s->model_name);
	free(s->model_version);
	free(s->model_framework);
	free(s->model_format);
	free(s->model_license);
	free(s->selected_run);
	free(s->params_json);
	free(s->metrics_json);
	for (i = 0; i < s->n_data; i++) {
		free(s->data[i].name);
		free(s->data[i].uri);
		free(s->data[i].digest);
	}
	free(s->data);
	for (i = 0; i < s->n_model_files; i++) {
		free(s->model_files[i].path);
		free(s->model_files[i].resolved);
		free(s->model_files[i].digest);
		free(s->model_files[i].where);
	}
	free(s->model_files);
	free(s->digest);
	free(s->space_strategy);
	memset(s, 0, sizeof(*s));
}

/* ---- provenance ----------------------------------------------------------- */

static void add_key_str(struct strbuf *sb, int *first, const char *key, const char *val)
{
	if (!val)
		return;
	if (!*first)
		strbuf_addc(sb, ',');
	*first = 0;
	experiment_json_string(sb, key, strlen(key));
	strbuf_addc(sb, ':');
	if (experiment_json_string(sb, val, strlen(val)))
		strbuf_adds(sb, "null");
}

/* 1 when s starts with an RFC 3986 scheme ("ALPHA *( ALPHA / DIGIT / + / - / . ) :")
 * of two or more characters (a one-letter "C:" is a drive, not a scheme). */
static int has_scheme(const char *s)
{
	size_t n = 0;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '-' || s[n] == '.')
		n++;
	return n >= 2 && s[n] == ':';
}

/* An in-toto ResourceURI (RFC 3986) for what a record names: a URI as it is, a
 * path as a "file:" URI (relative paths stay relative, every byte outside the
 * unreserved and path characters percent-encoded). Caller frees. */
static char *resource_uri(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)s;

	if (has_scheme(s))
		return xstrdup(s);
	strbuf_adds(&sb, "file:");
	for (; *p; p++) {
		if (isalnum(*p) || strchr("-._~!$&'()*+,;=@/", *p))
			strbuf_addc(&sb, (char)*p);
		else
			strbuf_addf(&sb, "%%%02X", *p);
	}
	return strbuf_detach(&sb, NULL);
}

/* The git repository as a git+ URI pinned to `commit`: "https://h/r" →
 * "git+https://h/r@C"; scp-like "git@h:r" → "git+ssh://git@h/r@C"; a bare
 * "h/r" → "git+https://h/r@C". Caller frees. */
static char *git_uri(const char *repo, const char *commit)
{
	const char *colon = strchr(repo, ':'), *slash = strchr(repo, '/');

	if (strncmp(repo, "git+", 4) == 0)
		return xasprintf("%s@%s", repo, commit);
	if (has_scheme(repo) && strstr(repo, "://"))
		return xasprintf("git+%s@%s", repo, commit);
	if (colon && (!slash || colon < slash))
		return xasprintf("git+ssh://%.*s/%s@%s", (int)(colon - repo), repo, colon + 1,
				 commit);
	return xasprintf("git+https://%s@%s", repo, commit);
}

/* One ResourceDescriptor (uri: taken and freed); digest_key "sha256" takes the
 * hex of a "sha256:" digest. */
static void add_dep(struct strbuf *sb, int *first, char *uri, const char *digest_key,
		    const char *digest, const char *name)
{
	int f = 1;

	if (!*first)
		strbuf_addc(sb, ',');
	*first = 0;
	strbuf_addc(sb, '{');
	add_key_str(sb, &f, "uri", uri);
	if (digest && strcmp(digest_key, "sha256") == 0)
		digest = digest_valid(digest) ? digest_hex(digest) : NULL;
	if (digest) {
		strbuf_adds(sb, f ? "\"digest\":{" : ",\"digest\":{");
		f = 0;
		experiment_json_string(sb, digest_key, strlen(digest_key));
		strbuf_addc(sb, ':');
		experiment_json_string(sb, digest, strlen(digest));
		strbuf_addc(sb, '}');
	}
	add_key_str(sb, &f, "name", name);
	strbuf_addc(sb, '}');
	free(uri);
}

/* The environment: "lockfile:PATH[@DIGEST]" a file, else a container image
 * reference, written as a docker:// URI (the transport skopeo names). */
static void add_environment(struct strbuf *sb, int *first, const char *env)
{
	const char *at;

	if (strncmp(env, "lockfile:", 9) == 0) {
		char *path;

		at = strrchr(env, '@');
		if (!at || at < env + 9) {
			add_dep(sb, first, resource_uri(env + 9), "sha256", NULL, "environment");
			return;
		}
		path = xstrndup(env + 9, (size_t)(at - env - 9));
		add_dep(sb, first, resource_uri(path), "sha256", at + 1, "environment");
		free(path);
		return;
	}
	at = strstr(env, "@sha256:");
	add_dep(sb, first, strstr(env, "://") ? xstrdup(env) : xasprintf("docker://%s", env),
		"sha256", at ? at + 1 : NULL, "environment");
}

int experiment_provenance_json(const struct experiment_summary *s, char **out,
			       struct xp_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	json_error_t jerr;
	json_t *check;
	int first = 1, f;
	size_t i;

	check = json_loads(s->params_json ? s->params_json : "{}", 0, &jerr);
	if (!check || !json_is_object(check)) {
		json_decref(check);
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "invalid parameters of run '%s': %s",
				    s->selected_run ? s->selected_run : "?",
				    check ? "not a JSON object" : jerr.text);
	}
	json_decref(check);
	strbuf_adds(&sb, "{\"externalParameters\":{\"experiment\":{");
	f = 1;
	add_key_str(&sb, &f, "id", s->id);
	add_key_str(&sb, &f, "name", s->name);
	add_key_str(&sb, &f, "digest", s->digest);
	strbuf_addc(&sb, '}');
	f = 0;
	add_key_str(&sb, &f, "run", s->selected_run);
	strbuf_adds(&sb, ",\"parameters\":");
	strbuf_adds(&sb, s->params_json ? s->params_json : "{}");
	if (s->objective_metric || s->objective_direction) {
		strbuf_adds(&sb, ",\"objective\":{");
		f = 1;
		add_key_str(&sb, &f, "metric", s->objective_metric);
		add_key_str(&sb, &f, "direction", s->objective_direction);
		strbuf_addc(&sb, '}');
	}
	if (s->space_strategy) {
		strbuf_adds(&sb, ",\"space\":{");
		f = 1;
		add_key_str(&sb, &f, "strategy", s->space_strategy);
		strbuf_addc(&sb, '}');
	}
	strbuf_adds(&sb, "},\"resolvedDependencies\":[");
	for (i = 0; i < s->n_data; i++)
		add_dep(&sb, &first, resource_uri(s->data[i].uri), "sha256", s->data[i].digest,
			s->data[i].name);
	if (s->code_repository && s->code_commit) {
		add_dep(&sb, &first, git_uri(s->code_repository, s->code_commit), "gitCommit",
			s->code_commit, "code");
	}
	if (s->environment)
		add_environment(&sb, &first, s->environment);
	strbuf_adds(&sb, "]}");
	*out = strbuf_detach(&sb, NULL);
	return 0;
}
