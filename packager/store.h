/*
 * store.h — the content store: one interface over the places an OCI graph lives.
 *
 * Two implementations: an OCI image layout (a directory, or the same tree as a
 * tar file: oci-archive) in layout.c, and a registry repository over the OCI
 * distribution API in registry.c. Everything after `pack` is written against
 * this interface: copy (push/pull/copy), sign, attest, verify, inspect, promote
 * and `gate --baseline` take a store and a reference and do not care which kind
 * it is.
 *
 * Content is addressed by descriptor. A descriptor whose media type is a
 * manifest or index type is a manifest (registry: /manifests/ endpoint);
 * anything else is a blob. Every fetched stream verifies size and digest while
 * it is read (common/stream.h). Push is idempotent: pushing content that exists
 * is a no-op. A tag is written only after the content it names is present.
 *
 * Ownership: struct store is opaque; store_close() writes nothing, so changes
 * to an archive are kept only by store_commit(). Strings in struct oci_desc are
 * owned by the descriptor (oci_desc_release).
 */
#ifndef XPSHIP_PACKAGER_STORE_H
#define XPSHIP_PACKAGER_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "common/digest.h"
#include "common/error.h"
#include "common/progress.h"
#include "common/stream.h"
#include "packager/ref.h"

#define OCI_MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define OCI_MT_INDEX "application/vnd.oci.image.index.v1+json"
#define OCI_MT_CONFIG "application/vnd.oci.image.config.v1+json"
#define OCI_MT_LAYER "application/vnd.oci.image.layer.v1.tar"
#define OCI_MT_LAYER_GZIP "application/vnd.oci.image.layer.v1.tar+gzip"
#define OCI_MT_LAYER_ZSTD "application/vnd.oci.image.layer.v1.tar+zstd"
#define OCI_MT_EMPTY "application/vnd.oci.empty.v1+json"
#define DOCKER_MT_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define DOCKER_MT_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define OCI_ANN_REF_NAME "org.opencontainers.image.ref.name"

/* Largest manifest or index accepted (the distribution spec suggests 4 MiB). */
#define OCI_MANIFEST_MAX (4 * 1024 * 1024)

struct oci_desc {
	char *media_type;
	char digest[XP_DIGEST_SIZE];
	int64_t size;
	char *artifact_type;   /* NULL when absent */
};

void oci_desc_release(struct oci_desc *d);
void oci_desc_copy(struct oci_desc *dst, const struct oci_desc *src);
/* 1 for OCI/Docker manifest and index media types. */
int oci_is_manifest_type(const char *media_type);

/* Options for opening a store; zero-initialised means the defaults. */
struct store_opts {
	int create;             /* layout: create when missing */
	int plain_http;         /* registry: http:// instead of https:// */
	int insecure;           /* registry: skip TLS verification */
	const char *ca_file;    /* registry: extra CA bundle */
	int jobs;               /* registry: parallel blob transfers (default 3) */
	int64_t chunk_size;     /* registry: 0 = monolithic PUT */
	const struct xp_progress *progress;
};

struct store;

/* Open the store a reference names (its tag/digest is not resolved here).
 * Layout errors are XP_EXIT_SYSTEM / XP_EXIT_MALFORMED, registry errors
 * XP_EXIT_REMOTE. */
int store_open(const struct xp_ref *ref, const struct store_opts *opts,
	       struct store **out, struct xp_error *err);
/* Write pending changes (an archive is rewritten atomically). */
int store_commit(struct store *s, struct xp_error *err);
void store_close(struct store *s);

/* A tag or "sha256:..." digest to the descriptor of the manifest it names.
 * NULL `name` means the only tag (an error when there are none or several). */
int store_resolve(struct store *s, const char *name, struct oci_desc *out,
		  struct xp_error *err);
int store_exists(struct store *s, const struct oci_desc *d, int *present,
		 struct xp_error *err);
/* A verifying reader over the content (the caller closes it). */
int store_fetch(struct store *s, const struct oci_desc *d, struct xp_reader **out,
		struct xp_error *err);
/* Fetch a whole manifest/index or small blob into memory (at most max bytes),
 * verified. */
int store_fetch_all(struct store *s, const struct oci_desc *d, size_t max,
		    char **out, size_t *len, struct xp_error *err);
/* Store content; `in` is consumed (closed) either way. The digest and size are
 * verified before the content becomes visible. */
int store_push(struct store *s, const struct oci_desc *d, struct xp_reader *in,
	       struct xp_error *err);
/* Point tag `name` at manifest `d`, which must already be present. */
int store_tag(struct store *s, const struct oci_desc *d, const char *name,
	      struct xp_error *err);
/* All tags, sorted (caller frees each string and the array). */
int store_tags(struct store *s, char ***names, size_t *n, struct xp_error *err);

#endif
