/*
 * blobcache.h — immutable content kept on disk by digest, so that reading the
 * same manifest or config again costs no request ($XDG_CACHE_HOME/xpship,
 * else ~/.cache/xpship).
 *
 * Layout: DIR/blobs/sha256/<hex>, written atomically (temp + fsync + rename).
 * Only content addressed by digest is cached (never a tag's answer); a cached
 * file is checked against its digest and size when read, and a file that
 * does not match is ignored and replaced. Safe to share between threads and
 * processes (each file appears whole or not at all).
 */
#ifndef XPSHIP_PACKAGER_BLOBCACHE_H
#define XPSHIP_PACKAGER_BLOBCACHE_H

#include <stddef.h>

#include "common/error.h"
#include "packager/store.h"

/* The cache directory from the environment (caller frees); NULL when
 * neither XDG_CACHE_HOME nor HOME is set. */
char *blobcache_default_dir(void);

/* store_fetch_all through the cache `dir` (NULL: no cache). *hit (optional)
 * says whether it came from the cache. A cache that cannot be written is not
 * an error: the content is returned all the same. */
int blobcache_fetch_all(const char *dir, struct store *s, const struct oci_desc *d,
			size_t max, char **out, size_t *len, int *hit, struct xp_error *err);

#endif
