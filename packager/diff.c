/*
 * diff.c — two bundles compared (diff.h). The comparison is built as one
 * JSON document; the text form is rendered from it.
 */
#include "packager/diff.h"

#include "common/base64.h"
#include "common/jsonout.h"
#include "common/strbuf.h"
#include "packager/bundle.h"
#include "packager/dsse.h"
#include "packager/sign.h"
#include "packager/sign_impl.h"
#include "packager/tar.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest layer opened to list its files (pack's small-files layer). */
#define SMALL_LAYER_MAX (16u << 20)

/* What one side says about itself. */
struct side {
	struct bundle_info info;
	json_t *metrics, *params;        /* objects (maybe empty) */
	json_t *provenance, *decision;   /* predicates, or NULL */
	size_t n_sig, n_att;
	json_t *predicates;              /* array of predicate types */
};

static void side_release(struct side *x)
{
	bundle_info_release(&x->info);
	json_decref(x->metrics);
	json_decref(x->params);
	json_decref(x->provenance);
	json_decref(x->decision);
	json_decref(x->predicates);
}

static json_t *obj_from(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;

	if (!json_is_object(j)) {
		json_decref(j);
		j = json_object();
	}
	return j;
}

/* The predicate of a DSSE envelope's in-toto statement (unverified). */
static json_t *envelope_predicate(const char *env, size_t len)
{
	json_t *e = json_loadb(env, len, 0, NULL), *st = NULL, *p = NULL;
	const char *b = json_string_value(json_object_get(e, "payload"));
	unsigned char *payload = NULL;
	size_t plen;

	if (b && b64_decode_loose(b, strlen(b), &payload, &plen) == 0)
		st = json_loadb((const char *)payload, plen, 0, NULL);
	p = json_object_get(st, "predicate");
	json_incref(p);
	json_decref(st);
	json_decref(e);
	free(payload);
	return p;
}

static int read_attestations(struct store *s, const char *digest, struct side *x,
			     struct xp_error *err)
{
	struct oci_manifest am;
	char *tag = sign_companion_tag(digest, ".att");
	size_t i;
	int found, ret = -1;

	x->predicates = json_array();
	if (companion_load(s, tag, &am, NULL, &found, err))
		goto out;
	x->n_att = found ? am.n_layers : 0;
	for (i = 0; found && i < am.n_layers; i++) {
		const char *pt = oci_annots_get(&am.layers[i].annotations, ATT_ANN_PREDICATE_TYPE);
		json_t **slot = NULL;
		char *env;
		size_t len;

		json_array_append_new(x->predicates, json_string(pt ? pt : ""));
		if (pt && strcmp(pt, SLSA_PROVENANCE_V1) == 0)
			slot = &x->provenance;
		else if (pt && strcmp(pt, XP_PREDICATE_DECISION) == 0)
			slot = &x->decision;
		if (!slot || *slot)
			continue;
		if (store_fetch_all(s, &am.layers[i].desc, SIGN_BLOB_MAX, &env, &len, err))
			goto out;
		*slot = envelope_predicate(env, len);
		free(env);
	}
	oci_manifest_release(&am);
	free(tag);
	tag = sign_companion_tag(digest, ".sig");
	if (companion_load(s, tag, &am, NULL, &found, err))
		goto out;
	x->n_sig = found ? am.n_layers : 0;
	ret = 0;
out:
	oci_manifest_release(&am);
	free(tag);
	return ret;
}

static int side_read(const struct diff_side *d, struct side *x, struct xp_error *err)
{
	memset(x, 0, sizeof(*x));
	if (bundle_inspect(d->s, d->m, &x->info, err))
		return -1;
	x->metrics = obj_from(oci_annots_get(&x->info.meta, BUNDLE_ANN_METRICS));
	x->params = obj_from(oci_annots_get(&x->info.meta, BUNDLE_ANN_PARAMETERS));
	return read_attestations(d->s, x->info.desc.digest, x, err);
}

/* ---- the comparison ---- */

static json_t *or_null(json_t *v)
{
	return v ? json_incref(v), v : json_null();
}

/* Changed entries of two objects: [{name, a, b}] (all with `all`). */
static json_t *compare_objects(json_t *a, json_t *b, int all)
{
	json_t *out = json_array(), *keys = json_object(), *v;
	const char *k;

	json_object_foreach(a, k, v)
		json_object_set(keys, k, json_true());
	json_object_foreach(b, k, v)
		json_object_set(keys, k, json_true());
	json_object_foreach(keys, k, v) {
		json_t *va = json_object_get(a, k), *vb = json_object_get(b, k);

		if (!all && va && vb && json_equal(va, vb))
			continue;
		json_array_append_new(out, json_pack("{s:s,s:o,s:o}", "name", k, "a", or_null(va),
						     "b", or_null(vb)));
	}
	json_decref(keys);
	return out;
}

/* "higher", "lower" or NULL for a metric. */
static const char *direction(const struct side *x, const char *metric)
{
	json_t *r;
	size_t i;
	const char *obj = oci_annots_get(&x->info.meta, BUNDLE_ANN_OBJECTIVE);

	json_array_foreach(json_object_get(x->decision, "rules"), i, r) {
		const char *m = json_string_value(json_object_get(r, "metric"));
		const char *d = json_string_value(json_object_get(r, "direction"));

		if (m && d && strcmp(m, metric) == 0)
			return strcmp(d, "lower") == 0 ? "lower" : "higher";
	}
	if (obj) {
		size_t n = strcspn(obj, ":");

		if (strlen(metric) == n && strncmp(obj, metric, n) == 0 && obj[n] == ':')
			return strcmp(obj + n + 1, "minimize") == 0 ? "lower" : "higher";
	}
	return NULL;
}

static json_t *compare_metrics(const struct side *a, const struct side *b)
{
	json_t *rows = compare_objects(a->metrics, b->metrics, 1), *r;
	size_t i;

	json_array_foreach(rows, i, r) {
		const char *name = json_string_value(json_object_get(r, "name"));
		const char *dir = direction(b, name) ? direction(b, name) : direction(a, name);
		json_t *va = json_object_get(r, "a"), *vb = json_object_get(r, "b");
		const char *change = "n/a";

		json_object_set_new(r, "direction", dir ? json_string(dir) : json_null());
		if (json_is_number(va) && json_is_number(vb)) {
			double d = json_number_value(vb) - json_number_value(va);
			char buf[32];

			/* 12 significant digits: 0.85 - 0.8 is 0.05, not 0.04999999999999993 */
			snprintf(buf, sizeof(buf), "%.12g", d);
			d = strtod(buf, NULL);
			json_object_set_new(r, "delta", json_real(d));
			if (d == 0)
				change = "same";
			else if (dir)
				change = (d > 0) == (strcmp(dir, "higher") == 0) ? "better" : "worse";
			else
				change = "changed";
		} else {
			json_object_set_new(r, "delta", json_null());
		}
		json_object_set_new(r, "change", json_string(change));
	}
	return rows;
}

/* resolvedDependencies of a provenance as {name: digest-or-commit}. */
static json_t *deps(const struct side *x)
{
	json_t *out = json_object(), *d;
	size_t i;
	json_t *list = json_object_get(json_object_get(x->provenance, "buildDefinition"),
				       "resolvedDependencies");

	json_array_foreach(list, i, d) {
		const char *name = json_string_value(json_object_get(d, "name"));
		json_t *dg = json_object_get(d, "digest"), *v;
		const char *k;

		if (!name)
			continue;
		json_object_foreach(dg, k, v)
			if (json_is_string(v)) {
				json_object_set_new(out, name, json_sprintf("%s:%s", k,
									    json_string_value(v)));
				break;
			}
	}
	return out;
}

static const char *layer_path(const struct oci_entry *l)
{
	return oci_annots_get(&l->annotations, BUNDLE_ANN_LAYER_PATH);
}

static int has_layer(const struct oci_manifest *m, const char *digest)
{
	size_t i;

	for (i = 0; i < m->n_layers; i++)
		if (strcmp(m->layers[i].desc.digest, digest) == 0)
			return 1;
	return 0;
}

/* The files of a small uncompressed layer (the one pack puts every file of
 * less than 1 MiB in) into files: path -> {size, digest}. 0 when the layer is
 * not one to open (compressed, large, not a tar); -1 on a store error. */
static int layer_files(struct store *s, const struct oci_entry *l, json_t *files,
		       struct xp_error *err)
{
	struct tar_index ix = {0};
	struct xp_error e;
	char *buf = NULL, dg[XP_DIGEST_SIZE];
	size_t len, i;
	FILE *f = NULL;
	int ret = 0;

	if (strcmp(l->desc.media_type, OCI_MT_LAYER) != 0 || l->desc.size > SMALL_LAYER_MAX)
		return 0;
	if (store_fetch_all(s, &l->desc, SMALL_LAYER_MAX, &buf, &len, err))
		return -1;
	f = tmpfile();
	if (!f || fwrite(buf, 1, len, f) != len || fflush(f) ||
	    tar_scan(fileno(f), len, l->desc.digest, &ix, &e))
		goto out;
	for (i = 0; i < ix.n; i++) {
		digest_buf(buf + ix.v[i].offset, (size_t)ix.v[i].size, dg);
		json_object_set_new(files, ix.v[i].name,
				    json_pack("{s:I,s:s}", "size", (json_int_t)ix.v[i].size,
					      "digest", dg));
	}
	ret = 1;
out:
	tar_index_release(&ix);
	if (f)
		fclose(f);
	free(buf);
	return ret;
}

/* Every file of a side: path -> {size, digest, layer?}. A file with a layer
 * of its own is compared by that layer (its size is the layer's); a layer
 * that cannot be opened stands for itself as "(layer <digest>)". */
static int side_files(struct store *s, const struct oci_manifest *m, json_t **out,
		      struct xp_error *err)
{
	json_t *files = json_object();
	size_t i;

	for (i = 0; i < m->n_layers; i++) {
		const struct oci_entry *l = &m->layers[i];
		int r;

		if (layer_path(l)) {
			json_object_set_new(files, layer_path(l),
					    json_pack("{s:I,s:s,s:b}", "size", (json_int_t)l->desc.size,
						      "digest", l->desc.digest, "layer", 1));
			continue;
		}
		r = layer_files(s, l, files, err);
		if (r < 0) {
			json_decref(files);
			return -1;
		}
		if (r == 0) {
			char *name = xasprintf("(layer %s)", l->desc.digest);

			json_object_set_new(files, name,
					    json_pack("{s:I,s:s,s:b}", "size", (json_int_t)l->desc.size,
						      "digest", l->desc.digest, "layer", 1));
			free(name);
		}
	}
	*out = files;
	return 0;
}

static json_t *file_row(const char *path, json_t *x, json_t *y)
{
	const char *status = !x ? "added" : !y ? "removed"
			   : json_equal(json_object_get(x, "digest"), json_object_get(y, "digest"))
				   ? "same" : "changed";

	return json_pack("{s:s,s:O,s:O,s:s,s:b}", "path", path,
			 "a", x ? json_object_get(x, "size") : json_null(),
			 "b", y ? json_object_get(y, "size") : json_null(), "status", status,
			 "layer", json_is_true(json_object_get(x ? x : y, "layer")));
}

static int cmp_name(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int compare_files(const struct diff_side *da, const struct diff_side *db,
			 const struct oci_manifest *a, const struct oci_manifest *b,
			 json_t **files, json_t **layers, struct xp_error *err)
{
	json_t *fa = NULL, *fb = NULL, *v;
	const char *k, **names;
	size_t i, n = 0, shared = 0, only_a = 0, only_b = 0;
	json_int_t shared_bytes = 0;

	if (side_files(da->s, a, &fa, err) || side_files(db->s, b, &fb, err)) {
		json_decref(fa);
		return -1;
	}
	names = xcalloc(json_object_size(fa) + json_object_size(fb) + 1, sizeof(*names));
	json_object_foreach(fa, k, v)
		names[n++] = k;
	json_object_foreach(fb, k, v)
		if (!json_object_get(fa, k))
			names[n++] = k;
	qsort(names, n, sizeof(*names), cmp_name);
	*files = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(*files, file_row(names[i], json_object_get(fa, names[i]),
						       json_object_get(fb, names[i])));
	free(names);
	for (i = 0; i < a->n_layers; i++) {
		if (has_layer(b, a->layers[i].desc.digest)) {
			shared++;
			shared_bytes += a->layers[i].desc.size;
		} else {
			only_a++;
		}
	}
	for (i = 0; i < b->n_layers; i++)
		only_b += !has_layer(a, b->layers[i].desc.digest);
	*layers = json_pack("{s:I,s:I,s:I,s:I}", "shared", (json_int_t)shared, "shared_bytes",
			    shared_bytes, "only_a", (json_int_t)only_a, "only_b", (json_int_t)only_b);
	json_decref(fa);
	json_decref(fb);
	return 0;
}

static json_t *annots_obj(const struct oci_annots *a)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].key, BUNDLE_ANN_METRICS) != 0 &&
		    strcmp(a->v[i].key, BUNDLE_ANN_PARAMETERS) != 0)
			json_object_set_new(o, a->v[i].key, json_string(a->v[i].value));
	return o;
}

static json_t *sigs(const struct side *x)
{
	return json_pack("{s:I,s:I,s:O}", "signatures", (json_int_t)x->n_sig, "attestations",
			 (json_int_t)x->n_att, "predicates", x->predicates);
}

static json_t *build(const struct diff_side *da, const struct diff_side *db,
		     const struct side *a, const struct side *b, struct xp_error *err)
{
	json_t *root, *la, *lb, *pa, *pb, *layers, *files;

	if (compare_files(da, db, &a->info.manifest, &b->info.manifest, &files, &layers, err))
		return NULL;
	root = json_object();
	la = annots_obj(&a->info.meta);
	lb = annots_obj(&b->info.meta);
	pa = deps(a);
	pb = deps(b);

	json_object_set_new(root, "a", json_pack("{s:s,s:s}", "ref", da->name, "digest",
						 a->info.desc.digest));
	json_object_set_new(root, "b", json_pack("{s:s,s:s}", "ref", db->name, "digest",
						 b->info.desc.digest));
	json_object_set_new(root, "parameters", compare_objects(a->params, b->params, 0));
	json_object_set_new(root, "metrics", compare_metrics(a, b));
	json_object_set_new(root, "data", compare_objects(pa, pb, 0));
	json_object_set_new(root, "files", files);
	json_object_set_new(root, "layers", layers);
	json_object_set_new(root, "labels", compare_objects(la, lb, 0));
	json_object_set_new(root, "signatures", json_pack("{s:o,s:o}", "a", sigs(a), "b", sigs(b)));
	json_decref(la);
	json_decref(lb);
	json_decref(pa);
	json_decref(pb);
	return root;
}

/* ---- text ---- */

static char *val(json_t *v)
{
	if (!v || json_is_null(v))
		return xstrdup("-");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_number(v)) {
		char buf[XP_NUM_SIZE];

		return xstrdup(xp_num_format(json_number_value(v), buf));
	}
	return json_dumps_exact(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static void section(struct strbuf *sb, const char *title, json_t *rows, int metrics)
{
	json_t *r;
	size_t i, w = 0;

	strbuf_addf(sb, "\n%s%s\n", title, json_array_size(rows) ? "" : ": no change");
	json_array_foreach(rows, i, r) {
		size_t l = strlen(json_string_value(json_object_get(r, "name")));

		w = l > w ? l : w;
	}
	json_array_foreach(rows, i, r) {
		char *a = val(json_object_get(r, "a")), *b = val(json_object_get(r, "b"));

		strbuf_addf(sb, "  %-*s  %s -> %s", (int)w,
			    json_string_value(json_object_get(r, "name")), a, b);
		if (metrics) {
			json_t *d = json_object_get(r, "delta");
			char *ds = val(d);
			const char *dir = json_string_value(json_object_get(r, "direction"));

			strbuf_addf(sb, "  (%s%s, %s%s%s)", json_is_number(d) &&
				    json_number_value(d) > 0 ? "+" : "", ds,
				    json_string_value(json_object_get(r, "change")),
				    dir ? ", " : "", dir ? dir : "");
			free(ds);
		}
		strbuf_addc(sb, '\n');
		free(a);
		free(b);
	}
}

static void files_text(struct strbuf *sb, json_t *root)
{
	json_t *files = json_object_get(root, "files"), *l = json_object_get(root, "layers"), *r;
	size_t i;

	strbuf_adds(sb, "\nfiles\n");
	json_array_foreach(files, i, r) {
		const char *st = json_string_value(json_object_get(r, "status"));
		char *a = val(json_object_get(r, "a")), *b = val(json_object_get(r, "b"));

		strbuf_addf(sb, "  %c %s  %s -> %s bytes%s\n",
			    strcmp(st, "added") == 0 ? '+' : strcmp(st, "removed") == 0 ? '-'
				: strcmp(st, "changed") == 0 ? '~' : '=',
			    json_string_value(json_object_get(r, "path")), a, b,
			    json_is_true(json_object_get(r, "layer")) ? " (layer)" : "");
		free(a);
		free(b);
	}
	strbuf_addf(sb, "  layers: %lld shared (%lld bytes), %lld only in A, %lld only in B\n",
		    (long long)json_integer_value(json_object_get(l, "shared")),
		    (long long)json_integer_value(json_object_get(l, "shared_bytes")),
		    (long long)json_integer_value(json_object_get(l, "only_a")),
		    (long long)json_integer_value(json_object_get(l, "only_b")));
}

static char *text(json_t *root)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *s = json_object_get(root, "signatures");
	const char *side[2] = {"a", "b"};
	size_t i;

	strbuf_addf(&sb, "A  %s  %s\nB  %s  %s\n",
		    json_string_value(json_object_get(json_object_get(root, "a"), "ref")),
		    json_string_value(json_object_get(json_object_get(root, "a"), "digest")),
		    json_string_value(json_object_get(json_object_get(root, "b"), "ref")),
		    json_string_value(json_object_get(json_object_get(root, "b"), "digest")));
	section(&sb, "parameters", json_object_get(root, "parameters"), 0);
	section(&sb, "metrics (delta = B - A)", json_object_get(root, "metrics"), 1);
	section(&sb, "data and code", json_object_get(root, "data"), 0);
	files_text(&sb, root);
	section(&sb, "labels", json_object_get(root, "labels"), 0);
	strbuf_adds(&sb, "\nsignatures\n");
	for (i = 0; i < 2; i++) {
		json_t *x = json_object_get(s, side[i]);

		strbuf_addf(&sb, "  %c: %lld signature(s), %lld attestation(s)\n", side[i][0] - 32,
			    (long long)json_integer_value(json_object_get(x, "signatures")),
			    (long long)json_integer_value(json_object_get(x, "attestations")));
	}
	return strbuf_detach(&sb, NULL);
}

int bundle_diff(const struct diff_side *da, const struct diff_side *db, int json, char **out,
		struct xp_error *err)
{
	struct side a, b;
	json_t *root;
	int ret = -1;

	memset(&b, 0, sizeof(b));
	if (side_read(da, &a, err) || side_read(db, &b, err))
		goto out;
	root = build(da, db, &a, &b, err);
	if (!root)
		goto out;
	if (json) {
		char *j = json_dumps_exact(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		*out = xasprintf("%s\n", j);
		free(j);
	} else {
		*out = text(root);
	}
	json_decref(root);
	ret = 0;
out:
	side_release(&a);
	side_release(&b);
	return ret;
}
