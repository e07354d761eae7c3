/*
 * blockz.c — block-parallel gzip and zstd (see blockz.h).
 *
 * Blocks live in a ring of slots. The producer fills slot `fill % n`, queues
 * it, and before reusing a slot hands its compressed bytes to the sink, so
 * output leaves in input order and at most n blocks are in flight. Workers
 * take queued blocks in order; each owns its compressor state (a raw deflate
 * stream or a ZSTD_CCtx) and reuses it from block to block.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "packager/blockz.h"
#include "common/strbuf.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define GZIP_BLOCK (128u << 10)     /* pigz's block size */
#define ZSTD_BLOCK (2u << 20)
#define GZIP_LEVEL 6
#define ZSTD_LEVEL 3
#define DICT_SIZE 32768u          /* deflate's window */

enum slot_state { SLOT_FREE, SLOT_QUEUED, SLOT_DONE, SLOT_FAILED };

struct slot {
	unsigned char *in, *out;
	size_t in_len, out_cap, out_len;
	unsigned char *dict;          /* gzip: the input's 32 KiB before this block */
	size_t dict_len;
	int last;
	enum slot_state state;
	unsigned long crc;            /* gzip: CRC-32 of in */
	char why[160];                /* SLOT_FAILED: the compressor's text */
};

struct worker {
	struct blockz *z;
	pthread_t thread;
	z_stream zs;
	int zs_ready;
	ZSTD_CCtx *cctx;
};

struct blockz {
	enum blockz_codec codec;
	size_t block;
	blockz_sink_fn sink;
	void *ctx;
	struct slot *slots;
	size_t n;
	uint64_t fill;       /* the block being filled */
	uint64_t taken;      /* blocks a worker has taken */
	uint64_t emitted;    /* blocks handed to the sink */
	struct worker *w;
	int nw;              /* running workers; 0: inline */
	struct worker inline_w;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	int closing;
	int header_done;
	unsigned long crc;
	uint64_t total;
	int failed;
	struct xp_error err;
};

int blockz_threads(int threads)
{
	long n = threads;

	if (n <= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		n = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set)
		    : sysconf(_SC_NPROCESSORS_ONLN);
	}
	if (n < 1)
		n = 1;
	return n > BLOCKZ_MAX_THREADS ? BLOCKZ_MAX_THREADS : (int)n;
}

/* ---- one block ---- */

static int fail_block(struct slot *s, const char *what, const char *why)
{
	snprintf(s->why, sizeof(s->why), "%s: %s", what, why ? why : "unknown error");
	return -1;
}

static int gzip_block(struct worker *w, struct slot *s)
{
	z_stream *zs = &w->zs;
	int flush = s->last ? Z_FINISH : Z_SYNC_FLUSH, rc;

	if (!w->zs_ready) {
		memset(zs, 0, sizeof(*zs));
		if (deflateInit2(zs, GZIP_LEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			return fail_block(s, "cannot start gzip", zs->msg ? zs->msg : "out of memory");
		w->zs_ready = 1;
	} else if (deflateReset(zs) != Z_OK) {
		return fail_block(s, "cannot compress", zs->msg);
	}
	if (s->dict_len &&
	    deflateSetDictionary(zs, s->dict, (uInt)s->dict_len) != Z_OK)
		return fail_block(s, "cannot compress", zs->msg);
	zs->next_in = s->in;
	zs->avail_in = (uInt)s->in_len;
	s->out_len = 0;
	for (;;) {
		zs->next_out = s->out + s->out_len;
		zs->avail_out = (uInt)(s->out_cap - s->out_len);
		rc = deflate(zs, flush);
		s->out_len = s->out_cap - zs->avail_out;
		if (rc == Z_STREAM_ERROR)
			return fail_block(s, "cannot compress", zs->msg);
		if (s->last ? rc == Z_STREAM_END : zs->avail_out > 0)
			break;
		/* the bound was not enough (it is, for zlib's formats): more room */
		s->out_cap *= 2;
		s->out = xrealloc(s->out, s->out_cap);
	}
	s->crc = crc32(0L, s->in, (uInt)s->in_len);
	return 0;
}

static int zstd_block(struct worker *w, struct slot *s)
{
	size_t n;

	if (!w->cctx) {
		w->cctx = ZSTD_createCCtx();
		if (!w->cctx)
			return fail_block(s, "cannot start zstd", "out of memory");
		n = ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, ZSTD_LEVEL);
		if (!ZSTD_isError(n))
			n = ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_checksumFlag, 1);
		if (ZSTD_isError(n))
			return fail_block(s, "cannot start zstd", ZSTD_getErrorName(n));
	}
	n = ZSTD_compress2(w->cctx, s->out, s->out_cap, s->in, s->in_len);
	if (ZSTD_isError(n))
		return fail_block(s, "cannot compress", ZSTD_getErrorName(n));
	s->out_len = n;
	return 0;
}

static int compress_block(struct blockz *z, struct worker *w, struct slot *s)
{
	return z->codec == BLOCKZ_GZIP ? gzip_block(w, s) : zstd_block(w, s);
}

static void worker_release(struct worker *w)
{
	if (w->zs_ready)
		deflateEnd(&w->zs);
	ZSTD_freeCCtx(w->cctx);
	w->zs_ready = 0;
	w->cctx = NULL;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct blockz *z = w->z;
	sigset_t all;

	/* signals are the main thread's business (temporary-file cleanup) */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&z->mu);
	for (;;) {
		struct slot *s;
		int rc;

		while (z->taken == z->fill && !z->closing)
			pthread_cond_wait(&z->work, &z->mu);
		if (z->closing)
			break;
		s = &z->slots[z->taken++ % z->n];
		pthread_mutex_unlock(&z->mu);
		rc = compress_block(z, w, s);
		pthread_mutex_lock(&z->mu);
		s->state = rc ? SLOT_FAILED : SLOT_DONE;
		pthread_cond_broadcast(&z->done);
	}
	pthread_mutex_unlock(&z->mu);
	return NULL;
}

/* ---- the producer side ---- */

static int sink_failed(struct blockz *z, struct xp_error *err)
{
	z->failed = 1;
	*err = z->err;
	return -1;
}

static int emit(struct blockz *z, const void *p, size_t len)
{
	if (z->sink(z->ctx, p, len, &z->err)) {
		z->failed = 1;
		return -1;
	}
	return 0;
}

/* Hand the oldest block to the sink once it is compressed (wait: block until
 * it is); 1 when there was none to hand. */
static int emit_oldest(struct blockz *z, int wait)
{
	static const unsigned char header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
	struct slot *s = &z->slots[z->emitted % z->n];
	enum slot_state st;

	if (z->emitted == z->fill)
		return 1;
	pthread_mutex_lock(&z->mu);
	while (wait && s->state == SLOT_QUEUED)
		pthread_cond_wait(&z->done, &z->mu);
	st = s->state;
	pthread_mutex_unlock(&z->mu);
	if (st == SLOT_QUEUED)
		return 1;
	if (st == SLOT_FAILED) {
		z->failed = 1;
		return xp_error_set(&z->err, XP_ERR_LOCAL, "%s", s->why);
	}
	if (z->codec == BLOCKZ_GZIP && !z->header_done) {
		if (emit(z, header, sizeof(header)))
			return -1;
		z->header_done = 1;
	}
	if (emit(z, s->out, s->out_len))
		return -1;
	if (z->codec == BLOCKZ_GZIP)
		z->crc = crc32_combine(z->crc, s->crc, (z_off_t)s->in_len);
	z->total += s->in_len;
	s->state = SLOT_FREE;   /* its input stays: the next block's dictionary */
	z->emitted++;
	return 0;
}

/* Queue the block being filled and start the next one. */
static int submit(struct blockz *z, int last)
{
	struct slot *s = &z->slots[z->fill % z->n], *next;
	size_t keep;
	int rc;

	s->last = last;
	s->state = SLOT_QUEUED;
	if (!z->nw) {
		rc = compress_block(z, &z->inline_w, s);
		s->state = rc ? SLOT_FAILED : SLOT_DONE;
		z->fill++;
	} else {
		pthread_mutex_lock(&z->mu);
		z->fill++;
		pthread_cond_signal(&z->work);
		pthread_mutex_unlock(&z->mu);
	}
	if (last)
		return 0;
	/* a free slot for the next block: pass on what is ready, wait if full */
	while (z->fill - z->emitted >= z->n)
		if (emit_oldest(z, 1) < 0)
			return -1;
	while ((rc = emit_oldest(z, 0)) == 0)
		;
	if (rc < 0)
		return -1;
	next = &z->slots[z->fill % z->n];
	next->in_len = 0;
	next->dict_len = 0;
	if (z->codec == BLOCKZ_GZIP) {
		keep = s->in_len < DICT_SIZE ? s->in_len : DICT_SIZE;
		memcpy(next->dict, s->in + s->in_len - keep, keep);
		next->dict_len = keep;
	}
	return 0;
}

int blockz_write(struct blockz *z, const void *data, size_t len, struct xp_error *err)
{
	const unsigned char *p = data;

	if (z->failed)
		return sink_failed(z, err);
	while (len) {
		struct slot *s = &z->slots[z->fill % z->n];
		size_t k;

		if (s->in_len == z->block) {
			if (submit(z, 0))
				return sink_failed(z, err);
			continue;
		}
		k = z->block - s->in_len;
		if (k > len)
			k = len;
		memcpy(s->in + s->in_len, p, k);
		s->in_len += k;
		p += k;
		len -= k;
	}
	return 0;
}

int blockz_finish(struct blockz *z, struct xp_error *err)
{
	unsigned char trailer[8];
	struct slot *s;
	int i;

	if (z->failed)
		return sink_failed(z, err);
	s = &z->slots[z->fill % z->n];
	/* gzip ends with a final deflate block; a zstd stream needs no empty frame
	 * after others */
	if ((s->in_len || z->codec == BLOCKZ_GZIP || z->fill == 0) && submit(z, 1))
		return sink_failed(z, err);
	while (z->emitted < z->fill)
		if (emit_oldest(z, 1) < 0)
			return sink_failed(z, err);
	if (z->codec == BLOCKZ_GZIP) {
		for (i = 0; i < 4; i++) {
			trailer[i] = (unsigned char)(z->crc >> (8 * i));
			trailer[4 + i] = (unsigned char)(z->total >> (8 * i));
		}
		if (emit(z, trailer, sizeof(trailer)))
			return sink_failed(z, err);
	}
	return 0;
}

struct blockz *blockz_start(enum blockz_codec codec, int threads, blockz_sink_fn sink,
			    void *ctx)
{
	struct blockz *z = xcalloc(1, sizeof(*z));
	int nt = blockz_threads(threads), i;
	size_t k;

	z->codec = codec;
	z->block = codec == BLOCKZ_GZIP ? GZIP_BLOCK : ZSTD_BLOCK;
	z->sink = sink;
	z->ctx = ctx;
	z->crc = crc32(0L, Z_NULL, 0);
	z->n = nt > 1 ? (size_t)nt + 3 : 2;
	z->slots = xcalloc(z->n, sizeof(*z->slots));
	for (k = 0; k < z->n; k++) {
		struct slot *s = &z->slots[k];

		s->in = xmalloc(z->block);
		s->out_cap = codec == BLOCKZ_GZIP ? z->block + (z->block >> 8) + 64
			     : ZSTD_compressBound(z->block);
		s->out = xmalloc(s->out_cap);
		if (codec == BLOCKZ_GZIP)
			s->dict = xmalloc(DICT_SIZE);
	}
	pthread_mutex_init(&z->mu, NULL);
	pthread_cond_init(&z->work, NULL);
	pthread_cond_init(&z->done, NULL);
	z->inline_w.z = z;
	if (nt > 1) {
		z->w = xcalloc((size_t)nt, sizeof(*z->w));
		for (i = 0; i < nt; i++) {
			z->w[i].z = z;
			if (pthread_create(&z->w[z->nw].thread, NULL, worker_main, &z->w[z->nw]))
				break;
			z->nw++;
		}
	}
	return z;
}

void blockz_free(struct blockz *z)
{
	size_t k;
	int i;

	if (!z)
		return;
	pthread_mutex_lock(&z->mu);
	z->closing = 1;
	pthread_cond_broadcast(&z->work);
	pthread_mutex_unlock(&z->mu);
	for (i = 0; i < z->nw; i++) {
		pthread_join(z->w[i].thread, NULL);
		worker_release(&z->w[i]);
	}
	worker_release(&z->inline_w);
	for (k = 0; k < z->n; k++) {
		free(z->slots[k].in);
		free(z->slots[k].out);
		free(z->slots[k].dict);
	}
	free(z->slots);
	free(z->w);
	pthread_mutex_destroy(&z->mu);
	pthread_cond_destroy(&z->work);
	pthread_cond_destroy(&z->done);
	free(z);
}
