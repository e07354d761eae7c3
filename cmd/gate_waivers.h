/*
 * gate_waivers.h — `gate --waivers FILE --approvers FILE`: each waiver's
 * signature verified against the approvers (packager/approval.h) and handed
 * to the gate as a struct gate_waiver (pipeline/gate.h), which decides what
 * it covers. A waiver no trusted key signed is reported and left out.
 */
#ifndef XPSHIP_CMD_GATE_WAIVERS_H
#define XPSHIP_CMD_GATE_WAIVERS_H

#include <stddef.h>

#include "packager/approval.h"
#include "pipeline/gate.h"

#define GATE_WAIVERS_MAX 64

struct gate_waivers {
	const char *paths[GATE_WAIVERS_MAX];
	size_t n_paths;
	const char *approvers_path;
	struct approvers approvers;
	struct waiver_info info[GATE_WAIVERS_MAX];
	struct gate_waiver w[GATE_WAIVERS_MAX];
	size_t n;                        /* verified, in w */
};

/* Take one --waivers path: 0, or an exit code after a usage error. */
int gate_waivers_add(struct gate_waivers *g, const char *path);
/* Load and verify them all: 0, or an exit code after printing the error. */
int gate_waivers_load(struct gate_waivers *g);
void gate_waivers_release(struct gate_waivers *g);

#endif
