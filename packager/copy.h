/*
 * copy.h — copying an OCI graph from one content store to another.
 *
 * push = copy(layout → registry), pull = copy(registry → layout), copy =
 * copy(registry → registry) or any other pair of stores (store.h).
 *
 * copy_graph walks the graph children first: an index's manifests, a
 * manifest's config and layers. Content the destination already has is
 * skipped (exists); blobs go up to opts->jobs at a time, each transfer on
 * its own pair of store handles (store_reopen); between repositories of one
 * registry a blob is mounted instead of transferred when the registry
 * allows it. Each copied manifest's companions follow it: the tags
 * `sha256-<hex>.sig` and `sha256-<hex>.att` of the source (cosign's
 * signature and attestation tags) and the manifests the source lists as its
 * referrers (a registry's referrers API or fallback index). The tag `tag`
 * (optional) is written last, once everything it reaches is confirmed
 * present in the destination and opts->before_tag (when set) has run. Every
 * byte read from the source is verified against its digest before the
 * destination makes it visible.
 *
 * A destination archive must be committed by the caller (store_commit).
 */
#ifndef XPSHIP_PACKAGER_COPY_H
#define XPSHIP_PACKAGER_COPY_H

#include <stdint.h>

#include "common/error.h"
#include "packager/store.h"

struct copy_stats {
	unsigned blobs_copied;      /* transferred */
	unsigned blobs_present;     /* already in the destination */
	unsigned blobs_mounted;     /* mounted from the source repository */
	unsigned manifests;         /* manifests and indexes handled */
	unsigned companions;        /* signature/attestation/referrer manifests copied */
	uint64_t bytes;             /* blob bytes transferred */
};

struct copy_opts {
	int jobs;                   /* parallel blob transfers; 0 means 3 */
	int no_companions;          /* do not copy .sig/.att tags and referrers */
	int no_mount;               /* never mount across repositories */
	int keep_tag;               /* refuse (XP_ERR_REFUSED, before anything is
				       copied) when `tag` names another manifest
				       in dst (store_tag_check); 0: move it */
	struct copy_stats *stats;   /* optional: filled on return (also on failure) */
	/* optional: run on the destination once the graph and its companions
	 * are there, before the tag is written (push --sign signs here) */
	int (*before_tag)(struct store *dst, const struct oci_desc *desc, void *ctx,
			  struct xp_error *err);
	void *before_tag_ctx;
};

/* Copy the graph of manifest or index `desc` from src to dst, then tag it
 * `tag` in dst (NULL: no tag; see opts->keep_tag for a tag that exists). */
int copy_graph(struct store *src, struct store *dst, const struct oci_desc *desc,
	       const char *tag, const struct copy_opts *opts, struct xp_error *err);

#endif
