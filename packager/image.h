/*
 * image.h — the JSON documents of a packed bundle: the OCI image config (FROM
 * scratch or appended to a base image), the CNCF ModelPack model config, and
 * loading a base image through any store (packager/ only; used by pack.c).
 *
 * Every builder writes compact JSON with a fixed key order, so the same inputs
 * give the same bytes. Model layers are described by struct image_layer.
 */
#ifndef XPSHIP_PACKAGER_IMAGE_H
#define XPSHIP_PACKAGER_IMAGE_H

#include <stddef.h>

#include "common/digest.h"
#include "common/error.h"
#include "packager/oci.h"
#include "packager/store.h"

#define MODELPACK_MT_MANIFEST "application/vnd.cncf.model.manifest.v1+json"
#define MODELPACK_MT_CONFIG "application/vnd.cncf.model.config.v1+json"
#define MODELPACK_ANN_FILEPATH "org.cncf.model.filepath"
#define MODELPACK_ANN_FILE_METADATA "org.cncf.model.file.metadata+json"

struct image_layer {
	struct oci_entry entry;           /* media type, digest, size, annotations */
	char diff_id[XP_DIGEST_SIZE];
	char *comment;                    /* history: what the layer holds */
};

void image_layers_free(struct image_layer *v, size_t n);

/* A base image, ready to be extended. */
struct image_base {
	struct oci_manifest manifest;     /* layer media types in OCI form */
	char *config;                     /* the base's config JSON, verified */
	size_t config_len;
	struct oci_config_info info;
};

/* Resolve `ref` in `s` (an index: the manifest for `want`; want->os NULL
 * means linux/amd64 there, and "as the base says" for a single manifest, whose
 * platform must otherwise match) and load its manifest and config. Docker
 * schema-2 images are accepted; their media types are mapped to OCI ones.
 * Foreign (non-distributable) layers are refused. */
int image_base_load(struct store *s, const struct xp_ref *ref, const struct oci_platform *want,
		    struct image_base *out, struct xp_error *err);
void image_base_release(struct image_base *b);

/* The OCI image config: the base's (all its fields kept) or a new one for
 * platform p, with `created`, config.Labels merged with `labels`, the layers'
 * diff_ids appended to rootfs.diff_ids and one history entry per layer. */
char *image_config_build(const struct image_base *base, const struct oci_platform *p,
			 const char *created, const struct oci_annots *labels,
			 const struct image_layer *layers, size_t n, size_t *len,
			 struct xp_error *err);

/* The ModelPack model config: descriptor from the annotations (title, version,
 * revision, source, licenses, authors, description; name from the title),
 * config.format from dev.xpship.model.format, modelfs.diffIds. */
char *image_modelpack_config_build(const struct oci_annots *ann, const char *created,
				   const struct image_layer *layers, size_t n, size_t *len);

/* The value of org.cncf.model.file.metadata+json for one entry (caller frees). */
char *image_file_metadata(const char *name, unsigned mode, uint64_t size,
			  const char *mtime, char typeflag);

#endif
