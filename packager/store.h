/*
 * store.h — the content store: one interface over the places an OCI graph lives.
 *
 * Three kinds behind one interface: an OCI image layout directory
 * (layout.c), the same tree as a tar file, an oci-archive (layout_archive.c),
 * and a registry repository over the OCI distribution API (registry*.c). They
 * plug in through the ops table in store_impl.h; store.c checks arguments and
 * dispatches. Everything after `pack` is written against this interface: copy
 * (push/pull/copy), sign, attest, verify, inspect, unpack, promote and
 * `gate --baseline` take a store and a reference and do not care which kind it
 * is.
 *
 * Content is addressed by descriptor. A descriptor whose media type is a
 * manifest or index type is a manifest (registry: /manifests/ endpoint);
 * anything else is a blob. Only sha256 digests are accepted; store.c rejects a
 * descriptor with an invalid digest, a negative size or no media type before
 * any implementation sees it, so a digest is always safe to use in a path.
 *
 * Guarantees every implementation keeps:
 *   - fetch returns a verifying reader: size and digest are checked as bytes
 *     pass and the read that reaches the end fails (XP_ERR_INTEGRITY) on a mismatch
 *     (common/stream.h). A consumer that reads to EOF never accepts bad bytes.
 *   - push verifies digest and size before the content becomes visible; content
 *     that is already present is not transferred again (idempotent).
 *   - the streaming writer (store_writer_*) makes content visible only at
 *     commit, under the digest the caller computed over exactly the bytes it
 *     wrote; an aborted or interrupted writer leaves nothing behind.
 *   - a tag is written only after the manifest it names is present; other tags
 *     are kept. Layout: index.json is rewritten atomically (temp + fsync +
 *     rename) under a lock; archive: on store_commit.
 *
 * Errors: a tag, digest or blob the store does not hold is XP_ERR_NOT_FOUND,
 * so callers can tell "absent" (e.g. no champion yet) from "broken"; digest and
 * size mismatches are XP_ERR_INTEGRITY. Otherwise local layouts give
 * XP_ERR_LOCAL (I/O) or XP_ERR_MALFORMED (not a layout, malformed JSON),
 * registries XP_ERR_REMOTE, bad arguments XP_ERR_USAGE.
 *
 * Ownership: struct store is opaque; store_close() writes nothing, so changes
 * to an archive are kept only by store_commit() (for a directory and a registry
 * every change is durable when its call returns, and commit is a no-op).
 * Strings in struct oci_desc are owned by the descriptor (oci_desc_release).
 * Not thread-safe: one store handle per thread.
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
#define DOCKER_MT_CONFIG "application/vnd.docker.container.image.v1+json"
#define DOCKER_MT_LAYER_GZIP "application/vnd.docker.image.rootfs.diff.tar.gzip"
#define OCI_ANN_REF_NAME "org.opencontainers.image.ref.name"

/* The empty descriptor's content ("{}"), digest and size. */
#define OCI_EMPTY_DATA "{}"
#define OCI_EMPTY_DIGEST "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
#define OCI_EMPTY_SIZE 2

/* Largest manifest or index accepted (the distribution spec suggests 4 MiB). */
#define OCI_MANIFEST_MAX (4 * 1024 * 1024)

struct oci_desc {
	char *media_type;
	char digest[XP_DIGEST_SIZE];
	int64_t size;
	char *artifact_type;   /* NULL when absent */
};

void oci_desc_release(struct oci_desc *d);
/* dst is overwritten (not released first). */
void oci_desc_copy(struct oci_desc *dst, const struct oci_desc *src);
/* 1 for OCI/Docker manifest and index media types. */
int oci_is_manifest_type(const char *media_type);
/* 1 for OCI/Docker index (manifest list) media types. */
int oci_is_index_type(const char *media_type);

/* Options for opening a store; zero-initialised means the defaults. */
struct store_opts {
	int create;             /* layout/archive: create on the first write when missing */
	int plain_http;         /* registry: http:// instead of https:// */
	int insecure;           /* registry: skip TLS verification */
	const char *ca_file;    /* registry: extra CA bundle */
	int jobs;               /* registry: parallel blob transfers (default 3) */
	int resolve_get;        /* registry: resolve tags with GET, keeping the manifest
	                           for the fetch that follows (for readers that want
	                           every manifest they resolve) */
	int64_t chunk_size;     /* registry: 0 = monolithic PUT */
	const struct xp_progress *progress;
};

struct store;
struct store_writer;

/* Open the store a reference names (its tag/digest is not resolved here).
 * A layout or archive that does not exist is an error unless opts->create;
 * then nothing is written before the first push, writer or tag. */
int store_open(const struct xp_ref *ref, const struct store_opts *opts,
	       struct store **out, struct xp_error *err);
/* Write pending changes (an archive is rewritten atomically: temp + fsync +
 * rename). A no-op for directories and registries. */
int store_commit(struct store *s, struct xp_error *err);
/* Release the store; pending archive changes are dropped. NULL is a no-op. */
void store_close(struct store *s);
/* The reference the store was opened with (borrowed; its tag/digest as given). */
const struct xp_ref *store_ref(const struct store *s);

/* A tag or "sha256:..." digest to the descriptor of the manifest or index it
 * names. NULL `name` means the only release tag (store_release_tag), or for a
 * layout without release tags its only untagged manifest. */
int store_resolve(struct store *s, const char *name, struct oci_desc *out,
		  struct xp_error *err);
/* The store's only release tag (caller frees): signature, attestation and
 * referrer tags do not count. None: XP_ERR_NOT_FOUND; several: XP_ERR_USAGE
 * naming them. */
int store_release_tag(struct store *s, char **out, struct xp_error *err);
/* store_resolve with the digest of `ref` if it has one, else its tag, else
 * NULL (the only tag). */
int store_resolve_ref(struct store *s, const struct xp_ref *ref, struct oci_desc *out,
		      struct xp_error *err);
/* The digest tag `name` names, into out; out[0] is '\0' when the store has no
 * such tag (or no such repository or layout yet). -1 only when the store
 * cannot answer. */
int store_tag_target(struct store *s, const char *name, char out[XP_DIGEST_SIZE],
		     struct xp_error *err);
/* 0 when tag `name` is absent or already names manifest `d` (writing it is
 * safe: nothing is moved); -1 with XP_ERR_REFUSED naming both digests when
 * it names another manifest, or the store's error. */
int store_tag_check(struct store *s, const char *name, const struct oci_desc *d,
		    struct xp_error *err);
int store_exists(struct store *s, const struct oci_desc *d, int *present,
		 struct xp_error *err);
/* A verifying reader over the content (the caller closes it). */
int store_fetch(struct store *s, const struct oci_desc *d, struct xp_reader **out,
		struct xp_error *err);
/* Fetch a whole manifest/index or small blob into memory (at most max bytes),
 * verified; NUL-terminated, the caller frees it. */
int store_fetch_all(struct store *s, const struct oci_desc *d, size_t max,
		    char **out, size_t *len, struct xp_error *err);
/* Read content to its end through its verifying reader, keeping nothing: 0
 * when it matched its digest and size. Content of 1 MiB or more reports
 * progress through the store's opts.progress, as a transfer does. */
int store_drain(struct store *s, const struct oci_desc *d, struct xp_error *err);
/* Store content; `in` is consumed (closed) either way. The digest and size are
 * verified before the content becomes visible. Present content is skipped. */
int store_push(struct store *s, const struct oci_desc *d, struct xp_reader *in,
	       struct xp_error *err);
/* Store an in-memory blob or manifest (digest and size are computed here);
 * `out` (optional) receives its descriptor with `media_type`. */
int store_push_buf(struct store *s, const char *media_type, const void *data,
		   size_t len, struct oci_desc *out, struct xp_error *err);
/* A source that can be opened again: a transfer that fails part-way (a
 * dropped connection, an expired token) restarts from the start or resumes
 * at `offset` (a registry's reported upload range). open() returns a reader
 * over the content from byte `offset` on; reading it to the end verifies the
 * whole content as far as the source does (store_fetch's readers do). */
struct store_source {
	int (*open)(void *ctx, uint64_t offset, struct xp_reader **out, struct xp_error *err);
	void *ctx;
};

/* store_push from a re-openable source: the same checks and the same
 * "already present" shortcut; a store that can retry transfers (a registry)
 * reopens the source instead of failing. */
int store_push_from(struct store *s, const struct oci_desc *d, const struct store_source *src,
		    struct xp_error *err);
/* A source over content of another store (store_fetch, skipping `offset`
 * bytes on reopen). `src` and `d` are borrowed while the source is in use. */
struct store_fetch_source {
	struct store_source base;
	struct store *src;
	const struct oci_desc *d;
};
void store_fetch_source_init(struct store_fetch_source *fs, struct store *src,
			     const struct oci_desc *d);

/* Make blob `d` of `src` present in `dst`, asking `dst` once whether it is
 * there already: present (nothing sent), else mounted when `mount` and the
 * two stores can (store_mount), else streamed (store_push_from over
 * store_fetch of src). *how says which. */
enum store_copied { STORE_WAS_PRESENT, STORE_MOUNTED, STORE_COPIED };
int store_copy_blob(struct store *dst, const struct oci_desc *d, struct store *src, int mount,
		    enum store_copied *how, struct xp_error *err);

/* Make blob `d` of `from` present in `s` without transferring it (a registry's
 * cross-repository mount on the same host). *done is 0 when the store cannot
 * do that here (other host, another kind of store) or the mount was refused:
 * the caller then pushes the content itself. */
int store_mount(struct store *s, const struct oci_desc *d, struct store *from, int *done,
		struct xp_error *err);

/* The manifests that name `d` as their subject: a registry's OCI 1.1
 * referrers API, else its fallback tag `sha256-<hex>` (an image index); an
 * empty list where there are none. *out is an array of n descriptors the
 * caller frees with oci_descs_free (packager/oci.h). A store kind without
 * referrers (a layout: its signatures are `sha256-<hex>.sig`/`.att` tags)
 * gives an empty list. */
int store_referrers(struct store *s, const struct oci_desc *d, struct oci_desc **out,
		    size_t *n, struct xp_error *err);

/* A second handle on the same store with the same options (for a worker
 * thread: handles are not thread-safe). Pending changes of `s` (an archive)
 * are not visible to it; not supported for an archive being written. */
int store_reopen(struct store *s, struct store **out, struct xp_error *err);
/* "oci:out", "oci-archive:m.tar", "host/repo" — for messages (borrowed until
 * the store closes). */
const char *store_name(const struct store *s);

/* Point tag `name` at manifest `d`, which must already be present. A tag that
 * names another manifest is moved. */
int store_tag(struct store *s, const struct oci_desc *d, const char *name,
	      struct xp_error *err);
/* Remove manifest `d` and every tag that names it (a registry's DELETE
 * /manifests/<digest>: the registry must allow deletes, else XP_ERR_REMOTE;
 * a layout drops its index.json entries, keeping the blobs). Blobs are left
 * to the registry's own garbage collection. Not there: XP_ERR_NOT_FOUND. An
 * oci-archive cannot (XP_ERR_USAGE). */
int store_delete(struct store *s, const struct oci_desc *d, struct xp_error *err);
/* All tags, sorted, without duplicates (caller frees each string and the
 * array; *names is NULL when n is 0). */
int store_tags(struct store *s, char ***names, size_t *n, struct xp_error *err);
void store_tags_free(char **names, size_t n);

/* Streaming writes of content whose digest is known only at the end (a layer
 * being produced). Bytes go straight to their final medium; nothing is visible
 * until store_writer_commit(), which names the content by `digest` — the
 * caller's SHA-256 over exactly the bytes written (a registry re-checks it).
 * The writer is owned by the caller until commit/abort, which release it.
 * Not every store supports it: an error (XP_ERR_USAGE) says so. */
int store_writer_open(struct store *s, struct store_writer **out, struct xp_error *err);
int store_writer_write(struct store_writer *w, const void *data, size_t len,
		       struct xp_error *err);
/* Bytes written so far. */
uint64_t store_writer_size(const struct store_writer *w);
/* Make the content visible under `digest`; when already present the new copy
 * is dropped. Releases w either way. */
int store_writer_commit(struct store_writer *w, const char *digest, struct xp_error *err);
/* Drop everything written; NULL is a no-op. */
void store_writer_abort(struct store_writer *w);

#endif
