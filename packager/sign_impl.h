/*
 * sign_impl.h — what sign.c, attest.c and verify.c share (packager/ only):
 * reading and writing the companion manifests `sha256-<hex>.sig` / `.att`.
 */
#ifndef XPSHIP_PACKAGER_SIGN_IMPL_H
#define XPSHIP_PACKAGER_SIGN_IMPL_H

#include "packager/oci.h"
#include "packager/sign.h"

/* Largest payload, envelope or signature config read into memory. */
#define SIGN_BLOB_MAX (4 * 1024 * 1024)

/* The companion manifest tagged `tag`: *found is 0 when there is none (then
 * out and desc are zeroed). desc (optional) receives its descriptor. */
int companion_load(struct store *s, const char *tag, struct oci_manifest *out,
		   struct oci_desc *desc, int *found, struct xp_error *err);

/* companion_load reading the manifest by digest through the blob cache
 * `cache` (blobcache.h; NULL: none). */
int companion_load_cached(struct store *s, const char *cache, const char *tag,
			  struct oci_manifest *out, struct oci_desc *desc, int *found,
			  struct xp_error *err);

/* Store `m` (its layers' blobs already pushed) as the companion manifest of
 * `subject` under `tag`: writes its config from the layer digests, sets the
 * media type and subject, pushes and tags it. out (optional) receives its
 * descriptor. */
int companion_store(struct store *s, const struct oci_desc *subject, const char *tag,
		    struct oci_manifest *m, struct oci_desc *out, struct xp_error *err);

#endif
