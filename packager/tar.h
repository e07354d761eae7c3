/*
 * tar.h — the tar container of an oci-archive: an index of its regular files
 * and a writer of plain, reproducible entries (packager/ only).
 *
 * Model layers are written with libarchive (layer.c). An oci-archive, though,
 * is read and rewritten in place: xpship needs the byte offset of each blob's
 * data to read it with pread (no extraction to a temporary directory) and must
 * reserve a header before a blob of unknown digest and size is streamed, then
 * fill it in. Both need exact control over the format, which these few hundred
 * lines give.
 *
 * Reading accepts what tar writers put in OCI archives: ustar (with the
 * prefix field), pax extended headers (path, size), GNU long names and base-256
 * sizes. Only regular files are indexed; names are normalised ("./" removed)
 * and names that are absolute or contain ".." are skipped. Every size and
 * offset is checked against the file size. Errors are XP_ERR_MALFORMED.
 *
 * Writing produces ustar headers: mode 0644 (dirs 0755), uid/gid 0, no user
 * names, mtime 0; sizes of 8 GiB and more in base-256, which GNU tar,
 * libarchive and Go read.
 */
#ifndef XPSHIP_PACKAGER_TAR_H
#define XPSHIP_PACKAGER_TAR_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#define TAR_BLOCK 512

struct tar_entry {
	char *name;          /* normalised */
	uint64_t offset;     /* of the data */
	uint64_t size;
};

struct tar_index {
	struct tar_entry *v;   /* in archive order; a later duplicate replaces */
	size_t n;
};

/* Index the archive open on fd (size: the file's size); `what` names it in
 * errors. */
int tar_scan(int fd, uint64_t size, const char *what, struct tar_index *out,
	     struct xp_error *err);
const struct tar_entry *tar_find(const struct tar_index *ix, const char *name);
void tar_index_release(struct tar_index *ix);

/* Fill a 512-byte ustar header. type '0' (file) or '5' (directory). Names up to
 * 255 bytes that split at a '/' into prefix (155) and name (100); -1 when the
 * name does not fit. */
int tar_header(unsigned char hdr[TAR_BLOCK], const char *name, char type, uint64_t size);
/* Bytes of zero padding after `size` bytes of data. */
static inline uint64_t tar_pad(uint64_t size)
{
	return (TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK;
}

#endif
