/*
 * layout_impl.h — what the two local stores (layout.c: a directory,
 * layout_archive.c: an oci-archive) share: reading index.json and oci-layout,
 * and resolving names and listing tags over an in-memory index.
 */
#ifndef XPSHIP_PACKAGER_LAYOUT_IMPL_H
#define XPSHIP_PACKAGER_LAYOUT_IMPL_H

#include "packager/oci.h"
#include "packager/store_impl.h"

#define LAYOUT_FILE "oci-layout"
#define LAYOUT_INDEX "index.json"
#define LAYOUT_CONTENT "{\"imageLayoutVersion\":\"1.0.0\"}"

/* Check an oci-layout file's content (version 1.0.0). */
int layout_check_version(const char *buf, size_t len, const char *store,
			 struct xp_error *err);
/* Parse index.json of `store`; an empty index when buf is NULL. */
int layout_parse_index(const char *buf, size_t len, const char *store,
		       struct oci_index *out, struct xp_error *err);
/* Serialise an index as index.json content (mediaType set). */
char *layout_build_index(struct oci_index *ix, size_t *len);
/* Resolve a tag or digest over the index; a digest not listed there is looked up as a blob
 * of s (its media type read from the content): for that, the exists and
 * fetch ops of both local stores accept size -1 as "unknown". */
int layout_resolve(struct store *s, const struct oci_index *ix, const char *name,
		   struct oci_desc *out, struct xp_error *err);
/* The only untagged manifest of the index (store_ops.resolve_untagged). */
int layout_resolve_untagged(struct store *s, const struct oci_index *ix, struct oci_desc *out,
			    struct xp_error *err);
int layout_tags(const struct oci_index *ix, char ***names, size_t *n);

#endif
