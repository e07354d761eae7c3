/*
 * unpack.h — extracting a bundle's files, safely and verified.
 *
 * unpack_bundle() resolves the manifest (an index: its linux/amd64 manifest,
 * else its first), then extracts every layer in order with libarchive into a
 * staging directory beside DIR (".NAME.unpack-<pid>-XXXXXX"); only when every layer
 * was extracted and every blob matched its digest is the staging directory
 * renamed to DIR. DIR must not exist or be an empty directory. A layer is read
 * through the store's verifying reader and drained to its end, so a blob whose
 * bytes do not match its digest fails the unpack and nothing appears at DIR.
 *
 * Entries are written with ARCHIVE_EXTRACT_SECURE_SYMLINKS, _SECURE_NODOTDOT
 * and _SECURE_NOABSOLUTEPATHS, no owners, and the permission bits pack
 * writes (tree_mode: no setuid, setgid, sticky or group/world-writable bit).
 * Before libarchive sees an entry it is refused here when its name is
 * absolute or has a ".." component, when it is a hard link whose target is,
 * or is a directory or not there, when it is a symbolic link whose target is
 * absolute or climbs out of DIR (the rule tree.h applies when packing), when
 * it is a device node, FIFO or socket, or when an earlier entry made one of
 * its parents a file. A refused entry fails the whole unpack: nothing outside
 * DIR is ever touched, and DIR itself is not created. Whiteouts (".wh.NAME")
 * remove NAME from what earlier layers extracted, opaque markers
 * (".wh..wh..opq") what earlier layers put in their directory, keeping what
 * their own layer wrote, without following links; a whiteout of "", "." or
 * ".." is refused. A non-directory over an earlier layer's directory replaces
 * it. The layers' tar streams, decompressed, may total at most max_size
 * bytes (a header claiming more is refused before it is written): past it
 * the unpack is refused and the staging directory removed. Names come out
 * byte for byte as the layer holds them, whatever the caller's locale (a
 * UTF-8 pax name is not normalised).
 *
 * Layer media types: OCI and Docker tar layers (plain, gzip, zstd) and the
 * CNCF ModelPack tar layers. Errors: a refused entry is XP_ERR_REFUSED, a digest
 * mismatch XP_ERR_INTEGRITY; an unreadable or unsupported layer XP_ERR_MALFORMED; local I/O
 * XP_ERR_LOCAL; DIR not empty XP_ERR_USAGE. An interruption by signal can
 * leave the hidden staging directory behind (never a partial DIR); the next
 * unpack into DIR removes it once its process is gone (temp_sweep).
 * Not thread-safe: extraction runs with the staging directory as the working
 * directory, restored afterwards.
 */
#ifndef XPSHIP_PACKAGER_UNPACK_H
#define XPSHIP_PACKAGER_UNPACK_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/progress.h"
#include "packager/oci.h"
#include "packager/store.h"

struct unpack_stats {
	size_t layers;
	size_t entries;
	uint64_t bytes;      /* blob bytes read */
	uint64_t expanded;   /* the layers' tar streams, decompressed */
};

#define UNPACK_MAX_BASE (1ull << 30)
#define UNPACK_MAX_RATIO 100u

/* The default cap on expanded bytes: 1 GiB plus 100 times the layers'
 * compressed sizes (UINT64_MAX when that overflows). */
uint64_t unpack_default_max_size(const struct oci_manifest *m);

/* max_size: the cap on expanded bytes, 0 for unpack_default_max_size(). */
int unpack_bundle(struct store *s, const struct oci_desc *desc, const char *dir,
		  uint64_t max_size, const struct xp_progress *progress,
		  struct unpack_stats *stats, struct xp_error *err);

#endif
