/*
 * store_impl.h — how a kind of store plugs into store.h (packager/ only).
 *
 * An implementation embeds struct store as the FIRST member of its own handle
 * and fills `ops`; store.c validates every argument (descriptors: media type
 * present, valid sha256 digest, size >= 0; tags: valid OCI tags) and then
 * calls through the table, so implementations may use a digest in a path
 * without further checks. The generic parts live in store.c: fetch_all
 * (fetch + bounded read), push_buf and the "already present" shortcut of push
 * (exists first; the reader is closed unread). An implementation's close calls
 * store_base_release() before freeing its handle.
 *
 * Implementations:
 *   layout.c          layout_store_open   — OCI image layout directory
 *   layout_archive.c  archive_store_open  — oci-archive (tar of a layout)
 *   registry*.c       registry_store_open — a registry repository
 *
 * A NULL op means "not supported by this kind" and store.c answers with an
 * XP_ERR_USAGE error naming the store; an implementation may add ops at the end
 * of the table (with a store_* wrapper in store.h) as copy or signing need them.
 */
#ifndef XPSHIP_PACKAGER_STORE_IMPL_H
#define XPSHIP_PACKAGER_STORE_IMPL_H

#include "packager/store.h"

struct store_ops {
	const char *kind;   /* "layout", "archive", "registry" — for messages */
	int one_handle;     /* a second handle cannot be opened (store_reopen) */
	/* A tag or a valid digest (never NULL: store.c picks the only release tag
	 * through tags()). A tag or digest that is not there: XP_ERR_NOT_FOUND. */
	int (*resolve)(struct store *s, const char *name, struct oci_desc *out,
		       struct xp_error *err);
	/* Optional: a store without release tags whose content is one untagged
	 * manifest resolves to it (a layout umoci or another tool wrote); NULL
	 * means "no tags" is not found. */
	int (*resolve_untagged)(struct store *s, struct oci_desc *out, struct xp_error *err);
	int (*exists)(struct store *s, const struct oci_desc *d, int *present,
		      struct xp_error *err);
	int (*fetch)(struct store *s, const struct oci_desc *d, struct xp_reader **out,
		     struct xp_error *err);
	/* Called only when exists() said "absent"; consumes `in` either way. The
	 * reader is NOT yet wrapped in a verifier: the implementation verifies
	 * (reader_verify) before the content becomes visible. */
	int (*push)(struct store *s, const struct oci_desc *d, struct xp_reader *in,
		    struct xp_error *err);
	int (*tag)(struct store *s, const struct oci_desc *d, const char *name,
		   struct xp_error *err);
	int (*tags)(struct store *s, char ***names, size_t *n, struct xp_error *err);
	int (*writer_open)(struct store *s, struct store_writer **out,
			   struct xp_error *err);
	int (*commit)(struct store *s, struct xp_error *err);
	/* Frees the implementation's handle (struct store included). */
	void (*close)(struct store *s);
	/* Optional: push from a re-openable source (retries reopen it); called
	 * only when exists() said "absent". NULL: store.c opens the source once
	 * and calls push. */
	int (*push_from)(struct store *s, const struct oci_desc *d,
			 const struct store_source *src, struct xp_error *err);
	/* Optional (store_mount): NULL means "cannot mount" (*done = 0). Called
	 * only when `from` is a store of this same kind (the same ops table), so
	 * the implementation may treat it as its own handle. */
	int (*mount)(struct store *s, const struct oci_desc *d, struct store *from,
		     int *done, struct xp_error *err);
	/* Optional (store_referrers): NULL means "none". */
	int (*referrers)(struct store *s, const struct oci_desc *d, struct oci_desc **out,
			 size_t *n, struct xp_error *err);
	/* Optional (store_delete): remove manifest d and every tag naming it. */
	int (*delete_manifest)(struct store *s, const struct oci_desc *d, struct xp_error *err);
};

struct store {
	const struct store_ops *ops;
	struct xp_ref ref;          /* deep copy of the reference opened */
	struct store_opts opts;     /* copy (borrowed pointers inside stay borrowed) */
	char *name;                 /* ref without tag/digest, for messages */
};

/* The writer side, embedded FIRST in an implementation's writer handle. */
struct store_writer_ops {
	int (*write)(struct store_writer *w, const void *data, size_t len,
		     struct xp_error *err);
	/* Publish under `digest`; releases the writer either way. */
	int (*commit)(struct store_writer *w, const char *digest, struct xp_error *err);
	void (*abort)(struct store_writer *w);
};

struct store_writer {
	const struct store_writer_ops *ops;
	uint64_t size;              /* maintained by store.c */
};

/* Fill the common part of a new handle (deep-copies ref). */
void store_base_init(struct store *s, const struct store_ops *ops,
		     const struct xp_ref *ref, const struct store_opts *opts);
/* Release what store_base_init allocated (the implementation's close calls it). */
void store_base_release(struct store *s);

/* A push op for stores with a writer: streams `in` through a verifying reader
 * into ops->writer_open's writer and commits under d->digest only when size
 * and digest matched (reports progress through s->opts.progress). Consumes in. */
int store_push_via_writer(struct store *s, const struct oci_desc *d, struct xp_reader *in,
			  struct xp_error *err);

/* Hand a list of tag names over as store_tags promises it: sorted, without
 * duplicates (freed), NULL when empty. Takes ownership of v. */
void store_tags_finish(char **v, size_t count, char ***names, size_t *n);

int layout_store_open(const struct xp_ref *ref, const struct store_opts *opts,
		      struct store **out, struct xp_error *err);
int archive_store_open(const struct xp_ref *ref, const struct store_opts *opts,
		       struct store **out, struct xp_error *err);
int registry_store_open(const struct xp_ref *ref, const struct store_opts *opts,
			struct store **out, struct xp_error *err);

#endif
