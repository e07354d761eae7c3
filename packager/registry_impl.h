/*
 * registry_impl.h — the pieces of the registry store (packager/ only; the
 * unit tests include it for the parsers).
 *
 *   registry_http.c    the HTTP client: one curl multi handle per client (its
 *                      connection pool: keep-alive across requests), requests
 *                      with credentials applied, answers to 401 challenges,
 *                      bounded retries with backoff and jitter, streaming GETs
 *   registry_auth.c    WWW-Authenticate parsing, bearer tokens (cached per
 *                      scope), Retry-After, URL helpers
 *   registry_creds.c   credentials: XPSHIP_REGISTRY_USERNAME/PASSWORD,
 *                      ~/.docker/config.json (auths, credHelpers, credsStore)
 *                      and docker-credential-* helpers; login/logout
 *   registry_store.c   the store ops: resolve, exists, fetch, tag, tags,
 *                      referrers, manifests
 *   registry_upload.c  blob uploads: POST + monolithic PUT, chunked PATCH with
 *                      resume, cross-repository mounts
 *
 * Secrets (passwords, tokens) live only in struct reg_creds and the token
 * cache; they are wiped (OPENSSL_cleanse) when released and never appear in
 * an error message.
 */
#ifndef XPSHIP_PACKAGER_REGISTRY_IMPL_H
#define XPSHIP_PACKAGER_REGISTRY_IMPL_H

#include <stdint.h>

#include "common/strbuf.h"
#include "packager/store_impl.h"

/* ---- credentials (registry_creds.c) ---- */

struct reg_creds {
	char *user;
	char *pass;
	char *source;       /* where they came from, for messages ("environment", ...) */
};

void reg_creds_release(struct reg_creds *c);
/* Credentials for `host` (as written in references, "host[:port]"): the
 * environment first, then the docker config (credHelpers[host], auths[host],
 * credsStore). *found is 0 when there are none; errors are a malformed config
 * (XP_ERR_MALFORMED) or a helper that failed (XP_ERR_LOCAL). */
int reg_creds_lookup(const char *host, struct reg_creds *out, int *found,
		     struct xp_error *err);
/* The docker config file: $DOCKER_CONFIG/config.json, else
 * $HOME/.docker/config.json (caller frees). */
char *reg_docker_config_path(void);
/* The key of `host` in the docker config and for credential helpers (Docker
 * Hub's is "https://index.docker.io/v1/"; caller frees). */
char *reg_config_key(const char *host);
/* Strip a config key to a host: "https://host:5000/v1/" -> "host:5000"
 * (caller frees). */
char *reg_config_key_host(const char *key);
/* Run `docker-credential-<helper> <verb>` with `input` on stdin; its stdout
 * (at most 64 KiB) in *out (caller frees and wipes). *status is its exit
 * status. */
int reg_helper_run(const char *helper, const char *verb, const char *input,
		   char **out, int *status, struct xp_error *err);

/* ---- challenges, tokens, small parsers (registry_auth.c) ---- */

struct reg_param {
	char *name;         /* lower case */
	char *value;
};

struct reg_challenge {
	char *scheme;       /* lower case: "basic", "bearer", ... */
	struct reg_param *params;
	size_t n_params;
};

/* Parse a WWW-Authenticate value (one or several challenges, quoted or token
 * values, escapes). Returns the number of challenges, or -1 when nothing
 * parses. */
int reg_challenges_parse(const char *value, struct reg_challenge **out, size_t *n);
void reg_challenges_free(struct reg_challenge *v, size_t n);
/* A parameter of a challenge (name case-insensitive; borrowed), or NULL. */
const char *reg_challenge_param(const struct reg_challenge *c, const char *name);

/* Retry-After: delta-seconds or an HTTP date; seconds from `now` (clamped at
 * 0), or -1 when unparseable. */
long reg_retry_after_parse(const char *value, long now);

/* Resolve a Location against the URL of the request that returned it:
 * absolute URLs are kept, "/path" takes the request's scheme and host,
 * anything else is relative to the request path. Caller frees. */
char *reg_url_resolve(const char *base, const char *location);
/* Append "name=value" to a URL's query ('&' when it has one, else '?'). */
char *reg_url_add_query(const char *url, const char *name, const char *value);
/* "scheme://host[:port]" of a URL (caller frees), or NULL. */
char *reg_url_origin(const char *url);
/* The target of a Link header with rel="next" (caller frees), or NULL. */
char *reg_link_next(const char *value);
/* "bytes=0-N", "0-N": the last byte N; -1 when unparseable. */
int64_t reg_range_end(const char *value);

/* A scope set ("repository:a/b:pull,push repository:c:pull"): merge `add`
 * into `scopes` (actions of the same resource are united), sorted, space
 * separated. Caller frees. */
char *reg_scope_merge(const char *scopes, const char *add);

/* A bearer token response: "token" or "access_token", "expires_in" (default
 * 60 s). *token is owned by the caller (wipe it). */
int reg_token_parse(const char *body, size_t len, char **token, long *expires_in,
		    struct xp_error *err);

/* ---- the HTTP client (registry_http.c) ---- */

struct reg_client;

struct reg_retry {
	int attempts;       /* tries per request (XPSHIP_REGISTRY_RETRIES + 1; default 5) */
	long base_ms;       /* first backoff (XPSHIP_REGISTRY_RETRY_DELAY_MS; default 500) */
	long max_ms;        /* a backoff and an honoured Retry-After are capped here */
	long stall_s;       /* abort a transfer without progress for this long
			       (XPSHIP_REGISTRY_STALL_TIMEOUT; default 60) */
	long low_bytes;     /* abort a transfer that moves bytes, but fewer than
			       low_bytes a second over low_s seconds
			       (XPSHIP_REGISTRY_LOW_SPEED_LIMIT, default 1024;
			       0 turns the check off) */
	long low_s;         /* (XPSHIP_REGISTRY_LOW_SPEED_TIME; default 30) */
};

struct reg_body {
	const void *buf;                  /* in memory, or */
	struct xp_reader *rd;             /* a reader positioned at off (borrowed), or */
	const struct store_source *src;   /* a source, opened at off for each try */
	uint64_t off;                     /* the body is bytes [off, off + len) */
	uint64_t len;
	const char *label;                /* progress label (NULL: no progress) */
	uint64_t total;                   /* progress: the whole blob */
};

struct reg_req {
	const char *method;         /* GET HEAD POST PUT PATCH DELETE */
	const char *url;            /* absolute, or "/v2/..." on the registry */
	const char *accept;
	const char *content_type;
	const char *content_range;  /* "start-end" (PATCH) */
	const char *scope;          /* token scopes this request needs */
	const struct reg_body *body;/* NULL: no body (PUT/PATCH send 0 bytes) */
	size_t max_body;            /* the answer's body is cut off past this
				       (at least 64 KiB: an error's message) */
	int once;                   /* no retries of transport errors, 5xx or 429:
				       the caller restarts (uploads) */
};

struct reg_resp {
	long status;
	char *url;                  /* the URL answered (after redirects) */
	char *location, *digest, *content_type, *range, *link, *challenge;
	char *retry_after, *oci_subject, *content_range;
	int64_t content_length;     /* -1 when absent */
	struct strbuf body;
	int too_large;              /* the body (sent, or announced by
				       Content-Length) was larger than the
				       request's cap: cut off, body holds its
				       start; the answer is otherwise complete */
	int attempts;               /* tries made */
	char cause[256];            /* the transport error of the last try, "" if none */
	int retryable;              /* that error is worth another try */
};

/* A request `method` on `url` needing `scope`; every other field zero. */
void reg_req_init(struct reg_req *rq, const char *method, const char *url, const char *scope);

void reg_resp_init(struct reg_resp *r);
void reg_resp_release(struct reg_resp *r);
/* Clear an answer for the next try (keeps the attempt count). */
void reg_resp_reset(struct reg_resp *r);

/* A client for one registry host. `host` is "host[:port]" as referenced;
 * opts are borrowed. */
struct reg_client *reg_client_new(const char *host, const struct store_opts *opts);
void reg_client_free(struct reg_client *c);
const char *reg_client_host(const struct reg_client *c);
/* "https://host" (borrowed). */
const char *reg_client_base(const struct reg_client *c);
const struct reg_retry *reg_client_retry(const struct reg_client *c);
/* Use these credentials instead of looking them up (login). Copied. */
void reg_client_set_creds(struct reg_client *c, const char *user, const char *pass);

/* One request, with credentials, challenges and retries handled. 0 when an
 * answer came (any status: the caller judges it, reg_status_error words it);
 * -1 when the registry could not be reached after the retries, or the
 * credentials could not be had. */
int reg_do(struct reg_client *c, const struct reg_req *rq, struct reg_resp *rs,
	   struct xp_error *err);
/* Sleep before retry number `attempt` (1-based): exponential backoff with
 * jitter, or Retry-After (seconds, >= 0) when given; both capped. */
void reg_backoff(const struct reg_client *c, int attempt, long retry_after_s);
/* 1 for statuses worth a retry: 408, 429, 5xx. */
int reg_status_retryable(long status);

/* An error for an unexpected answer: "<what>: HTTP <status> (<registry's
 * error code and message>)", with a hint for 401/403; XP_ERR_NOT_FOUND for 404
 * when `absent_is_no`, else XP_ERR_REMOTE. Returns -1. */
int reg_status_error(const struct reg_client *c, const struct reg_resp *rs, int absent_is_no,
		     struct xp_error *err, const char *fmt, ...) XP_PRINTF(5, 6);

/* A streaming GET (reader over the body; redirects followed; a connection
 * lost mid-way resumes with a Range request). When the answer is not 200,
 * *out is NULL and rs holds it (the start of its body) for the caller to
 * judge. */
int reg_get_stream(struct reg_client *c, const char *url, const char *accept,
		   const char *scope, struct reg_resp *rs, struct xp_reader **out,
		   struct xp_error *err);

/* ---- the store handle (registry_store.c, registry_upload.c) ---- */

struct reg_cached {
	char digest[XP_DIGEST_SIZE];
	char *media_type;
	char *data;
	size_t len;
};

#define REG_CACHE 4

struct reg_store {
	struct store base;
	struct reg_client *c;
	char *repo;               /* as on the wire (Docker Hub: "library/x") */
	char *pull_scope;         /* "repository:<repo>:pull" */
	char *push_scope;         /* "repository:<repo>:pull,push" */
	struct reg_cached cache[REG_CACHE];   /* manifests recently moved */
	unsigned cache_next;
};

/* "/v2/<repo>/<kind>/<ref>" (caller frees). */
char *reg_path(const struct reg_store *r, const char *kind, const char *ref);
/* Upload a blob (registry_upload.c): POST + PUT, or PATCH chunks when
 * opts.chunk_size > 0; retried from the start, or resumed at the registry's
 * reported range. */
int reg_upload_blob(struct reg_store *r, const struct oci_desc *d,
		    const struct store_source *src, struct xp_error *err);
/* POST ?mount=&from= (registry_upload.c). */
int reg_mount_blob(struct store *s, const struct oci_desc *d, struct store *from, int *done,
		   struct xp_error *err);

#endif
