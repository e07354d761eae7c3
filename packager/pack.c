/*
 * pack.c — model files into a deterministic OCI bundle (see pack.h): plan the
 * layers, write them, build config and manifest, tag, commit.
 */
#include "packager/pack.h"
#include "packager/modelpack.h"
#include "packager/bundle.h"
#include "packager/image.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "common/timeutil.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int platform_word(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

int pack_platform_parse(const char *s, struct oci_platform *p, struct xp_error *err)
{
	const char *a = strchr(s, '/'), *v = a ? strchr(a + 1, '/') : NULL;
	const char *end = s + strlen(s);

	if (!a || !platform_word(s, (size_t)(a - s)) ||
	    !platform_word(a + 1, (size_t)((v ? v : end) - a - 1)) ||
	    (v && !platform_word(v + 1, (size_t)(end - v - 1))))
		return xp_error_set(err, XP_ERR_USAGE,
				    "invalid platform '%s': expected OS/ARCH[/VARIANT], e.g. linux/amd64", s);
	p->os = xstrndup(s, (size_t)(a - s));
	p->architecture = xstrndup(a + 1, (size_t)((v ? v : end) - a - 1));
	p->variant = v ? xstrdup(v + 1) : NULL;
	return 0;
}

void pack_platform_release(struct oci_platform *p)
{
	free(p->os);
	free(p->architecture);
	free(p->variant);
	memset(p, 0, sizeof(*p));
}

/* ---- planning ---- */

struct plan {
	const struct tree_entry **v;
	size_t n;
	const struct tree_entry *subject;   /* the one file of a single-file layer */
};

static int cmp_entry_name(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const struct tree_entry *)elem)->name);
}

/* The directories leading to e, then e. */
static void plan_single(const struct tree *t, const struct tree_entry *e, struct plan *p)
{
	const char *s;

	memset(p, 0, sizeof(*p));
	p->v = xcalloc(strlen(e->name) + 1, sizeof(*p->v));
	for (s = strchr(e->name, '/'); s; s = strchr(s + 1, '/')) {
		char *dir = xstrndup(e->name, (size_t)(s - e->name));
		const struct tree_entry *d = bsearch(dir, t->v, t->n, sizeof(*t->v), cmp_entry_name);

		if (d)
			p->v[p->n++] = d;
		free(dir);
	}
	p->v[p->n++] = e;
	p->subject = e;
}

/* 1 when the directory d holds, at any depth, the subject of a planned layer. */
static int holds_single(const struct tree_entry *d, const struct plan *pl, size_t npl)
{
	size_t i;

	for (i = 0; i < npl; i++)
		if (pl[i].subject && tree_is_ancestor(d->name, pl[i].subject->name))
			return 1;
	return 0;
}

static int cmp_plan(const void *a, const void *b)
{
	return strcmp(((const struct plan *)a)->subject->name,
		      ((const struct plan *)b)->subject->name);
}

/* Image: large files alone, the rest together (last, when it holds anything
 * the large layers do not). ModelPack: every file and link alone, and every
 * directory that holds none of them (an empty one) alone, in name order. */
static void plan_layers(const struct tree *t, enum pack_format f, uint64_t large,
			struct plan **out, size_t *nout)
{
	struct plan *pl = xcalloc(t->n + 1, sizeof(*pl)), rest;
	size_t i, n = 0;
	int useful = 0;

	for (i = 0; i < t->n; i++) {
		const struct tree_entry *e = &t->v[i];

		if ((f == PACK_IMAGE && e->type == TREE_FILE &&
		     (e->size >= large || bundle_is_profile_path(e->name))) ||
		    (f == PACK_MODELPACK && e->type != TREE_DIR))
			plan_single(t, e, &pl[n++]);
	}
	if (f == PACK_MODELPACK) {
		/* deepest first, so a parent sees its empty child's layer */
		for (i = t->n; i-- > 0;)
			if (t->v[i].type == TREE_DIR && !holds_single(&t->v[i], pl, n))
				plan_single(t, &t->v[i], &pl[n++]);
		if (n)
			qsort(pl, n, sizeof(*pl), cmp_plan);
		*out = pl;
		*nout = n;
		return;
	}
	memset(&rest, 0, sizeof(rest));
	rest.v = xcalloc(t->n + 1, sizeof(*rest.v));
	for (i = 0; i < t->n; i++) {
		const struct tree_entry *e = &t->v[i];

		if (e->type == TREE_FILE && (e->size >= large || bundle_is_profile_path(e->name)))
			continue;
		if (e->type != TREE_DIR || !holds_single(e, pl, n))
			useful = 1;
		rest.v[rest.n++] = e;
	}
	if (useful)
		pl[n++] = rest;
	else
		free(rest.v);
	*out = pl;
	*nout = n;
}

static void plans_free(struct plan *pl, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(pl[i].v);
	free(pl);
}

/* ---- writing ---- */

struct packer {
	const struct pack_opts *o;
	struct store *out;
	struct store *base_store;
	struct image_base base;
	int have_base;
	struct oci_platform platform;
	struct oci_annots annots;          /* with created */
	char created[64];
	uint64_t large;
	struct image_layer *layers;
	size_t n_layers;
};

static int write_layer(struct packer *pk, const struct tree *t, const struct plan *p,
		       struct xp_error *err)
{
	struct layer_opts lo;
	struct layer_result r;
	struct image_layer *il;
	const struct tree_entry *subj = p->subject;
	const char *label = subj ? subj->name : "small files";
	char mt[128];

	(void)t;
	memset(&lo, 0, sizeof(lo));
	lo.compression = pk->o->compression;
	lo.mtime = pk->o->epoch;
	lo.progress = pk->o->progress;
	lo.label = label;
	if (layer_write(pk->out, p->v, p->n, &lo, &r, err))
		return -1;
	pk->layers = xrealloc(pk->layers, (pk->n_layers + 1) * sizeof(*pk->layers));
	il = &pk->layers[pk->n_layers++];
	memset(il, 0, sizeof(*il));
	if (pk->o->format == PACK_MODELPACK) {
		char mtime[32], *meta;

		snprintf(mt, sizeof(mt), "application/vnd.cncf.model.%s.v1.%s",
			 modelpack_kind(subj->name, subj->type == TREE_FILE ? subj->size : 0), layer_suffix(pk->o->compression));
		xp_time_format(pk->o->epoch, mtime);
		meta = image_file_metadata(tree_basename(subj->name), subj->mode,
					   subj->type == TREE_FILE ? subj->size : 0, mtime,
					   subj->type == TREE_DIR ? '5' : subj->type == TREE_LINK ? '2' : '0');
		oci_annots_set(&il->entry.annotations, MODELPACK_ANN_FILEPATH, subj->name);
		oci_annots_set(&il->entry.annotations, MODELPACK_ANN_FILE_METADATA, meta);
		free(meta);
	} else {
		snprintf(mt, sizeof(mt), "application/vnd.oci.image.layer.v1.%s",
			 layer_suffix(pk->o->compression));
		if (subj)
			oci_annots_set(&il->entry.annotations, BUNDLE_ANN_LAYER_PATH, subj->name);
	}
	il->entry.desc.media_type = xstrdup(mt);
	memcpy(il->entry.desc.digest, r.digest, sizeof(r.digest));
	il->entry.desc.size = (int64_t)r.size;
	memcpy(il->diff_id, r.diff_id, sizeof(r.diff_id));
	il->comment = xstrdup(label);
	return 0;
}

/* Base layers into the output store (present ones are skipped). */
static int copy_base(struct packer *pk, struct xp_error *err)
{
	size_t i;

	for (i = 0; i < pk->base.manifest.n_layers; i++) {
		const struct oci_desc *d = &pk->base.manifest.layers[i].desc;
		struct xp_reader *r;

		if (store_fetch(pk->base_store, d, &r, err) || store_push(pk->out, d, r, err))
			return -1;
	}
	return 0;
}

static int write_manifest(struct packer *pk, struct oci_desc *out, struct xp_error *err)
{
	struct oci_manifest m;
	char *cfg = NULL, *json = NULL;
	size_t i, len;
	int ret = -1;

	memset(&m, 0, sizeof(m));
	m.media_type = xstrdup(OCI_MT_MANIFEST);
	if (pk->o->format == PACK_MODELPACK) {
		m.artifact_type = xstrdup(MODELPACK_MT_MANIFEST);
		cfg = image_modelpack_config_build(&pk->annots, pk->created, pk->layers,
						   pk->n_layers, &len);
	} else {
		cfg = image_config_build(pk->have_base ? &pk->base : NULL, &pk->platform,
					 pk->created, &pk->annots, pk->layers, pk->n_layers, &len, err);
		if (!cfg)
			goto out;
	}
	if (store_push_buf(pk->out, pk->o->format == PACK_MODELPACK ? MODELPACK_MT_CONFIG
				    : OCI_MT_CONFIG, cfg, len, &m.config.desc, err))
		goto out;
	if (pk->have_base)
		for (i = 0; i < pk->base.manifest.n_layers; i++)
			oci_manifest_add_layer(&m, &pk->base.manifest.layers[i]);
	for (i = 0; i < pk->n_layers; i++)
		oci_manifest_add_layer(&m, &pk->layers[i].entry);
	oci_annots_copy(&m.annotations, &pk->annots);
	json = oci_manifest_build(&m, &len);
	ret = store_push_buf(pk->out, OCI_MT_MANIFEST, json, len, out, err);
out:
	free(cfg);
	free(json);
	oci_manifest_release(&m);
	return ret;
}

static int check_annots(const struct oci_annots *a, struct xp_error *err)
{
	size_t i;

	for (i = 0; a && i < a->n; i++) {
		json_t *k = json_string(a->v[i].key), *v = json_string(a->v[i].value);
		int ok = k && v && *a->v[i].key;

		json_decref(k);
		json_decref(v);
		if (!ok)
			return xp_error_set(err, XP_ERR_USAGE,
					    "invalid annotation '%.100s': key and value must be non-empty UTF-8",
					    a->v[i].key);
	}
	return 0;
}

static int prepare(struct packer *pk, struct xp_error *err)
{
	const struct pack_opts *o = pk->o;
	const char *created;

	if (check_annots(o->annotations, err))
		return -1;
	if (o->annotations)
		oci_annots_copy(&pk->annots, o->annotations);
	created = oci_annots_get(&pk->annots, BUNDLE_ANN_CREATED);
	if (created)
		snprintf(pk->created, sizeof(pk->created), "%s", created);
	else
		xp_time_format(o->epoch, pk->created);
	oci_annots_set(&pk->annots, BUNDLE_ANN_CREATED, pk->created);
	if (o->platform && pack_platform_parse(o->platform, &pk->platform, err))
		return -1;
	if (o->base) {
		if (o->format != PACK_IMAGE)
			return xp_error_set(err, XP_ERR_USAGE, "a base image needs --format image");
		if (store_open(o->base, o->base_opts, &pk->base_store, err) ||
		    image_base_load(pk->base_store, o->base, &pk->platform, &pk->base, err))
			return -1;
		pk->have_base = 1;
	} else if (!o->platform) {
		pack_platform_parse("linux/amd64", &pk->platform, err);
	}
	return 0;
}

/* What a failed pack must restore a layout OUT to: 0 an existing layout (its
 * writes are atomic and leave it as it was), 1 nothing (OUT did not exist), 2
 * an empty directory. */
static int layout_fresh(const struct xp_ref *out)
{
	struct stat st;

	if (out->kind != REF_LAYOUT)
		return 0;
	if (stat(out->path, &st) < 0)
		return errno == ENOENT ? 1 : 0;
	return S_ISDIR(st.st_mode) && dir_is_empty(out->path) ? 2 : 0;
}

/* 0 when tag `tag` of s may point at m: absent, already m, or its manifest
 * carries no signature, attestation or referrer; else XP_ERR_REFUSED. */
static int check_signed_tag(struct store *s, const char *tag, const struct oci_desc *m,
			    struct xp_error *err)
{
	static const char *const suffix[] = {".sig", ".att"};
	char cur[XP_DIGEST_SIZE], on[XP_DIGEST_SIZE];
	struct oci_desc d, *refs = NULL;
	size_t i, n = 0;
	int ret;

	if (store_tag_target(s, tag, cur, err))
		return -1;
	if (!cur[0] || strcmp(cur, m->digest) == 0)
		return 0;
	for (i = 0; i < 2; i++) {
		char name[96];

		snprintf(name, sizeof(name), "sha256-%s%s", digest_hex(cur), suffix[i]);
		if (store_tag_target(s, name, on, err))
			return -1;
		if (on[0])
			return xp_error_set(err, XP_ERR_REFUSED,
					    "tag '%s' in '%s' names %s, which is %s (%s): "
					    "not replaced without --force", tag, store_name(s), cur,
					    i ? "attested" : "signed", name);
	}
	memset(&d, 0, sizeof(d));
	if (store_resolve(s, tag, &d, err))
		return -1;
	ret = store_referrers(s, &d, &refs, &n, err);
	oci_desc_release(&d);
	oci_descs_free(refs, n);
	if (ret == 0 && n)
		return xp_error_set(err, XP_ERR_REFUSED,
				    "tag '%s' in '%s' names %s, which has %zu referrer%s (signatures or "
				    "attestations): not replaced without --force",
				    tag, store_name(s), cur, n, n == 1 ? "" : "s");
	return ret;
}

int pack_run(const struct xp_ref *out, const char *tag, const struct pack_opts *o,
	     struct oci_desc *manifest, struct xp_error *err)
{
	struct store_opts so;
	struct packer pk;
	struct tree t = {NULL, 0};
	struct plan *pl = NULL;
	struct oci_desc m;
	size_t i, npl = 0;
	int ret = -1, fresh = 0;

	memset(&pk, 0, sizeof(pk));
	memset(&m, 0, sizeof(m));
	pk.o = o;
	pk.large = o->large ? o->large : PACK_LARGE_DEFAULT;
	if (ref_check_tag(tag, err))
		return -1;
	if (prepare(&pk, err) || tree_scan(o->inputs, o->n_inputs, &t, err))
		goto out;
	if (o->expect && pack_check_listed(&t, o->expect, o->n_expect, o->allow_unlisted, err))
		goto out;
	memset(&so, 0, sizeof(so));
	so.create = 1;
	so.progress = o->progress;
	fresh = layout_fresh(out);
	if (store_open(out, &so, &pk.out, err))
		goto out;
	if (pk.have_base && copy_base(&pk, err))
		goto out;
	plan_layers(&t, o->format, pk.large, &pl, &npl);
	for (i = 0; i < npl; i++)
		if (write_layer(&pk, &t, &pl[i], err))
			goto out;
	if (write_manifest(&pk, &m, err) ||
	    (!o->force && check_signed_tag(pk.out, tag, &m, err)) ||
	    store_tag(pk.out, &m, tag, err) || store_commit(pk.out, err))
		goto out;
	*manifest = m;
	memset(&m, 0, sizeof(m));
	ret = 0;
out:
	oci_desc_release(&m);
	plans_free(pl, npl);
	tree_release(&t);
	image_layers_free(pk.layers, pk.n_layers);
	image_base_release(&pk.base);
	store_close(pk.base_store);
	store_close(pk.out);
	if (ret && fresh)   /* a refused pack leaves no half-made layout behind */
		rm_tree(out->path, fresh == 2);
	oci_annots_release(&pk.annots);
	pack_platform_release(&pk.platform);
	return ret;
}
