/* test_registry.c — the registry client's parsers (packager/registry_auth.c)
 * and credential lookup (packager/registry_creds.c), table-driven. */
#include "tests/unit/test_common.h"
#include "tests/unit/test_tmp.h"
#include "cmd/exitcode.h"
#include "common/strbuf.h"
#include "packager/registry.h"
#include "packager/registry_impl.h"

#include <time.h>

/* ---- WWW-Authenticate ---- */

struct chal_case {
	const char *in;
	int n;                       /* challenges expected (-1: none parse) */
	const char *scheme;          /* first challenge */
	const char *realm, *service, *scope, *error;
	const char *second;          /* second challenge's scheme, if any */
};

static const struct chal_case chal_cases[] = {
	{"Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:org/model:pull,push\"",
	 1, "bearer", "https://auth.example/token", "registry.example", "repository:org/model:pull,push", NULL, NULL},
	{"Basic realm=\"test-realm\"", 1, "basic", "test-realm", NULL, NULL, NULL, NULL},
	/* case-insensitive names, blanks around '=', token values */
	{"BEARER  Realm = https://a/t , SERVICE=reg ,scope=\"repository:a:pull\"", 1, "bearer",
	 "https://a/t", "reg", "repository:a:pull", NULL, NULL},
	/* escapes and commas inside quoted strings */
	{"Bearer realm=\"https://a/t?x=1,y=2\",error=\"invalid_token\",error_description=\"say \\\"hi\\\"\"",
	 1, "bearer", "https://a/t?x=1,y=2", NULL, NULL, "invalid_token", NULL},
	/* several challenges in one header (and curl joins repeated headers with ", ") */
	{"Basic realm=\"r\", Bearer realm=\"https://a/t\",service=\"s\"", 2, "basic", "r", NULL, NULL,
	 NULL, "bearer"},
	{"Negotiate abc123==, Basic realm=\"x\"", 2, "negotiate", NULL, NULL, NULL, NULL, "basic"},
	/* space-separated scopes stay one value */
	{"Bearer realm=\"https://a/t\",scope=\"repository:a:pull repository:b:pull\"", 1, "bearer",
	 "https://a/t", NULL, "repository:a:pull repository:b:pull", NULL, NULL},
	/* unterminated quote: the rest is the value */
	{"Bearer realm=\"https://a/t", 1, "bearer", "https://a/t", NULL, NULL, NULL, NULL},
	{"", -1, NULL, NULL, NULL, NULL, NULL, NULL},
	{" , ,", -1, NULL, NULL, NULL, NULL, NULL, NULL},
	{"\"quoted\" ,", -1, NULL, NULL, NULL, NULL, NULL, NULL},
};

static void check_param(const struct reg_challenge *c, const char *name, const char *want)
{
	const char *got = reg_challenge_param(c, name);

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
}

static void test_challenges(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(chal_cases) / sizeof(chal_cases[0]); i++) {
		const struct chal_case *tc = &chal_cases[i];
		struct reg_challenge *v = NULL;
		size_t n = 0;
		int got = reg_challenges_parse(tc->in, &v, &n);

		if (got != tc->n)
			fail_msg("case %zu '%s': %d challenges, expected %d", i, tc->in, got, tc->n);
		if (tc->n > 0) {
			assert_string_equal(v[0].scheme, tc->scheme);
			check_param(&v[0], "realm", tc->realm);
			check_param(&v[0], "service", tc->service);
			check_param(&v[0], "scope", tc->scope);
			check_param(&v[0], "error", tc->error);
			if (tc->second)
				assert_string_equal(v[1].scheme, tc->second);
		}
		reg_challenges_free(v, n);
	}
}

/* ---- Retry-After ---- */

static void test_retry_after(void **state)
{
	static const struct {
		const char *in;
		long want;
	} cases[] = {
		{"3", 3}, {" 120 ", 120}, {"0", 0}, {"-1", -1}, {"soon", -1}, {"1.5", -1},
		{NULL, -1}, {"", -1},
		/* HTTP dates relative to now = 1700000000 (Tue, 14 Nov 2023 22:13:20 GMT) */
		{"Tue, 14 Nov 2023 22:13:30 GMT", 10},
		{"Tue, 14 Nov 2023 22:00:00 GMT", 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long got = reg_retry_after_parse(cases[i].in, 1700000000L);

		if (got != cases[i].want)
			fail_msg("'%s': %ld, expected %ld", cases[i].in ? cases[i].in : "(null)", got,
				 cases[i].want);
	}
}

/* ---- URLs, links, ranges ---- */

static void test_url_resolve(void **state)
{
	static const struct {
		const char *base, *loc, *want;
	} cases[] = {
		{"http://127.0.0.1:5000/v2/a/blobs/uploads/", "http://127.0.0.1:5000/v2/a/blobs/uploads/u?_state=x",
		 "http://127.0.0.1:5000/v2/a/blobs/uploads/u?_state=x"},
		{"https://r.example/v2/a/blobs/uploads/", "/v2/a/blobs/uploads/u?_state=x",
		 "https://r.example/v2/a/blobs/uploads/u?_state=x"},
		{"https://r.example/v2/a/blobs/uploads/", "u1", "https://r.example/v2/a/blobs/uploads/u1"},
		{"https://r.example/v2/a/blobs/uploads/x?q=1", "u1", "https://r.example/v2/a/blobs/uploads/u1"},
		{"https://r.example:8443/v2/", "//cdn.example/b", "https://cdn.example/b"},
		{"https://r.example", "u1", "https://r.example/u1"},
		{"https://r.example/v2/", "HTTPS://Other/x", "HTTPS://Other/x"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = reg_url_resolve(cases[i].base, cases[i].loc);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("resolve '%s' against '%s': '%s', expected '%s'", cases[i].loc,
				 cases[i].base, got, cases[i].want);
		free(got);
	}
}

static void test_url_query(void **state)
{
	static const struct {
		const char *url, *name, *value, *want;
	} cases[] = {
		{"http://h/v2/a/blobs/uploads/u?_state=abc", "digest", "sha256:00ff",
		 "http://h/v2/a/blobs/uploads/u?_state=abc&digest=sha256%3A00ff"},
		{"http://h/v2/a/blobs/uploads/u", "digest", "sha256:00ff",
		 "http://h/v2/a/blobs/uploads/u?digest=sha256%3A00ff"},
		{"https://auth/token?x=1", "scope", "repository:a/b:pull,push",
		 "https://auth/token?x=1&scope=repository%3Aa/b%3Apull%2Cpush"},
		{"https://auth/token", "service", "reg istry&x", "https://auth/token?service=reg%20istry%26x"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = reg_url_add_query(cases[i].url, cases[i].name, cases[i].value);

		assert_string_equal(got, cases[i].want);
		free(got);
	}
	{
		char *o = reg_url_origin("https://r.example:5000/v2/x?y");

		assert_string_equal(o, "https://r.example:5000");
		free(o);
		assert_null(reg_url_origin("/v2/x"));
	}
}

static void test_link_next(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"</v2/a/tags/list?n=2&last=b>; rel=\"next\"", "/v2/a/tags/list?n=2&last=b"},
		{"</v2/_catalog?last=x>; rel=next", "/v2/_catalog?last=x"},
		{"<https://h/prev>; rel=\"prev\", <https://h/next>; rel=\"next\"", "https://h/next"},
		{"<https://h/p>; rel=\"prev\"", NULL},
		{"<https://h/p>; rel=\"nextish\"", NULL},
		{"garbage", NULL},
		{"<unterminated; rel=next", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = reg_link_next(cases[i].in);

		if (cases[i].want) {
			assert_non_null(got);
			assert_string_equal(got, cases[i].want);
		} else if (got) {
			fail_msg("'%s': '%s', expected none", cases[i].in, got);
		}
		free(got);
	}
}

static void test_range_end(void **state)
{
	static const struct {
		const char *in;
		int64_t want;
	} cases[] = {
		{"0-1023", 1023}, {"bytes=0-4095", 4095}, {"bytes 0-9/100", 9}, {"0-0", 0},
		{"0-", -1}, {"", -1}, {NULL, -1}, {"0-12x", -1}, {"abc", -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (reg_range_end(cases[i].in) != cases[i].want)
			fail_msg("'%s': %lld, expected %lld", cases[i].in ? cases[i].in : "(null)",
				 (long long)reg_range_end(cases[i].in), (long long)cases[i].want);
}

static void test_scope_merge(void **state)
{
	static const struct {
		const char *a, *b, *want;
	} cases[] = {
		{"repository:a:pull", "repository:a:push", "repository:a:pull,push"},
		{"repository:a:pull,push", "repository:a:pull", "repository:a:pull,push"},
		{"repository:b:pull", "repository:a:pull", "repository:a:pull repository:b:pull"},
		{"", "repository:a:pull", "repository:a:pull"},
		{"repository:a:pull", NULL, "repository:a:pull"},
		{"", "", ""},
		{"repository:a:push,pull repository:c:pull", "repository:c:delete",
		 "repository:a:pull,push repository:c:delete,pull"},
		{"registry:catalog:*", "repository:x/y:pull", "registry:catalog:* repository:x/y:pull"},
		{"nocolon", "repository:a:pull", "repository:a:pull"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = reg_scope_merge(cases[i].a, cases[i].b);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("merge '%s' + '%s': '%s', expected '%s'", cases[i].a,
				 cases[i].b ? cases[i].b : "(null)", got, cases[i].want);
		free(got);
	}
}

static void test_token_parse(void **state)
{
	static const struct {
		const char *in;
		const char *token;
		long expires;
	} cases[] = {
		{"{\"token\":\"abc\",\"expires_in\":300}", "abc", 300},
		{"{\"access_token\":\"xyz\"}", "xyz", 60},
		{"{\"token\":\"\",\"access_token\":\"xyz\",\"expires_in\":0}", "xyz", 60},
		{"{\"token\":\"t\",\"expires_in\":\"300\",\"issued_at\":\"2026-11-25T10:00:00Z\"}", "t", 60},
		{"{\"expires_in\":300}", NULL, 0},
		{"[\"token\"]", NULL, 0},
		{"not json", NULL, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct xp_error err;
		char *tok = NULL;
		long exp = 0;
		int ret = reg_token_parse(cases[i].in, strlen(cases[i].in), &tok, &exp, &err);

		if (cases[i].token) {
			if (ret)
				fail_msg("'%s': %s", cases[i].in, err.msg);
			assert_string_equal(tok, cases[i].token);
			assert_int_equal(exp, cases[i].expires);
		} else {
			assert_int_equal(ret, -1);
			assert_int_equal(err.cls, XP_ERR_REMOTE);
			assert_non_null(strstr(err.msg, "malformed token answer"));
		}
		free(tok);
	}
}

/* ---- credentials ---- */

static char *home;

static int creds_setup(void **state)
{
	(void)state;
	home = tmp_dir("regcreds");
	if (!home)
		return -1;
	setenv("DOCKER_CONFIG", home, 1);
	unsetenv("XPSHIP_REGISTRY_USERNAME");
	unsetenv("XPSHIP_REGISTRY_PASSWORD");
	return 0;
}

static int creds_teardown(void **state)
{
	(void)state;
	tmp_rm_rf(home);
	free(home);
	unsetenv("DOCKER_CONFIG");
	return 0;
}

static void write_config(const char *json)
{
	char *p = xasprintf("%s/config.json", home);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(json, f);
	fclose(f);
	free(p);
}

static void test_creds_lookup(void **state)
{
	static const struct {
		const char *config;      /* NULL: no file */
		const char *host;
		int rc, found;           /* rc: 0 or the error code */
		const char *user, *pass;
	} cases[] = {
		{NULL, "r.example", 0, 0, NULL, NULL},
		{"{}", "r.example", 0, 0, NULL, NULL},
		/* "user:pa:ss" — the password may hold colons */
		{"{\"auths\":{\"r.example\":{\"auth\":\"dXNlcjpwYTpzcw==\"}}}", "r.example", 0, 1, "user", "pa:ss"},
		{"{\"auths\":{\"https://r.example:5000/v2/\":{\"auth\":\"dTpw\"}}}", "r.example:5000", 0, 1, "u", "p"},
		{"{\"auths\":{\"https://r.example:5000/v2/\":{\"auth\":\"dTpw\"}}}", "r.example", 0, 0, NULL, NULL},
		{"{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"dTpw\"}}}", "docker.io", 0, 1, "u", "p"},
		{"{\"auths\":{\"r.example\":{\"username\":\"a\",\"password\":\"b\"}}}", "r.example", 0, 1, "a", "b"},
		{"{\"auths\":{\"r.example\":{}}}", "r.example", 0, 0, NULL, NULL},
		{"{\"auths\":{\"r.example\":{\"auth\":\"bm9jb2xvbg==\"}}}", "r.example", XP_ERR_MALFORMED, 0, NULL, NULL},
		{"{\"auths\":{\"r.example\":{\"auth\":\"!!!\"}}}", "r.example", XP_ERR_MALFORMED, 0, NULL, NULL},
		{"{\"auths\":", "r.example", XP_ERR_MALFORMED, 0, NULL, NULL},
		{"[1]", "r.example", XP_ERR_MALFORMED, 0, NULL, NULL},
		{"{\"credHelpers\":{\"r.example\":\"../x\"}}", "r.example", XP_ERR_MALFORMED, 0, NULL, NULL},
		{"{\"credsStore\":\"xpship-test-absent\"}", "r.example", XP_ERR_LOCAL, 0, NULL, NULL},
		/* credHelpers for another host does not apply */
		{"{\"credHelpers\":{\"o.example\":\"xpship-test-absent\"}}", "r.example", 0, 0, NULL, NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct reg_creds c;
		struct xp_error err;
		int found = -1, ret;
		char *p = xasprintf("%s/config.json", home);

		unlink(p);
		free(p);
		if (cases[i].config)
			write_config(cases[i].config);
		xp_error_clear(&err);
		ret = reg_creds_lookup(cases[i].host, &c, &found, &err);
		if (cases[i].rc) {
			if (ret == 0)
				fail_msg("case %zu: expected an error", i);
			assert_int_equal(err.cls, cases[i].rc);
			continue;
		}
		if (ret)
			fail_msg("case %zu: %s", i, err.msg);
		assert_int_equal(found, cases[i].found);
		if (found) {
			assert_string_equal(c.user, cases[i].user);
			assert_string_equal(c.pass, cases[i].pass);
		}
		reg_creds_release(&c);
	}
}

static void test_creds_env_first(void **state)
{
	struct reg_creds c;
	struct xp_error err;
	int found = 0;

	(void)state;
	write_config("{\"auths\":{\"r.example\":{\"auth\":\"dTpw\"}}}");
	setenv("XPSHIP_REGISTRY_USERNAME", "envuser", 1);
	setenv("XPSHIP_REGISTRY_PASSWORD", "envpass", 1);
	assert_int_equal(reg_creds_lookup("r.example", &c, &found, &err), 0);
	assert_int_equal(found, 1);
	assert_string_equal(c.user, "envuser");
	assert_string_equal(c.pass, "envpass");
	assert_non_null(strstr(c.source, "XPSHIP_REGISTRY_USERNAME"));
	reg_creds_release(&c);
	unsetenv("XPSHIP_REGISTRY_USERNAME");
	unsetenv("XPSHIP_REGISTRY_PASSWORD");
}

/* A credential helper speaks JSON, which cannot carry bytes that are not
 * UTF-8: such a user name or password is refused before the helper runs
 * (and the helper, which records that it ran, is never started). */
static void test_save_login_helper_utf8(void **state)
{
	static const struct {
		const char *user, *pass;
	} cases[] = {
		{"u\xff", "p"},
		{"u", "p\xc3"},
	};
	char *helper = xasprintf("%s/docker-credential-xpship-test-store", home);
	char *ran = xasprintf("%s/ran", home);
	char *path_env = xasprintf("%s:%s", home, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	char *old_path = getenv("PATH") ? xstrdup(getenv("PATH")) : NULL;
	FILE *f = fopen(helper, "w");
	struct stat st;
	size_t i;

	(void)state;
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\ncat >/dev/null\ntouch '%s'\n", ran);
	fclose(f);
	assert_int_equal(chmod(helper, 0755), 0);
	setenv("PATH", path_env, 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct xp_error err;
		char *where = NULL;

		write_config("{\"credsStore\":\"xpship-test-store\"}");
		xp_error_clear(&err);
		assert_int_equal(registry_save_login("r.example", cases[i].user, cases[i].pass,
						     &where, &err), -1);
		assert_int_equal(err.cls, XP_ERR_USAGE);
		assert_non_null(strstr(err.msg, "not valid UTF-8"));
		assert_null(where);
		assert_int_equal(lstat(ran, &st), -1);
	}
	if (old_path)
		setenv("PATH", old_path, 1);
	free(old_path);
	free(path_env);
	free(ran);
	free(helper);
}

static void test_config_keys(void **state)
{
	static const struct {
		const char *key, *host;
	} cases[] = {
		{"https://index.docker.io/v1/", "docker.io"},
		{"registry-1.docker.io", "docker.io"},
		{"http://r.example:5000", "r.example:5000"},
		{"r.example/v2/", "r.example"},
		{"ghcr.io", "ghcr.io"},
	};
	size_t i;
	char *k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *h = reg_config_key_host(cases[i].key);

		assert_string_equal(h, cases[i].host);
		free(h);
	}
	k = reg_config_key("docker.io");
	assert_string_equal(k, "https://index.docker.io/v1/");
	free(k);
	k = reg_config_key("r.example:5000");
	assert_string_equal(k, "r.example:5000");
	free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_challenges),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_url_resolve),
		cmocka_unit_test(test_url_query),
		cmocka_unit_test(test_link_next),
		cmocka_unit_test(test_range_end),
		cmocka_unit_test(test_scope_merge),
		cmocka_unit_test(test_token_parse),
		cmocka_unit_test_setup_teardown(test_creds_lookup, creds_setup, creds_teardown),
		cmocka_unit_test_setup_teardown(test_creds_env_first, creds_setup, creds_teardown),
		cmocka_unit_test(test_config_keys),
		cmocka_unit_test_setup_teardown(test_save_login_helper_utf8, creds_setup, creds_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
