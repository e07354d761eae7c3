/*
 * blobcache.c — content cached on disk by digest (blobcache.h).
 */
#include "packager/blobcache.h"

#include "common/digest.h"
#include "common/fileio.h"
#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *blobcache_default_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (x && *x == '/')
		return xasprintf("%s/xpship", x);
	if (home && *home)
		return xasprintf("%s/.cache/xpship", home);
	return NULL;
}

/* The cached copy, when there is one that matches d. */
static int cache_read(const char *path, const struct oci_desc *d, size_t max, char **out,
		      size_t *len)
{
	struct xp_error e;
	char got[XP_DIGEST_SIZE], *buf;
	size_t n;

	if ((size_t)d->size > max || file_read_all(path, max, &buf, &n, &e))
		return 0;
	digest_buf(buf, n, got);
	if ((int64_t)n != d->size || strcmp(got, d->digest) != 0) {
		free(buf);
		return 0;
	}
	*out = buf;
	*len = n;
	return 1;
}

/* Write the cache file: a temporary name in its directory, then rename. No
 * fsync: a cache needs atomicity, not durability, and a file a crash left
 * short or empty fails its digest check on the next read and is replaced. */
static void cache_write(const char *path, const char *dir, const void *data, size_t len)
{
	char *tmp = temp_template(dir, ".blob");
	int fd = mkstemp(tmp);

	if (fd < 0) {
		free(tmp);
		return;
	}
	if (write_full(fd, data, len) != 0 || close(fd) != 0 || rename(tmp, path) != 0)
		unlink(tmp);
	free(tmp);
}

int blobcache_fetch_all(const char *dir, struct store *s, const struct oci_desc *d,
			size_t max, char **out, size_t *len, int *hit, struct xp_error *err)
{
	struct xp_error e;
	char *path, *sub;

	if (hit)
		*hit = 0;
	if (!dir)
		return store_fetch_all(s, d, max, out, len, err);
	path = xasprintf("%s/blobs/sha256/%s", dir, digest_hex(d->digest));
	if (cache_read(path, d, max, out, len)) {
		if (hit)
			*hit = 1;
		free(path);
		return 0;
	}
	if (store_fetch_all(s, d, max, out, len, err)) {
		free(path);
		return -1;
	}
	sub = xasprintf("%s/blobs/sha256", dir);
	if (mkdir_p(sub, 0700, &e) == 0)
		cache_write(path, sub, *out, *len);
	free(sub);
	free(path);
	return 0;
}
