/*
 * image.c — image config, ModelPack config and base images for `pack` (see
 * image.h).
 */
#include "packager/image.h"
#include "packager/bundle.h"
#include "packager/store.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_MAX (16u << 20)

void image_layers_free(struct image_layer *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		oci_entry_release(&v[i].entry);
		free(v[i].comment);
	}
	free(v);
}

static void set_new(json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v))
		abort(); /* allocation failure */
}

static void append_new(json_t *a, json_t *v)
{
	if (!v || json_array_append_new(a, v))
		abort();
}

/* ---- base images ---- */

void image_base_release(struct image_base *b)
{
	if (!b)
		return;
	oci_manifest_release(&b->manifest);
	free(b->config);
	oci_config_info_release(&b->info);
	memset(b, 0, sizeof(*b));
}

static int platform_eq(const struct oci_platform *a, const char *os, const char *arch,
		       const char *variant)
{
	return a->os && a->architecture && strcmp(a->os, os) == 0 &&
	       strcmp(a->architecture, arch) == 0 &&
	       (!variant || (a->variant && strcmp(a->variant, variant) == 0));
}

static void platform_text(char *buf, size_t n, const char *os, const char *arch,
			  const char *variant)
{
	snprintf(buf, n, "%s/%s%s%s", os ? os : "?", arch ? arch : "?", variant ? "/" : "",
		 variant ? variant : "");
}

/* From an index, the manifest for the wanted platform. */
static int pick_from_index(struct store *s, struct oci_desc *desc, const struct oci_platform *want,
			   struct xp_error *err)
{
	const char *os = want->os ? want->os : "linux";
	const char *arch = want->os ? want->architecture : "amd64";
	const char *variant = want->os ? want->variant : NULL;
	struct oci_index ix;
	char *buf = NULL, plat[128];
	size_t i, len;
	int ret = -1;

	if (store_fetch_all(s, desc, OCI_MANIFEST_MAX, &buf, &len, err))
		return -1;
	if (oci_index_parse(buf, len, desc->digest, &ix, err))
		goto out;
	for (i = 0; i < ix.n_manifests; i++) {
		if (platform_eq(&ix.manifests[i].platform, os, arch, variant) &&
		    !oci_is_index_type(ix.manifests[i].desc.media_type)) {
			oci_desc_release(desc);
			oci_desc_copy(desc, &ix.manifests[i].desc);
			ret = 0;
			goto out;
		}
	}
	platform_text(plat, sizeof(plat), os, arch, variant);
	xp_error_set(err, XP_ERR_NOT_FOUND, "base image '%s' has no manifest for %s", store_name(s), plat);
out:
	oci_index_release(&ix);
	free(buf);
	return ret;
}

static const char *oci_layer_type(const char *mt)
{
	if (strcmp(mt, DOCKER_MT_LAYER_GZIP) == 0)
		return OCI_MT_LAYER_GZIP;
	if (strcmp(mt, OCI_MT_LAYER) == 0 || strcmp(mt, OCI_MT_LAYER_GZIP) == 0 ||
	    strcmp(mt, OCI_MT_LAYER_ZSTD) == 0)
		return mt;
	return NULL;
}

int image_base_load(struct store *s, const struct xp_ref *ref, const struct oci_platform *want,
		    struct image_base *out, struct xp_error *err)
{
	struct image_base b;
	struct oci_desc desc;
	char *buf = NULL, have[128], wanted[128];
	size_t i, len;

	memset(&b, 0, sizeof(b));
	memset(&desc, 0, sizeof(desc));
	if (store_resolve_ref(s, ref, &desc, err))
		return -1;
	if (oci_is_index_type(desc.media_type) && pick_from_index(s, &desc, want, err))
		goto fail;
	if (store_fetch_all(s, &desc, OCI_MANIFEST_MAX, &buf, &len, err) ||
	    oci_manifest_parse(buf, len, desc.digest, &b.manifest, err))
		goto fail;
	free(buf);
	buf = NULL;
	if (!bundle_is_image_config(b.manifest.config.desc.media_type)) {
		xp_error_set(err, XP_ERR_USAGE,
			     "base '%s' is not a container image (config media type '%s')",
			     store_name(s), b.manifest.config.desc.media_type);
		goto fail;
	}
	for (i = 0; i < b.manifest.n_layers; i++) {
		struct oci_desc *l = &b.manifest.layers[i].desc;
		const char *mt = oci_layer_type(l->media_type);

		if (!mt) {
			xp_error_set(err, XP_ERR_USAGE,
				     "base '%s': cannot use layer %zu of media type '%s' (only distributable tar layers)",
				     store_name(s), i, l->media_type);
			goto fail;
		}
		if (mt != l->media_type) {
			free(l->media_type);
			l->media_type = xstrdup(mt);
		}
	}
	if (store_fetch_all(s, &b.manifest.config.desc, CONFIG_MAX, &b.config, &b.config_len, err) ||
	    oci_config_parse(b.config, b.config_len, b.manifest.config.desc.digest, &b.info, err))
		goto fail;
	if (b.info.n_diff_ids != b.manifest.n_layers) {
		xp_error_set(err, XP_ERR_MALFORMED,
			     "malformed base image '%s': %zu layers but %zu diff_ids",
			     store_name(s), b.manifest.n_layers, b.info.n_diff_ids);
		goto fail;
	}
	if (want->os && !oci_is_index_type(desc.media_type) && b.info.os &&
	    (strcmp(want->os, b.info.os) != 0 || !b.info.architecture ||
	     strcmp(want->architecture, b.info.architecture) != 0)) {
		platform_text(have, sizeof(have), b.info.os, b.info.architecture, b.info.variant);
		platform_text(wanted, sizeof(wanted), want->os, want->architecture, want->variant);
		xp_error_set(err, XP_ERR_USAGE, "base '%s' is for %s, not %s", store_name(s), have,
			     wanted);
		goto fail;
	}
	oci_desc_release(&desc);
	*out = b;
	return 0;
fail:
	free(buf);
	oci_desc_release(&desc);
	image_base_release(&b);
	return -1;
}

/* ---- image config ---- */

static json_t *history_entry(const char *created, const char *comment)
{
	json_t *h = json_object();

	set_new(h, "created", json_string(created));
	set_new(h, "created_by", json_string("xpship pack"));
	if (comment)
		set_new(h, "comment", json_string(comment));
	return h;
}

static json_t *ensure_object(json_t *parent, const char *key)
{
	json_t *o = json_object_get(parent, key);

	if (!json_is_object(o)) {
		o = json_object();
		set_new(parent, key, o);
	}
	return o;
}

static json_t *ensure_array(json_t *parent, const char *key)
{
	json_t *a = json_object_get(parent, key);

	if (!json_is_array(a)) {
		a = json_array();
		set_new(parent, key, a);
	}
	return a;
}

/* A new config, keys in the order the image spec lists them. */
static json_t *scratch_config(const struct oci_platform *p, const char *created)
{
	json_t *c = json_object(), *rootfs = json_object();

	set_new(c, "created", json_string(created));
	set_new(c, "architecture", json_string(p->architecture));
	set_new(c, "os", json_string(p->os));
	if (p->variant)
		set_new(c, "variant", json_string(p->variant));
	set_new(c, "config", json_object());
	set_new(rootfs, "type", json_string("layers"));
	set_new(rootfs, "diff_ids", json_array());
	set_new(c, "rootfs", rootfs);
	set_new(c, "history", json_array());
	return c;
}

char *image_config_build(const struct image_base *base, const struct oci_platform *p,
			 const char *created, const struct oci_annots *labels,
			 const struct image_layer *layers, size_t n, size_t *len,
			 struct xp_error *err)
{
	json_t *c, *cfg, *lab, *rootfs, *diff_ids, *history;
	char *s;
	size_t i;

	if (base) {
		if (oci_json_load(base->config, base->config_len, "image config",
				  base->manifest.config.desc.digest, &c, err))
			return NULL;
		if (!json_is_object(c)) {
			json_decref(c);
			xp_error_set(err, XP_ERR_MALFORMED, "malformed image config '%s': expected an object",
				     base->manifest.config.desc.digest);
			return NULL;
		}
		set_new(c, "created", json_string(created));
	} else {
		c = scratch_config(p, created);
	}
	cfg = ensure_object(c, "config");
	if (labels && labels->n) {
		lab = ensure_object(cfg, "Labels");
		for (i = 0; i < labels->n; i++)
			set_new(lab, labels->v[i].key, json_string(labels->v[i].value));
	}
	rootfs = ensure_object(c, "rootfs");
	set_new(rootfs, "type", json_string("layers"));
	diff_ids = ensure_array(rootfs, "diff_ids");
	history = ensure_array(c, "history");
	for (i = 0; i < n; i++) {
		append_new(diff_ids, json_string(layers[i].diff_id));
		append_new(history, history_entry(created, layers[i].comment));
	}
	s = oci_json_dump(c, len);
	json_decref(c);
	return s;
}

/* ---- ModelPack ---- */

static void opt_string(json_t *o, const char *key, const struct oci_annots *ann,
		       const char *annot)
{
	const char *v = oci_annots_get(ann, annot);

	if (v && *v)
		set_new(o, key, json_string(v));
}

static void opt_list(json_t *o, const char *key, const struct oci_annots *ann,
		     const char *annot)
{
	const char *v = oci_annots_get(ann, annot);
	json_t *a;

	if (!v || !*v)
		return;
	a = json_array();
	append_new(a, json_string(v));
	set_new(o, key, a);
}

char *image_modelpack_config_build(const struct oci_annots *ann, const char *created,
				   const struct image_layer *layers, size_t n, size_t *len)
{
	json_t *c = json_object(), *d = json_object(), *cfg = json_object();
	json_t *fs = json_object(), *ids = json_array();
	const char *format = oci_annots_get(ann, BUNDLE_ANN_FORMAT);
	char *s;
	size_t i;

	set_new(d, "createdAt", json_string(created));
	opt_list(d, "authors", ann, BUNDLE_ANN_AUTHORS);
	opt_string(d, "name", ann, BUNDLE_ANN_TITLE);
	opt_string(d, "version", ann, BUNDLE_ANN_VERSION);
	opt_string(d, "title", ann, BUNDLE_ANN_TITLE);
	opt_string(d, "description", ann, BUNDLE_ANN_DESCRIPTION);
	opt_string(d, "sourceURL", ann, BUNDLE_ANN_SOURCE);
	opt_string(d, "revision", ann, BUNDLE_ANN_REVISION);
	opt_list(d, "licenses", ann, BUNDLE_ANN_LICENSES);
	set_new(c, "descriptor", d);
	if (!format)
		format = oci_annots_get(ann, BUNDLE_ANN_FRAMEWORK);
	if (format && *format)
		set_new(cfg, "format", json_string(format));
	set_new(c, "config", cfg);
	set_new(fs, "type", json_string("layers"));
	for (i = 0; i < n; i++)
		append_new(ids, json_string(layers[i].diff_id));
	set_new(fs, "diffIds", ids);
	set_new(c, "modelfs", fs);
	s = oci_json_dump(c, len);
	json_decref(c);
	return s;
}

char *image_file_metadata(const char *name, unsigned mode, uint64_t size,
			  const char *mtime, char typeflag)
{
	json_t *o = json_object();
	char *s;

	set_new(o, "name", json_string(name));
	set_new(o, "mode", json_integer((json_int_t)mode));
	set_new(o, "uid", json_integer(0));
	set_new(o, "gid", json_integer(0));
	set_new(o, "size", json_integer((json_int_t)size));
	set_new(o, "mtime", json_string(mtime));
	set_new(o, "typeflag", json_integer((unsigned char)typeflag));
	s = oci_json_dump(o, NULL);
	json_decref(o);
	return s;
}
