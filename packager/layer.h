/*
 * layer.h — deterministic tar layers, streamed into a content store in one
 * pass.
 *
 * A layer is written with libarchive as restricted pax (plain ustar unless a
 * name, link target or size needs an extended header), entries in the order
 * given (tree.h sorts them), every entry with uid/gid 0, no user or group
 * names, the mode tree.h normalised and one fixed mtime (SOURCE_DATE_EPOCH or
 * 0, chosen by the caller); no atime/ctime, no padding past the end-of-archive
 * blocks. The same entries therefore always give the same bytes.
 *
 * The bytes go straight into a store_writer (store.h) as they are produced: a
 * file is read once in large chunks and never held whole in memory; small
 * pieces (headers, small files) are gathered into 256 KiB batches first. The
 * tar stream is hashed on a second thread while it is written (its SHA-256 is
 * the layer's diff_id, and, uncompressed, also its blob digest: one hash);
 * with compression, blockz.h (gzip or zstd in fixed-size blocks on worker
 * threads, the same bytes for any thread count) sits between the tar stream
 * and the writer, and the compressed bytes are hashed too. Memory stays a few
 * MiB uncompressed, under 32 MiB compressed, whatever the file sizes.
 *
 * Inputs are re-checked as they are read: a file that is no longer a regular
 * file of the size scanned, or that shrinks or grows while it is read, is an
 * error (it changed while being packed).
 *
 * Names are written as the tree holds them, UTF-8 (tree.h): non-ASCII names
 * go into pax `path`/`linkpath` records as the same bytes, in any locale.
 *
 * Errors: XP_ERR_LOCAL, for I/O (the cause is strerror or libarchive's own
 * text) and for an input that changed under us (a local condition, like a
 * failed read: the command line was right).
 */
#ifndef XPSHIP_PACKAGER_LAYER_H
#define XPSHIP_PACKAGER_LAYER_H

#include <stddef.h>
#include <stdint.h>

#include "common/digest.h"
#include "common/error.h"
#include "common/progress.h"
#include "packager/store.h"
#include "packager/tree.h"

enum layer_compression { LAYER_NONE, LAYER_GZIP, LAYER_ZSTD };

struct layer_opts {
	enum layer_compression compression;
	int64_t mtime;                       /* every entry's mtime */
	int threads;                         /* compressor threads, 0: per CPU
					      * (blockz.h; the bytes do not
					      * depend on it) */
	const struct xp_progress *progress;  /* NULL: silent */
	const char *label;                   /* progress label (borrowed) */
};

struct layer_result {
	char digest[XP_DIGEST_SIZE];         /* the blob as stored */
	char diff_id[XP_DIGEST_SIZE];        /* the uncompressed tar */
	uint64_t size;                       /* blob bytes */
};

/* Write entries[0..n-1] (in this order) as one layer into s and commit the
 * blob; out is written on success. */
int layer_write(struct store *s, const struct tree_entry *const *entries, size_t n,
		const struct layer_opts *o, struct layer_result *out, struct xp_error *err);

/* "tar", "tar+gzip", "tar+zstd" — the media type suffix of a compression. */
const char *layer_suffix(enum layer_compression c);

#endif
