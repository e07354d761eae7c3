/*
 * copy.c — graph copy between content stores (see copy.h).
 *
 * The walk runs on the caller's thread with the caller's store handles;
 * only the missing blobs of one manifest are spread over worker threads, and
 * every worker but the first opens its own handles (store_reopen: stores are
 * not thread-safe). A store that cannot be reopened (an archive) keeps the
 * transfers on one thread. The first failure stops the workers from taking
 * more blobs; the manifest and the tag are then not written.
 */
#include "packager/copy.h"
#include "packager/store.h"
#include "packager/oci.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_JOBS 3
#define MAX_JOBS 32
#define MAX_DEPTH 8

struct copy_ctx {
	struct store *src, *dst;
	const struct copy_opts *o;
	struct copy_stats st;
	char **seen;                /* digests handled */
	size_t n_seen;
	/* second handles for worker threads, opened on first need, kept for
	 * the whole copy (index 0 is unused: worker 0 uses src and dst) */
	struct store *wsrc[MAX_JOBS], *wdst[MAX_JOBS];
	int n_handles;              /* workers with handles, 1 + opened */
	int no_reopen;              /* a store cannot be opened again */
};

static int seen(struct copy_ctx *c, const char *digest)
{
	size_t i;

	for (i = 0; i < c->n_seen; i++)
		if (strcmp(c->seen[i], digest) == 0)
			return 1;
	return 0;
}

static void mark(struct copy_ctx *c, const char *digest)
{
	c->seen = xrealloc(c->seen, (c->n_seen + 1) * sizeof(*c->seen));
	c->seen[c->n_seen++] = xstrdup(digest);
}

/* ---- blobs ---- */

static int transfer(struct store *src, struct store *dst, const struct oci_desc *d,
		    int no_mount, struct copy_stats *st, struct xp_error *err)
{
	enum store_copied how;

	if (store_copy_blob(dst, d, src, !no_mount, &how, err))
		return -1;
	if (how == STORE_WAS_PRESENT) {
		st->blobs_present++;
	} else if (how == STORE_MOUNTED) {
		st->blobs_mounted++;
	} else {
		st->blobs_copied++;
		st->bytes += (uint64_t)d->size;
	}
	return 0;
}

struct pool {
	struct copy_ctx *c;
	const struct oci_desc *todo;
	size_t n, next;
	pthread_mutex_t lock;
	int failed;
	size_t failed_at;           /* index of the first failed blob */
	struct xp_error err;
};

struct worker {
	struct pool *p;
	struct store *src, *dst;    /* the worker's handles */
	struct copy_stats st;
	pthread_t tid;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->p;
	struct xp_error err;

	for (;;) {
		const struct oci_desc *d = NULL;

		pthread_mutex_lock(&p->lock);
		if (!p->failed && p->next < p->n)
			d = &p->todo[p->next++];
		pthread_mutex_unlock(&p->lock);
		if (!d)
			break;
		xp_error_clear(&err);
		if (transfer(w->src, w->dst, d, p->c->o->no_mount, &w->st, &err)) {
			size_t at = (size_t)(d - p->todo);

			/* the first blob in order that failed is reported,
			 * whichever worker got there first */
			pthread_mutex_lock(&p->lock);
			if (!p->failed || at < p->failed_at) {
				p->failed = 1;
				p->failed_at = at;
				p->err = err;
			}
			pthread_mutex_unlock(&p->lock);
			break;
		}
	}
	return NULL;
}

static void add_stats(struct copy_stats *to, const struct copy_stats *from)
{
	to->blobs_copied += from->blobs_copied;
	to->blobs_mounted += from->blobs_mounted;
	to->blobs_present += from->blobs_present;
	to->bytes += from->bytes;
}

/* Transfer `n` missing blobs with up to opts->jobs workers. */
static int transfer_all(struct copy_ctx *c, const struct oci_desc *todo, size_t n,
			struct xp_error *err)
{
	int jobs = c->o->jobs > 0 ? c->o->jobs : DEFAULT_JOBS;
	struct worker w[MAX_JOBS];
	struct pool p;
	size_t i;
	int nw, ret;

	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	if ((size_t)jobs > n)
		jobs = (int)n;
	memset(&p, 0, sizeof(p));
	memset(w, 0, sizeof(w));
	p.c = c;
	p.todo = todo;
	p.n = n;
	pthread_mutex_init(&p.lock, NULL);
	/* more workers only where both stores can be opened again */
	if (!c->n_handles)
		c->n_handles = 1;
	while (c->n_handles < jobs && !c->no_reopen) {
		struct xp_error ignored;
		int k = c->n_handles;

		if (store_reopen(c->src, &c->wsrc[k], &ignored)) {
			c->no_reopen = 1;
			break;
		}
		if (store_reopen(c->dst, &c->wdst[k], &ignored)) {
			store_close(c->wsrc[k]);
			c->wsrc[k] = NULL;
			c->no_reopen = 1;
			break;
		}
		c->n_handles++;
	}
	nw = jobs < c->n_handles ? jobs : c->n_handles;
	for (i = 0; i < (size_t)nw; i++) {
		w[i].p = &p;
		w[i].src = i ? c->wsrc[i] : c->src;
		w[i].dst = i ? c->wdst[i] : c->dst;
	}
	for (i = 1; i < (size_t)nw; i++)
		if (pthread_create(&w[i].tid, NULL, work, &w[i]) != 0)
			abort();
	work(&w[0]);
	for (i = 1; i < (size_t)nw; i++)
		pthread_join(w[i].tid, NULL);
	for (i = 0; i < (size_t)nw; i++)
		add_stats(&c->st, &w[i].st);
	ret = p.failed ? -1 : 0;
	if (p.failed && err)
		*err = p.err;
	pthread_mutex_destroy(&p.lock);
	return ret;
}

static int copy_blobs(struct copy_ctx *c, const struct oci_desc *blobs, size_t n,
		      struct xp_error *err)
{
	struct oci_desc *todo = NULL;
	size_t i, m = 0;
	int ret;

	/* each blob is asked for once, by store_copy_blob in the workers */
	for (i = 0; i < n; i++) {
		if (seen(c, blobs[i].digest))
			continue;
		mark(c, blobs[i].digest);
		todo = xrealloc(todo, (m + 1) * sizeof(*todo));
		todo[m++] = blobs[i];   /* borrowed strings */
	}
	ret = m ? transfer_all(c, todo, m, err) : 0;
	free(todo);
	return ret;
}

/* ---- manifests ---- */

struct buf_source {
	struct store_source base;
	const char *buf;
	size_t len;
};

static int buf_open(void *ctx, uint64_t off, struct xp_reader **out, struct xp_error *err)
{
	struct buf_source *b = ctx;

	(void)err;
	if (off > b->len)
		off = b->len;
	*out = reader_from_buf(b->buf + off, b->len - (size_t)off);
	return 0;
}

static int copy_node(struct copy_ctx *c, const struct oci_desc *d, int depth,
		     int companions, struct xp_error *err);

static int copy_companions(struct copy_ctx *c, const struct oci_desc *d, int depth,
			   struct xp_error *err)
{
	static const char *const suffix[] = {".sig", ".att"};
	struct oci_desc *refs = NULL;
	size_t i, n = 0;
	int ret = -1;

	for (i = 0; i < 2; i++) {
		char name[96];
		struct oci_desc cd;
		struct xp_error e2;
		int r;

		snprintf(name, sizeof(name), "sha256-%s%s", digest_hex(d->digest), suffix[i]);
		memset(&cd, 0, sizeof(cd));
		xp_error_clear(&e2);
		if (store_resolve(c->src, name, &cd, &e2)) {
			if (e2.cls == XP_ERR_NOT_FOUND)
				continue;  /* no such companion */
			if (err)
				*err = e2;
			return -1;
		}
		r = copy_node(c, &cd, depth + 1, 0, err);
		if (r == 0)
			r = store_tag(c->dst, &cd, name, err);
		if (r == 0)
			c->st.companions++;
		oci_desc_release(&cd);
		if (r)
			return -1;
	}
	if (store_referrers(c->src, d, &refs, &n, err))
		return -1;
	for (i = 0; i < n; i++) {
		if (seen(c, refs[i].digest) || !oci_is_manifest_type(refs[i].media_type))
			continue;
		if (copy_node(c, &refs[i], depth + 1, 0, err))
			goto out;
		c->st.companions++;
	}
	ret = 0;
out:
	oci_descs_free(refs, n);
	return ret;
}

static int copy_node(struct copy_ctx *c, const struct oci_desc *d, int depth,
		     int companions, struct xp_error *err)
{
	struct oci_desc *kids = NULL;
	struct buf_source bs;
	char *buf = NULL;
	size_t len = 0, n = 0, i;
	int ret = -1;

	if (seen(c, d->digest))
		return 0;
	if (depth > MAX_DEPTH)
		return xp_error_set(err, XP_ERR_MALFORMED, "manifest '%s' in '%s' nests too deeply",
				    d->digest, store_name(c->src));
	if (store_fetch_all(c->src, d, OCI_MANIFEST_MAX, &buf, &len, err))
		return -1;
	if (oci_children(d->media_type, buf, len, d->digest, &kids, &n, err))
		goto out;
	if (oci_is_index_type(d->media_type)) {
		for (i = 0; i < n; i++) {
			if (oci_is_manifest_type(kids[i].media_type)) {
				if (copy_node(c, &kids[i], depth + 1, companions, err))
					goto out;
			} else if (copy_blobs(c, &kids[i], 1, err)) {
				goto out;
			}
		}
	} else if (copy_blobs(c, kids, n, err)) {
		goto out;
	}
	bs.base.open = buf_open;
	bs.base.ctx = &bs;
	bs.buf = buf;
	bs.len = len;
	if (store_push_from(c->dst, d, &bs.base, err))
		goto out;
	mark(c, d->digest);
	c->st.manifests++;
	if (companions && copy_companions(c, d, depth, err))
		goto out;
	ret = 0;
out:
	oci_descs_free(kids, n);
	free(buf);
	return ret;
}

int copy_graph(struct store *src, struct store *dst, const struct oci_desc *desc,
	       const char *tag, const struct copy_opts *opts, struct xp_error *err)
{
	static const struct copy_opts none;
	struct copy_ctx c;
	size_t i;
	int ret;

	if (!oci_is_manifest_type(desc->media_type))
		return xp_error_set(err, XP_ERR_USAGE,
				    "cannot copy '%s': media type '%s' is not a manifest or index",
				    desc->digest, desc->media_type ? desc->media_type : "");
	memset(&c, 0, sizeof(c));
	c.src = src;
	c.dst = dst;
	c.o = opts ? opts : &none;
	ret = tag && c.o->keep_tag ? store_tag_check(dst, tag, desc, err) : 0;
	if (ret == 0)
		ret = copy_node(&c, desc, 0, !c.o->no_companions, err);
	if (ret == 0 && c.o->before_tag)
		ret = c.o->before_tag(dst, desc, c.o->before_tag_ctx, err);
	if (ret == 0 && tag)
		ret = store_tag(dst, desc, tag, err);
	if (c.o->stats)
		*c.o->stats = c.st;
	for (i = 0; i < c.n_seen; i++)
		free(c.seen[i]);
	free(c.seen);
	for (i = 1; i < MAX_JOBS; i++) {
		store_close(c.wsrc[i]);
		store_close(c.wdst[i]);
	}
	return ret;
}
