/*
 * registry_creds.c — where registry credentials come from, and `login` /
 * `logout` (see registry_impl.h and registry.h).
 *
 * Lookup order for a host: XPSHIP_REGISTRY_USERNAME + XPSHIP_REGISTRY_PASSWORD;
 * then the docker config ($DOCKER_CONFIG/config.json, else
 * ~/.docker/config.json): credHelpers[host] (a docker-credential-<name>
 * program), auths[host] ("auth": base64 "user:password", or "username" and
 * "password"), credsStore (the default helper). Config keys are compared by
 * host: "https://host:5000/v1/" and "host:5000" are the same entry.
 *
 * A helper is run as `docker-credential-<name> get|store|erase` with its
 * input on stdin and its answer on stdout (the docker credential-helper
 * protocol). Passwords are wiped from memory when released.
 */
#define _GNU_SOURCE /* pipe2 */
#include "packager/registry.h"
#include "packager/registry_impl.h"
#include "common/error.h"
#include "common/fileio.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

extern char **environ;

#define DOCKER_HUB_KEY "https://index.docker.io/v1/"
#define HELPER_OUT_MAX (64 * 1024)

static void wipe_free(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

void reg_creds_release(struct reg_creds *c)
{
	wipe_free(c->user);
	wipe_free(c->pass);
	free(c->source);
	memset(c, 0, sizeof(*c));
}

char *reg_docker_config_path(void)
{
	const char *dir = getenv("DOCKER_CONFIG"), *home = getenv("HOME");

	if (dir && *dir)
		return xasprintf("%s/config.json", dir);
	return xasprintf("%s/.docker/config.json", home && *home ? home : ".");
}

static int is_docker_hub(const char *host)
{
	return strcmp(host, "docker.io") == 0 || strcmp(host, "index.docker.io") == 0 ||
	       strcmp(host, "registry-1.docker.io") == 0;
}

char *reg_config_key(const char *host)
{
	return xstrdup(is_docker_hub(host) ? DOCKER_HUB_KEY : host);
}

char *reg_config_key_host(const char *key)
{
	const char *p = key, *end;
	char *h;

	if (strncasecmp(p, "https://", 8) == 0)
		p += 8;
	else if (strncasecmp(p, "http://", 7) == 0)
		p += 7;
	end = p + strcspn(p, "/");
	h = xstrndup(p, (size_t)(end - p));
	if (is_docker_hub(h)) {
		free(h);
		h = xstrdup("docker.io");
	}
	return h;
}

static int key_matches(const char *key, const char *host)
{
	char *h = reg_config_key_host(key), *want = reg_config_key_host(host);
	int same = strcasecmp(h, want) == 0;

	free(h);
	free(want);
	return same;
}

/* The member of object `o` whose key names `host` (borrowed), or NULL. */
static json_t *find_host(json_t *o, const char *host, const char **key_out)
{
	const char *key;
	json_t *v;

	if (!json_is_object(o))
		return NULL;
	json_object_foreach(o, key, v) {
		if (key_matches(key, host)) {
			if (key_out)
				*key_out = key;
			return v;
		}
	}
	return NULL;
}

static int valid_helper(const char *name)
{
	const char *p;

	if (!name || !*name || strlen(name) > 64)
		return 0;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return 0;
	return 1;
}

/* Write all of buf to fd with SIGPIPE blocked (a helper may exit early). */
static int write_quiet(int fd, const char *buf, size_t len)
{
	sigset_t block, old, pending;
	int ret, saved;
	struct timespec zero = {0, 0};

	sigemptyset(&block);
	sigaddset(&block, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	ret = write_full(fd, buf, len);
	saved = errno;
	sigpending(&pending);
	if (sigismember(&pending, SIGPIPE))
		sigtimedwait(&block, NULL, &zero);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return ret;
}

int reg_helper_run(const char *helper, const char *verb, const char *input,
		   char **out, int *status, struct xp_error *err)
{
	char prog[96];
	char *argv[3];
	int in[2] = {-1, -1}, outp[2] = {-1, -1}, wst = 0, ret = -1;
	posix_spawn_file_actions_t fa;
	struct strbuf sb = STRBUF_INIT;
	pid_t pid;
	char buf[4096];
	ssize_t n;

	if (!valid_helper(helper))
		return xp_error_set(err, XP_ERR_MALFORMED, "invalid credential helper name '%.80s'",
				    helper);
	snprintf(prog, sizeof(prog), "docker-credential-%s", helper);
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot run '%s'", prog);
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 2);
	argv[0] = prog;
	argv[1] = (char *)verb;
	argv[2] = NULL;
	errno = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (errno) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot run credential helper '%s'", prog);
		goto out;
	}
	close(in[0]);
	close(outp[1]);
	in[0] = outp[1] = -1;
	write_quiet(in[1], input, strlen(input));
	close(in[1]);
	in[1] = -1;
	while ((n = read(outp[0], buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (sb.len < HELPER_OUT_MAX)
			strbuf_add(&sb, buf, (size_t)n);
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
		;
	*status = WIFEXITED(wst) ? WEXITSTATUS(wst) : 128;
	*out = strbuf_detach(&sb, NULL);
	ret = 0;
out:
	if (ret) {
		OPENSSL_cleanse(sb.buf, sb.len);
		strbuf_release(&sb);
	}
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	return ret;
}

static void first_line(const char *s, char *out, size_t n)
{
	size_t len = strcspn(s, "\r\n");

	snprintf(out, n, "%.*s", (int)(len > 160 ? 160 : len), s);
}

static int helper_get(const char *helper, const char *host, struct reg_creds *out,
		      int *found, struct xp_error *err)
{
	char *key = reg_config_key(host), *answer = NULL;
	json_t *root = NULL, *u, *s;
	int status = 0, ret = -1;
	char line[200];

	if (reg_helper_run(helper, "get", key, &answer, &status, err))
		goto out;
	if (status != 0) {
		if (strstr(answer, "not found") || strstr(answer, "not exist")) {
			ret = 0;
			goto out;
		}
		first_line(answer, line, sizeof(line));
		xp_error_set(err, XP_ERR_LOCAL, "credential helper 'docker-credential-%s' failed for '%s': %s",
			     helper, host, line[0] ? line : "no output");
		goto out;
	}
	root = json_loads(answer, 0, NULL);
	u = json_is_object(root) ? json_object_get(root, "Username") : NULL;
	s = json_is_object(root) ? json_object_get(root, "Secret") : NULL;
	if (!json_is_string(u) || !json_is_string(s)) {
		xp_error_set(err, XP_ERR_LOCAL,
			     "credential helper 'docker-credential-%s' gave no Username and Secret for '%s'",
			     helper, host);
		goto out;
	}
	if (strcmp(json_string_value(u), "<token>") == 0) {
		xp_error_set(err, XP_ERR_LOCAL,
			     "credential helper 'docker-credential-%s' gave an identity token for '%s': not supported, use a password or access token",
			     helper, host);
		goto out;
	}
	out->user = xstrdup(json_string_value(u));
	out->pass = xstrdup(json_string_value(s));
	out->source = xasprintf("credential helper 'docker-credential-%s'", helper);
	*found = 1;
	ret = 0;
out:
	if (root) {
		s = json_is_object(root) ? json_object_get(root, "Secret") : NULL;
		if (json_is_string(s))
			OPENSSL_cleanse((char *)json_string_value(s), strlen(json_string_value(s)));
		json_decref(root);
	}
	if (answer)
		wipe_free(answer);
	free(key);
	return ret;
}

/* "auth": base64 "user:password" */
static int decode_auth(const char *b64, struct reg_creds *out)
{
	size_t n = strlen(b64), pad = 0;
	unsigned char *raw;
	char *colon;
	int len;

	if (n == 0 || n % 4)
		return -1;
	raw = xmalloc(n / 4 * 3 + 1);
	len = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n);
	if (len < 0) {
		free(raw);
		return -1;
	}
	if (b64[n - 1] == '=')
		pad++;
	if (b64[n - 2] == '=')
		pad++;
	len -= (int)pad;
	raw[len] = '\0';
	colon = memchr(raw, ':', (size_t)len);
	if (!colon || strlen((char *)raw) != (size_t)len) {
		OPENSSL_cleanse(raw, (size_t)len);
		free(raw);
		return -1;
	}
	out->user = xstrndup((char *)raw, (size_t)(colon - (char *)raw));
	out->pass = xstrdup(colon + 1);
	OPENSSL_cleanse(raw, (size_t)len);
	free(raw);
	return 0;
}

/* Load the docker config (NULL *root when the file does not exist). */
static int load_config(const char *path, json_t **root, struct xp_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	json_error_t je;

	*root = NULL;
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	if (file_read_all(path, 1 << 20, &buf, &len, err))
		return -1;
	*root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	OPENSSL_cleanse(buf, len);
	free(buf);
	if (!*root)
		return xp_error_at(err, XP_ERR_MALFORMED, path, (unsigned)je.line,
				   (unsigned)je.column, "malformed docker config: %s", je.text);
	if (!json_is_object(*root)) {
		json_decref(*root);
		*root = NULL;
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "malformed docker config '%s': expected a JSON object", path);
	}
	return 0;
}

static void wipe_json_strings(json_t *j)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_string(j)) {
		OPENSSL_cleanse((char *)json_string_value(j), json_string_length(j));
	} else if (json_is_object(j)) {
		json_object_foreach(j, k, v)
			wipe_json_strings(v);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			wipe_json_strings(v);
	}
}

static void drop_config(json_t *root)
{
	if (root) {
		wipe_json_strings(root);
		json_decref(root);
	}
}

int reg_creds_lookup(const char *host, struct reg_creds *out, int *found,
		     struct xp_error *err)
{
	const char *u = getenv("XPSHIP_REGISTRY_USERNAME"), *p = getenv("XPSHIP_REGISTRY_PASSWORD");
	char *path = NULL;
	json_t *root = NULL, *v, *a;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	*found = 0;
	if (u && *u && p) {
		out->user = xstrdup(u);
		out->pass = xstrdup(p);
		out->source = xstrdup("XPSHIP_REGISTRY_USERNAME/XPSHIP_REGISTRY_PASSWORD");
		*found = 1;
		return 0;
	}
	path = reg_docker_config_path();
	if (load_config(path, &root, err))
		goto out;
	if (!root) {
		ret = 0;
		goto out;
	}
	v = find_host(json_object_get(root, "credHelpers"), host, NULL);
	if (json_is_string(v)) {
		ret = helper_get(json_string_value(v), host, out, found, err);
		goto out;
	}
	v = find_host(json_object_get(root, "auths"), host, NULL);
	if (json_is_object(v)) {
		a = json_object_get(v, "auth");
		if (json_is_string(a) && *json_string_value(a)) {
			if (decode_auth(json_string_value(a), out)) {
				xp_error_set(err, XP_ERR_MALFORMED,
					     "malformed docker config '%s': auths.%s.auth is not base64 'user:password'",
					     path, host);
				goto out;
			}
			out->source = xasprintf("'%s'", path);
			*found = 1;
			ret = 0;
			goto out;
		}
		if (json_is_string(json_object_get(v, "username")) &&
		    json_is_string(json_object_get(v, "password"))) {
			out->user = xstrdup(json_string_value(json_object_get(v, "username")));
			out->pass = xstrdup(json_string_value(json_object_get(v, "password")));
			out->source = xasprintf("'%s'", path);
			*found = 1;
			ret = 0;
			goto out;
		}
	}
	v = json_object_get(root, "credsStore");
	if (json_is_string(v) && *json_string_value(v)) {
		ret = helper_get(json_string_value(v), host, out, found, err);
		goto out;
	}
	ret = 0;
out:
	drop_config(root);
	free(path);
	return ret;
}

/* ---- login / logout ---- */

static int save_config(const char *path, json_t *root, struct xp_error *err)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/'), *buf;
	int ret;

	if (slash) {
		*slash = '\0';
		if (*dir && mkdir_p(dir, 0700, err)) {
			free(dir);
			return -1;
		}
	}
	free(dir);
	buf = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!buf)
		abort();
	ret = file_write_atomic(path, buf, strlen(buf), 0600, err);
	if (ret == 0)
		ret = chmod(path, 0600) < 0 ? xp_error_errno(err, XP_ERR_LOCAL,
							      "cannot set mode of '%s'", path) : 0;
	OPENSSL_cleanse(buf, strlen(buf));
	free(buf);
	return ret;
}

/* The helper that keeps host's credentials, if the config names one. */
static const char *config_helper(json_t *root, const char *host)
{
	json_t *v = find_host(json_object_get(root, "credHelpers"), host, NULL);

	if (json_is_string(v))
		return json_string_value(v);
	v = json_object_get(root, "credsStore");
	if (json_is_string(v) && *json_string_value(v))
		return json_string_value(v);
	return NULL;
}

/* Run a helper verb; 1 when it said it has no such credentials. */
static int helper_verb(const char *helper, const char *verb, const char *input,
		       const char *host, struct xp_error *err)
{
	char *answer = NULL;
	char line[200];
	int status = 0;

	if (reg_helper_run(helper, verb, input, &answer, &status, err))
		return -1;
	if (status != 0 && (strstr(answer, "not found") || strstr(answer, "not exist"))) {
		wipe_free(answer);
		return 1;
	}
	if (status != 0) {
		first_line(answer, line, sizeof(line));
		wipe_free(answer);
		return xp_error_set(err, XP_ERR_LOCAL,
				    "credential helper 'docker-credential-%s' could not %s credentials for '%s': %s",
				    helper, verb, host, line[0] ? line : "no output");
	}
	wipe_free(answer);
	return 0;
}

int registry_save_login(const char *host, const char *user, const char *pass,
			char **where, struct xp_error *err)
{
	char *path = reg_docker_config_path(), *key = reg_config_key(host), *pair = NULL;
	unsigned char *b64 = NULL;
	json_t *root = NULL, *auths, *entry;
	const char *helper, *old_key = NULL;
	int ret = -1;

	if (load_config(path, &root, err))
		goto out;
	if (!root)
		root = json_object();
	auths = json_object_get(root, "auths");
	if (!json_is_object(auths)) {
		auths = json_object();
		json_object_set_new(root, "auths", auths);
	}
	if (find_host(auths, host, &old_key))
		json_object_del(auths, old_key);
	helper = config_helper(root, host);
	entry = json_object();
	if (helper) {
		json_t *in = json_pack("{s:s,s:s,s:s}", "ServerURL", key, "Username", user,
				       "Secret", pass);
		char *input;

		if (!in) {   /* the helper protocol is JSON: text only */
			xp_error_set(err, XP_ERR_USAGE,
				     "cannot store credentials for '%s' in credential helper 'docker-credential-%s': the user name or password is not valid UTF-8",
				     host, helper);
			json_decref(entry);
			goto out;
		}
		input = json_dumps(in, JSON_COMPACT);
		if (!input)
			abort();
		ret = helper_verb(helper, "store", input, host, err);
		OPENSSL_cleanse(input, strlen(input));
		free(input);
		drop_config(in);
		if (ret > 0)
			ret = xp_error_set(err, XP_ERR_LOCAL,
					   "credential helper 'docker-credential-%s' could not store credentials for '%s'",
					   helper, host);
		if (ret) {
			json_decref(entry);
			goto out;
		}
		ret = -1;
		*where = xasprintf("credential helper 'docker-credential-%s'", helper);
	} else {
		size_t n;

		pair = xasprintf("%s:%s", user, pass);
		n = strlen(pair);
		b64 = xmalloc(4 * ((n + 2) / 3) + 1);
		EVP_EncodeBlock(b64, (const unsigned char *)pair, (int)n);
		json_object_set_new(entry, "auth", json_string((char *)b64));
		*where = xstrdup(path);
	}
	json_object_set_new(auths, key, entry);
	if (save_config(path, root, err)) {
		free(*where);
		*where = NULL;
		goto out;
	}
	ret = 0;
out:
	if (pair) {
		OPENSSL_cleanse(pair, strlen(pair));
		free(pair);
	}
	if (b64) {
		OPENSSL_cleanse(b64, strlen((char *)b64));
		free(b64);
	}
	drop_config(root);
	free(key);
	free(path);
	return ret;
}

int registry_logout(const char *host, int *removed, struct xp_error *err)
{
	char *path = reg_docker_config_path(), *key = reg_config_key(host);
	json_t *root = NULL, *auths;
	const char *helper, *old_key = NULL;
	int ret = -1;

	*removed = 0;
	if (load_config(path, &root, err))
		goto out;
	if (!root) {
		ret = 0;
		goto out;
	}
	auths = json_object_get(root, "auths");
	helper = config_helper(root, host);
	if (helper) {
		int r = helper_verb(helper, "erase", key, host, err);

		if (r < 0)
			goto out;
		*removed = r == 0;
	}
	if (find_host(auths, host, &old_key)) {
		json_object_del(auths, old_key);
		*removed = 1;
		if (save_config(path, root, err))
			goto out;
	}
	ret = 0;
out:
	drop_config(root);
	free(key);
	free(path);
	return ret;
}
