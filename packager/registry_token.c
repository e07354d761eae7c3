/*
 * registry_token.c — authorization for the registry client (registry_http.c).
 * A request goes out with what the client already knows (the Basic
 * credentials the registry asked for, or a cached bearer token for the
 * request's scope). A 401 is answered once: Basic → look the credentials up
 * (registry_creds.c) and retry; Bearer → drop the token that was refused,
 * fetch one for the request's scopes plus the challenge's, and retry.
 * Authorization is sent only to the registry's own origin, never to a host a
 * redirect or a Location leads to. Tokens are cached for the whole process,
 * keyed by realm, service, user and scope, and renewed before they expire.
 */
#include "packager/registry_http_impl.h"
#include "common/error.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define TOKEN_MARGIN 10.0       /* renew a token this many seconds before it expires */
#define TOKEN_MAX (1 << 20)     /* a token answer is cut off past this */

/* Wipe a secret string, then free it (NULL is fine). */
static void wipe_free(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

static int same_origin(const struct reg_client *c, const char *url)
{
	size_t n = strlen(c->base);

	return strncasecmp(url, c->base, n) == 0 && (url[n] == '/' || url[n] == '\0' ||
						      url[n] == '?');
}

static int load_creds(struct reg_client *c, struct xp_error *err)
{
	int found = 0;

	if (c->creds_state)
		return 0;
	if (reg_creds_lookup(c->host, &c->creds, &found, err))
		return -1;
	c->creds_state = found ? 1 : 2;
	return 0;
}

static char *basic_header(const struct reg_client *c)
{
	char *pair = xasprintf("%s:%s", c->creds.user, c->creds.pass);
	size_t n = strlen(pair);
	unsigned char *b64 = xmalloc(4 * ((n + 2) / 3) + 1);
	char *hdr;

	EVP_EncodeBlock(b64, (const unsigned char *)pair, (int)n);
	hdr = xasprintf("Authorization: Basic %s", b64);
	OPENSSL_cleanse(pair, n);
	OPENSSL_cleanse(b64, strlen((char *)b64));
	free(pair);
	free(b64);
	return hdr;
}

/* The token cache, shared by every client of the process (worker threads
 * open their own clients): realm, service, user and scope make the key. */
static struct {
	pthread_mutex_t lock;
	struct reg_token *v;
	size_t n;
	int cleanup;
} tokens = {PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0};

static void tokens_free(void)
{
	size_t i;

	pthread_mutex_lock(&tokens.lock);
	for (i = 0; i < tokens.n; i++) {
		free(tokens.v[i].scope);
		wipe_free(tokens.v[i].token);
	}
	free(tokens.v);
	tokens.v = NULL;
	tokens.n = 0;
	pthread_mutex_unlock(&tokens.lock);
}

static char *token_key(const struct reg_client *c, const char *scope)
{
	return xasprintf("%s\x1f%s\x1f%s\x1f%s", c->realm ? c->realm : "",
			 c->service ? c->service : "", c->creds_state == 1 ? c->creds.user : "",
			 scope ? scope : "");
}

static long token_at(const char *key)
{
	size_t i;

	for (i = 0; i < tokens.n; i++)
		if (strcmp(tokens.v[i].scope, key) == 0)
			return (long)i;
	return -1;
}

static void token_drop_locked(long at)
{
	free(tokens.v[at].scope);
	wipe_free(tokens.v[at].token);
	tokens.v[at] = tokens.v[--tokens.n];
}

static void token_drop(const char *key)
{
	long at;

	pthread_mutex_lock(&tokens.lock);
	at = token_at(key);
	if (at >= 0)
		token_drop_locked(at);
	pthread_mutex_unlock(&tokens.lock);
}

/* A copy of a token still valid for a while (caller wipes), or NULL. */
static char *token_get(const char *key)
{
	char *t = NULL;
	long at;

	pthread_mutex_lock(&tokens.lock);
	at = token_at(key);
	if (at >= 0 && reg_now() > tokens.v[at].expires)
		token_drop_locked(at);
	else if (at >= 0)
		t = xstrdup(tokens.v[at].token);
	pthread_mutex_unlock(&tokens.lock);
	return t;
}

static void token_put(const char *key, char *token, double expires)
{
	long at;

	pthread_mutex_lock(&tokens.lock);
	if (!tokens.cleanup) {
		tokens.cleanup = 1;
		atexit(tokens_free);
	}
	at = token_at(key);
	if (at >= 0)
		token_drop_locked(at);
	tokens.v = xrealloc(tokens.v, (tokens.n + 1) * sizeof(*tokens.v));
	tokens.v[tokens.n].scope = xstrdup(key);
	tokens.v[tokens.n].token = token;
	tokens.v[tokens.n].expires = expires;
	tokens.n++;
	pthread_mutex_unlock(&tokens.lock);
}

/* GET realm?service=..&scope=.. (one scope parameter per scope), with Basic
 * credentials when there are any. */
static int fetch_token(struct reg_client *c, const char *scope, struct xp_error *err)
{
	struct reg_xfer x;
	struct reg_resp rs;
	char *url, *next, *tok = NULL, *copy, *p, *save, *key;
	long expires = 60, status = 0;
	char cause[256];
	int attempt, ret = -1;

	if (load_creds(c, err))
		return -1;
	url = xstrdup(c->realm);
	if (c->service && *c->service) {
		next = reg_url_add_query(url, "service", c->service);
		free(url);
		url = next;
	}
	copy = xstrdup(scope);
	for (p = copy; p && *p; p = save) {
		save = strchr(p, ' ');
		if (save)
			*save++ = '\0';
		if (!*p)
			continue;
		next = reg_url_add_query(url, "scope", p);
		free(url);
		url = next;
	}
	free(copy);
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.max_body = TOKEN_MAX;
	x.easy = curl_easy_init();
	reg_resp_init(&rs);
	x.rs = &rs;
	for (attempt = 1;; attempt++) {
		reg_resp_reset(&rs);
		reg_xfer_setup(c, &x, "GET", url, NULL);
		if (c->creds_state == 1) {
			curl_easy_setopt(x.easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
			curl_easy_setopt(x.easy, CURLOPT_USERNAME, c->creds.user);
			curl_easy_setopt(x.easy, CURLOPT_PASSWORD, c->creds.pass);
		}
		reg_perform(c, &x);
		reg_xfer_cause(&x, cause, sizeof(cause));
		x.rc = reg_xfer_rc(&x);
		status = 0;
		curl_easy_getinfo(x.easy, CURLINFO_RESPONSE_CODE, &status);
		if (x.rc == CURLE_OK && !reg_status_retryable(status))
			break;
		if (attempt >= c->retry.attempts || (x.rc != CURLE_OK && !reg_curl_retryable(x.rc)))
			break;
		reg_backoff(c, attempt, reg_retry_after_parse(rs.retry_after, (long)time(NULL)));
	}
	if (x.rc != CURLE_OK) {
		xp_error_set(err, XP_ERR_REMOTE, "cannot get a token for '%s' from '%s': %s",
			     c->host, c->realm, cause);
		goto out;
	}
	if (status != 200) {
		rs.status = status;
		reg_status_error(c, &rs, 0, err, "cannot get a token for '%s' from '%s'",
				 c->host, c->realm);
		goto out;
	}
	if (rs.too_large) {
		xp_error_set(err, XP_ERR_REMOTE,
			     "cannot get a token for '%s' from '%s': the answer is larger than %d bytes",
			     c->host, c->realm, TOKEN_MAX);
		goto out;
	}
	if (reg_token_parse(rs.body.buf, rs.body.len, &tok, &expires, err)) {
		xp_error_prefix(err, "cannot get a token for '%s' from '%s'", c->host, c->realm);
		goto out;
	}
	key = token_key(c, scope);
	/* renew a while before the end: 10 s, or half the life of a short token */
	token_put(key, tok, reg_now() + (double)expires -
				    ((double)expires / 2 < TOKEN_MARGIN ? (double)expires / 2 : TOKEN_MARGIN));
	free(key);
	ret = 0;
out:
	curl_easy_cleanup(x.easy);
	reg_resp_release(&rs);
	free(url);
	return ret;
}

int reg_auth_header(struct reg_client *c, const char *url, const char *scope,
		    char **hdr, int *sent_token, struct xp_error *err)
{
	*hdr = NULL;
	*sent_token = 0;
	if (!same_origin(c, url))
		return 0;
	if (c->realm) {
		char *key, *tok;

		if (load_creds(c, err))
			return -1;
		key = token_key(c, scope);
		tok = token_get(key);
		if (!tok) {
			if (fetch_token(c, scope ? scope : "", err)) {
				free(key);
				return -1;
			}
			tok = token_get(key);
		}
		free(key);
		if (!tok)
			return xp_error_set(err, XP_ERR_REMOTE,
					    "the token from '%s' for '%s' expired at once", c->realm,
					    c->host);
		*hdr = xasprintf("Authorization: Bearer %s", tok);
		wipe_free(tok);
		*sent_token = 1;
	} else if (c->use_basic && c->creds_state == 1) {
		*hdr = basic_header(c);
	}
	return 0;
}

int reg_on_401(struct reg_client *c, const struct reg_resp *rs, char **scope,
	       int sent_token, int *retry, struct xp_error *err)
{
	struct reg_challenge *ch = NULL;
	size_t n = 0, i;
	const struct reg_challenge *bearer = NULL, *basic = NULL;

	*retry = 0;
	if (reg_challenges_parse(rs->challenge, &ch, &n) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (!bearer && strcmp(ch[i].scheme, "bearer") == 0)
			bearer = &ch[i];
		if (!basic && strcmp(ch[i].scheme, "basic") == 0)
			basic = &ch[i];
	}
	if (bearer && reg_challenge_param(bearer, "realm")) {
		const char *realm = reg_challenge_param(bearer, "realm");
		const char *service = reg_challenge_param(bearer, "service");
		const char *want = reg_challenge_param(bearer, "scope");
		char *merged;

		if (strncasecmp(realm, "https://", 8) != 0 && strncasecmp(realm, "http://", 7) != 0) {
			reg_challenges_free(ch, n);
			return xp_error_set(err, XP_ERR_REMOTE,
					    "registry '%s' names an invalid token realm '%.200s'",
					    c->host, realm);
		}
		if (!c->realm || strcmp(c->realm, realm) != 0) {
			free(c->realm);
			c->realm = xstrdup(realm);
		}
		free(c->service);
		c->service = service ? xstrdup(service) : NULL;
		if (sent_token) {
			char *key = token_key(c, *scope);

			token_drop(key);
			free(key);
		}
		merged = reg_scope_merge(*scope, want);
		free(*scope);
		*scope = merged;
		*retry = 1;
	} else if (basic && !c->use_basic) {
		if (load_creds(c, err)) {
			reg_challenges_free(ch, n);
			return -1;
		}
		if (c->creds_state == 1) {
			c->use_basic = 1;
			*retry = 1;
		}
	}
	reg_challenges_free(ch, n);
	return 0;
}
