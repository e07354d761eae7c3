/*
 * experiment_init.c — `xpship init`: a commented starter experiment record.
 *
 * The starter is schema-valid (every format right), so after `xpship init` the
 * only findings of `xpship validate` are the files it names that do not exist
 * yet: the user replaces placeholders, not syntax. The file is written under a
 * temporary name and linked into place, which fails when a record already exists:
 * an existing record is never overwritten, not even by a concurrent init.
 */
#include "pipeline/experiment.h"
#include "common/timeutil.h"

#include "common/error.h"
#include "common/fileio.h"
#include "common/digest.h"
#include "common/doc.h"
#include "common/strbuf.h"
#include "pipeline/experiment_impl.h"
#include "pipeline/metrics.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char starter_head[] =
	"# An experiment record (xpship/v1), written by `xpship init`.\n"
	"# Replace the example values, then check it: xpship validate experiment.yaml\n"
	"# Every field is described in docs/experiment.md. Paths are relative to this\n"
	"# file's directory; compute a digest with: sha256sum FILE\n"
	"apiVersion: xpship/v1\n"
	"kind: Experiment\n"
	"\n"
	"metadata:\n"
	"  name: my-model                      # required: what is being trained\n"
	"  id: exp-%1$s-001                  # required: unique, [A-Za-z0-9][A-Za-z0-9._-]*\n"
	"  owner: team@example.com\n"
	"  description: What this experiment tries, in a sentence or two.\n"
	"  created: %2$s         # RFC 3339, UTC\n"
	"\n"
	"objective:\n"
	"  metric: accuracy                    # dotted path into a run's metrics\n"
	"  direction: maximize                 # maximize | minimize\n"
	"\n"
	"code:\n"
	"  repository: https://github.com/example/my-model\n"
	"  commit: 0000000000000000000000000000000000000000   # git rev-parse HEAD\n"
	"\n";

static const char starter_env[] =
	"environment:                          # one of `image` or `lockfile`\n"
	"  lockfile:\n"
	"    path: requirements.lock\n"
	"    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
	"  # image: registry.example/trainer@sha256:<64 hex>\n"
	"\n";

static const char starter_data[] =
	"data:                                 # named inputs with their digests\n"
	"  - name: train\n"
	"    path: data/train.csv              # a local file (checked), or\n"
	"    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
	"  - name: test\n"
	"    uri: s3://bucket/my-model/test.csv  # a remote one (digest recorded, not checked)\n"
	"    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
	"\n";

static const char starter_space_runs[] =
	"space:                                # the search space\n"
	"  strategy: grid                      # grid | random | single\n"
	"  runs: 2\n"
	"  parameters:\n"
	"    learning_rate: {range: [0.001, 0.1]}\n"
	"    max_depth: {enum: [4, 6]}\n"
	"\n"
	"runs:\n"
	"  - id: run-1\n"
	"    status: completed                 # completed | failed | running\n"
	"    started: %2$s\n"
	"    ended: %2$s\n"
	"    parameters: {learning_rate: 0.01, max_depth: 6}\n";

static const char starter_metrics[] =
	"    metrics:                          # numbers, nested maps, series (last counts)\n"
	"      accuracy: 0.9\n"
	"    # metrics_file: metrics/run-1.json  # JSON/YAML metrics, merged\n"
	"    # mlflow_run: mlruns/0/<run-id>     # an MLflow run directory, merged\n";

static const char starter_artifacts[] =
	"    artifacts:\n"
	"      - path: model/model.onnx\n"
	"        digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
	"\n";

static const char starter_selected[] =
	"selected: run-1                       # the candidate run\n"
	"\n";

static const char starter_model[] =
	"model:\n"
	"  name: my-model\n"
	"  version: 0.1.0                      # a string: quote values like '1.0'\n"
	"  framework: scikit-learn\n"
	"  format: onnx\n"
	"  license: Apache-2.0\n";

static const char starter_files[] =
	"  files:                              # what `xpship pack` puts in the bundle\n"
	"    - path: model/model.onnx\n"
	"      digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n";

/* seg with "%1$s" → day and "%2$s" → stamp (plain text, not a format). */
static void add_seg(struct strbuf *sb, const char *seg, const char *day, const char *stamp)
{
	const char *p;

	while ((p = strchr(seg, '%')) != NULL) {
		strbuf_add(sb, seg, (size_t)(p - seg));
		if (strncmp(p, "%1$s", 4) == 0)
			strbuf_adds(sb, day);
		else if (strncmp(p, "%2$s", 4) == 0)
			strbuf_adds(sb, stamp);
		else {
			strbuf_add(sb, p, 4);
		}
		seg = p + 4;
	}
	strbuf_adds(sb, seg);
}

/* seg as comment lines: a part `init` was not given files for. */
static void add_commented(struct strbuf *sb, const char *seg, const char *day,
			  const char *stamp)
{
	struct strbuf t = STRBUF_INIT;
	const char *p, *nl;

	add_seg(&t, seg, day, stamp);
	for (p = t.buf; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (nl > p)
			strbuf_adds(sb, "# ");
		strbuf_add(sb, p, (size_t)(nl - p));
		strbuf_addc(sb, '\n');
		if (!*nl)
			break;
	}
	strbuf_release(&t);
}

/* ---- filled from files (init --model/--metrics/--data) -------------------- */

struct init_file {
	char *real;                       /* resolved path */
	char digest[XP_DIGEST_SIZE];
};

struct init_inputs {
	struct init_file *data, *model, *lockfile;
	size_t n_data, n_model, n_lockfile;
	char *metrics_json;               /* the metrics file as JSON, NULL without */
};

static void inputs_release(struct init_inputs *in)
{
	size_t i;

	for (i = 0; i < in->n_data; i++)
		free(in->data[i].real);
	for (i = 0; i < in->n_model; i++)
		free(in->model[i].real);
	if (in->n_lockfile)
		free(in->lockfile[0].real);
	free(in->lockfile);
	free(in->data);
	free(in->model);
	free(in->metrics_json);
}

static int add_file(struct init_file **v, size_t *n, const char *path, struct xp_error *err)
{
	char real[PATH_MAX];
	struct init_file *f;

	if (!realpath(path, real))
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot open '%s'", path);
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	f = &(*v)[*n];
	f->real = xstrdup(real);
	if (digest_file(path, f->digest, NULL, err)) {
		free(f->real);
		return -1;
	}
	(*n)++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file under dir, in bytewise path order (links and special
 * files are not model files: pack keeps links as links). */
static int add_tree(struct init_inputs *in, const char *dir, int depth, struct xp_error *err)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	int ret = -1;

	if (depth > 64)
		return xp_error_set(err, XP_ERR_LOCAL, "'%s': directories nested too deep", dir);
	d = opendir(dir);
	if (!d)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot open '%s'", dir);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		struct stat st;

		if (lstat(names[i], &st) < 0) {
			xp_error_errno(err, XP_ERR_LOCAL, "cannot open '%s'", names[i]);
			goto out;
		}
		if (S_ISDIR(st.st_mode) ? add_tree(in, names[i], depth + 1, err)
		    : S_ISREG(st.st_mode) ? add_file(&in->model, &in->n_model, names[i], err) : 0)
			goto out;
	}
	ret = 0;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

static int load_metrics(struct init_inputs *in, const char *path, struct xp_error *err)
{
	struct metrics m;
	struct doc *d = NULL;
	struct strbuf sb = STRBUF_INIT;
	int ret = -1;

	metrics_init(&m);
	if (metrics_load_file(&m, path, err))
		goto out;
	if (m.n == 0) {
		xp_error_set(err, XP_ERR_MALFORMED, "'%s' holds no metrics", path);
		goto out;
	}
	if (doc_load_file(path, DOC_AUTO, DOC_MAX_SIZE, NULL, &d, err) ||
	    experiment_node_json(&sb, d->root))
		goto out;
	in->metrics_json = strbuf_detach(&sb, NULL);
	ret = 0;
out:
	strbuf_release(&sb);
	doc_free(d);
	metrics_release(&m);
	return ret;
}

static int inputs_load(struct init_inputs *in, const struct experiment_init_opts *o,
		       struct xp_error *err)
{
	size_t i;
	struct stat st;

	for (i = 0; i < o->n_data; i++)
		if (add_file(&in->data, &in->n_data, o->data[i], err))
			return -1;
	if (o->model) {
		if (stat(o->model, &st) < 0)
			return xp_error_errno(err, XP_ERR_LOCAL, "cannot open '%s'", o->model);
		if (S_ISDIR(st.st_mode) ? add_tree(in, o->model, 0, err)
					: add_file(&in->model, &in->n_model, o->model, err))
			return -1;
		if (in->n_model == 0)
			return xp_error_set(err, XP_ERR_LOCAL, "'%s' holds no files", o->model);
	}
	if (o->metrics && load_metrics(in, o->metrics, err))
		return -1;
	if (o->lockfile && add_file(&in->lockfile, &in->n_lockfile, o->lockfile, err))
		return -1;
	return 0;
}

/* Length of the common leading components of two absolute paths. */
static size_t common_prefix(const char *a, const char *b)
{
	size_t i, last = 0;

	for (i = 0; a[i] && a[i] == b[i]; i++)
		if (a[i] == '/')
			last = i;
	if ((!a[i] || a[i] == '/') && (!b[i] || b[i] == '/'))
		last = i;
	return last;
}

/* path (resolved, absolute) relative to the resolved directory dir. */
static char *relative_to(const char *dir, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	size_t c = common_prefix(dir, path), i;
	const char *rest = path + c;

	for (i = c; dir[i]; i++)
		if (dir[i] == '/' && dir[i + 1])
			strbuf_adds(&sb, "../");
	while (*rest == '/')
		rest++;
	strbuf_adds(&sb, rest);
	return strbuf_detach(&sb, NULL);
}

/* A YAML scalar for s: plain when safe, else double-quoted (JSON escaping). */
static void add_scalar(struct strbuf *sb, const char *s)
{
	size_t i;
	int plain = *s && strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) == NULL;

	for (i = 0; plain && s[i]; i++)
		plain = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
			(s[i] >= '0' && s[i] <= '9') || strchr("._/-+", s[i]);
	if (plain)
		strbuf_adds(sb, s);
	else
		experiment_json_string(sb, s, strlen(s));
}

/* "data/train.csv" → "train"; names stay unique ("train-2"). */
static char *data_name(const char *real, char **taken, size_t n)
{
	const char *base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
	const char *dot = strchr(base, '.');
	size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base), i, k;
	char *name = xstrndup(base, len), *try;

	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || strchr("._-", name[i])))
			name[i] = '-';
	try = xstrdup(name);
	for (k = 2;; k++) {
		for (i = 0; i < n && strcmp(taken[i], try) != 0; i++)
			;
		if (i == n)
			break;
		free(try);
		try = xasprintf("%s-%zu", name, k);
	}
	free(name);
	return try;
}

static void add_data(struct strbuf *sb, const struct init_inputs *in, const char *dir)
{
	char **names = xcalloc(in->n_data ? in->n_data : 1, sizeof(*names));
	size_t i;

	strbuf_adds(sb, "data:                                 # named inputs with their digests\n");
	for (i = 0; i < in->n_data; i++) {
		char *rel = relative_to(dir, in->data[i].real);

		names[i] = data_name(in->data[i].real, names, i);
		strbuf_adds(sb, "  - name: ");
		add_scalar(sb, names[i]);
		strbuf_adds(sb, "\n    path: ");
		add_scalar(sb, rel);
		strbuf_addf(sb, "\n    digest: %s\n", in->data[i].digest);
		free(rel);
	}
	strbuf_adds(sb, "\n");
	for (i = 0; i < in->n_data; i++)
		free(names[i]);
	free(names);
}

static void add_model_files(struct strbuf *sb, const struct init_inputs *in, const char *dir)
{
	size_t i;

	strbuf_adds(sb, "  files:                              # what `xpship pack` puts in the bundle\n");
	for (i = 0; i < in->n_model; i++) {
		char *rel = relative_to(dir, in->model[i].real);

		strbuf_adds(sb, "    - path: ");
		add_scalar(sb, rel);
		strbuf_addf(sb, "\n      digest: %s\n", in->model[i].digest);
		free(rel);
	}
}

/* The record's text; dir is the record's resolved directory (NULL: only the
 * starter's placeholders are used). */
static char *record_text(long long now, const struct init_inputs *in, const char *dir)
{
	struct strbuf sb = STRBUF_INIT;
	char stamp[XP_TIME_SIZE], day[9];

	xp_time_format(now, stamp);
	/* "2026-11-20T09:30:00Z" -> "20261120" */
	snprintf(day, sizeof(day), "%.4s%.2s%.2s", stamp, stamp + 5, stamp + 8);
	add_seg(&sb, starter_head, day, stamp);
	if (in && in->n_lockfile) {
		char *rel = relative_to(dir, in->lockfile[0].real);

		strbuf_adds(&sb, "environment:\n  lockfile:\n    path: ");
		add_scalar(&sb, rel);
		strbuf_addf(&sb, "\n    digest: %s\n\n", in->lockfile[0].digest);
		free(rel);
	} else if (in) {
		strbuf_adds(&sb, "# environment:                        # recommended: what the run ran in\n"
			    "#   lockfile: {path: requirements.lock, digest: sha256:<64 hex>}\n"
			    "#   image: registry.example/trainer@sha256:<64 hex>\n\n");
	} else {
		add_seg(&sb, starter_env, day, stamp);
	}
	if (in && in->n_data)
		add_data(&sb, in, dir);
	else if (in)
		add_commented(&sb, starter_data, day, stamp);
	else
		add_seg(&sb, starter_data, day, stamp);
	add_seg(&sb, starter_space_runs, day, stamp);
	if (in && in->metrics_json)
		strbuf_addf(&sb, "    metrics: %s\n", in->metrics_json);
	else
		add_seg(&sb, starter_metrics, day, stamp);
	if (in)
		strbuf_adds(&sb, "\n");
	else
		add_seg(&sb, starter_artifacts, day, stamp);
	add_seg(&sb, starter_selected, day, stamp);
	if (in && in->n_model) {
		add_seg(&sb, starter_model, day, stamp);
		add_model_files(&sb, in, dir);
	} else if (in) {
		add_commented(&sb, starter_model, day, stamp);
		add_commented(&sb, starter_files, day, stamp);
	} else {
		add_seg(&sb, starter_model, day, stamp);
		add_seg(&sb, starter_files, day, stamp);
	}
	return strbuf_detach(&sb, NULL);
}

char *experiment_starter(long long now)
{
	return record_text(now, NULL, NULL);
}

int experiment_init(const char *dir, long long now, const struct experiment_init_opts *o,
		    char **written, struct xp_error *err)
{
	struct init_inputs in;
	struct atomic_file af;
	char *path, *text = NULL, real[PATH_MAX];
	int ret = -1;

	memset(&in, 0, sizeof(in));
	if (!dir || !*dir)
		dir = ".";
	path = xasprintf("%s/experiment.yaml", dir);
	if (access(path, F_OK) == 0) {
		xp_error_set(err, XP_ERR_LOCAL,
			     "refusing to overwrite '%s': it already exists", path);
		goto out;
	}
	if (o && inputs_load(&in, o, err))   /* before anything is created */
		goto out;
	if (mkdir_p(dir, 0755, err))
		goto out;
	if (!realpath(dir, real)) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot open '%s'", dir);
		goto out;
	}
	if (atomic_open(&af, path, 0644, err))
		goto out;
	text = record_text(now, o ? &in : NULL, real);
	if (atomic_write(&af, text, strlen(text), err)) {
		atomic_abort(&af);
		goto out;
	}
	if (fsync(af.fd) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot write '%s'", path);
		atomic_abort(&af);
		goto out;
	}
	/* link, not rename: never replaces a record created meanwhile */
	if (link(af.tmp, path) < 0) {
		if (errno == EEXIST)
			xp_error_set(err, XP_ERR_LOCAL,
				     "refusing to overwrite '%s': it already exists", path);
		else
			xp_error_errno(err, XP_ERR_LOCAL, "cannot write '%s'", path);
		atomic_abort(&af);
		goto out;
	}
	atomic_abort(&af); /* removes the temporary name */
	fsync_dir(dir);
	*written = path;
	path = NULL;
	ret = 0;
out:
	inputs_release(&in);
	free(text);
	free(path);
	return ret;
}
