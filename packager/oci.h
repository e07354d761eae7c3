/*
 * oci.h — OCI manifest, index and image-config JSON: parsing with validation,
 * and canonical building (packager/ only; uses jansson).
 *
 * Parsing validates what xpship relies on and names the offending field:
 * schemaVersion 2, descriptors with a media type, a sha256 digest and a
 * non-negative integer size, string-valued annotations, and (for an index)
 * platform objects. Other fields are ignored. Errors are XP_ERR_MALFORMED,
 * in the form "malformed manifest '<what>': layers[1].digest: invalid digest".
 *
 * Building writes compact JSON with a fixed key order (schemaVersion,
 * mediaType, artifactType, config, layers | manifests, subject, annotations;
 * in a descriptor: mediaType, artifactType, digest, size, platform,
 * annotations) and annotations sorted by key, so the same struct always gives
 * the same bytes and the same digest.
 *
 * Ownership: every struct owns its strings and arrays; *_release frees the
 * contents (the struct itself is the caller's) and leaves it zeroed.
 */
#ifndef XPSHIP_PACKAGER_OCI_H
#define XPSHIP_PACKAGER_OCI_H

#include <stddef.h>

#include <jansson.h>

#include "common/error.h"
#include "packager/store.h"

/* Annotations (or labels): a string map kept sorted by key. */
struct oci_annot {
	char *key;
	char *value;
};

struct oci_annots {
	struct oci_annot *v;
	size_t n;
};

/* Insert or replace (both strings copied). */
void oci_annots_set(struct oci_annots *a, const char *key, const char *value);
/* Borrowed value or NULL. */
const char *oci_annots_get(const struct oci_annots *a, const char *key);
/* 1 when removed, 0 when absent. */
int oci_annots_del(struct oci_annots *a, const char *key);
/* dst is overwritten (not released first). */
void oci_annots_copy(struct oci_annots *dst, const struct oci_annots *src);
void oci_annots_release(struct oci_annots *a);

struct oci_platform {
	char *os;              /* NULL when the descriptor has no platform */
	char *architecture;
	char *variant;         /* NULL when absent */
};

/* A descriptor as it appears in a manifest or index. */
struct oci_entry {
	struct oci_desc desc;
	struct oci_annots annotations;
	struct oci_platform platform;
};

void oci_entry_release(struct oci_entry *e);
void oci_entry_copy(struct oci_entry *dst, const struct oci_entry *src);

struct oci_manifest {
	char *media_type;          /* NULL when the JSON has none */
	char *artifact_type;
	struct oci_entry config;
	struct oci_entry *layers;
	size_t n_layers;
	struct oci_desc *subject;  /* NULL when absent */
	struct oci_annots annotations;
};

struct oci_index {
	char *media_type;
	char *artifact_type;
	struct oci_entry *manifests;
	size_t n_manifests;
	struct oci_desc *subject;
	struct oci_annots annotations;
};

/* `what` names the document in errors (a digest or file name). */
int oci_manifest_parse(const char *buf, size_t len, const char *what,
		       struct oci_manifest *out, struct xp_error *err);
/* Canonical JSON (NUL-terminated; *len without the NUL). mediaType is written
 * when set. */
char *oci_manifest_build(const struct oci_manifest *m, size_t *len);
void oci_manifest_release(struct oci_manifest *m);
/* Append a layer (copied). */
void oci_manifest_add_layer(struct oci_manifest *m, const struct oci_entry *layer);

int oci_index_parse(const char *buf, size_t len, const char *what,
		    struct oci_index *out, struct xp_error *err);
char *oci_index_build(const struct oci_index *ix, size_t *len);
void oci_index_release(struct oci_index *ix);
/* Append an entry (copied). */
void oci_index_add(struct oci_index *ix, const struct oci_entry *e);
/* Point ref name `name` at `d`: an entry already tagged `name` is replaced in
 * place (moved), else a new entry is appended. Other entries are kept. */
void oci_index_set_ref(struct oci_index *ix, const struct oci_desc *d, const char *name);
/* Index of the entry whose ref name is `name`, or -1. */
long oci_index_find_ref(const struct oci_index *ix, const char *name);

/* The content a graph copy must move before `buf` (a manifest: config and
 * layers; an index: its manifests), in document order. `media_type` says how
 * to read buf. *out is an array of n descriptors the caller releases with
 * oci_descs_free. A subject is not a child. */
int oci_children(const char *media_type, const char *buf, size_t len, const char *what,
		 struct oci_desc **out, size_t *n, struct xp_error *err);
void oci_descs_free(struct oci_desc *v, size_t n);

/* The media type a manifest or index declares (its "mediaType", else guessed:
 * "manifests" → OCI index, "config" → OCI manifest). Caller frees. */
int oci_sniff_media_type(const char *buf, size_t len, const char *what, char **out,
			 struct xp_error *err);

/* Image config (OCI or Docker): the fields xpship reads. */
struct oci_config_info {
	char *os;
	char *architecture;
	char *variant;
	char *created;
	struct oci_annots labels;    /* config.Labels */
	char **diff_ids;
	size_t n_diff_ids;
};

int oci_config_parse(const char *buf, size_t len, const char *what,
		     struct oci_config_info *out, struct xp_error *err);
void oci_config_info_release(struct oci_config_info *c);

/* ---- JSON helpers shared by the packager ---- */

/* Parse JSON (duplicate keys rejected); errors carry jansson's text and
 * position: "malformed <kind> '<what>': <text> (line L, column C)". */
int oci_json_load(const char *buf, size_t len, const char *kind, const char *what,
		  json_t **out, struct xp_error *err);
/* Compact, insertion order, NUL-terminated. */
char *oci_json_dump(const json_t *j, size_t *len);
json_t *oci_desc_to_json(const struct oci_desc *d);
json_t *oci_entry_to_json(const struct oci_entry *e);
json_t *oci_annots_to_json(const struct oci_annots *a);
/* Read a descriptor object; `where` prefixes errors ("layers[2]"). */
int oci_entry_from_json(const json_t *j, const char *kind, const char *what,
			const char *where, struct oci_entry *out, struct xp_error *err);
int oci_annots_from_json(const json_t *j, const char *kind, const char *what,
			 const char *where, struct oci_annots *out, struct xp_error *err);

#endif
