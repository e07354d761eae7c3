/*
 * bundlearg.h — opening the bundle a command names (oci:DIR[:TAG],
 * oci-archive:FILE[:TAG], a bare path, or a registry reference) and resolving
 * its manifest, with the usual messages.
 */
#ifndef XPSHIP_CMD_BUNDLEARG_H
#define XPSHIP_CMD_BUNDLEARG_H

#include "packager/store.h"

/* Returns 0 with *s open and *m filled (the caller closes and releases), or
 * an exit code after printing the error. */
int bundlearg_open(const char *cmd, const char *arg, const struct store_opts *opts,
		   struct store **s, struct oci_desc *m);

#endif
