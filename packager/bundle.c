/*
 * bundle.c — a bundle's metadata and description through any store (see
 * bundle.h).
 */
#include "packager/bundle.h"
#include "packager/blobcache.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <stdlib.h>
#include <string.h>

#define CONFIG_MAX (16u << 20)

int bundle_is_image_config(const char *mt)
{
	return mt && (strcmp(mt, OCI_MT_CONFIG) == 0 || strcmp(mt, DOCKER_MT_CONFIG) == 0);
}

/* The manifest an index stands for: linux/amd64, else the first manifest. */
static int pick_manifest(const struct oci_index *ix, const char *what, struct oci_desc *out,
			 struct xp_error *err)
{
	size_t i;
	long first = -1;

	for (i = 0; i < ix->n_manifests; i++) {
		const struct oci_entry *e = &ix->manifests[i];

		if (oci_is_index_type(e->desc.media_type))
			continue;
		if (first < 0)
			first = (long)i;
		if (e->platform.os && strcmp(e->platform.os, "linux") == 0 &&
		    e->platform.architecture && strcmp(e->platform.architecture, "amd64") == 0) {
			first = (long)i;
			break;
		}
	}
	if (first < 0)
		return xp_error_set(err, XP_ERR_MALFORMED, "index '%s' lists no manifest", what);
	oci_desc_copy(out, &ix->manifests[first].desc);
	return 0;
}

/* Fetch and parse the manifest `d` names (through an index when it is one);
 * index annotations go to `annots` (optional). */
static int load_manifest(struct store *s, const char *cache, const struct oci_desc *d,
			 struct oci_desc *mdesc, struct oci_manifest *m, struct oci_annots *annots,
			 struct xp_error *err)
{
	char *buf = NULL;
	size_t len;
	int ret = -1;

	memset(mdesc, 0, sizeof(*mdesc));
	if (blobcache_fetch_all(cache, s, d, OCI_MANIFEST_MAX, &buf, &len, NULL, err))
		return -1;
	if (oci_is_index_type(d->media_type)) {
		struct oci_index ix;

		if (oci_index_parse(buf, len, d->digest, &ix, err))
			goto out;
		ret = pick_manifest(&ix, d->digest, mdesc, err);
		if (!ret && annots)
			oci_annots_copy(annots, &ix.annotations);
		oci_index_release(&ix);
		free(buf);
		buf = NULL;
		if (ret)
			goto out;
		ret = -1;
		if (blobcache_fetch_all(cache, s, mdesc, OCI_MANIFEST_MAX, &buf, &len, NULL, err))
			goto out;
	} else {
		oci_desc_copy(mdesc, d);
	}
	if (oci_manifest_parse(buf, len, mdesc->digest, m, err))
		goto out;
	ret = 0;
out:
	if (ret)
		oci_desc_release(mdesc);
	free(buf);
	return ret;
}

/* Labels first, then annotations over them (annotations win). */
static void merge(struct oci_annots *out, const struct oci_annots *labels,
		  const struct oci_annots *annots)
{
	size_t i;

	for (i = 0; i < labels->n; i++)
		oci_annots_set(out, labels->v[i].key, labels->v[i].value);
	for (i = 0; i < annots->n; i++)
		oci_annots_set(out, annots->v[i].key, annots->v[i].value);
}

static int load_all(struct store *s, const char *cache, int lean, const struct oci_desc *d,
		    struct bundle_info *b, struct xp_error *err)
{
	struct oci_annots index_annots = {NULL, 0};
	char *cfg = NULL;
	size_t len;
	int ret = -1;

	memset(b, 0, sizeof(*b));
	oci_desc_copy(&b->desc, d);
	if (load_manifest(s, cache, d, &b->manifest_desc, &b->manifest, &index_annots, err))
		goto out;
	if (bundle_is_image_config(b->manifest.config.desc.media_type) &&
	    !(lean && oci_annots_get(&b->manifest.annotations, BUNDLE_ANN_METRICS))) {
		if (blobcache_fetch_all(cache, s, &b->manifest.config.desc, CONFIG_MAX, &cfg, &len,
					NULL, err) ||
		    oci_config_parse(cfg, len, b->manifest.config.desc.digest, &b->config, err))
			goto out;
	}
	merge(&b->meta, &b->config.labels, &index_annots);
	merge(&b->meta, &(struct oci_annots){NULL, 0}, &b->manifest.annotations);
	ret = 0;
out:
	oci_annots_release(&index_annots);
	free(cfg);
	if (ret)
		bundle_info_release(b);
	return ret;
}

int bundle_load_manifest(struct store *s, const struct oci_desc *d, struct oci_desc *mdesc,
			 struct oci_manifest *m, struct xp_error *err)
{
	return load_manifest(s, NULL, d, mdesc, m, NULL, err);
}

static int read_meta(struct store *s, const char *cache, int lean,
		     const struct oci_desc *manifest, struct oci_annots *out, struct xp_error *err)
{
	struct bundle_info b;

	if (load_all(s, cache, lean, manifest, &b, err))
		return -1;
	*out = b.meta;
	memset(&b.meta, 0, sizeof(b.meta));
	bundle_info_release(&b);
	return 0;
}

int bundle_read_meta(struct store *s, const struct oci_desc *manifest,
		     struct oci_annots *out, struct xp_error *err)
{
	return read_meta(s, NULL, 0, manifest, out, err);
}

int bundle_read_meta_cached(struct store *s, const char *cache, const struct oci_desc *manifest,
			    struct oci_annots *out, struct xp_error *err)
{
	return read_meta(s, cache, 1, manifest, out, err);
}

int bundle_inspect(struct store *s, const struct oci_desc *desc, struct bundle_info *out,
		   struct xp_error *err)
{
	struct bundle_info b;
	char **tags = NULL;
	size_t i, n = 0;

	if (load_all(s, NULL, 0, desc, &b, err))
		return -1;
	if (store_tags(s, &tags, &n, err)) {
		bundle_info_release(&b);
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct oci_desc t;
		struct xp_error ignored;

		memset(&t, 0, sizeof(t));
		if (store_resolve(s, tags[i], &t, &ignored) == 0 && strcmp(t.digest, desc->digest) == 0) {
			b.tags = xrealloc(b.tags, (b.n_tags + 1) * sizeof(*b.tags));
			b.tags[b.n_tags++] = tags[i];
			tags[i] = NULL;
		}
		oci_desc_release(&t);
	}
	store_tags_free(tags, n);
	*out = b;
	return 0;
}

void bundle_info_release(struct bundle_info *b)
{
	if (!b)
		return;
	oci_desc_release(&b->desc);
	oci_desc_release(&b->manifest_desc);
	oci_manifest_release(&b->manifest);
	store_tags_free(b->tags, b->n_tags);
	oci_config_info_release(&b->config);
	oci_annots_release(&b->meta);
	memset(b, 0, sizeof(*b));
}
