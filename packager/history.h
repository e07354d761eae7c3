/*
 * history.h — what a repository's releases say about themselves: every
 * release tag with its metadata, gate verdict, signer and whether it is or was
 * a champion of a tag (the promotion log, promotion.h), read from manifests
 * and configs only (never the model layers), in parallel, through the blob
 * cache (blobcache.h). `xpship history`, `best` and `gc` read through here.
 *
 * A release is a tag that is not a companion tag (ref_is_companion_tag) and
 * not the champion tag itself. A release whose metadata cannot be read (a
 * foreign image, a broken manifest) is listed with `problem` set: shown, not
 * fatal; so are releases without metrics.
 */
#ifndef XPSHIP_PACKAGER_HISTORY_H
#define XPSHIP_PACKAGER_HISTORY_H

#include <stddef.h>

#include "common/error.h"
#include "packager/keys.h"
#include "packager/promotion.h"
#include "packager/store.h"

enum history_champion { HISTORY_NEVER, HISTORY_PAST, HISTORY_CURRENT };

struct history_entry {
	char *tag;
	char digest[XP_DIGEST_SIZE];
	char *created;                   /* org.opencontainers.image.created, or NULL */
	char *experiment_id;
	char *objective;                 /* the objective metric's name, or NULL */
	int objective_lower;             /* it is minimized */
	char *metrics;                   /* flat JSON object (dev.xpship.metrics), or NULL */
	char *parameters;                /* JSON object (dev.xpship.parameters), or NULL */
	char *verdict;                   /* dev.xpship.gate.verdict, or NULL */
	char *signer;                    /* key id of its attestations, or NULL */
	char *approvals;                 /* "alice@example.com (ml-lead), bob", or NULL */
	char *waivers;                   /* "accuracy.min by alice", or NULL */
	enum history_champion champion;
	char *problem;                   /* why its metadata could not be read, or NULL */
};

struct history {
	char *tag;                       /* the champion tag */
	struct history_entry *v;          /* newest first (created, then tag) */
	size_t n;
	struct promotion_link *chain;    /* the current champion first; empty: none */
	size_t n_chain;
};

struct history_opts {
	const char *tag;                 /* the champion tag (NULL: "prod") */
	size_t limit;                    /* at most this many releases, newest; 0: all */
	int jobs;                        /* parallel readers (0: 4) */
	const char *cache;               /* blob cache directory, NULL: none */
	const struct sign_key *key;      /* verify the promotion statements; NULL: annotations */
};

int history_read(struct store *s, const struct history_opts *o, struct history *out,
		 struct xp_error *err);
void history_release(struct history *h);

/* The metric `name` of release r (1 and *out), 0 when absent. */
int history_metric(const struct history_entry *r, const char *name, double *out);

#endif
