/*
 * registry_auth.c — the small parsers of the registry client (see
 * registry_impl.h): WWW-Authenticate challenges, bearer token answers,
 * Retry-After, Location and Link targets, upload ranges and token scopes.
 * Pure functions over strings; registry_http.c applies them.
 */
#include "packager/registry_impl.h"
#include "packager/oci.h"
#include "common/error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

/* ---- WWW-Authenticate ---- */

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_tok(char c)
{
	return c && !is_ws(c) && c != ',' && c != '=' && c != '"';
}

static const char *skip_ws(const char *p)
{
	while (is_ws(*p))
		p++;
	return p;
}

static char *lower_dup(const char *s, size_t n)
{
	char *out = xstrndup(s, n);
	size_t i;

	for (i = 0; out[i]; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return out;
}

/* A quoted string at p (p at the opening quote); *end after the closing one. */
static char *quoted(const char *p, const char **end)
{
	struct strbuf sb = STRBUF_INIT;

	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		strbuf_addc(&sb, *p);
	}
	*end = *p ? p + 1 : p;
	return strbuf_detach(&sb, NULL);
}

static void add_param(struct reg_challenge *c, char *name, char *value)
{
	c->params = xrealloc(c->params, (c->n_params + 1) * sizeof(*c->params));
	c->params[c->n_params].name = name;
	c->params[c->n_params].value = value;
	c->n_params++;
}

int reg_challenges_parse(const char *value, struct reg_challenge **out, size_t *n)
{
	struct reg_challenge *v = NULL, *cur = NULL;
	size_t count = 0;
	const char *p = value ? value : "";

	for (;;) {
		const char *tok, *q;
		size_t len;

		while (is_ws(*p) || *p == ',')
			p++;
		if (!*p)
			break;
		tok = p;
		while (is_tok(*p))
			p++;
		len = (size_t)(p - tok);
		if (!len) {
			if (*p == '"')
				free(quoted(p, &p));  /* stray quoted string: skip it */
			else
				p++;
			continue;
		}
		q = skip_ws(p);
		if (*q == '=' && cur) {
			char *name = lower_dup(tok, len), *val;

			q = skip_ws(q + 1);
			if (*q == '"') {
				val = quoted(q, &p);
			} else {
				const char *vs = q;

				while (*q && !is_ws(*q) && *q != ',')
					q++;
				val = xstrndup(vs, (size_t)(q - vs));
				p = q;
			}
			add_param(cur, name, val);
			continue;
		}
		if (*q == '=') {  /* a parameter before any scheme: skip it */
			p = q + 1;
			continue;
		}
		v = xrealloc(v, (count + 1) * sizeof(*v));
		cur = &v[count++];
		memset(cur, 0, sizeof(*cur));
		cur->scheme = lower_dup(tok, len);
		p = q;
		/* token68 ("Negotiate abc=="): one word of token characters and
		 * '=' padding, then a comma or the end */
		if (is_tok(*p)) {
			const char *t = p;

			while (is_tok(*t))
				t++;
			while (*t == '=')
				t++;
			if (t > p && (*skip_ws(t) == ',' || !*skip_ws(t)) && t[-1] == '=')
				p = t;
		}
	}
	*out = v;
	*n = count;
	return count ? (int)count : -1;
}

void reg_challenges_free(struct reg_challenge *v, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < v[i].n_params; j++) {
			free(v[i].params[j].name);
			free(v[i].params[j].value);
		}
		free(v[i].params);
		free(v[i].scheme);
	}
	free(v);
}

const char *reg_challenge_param(const struct reg_challenge *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_params; i++)
		if (strcasecmp(c->params[i].name, name) == 0)
			return c->params[i].value;
	return NULL;
}

/* ---- Retry-After ---- */

long reg_retry_after_parse(const char *value, long now)
{
	const char *p;
	time_t t;

	if (!value)
		return -1;
	p = skip_ws(value);
	if (isdigit((unsigned char)*p)) {
		char *end;
		long v = strtol(p, &end, 10);

		if (*skip_ws(end) != '\0' || v < 0)
			return -1;
		return v;
	}
	t = curl_getdate(p, NULL);
	if (t == (time_t)-1)
		return -1;
	return (long)t > now ? (long)t - now : 0;
}

/* ---- URLs ---- */

static size_t scheme_len(const char *url)
{
	const char *p = strstr(url, "://");

	return p ? (size_t)(p - url) : 0;
}

char *reg_url_origin(const char *url)
{
	size_t s = scheme_len(url);
	const char *host, *slash;

	if (!s)
		return NULL;
	host = url + s + 3;
	slash = host + strcspn(host, "/?#");
	return xstrndup(url, (size_t)(slash - url));
}

char *reg_url_resolve(const char *base, const char *location)
{
	char *origin, *out;
	const char *path, *q;
	size_t dir;

	if (strncasecmp(location, "http://", 7) == 0 || strncasecmp(location, "https://", 8) == 0)
		return xstrdup(location);
	if (strncmp(location, "//", 2) == 0)
		return xasprintf("%.*s:%s", (int)scheme_len(base), base, location);
	origin = reg_url_origin(base);
	if (!origin)
		return xstrdup(location);
	if (location[0] == '/') {
		out = xasprintf("%s%s", origin, location);
		free(origin);
		return out;
	}
	path = base + strlen(origin);
	q = path + strcspn(path, "?#");
	dir = (size_t)(q - path);
	while (dir && path[dir - 1] != '/')
		dir--;
	out = dir ? xasprintf("%s%.*s%s", origin, (int)dir, path, location)
		  : xasprintf("%s/%s", origin, location);
	free(origin);
	return out;
}

char *reg_url_add_query(const char *url, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf sb = STRBUF_INIT;
	const char *v;

	strbuf_adds(&sb, url);
	strbuf_addc(&sb, strchr(url, '?') ? '&' : '?');
	strbuf_adds(&sb, name);
	strbuf_addc(&sb, '=');
	for (v = value; *v; v++) {
		unsigned char c = (unsigned char)*v;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			strbuf_addc(&sb, (char)c);
		} else {
			strbuf_addc(&sb, '%');
			strbuf_addc(&sb, hex[c >> 4]);
			strbuf_addc(&sb, hex[c & 15]);
		}
	}
	return strbuf_detach(&sb, NULL);
}

char *reg_link_next(const char *value)
{
	const char *p = value;

	while (p && *p) {
		const char *lt = strchr(p, '<'), *gt, *end;

		if (!lt)
			return NULL;
		gt = strchr(lt, '>');
		if (!gt)
			return NULL;
		/* this link's parameters run to the next '<' */
		end = strchr(gt, '<');
		if (!end)
			end = gt + strlen(gt);
		{
			char *params = lower_dup(gt + 1, (size_t)(end - gt - 1));
			const char *rel = strstr(params, "rel=");
			int next = 0;

			if (rel) {
				rel += 4;
				if (*rel == '"')
					rel++;
				next = strncmp(rel, "next", 4) == 0 &&
				       (rel[4] == '"' || rel[4] == ';' || rel[4] == ',' ||
					rel[4] == ' ' || rel[4] == '\0');
			}
			free(params);
			if (next)
				return xstrndup(lt + 1, (size_t)(gt - lt - 1));
		}
		p = end;
	}
	return NULL;
}

int64_t reg_range_end(const char *value)
{
	const char *p, *dash;
	char *end;
	long long v;

	if (!value)
		return -1;
	p = skip_ws(value);
	if (strncasecmp(p, "bytes=", 6) == 0)
		p += 6;
	else if (strncasecmp(p, "bytes ", 6) == 0)
		p += 6;
	dash = strchr(p, '-');
	if (!dash || !isdigit((unsigned char)dash[1]))
		return -1;
	v = strtoll(dash + 1, &end, 10);
	if (v < 0 || (*end && *end != '/' && !is_ws(*end)))
		return -1;
	return (int64_t)v;
}

/* ---- scopes ---- */

struct scope_ent {
	char *resource;     /* "repository:a/b" */
	char *actions;      /* "pull,push" (sorted) */
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_ent(const void *a, const void *b)
{
	return strcmp(((const struct scope_ent *)a)->resource,
		      ((const struct scope_ent *)b)->resource);
}

/* Unite two comma lists of actions, sorted, without duplicates. */
static char *merge_actions(const char *a, const char *b)
{
	char *all = xasprintf("%s,%s", a, b), *p, *save = NULL;
	char **v = NULL;
	size_t n = 0, i;
	struct strbuf sb = STRBUF_INIT;

	for (p = all; p; p = save) {
		save = strchr(p, ',');
		if (save)
			*save++ = '\0';
		if (!*p)
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = p;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++) {
		if (i && strcmp(v[i], v[i - 1]) == 0)
			continue;
		strbuf_addf(&sb, "%s%s", sb.len ? "," : "", v[i]);
	}
	free(v);
	free(all);
	return strbuf_detach(&sb, NULL);
}

static void add_scopes(struct scope_ent **v, size_t *n, const char *list)
{
	const char *p = list ? list : "";

	for (;;) {
		const char *w, *colon;
		size_t len, i;
		char *resource, *actions;

		while (is_ws(*p))
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && !is_ws(*p))
			p++;
		len = (size_t)(p - w);
		colon = NULL;
		for (i = len; i > 0; i--) {
			if (w[i - 1] == ':') {
				colon = w + i - 1;
				break;
			}
		}
		if (!colon || colon == w)
			continue;
		resource = xstrndup(w, (size_t)(colon - w));
		actions = xstrndup(colon + 1, (size_t)(p - colon - 1));
		for (i = 0; i < *n; i++) {
			if (strcmp((*v)[i].resource, resource) == 0) {
				char *m = merge_actions((*v)[i].actions, actions);

				free((*v)[i].actions);
				(*v)[i].actions = m;
				free(resource);
				resource = NULL;
				break;
			}
		}
		if (resource) {
			*v = xrealloc(*v, (*n + 1) * sizeof(**v));
			(*v)[*n].resource = resource;
			(*v)[*n].actions = merge_actions(actions, "");
			(*n)++;
		}
		free(actions);
	}
}

char *reg_scope_merge(const char *scopes, const char *add)
{
	struct scope_ent *v = NULL;
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0, i;

	add_scopes(&v, &n, scopes);
	add_scopes(&v, &n, add);
	if (n)
		qsort(v, n, sizeof(*v), cmp_ent);
	for (i = 0; i < n; i++) {
		strbuf_addf(&sb, "%s%s:%s", i ? " " : "", v[i].resource, v[i].actions);
		free(v[i].resource);
		free(v[i].actions);
	}
	free(v);
	return strbuf_detach(&sb, NULL);
}

/* ---- token answers ---- */

int reg_token_parse(const char *body, size_t len, char **token, long *expires_in,
		    struct xp_error *err)
{
	json_t *root = NULL, *t, *e;
	json_error_t je;
	const char *tok = NULL;
	int ret = -1;

	root = json_loadb(body, len, 0, &je);
	if (!json_is_object(root)) {
		xp_error_set(err, XP_ERR_REMOTE, "malformed token answer: %s",
			     root ? "expected a JSON object" : je.text);
		goto out;
	}
	t = json_object_get(root, "token");
	if (json_is_string(t) && *json_string_value(t))
		tok = json_string_value(t);
	t = json_object_get(root, "access_token");
	if (!tok && json_is_string(t) && *json_string_value(t))
		tok = json_string_value(t);
	if (!tok) {
		xp_error_set(err, XP_ERR_REMOTE, "malformed token answer: no token");
		goto out;
	}
	e = json_object_get(root, "expires_in");
	*expires_in = json_is_integer(e) && json_integer_value(e) > 0
			      ? (long)json_integer_value(e) : 60;
	*token = xstrdup(tok);
	ret = 0;
out:
	json_decref(root);
	return ret;
}
