/*
 * registry.h — the registry side of the content store (OCI distribution API
 * over libcurl) and registry utilities.
 */
#ifndef XPSHIP_PACKAGER_REGISTRY_H
#define XPSHIP_PACKAGER_REGISTRY_H

#include "common/error.h"
#include "packager/ref.h"
#include "packager/store.h"

struct registry_ping {
	long status;            /* HTTP status of GET /v2/ */
	char api_version[64];   /* Docker-Distribution-API-Version, if sent */
	char scheme[16];        /* "https" or "http" */
};

/* GET /v2/ on the registry `ref` names, with credentials from the environment
 * (XPSHIP_REGISTRY_USERNAME / XPSHIP_REGISTRY_PASSWORD) when it asks for them.
 * 0 when the registry answers 200; -1 with XP_EXIT_REMOTE otherwise. */
int registry_ping(const struct xp_ref *ref, const struct store_opts *opts,
		  struct registry_ping *out, struct xp_error *err);

#endif
