/*
 * registry_http_impl.h — what registry_http.c shares with registry_stream.c:
 * the client and transfer structs (libcurl types stay out of every other
 * header).
 */
#ifndef XPSHIP_PACKAGER_REGISTRY_HTTP_IMPL_H
#define XPSHIP_PACKAGER_REGISTRY_HTTP_IMPL_H

#include <curl/curl.h>

#include "packager/registry_impl.h"

struct reg_token {
	char *scope;              /* the cache key: realm, service, user, scope */
	char *token;
	double expires;           /* reg_now() time to renew it */
};

struct reg_client {
	CURLM *multi;             /* the connection pool of every transfer */
	CURL *easy;               /* reg_do's */
	char *host;               /* as referenced: "host[:port]" */
	char *base;               /* "https://host[:port]" (the API host) */
	const struct store_opts *opts;
	struct reg_retry retry;
	int creds_state;          /* 0 not looked up, 1 found, 2 none */
	struct reg_creds creds;
	int use_basic;            /* the registry asked for Basic */
	char *realm, *service;    /* the registry asked for bearer tokens */
	unsigned seed;            /* backoff jitter */
};

/* One transfer on an easy handle. */
struct reg_xfer {
	struct reg_client *c;
	CURL *easy;
	struct reg_resp *rs;
	size_t max_body;
	int done;                 /* set by reg_pump */
	CURLcode rc;
	int headers_done;         /* the final answer's headers are in */
	uint64_t moved;           /* bytes moved so far (stall detection) */
	double moved_at;          /* when that last changed */
	int stalled;              /* aborted: nothing moved for retry.stall_s */
	uint64_t window_moved;    /* the low-speed window: bytes moved at its start */
	double window_at;         /* its start (0: starts at the next callback) */
	int slow;                 /* aborted: slower than retry.low_bytes/s */
	int paused;               /* paused by its reader: the clocks stand still */
	int overflow;             /* aborted: the answer's body passed its cap */
	/* request body */
	const struct reg_body *body;
	struct xp_reader *rd;
	uint64_t sent;
	int read_failed;
	struct xp_error read_err;
	char errbuf[CURL_ERROR_SIZE];
};

double reg_now(void);
/* Run x to completion on the client's multi handle. */
void reg_perform(struct reg_client *c, struct reg_xfer *x);
/* Drive every transfer of the client a step; waits up to wait_ms for
 * activity. Finished transfers get done/rc set. */
void reg_pump(struct reg_client *c, int wait_ms);
/* Reset x->easy and set the options of a request (x->body, x->rs set). */
void reg_xfer_setup(struct reg_client *c, struct reg_xfer *x, const char *method,
		    const char *url, struct curl_slist *headers);
int reg_curl_retryable(CURLcode rc);
/* x's result: a stall or a transfer too slow is CURLE_OPERATION_TIMEDOUT,
 * a body cut off at its cap is CURLE_OK (the answer is judged on its status;
 * rs->too_large says it was cut). */
CURLcode reg_xfer_rc(const struct reg_xfer *x);
/* What went wrong with x, in words (curl's, or the stall or low-speed rule
 * that aborted it) into buf. */
void reg_xfer_cause(const struct reg_xfer *x, char *buf, size_t n);
/* curl's text for rc (detail: its error buffer, may be empty); a failed TLS
 * handshake without plain_http also says what to do: */
#define REG_PLAIN_HTTP_HINT \
	"the registry may speak plain HTTP: use --plain-http (or XPSHIP_REGISTRY_PLAIN_HTTP=HOST)"
void reg_curl_cause(CURLcode rc, const char *detail, int plain_http, char *buf, size_t n);
/* The most of an answer's body kept for a request with this max_body. */
size_t reg_body_cap(size_t max_body);
/* Cut an answer's body at `cap`: 1 (the transfer is to be aborted; x and rs
 * marked) when the body, announced or sent so far plus `len` more, passes it;
 * the part of the `len` bytes at buf that fits is kept in rs->body. */
int reg_body_keep(struct reg_xfer *x, struct reg_resp *rs, size_t cap, const char *buf,
		  size_t len);
/* The Authorization header line for a request to url needing scope (NULL
 * when none applies); fetches a token when needed. */
int reg_auth_header(struct reg_client *c, const char *url, const char *scope,
		    char **hdr, int *sent_token, struct xp_error *err);
/* React to a 401: learn the challenge, drop a refused token, widen *scope.
 * *retry = 1 when another try with new credentials makes sense. */
int reg_on_401(struct reg_client *c, const struct reg_resp *rs, char **scope,
	       int sent_token, int *retry, struct xp_error *err);

#endif
