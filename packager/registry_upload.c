/*
 * registry_upload.c — blob uploads and cross-repository mounts (see
 * registry_impl.h).
 *
 * Monolithic (the default): POST /v2/<repo>/blobs/uploads/ opens a session
 * (202 + Location, absolute or relative, often with a query such as
 * ?_state=...), then one streamed PUT <location>&digest=<d> with
 * Content-Type application/octet-stream and the exact Content-Length. The
 * registry checks the digest before the blob becomes visible; the source's
 * verifying reader checks it too, before the last byte leaves. A PUT that
 * fails (dropped connection, stall, 5xx, 429) cannot be repeated on the same
 * session (its offset no longer matches), so the whole upload restarts: a
 * new POST, the source reopened from the start.
 *
 * Chunked (opts.chunk_size > 0): PATCH <location> with Content-Range
 * start-end per chunk, in order, following each answer's Location; a closing
 * PUT ?digest=. After a failed PATCH the session's status (GET <location> →
 * 204 with Range 0-N) tells where to resume; a session the registry dropped
 * means a restart from the start.
 *
 * Restarts and resumes share the client's retry budget and back off between
 * tries (Retry-After honoured).
 */
#include "packager/registry_impl.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OCTET "application/octet-stream"
#define PROGRESS_MIN (1 << 20)

struct upload {
	struct reg_store *r;
	const struct oci_desc *d;
	const struct store_source *src;
	struct xp_reader *rd;       /* chunked: the source, positioned at rd_pos */
	uint64_t rd_pos;
	char label[32];
	int progress;
	long retry_after;           /* from the last failed answer, -1 if none */
};

static const char *name_of(const struct upload *u)
{
	return store_name(&u->r->base);
}

static void drop_reader(struct upload *u)
{
	reader_close(u->rd);
	u->rd = NULL;
}

/* POST: a new upload session; *loc is its absolute URL. */
static int open_session(struct upload *u, char **loc, int *retry, struct xp_error *err)
{
	struct reg_req rq;
	struct reg_resp rs;
	char *path = xasprintf("/v2/%s/blobs/uploads/", u->r->repo);
	int ret = -1;

	reg_req_init(&rq, "POST", path, u->r->push_scope);
	reg_resp_init(&rs);
	if (reg_do(u->r->c, &rq, &rs, err))
		goto out;
	if (rs.status != 202 || !rs.location || !*rs.location) {
		if (rs.status == 202)
			xp_error_set(err, XP_ERR_REMOTE,
				     "cannot push blob '%s' to '%s': the registry gave no upload location",
				     u->d->digest, name_of(u));
		else
			reg_status_error(u->r->c, &rs, 0, err, "cannot push blob '%s' to '%s'",
					 u->d->digest, name_of(u));
		*retry = reg_status_retryable(rs.status);
		goto out;
	}
	*loc = reg_url_resolve(rs.url, rs.location);
	ret = 0;
out:
	reg_resp_release(&rs);
	free(path);
	return ret;
}

/* Best effort: tell the registry a session is abandoned. */
static void cancel_session(struct upload *u, const char *loc)
{
	struct reg_req rq;
	struct reg_resp rs;
	struct xp_error ignored;

	reg_req_init(&rq, "DELETE", loc, u->r->push_scope);
	rq.once = 1;
	reg_resp_init(&rs);
	reg_do(u->r->c, &rq, &rs, &ignored);
	reg_resp_release(&rs);
}

/* The registry's answer to the closing PUT (or a failed PATCH): 0 done,
 * -1 with *retry when starting over may help. */
static int judge(struct upload *u, int got, struct reg_resp *rs, int *retry,
		 struct xp_error *err)
{
	if (got < 0) {
		/* a transport error (retry when curl says so), or the source failed */
		*retry = rs->cause[0] && rs->retryable;
		if (rs->cause[0])
			xp_error_set(err, XP_ERR_REMOTE, "cannot push blob '%s' to '%s': %s",
				     u->d->digest, name_of(u), rs->cause);
		return -1;
	}
	if (rs->status == 201 || rs->status == 204) {
		if (rs->digest && digest_valid(rs->digest) && strcmp(rs->digest, u->d->digest) != 0)
			return xp_error_set(err, XP_ERR_REMOTE,
					    "registry '%s' stored blob '%s' as '%s'",
					    reg_client_host(u->r->c), u->d->digest, rs->digest);
		return 0;
	}
	*retry = reg_status_retryable(rs->status) || rs->status == 404 || rs->status == 416;
	u->retry_after = reg_retry_after_parse(rs->retry_after, (long)time(NULL));
	return reg_status_error(u->r->c, rs, 0, err, "cannot push blob '%s' to '%s'",
				u->d->digest, name_of(u));
}

static int put_final(struct upload *u, const char *loc, const struct reg_body *body,
		     int *retry, struct xp_error *err)
{
	struct reg_req rq;
	struct reg_resp rs;
	char *url = reg_url_add_query(loc, "digest", u->d->digest);
	int got, ret;

	reg_req_init(&rq, "PUT", url, u->r->push_scope);
	rq.content_type = OCTET;
	rq.body = body;
	rq.once = 1;
	reg_resp_init(&rs);
	got = reg_do(u->r->c, &rq, &rs, err);
	ret = judge(u, got, &rs, retry, err);
	reg_resp_release(&rs);
	free(url);
	return ret;
}

static int monolithic(struct upload *u, const char *loc, int *retry, struct xp_error *err)
{
	struct reg_body body;

	memset(&body, 0, sizeof(body));
	body.src = u->src;
	body.len = (uint64_t)u->d->size;
	body.total = (uint64_t)u->d->size;
	body.label = u->progress ? u->label : NULL;
	return put_final(u, loc, u->d->size ? &body : NULL, retry, err);
}

/* GET the session's status: where to resume (0 with *off), or -1. */
static int session_offset(struct upload *u, char **loc, uint64_t confirmed, uint64_t *off,
			  struct xp_error *err)
{
	struct reg_req rq;
	struct reg_resp rs;
	int64_t end;
	int ret = -1;

	reg_req_init(&rq, "GET", *loc, u->r->push_scope);
	reg_resp_init(&rs);
	if (reg_do(u->r->c, &rq, &rs, err) == 0 && rs.status == 204 &&
	    (end = reg_range_end(rs.range)) >= 0) {
		/* "0-0" means nothing (or one byte) is there */
		*off = end == 0 && confirmed == 0 ? 0 : (uint64_t)end + 1;
		if (rs.location && *rs.location) {
			char *n = reg_url_resolve(rs.url, rs.location);

			free(*loc);
			*loc = n;
		}
		ret = 0;
	}
	reg_resp_release(&rs);
	return ret;
}

static int chunked(struct upload *u, char **loc, int *retry, struct xp_error *err)
{
	const struct reg_retry *rt = reg_client_retry(u->r->c);
	uint64_t size = (uint64_t)u->d->size, chunk = (uint64_t)u->r->base.opts.chunk_size;
	uint64_t off = 0, confirmed = 0;
	int resumes = 0;

	while (off < size) {
		uint64_t end = (off + chunk < size ? off + chunk : size) - 1;
		struct reg_body body;
		struct reg_req rq;
		struct reg_resp rs;
		char range[64];
		int got, r_retry = 0;

		if (u->rd && u->rd_pos != off)
			drop_reader(u);
		if (!u->rd) {
			if (u->src->open(u->src->ctx, off, &u->rd, err))
				return -1;
			u->rd_pos = off;
		}
		memset(&body, 0, sizeof(body));
		body.rd = u->rd;
		body.off = off;
		body.len = end - off + 1;
		body.total = size;
		body.label = u->progress ? u->label : NULL;
		snprintf(range, sizeof(range), "%llu-%llu", (unsigned long long)off,
			 (unsigned long long)end);
		reg_req_init(&rq, "PATCH", *loc, u->r->push_scope);
		rq.content_type = OCTET;
		rq.content_range = range;
		rq.body = &body;
		rq.once = 1;
		reg_resp_init(&rs);
		got = reg_do(u->r->c, &rq, &rs, err);
		if (got == 0 && rs.status == 202) {
			int64_t said = reg_range_end(rs.range);

			u->rd_pos = end + 1;
			if (rs.location && *rs.location) {
				char *n = reg_url_resolve(rs.url, rs.location);

				free(*loc);
				*loc = n;
			}
			off = said >= 0 && (uint64_t)said != end ? (uint64_t)said + 1 : end + 1;
			confirmed = off;
			reg_resp_release(&rs);
			continue;
		}
		judge(u, got, &rs, &r_retry, err);
		reg_resp_release(&rs);
		drop_reader(u);  /* its position is unknown now */
		if (!r_retry || ++resumes >= rt->attempts) {
			*retry = r_retry;
			return -1;
		}
		reg_backoff(u->r->c, resumes, u->retry_after);
		u->retry_after = -1;
		if (session_offset(u, loc, confirmed, &off, err)) {
			*retry = 1;  /* the session is gone: start over */
			return -1;
		}
	}
	drop_reader(u);
	return put_final(u, *loc, NULL, retry, err);
}

int reg_upload_blob(struct reg_store *r, const struct oci_desc *d,
		    const struct store_source *src, struct xp_error *err)
{
	const struct reg_retry *rt = reg_client_retry(r->c);
	struct upload u;
	int attempt, ret = -1;

	memset(&u, 0, sizeof(u));
	u.r = r;
	u.d = d;
	u.src = src;
	u.retry_after = -1;
	u.progress = d->size >= PROGRESS_MIN;
	snprintf(u.label, sizeof(u.label), "%.19s", d->digest);
	for (attempt = 1;; attempt++) {
		char *loc = NULL;
		int retry = 0;

		if (open_session(&u, &loc, &retry, err) == 0) {
			if (r->base.opts.chunk_size > 0 && d->size > 0)
				ret = chunked(&u, &loc, &retry, err);
			else
				ret = monolithic(&u, loc, &retry, err);
			if (ret && loc)
				cancel_session(&u, loc);
		}
		free(loc);
		drop_reader(&u);
		if (ret == 0 || !retry)
			break;
		if (attempt >= rt->attempts) {
			size_t n = strlen(err->msg);

			snprintf(err->msg + n, sizeof(err->msg) - n, " (gave up after %d attempts)",
				 attempt);
			break;
		}
		reg_backoff(r->c, attempt, u.retry_after);
		u.retry_after = -1;
	}
	if (ret == 0 && u.progress)
		xp_progress_done(r->base.opts.progress, u.label, (uint64_t)d->size);
	return ret;
}

int reg_mount_blob(struct store *s, const struct oci_desc *d, struct store *from, int *done,
		   struct xp_error *err)
{
	struct reg_store *r = (struct reg_store *)s, *f;
	struct reg_req rq;
	struct reg_resp rs;
	char *path, *scope, *extra;
	int ret = -1;

	*done = 0;
	f = (struct reg_store *)from;   /* store_mount: the same kind of store */
	if (strcmp(reg_client_base(f->c), reg_client_base(r->c)) != 0 ||
	    strcmp(f->repo, r->repo) == 0)
		return 0;
	path = xasprintf("/v2/%s/blobs/uploads/?mount=%s&from=%s", r->repo, d->digest, f->repo);
	extra = xasprintf("repository:%s:pull", f->repo);
	scope = reg_scope_merge(r->push_scope, extra);
	reg_req_init(&rq, "POST", path, scope);
	reg_resp_init(&rs);
	if (reg_do(r->c, &rq, &rs, err))
		goto out;
	if (rs.status == 201) {
		*done = 1;
	} else if (rs.status == 202 && rs.location && *rs.location) {
		/* the registry opened an upload instead: drop it, push normally */
		struct upload u;
		char *loc = reg_url_resolve(rs.url, rs.location);

		memset(&u, 0, sizeof(u));
		u.r = r;
		u.d = d;
		cancel_session(&u, loc);
		free(loc);
	}
	ret = 0;
out:
	reg_resp_release(&rs);
	free(path);
	free(extra);
	free(scope);
	return ret;
}
