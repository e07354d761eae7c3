/*
 * registry_stream.c — a streaming GET as a reader (reg_get_stream in
 * registry_impl.h).
 *
 * The transfer runs on its own easy handle inside the client's multi handle
 * (sharing its kept-alive connections); reader_read drives it until bytes
 * arrive. curl's write callback copies straight into the caller's buffer and
 * keeps any excess in a small stash; when the stash is full and nobody reads,
 * the transfer is paused. Until the final answer's headers are in, the
 * request behaves like reg_do: a 401 is answered with credentials, transport
 * errors and 408/429/5xx are retried. A connection lost after some bytes
 * resumes with "Range: bytes=N-" (a 206 must start at N; a 200 restarts and
 * the first N bytes are skipped), within the same retry budget.
 */
#include "packager/registry_http_impl.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#define STASH_MAX (1u << 20)
#define RECV_BUFFER (512L * 1024L)

struct reg_stream {
	struct xp_reader r;
	struct reg_client *c;
	struct reg_xfer x;
	struct reg_resp rs;
	struct curl_slist *h;
	char *url, *accept, *scope;
	int active;               /* x.easy is in the multi handle */
	int streaming;            /* the answer is the content (200/206) */
	int attempt;
	int finished;
	uint64_t delivered;       /* content bytes handed out */
	uint64_t skip;            /* bytes to drop (a restart answered 200) */
	struct strbuf stash;
	size_t stash_off;
	char *dst;
	size_t dst_len, dst_got;
	int paused;
	double left_at;           /* when bytes were last handed to the reader */
};

static size_t on_stream(char *buf, size_t size, size_t nitems, void *ud)
{
	struct reg_stream *s = ud;
	size_t len = size * nitems, n;

	if (!s->streaming) {
		long status = 0;

		curl_easy_getinfo(s->x.easy, CURLINFO_RESPONSE_CODE, &status);
		if (s->x.headers_done && (status == 200 || status == 206)) {
			/* the content: a 200 to a resumed request starts over */
			s->streaming = 1;
			s->skip = status == 200 ? s->delivered : 0;
		} else {
			/* an error answer's body (or a redirect's): its start is
			 * kept for messages, the rest is not waited for */
			if (reg_body_keep(&s->x, &s->rs, reg_body_cap(0), buf, len))
				return 0;
			return len;
		}
	}
	if ((!s->dst || s->dst_got == s->dst_len) && s->stash.len - s->stash_off >= STASH_MAX) {
		s->paused = 1;
		s->x.paused = 1;
		return CURL_WRITEFUNC_PAUSE;
	}
	if (s->skip) {
		n = len < s->skip ? len : (size_t)s->skip;
		s->skip -= n;
		buf += n;
		len -= n;
		if (!len)
			return size * nitems;
	}
	if (s->dst && s->dst_got < s->dst_len) {
		n = s->dst_len - s->dst_got;
		if (n > len)
			n = len;
		memcpy(s->dst + s->dst_got, buf, n);
		s->dst_got += n;
		buf += n;
		len -= n;
	}
	if (len) {
		if (s->stash_off == s->stash.len) {
			strbuf_reset(&s->stash);
			s->stash_off = 0;
		}
		strbuf_add(&s->stash, buf, len);
	}
	return size * nitems;
}

static void detach(struct reg_stream *s)
{
	if (s->active) {
		curl_multi_remove_handle(s->c->multi, s->x.easy);
		s->active = 0;
	}
}

/* (Re)start the GET at s->delivered until the answer is the content (0),
 * a final answer that is not (1, in s->rs), or an error (-1). */
static int start(struct reg_stream *s, struct xp_error *err)
{
	struct reg_client *c = s->c;
	char *auth = NULL, *tmp;
	int sent_token = 0, auth_tries = 0, retry;
	long status;

	for (;;) {
		s->attempt++;
		detach(s);
		reg_resp_reset(&s->rs);
		s->rs.attempts = s->attempt;
		curl_slist_free_all(s->h);
		s->h = NULL;
		if (reg_auth_header(c, s->url, s->scope, &auth, &sent_token, err))
			return -1;
		if (auth) {
			s->h = curl_slist_append(s->h, auth);
			OPENSSL_cleanse(auth, strlen(auth));
			free(auth);
			auth = NULL;
		}
		if (s->accept) {
			tmp = xasprintf("Accept: %s", s->accept);
			s->h = curl_slist_append(s->h, tmp);
			free(tmp);
		}
		if (s->delivered) {
			tmp = xasprintf("Range: bytes=%llu-", (unsigned long long)s->delivered);
			s->h = curl_slist_append(s->h, tmp);
			free(tmp);
		}
		s->streaming = 0;
		s->skip = 0;
		reg_xfer_setup(c, &s->x, "GET", s->url, s->h);
		curl_easy_setopt(s->x.easy, CURLOPT_WRITEFUNCTION, on_stream);
		curl_easy_setopt(s->x.easy, CURLOPT_WRITEDATA, s);
		curl_easy_setopt(s->x.easy, CURLOPT_BUFFERSIZE, RECV_BUFFER);
		curl_multi_add_handle(c->multi, s->x.easy);
		s->active = 1;
		while (!s->x.headers_done && !s->x.done)
			reg_pump(c, 1000);
		status = 0;
		curl_easy_getinfo(s->x.easy, CURLINFO_RESPONSE_CODE, &status);
		s->rs.status = status;
		if (s->x.headers_done && (status == 200 || status == 206)) {
			if (status == 206) {
				char want[32];

				snprintf(want, sizeof(want), "bytes %llu-",
					 (unsigned long long)s->delivered);
				if (!s->delivered || !s->rs.content_range ||
				    strncmp(s->rs.content_range, want, strlen(want)) != 0) {
					detach(s);
					return xp_error_set(err, XP_ERR_REMOTE,
							    "registry '%s' resumed '%s' at the wrong place (%s)",
							    c->host, s->url,
							    s->rs.content_range ? s->rs.content_range : "no Content-Range");
				}
			} else if (!s->streaming) {
				s->skip = s->delivered;
			}
			s->streaming = 1;
			return 0;
		}
		/* not the content: let the transfer finish to have the whole answer */
		while (!s->x.done)
			reg_pump(c, 1000);
		detach(s);
		if (reg_xfer_rc(&s->x) != CURLE_OK) {
			reg_xfer_cause(&s->x, s->rs.cause, sizeof(s->rs.cause));
			s->x.rc = reg_xfer_rc(&s->x);
			if (reg_curl_retryable(s->x.rc) && s->attempt < c->retry.attempts) {
				reg_backoff(c, s->attempt, -1);
				continue;
			}
			return xp_error_set(err, XP_ERR_REMOTE, "cannot reach registry '%s': %s",
					    c->host, s->rs.cause);
		}
		if (status == 401 && auth_tries < 2) {
			auth_tries++;
			if (reg_on_401(c, &s->rs, &s->scope, sent_token, &retry, err))
				return -1;
			if (retry) {
				s->attempt--;
				continue;
			}
		}
		if (reg_status_retryable(status) && s->attempt < c->retry.attempts) {
			reg_backoff(c, s->attempt, reg_retry_after_parse(s->rs.retry_after,
									 (long)time(NULL)));
			continue;
		}
		return 1;
	}
}

static ssize_t stream_read(struct xp_reader *r, void *buf, size_t len, struct xp_error *err)
{
	struct reg_stream *s = (struct reg_stream *)r;
	size_t n;

	if (!len)
		return 0;
	/* the stall and low-speed clocks run only while a reader waits for
	 * bytes: the time it was away does not count */
	if (s->left_at != 0 && reg_now() - s->left_at > 1) {
		if (s->x.moved_at != 0)
			s->x.moved_at = reg_now();
		s->x.window_at = 0;
	}
	for (;;) {
		if (s->stash_off < s->stash.len) {
			n = s->stash.len - s->stash_off;
			if (n > len)
				n = len;
			memcpy(buf, s->stash.buf + s->stash_off, n);
			s->stash_off += n;
			s->delivered += n;
			s->left_at = reg_now();
			return (ssize_t)n;
		}
		if (s->finished)
			return 0;
		if (s->x.done && !s->paused) {
			char cause[256];

			detach(s);
			reg_xfer_cause(&s->x, cause, sizeof(cause));
			s->x.rc = reg_xfer_rc(&s->x);
			if (s->x.rc == CURLE_OK) {
				s->finished = 1;
				return 0;
			}
			if (reg_curl_retryable(s->x.rc) && s->attempt < s->c->retry.attempts) {
				int ret;

				reg_backoff(s->c, s->attempt, -1);
				ret = start(s, err);
				if (ret < 0)
					return -1;
				if (ret > 0)
					return reg_status_error(s->c, &s->rs, 0, err,
								"cannot resume '%s' from registry '%s'",
								s->url, s->c->host);
				continue;
			}
			return xp_error_set(err, XP_ERR_REMOTE,
					    "cannot read '%s' from registry '%s': %s", s->url,
					    s->c->host, cause);
		}
		s->dst = buf;
		s->dst_len = len;
		s->dst_got = 0;
		if (s->paused) {
			s->paused = 0;
			s->x.paused = 0;
			s->x.window_at = 0;
			curl_easy_pause(s->x.easy, CURLPAUSE_CONT);
		}
		if (!s->dst_got)
			reg_pump(s->c, 1000);
		n = s->dst_got;
		s->dst = NULL;
		s->dst_len = s->dst_got = 0;
		if (n) {
			s->delivered += n;
			s->left_at = reg_now();
			return (ssize_t)n;
		}
	}
}

static void stream_close(struct xp_reader *r)
{
	struct reg_stream *s = (struct reg_stream *)r;

	detach(s);
	curl_easy_cleanup(s->x.easy);
	curl_slist_free_all(s->h);
	reg_resp_release(&s->rs);
	strbuf_release(&s->stash);
	free(s->url);
	free(s->accept);
	free(s->scope);
	free(s);
}

int reg_get_stream(struct reg_client *c, const char *url, const char *accept,
		   const char *scope, struct reg_resp *rs, struct xp_reader **out,
		   struct xp_error *err)
{
	struct reg_stream *s = xcalloc(1, sizeof(*s));
	int ret;

	s->r.read = stream_read;
	s->r.close = stream_close;
	s->c = c;
	s->x.c = c;
	s->x.easy = curl_easy_init();
	if (!s->x.easy)
		abort();
	reg_resp_init(&s->rs);
	s->x.rs = &s->rs;
	strbuf_init(&s->stash);
	s->url = url[0] == '/' ? xasprintf("%s%s", c->base, url) : xstrdup(url);
	s->accept = accept ? xstrdup(accept) : NULL;
	s->scope = xstrdup(scope ? scope : "");
	*out = NULL;
	ret = start(s, err);
	if (ret < 0) {
		stream_close(&s->r);
		return -1;
	}
	if (ret > 0) {
		/* hand the answer over for the caller to judge */
		reg_resp_release(rs);
		*rs = s->rs;
		reg_resp_init(&s->rs);
		stream_close(&s->r);
		return 0;
	}
	rs->status = s->rs.status;
	rs->content_length = s->rs.content_length;
	*out = &s->r;
	return 0;
}
