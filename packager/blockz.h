/*
 * blockz.h — gzip and zstd streams compressed in fixed-size blocks on worker
 * threads, with output independent of the thread count (packager/ only).
 *
 * The input is cut into blocks of a fixed size (gzip 128 KiB, zstd 2 MiB); each
 * block is compressed on its own by one of the workers and the results are
 * handed to the caller's sink in input order, on the caller's thread. Because
 * the cut points and every block's parameters depend only on the input, the
 * same input gives the same bytes with 1 thread or 8: the layer digest is a
 * function of the content and the codec, never of the machine.
 *
 * gzip is written the way pigz writes it: one gzip member (no name, mtime 0),
 * whose deflate stream is the blocks' raw deflate output back to back, every
 * block but the last ended by a sync flush, each block primed with the last
 * 32 KiB of the input before it (so the ratio is that of one stream); the
 * CRC-32 of the whole input is combined from the blocks'. `gzip -d`, Go's
 * compress/gzip and libarchive read it as any gzip file.
 *
 * zstd is written as one zstd frame per block (content size and checksum in
 * each), which the zstd format allows a stream to be: `zstd -d`, libzstd and
 * Go's klauspost/compress read the frames in sequence.
 *
 * Memory is bounded: threads + 3 blocks in flight (2 inline), each with its
 * output buffer, plus one compressor state per worker — about 2 MiB for gzip
 * and 24 MiB for zstd with two threads, whatever the input size. With
 * threads <= 1 (or when no thread can be started) blocks are compressed
 * inline, with the same output.
 *
 * Errors: the sink's own error is passed through; a compressor failure is
 * XP_ERR_LOCAL with the library's text.
 */
#ifndef XPSHIP_PACKAGER_BLOCKZ_H
#define XPSHIP_PACKAGER_BLOCKZ_H

#include <stddef.h>

#include "common/error.h"

enum blockz_codec { BLOCKZ_GZIP, BLOCKZ_ZSTD };

/* Where compressed bytes go, in order, on the thread calling blockz_write or
 * blockz_finish: 0, or -1 with err filled. */
typedef int (*blockz_sink_fn)(void *ctx, const void *data, size_t len, struct xp_error *err);

struct blockz;

#define BLOCKZ_MAX_THREADS 8

/* A compressor at the codec's default level (gzip 6, zstd 3) with `threads`
 * workers (0: one per CPU this process may run on, at most
 * BLOCKZ_MAX_THREADS). */
struct blockz *blockz_start(enum blockz_codec codec, int threads, blockz_sink_fn sink,
			    void *ctx);
int blockz_write(struct blockz *z, const void *data, size_t len, struct xp_error *err);
/* Compress what is left, write the trailer; after it only blockz_free. */
int blockz_finish(struct blockz *z, struct xp_error *err);
/* Stop the workers and free z (also after a failure); NULL is a no-op. */
void blockz_free(struct blockz *z);

/* The worker count `threads` resolves to (see blockz_start). */
int blockz_threads(int threads);

#endif
