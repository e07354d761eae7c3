/*
 * hasher.c — SHA-256 on a second thread over a queue of copied and lent
 * pieces (see hasher.h).
 *
 * Pieces go into a fixed queue of segments; a copied piece points into a byte
 * ring, a lent one at the producer's memory. The thread takes segments in
 * order and hashes each outside the lock. Tickets are segment counts: ticket
 * t is done when the thread has finished t segments.
 */
#include "packager/hasher.h"
#include "common/strbuf.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define RING_SIZE (1u << 20)   /* copied bytes in flight */
#define SEGS 64                /* segments in flight */

struct segment {
	const unsigned char *p;
	size_t len;
	int in_ring;
};

struct hasher {
	struct digest *d;
	pthread_t thread;
	int threaded;
	pthread_mutex_t mu;
	pthread_cond_t filled, drained;
	struct segment seg[SEGS];
	uint64_t seg_head, seg_tail;     /* segments queued / hashed, ever */
	unsigned char *ring;
	uint64_t ring_head, ring_tail;   /* ring bytes queued / released, ever */
	int closing;
};

static void *hasher_main(void *arg)
{
	struct hasher *h = arg;
	sigset_t all;

	/* signals are the main thread's business (temporary-file cleanup) */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&h->mu);
	for (;;) {
		struct segment s;

		while (h->seg_head == h->seg_tail && !h->closing)
			pthread_cond_wait(&h->filled, &h->mu);
		if (h->seg_head == h->seg_tail)
			break;
		s = h->seg[h->seg_tail % SEGS];
		pthread_mutex_unlock(&h->mu);
		digest_update(h->d, s.p, s.len);
		pthread_mutex_lock(&h->mu);
		h->seg_tail++;
		if (s.in_ring)
			h->ring_tail += s.len;
		pthread_cond_broadcast(&h->drained);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

struct hasher *hasher_start(void)
{
	struct hasher *h = xcalloc(1, sizeof(*h));

	h->d = digest_new();
	h->ring = xmalloc(RING_SIZE);
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->filled, NULL);
	pthread_cond_init(&h->drained, NULL);
	h->threaded = pthread_create(&h->thread, NULL, hasher_main, h) == 0;
	return h;
}

/* Queue one segment; the caller holds the lock and a free slot exists. */
static uint64_t push(struct hasher *h, const unsigned char *p, size_t len, int in_ring)
{
	struct segment *s = &h->seg[h->seg_head % SEGS];

	s->p = p;
	s->len = len;
	s->in_ring = in_ring;
	h->seg_head++;
	if (in_ring)
		h->ring_head += len;
	pthread_cond_signal(&h->filled);
	return h->seg_head;
}

void hasher_copy(struct hasher *h, const void *data, size_t len)
{
	const unsigned char *p = data;

	if (!h->threaded) {
		digest_update(h->d, data, len);
		return;
	}
	while (len) {
		size_t off, n;

		pthread_mutex_lock(&h->mu);
		while (h->ring_head - h->ring_tail == RING_SIZE || h->seg_head - h->seg_tail == SEGS)
			pthread_cond_wait(&h->drained, &h->mu);
		n = (size_t)(RING_SIZE - (h->ring_head - h->ring_tail));
		pthread_mutex_unlock(&h->mu);
		/* [ring_head, ring_tail + RING_SIZE) is ours until ring_head moves */
		off = (size_t)(h->ring_head % RING_SIZE);
		if (n > RING_SIZE - off)
			n = RING_SIZE - off;
		if (n > len)
			n = len;
		memcpy(h->ring + off, p, n);
		pthread_mutex_lock(&h->mu);
		push(h, h->ring + off, n, 1);
		pthread_mutex_unlock(&h->mu);
		p += n;
		len -= n;
	}
}

uint64_t hasher_lend(struct hasher *h, const void *data, size_t len)
{
	uint64_t t;

	if (!h->threaded) {
		digest_update(h->d, data, len);
		return 0;
	}
	pthread_mutex_lock(&h->mu);
	while (h->seg_head - h->seg_tail == SEGS)
		pthread_cond_wait(&h->drained, &h->mu);
	t = push(h, data, len, 0);
	pthread_mutex_unlock(&h->mu);
	return t;
}

void hasher_wait(struct hasher *h, uint64_t ticket)
{
	if (!h->threaded)
		return;
	pthread_mutex_lock(&h->mu);
	while (h->seg_tail < ticket)
		pthread_cond_wait(&h->drained, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

void hasher_finish(struct hasher *h, char out[XP_DIGEST_SIZE])
{
	if (!h)
		return;
	if (h->threaded) {
		pthread_mutex_lock(&h->mu);
		h->closing = 1;
		pthread_cond_signal(&h->filled);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->thread, NULL);
	}
	if (out)
		digest_final(h->d, out);
	digest_free(h->d);
	free(h->ring);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->filled);
	pthread_cond_destroy(&h->drained);
	free(h);
}

/* ---- as a hash sink ---- */

struct sink {
	struct hasher *h;
};

static void sink_update(void *ctx, const void *data, size_t len)
{
	hasher_copy(((struct sink *)ctx)->h, data, len);
}

static void sink_final(void *ctx, char out[XP_DIGEST_SIZE])
{
	struct sink *k = ctx;

	hasher_finish(k->h, out);
	k->h = NULL;
}

static void sink_release(void *ctx)
{
	struct sink *k = ctx;

	hasher_finish(k->h, NULL);
	free(k);
}

void hasher_sink(struct xp_hash_sink *out)
{
	struct sink *k = xcalloc(1, sizeof(*k));

	k->h = hasher_start();
	out->update = sink_update;
	out->final = sink_final;
	out->release = sink_release;
	out->ctx = k;
}
