/*
 * oci.c — OCI manifest, index and image-config JSON (see oci.h): validating
 * parsers over jansson and builders with a fixed key order.
 */
#include "packager/oci.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- annotations ---- */

static size_t annots_pos(const struct oci_annots *a, const char *key, int *found)
{
	size_t lo = 0, hi = a->n;

	*found = 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(a->v[mid].key, key);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void oci_annots_set(struct oci_annots *a, const char *key, const char *value)
{
	int found;
	size_t i = annots_pos(a, key, &found);

	if (found) {
		free(a->v[i].value);
		a->v[i].value = xstrdup(value);
		return;
	}
	a->v = xrealloc(a->v, (a->n + 1) * sizeof(*a->v));
	memmove(&a->v[i + 1], &a->v[i], (a->n - i) * sizeof(*a->v));
	a->v[i].key = xstrdup(key);
	a->v[i].value = xstrdup(value);
	a->n++;
}

const char *oci_annots_get(const struct oci_annots *a, const char *key)
{
	int found;
	size_t i = annots_pos(a, key, &found);

	return found ? a->v[i].value : NULL;
}

int oci_annots_del(struct oci_annots *a, const char *key)
{
	int found;
	size_t i = annots_pos(a, key, &found);

	if (!found)
		return 0;
	free(a->v[i].key);
	free(a->v[i].value);
	memmove(&a->v[i], &a->v[i + 1], (a->n - i - 1) * sizeof(*a->v));
	a->n--;
	return 1;
}

void oci_annots_copy(struct oci_annots *dst, const struct oci_annots *src)
{
	size_t i;

	dst->n = src->n;
	dst->v = src->n ? xcalloc(src->n, sizeof(*dst->v)) : NULL;
	for (i = 0; i < src->n; i++) {
		dst->v[i].key = xstrdup(src->v[i].key);
		dst->v[i].value = xstrdup(src->v[i].value);
	}
}

void oci_annots_release(struct oci_annots *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->v[i].key);
		free(a->v[i].value);
	}
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

/* ---- entries ---- */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void oci_entry_release(struct oci_entry *e)
{
	if (!e)
		return;
	oci_desc_release(&e->desc);
	oci_annots_release(&e->annotations);
	free(e->platform.os);
	free(e->platform.architecture);
	free(e->platform.variant);
	memset(e, 0, sizeof(*e));
}

void oci_entry_copy(struct oci_entry *dst, const struct oci_entry *src)
{
	oci_desc_copy(&dst->desc, &src->desc);
	oci_annots_copy(&dst->annotations, &src->annotations);
	dst->platform.os = dup_or_null(src->platform.os);
	dst->platform.architecture = dup_or_null(src->platform.architecture);
	dst->platform.variant = dup_or_null(src->platform.variant);
}

void oci_descs_free(struct oci_desc *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		oci_desc_release(&v[i]);
	free(v);
}

/* ---- JSON helpers ---- */

int oci_json_load(const char *buf, size_t len, const char *kind, const char *what,
		  json_t **out, struct xp_error *err)
{
	json_error_t je;
	json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);

	if (!j)
		return xp_error_set(err, XP_ERR_MALFORMED, "malformed %s '%s': %s (line %d, column %d)",
				    kind, what, je.text, je.line, je.column);
	*out = j;
	return 0;
}

char *oci_json_dump(const json_t *j, size_t *len)
{
	char *s = json_dumps(j, JSON_COMPACT);

	if (!s)
		abort(); /* only on allocation failure */
	if (len)
		*len = strlen(s);
	return s;
}

static void set_new(json_t *obj, const char *key, json_t *v)
{
	if (json_object_set_new(obj, key, v))
		abort();
}

json_t *oci_annots_to_json(const struct oci_annots *a)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < a->n; i++)
		set_new(o, a->v[i].key, json_string(a->v[i].value));
	return o;
}

static json_t *desc_json(const struct oci_desc *d, const struct oci_annots *ann,
			 const struct oci_platform *p)
{
	json_t *o = json_object();

	set_new(o, "mediaType", json_string(d->media_type ? d->media_type : ""));
	if (d->artifact_type)
		set_new(o, "artifactType", json_string(d->artifact_type));
	set_new(o, "digest", json_string(d->digest));
	set_new(o, "size", json_integer(d->size));
	if (p && p->os) {
		json_t *pj = json_object();

		set_new(pj, "architecture", json_string(p->architecture ? p->architecture : ""));
		set_new(pj, "os", json_string(p->os));
		if (p->variant)
			set_new(pj, "variant", json_string(p->variant));
		set_new(o, "platform", pj);
	}
	if (ann && ann->n)
		set_new(o, "annotations", oci_annots_to_json(ann));
	return o;
}

json_t *oci_desc_to_json(const struct oci_desc *d)
{
	return desc_json(d, NULL, NULL);
}

json_t *oci_entry_to_json(const struct oci_entry *e)
{
	return desc_json(&e->desc, &e->annotations, &e->platform);
}

static int bad(struct xp_error *err, const char *kind, const char *what, const char *where,
	       const char *field, const char *msg)
{
	char path[256];

	snprintf(path, sizeof(path), "%s%s%s", where ? where : "",
		 where && *where && field ? "." : "", field ? field : "");
	if (!*path)
		return xp_error_set(err, XP_ERR_MALFORMED, "malformed %s '%s': %s", kind, what, msg);
	return xp_error_set(err, XP_ERR_MALFORMED, "malformed %s '%s': %s: %s", kind, what,
			    path, msg);
}

/* An optional string member: 0 with *out NULL when absent. */
static int opt_string(const json_t *o, const char *key, const char *kind, const char *what,
		      const char *where, char **out, struct xp_error *err)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_string(v))
		return bad(err, kind, what, where, key, "expected a string");
	*out = xstrdup(json_string_value(v));
	return 0;
}

int oci_annots_from_json(const json_t *j, const char *kind, const char *what,
			 const char *where, struct oci_annots *out, struct xp_error *err)
{
	struct oci_annots a = {NULL, 0};
	const char *key;
	json_t *v;

	if (!json_is_object(j))
		return bad(err, kind, what, where, NULL, "expected an object of strings");
	json_object_foreach((json_t *)j, key, v) {
		if (!json_is_string(v)) {
			char field[256];

			snprintf(field, sizeof(field), "%.200s", key);
			oci_annots_release(&a);
			return bad(err, kind, what, where, field, "expected a string");
		}
		oci_annots_set(&a, key, json_string_value(v));
	}
	*out = a;
	return 0;
}

int oci_entry_from_json(const json_t *j, const char *kind, const char *what,
			const char *where, struct oci_entry *out, struct xp_error *err)
{
	struct oci_entry e;
	json_t *v;

	memset(&e, 0, sizeof(e));
	if (!json_is_object(j))
		return bad(err, kind, what, where, NULL, "expected a descriptor object");
	v = json_object_get(j, "mediaType");
	if (!v)
		return bad(err, kind, what, where, "mediaType", "missing");
	if (!json_is_string(v) || !*json_string_value(v))
		return bad(err, kind, what, where, "mediaType", "expected a non-empty string");
	v = json_object_get(j, "digest");
	if (!v)
		return bad(err, kind, what, where, "digest", "missing");
	if (!json_is_string(v))
		return bad(err, kind, what, where, "digest", "expected a string");
	if (!digest_valid(json_string_value(v))) {
		char msg[160];

		snprintf(msg, sizeof(msg), strncmp(json_string_value(v), "sha256:", 7) == 0 ||
			 !strchr(json_string_value(v), ':') ? "invalid digest '%.90s'"
			 : "unsupported digest algorithm in '%.90s'", json_string_value(v));
		return bad(err, kind, what, where, "digest", msg);
	}
	snprintf(e.desc.digest, sizeof(e.desc.digest), "%s", json_string_value(v));
	v = json_object_get(j, "size");
	if (!v)
		return bad(err, kind, what, where, "size", "missing");
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return bad(err, kind, what, where, "size", "expected a non-negative integer");
	e.desc.size = (int64_t)json_integer_value(v);
	e.desc.media_type = xstrdup(json_string_value(json_object_get(j, "mediaType")));
	if (opt_string(j, "artifactType", kind, what, where, &e.desc.artifact_type, err))
		goto fail;
	v = json_object_get(j, "annotations");
	if (v) {
		char sub[128];

		snprintf(sub, sizeof(sub), "%s%sannotations", where ? where : "",
			 where && *where ? "." : "");
		if (oci_annots_from_json(v, kind, what, sub, &e.annotations, err))
			goto fail;
	}
	v = json_object_get(j, "platform");
	if (v) {
		char sub[128];

		snprintf(sub, sizeof(sub), "%s%splatform", where ? where : "",
			 where && *where ? "." : "");
		if (!json_is_object(v)) {
			bad(err, kind, what, sub, NULL, "expected an object");
			goto fail;
		}
		if (opt_string(v, "os", kind, what, sub, &e.platform.os, err) ||
		    opt_string(v, "architecture", kind, what, sub, &e.platform.architecture, err) ||
		    opt_string(v, "variant", kind, what, sub, &e.platform.variant, err))
			goto fail;
		if (!e.platform.os || !e.platform.architecture) {
			bad(err, kind, what, sub, e.platform.os ? "architecture" : "os", "missing");
			goto fail;
		}
	}
	*out = e;
	return 0;
fail:
	oci_entry_release(&e);
	return -1;
}

static int check_schema(const json_t *root, const char *kind, const char *what,
			struct xp_error *err)
{
	json_t *v;

	if (!json_is_object(root))
		return bad(err, kind, what, NULL, NULL, "expected a JSON object");
	v = json_object_get(root, "schemaVersion");
	if (!v)
		return bad(err, kind, what, "", "schemaVersion", "missing");
	if (!json_is_integer(v) || json_integer_value(v) != 2)
		return bad(err, kind, what, "", "schemaVersion", "expected 2");
	return 0;
}

static int read_subject(const json_t *root, const char *kind, const char *what,
			struct oci_desc **out, struct xp_error *err)
{
	json_t *v = json_object_get(root, "subject");
	struct oci_entry e;

	*out = NULL;
	if (!v)
		return 0;
	if (oci_entry_from_json(v, kind, what, "subject", &e, err))
		return -1;
	*out = xmalloc(sizeof(**out));
	**out = e.desc;
	memset(&e.desc, 0, sizeof(e.desc));
	oci_entry_release(&e);
	return 0;
}

/* ---- manifests ---- */

void oci_manifest_release(struct oci_manifest *m)
{
	size_t i;

	if (!m)
		return;
	free(m->media_type);
	free(m->artifact_type);
	oci_entry_release(&m->config);
	for (i = 0; i < m->n_layers; i++)
		oci_entry_release(&m->layers[i]);
	free(m->layers);
	if (m->subject) {
		oci_desc_release(m->subject);
		free(m->subject);
	}
	oci_annots_release(&m->annotations);
	memset(m, 0, sizeof(*m));
}

void oci_manifest_add_layer(struct oci_manifest *m, const struct oci_entry *layer)
{
	m->layers = xrealloc(m->layers, (m->n_layers + 1) * sizeof(*m->layers));
	oci_entry_copy(&m->layers[m->n_layers++], layer);
}

static int read_entries(const json_t *arr, const char *kind, const char *what,
			const char *field, struct oci_entry **out, size_t *n,
			struct xp_error *err)
{
	struct oci_entry *v;
	size_t i, count;

	if (!json_is_array(arr))
		return bad(err, kind, what, "", field, "expected an array");
	count = json_array_size(arr);
	v = count ? xcalloc(count, sizeof(*v)) : NULL;
	for (i = 0; i < count; i++) {
		char where[64];

		snprintf(where, sizeof(where), "%s[%zu]", field, i);
		if (oci_entry_from_json(json_array_get(arr, i), kind, what, where, &v[i], err)) {
			while (i--)
				oci_entry_release(&v[i]);
			free(v);
			return -1;
		}
	}
	*out = v;
	*n = count;
	return 0;
}

static int parse_manifest_json(const json_t *root, const char *what, struct oci_manifest *out,
			       struct xp_error *err)
{
	static const char kind[] = "manifest";
	struct oci_manifest m;
	json_t *v;

	memset(&m, 0, sizeof(m));
	if (check_schema(root, kind, what, err))
		return -1;
	if (opt_string(root, "mediaType", kind, what, "", &m.media_type, err))
		goto fail;
	if (m.media_type && oci_is_index_type(m.media_type)) {
		bad(err, kind, what, NULL, NULL, "is an index, not a manifest");
		goto fail;
	}
	if (m.media_type && strcmp(m.media_type, OCI_MT_MANIFEST) != 0 &&
	    strcmp(m.media_type, DOCKER_MT_MANIFEST) != 0) {
		char msg[200];

		snprintf(msg, sizeof(msg), "unsupported media type '%.120s'", m.media_type);
		bad(err, kind, what, "", "mediaType", msg);
		goto fail;
	}
	if (opt_string(root, "artifactType", kind, what, "", &m.artifact_type, err))
		goto fail;
	v = json_object_get(root, "config");
	if (!v) {
		bad(err, kind, what, "", "config", "missing");
		goto fail;
	}
	if (oci_entry_from_json(v, kind, what, "config", &m.config, err))
		goto fail;
	v = json_object_get(root, "layers");
	if (!v) {
		bad(err, kind, what, "", "layers", "missing");
		goto fail;
	}
	if (read_entries(v, kind, what, "layers", &m.layers, &m.n_layers, err))
		goto fail;
	if (read_subject(root, kind, what, &m.subject, err))
		goto fail;
	v = json_object_get(root, "annotations");
	if (v && oci_annots_from_json(v, kind, what, "annotations", &m.annotations, err))
		goto fail;
	*out = m;
	return 0;
fail:
	oci_manifest_release(&m);
	return -1;
}

int oci_manifest_parse(const char *buf, size_t len, const char *what,
		       struct oci_manifest *out, struct xp_error *err)
{
	json_t *root;
	int ret;

	if (oci_json_load(buf, len, "manifest", what, &root, err))
		return -1;
	ret = parse_manifest_json(root, what, out, err);
	json_decref(root);
	return ret;
}

static void add_subject_annots(json_t *o, const struct oci_desc *subject,
			       const struct oci_annots *a)
{
	if (subject)
		set_new(o, "subject", oci_desc_to_json(subject));
	if (a->n)
		set_new(o, "annotations", oci_annots_to_json(a));
}

char *oci_manifest_build(const struct oci_manifest *m, size_t *len)
{
	json_t *o = json_object(), *layers = json_array();
	char *s;
	size_t i;

	set_new(o, "schemaVersion", json_integer(2));
	if (m->media_type)
		set_new(o, "mediaType", json_string(m->media_type));
	if (m->artifact_type)
		set_new(o, "artifactType", json_string(m->artifact_type));
	set_new(o, "config", oci_entry_to_json(&m->config));
	for (i = 0; i < m->n_layers; i++)
		json_array_append_new(layers, oci_entry_to_json(&m->layers[i]));
	set_new(o, "layers", layers);
	add_subject_annots(o, m->subject, &m->annotations);
	s = oci_json_dump(o, len);
	json_decref(o);
	return s;
}

/* ---- indexes ---- */

void oci_index_release(struct oci_index *ix)
{
	size_t i;

	if (!ix)
		return;
	free(ix->media_type);
	free(ix->artifact_type);
	for (i = 0; i < ix->n_manifests; i++)
		oci_entry_release(&ix->manifests[i]);
	free(ix->manifests);
	if (ix->subject) {
		oci_desc_release(ix->subject);
		free(ix->subject);
	}
	oci_annots_release(&ix->annotations);
	memset(ix, 0, sizeof(*ix));
}

static int parse_index_json(const json_t *root, const char *what, struct oci_index *out,
			    struct xp_error *err)
{
	static const char kind[] = "index";
	struct oci_index ix;
	json_t *v;

	memset(&ix, 0, sizeof(ix));
	if (check_schema(root, kind, what, err))
		return -1;
	if (opt_string(root, "mediaType", kind, what, "", &ix.media_type, err))
		goto fail;
	if (ix.media_type && !oci_is_index_type(ix.media_type)) {
		char msg[200];

		snprintf(msg, sizeof(msg), "unsupported media type '%.120s'", ix.media_type);
		bad(err, kind, what, "", "mediaType", msg);
		goto fail;
	}
	if (opt_string(root, "artifactType", kind, what, "", &ix.artifact_type, err))
		goto fail;
	v = json_object_get(root, "manifests");
	if (!v) {
		bad(err, kind, what, "", "manifests", "missing");
		goto fail;
	}
	if (read_entries(v, kind, what, "manifests", &ix.manifests, &ix.n_manifests, err))
		goto fail;
	if (read_subject(root, kind, what, &ix.subject, err))
		goto fail;
	v = json_object_get(root, "annotations");
	if (v && oci_annots_from_json(v, kind, what, "annotations", &ix.annotations, err))
		goto fail;
	*out = ix;
	return 0;
fail:
	oci_index_release(&ix);
	return -1;
}

int oci_index_parse(const char *buf, size_t len, const char *what,
		    struct oci_index *out, struct xp_error *err)
{
	json_t *root;
	int ret;

	if (oci_json_load(buf, len, "index", what, &root, err))
		return -1;
	ret = parse_index_json(root, what, out, err);
	json_decref(root);
	return ret;
}

char *oci_index_build(const struct oci_index *ix, size_t *len)
{
	json_t *o = json_object(), *arr = json_array();
	char *s;
	size_t i;

	set_new(o, "schemaVersion", json_integer(2));
	if (ix->media_type)
		set_new(o, "mediaType", json_string(ix->media_type));
	if (ix->artifact_type)
		set_new(o, "artifactType", json_string(ix->artifact_type));
	for (i = 0; i < ix->n_manifests; i++)
		json_array_append_new(arr, oci_entry_to_json(&ix->manifests[i]));
	set_new(o, "manifests", arr);
	add_subject_annots(o, ix->subject, &ix->annotations);
	s = oci_json_dump(o, len);
	json_decref(o);
	return s;
}

void oci_index_add(struct oci_index *ix, const struct oci_entry *e)
{
	ix->manifests = xrealloc(ix->manifests, (ix->n_manifests + 1) * sizeof(*ix->manifests));
	oci_entry_copy(&ix->manifests[ix->n_manifests++], e);
}

long oci_index_find_ref(const struct oci_index *ix, const char *name)
{
	size_t i;

	for (i = 0; i < ix->n_manifests; i++) {
		const char *r = oci_annots_get(&ix->manifests[i].annotations, OCI_ANN_REF_NAME);

		if (r && strcmp(r, name) == 0)
			return (long)i;
	}
	return -1;
}

void oci_index_set_ref(struct oci_index *ix, const struct oci_desc *d, const char *name)
{
	struct oci_entry e;
	long at = oci_index_find_ref(ix, name);
	size_t i;

	memset(&e, 0, sizeof(e));
	oci_desc_copy(&e.desc, d);
	oci_annots_set(&e.annotations, OCI_ANN_REF_NAME, name);
	if (at < 0) {
		ix->manifests = xrealloc(ix->manifests, (ix->n_manifests + 1) * sizeof(*ix->manifests));
		ix->manifests[ix->n_manifests++] = e;
		return;
	}
	oci_entry_release(&ix->manifests[at]);
	ix->manifests[at] = e;
	/* a ref name names one manifest: drop any later duplicates */
	for (i = (size_t)at + 1; i < ix->n_manifests;) {
		const char *r = oci_annots_get(&ix->manifests[i].annotations, OCI_ANN_REF_NAME);

		if (r && strcmp(r, name) == 0) {
			oci_entry_release(&ix->manifests[i]);
			memmove(&ix->manifests[i], &ix->manifests[i + 1],
				(ix->n_manifests - i - 1) * sizeof(*ix->manifests));
			ix->n_manifests--;
		} else {
			i++;
		}
	}
}

/* ---- generic ---- */

int oci_sniff_media_type(const char *buf, size_t len, const char *what, char **out,
			 struct xp_error *err)
{
	json_t *root, *v;
	int ret = 0;

	if (oci_json_load(buf, len, "manifest", what, &root, err))
		return -1;
	if (!json_is_object(root)) {
		ret = bad(err, "manifest", what, NULL, NULL, "expected a JSON object");
		goto out;
	}
	v = json_object_get(root, "mediaType");
	if (json_is_string(v))
		*out = xstrdup(json_string_value(v));
	else if (json_object_get(root, "manifests"))
		*out = xstrdup(OCI_MT_INDEX);
	else if (json_object_get(root, "config"))
		*out = xstrdup(OCI_MT_MANIFEST);
	else
		ret = bad(err, "manifest", what, NULL, NULL, "neither a manifest nor an index");
out:
	json_decref(root);
	return ret;
}

int oci_children(const char *media_type, const char *buf, size_t len, const char *what,
		 struct oci_desc **out, size_t *n, struct xp_error *err)
{
	struct oci_desc *v;
	size_t i, count;

	if (oci_is_index_type(media_type)) {
		struct oci_index ix;

		if (oci_index_parse(buf, len, what, &ix, err))
			return -1;
		count = ix.n_manifests;
		v = count ? xcalloc(count, sizeof(*v)) : NULL;
		for (i = 0; i < count; i++)
			oci_desc_copy(&v[i], &ix.manifests[i].desc);
		oci_index_release(&ix);
	} else {
		struct oci_manifest m;

		if (oci_manifest_parse(buf, len, what, &m, err))
			return -1;
		count = m.n_layers + 1;
		v = xcalloc(count, sizeof(*v));
		oci_desc_copy(&v[0], &m.config.desc);
		for (i = 0; i < m.n_layers; i++)
			oci_desc_copy(&v[i + 1], &m.layers[i].desc);
		oci_manifest_release(&m);
	}
	*out = v;
	*n = count;
	return 0;
}

/* ---- image config ---- */

void oci_config_info_release(struct oci_config_info *c)
{
	size_t i;

	if (!c)
		return;
	free(c->os);
	free(c->architecture);
	free(c->variant);
	free(c->created);
	oci_annots_release(&c->labels);
	for (i = 0; i < c->n_diff_ids; i++)
		free(c->diff_ids[i]);
	free(c->diff_ids);
	memset(c, 0, sizeof(*c));
}

int oci_config_parse(const char *buf, size_t len, const char *what,
		     struct oci_config_info *out, struct xp_error *err)
{
	static const char kind[] = "image config";
	struct oci_config_info c;
	json_t *root, *v, *rootfs;
	size_t i;

	memset(&c, 0, sizeof(c));
	if (oci_json_load(buf, len, kind, what, &root, err))
		return -1;
	if (!json_is_object(root)) {
		bad(err, kind, what, NULL, NULL, "expected a JSON object");
		goto fail;
	}
	if (opt_string(root, "os", kind, what, "", &c.os, err) ||
	    opt_string(root, "architecture", kind, what, "", &c.architecture, err) ||
	    opt_string(root, "variant", kind, what, "", &c.variant, err) ||
	    opt_string(root, "created", kind, what, "", &c.created, err))
		goto fail;
	v = json_object_get(root, "config");
	if (v && !json_is_null(v)) {
		json_t *labels;

		if (!json_is_object(v)) {
			bad(err, kind, what, "", "config", "expected an object");
			goto fail;
		}
		labels = json_object_get(v, "Labels");
		if (labels && !json_is_null(labels) &&
		    oci_annots_from_json(labels, kind, what, "config.Labels", &c.labels, err))
			goto fail;
	}
	rootfs = json_object_get(root, "rootfs");
	if (rootfs) {
		if (!json_is_object(rootfs)) {
			bad(err, kind, what, "", "rootfs", "expected an object");
			goto fail;
		}
		v = json_object_get(rootfs, "diff_ids");
		if (v && !json_is_array(v)) {
			bad(err, kind, what, "rootfs", "diff_ids", "expected an array");
			goto fail;
		}
		c.n_diff_ids = v ? json_array_size(v) : 0;
		c.diff_ids = c.n_diff_ids ? xcalloc(c.n_diff_ids, sizeof(char *)) : NULL;
		for (i = 0; i < c.n_diff_ids; i++) {
			json_t *d = json_array_get(v, i);

			if (!json_is_string(d) || !digest_valid(json_string_value(d))) {
				char where[64];

				snprintf(where, sizeof(where), "rootfs.diff_ids[%zu]", i);
				bad(err, kind, what, where, NULL, "expected a sha256 digest");
				goto fail;
			}
			c.diff_ids[i] = xstrdup(json_string_value(d));
		}
	}
	json_decref(root);
	*out = c;
	return 0;
fail:
	json_decref(root);
	oci_config_info_release(&c);
	return -1;
}
