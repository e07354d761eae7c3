/*
 * bundle.h — reading what a packed bundle says about itself.
 *
 * A bundle's metadata is written twice by `pack`: as manifest annotations and,
 * for a runnable image, as image-config `config.Labels`. Readers take the
 * manifest annotations first, then the labels, so bundle_read_meta() merges
 * labels under annotations (an annotation wins on the same key). `gate
 * --baseline`, `inspect` and signing read through here; any store kind works
 * (store.h), so a registry champion is read the same way as a local one.
 *
 * Keys:
 *   org.opencontainers.image.{title,version,revision,source,created}
 *   dev.xpship.experiment.id, dev.xpship.experiment.digest, dev.xpship.objective
 *   dev.xpship.metrics              FLAT JSON object of the candidate metrics
 *   dev.xpship.parameters           JSON object of the selected run's parameters
 *   dev.xpship.gate.verdict         pass | fail
 *   dev.xpship.decision.digest
 * and, as compatible extensions, org.opencontainers.image.{licenses,authors,
 * description} and dev.xpship.model.{framework,format}.
 */
#ifndef XPSHIP_PACKAGER_BUNDLE_H
#define XPSHIP_PACKAGER_BUNDLE_H

#include <stddef.h>

#include "common/error.h"
#include "packager/oci.h"
#include "packager/store.h"

#define BUNDLE_ANN_TITLE "org.opencontainers.image.title"
#define BUNDLE_ANN_VERSION "org.opencontainers.image.version"
#define BUNDLE_ANN_REVISION "org.opencontainers.image.revision"
#define BUNDLE_ANN_SOURCE "org.opencontainers.image.source"
#define BUNDLE_ANN_CREATED "org.opencontainers.image.created"
#define BUNDLE_ANN_LICENSES "org.opencontainers.image.licenses"
#define BUNDLE_ANN_AUTHORS "org.opencontainers.image.authors"
#define BUNDLE_ANN_DESCRIPTION "org.opencontainers.image.description"
#define BUNDLE_ANN_EXPERIMENT_ID "dev.xpship.experiment.id"
#define BUNDLE_ANN_EXPERIMENT_DIGEST "dev.xpship.experiment.digest"
#define BUNDLE_ANN_OBJECTIVE "dev.xpship.objective"
#define BUNDLE_ANN_METRICS "dev.xpship.metrics"
#define BUNDLE_ANN_PARAMETERS "dev.xpship.parameters"
#define BUNDLE_ANN_VERDICT "dev.xpship.gate.verdict"
#define BUNDLE_ANN_DECISION_DIGEST "dev.xpship.decision.digest"
#define BUNDLE_ANN_FRAMEWORK "dev.xpship.model.framework"
#define BUNDLE_ANN_FORMAT "dev.xpship.model.format"
/* On a layer that holds one file: its path inside the bundle. */
#define BUNDLE_ANN_LAYER_PATH "dev.xpship.path"

/* The ride-along records, under "<prefix>/" in the small-files layer. */
#define BUNDLE_DIR ".xpship"
#define BUNDLE_EXPERIMENT_FILE "experiment.yaml"
#define BUNDLE_DECISION_FILE "decision.json"
#define BUNDLE_PROFILE_FILE "profile.json"
/* The sha256 of the data profile `pack --profile` stored. */
#define BUNDLE_ANN_PROFILE_DIGEST "dev.xpship.profile.digest"
#define BUNDLE_PROFILE_MAX (64u << 20)

/* The merged metadata of `manifest` in `s`: manifest annotations over the
 * index's annotations (when `manifest` is an index, it stands for its manifest
 * for linux/amd64, else its first) over config Labels.
 * `out` is written on success only; the caller releases it
 * (oci_annots_release). */
int bundle_read_meta(struct store *s, const struct oci_desc *manifest,
		     struct oci_annots *out, struct xp_error *err);

/* bundle_read_meta, reading manifests and configs through the blob cache
 * `cache` (blobcache.h; NULL: none) — for listing many releases: a manifest
 * that carries dev.xpship.metrics was annotated by `pack`, which writes the
 * same metadata as labels, so its config is not read. */
int bundle_read_meta_cached(struct store *s, const char *cache, const struct oci_desc *manifest,
			    struct oci_annots *out, struct xp_error *err);

/* The manifest `d` stands for (itself, or picked from an index as above),
 * fetched, verified and parsed; mdesc receives its descriptor. */
int bundle_load_manifest(struct store *s, const struct oci_desc *d, struct oci_desc *mdesc,
			 struct oci_manifest *m, struct xp_error *err);

/* Everything `inspect` shows about a bundle. */
struct bundle_info {
	struct oci_desc desc;            /* what was resolved (manifest or index) */
	struct oci_desc manifest_desc;   /* the manifest described (desc, or picked from an index) */
	struct oci_manifest manifest;
	char **tags;                     /* the store's tags naming desc, sorted */
	size_t n_tags;
	struct oci_config_info config;   /* zeroed unless the config is an image config */
	struct oci_annots meta;          /* as bundle_read_meta */
};

int bundle_inspect(struct store *s, const struct oci_desc *desc, struct bundle_info *out,
		   struct xp_error *err);
void bundle_info_release(struct bundle_info *b);

/* 1 for a path a bundle's data profile lives at: ".xpship/profile.json"
 * under any prefix (pack gives that file a layer of its own). */
int bundle_is_profile_path(const char *name);

/* The data profile of the bundle `d` stands for: the manifest, then only the
 * layer holding the profile, fetched and verified; the file's digest checked
 * against dev.xpship.profile.digest when the manifest has it. No profile
 * layer is XP_ERR_MALFORMED. *out (caller frees) and *len on success. */
int bundle_fetch_profile(struct store *s, const struct oci_desc *d, char **out, size_t *len,
			 struct xp_error *err);

/* 1 for an OCI or Docker image config media type. */
int bundle_is_image_config(const char *media_type);

#endif
