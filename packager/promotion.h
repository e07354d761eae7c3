/*
 * promotion.h — the promotion log: every move of a tag recorded as a signed
 * in-toto statement attached to the manifest the tag moved to (docs/history.md).
 *
 * The statement (predicateType XP_PREDICATE_PROMOTION) is stored like any
 * attestation (sign.h: a DSSE envelope layer of `sha256-<hex>.att`); its
 * predicate is
 *   {"kind": "promote"|"rollback", "repository": R, "tag": T,
 *    "from": "sha256:..."|null, "to": "sha256:...", "time": RFC 3339,
 *    "by": {"builder": ID, "invocation": URL|null},
 *    "verification": {"key": KEYID|null, "verdict": V|null,
 *                     "champion": "sha256:..."|null|absent, "stale": bool,
 *                     "approvals": {"approvers": "sha256:...", "required": N,
 *                                   "roles": [...]}|absent}}
 * and the layer carries the same tag, from, time and kind as annotations
 * (PROMO_ANN_*), so the chain of champions can be listed from manifests
 * alone; with a key, the chain is read from the verified statements instead.
 */
#ifndef XPSHIP_PACKAGER_PROMOTION_H
#define XPSHIP_PACKAGER_PROMOTION_H

#include <stddef.h>

#include "common/error.h"
#include "packager/keys.h"
#include "packager/store.h"

#define XP_PREDICATE_PROMOTION "https://xpship.dev/promotion/v1"
#define PROMO_ANN_TAG "dev.xpship.promotion.tag"
#define PROMO_ANN_FROM "dev.xpship.promotion.from"
#define PROMO_ANN_TIME "dev.xpship.promotion.time"
#define PROMO_ANN_KIND "dev.xpship.promotion.kind"

struct promotion {
	const char *kind;                /* "promote" or "rollback" */
	const char *tag;
	const char *from;                /* the tag's digest before; NULL: it was new */
	long long time;                  /* seconds since 1970 */
	const char *builder_id;          /* who moved it (a CI job, a host) */
	const char *invocation_id;       /* which run; NULL when unknown */
	const char *key_id;              /* the key the target was verified with; NULL: none */
	const char *verdict;             /* the verified gate verdict; NULL: none */
	int champion_recorded;           /* the decision names its champion: */
	const char *champion;            /*   its digest (NULL: a first release) */
	int stale;                       /* moved with --allow-stale over a newer champion */
	/* approvals required: the approvers file's digest and how many keys and
	 * which roles it took (approvers_digest NULL: none required) */
	const char *approvers_digest;
	size_t approvals_required;
	const char *const *approval_roles;
	size_t n_approval_roles;
};

/* Sign the statement for moving p->tag to manifest m with k and attach it
 * to m. */
int promotion_record(struct store *s, const struct oci_desc *m, const struct sign_key *k,
		     const struct promotion *p, struct xp_error *err);

/* One entry of a manifest's promotion log. */
struct promotion_entry {
	char *kind, *tag, *from, *time;  /* from NULL: the tag was new */
	int verified;                    /* read from a statement verified by the key */
};

/* The promotion statements attached to manifest `digest` (none: *n = 0),
 * in the order they were recorded. With k, only statements whose envelope
 * verifies with k and whose subject is `digest` count, read from the signed
 * predicate; without, the layers' annotations are read (no blob fetched).
 * Manifests and envelopes are read by digest through the blob cache `cache`
 * (NULL: none). */
int promotion_log_read(struct store *s, const char *cache, const char *digest,
		       const struct sign_key *k, struct promotion_entry **out, size_t *n,
		       struct xp_error *err);
/* The latest entry for `tag` (borrowed from v), or NULL. */
const struct promotion_entry *promotion_log_latest(const struct promotion_entry *v, size_t n,
						   const char *tag);
void promotion_log_free(struct promotion_entry *v, size_t n);

/* One step of a tag's chain of champions. */
struct promotion_link {
	char digest[XP_DIGEST_SIZE];
	char *kind;                      /* "promote", "rollback"; NULL: no statement */
	char *time;                      /* when it became champion, or NULL */
	int verified;                    /* read from a statement verified by the key */
	size_t entry;                    /* the statement's place in its log (1-based; 0: none) */
};

/* The chain of champions of `tag`, newest first: the manifest the tag names,
 * then each statement's `from` (the latest statement for the tag recorded no
 * later than the step after it, each statement used once), at most `max`
 * steps. An absent tag gives an empty chain. With k, only statements
 * verified by k count. */
int promotion_chain(struct store *s, const char *cache, const char *tag,
		    const struct sign_key *k, size_t max, struct promotion_link **out,
		    size_t *n, struct xp_error *err);
void promotion_chain_free(struct promotion_link *v, size_t n);

#endif
