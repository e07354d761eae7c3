/*
 * promote.c — moving a tag to a verified manifest (promote.h).
 */
#include "packager/promote.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a registry promotion whose decision names its champion waits
 * after moving the tag before reading it back (XPSHIP_PROMOTE_SETTLE_MS):
 * registries have no compare-and-swap on tags, so a promotion that checked
 * the same champion and moved the tag just after this one is detected here,
 * and this one reports that it lost. */
#define PROMOTE_SETTLE_MS 200

/* The verification step: 0 when every check held. */
static int promote_verify(struct store *s, const struct oci_desc *m,
			  const struct promote_opts *o, struct verify_report *r,
			  struct xp_error *err)
{
	struct verify_opts vo = {0};

	if (!o->key)
		return 0;
	vo.key = o->key;
	vo.require_verdict = o->require_verdict;
	vo.identity = o->identity;
	vo.approvals = o->approvals;
	if (sign_verify_bundle(s, m, &vo, r, err))
		return -1;
	if (r->failed)
		return xp_error_set(err, XP_ERR_REFUSED, "verification failed (%zu check%s)",
				    r->failed, r->failed == 1 ? "" : "s");
	return 0;
}

/* The approvals step, when verification did not already count them (no key):
 * enough distinct trusted approvers of this digest and decision. */
static int promote_approvals(struct store *s, const struct oci_desc *m,
			     const struct promote_opts *o, struct verify_report *r,
			     struct xp_error *err)
{
	if (!o->approvals || o->key)
		return 0;
	if (approvals_check(s, m, o->approvals, r, err))
		return -1;
	if (r->failed)
		return xp_error_set(err, XP_ERR_REFUSED, "not approved");
	return 0;
}

/* The tag's current digest into cur ("" when there is no such tag). */
static int current(struct store *s, const char *tag, char cur[XP_DIGEST_SIZE],
		   struct xp_error *err)
{
	struct oci_desc d = {0};

	cur[0] = '\0';
	if (store_resolve(s, tag, &d, err)) {
		if (err->cls != XP_ERR_NOT_FOUND)
			return -1;
		xp_error_clear(err);
		return 0;
	}
	snprintf(cur, XP_DIGEST_SIZE, "%s", d.digest);
	oci_desc_release(&d);
	return 0;
}

/* The stale-decision check, right before the tag moves: 0 when the tag still
 * names the champion the decision (or the caller) expects. */
static int promote_check_stale(const struct oci_desc *m, const struct promote_opts *o,
			       const struct verify_report *r, const char *cur,
			       struct promote_outcome *out, struct xp_error *err)
{
	const char *want;

	if (o->expect_set)
		want = o->expect;
	else if (r->champion_recorded)
		want = r->champion;
	else
		return 0;
	if (strcmp(cur, m->digest) == 0 || strcmp(cur, want ? want : "") == 0)
		return 0;
	if (o->allow_stale && !o->expect_set) {
		out->stale = 1;
		return 0;
	}
	return xp_error_set(err, XP_ERR_REFUSED, "stale decision: %s is now %s, the %s %s",
			    o->to, *cur ? cur : "absent",
			    o->expect_set ? "rollback read" : "gate compared against",
			    want ? want : "no champion");
}

static long settle_ms(void)
{
	const char *v = getenv("XPSHIP_PROMOTE_SETTLE_MS");
	char *end;
	long ms;

	if (!v || !*v)
		return PROMOTE_SETTLE_MS;
	ms = strtol(v, &end, 10);
	return *end || ms < 0 || ms > 60000 ? PROMOTE_SETTLE_MS : ms;
}

/* After the move: a registry tag read back after a pause must still be ours. */
static int promote_settle(struct store *s, const struct oci_desc *m, const char *tag,
			  struct xp_error *err)
{
	char cur[XP_DIGEST_SIZE];
	long ms = settle_ms();
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	if (store_ref(s)->kind != REF_REGISTRY)
		return 0;
	nanosleep(&ts, NULL);
	if (current(s, tag, cur, err))
		return -1;
	if (strcmp(cur, m->digest) != 0)
		return xp_error_set(err, XP_ERR_REFUSED,
				    "%s was moved to %s by another promotion while this one ran",
				    tag, *cur ? cur : "nowhere (deleted)");
	return 0;
}

/* The promotion statement, attached to m once the tag names it. */
static int promote_record(struct store *s, const struct oci_desc *m,
			  const struct promote_opts *o, const struct verify_report *r,
			  const struct promote_outcome *out, struct xp_error *err)
{
	struct promotion p = {0};

	p.kind = o->kind ? o->kind : "promote";
	p.tag = o->to;
	p.from = out->from[0] ? out->from : NULL;
	p.time = o->now ? o->now : (long long)time(NULL);
	p.builder_id = o->builder_id;
	p.invocation_id = o->invocation_id;
	p.key_id = o->key ? key_id(o->key) : NULL;
	p.verdict = r->verdict;
	p.champion_recorded = r->champion_recorded;
	p.champion = r->champion;
	p.stale = out->stale;
	if (o->approvals) {
		p.approvers_digest = o->approvals->approvers->digest;
		p.approvals_required = o->approvals->required;
		p.approval_roles = o->approvals->roles;
		p.n_approval_roles = o->approvals->n_roles;
	}
	if (promotion_record(s, m, o->sign_key, &p, err) || store_commit(s, err))
		return -1;
	return 0;
}

int promote_run(struct store *s, const struct oci_desc *m, const struct promote_opts *o,
		struct verify_report *r, struct xp_error *err)
{
	struct promote_outcome local, *out = o->outcome ? o->outcome : &local;

	memset(r, 0, sizeof(*r));
	memset(out, 0, sizeof(*out));
	if (!o->to)
		return xp_error_set(err, XP_ERR_USAGE, "no tag to promote to");
	if (o->require_verdict && !o->key)
		return xp_error_set(err, XP_ERR_USAGE,
				    "a required verdict needs a key: a verdict counts only when signed");
	if (o->identity && !o->key)
		return xp_error_set(err, XP_ERR_USAGE,
				    "a required identity needs a key: an identity counts only when signed");
	if (promote_verify(s, m, o, r, err) || promote_approvals(s, m, o, r, err))
		return -1;
	if (current(s, o->to, out->from, err) ||
	    promote_check_stale(m, o, r, out->from, out, err))
		return -1;
	out->moved = strcmp(out->from, m->digest) != 0;
	if (store_tag(s, m, o->to, err) || store_commit(s, err))
		return -1;
	if (!out->moved)
		return 0;
	/* only a checked move is worth defending: without a recorded champion
	 * (or with allow_stale) there is nothing a concurrent move would violate */
	if ((o->expect_set || (r->champion_recorded && !o->allow_stale)) &&
	    promote_settle(s, m, o->to, err))
		return -1;
	if (o->sign_key) {
		if (promote_record(s, m, o, r, out, err)) {
			xp_error_prefix(err, "%s now names %s, but its promotion statement was not recorded",
					o->to, m->digest);
			return -1;
		}
		out->recorded = 1;
	}
	return 0;
}
