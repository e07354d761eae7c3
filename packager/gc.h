/*
 * gc.h — deleting old candidate releases from a repository, with their
 * companion manifests (signatures, attestations, referrers), through the
 * store's delete operation (store_delete).
 *
 * What is kept, always: the manifest every champion tag names now, every
 * manifest that another kept tag names (deleting a manifest deletes every tag
 * naming it, so a digest goes only when all its tags go), releases whose
 * metadata cannot be read, and the signatures and attestations of everything
 * kept. Kept unless asked: the past champions of the champion tags, as their
 * promotion logs record them (a champion moved without a promotion statement
 * is not known as one). Kept by the options: the `keep_last` newest releases
 * (by created, then tag) and releases not older than `older_than` (a release
 * without a created time is never old).
 */
#ifndef XPSHIP_PACKAGER_GC_H
#define XPSHIP_PACKAGER_GC_H

#include <stddef.h>

#include "common/error.h"
#include "packager/store.h"

struct gc_opts {
	char *const *tags;               /* champion tags; none: "prod" */
	size_t n_tags;
	size_t keep_last;                /* the newest N releases stay */
	int delete_past_champions;       /* past champions may go (never current ones) */
	long long older_than;            /* seconds; 0: age does not matter */
	long long now;                   /* seconds since 1970 */
	int apply;                       /* 0: only plan (a dry run) */
	const char *cache;               /* blob cache (blobcache.h), NULL: none */
	int jobs;                        /* parallel metadata readers */
};

/* One release and what happens to it. */
struct gc_item {
	char *tag;
	char digest[XP_DIGEST_SIZE];
	int remove;                      /* deleted (or, in a dry run, to be deleted) */
	char *why;                       /* why it is kept, or what goes with it */
	size_t companions;               /* companion manifests deleted with it */
};

struct gc_result {
	struct gc_item *v;               /* newest first */
	size_t n;
	size_t removed, kept, manifests; /* releases, and manifests deleted in all */
};

/* Plan, and with o->apply carry out, the deletion. A failure part-way
 * leaves what was deleted deleted (r says which, the error why). */
int gc_run(struct store *s, const struct gc_opts *o, struct gc_result *r, struct xp_error *err);
void gc_result_release(struct gc_result *r);

#endif
