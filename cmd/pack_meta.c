/*
 * pack_meta.c — inputs and bundle metadata for `pack` (see pack_meta.h).
 */
#include "cmd/pack_meta.h"
#include "cmd/cmd.h"
#include "common/digest.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "packager/bundle.h"
#include "pipeline/experiment.h"
#include "pipeline/profile.h"
#include "common/decision_record.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECISION_MAX (16u << 20)

void pack_inputs_init(struct pack_inputs *in)
{
	memset(in, 0, sizeof(*in));
}

void pack_inputs_release(struct pack_inputs *in)
{
	size_t i;

	for (i = 0; i < in->n_strings; i++)
		free(in->strings[i]);
	free(in->strings);
	free(in->v);
	free(in->expect);
	free(in->prefix);
	oci_annots_release(&in->annots);
	memset(in, 0, sizeof(*in));
}

static const char *keep(struct pack_inputs *in, char *s)
{
	in->strings = xrealloc(in->strings, (in->n_strings + 1) * sizeof(*in->strings));
	in->strings[in->n_strings++] = s;
	return s;
}

static void add_input(struct pack_inputs *in, const char *src, char *dest)
{
	in->v = xrealloc(in->v, (in->n + 1) * sizeof(*in->v));
	in->v[in->n].src = src;
	in->v[in->n].dest = keep(in, dest);
	in->n++;
}

static void add_expect(struct pack_inputs *in, const char *src, const char *digest,
		       const char *where)
{
	in->expect = xrealloc(in->expect, (in->n_expect + 1) * sizeof(*in->expect));
	in->expect[in->n_expect].src = keep(in, xstrdup(src));
	in->expect[in->n_expect].digest = digest ? keep(in, xstrdup(digest)) : NULL;
	in->expect[in->n_expect].where = where ? keep(in, xstrdup(where)) : "";
	in->n_expect++;
}

static char *dest_of(const struct pack_inputs *in, const char *name)
{
	return *in->prefix ? xasprintf("%s/%s", in->prefix, name) : xstrdup(name);
}

/* "/models/" → "models"; "/" → ""; ".." or empty components are refused. */
static int set_prefix(struct pack_inputs *in, const char *prefix)
{
	const char *p = prefix;
	struct strbuf sb = STRBUF_INIT;

	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (!len)
			break;
		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.')) {
			strbuf_release(&sb);
			return cmd_usage_error("pack", "invalid --prefix '%s': no '.' or '..' components",
					       prefix);
		}
		strbuf_addf(&sb, "%s%.*s", sb.len ? "/" : "", (int)len, p);
		p += len;
	}
	in->prefix = strbuf_detach(&sb, NULL);
	return 0;
}

/* The name a PATH argument lands under: its last component ("dir/" → "dir";
 * "." or ".." → the directory's real name). */
static char *input_name(const char *path)
{
	size_t len = strlen(path);
	const char *slash;
	char *name, *real;

	while (len > 1 && path[len - 1] == '/')
		len--;
	name = xstrndup(path, len);
	slash = strrchr(name, '/');
	if (slash && slash[1]) {
		char *base = xstrdup(slash + 1);

		free(name);
		name = base;
	}
	if (strcmp(name, ".") && strcmp(name, "..") && strcmp(name, "/"))
		return name;
	free(name);
	real = realpath(path, NULL);
	if (!real)
		return NULL;
	slash = strrchr(real, '/');
	name = slash && slash[1] ? xstrdup(slash + 1) : NULL;
	free(real);
	return name;
}

int pack_inputs_add_paths(struct pack_inputs *in, const char *prefix, char *const *paths,
			  size_t n)
{
	size_t i;

	if (set_prefix(in, prefix))
		return XP_EXIT_USAGE;
	for (i = 0; i < n; i++) {
		char *name = input_name(paths[i]);

		if (!name)
			return cmd_usage_error("pack", "cannot pack '%s': it has no name to land under",
					       paths[i]);
		add_input(in, paths[i], dest_of(in, name));
		free(name);
	}
	return 0;
}

static void set_opt(struct oci_annots *a, const char *key, const char *value)
{
	if (value && *value)
		oci_annots_set(a, key, value);
}

static int from_experiment(struct pack_inputs *in, const char *path)
{
	struct experiment_summary s;
	struct xp_error err;
	size_t i;

	xp_error_clear(&err);
	if (experiment_summarize(path, &s, &err))
		return cmd_fail(&err);
	set_opt(&in->annots, BUNDLE_ANN_TITLE, s.model_name ? s.model_name : s.name);
	set_opt(&in->annots, BUNDLE_ANN_VERSION, s.model_version);
	set_opt(&in->annots, BUNDLE_ANN_REVISION, s.code_commit);
	set_opt(&in->annots, BUNDLE_ANN_SOURCE, s.code_repository);
	set_opt(&in->annots, BUNDLE_ANN_LICENSES, s.model_license);
	set_opt(&in->annots, BUNDLE_ANN_AUTHORS, s.owner);
	set_opt(&in->annots, BUNDLE_ANN_DESCRIPTION, s.description);
	set_opt(&in->annots, BUNDLE_ANN_EXPERIMENT_ID, s.id);
	set_opt(&in->annots, BUNDLE_ANN_EXPERIMENT_DIGEST, s.digest);
	if (s.objective_metric && s.objective_direction) {
		char *obj = xasprintf("%s:%s", s.objective_metric, s.objective_direction);

		oci_annots_set(&in->annots, BUNDLE_ANN_OBJECTIVE, obj);
		free(obj);
	}
	set_opt(&in->annots, BUNDLE_ANN_METRICS, s.metrics_json);
	if (s.params_json && strcmp(s.params_json, "{}") != 0)
		oci_annots_set(&in->annots, BUNDLE_ANN_PARAMETERS, s.params_json);
	set_opt(&in->annots, BUNDLE_ANN_FRAMEWORK, s.model_framework);
	set_opt(&in->annots, BUNDLE_ANN_FORMAT, s.model_format);
	in->listed = s.n_model_files > 0;
	for (i = 0; i < s.n_model_files; i++)
		add_expect(in, s.model_files[i].resolved,
			   s.model_files[i].digest ? s.model_files[i].digest : "(no digest)",
			   s.model_files[i].where);
	experiment_summary_release(&s);
	add_input(in, path, dest_of(in, BUNDLE_DIR "/" BUNDLE_EXPERIMENT_FILE));
	add_expect(in, path, NULL, NULL);
	return 0;
}

/* The decision record: a top-level object whose "verdict" is "pass" or "fail". */
static int from_decision(struct pack_inputs *in, const char *path)
{
	struct xp_error err;
	json_error_t je;
	json_t *root = NULL;
	const char *v;
	char *buf = NULL, digest[XP_DIGEST_SIZE];
	size_t len;
	int ret;

	xp_error_clear(&err);
	if (file_read_all(path, DECISION_MAX, &buf, &len, &err))
		return cmd_fail(&err);
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		xp_error_at(&err, XP_ERR_MALFORMED, path, (unsigned)je.line, (unsigned)je.column,
			    "%s", je.text);
		ret = cmd_fail(&err);
		goto out;
	}
	v = decision_verdict(root);
	if (!v) {
		xp_error_set(&err, XP_ERR_MALFORMED,
			     "malformed decision record '%s': expected a \"verdict\" of \"pass\", \"pass-with-waivers\" or \"fail\"",
			     path);
		ret = cmd_fail(&err);
		goto out;
	}
	oci_annots_set(&in->annots, BUNDLE_ANN_VERDICT, v);
	digest_buf(buf, len, digest);
	oci_annots_set(&in->annots, BUNDLE_ANN_DECISION_DIGEST, digest);
	add_input(in, path, dest_of(in, BUNDLE_DIR "/" BUNDLE_DECISION_FILE));
	add_expect(in, path, NULL, NULL);
	ret = 0;
out:
	json_decref(root);
	free(buf);
	return ret;
}

/* The data profile: checked as drift will read it; its digest annotated. */
static int from_profile(struct pack_inputs *in, const char *path)
{
	struct xp_error err;
	struct profile p;
	char *buf = NULL, digest[XP_DIGEST_SIZE];
	size_t len;
	int ret = 0;

	xp_error_clear(&err);
	if (file_read_all(path, BUNDLE_PROFILE_MAX, &buf, &len, &err) ||
	    profile_load_buf(buf, len, path, &p, &err)) {
		free(buf);
		return cmd_fail(&err);
	}
	profile_release(&p);
	digest_buf(buf, len, digest);
	oci_annots_set(&in->annots, BUNDLE_ANN_PROFILE_DIGEST, digest);
	add_input(in, path, dest_of(in, BUNDLE_DIR "/" BUNDLE_PROFILE_FILE));
	free(buf);
	return ret;
}

int pack_meta_collect(struct pack_inputs *in, const char *experiment, const char *decision,
		      const char *profile, const struct oci_annots *labels)
{
	size_t i;
	int ret;

	if (experiment && (ret = from_experiment(in, experiment)))
		return ret;
	if (decision && (ret = from_decision(in, decision)))
		return ret;
	if (profile && (ret = from_profile(in, profile)))
		return ret;
	for (i = 0; i < labels->n; i++)
		oci_annots_set(&in->annots, labels->v[i].key, labels->v[i].value);
	return 0;
}
