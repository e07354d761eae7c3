/*
 * diff.h — what changed between two bundles (any store kind, even two
 * different ones): parameters, metrics with direction-aware deltas, data
 * digests, code commits, files and layers, labels, signatures present.
 *
 * Read from manifests, configs and the attestations (the SLSA provenance for
 * data and code, the gate decision for each metric's direction; read, not
 * verified: `xpship verify` is the check). Model weights are never read: a
 * file of 1 MiB or more has a layer of its own (named by its dev.xpship.path
 * annotation) and is compared by that layer's digest and size; the layer the
 * small files share (uncompressed, at most 16 MiB) is read to compare them
 * one by one; any other layer is compared as a whole.
 *
 * Direction of a metric: the gate decision's rule for it (higher | lower),
 * else the objective's (maximize | minimize), else unknown. The delta is
 * B - A; "better" means B is better in that direction.
 */
#ifndef XPSHIP_PACKAGER_DIFF_H
#define XPSHIP_PACKAGER_DIFF_H

#include "common/error.h"
#include "packager/store.h"

struct diff_side {
	struct store *s;
	const struct oci_desc *m;
	const char *name;                /* as the user wrote it */
};

/* The difference as JSON (json) or aligned text (caller frees *out). */
int bundle_diff(const struct diff_side *a, const struct diff_side *b, int json, char **out,
		struct xp_error *err);

#endif
