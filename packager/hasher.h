/*
 * hasher.h — SHA-256 of a byte stream on a second thread (packager/ only).
 *
 * The producer queues the stream in order, as pieces of two kinds: bytes that
 * are valid only during the call (copied into a small ring), and bytes the
 * producer lends (not copied: a file's read buffer) and keeps unchanged until
 * the hasher has passed them, which hasher_wait() on the returned ticket
 * ensures. Lending is what lets a layer's data be hashed without a copy while
 * the next chunk is read and the previous one written. When no thread can be
 * started everything is hashed inline. One producer thread per hasher.
 */
#ifndef XPSHIP_PACKAGER_HASHER_H
#define XPSHIP_PACKAGER_HASHER_H

#include <stddef.h>
#include <stdint.h>

#include "common/digest.h"
#include "common/stream.h"

struct hasher;

struct hasher *hasher_start(void);
/* Queue a copy of data. */
void hasher_copy(struct hasher *h, const void *data, size_t len);
/* Queue data by reference; returns the ticket to wait for before changing it. */
uint64_t hasher_lend(struct hasher *h, const void *data, size_t len);
/* Return when everything queued up to `ticket` has been hashed. */
void hasher_wait(struct hasher *h, uint64_t ticket);
/* Hash what is queued, stop the thread, free h; `out` (optional) receives the
 * digest. NULL is a no-op. */
void hasher_finish(struct hasher *h, char out[XP_DIGEST_SIZE]);

/* A hash sink for reader_verify_via (common/stream.h) over a new hasher: the
 * bytes a reader hands out are copied into its ring and hashed on its thread
 * while the reader's consumer goes on. */
void hasher_sink(struct xp_hash_sink *out);

#endif
