/*
 * bundlearg.c — open a bundle reference and resolve its manifest (see
 * bundlearg.h).
 */
#include "cmd/bundlearg.h"
#include "cmd/cmd.h"
#include "cmd/regopts.h"

#include <string.h>

int bundlearg_open(const char *cmd, const char *arg, const struct store_opts *opts,
		   struct store **s, struct oci_desc *m)
{
	struct xp_error err;
	struct xp_ref ref;
	int ret;

	xp_error_clear(&err);
	memset(&ref, 0, sizeof(ref));
	if (ref_parse(arg, 0, &ref, &err)) {
		ret = cmd_usage_error(cmd, "%s", err.msg);
		return ret;
	}
	*s = NULL;
	regopt_prepare();
	if (store_open(&ref, opts, s, &err) || store_resolve_ref(*s, &ref, m, &err)) {
		store_close(*s);
		*s = NULL;
		ref_release(&ref);
		return cmd_fail(&err);
	}
	ref_release(&ref);
	return 0;
}
