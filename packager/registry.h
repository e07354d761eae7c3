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
 * 0 when the registry answers 200; -1 with XP_ERR_REMOTE otherwise. */
int registry_ping(const struct xp_ref *ref, const struct store_opts *opts,
		  struct registry_ping *out, struct xp_error *err);

/* 1 when XPSHIP_REGISTRY_PLAIN_HTTP (hosts separated by commas, or "*")
 * names `host`: registry stores for it use http://. */
int registry_plain_http(const char *host);

/* Check credentials against the registry `host` (GET /v2/, answering a Basic
 * or bearer-token challenge with them): 0 when accepted; XP_ERR_REMOTE
 * otherwise. */
int registry_check_login(const char *host, const struct store_opts *opts, const char *user,
			 const char *pass, struct xp_error *err);
/* Store credentials for `host` in the docker config (auths.<host>.auth, the
 * file rewritten atomically with mode 0600), or in its credential helper
 * (credHelpers / credsStore). *where (caller frees) says which. */
int registry_save_login(const char *host, const char *user, const char *pass,
			char **where, struct xp_error *err);
/* Remove stored credentials for `host`; *removed is 0 when there were none. */
int registry_logout(const char *host, int *removed, struct xp_error *err);

#endif
