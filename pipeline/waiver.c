/*
 * waiver.c — the candidate, policy and check a waiver names (waiver.h), and
 * waivers applied to a gate decision (gate.h).
 */
#include "pipeline/waiver.h"

#include "common/strbuf.h"
#include "common/suggest.h"
#include "common/timeutil.h"
#include "pipeline/experiment.h"
#include "pipeline/gate.h"
#include "pipeline/metrics.h"
#include "pipeline/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "metric.check" of a policy's checks, in order (caller frees names[i] and names). */
static char **check_names(const struct policy *p, size_t *n)
{
	char **names;
	size_t i, j, k = 0;

	for (i = 0, *n = 0; i < p->n_rules; i++)
		*n += p->rules[i].n_checks;
	names = xcalloc(*n + 1, sizeof(*names));
	for (i = 0; i < p->n_rules; i++)
		for (j = 0; j < p->rules[i].n_checks; j++)
			names[k++] = xasprintf("%s.%s", p->rules[i].metric,
					       policy_check_name(p->rules[i].checks[j].kind));
	return names;
}

static int check_exists(const struct policy *p, const char *check, struct xp_error *err)
{
	size_t n, i;
	char **names = check_names(p, &n);
	const char *best;
	int found = 0;

	for (i = 0; i < n; i++)
		found |= strcmp(names[i], check) == 0;
	best = found ? NULL : suggest_closest(check, (const char *const *)names, n);
	if (!found)
		xp_error_set(err, XP_ERR_USAGE, "policy '%s' has no check '%s'%s%s%s", p->path, check,
			     best ? " (did you mean '" : " (checks are named METRIC.CHECK, e.g. accuracy.min)",
			     best ? best : "", best ? "'?)" : "");
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return found ? 0 : -1;
}

int waiver_target_load(const char *policy, const char *candidate, int experiment,
		       const char *check, struct waiver_target *out, struct xp_error *err)
{
	struct waiver_target t;
	struct policy p;
	struct metrics m;
	int ret;

	memset(&t, 0, sizeof(t));
	memset(&p, 0, sizeof(p));
	if (strlen(check) >= sizeof(t.check))
		return xp_error_set(err, XP_ERR_USAGE, "check name too long");
	if (policy_load(policy, &p, err))
		return -1;
	ret = check_exists(&p, check, err);
	snprintf(t.policy_digest, sizeof(t.policy_digest), "%s", p.digest);
	policy_release(&p);
	if (ret)
		return -1;
	metrics_init(&m);
	ret = experiment ? experiment_metrics(candidate, &m, t.candidate_digest, err)
			 : metrics_load(&m, candidate, t.candidate_digest, err);
	metrics_release(&m);
	if (ret)
		return -1;
	snprintf(t.check, sizeof(t.check), "%s", check);
	*out = t;
	return 0;
}

/* ---- applying waivers ---- */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void copy_waiver(struct gate_waiver *dst, const struct gate_waiver *src)
{
	dst->source = dup_or_null(src->source);
	dst->check = dup_or_null(src->check);
	dst->candidate_digest = dup_or_null(src->candidate_digest);
	dst->policy_digest = dup_or_null(src->policy_digest);
	dst->approver = dup_or_null(src->approver);
	dst->keyid = dup_or_null(src->keyid);
	dst->identity = dup_or_null(src->identity);
	dst->reason = dup_or_null(src->reason);
	dst->time = dup_or_null(src->time);
	dst->expires = dup_or_null(src->expires);
	dst->envelope = dup_or_null(src->envelope);
}

/* The failed result `w` names, or NULL with *why (caller frees). */
static struct gate_result *covered(struct gate_decision *d, const struct gate_waiver *w,
				   long long now, char **why)
{
	long long until;
	size_t i;

	*why = NULL;
	if (!w->candidate_digest || strcmp(w->candidate_digest, d->candidate.digest) != 0) {
		*why = xasprintf("another candidate: waives %s, the candidate is %s",
				 w->candidate_digest ? w->candidate_digest : "none", d->candidate.digest);
		return NULL;
	}
	if (!w->policy_digest || strcmp(w->policy_digest, d->policy.digest) != 0) {
		*why = xasprintf("another policy: waives under %s, the policy is %s",
				 w->policy_digest ? w->policy_digest : "none", d->policy.digest);
		return NULL;
	}
	if (w->expires && (xp_time_parse(w->expires, &until) || until <= now)) {
		*why = xasprintf("expired at %s", w->expires);
		return NULL;
	}
	for (i = 0; i < d->n_results; i++) {
		struct gate_result *r = &d->results[i];
		char *name = xasprintf("%s.%s", r->rule->metric, policy_check_name(r->check->kind));
		int same = strcmp(name, w->check) == 0;

		free(name);
		if (!same)
			continue;
		if (r->outcome == GATE_FAIL || r->outcome == GATE_WAIVED)
			return r;
		*why = xasprintf("check '%s' did not fail (%s)", w->check,
				 gate_outcome_name(r->outcome));
		return NULL;
	}
	*why = xasprintf("another rule: the policy has no check '%s'", w->check);
	return NULL;
}

void gate_apply_waivers(struct gate_decision *d, const struct gate_waiver *w, size_t n,
			long long now)
{
	size_t i;

	if (!n)
		return;
	d->waivers = xcalloc(n, sizeof(*d->waivers));
	for (i = 0; i < n; i++) {
		struct gate_waiver_use *u = &d->waivers[d->n_waivers++];
		struct gate_result *r = covered(d, &w[i], now, &u->why);

		copy_waiver(&u->w, &w[i]);
		if (!r)
			continue;
		u->applied = 1;
		if (r->outcome == GATE_FAIL) {
			r->outcome = GATE_WAIVED;
			r->waiver = i + 1;
			d->failed--;
			d->waived++;
		}
	}
	d->pass = d->failed == 0;
}
