/*
 * registry.c — talking to an OCI registry over libcurl (see registry.h).
 */
#include "packager/registry.h"
#include "packager/registry_http_impl.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

struct hdrs {
	char api_version[64];
	char challenge[512];
};

static void trim_copy(char *dst, size_t n, const char *src, size_t len)
{
	while (len && (src[len - 1] == '\r' || src[len - 1] == '\n' || src[len - 1] == ' '))
		len--;
	while (len && *src == ' ') {
		src++;
		len--;
	}
	snprintf(dst, n, "%.*s", (int)len, src);
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *ud)
{
	struct hdrs *h = ud;
	size_t len = size * nitems;
	static const char apiv[] = "docker-distribution-api-version:";
	static const char auth[] = "www-authenticate:";

	if (len > sizeof(apiv) - 1 && strncasecmp(buf, apiv, sizeof(apiv) - 1) == 0)
		trim_copy(h->api_version, sizeof(h->api_version), buf + sizeof(apiv) - 1,
			  len - (sizeof(apiv) - 1));
	else if (len > sizeof(auth) - 1 && strncasecmp(buf, auth, sizeof(auth) - 1) == 0)
		trim_copy(h->challenge, sizeof(h->challenge), buf + sizeof(auth) - 1,
			  len - (sizeof(auth) - 1));
	return len;
}

static size_t discard(char *buf, size_t size, size_t nitems, void *ud)
{
	(void)buf;
	(void)ud;
	return size * nitems;
}

int registry_ping(const struct xp_ref *ref, const struct store_opts *opts,
		  struct registry_ping *out, struct xp_error *err)
{
	const char *user = getenv("XPSHIP_REGISTRY_USERNAME");
	const char *pass = getenv("XPSHIP_REGISTRY_PASSWORD");
	struct store_opts none = {0};
	struct hdrs h;
	char *url = NULL, errbuf[CURL_ERROR_SIZE], cause[512];
	CURL *c = NULL;
	CURLcode rc;
	long status = 0;
	int ret = -1, attempt;

	if (!opts)
		opts = &none;
	if (ref->kind != REF_REGISTRY)
		return xp_error_set(err, XP_ERR_USAGE, "not a registry reference");
	url = xasprintf("%s://%s/v2/", opts->plain_http ? "http" : "https", ref->host);
	c = curl_easy_init();
	if (!c) {
		xp_error_set(err, XP_ERR_LOCAL, "cannot initialise libcurl");
		goto out;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		memset(&h, 0, sizeof(h));
		curl_easy_reset(c);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_USERAGENT, "xpship/" XP_VERSION);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		errbuf[0] = '\0';
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
		if (opts->insecure) {
			curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
			curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
		}
		if (opts->ca_file)
			curl_easy_setopt(c, CURLOPT_CAINFO, opts->ca_file);
		if (attempt == 1) {
			curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
			curl_easy_setopt(c, CURLOPT_USERNAME, user);
			curl_easy_setopt(c, CURLOPT_PASSWORD, pass);
		}
		rc = curl_easy_perform(c);
		if (rc != CURLE_OK) {
			reg_curl_cause(rc, errbuf, opts->plain_http, cause, sizeof(cause));
			xp_error_set(err, XP_ERR_REMOTE, "cannot reach registry '%s': %s", ref->host,
				     cause);
			goto out;
		}
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (status != 401 || !user || !pass ||
		    strncasecmp(h.challenge, "basic", 5) != 0)
			break;
	}
	if (status != 200) {
		if (status == 401)
			xp_error_set(err, XP_ERR_REMOTE,
				     "registry '%s' refused access: HTTP 401 (%s)", ref->host,
				     h.challenge[0] ? h.challenge : "no challenge");
		else
			xp_error_set(err, XP_ERR_REMOTE, "registry '%s' answered HTTP %ld",
				     ref->host, status);
		goto out;
	}
	out->status = status;
	snprintf(out->api_version, sizeof(out->api_version), "%s", h.api_version);
	snprintf(out->scheme, sizeof(out->scheme), "%s", opts->plain_http ? "http" : "https");
	ret = 0;
out:
	if (c)
		curl_easy_cleanup(c);
	free(url);
	return ret;
}

int registry_check_login(const char *host, const struct store_opts *opts, const char *user,
			 const char *pass, struct xp_error *err)
{
	struct store_opts o = {0};
	struct reg_client *c;
	struct reg_req rq;
	struct reg_resp rs;
	int ret = -1;

	if (opts)
		o = *opts;
	if (registry_plain_http(host))
		o.plain_http = 1;
	c = reg_client_new(host, &o);
	reg_client_set_creds(c, user, pass);
	reg_req_init(&rq, "GET", "/v2/", NULL);
	reg_resp_init(&rs);
	if (reg_do(c, &rq, &rs, err))
		goto out;
	if (rs.status == 401 || rs.status == 403)
		xp_error_set(err, XP_ERR_REMOTE,
			     "cannot log in to '%s': the registry refused the credentials (HTTP %ld)",
			     host, rs.status);
	else if (rs.status != 200)
		reg_status_error(c, &rs, 0, err, "cannot log in to '%s'", host);
	else
		ret = 0;
out:
	reg_resp_release(&rs);
	reg_client_free(c);
	return ret;
}
