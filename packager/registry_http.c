/*
 * registry_http.c — the registry HTTP client (see registry_impl.h).
 *
 * A client owns one curl multi handle: its connection pool, so consecutive
 * requests (HEAD, POST, PUT, ...) reuse one kept-alive connection. Requests
 * made with reg_do run on the client's easy handle; a streaming GET
 * (registry_stream.c) gets an easy handle of its own on the same multi. All
 * transfers are driven by reg_pump, which dispatches finished transfers to
 * their owners (CURLOPT_PRIVATE).
 *
 * Credentials: reg_auth_header and reg_on_401 (registry_token.c) decide what
 * a request carries and how a 401 is answered.
 *
 * Retries: connection errors, stalls (no progress for retry.stall_s) and
 * answers 408/429/5xx are retried up to retry.attempts times with exponential
 * backoff and jitter, or after the Retry-After the registry asked for (capped
 * at retry.max_ms). A request with a body from a source reopens it for each
 * try; reg_req.once leaves restarts to the caller (uploads, which need a new
 * upload session).
 */
#include "packager/registry_http_impl.h"
#include "common/error.h"

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#define BODY_KEEP (64 * 1024)   /* an answer's body kept for messages */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static long env_long(const char *name, long def, long min, long max)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return def;
	n = strtol(v, &end, 10);
	if (*end || n < min || n > max)
		return def;
	return n;
}

double reg_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct reg_client *reg_client_new(const char *host, const struct store_opts *opts)
{
	static const struct store_opts none;
	struct reg_client *c = xcalloc(1, sizeof(*c));
	const char *api = host;

	pthread_once(&curl_once, curl_init_once);
	c->opts = opts ? opts : &none;
	c->host = xstrdup(host);
	/* Docker Hub's API lives on another name than its references use */
	if (strcmp(host, "docker.io") == 0 || strcmp(host, "index.docker.io") == 0)
		api = "registry-1.docker.io";
	c->base = xasprintf("%s://%s", c->opts->plain_http ? "http" : "https", api);
	c->multi = curl_multi_init();
	c->easy = curl_easy_init();
	if (!c->multi || !c->easy)
		abort();
	c->retry.attempts = (int)env_long("XPSHIP_REGISTRY_RETRIES", 4, 0, 100) + 1;
	c->retry.base_ms = env_long("XPSHIP_REGISTRY_RETRY_DELAY_MS", 500, 0, 600000);
	c->retry.max_ms = env_long("XPSHIP_REGISTRY_RETRY_MAX_MS", 60000, 0, 3600000);
	c->retry.stall_s = env_long("XPSHIP_REGISTRY_STALL_TIMEOUT", 60, 1, 86400);
	c->retry.low_bytes = env_long("XPSHIP_REGISTRY_LOW_SPEED_LIMIT", 1024, 0, 1L << 30);
	c->retry.low_s = env_long("XPSHIP_REGISTRY_LOW_SPEED_TIME", 30, 1, 86400);
	c->seed = (unsigned)time(NULL) ^ (unsigned)getpid() ^ (unsigned)(uintptr_t)c;
	return c;
}

void reg_client_free(struct reg_client *c)
{
	if (!c)
		return;
	reg_creds_release(&c->creds);
	free(c->realm);
	free(c->service);
	curl_easy_cleanup(c->easy);
	curl_multi_cleanup(c->multi);
	free(c->host);
	free(c->base);
	free(c);
}

const char *reg_client_host(const struct reg_client *c)
{
	return c->host;
}

const char *reg_client_base(const struct reg_client *c)
{
	return c->base;
}

const struct reg_retry *reg_client_retry(const struct reg_client *c)
{
	return &c->retry;
}

void reg_client_set_creds(struct reg_client *c, const char *user, const char *pass)
{
	reg_creds_release(&c->creds);
	c->creds.user = xstrdup(user);
	c->creds.pass = xstrdup(pass);
	c->creds.source = xstrdup("'xpship login'");
	c->creds_state = 1;
}

void reg_req_init(struct reg_req *rq, const char *method, const char *url, const char *scope)
{
	memset(rq, 0, sizeof(*rq));
	rq->method = method;
	rq->url = url;
	rq->scope = scope;
}

void reg_resp_init(struct reg_resp *r)
{
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->body);
	r->content_length = -1;
}

static void resp_clear_headers(struct reg_resp *r)
{
	free(r->location);
	free(r->digest);
	free(r->content_type);
	free(r->range);
	free(r->link);
	free(r->challenge);
	free(r->retry_after);
	free(r->oci_subject);
	free(r->content_range);
	r->content_range = NULL;
	r->location = r->digest = r->content_type = r->range = r->link = NULL;
	r->challenge = r->retry_after = r->oci_subject = NULL;
	r->content_length = -1;
}

void reg_resp_release(struct reg_resp *r)
{
	resp_clear_headers(r);
	free(r->url);
	r->url = NULL;
	if (r->body.len)
		OPENSSL_cleanse(r->body.buf, r->body.len);  /* may hold a token */
	strbuf_release(&r->body);
}

/* Clear an answer for the next try (keeps the attempt count). */
void reg_resp_reset(struct reg_resp *r)
{
	int attempts = r->attempts;

	reg_resp_release(r);
	reg_resp_init(r);
	r->attempts = attempts;
}

/* ---- curl callbacks ---- */

static void set_hdr(char **dst, const char *v, size_t len, int append)
{
	while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
		len--;
	while (len && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	if (append && *dst) {
		char *joined = xasprintf("%s, %.*s", *dst, (int)len, v);

		free(*dst);
		*dst = joined;
		return;
	}
	free(*dst);
	*dst = xstrndup(v, len);
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *ud)
{
	struct reg_xfer *x = ud;
	struct reg_resp *r = x->rs;
	size_t len = size * nitems;
	static const struct {
		const char *name;
		size_t off;
		int append;
	} known[] = {
		{"location:", offsetof(struct reg_resp, location), 0},
		{"docker-content-digest:", offsetof(struct reg_resp, digest), 0},
		{"content-type:", offsetof(struct reg_resp, content_type), 0},
		{"range:", offsetof(struct reg_resp, range), 0},
		{"link:", offsetof(struct reg_resp, link), 1},
		{"www-authenticate:", offsetof(struct reg_resp, challenge), 1},
		{"retry-after:", offsetof(struct reg_resp, retry_after), 0},
		{"oci-subject:", offsetof(struct reg_resp, oci_subject), 0},
		{"content-range:", offsetof(struct reg_resp, content_range), 0},
	};
	size_t i;

	if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
		/* a new answer (after a redirect or a 100): forget the last one's */
		resp_clear_headers(r);
		strbuf_reset(&r->body);
		x->headers_done = 0;
		return len;
	}
	if (len <= 2 && (buf[0] == '\r' || buf[0] == '\n')) {
		long status = 0;

		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
		/* not a redirect curl is about to follow */
		if (status >= 200 && !(status / 100 == 3 && r->location))
			x->headers_done = 1;
		return len;
	}
	if (len > 15 && strncasecmp(buf, "content-length:", 15) == 0) {
		char tmp[32];
		char *end;

		snprintf(tmp, sizeof(tmp), "%.*s", (int)(len - 15 < 31 ? len - 15 : 31), buf + 15);
		r->content_length = (int64_t)strtoll(tmp, &end, 10);
		return len;
	}
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		size_t n = strlen(known[i].name);

		if (len > n && strncasecmp(buf, known[i].name, n) == 0) {
			set_hdr((char **)((char *)r + known[i].off), buf + n, len - n, known[i].append);
			break;
		}
	}
	return len;
}

size_t reg_body_cap(size_t max_body)
{
	return max_body > BODY_KEEP ? max_body : BODY_KEEP;
}

int reg_body_keep(struct reg_xfer *x, struct reg_resp *rs, size_t cap, const char *buf,
		  size_t len)
{
	if ((rs->content_length >= 0 && (uint64_t)rs->content_length > cap) ||
	    len > cap - rs->body.len) {
		strbuf_add(&rs->body, buf, len < cap - rs->body.len ? len : cap - rs->body.len);
		rs->too_large = 1;
		x->overflow = 1;
		return 1;
	}
	strbuf_add(&rs->body, buf, len);
	return 0;
}

/* Every answer's body has a cap, announced or not: past it the transfer is
 * aborted (a body without end, or a length that lies, cannot hold a client). */
static size_t on_body(char *buf, size_t size, size_t nitems, void *ud)
{
	struct reg_xfer *x = ud;
	size_t len = size * nitems;

	if (reg_body_keep(x, x->rs, reg_body_cap(x->max_body), buf, len))
		return 0;
	return len;
}

/* The request body: memory, or a range of a source opened on first use. */
static size_t on_read(char *buf, size_t size, size_t nitems, void *ud)
{
	struct reg_xfer *x = ud;
	const struct reg_body *b = x->body;
	size_t want = size * nitems;
	uint64_t left = b ? b->len - x->sent : 0;
	struct xp_reader *rd;
	ssize_t n;

	if (left == 0)
		return 0;
	if (want > left)
		want = (size_t)left;
	if (b->buf) {
		memcpy(buf, (const char *)b->buf + x->sent, want);
		x->sent += want;
		return want;
	}
	rd = b->rd ? b->rd : x->rd;
	if (!rd) {
		if (b->src->open(b->src->ctx, b->off, &x->rd, &x->read_err)) {
			x->read_failed = 1;
			return CURL_READFUNC_ABORT;
		}
		rd = x->rd;
	}
	n = reader_read(rd, buf, want, &x->read_err);
	if (n <= 0) {
		if (n == 0)
			xp_error_set(&x->read_err, XP_ERR_INTEGRITY,
				     "content ended %llu bytes early",
				     (unsigned long long)(left));
		x->read_failed = 1;
		return CURL_READFUNC_ABORT;
	}
	x->sent += (uint64_t)n;
	/* the last byte of the content: let a verifying reader check the whole
	 * before curl sends it (one more read must say "end") */
	if (x->sent == b->len && b->off + b->len == b->total) {
		char extra;
		ssize_t m = reader_read(rd, &extra, 1, &x->read_err);

		if (m != 0) {
			if (m > 0)
				xp_error_set(&x->read_err, XP_ERR_INTEGRITY, "content is longer than %llu bytes",
					     (unsigned long long)b->total);
			x->read_failed = 1;
			return CURL_READFUNC_ABORT;
		}
	}
	if (b->label)
		xp_progress_update(x->c->opts->progress, b->label, b->off + x->sent, b->total);
	return (size_t)n;
}

/* Rewind (curl asks before resending a body, e.g. after a redirect). */
static int on_seek(void *ud, curl_off_t offset, int origin)
{
	struct reg_xfer *x = ud;

	if (origin != SEEK_SET || offset != 0 || (x->body && x->body->rd && x->sent))
		return CURL_SEEKFUNC_CANTSEEK;
	reader_close(x->rd);
	x->rd = NULL;
	x->sent = 0;
	return CURL_SEEKFUNC_OK;
}

/* Two rules end a transfer that does not move (curl's own low-speed check
 * averages over several seconds, so a stall after a burst goes unseen, and it
 * counts the time a reader leaves a transfer paused):
 *   - no byte moved for retry.stall_s (a stall);
 *   - bytes move, but fewer than retry.low_bytes a second over a window of
 *     retry.low_s seconds (a trickle, which never stalls).
 * Both clocks stand still while the transfer's reader has paused it. */
static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct reg_xfer *x = ud;
	const struct reg_retry *rt = &x->c->retry;
	uint64_t moved = (uint64_t)dlnow + (uint64_t)ulnow;
	double now = reg_now();

	(void)dltotal;
	(void)ultotal;
	if (x->paused || x->window_at == 0) {
		x->window_at = now;
		x->window_moved = moved;
	} else if (now - x->window_at >= (double)rt->low_s) {
		uint64_t got = moved - x->window_moved;

		if (rt->low_bytes > 0 && got > 0 &&
		    (double)got < (double)rt->low_bytes * (now - x->window_at)) {
			x->slow = 1;
			return 1;
		}
		x->window_at = now;
		x->window_moved = moved;
	}
	if (moved != x->moved || x->moved_at == 0 || x->paused) {
		x->moved = moved;
		x->moved_at = now;
		return 0;
	}
	if (now - x->moved_at >= (double)rt->stall_s) {
		x->stalled = 1;
		return 1;
	}
	return 0;
}

CURLcode reg_xfer_rc(const struct reg_xfer *x)
{
	if ((x->stalled || x->slow) && x->rc == CURLE_ABORTED_BY_CALLBACK)
		return CURLE_OPERATION_TIMEDOUT;
	if (x->overflow && x->rc == CURLE_WRITE_ERROR)
		return CURLE_OK;
	return x->rc;
}

void reg_xfer_cause(const struct reg_xfer *x, char *buf, size_t n)
{
	const struct reg_retry *rt = &x->c->retry;

	if (x->slow && x->rc == CURLE_ABORTED_BY_CALLBACK)
		snprintf(buf, n, "slower than %ld bytes/s for %ld s", rt->low_bytes, rt->low_s);
	else if (x->stalled && x->rc == CURLE_ABORTED_BY_CALLBACK)
		snprintf(buf, n, "no data moved for %ld s", rt->stall_s);
	else
		reg_curl_cause(reg_xfer_rc(x), x->errbuf, x->c->opts->plain_http, buf, n);
}

void reg_curl_cause(CURLcode rc, const char *detail, int plain_http, char *buf, size_t n)
{
	const char *what = curl_easy_strerror(rc);

	if (rc != CURLE_SSL_CONNECT_ERROR || plain_http) {
		snprintf(buf, n, "%s", what);
		return;
	}
	/* a TLS client hello answered in plain HTTP: OpenSSL's "wrong version
	 * number", GnuTLS's "unexpected TLS packet" */
	if (detail && *detail)
		snprintf(buf, n, "%s (%s): %s", what, detail, REG_PLAIN_HTTP_HINT);
	else
		snprintf(buf, n, "%s: %s", what, REG_PLAIN_HTTP_HINT);
}

/* ---- driving transfers ---- */

void reg_pump(struct reg_client *c, int wait_ms)
{
	CURLMsg *m;
	int running = 0, left;

	/* wait first, then move: a transfer that a write callback paused during
	 * the last perform leaves no socket to watch, and waiting after that
	 * perform would sleep the full wait_ms although the caller has bytes to
	 * take. curl's own timers (a handle just added or unpaused is due at
	 * once) end the wait early. */
	if (wait_ms > 0)
		curl_multi_poll(c->multi, NULL, 0, wait_ms, NULL);
	curl_multi_perform(c->multi, &running);
	while ((m = curl_multi_info_read(c->multi, &left))) {
		struct reg_xfer *x = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (x) {
			x->done = 1;
			x->rc = m->data.result;
		}
	}
}

/* Options every transfer shares. */
void reg_xfer_setup(struct reg_client *c, struct reg_xfer *x, const char *method,
		    const char *url, struct curl_slist *headers)
{
	CURL *e = x->easy;

	curl_easy_reset(e);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)x);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "xpship/" XP_VERSION);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);  /* a redirect loop ends */
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	if (c->opts->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (c->opts->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, c->opts->ca_file);
	if (headers)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	x->errbuf[0] = '\0';
	x->moved = 0;
	x->moved_at = 0;
	x->stalled = 0;
	x->window_moved = 0;
	x->window_at = 0;
	x->slow = 0;
	x->paused = 0;
	x->overflow = 0;
	x->done = 0;
	x->rc = CURLE_OK;
	x->headers_done = 0;
	if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	} else if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	} else if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, 0L);
	} else if (strcmp(method, "PUT") == 0 || strcmp(method, "PATCH") == 0) {
		uint64_t len = x->body ? x->body->len : 0;

		curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
		curl_easy_setopt(e, CURLOPT_UPLOAD_BUFFERSIZE, 1024L * 1024L);
		if (strcmp(method, "PATCH") == 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PATCH");
		curl_easy_setopt(e, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(e, CURLOPT_READDATA, x);
		curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, on_seek);
		curl_easy_setopt(e, CURLOPT_SEEKDATA, x);
	} else {
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	}
}

void reg_perform(struct reg_client *c, struct reg_xfer *x)
{
	curl_multi_add_handle(c->multi, x->easy);
	while (!x->done)
		reg_pump(c, 1000);
	curl_multi_remove_handle(c->multi, x->easy);
}

/* 1 for transport failures worth another try. */
int reg_curl_retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_HTTP3:
	case CURLE_SEND_FAIL_REWIND:  /* a body that cannot be sent again on a new connection */
		return 1;
	default:
		return 0;
	}
}

int reg_status_retryable(long status)
{
	return status == 408 || status == 429 || (status >= 500 && status <= 599 && status != 501);
}

void reg_backoff(const struct reg_client *c, int attempt, long retry_after_s)
{
	struct reg_client *mc = (struct reg_client *)c;
	double ms;
	struct timespec ts;

	if (retry_after_s >= 0) {
		ms = (double)retry_after_s * 1000.0;
	} else {
		double base = (double)c->retry.base_ms;
		int i;

		for (i = 1; i < attempt && base < (double)c->retry.max_ms; i++)
			base *= 2;
		/* "equal jitter": half fixed, half random */
		ms = base / 2 + (base / 2) * ((double)rand_r(&mc->seed) / RAND_MAX);
	}
	if (ms > (double)c->retry.max_ms)
		ms = (double)c->retry.max_ms;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1000) * 1e6);
	while (nanosleep(&ts, &ts) < 0)
		;
}

int reg_do(struct reg_client *c, const struct reg_req *rq, struct reg_resp *rs,
	   struct xp_error *err)
{
	struct curl_slist *h = NULL;
	struct reg_xfer x;
	char *url = rq->url[0] == '/' ? xasprintf("%s%s", c->base, rq->url) : xstrdup(rq->url);
	char *scope = xstrdup(rq->scope ? rq->scope : "");
	char *auth = NULL, *tmp;
	int attempt = 0, auth_tries = 0, sent_token = 0, retry, ret = -1;
	long ra;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.easy = c->easy;
	x.rs = rs;
	x.body = rq->body;
	x.max_body = rq->max_body;
	for (;;) {
		attempt++;
		reg_resp_reset(rs);
		rs->attempts = attempt;
		curl_slist_free_all(h);
		h = NULL;
		if (auth) {
			OPENSSL_cleanse(auth, strlen(auth));
			free(auth);
		}
		if (reg_auth_header(c, url, scope, &auth, &sent_token, err))
			goto out;
		if (auth)
			h = curl_slist_append(h, auth);
		if (rq->accept) {
			tmp = xasprintf("Accept: %s", rq->accept);
			h = curl_slist_append(h, tmp);
			free(tmp);
		}
		if (rq->content_type) {
			tmp = xasprintf("Content-Type: %s", rq->content_type);
			h = curl_slist_append(h, tmp);
			free(tmp);
		}
		if (rq->body && rq->body->len < (1u << 20))
			h = curl_slist_append(h, "Expect:");  /* no 100-continue round trip */
		if (rq->content_range) {
			tmp = xasprintf("Content-Range: %s", rq->content_range);
			h = curl_slist_append(h, tmp);
			free(tmp);
		}
		x.sent = 0;
		x.read_failed = 0;
		reader_close(x.rd);
		x.rd = NULL;
		reg_xfer_setup(c, &x, rq->method, url, h);
		reg_perform(c, &x);
		reader_close(x.rd);
		x.rd = NULL;
		if (x.read_failed) {
			*err = x.read_err;
			goto out;
		}
		if (reg_xfer_rc(&x) != CURLE_OK) {
			reg_xfer_cause(&x, rs->cause, sizeof(rs->cause));
			x.rc = reg_xfer_rc(&x);
			rs->retryable = reg_curl_retryable(x.rc);
			if (!rq->once && reg_curl_retryable(x.rc) && attempt < c->retry.attempts) {
				reg_backoff(c, attempt, -1);
				continue;
			}
			if (attempt > 1)
				xp_error_set(err, XP_ERR_REMOTE,
					     "cannot reach registry '%s': %s (after %d attempts)", c->host,
					     rs->cause, attempt);
			else
				xp_error_set(err, XP_ERR_REMOTE, "cannot reach registry '%s': %s",
					     c->host, rs->cause);
			goto out;
		}
		curl_easy_getinfo(x.easy, CURLINFO_RESPONSE_CODE, &rs->status);
		{
			char *eff = NULL;

			curl_easy_getinfo(x.easy, CURLINFO_EFFECTIVE_URL, &eff);
			free(rs->url);
			rs->url = xstrdup(eff ? eff : url);
		}
		if (rs->status == 401 && auth_tries < 2) {
			auth_tries++;
			if (reg_on_401(c, rs, &scope, sent_token, &retry, err))
				goto out;
			if (retry) {
				attempt--;  /* answering a challenge is not a retry */
				continue;
			}
		}
		if (!rq->once && reg_status_retryable(rs->status) && attempt < c->retry.attempts) {
			ra = reg_retry_after_parse(rs->retry_after, (long)time(NULL));
			reg_backoff(c, attempt, ra);
			continue;
		}
		break;
	}
	ret = 0;
out:
	curl_slist_free_all(h);
	if (auth) {
		OPENSSL_cleanse(auth, strlen(auth));
		free(auth);
	}
	free(scope);
	free(url);
	return ret;
}

/* ---- error messages ---- */

/* "CODE: message" from an OCI error body, else its first line. */
static void body_cause(const struct reg_resp *rs, char *out, size_t n)
{
	json_t *root, *errs, *e0, *code, *msg;
	json_error_t je;
	size_t len;

	out[0] = '\0';
	if (!rs->body.len)
		return;
	root = json_loadb(rs->body.buf, rs->body.len, 0, &je);
	errs = json_is_object(root) ? json_object_get(root, "errors") : NULL;
	e0 = json_is_array(errs) ? json_array_get(errs, 0) : NULL;
	if (json_is_object(e0)) {
		code = json_object_get(e0, "code");
		msg = json_object_get(e0, "message");
		snprintf(out, n, "%s%s%s", json_is_string(code) ? json_string_value(code) : "",
			 json_is_string(code) && json_is_string(msg) ? ": " : "",
			 json_is_string(msg) ? json_string_value(msg) : "");
		json_decref(root);
		if (out[0])
			return;
	}
	json_decref(root);
	len = strcspn(rs->body.buf, "\r\n");
	if (len > 160)
		len = 160;
	snprintf(out, n, "%.*s", (int)len, rs->body.buf);
}

int reg_status_error(const struct reg_client *c, const struct reg_resp *rs, int absent_is_no,
		     struct xp_error *err, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	char cause[320];
	va_list ap;
	enum xp_err cls = XP_ERR_REMOTE;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	body_cause(rs, cause, sizeof(cause));
	strbuf_addf(&sb, ": HTTP %ld", rs->status);
	if (cause[0])
		strbuf_addf(&sb, " (%s)", cause);
	if ((rs->status == 401 || rs->status == 403) && rs->challenge &&
	    strstr(rs->challenge, "insufficient_scope")) {
		if (c->creds_state == 1)
			strbuf_addf(&sb, "; the credentials from %s do not allow this", c->creds.source);
		else
			strbuf_addf(&sb, "; anonymous access does not allow this (set XPSHIP_REGISTRY_USERNAME and XPSHIP_REGISTRY_PASSWORD, or run 'xpship login %s')",
				    c->host);
	} else if (rs->status == 401 && rs->challenge && strstr(rs->challenge, "invalid_token")) {
		strbuf_addf(&sb, "; the registry refused the token from '%s' (invalid_token)",
			    c->realm ? c->realm : "its issuer");
	} else if (rs->status == 401 || rs->status == 403) {
		if (c->creds_state == 1)
			strbuf_addf(&sb, "; the credentials from %s were refused", c->creds.source);
		else
			strbuf_addf(&sb, "; no credentials for '%s' (set XPSHIP_REGISTRY_USERNAME and XPSHIP_REGISTRY_PASSWORD, or run 'xpship login %s')",
				    c->host, c->host);
	} else if (reg_status_retryable(rs->status) && rs->attempts > 1) {
		strbuf_addf(&sb, " (gave up after %d attempts)", rs->attempts);
	}
	if (rs->status == 404 && absent_is_no)
		cls = XP_ERR_NOT_FOUND;
	xp_error_set(err, cls, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}
