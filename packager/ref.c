/*
 * ref.c — bundle and registry reference parsing (see ref.h).
 */
#include "packager/ref.h"
#include "common/digest.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static int tag_char(int c, int first)
{
	return isalnum(c) || c == '_' || (!first && (c == '.' || c == '-'));
}

const char *ref_archive_tag_caveat(const struct xp_ref *dst, const char *tag)
{
	const char *p;

	if (!dst || dst->kind != REF_ARCHIVE || !tag)
		return NULL;
	for (p = tag; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			return "it has uppercase letters, which 'podman load' refuses in an "
			       "oci-archive (image names are lowercase); a lowercase tag loads everywhere";
	return NULL;
}

int ref_check_tag(const char *t, struct xp_error *err)
{
	size_t i;

	if (!t || !*t)
		return xp_error_set(err, XP_ERR_USAGE, "empty tag");
	if (strlen(t) > 128)
		return xp_error_set(err, XP_ERR_USAGE,
				    "invalid tag '%.40s...': longer than 128 characters", t);
	for (i = 0; t[i]; i++) {
		unsigned char c = (unsigned char)t[i];

		if (tag_char(c, i == 0))
			continue;
		if (i == 0 && (c == '.' || c == '-'))
			return xp_error_set(err, XP_ERR_USAGE,
					    "invalid tag '%s': it starts with '%c' (a tag starts with a letter, digit or '_')",
					    t, c);
		if (c < 0x20 || c >= 0x7f)
			return xp_error_set(err, XP_ERR_USAGE,
					    "invalid tag '%s': byte 0x%02x at position %zu (a tag holds letters, digits, '_', '.' and '-')",
					    t, c, i + 1);
		return xp_error_set(err, XP_ERR_USAGE,
				    "invalid tag '%s': '%c' at position %zu (a tag holds letters, digits, '_', '.' and '-')",
				    t, c, i + 1);
	}
	return 0;
}

int ref_valid_tag(const char *t)
{
	return ref_check_tag(t, NULL) == 0;
}

int ref_is_companion_tag(const char *t)
{
	size_t i;

	if (!t || strncmp(t, "sha256-", 7) != 0)
		return 0;
	for (i = 7; i < 7 + 64; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return 0;
	t += 7 + 64;
	return !*t || !strcmp(t, ".sig") || !strcmp(t, ".att") || !strcmp(t, ".sbom");
}

const char *ref_only_release_tag(char *const *tags, size_t n)
{
	const char *only = NULL;
	size_t i, rel = 0;

	for (i = 0; i < n; i++) {
		if (!ref_is_companion_tag(tags[i])) {
			rel++;
			only = tags[i];
		}
	}
	return rel == 1 ? only : NULL;
}

static int repo_alnum(int c)
{
	return islower(c) || isdigit(c);
}

/* [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*
 * (the distribution spec's repository grammar), saying which part breaks. */
int ref_check_repo(const char *r, struct xp_error *err)
{
	const char *p = r, *comp = r;

	if (!r || !*r)
		return xp_error_set(err, XP_ERR_USAGE, "empty repository");
	if (strlen(r) > 255)
		return xp_error_set(err, XP_ERR_USAGE, "repository '%.40s...' is longer than 255 characters", r);
	for (;;) {
		unsigned char c = (unsigned char)*p;

		if (isupper(c))
			return xp_error_set(err, XP_ERR_USAGE,
					    "repository '%s': uppercase '%c' at position %zu (repository path components are lowercase)",
					    r, c, (size_t)(p - r) + 1);
		if (!repo_alnum(c)) {
			if (c == '/' || c == '\0')
				return xp_error_set(err, XP_ERR_USAGE,
						    "repository '%s': empty path component at position %zu",
						    r, (size_t)(p - r) + 1);
			if (c == '.' || c == '_' || c == '-')
				return xp_error_set(err, XP_ERR_USAGE,
						    "repository '%s': separator '%c' at position %zu (a path component starts and ends with a lowercase letter or digit)",
						    r, c, (size_t)(p - r) + 1);
			goto bad_char;
		}
		while (repo_alnum((unsigned char)*p))
			p++;
		c = (unsigned char)*p;
		if (c == '\0')
			return 0;
		if (c == '/') {
			comp = ++p;
			continue;
		}
		if (isupper(c))
			continue;   /* reported at the top of the loop */
		if (c == '.' || (c == '_' && p[1] != '_'))
			p++;
		else if (c == '_')
			p += 2;
		else if (c == '-')
			while (*p == '-')
				p++;
		else
			goto bad_char;
		if (!repo_alnum((unsigned char)*p) && !isupper((unsigned char)*p)) {
			if (*p == '\0' || *p == '/')
				return xp_error_set(err, XP_ERR_USAGE,
						    "repository '%s': path component '%.*s' ends with a separator",
						    r, (int)(p - comp), comp);
			return xp_error_set(err, XP_ERR_USAGE,
					    "repository '%s': '%c' at position %zu (separators are '.', '_', '__' or dashes, between letters or digits)",
					    r, *p, (size_t)(p - r) + 1);
		}
	}
bad_char:
	if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
		return xp_error_set(err, XP_ERR_USAGE,
				    "repository '%s': byte 0x%02x at position %zu (a repository holds lowercase letters, digits, '.', '_', '-' and '/')",
				    r, (unsigned char)*p, (size_t)(p - r) + 1);
	return xp_error_set(err, XP_ERR_USAGE,
			    "repository '%s': '%c' at position %zu (a repository holds lowercase letters, digits, '.', '_', '-' and '/')",
			    r, *p, (size_t)(p - r) + 1);
}

int ref_valid_repo(const char *r)
{
	return ref_check_repo(r, NULL) == 0;
}

void ref_release(struct xp_ref *r)
{
	if (!r)
		return;
	free(r->path);
	free(r->host);
	free(r->repo);
	free(r->tag);
	free(r->digest);
	memset(r, 0, sizeof(*r));
}

/* Split "X[:TAG][@DIGEST]" where X may itself contain ':' only before the last
 * '/' (a host port). For local paths the tag is after the last ':'. */
static int split_tag_digest(char *s, char **tag, char **digest, int local,
			    const char *orig, struct xp_error *err)
{
	char *at = strrchr(s, '@');
	char *colon, *slash;

	*tag = *digest = NULL;
	if (at && digest_valid(at + 1)) {
		*digest = xstrdup(at + 1);
		*at = '\0';
	} else if (at && strncmp(at + 1, "sha256:", 7) == 0) {
		return xp_error_set(err, XP_ERR_USAGE, "invalid digest in reference '%s'", orig);
	}
	colon = strrchr(s, ':');
	slash = strrchr(s, '/');
	if (colon && (local || !slash || colon > slash)) {
		struct xp_error why;

		if (!local && !slash)
			return 0; /* "host:port" without a repository: caller complains */

		if (ref_check_tag(colon + 1, &why))
			return xp_error_set(err, XP_ERR_USAGE, "%s, in reference '%s'", why.msg, orig);
		*tag = xstrdup(colon + 1);
		*colon = '\0';
	}
	return 0;
}

static int looks_like_host(const char *s, size_t n)
{
	return memchr(s, '.', n) || memchr(s, ':', n) ||
	       (n == 9 && memcmp(s, "localhost", 9) == 0);
}

/* host: DNS name or IPv4 ([A-Za-z0-9.-]+) or [IPv6], then an optional :PORT */
static int valid_host(const char *h)
{
	const char *p = h;

	if (*p == '[') {
		p = strchr(p, ']');
		if (!p || p == h + 1)
			return 0;
		p++;
	} else {
		while (isalnum((unsigned char)*p) || *p == '.' || *p == '-')
			p++;
		if (p == h)
			return 0;
	}
	if (*p == ':') {
		long port;
		char *end;

		port = strtol(p + 1, &end, 10);
		return end != p + 1 && *end == '\0' && port > 0 && port < 65536;
	}
	return *p == '\0';
}

static int parse_registry(const char *orig, const char *s, struct xp_ref *out,
			  struct xp_error *err)
{
	char *copy = xstrdup(s), *slash;
	char *tag = NULL, *digest = NULL;

	if (split_tag_digest(copy, &tag, &digest, 0, orig, err))
		goto fail;
	slash = strchr(copy, '/');
	if (!slash || slash == copy || !slash[1]) {
		xp_error_set(err, XP_ERR_USAGE,
			     "invalid registry reference '%s': expected HOST[:PORT]/REPO[:TAG]", orig);
		goto fail;
	}
	*slash = '\0';
	if (!valid_host(copy)) {
		xp_error_set(err, XP_ERR_USAGE, "invalid registry host '%s' in reference '%s'",
			     copy, orig);
		goto fail;
	}
	if (!ref_valid_repo(slash + 1)) {
		xp_error_set(err, XP_ERR_USAGE,
			     "invalid repository '%s' in reference '%s': lowercase letters, digits and separators only",
			     slash + 1, orig);
		goto fail;
	}
	out->kind = REF_REGISTRY;
	out->host = xstrdup(copy);
	out->repo = xstrdup(slash + 1);
	out->tag = tag;
	out->digest = digest;
	free(copy);
	return 0;
fail:
	free(tag);
	free(digest);
	free(copy);
	return -1;
}

static int parse_local(const char *orig, const char *s, enum ref_kind kind,
		       struct xp_ref *out, struct xp_error *err)
{
	char *copy = xstrdup(s);
	char *tag = NULL, *digest = NULL;

	if (split_tag_digest(copy, &tag, &digest, 1, orig, err)) {
		free(copy);
		return -1;
	}
	if (!*copy) {
		free(copy);
		free(tag);
		free(digest);
		return xp_error_set(err, XP_ERR_USAGE, "missing path in reference '%s'", orig);
	}
	out->kind = kind;
	out->path = copy;
	out->tag = tag;
	out->digest = digest;
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int ref_check_scheme(const char *s, struct xp_error *err)
{
	if (strncasecmp(s, "http://", 7) == 0)
		return xp_error_set(err, XP_ERR_USAGE,
				    "'%s' is a URL, not a reference: write '%s' and add --plain-http "
				    "(or set XPSHIP_REGISTRY_PLAIN_HTTP=HOST)", s, s + 7);
	if (strncasecmp(s, "https://", 8) == 0)
		return xp_error_set(err, XP_ERR_USAGE,
				    "'%s' is a URL, not a reference: write '%s' (https is the default)",
				    s, s + 8);
	return 0;
}

int ref_parse(const char *s, int flags, struct xp_ref *out, struct xp_error *err)
{
	struct stat st;
	size_t first;

	memset(out, 0, sizeof(*out));
	if (!s || !*s)
		return xp_error_set(err, XP_ERR_USAGE, "empty reference");
	if (ref_check_scheme(s, err))
		return -1;
	if (strncmp(s, "docker://", 9) == 0)
		return ref_check_scheme(s + 9, err) ? -1 : parse_registry(s, s + 9, out, err);
	if (!(flags & REF_REGISTRY_ONLY)) {
		if (strncmp(s, "oci:", 4) == 0)
			return parse_local(s, s + 4, REF_LAYOUT, out, err);
		if (strncmp(s, "oci-archive:", 12) == 0)
			return parse_local(s, s + 12, REF_ARCHIVE, out, err);
		/* an existing path is local as a whole: no tag split */
		if (stat(s, &st) == 0) {
			out->kind = S_ISDIR(st.st_mode) ? REF_LAYOUT : REF_ARCHIVE;
			out->path = xstrdup(s);
			return 0;
		}
	}
	first = strcspn(s, "/");
	if (!(flags & REF_LOCAL_ONLY) && s[first] == '/' && looks_like_host(s, first))
		return parse_registry(s, s, out, err);
	if (flags & REF_REGISTRY_ONLY)
		return xp_error_set(err, XP_ERR_USAGE,
				    "invalid registry reference '%s': expected [docker://]HOST[:PORT]/REPO[:TAG]",
				    s);
	if (flags & REF_LOCAL_ONLY) {
		out->kind = ends_with(s, ".tar") ? REF_ARCHIVE : REF_LAYOUT;
		out->path = xstrdup(s);
		return 0;
	}
	return xp_error_set(err, XP_ERR_USAGE,
			    "no such bundle '%s': expected oci:DIR[:TAG], oci-archive:FILE[:TAG], an existing path or HOST/REPO[:TAG]",
			    s);
}

char *ref_format(const struct xp_ref *r)
{
	struct strbuf sb = STRBUF_INIT;

	switch (r->kind) {
	case REF_LAYOUT:
		strbuf_addf(&sb, "oci:%s", r->path);
		break;
	case REF_ARCHIVE:
		strbuf_addf(&sb, "oci-archive:%s", r->path);
		break;
	case REF_REGISTRY:
		strbuf_addf(&sb, "%s/%s", r->host, r->repo);
		break;
	}
	if (r->tag)
		strbuf_addf(&sb, ":%s", r->tag);
	if (r->digest)
		strbuf_addf(&sb, "@%s", r->digest);
	return strbuf_detach(&sb, NULL);
}

int ref_check_identity(const char *id, struct xp_error *err)
{
	struct xp_error why;
	size_t first;
	char *host;
	int ok;

	if (!id || !*id)
		return xp_error_set(err, XP_ERR_USAGE, "empty identity");
	if (strstr(id, "://") || strncmp(id, "oci:", 4) == 0 || strncmp(id, "oci-archive:", 12) == 0)
		return xp_error_set(err, XP_ERR_USAGE,
				    "invalid identity '%s': a registry repository HOST[:PORT]/REPO, without scheme or transport",
				    id);
	first = strcspn(id, "/");
	if (!id[first] || !id[first + 1])
		return xp_error_set(err, XP_ERR_USAGE,
				    "invalid identity '%s': expected HOST[:PORT]/REPO", id);
	if (!looks_like_host(id, first))
		return xp_error_set(err, XP_ERR_USAGE,
				    "invalid identity '%s': no registry host (the first component must be a host: it holds a '.' or ':' or is 'localhost'), e.g. registry.example.com/%s",
				    id, id);
	host = xstrndup(id, first);
	ok = valid_host(host);
	free(host);
	if (!ok)
		return xp_error_set(err, XP_ERR_USAGE,
				    "invalid identity '%s': invalid registry host '%.*s' (a DNS name, IPv4 address or [IPv6] address, then an optional :PORT)",
				    id, (int)first, id);
	if (strchr(id + first, '@') || strchr(id + first, ':'))
		return xp_error_set(err, XP_ERR_USAGE,
				    "invalid identity '%s': a repository without tag or digest", id);
	if (ref_check_repo(id + first + 1, &why))
		return xp_error_set(err, XP_ERR_USAGE, "invalid identity '%s': %s", id, why.msg);
	return 0;
}
