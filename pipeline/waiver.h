/*
 * waiver.h — what a waiver names (docs/approvals.md): one check of a policy
 * for one candidate. The signing is packager's (packager/approval.h); the
 * matching of waivers to failed checks is the gate's (gate_apply_waivers).
 */
#ifndef XPSHIP_PIPELINE_WAIVER_H
#define XPSHIP_PIPELINE_WAIVER_H

#include "common/digest.h"
#include "common/error.h"

struct waiver_target {
	char check[256];                  /* "metric.check" */
	char candidate_digest[XP_DIGEST_SIZE];
	char policy_digest[XP_DIGEST_SIZE];
};

/* Load the policy and the candidate (an experiment record's selected run, or
 * a metrics source as `gate --metrics` reads it) and check that `check` names
 * a check of the policy ("accuracy.min"): XP_ERR_USAGE, with the closest
 * name, when it does not. The digests are those the gate records. */
int waiver_target_load(const char *policy, const char *candidate, int experiment,
		       const char *check, struct waiver_target *out, struct xp_error *err);

#endif
