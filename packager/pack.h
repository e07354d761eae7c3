/*
 * pack.h — `xpship pack`: model files into a deterministic OCI bundle.
 *
 * pack_run() walks the inputs (tree.h), writes the layers straight into the
 * output store (layer.h), builds the image config or ModelPack config and the
 * manifest (image.h), tags it and commits the store. Three shapes:
 *
 *   image, FROM scratch   each file of at least `large` bytes, and a data
 *                         profile (bundle_is_profile_path), in its own layer
 *                         (sorted by path), the small rest in one layer last;
 *                         OCI image config (os, architecture, rootfs.diff_ids,
 *                         history, config.Labels = the annotations)
 *   image, --base B       B's layers and config (Env, Cmd, Entrypoint,
 *                         WorkingDir, ...) kept, the model layers appended to
 *                         layers, rootfs.diff_ids and history; B's blobs are
 *                         copied into the output store when they are not there
 *   modelpack             CNCF ModelPack artifact: every file in its own layer
 *                         typed weight / weight.config / doc / code / dataset,
 *                         with org.cncf.model.filepath and
 *                         org.cncf.model.file.metadata+json annotations, a
 *                         model config whose modelfs.diffIds lists the layers
 *
 * The manifest carries `annotations` (bundle.h) and
 * org.opencontainers.image.created. Packing the same inputs with the same
 * options gives the same manifest digest: entries sorted, mtime `epoch`,
 * uid/gid 0, normalised modes, created = `epoch` unless the annotations set it.
 *
 * Atomic: blobs become visible only complete (store_writer), the tag is moved
 * last and an archive is replaced only at commit, so an interrupted pack
 * leaves the previous bundle as it was and no temporary files (a complete but
 * unreferenced layer blob may remain in a directory layout; the next pack of
 * the same content reuses it).
 */
#ifndef XPSHIP_PACKAGER_PACK_H
#define XPSHIP_PACKAGER_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/progress.h"
#include "packager/layer.h"
#include "packager/oci.h"
#include "packager/ref.h"
#include "packager/store.h"
#include "packager/tree.h"

/* Files of at least this size get a layer of their own. */
#define PACK_LARGE_DEFAULT (1u << 20)

enum pack_format { PACK_IMAGE, PACK_MODELPACK };

/* A file the pack must hold (pack --experiment: the record's model.files). */
struct pack_expect {
	const char *src;                 /* on disk */
	const char *digest;              /* "sha256:..." it must have; NULL: any bytes
	                                    (a record riding along) */
	const char *where;               /* where it is listed ("FILE:LINE:COL") */
};

struct pack_opts {
	const struct tree_input *inputs;
	size_t n_inputs;
	const struct pack_expect *expect;   /* NULL: no list to match */
	size_t n_expect;
	int allow_unlisted;              /* a packed file the list lacks is not refused */
	enum pack_format format;
	enum layer_compression compression;
	const char *platform;            /* "os/arch[/variant]"; NULL: the base's, else linux/amd64 */
	int64_t epoch;                   /* entry mtime and default created time (>= 0) */
	const struct oci_annots *annotations;   /* manifest annotations, config Labels */
	const struct xp_ref *base;       /* NULL: FROM scratch */
	const struct store_opts *base_opts;
	uint64_t large;                  /* 0: PACK_LARGE_DEFAULT */
	int force;                       /* replace a tag whose bundle is signed */
	const struct xp_progress *progress;
};

/* Pack into the layout or archive `out` (created when missing), tag `tag` and
 * commit. `manifest` receives the manifest's descriptor. When `tag` names
 * another manifest that is signed or attested (a `sha256-<hex>.sig` or `.att`
 * tag, or a referrer), the tag is not moved unless o->force: XP_ERR_REFUSED,
 * and an archive is left as it was. */
int pack_run(const struct xp_ref *out, const char *tag, const struct pack_opts *o,
	     struct oci_desc *manifest, struct xp_error *err);

/* Match the files of tree t against the list: every regular file packed
 * must be listed (unless allow_unlisted) with its digest, and every entry with
 * a digest must be packed. The first mismatch in bundle order is
 * XP_ERR_REFUSED naming the file and where it is listed; a listed file that
 * cannot be read is XP_ERR_LOCAL. */
int pack_check_listed(const struct tree *t, const struct pack_expect *e, size_t n,
		      int allow_unlisted, struct xp_error *err);

/* "os/arch[/variant]" → platform (strings owned by p; release with
 * pack_platform_release). Usage error on bad syntax. */
int pack_platform_parse(const char *s, struct oci_platform *p, struct xp_error *err);
void pack_platform_release(struct oci_platform *p);


#endif
