/*
 * layout_index.c — index.json and oci-layout handling shared by the directory
 * and archive stores (see layout_impl.h).
 */
#include "packager/layout_impl.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int layout_check_version(const char *buf, size_t len, const char *store,
			 struct xp_error *err)
{
	json_t *root, *v;
	int ret = 0;

	if (oci_json_load(buf, len, "oci-layout file", store, &root, err))
		return -1;
	v = json_is_object(root) ? json_object_get(root, "imageLayoutVersion") : NULL;
	if (!json_is_string(v))
		ret = xp_error_set(err, XP_ERR_MALFORMED,
				   "malformed oci-layout file '%s': imageLayoutVersion: missing", store);
	else if (strcmp(json_string_value(v), "1.0.0") != 0)
		ret = xp_error_set(err, XP_ERR_MALFORMED,
				   "unsupported OCI layout '%s': imageLayoutVersion '%.40s', expected '1.0.0'",
				   store, json_string_value(v));
	json_decref(root);
	return ret;
}

int layout_parse_index(const char *buf, size_t len, const char *store,
		       struct oci_index *out, struct xp_error *err)
{
	char *what;
	int ret;

	if (!buf) {
		memset(out, 0, sizeof(*out));
		out->media_type = xstrdup(OCI_MT_INDEX);
		return 0;
	}
	what = xasprintf("%s/index.json", store);
	ret = oci_index_parse(buf, len, what, out, err);
	free(what);
	return ret;
}

char *layout_build_index(struct oci_index *ix, size_t *len)
{
	if (!ix->media_type)
		ix->media_type = xstrdup(OCI_MT_INDEX);
	return oci_index_build(ix, len);
}

int layout_tags(const struct oci_index *ix, char ***names, size_t *n)
{
	char **v = NULL;
	size_t i, count = 0;

	for (i = 0; i < ix->n_manifests; i++) {
		const char *r = oci_annots_get(&ix->manifests[i].annotations, OCI_ANN_REF_NAME);

		if (!r)
			continue;
		v = xrealloc(v, (count + 1) * sizeof(*v));
		v[count++] = xstrdup(r);
	}
	store_tags_finish(v, count, names, n);
	return 0;
}

static char *join_tags(const struct oci_index *ix)
{
	struct strbuf sb = STRBUF_INIT;
	char **tags;
	size_t i, n;

	layout_tags(ix, &tags, &n);
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", tags[i]);
	store_tags_free(tags, n);
	return strbuf_detach(&sb, NULL);
}

/* A digest that index.json does not list: read the blob to learn its media
 * type and size (the ops accept size -1 as "unknown" for this purpose). */
static int resolve_blob(struct store *s, const char *digest, struct oci_desc *out,
			struct xp_error *err)
{
	struct xp_reader *r = NULL;
	struct oci_desc d;
	char *buf = NULL, *mt = NULL;
	size_t len = 0;
	int present = 0, ret = -1;

	memset(&d, 0, sizeof(d));
	d.media_type = (char *)OCI_MT_MANIFEST;
	snprintf(d.digest, sizeof(d.digest), "%s", digest);
	d.size = -1;
	if (s->ops->exists(s, &d, &present, err))
		return -1;
	if (!present)
		return xp_error_set(err, XP_ERR_NOT_FOUND, "no manifest '%s' in '%s'", digest, store_name(s));
	if (s->ops->fetch(s, &d, &r, err))
		return -1;
	if (reader_slurp(r, OCI_MANIFEST_MAX, &buf, &len, err))
		goto out;
	if (oci_sniff_media_type(buf, len, digest, &mt, err))
		goto out;
	if (!oci_is_manifest_type(mt)) {
		xp_error_set(err, XP_ERR_MALFORMED, "'%s' in '%s' is not a manifest (media type '%.100s')",
			     digest, store_name(s), mt);
		goto out;
	}
	memset(out, 0, sizeof(*out));
	out->media_type = mt;
	mt = NULL;
	snprintf(out->digest, sizeof(out->digest), "%s", digest);
	out->size = (int64_t)len;
	ret = 0;
out:
	reader_close(r);
	free(buf);
	free(mt);
	return ret;
}

int layout_resolve(struct store *s, const struct oci_index *ix, const char *name,
		   struct oci_desc *out, struct xp_error *err)
{
	size_t i;
	long at = -1;

	if (name && strncmp(name, "sha256:", 7) == 0) {
		for (i = 0; i < ix->n_manifests; i++) {
			if (strcmp(ix->manifests[i].desc.digest, name) == 0) {
				oci_desc_copy(out, &ix->manifests[i].desc);
				return 0;
			}
		}
		return resolve_blob(s, name, out, err);
	}
	if (name) {
		at = oci_index_find_ref(ix, name);
		if (at < 0) {
			char *tags = join_tags(ix);

			if (*tags)
				xp_error_set(err, XP_ERR_NOT_FOUND, "no tag '%s' in '%s' (tags: %s)", name,
					     store_name(s), tags);
			else
				xp_error_set(err, XP_ERR_NOT_FOUND, "no tag '%s' in '%s' (it has no tags)", name,
					     store_name(s));
			free(tags);
			return -1;
		}
		oci_desc_copy(out, &ix->manifests[at].desc);
		return 0;
	}
	return xp_error_set(err, XP_ERR_USAGE, "no tag or digest to resolve in '%s'",
			    store_name(s));
}

int layout_resolve_untagged(struct store *s, const struct oci_index *ix, struct oci_desc *out,
			    struct xp_error *err)
{
	size_t j, untagged = 0;
	long at = -1;

	for (j = 0; j < ix->n_manifests; j++) {
		if (!oci_annots_get(&ix->manifests[j].annotations, OCI_ANN_REF_NAME)) {
			untagged++;
			at = (long)j;
		}
	}
	if (untagged == 1) {
		oci_desc_copy(out, &ix->manifests[at].desc);
		return 0;
	}
	if (untagged == 0)
		return xp_error_set(err, XP_ERR_NOT_FOUND, "no tags in '%s'", store_name(s));
	return xp_error_set(err, XP_ERR_USAGE,
			    "'%s' has no tags and %zu manifests: name one by digest, as in '%s@sha256:...'",
			    store_name(s), untagged, store_name(s));
}
