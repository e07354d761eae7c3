/*
 * registry_store.c — the registry kind of content store (store_impl.h).
 *
 * Until the distribution-API implementation lands here, opening a registry
 * repository as a store is refused with a clear error; registry_ping
 * (registry.c) already talks to registries.
 */
#include "packager/store_impl.h"
#include "common/exitcode.h"

int registry_store_open(const struct xp_ref *ref, const struct store_opts *opts,
			struct store **out, struct xp_error *err)
{
	(void)opts;
	(void)out;
	return xp_error_set(err, XP_EXIT_USAGE,
			    "cannot open '%s/%s': registry stores are not supported yet",
			    ref->host, ref->repo);
}
