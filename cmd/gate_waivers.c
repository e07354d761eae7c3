/*
 * gate_waivers.c — the waivers `gate` is given (gate_waivers.h).
 */
#include "cmd/gate_waivers.h"
#include "cmd/cmd.h"

#include <string.h>

int gate_waivers_add(struct gate_waivers *g, const char *path)
{
	if (g->n_paths == GATE_WAIVERS_MAX)
		return cmd_usage_error("gate", "more than %d --waivers", GATE_WAIVERS_MAX);
	g->paths[g->n_paths++] = path;
	return 0;
}

int gate_waivers_load(struct gate_waivers *g)
{
	struct xp_error err;
	size_t i;

	if (!g->n_paths && !g->approvers_path)
		return 0;
	if (!g->approvers_path)
		return cmd_usage_error("gate", "--waivers needs --approvers FILE: a waiver counts only when a trusted approver signed it");
	xp_error_clear(&err);
	if (approvers_load(g->approvers_path, &g->approvers, &err))
		return cmd_fail(&err);
	for (i = 0; i < g->n_paths; i++) {
		struct waiver_info *w = &g->info[g->n];

		if (waiver_load(g->paths[i], &g->approvers, w, &err)) {
			if (err.cls != XP_ERR_REFUSED)
				return cmd_fail(&err);
			diag_warning("%s: not applied", err.msg);
			xp_error_clear(&err);
			continue;
		}
		g->w[g->n] = (struct gate_waiver){
			.source = w->source, .check = w->check,
			.candidate_digest = w->candidate_digest, .policy_digest = w->policy_digest,
			.approver = w->approver, .keyid = w->keyid, .identity = w->identity,
			.reason = w->reason, .time = w->time, .expires = w->expires,
			.envelope = w->envelope,
		};
		g->n++;
	}
	return 0;
}

void gate_waivers_release(struct gate_waivers *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		waiver_info_release(&g->info[i]);
	approvers_release(&g->approvers);
}
