/* test_ref.c — bundle and registry references (packager/ref.c). */
#include "tests/unit/test_common.h"
#include "cmd/exitcode.h"
#include "packager/ref.h"

#define D "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

struct ok_case {
	const char *in;
	int flags;
	enum ref_kind kind;
	const char *path, *host, *repo, *tag, *digest, *canon;
};

static void parses(void **state)
{
	static const struct ok_case v[] = {
		{"oci:out", 0, REF_LAYOUT, "out", NULL, NULL, NULL, NULL, "oci:out"},
		{"oci:out:v1", 0, REF_LAYOUT, "out", NULL, NULL, "v1", NULL, "oci:out:v1"},
		{"oci:/a/b:latest", 0, REF_LAYOUT, "/a/b", NULL, NULL, "latest", NULL, "oci:/a/b:latest"},
		{"oci:out@" D, 0, REF_LAYOUT, "out", NULL, NULL, NULL, D, "oci:out@" D},
		{"oci-archive:m.tar:v2", 0, REF_ARCHIVE, "m.tar", NULL, NULL, "v2", NULL, "oci-archive:m.tar:v2"},
		{"docker://127.0.0.1:5000/team/model:v1", 0, REF_REGISTRY, NULL, "127.0.0.1:5000", "team/model", "v1", NULL, "127.0.0.1:5000/team/model:v1"},
		{"127.0.0.1:5000/model", 0, REF_REGISTRY, NULL, "127.0.0.1:5000", "model", NULL, NULL, "127.0.0.1:5000/model"},
		{"ghcr.io/org/m:1.0@" D, 0, REF_REGISTRY, NULL, "ghcr.io", "org/m", "1.0", D, "ghcr.io/org/m:1.0@" D},
		{"[::1]:5000/m", 0, REF_REGISTRY, NULL, "[::1]:5000", "m", NULL, NULL, "[::1]:5000/m"},
		{"localhost/m", 0, REF_REGISTRY, NULL, "localhost", "m", NULL, NULL, "localhost/m"},
		{"newdir", REF_LOCAL_ONLY, REF_LAYOUT, "newdir", NULL, NULL, NULL, NULL, "oci:newdir"},
		{"new.tar", REF_LOCAL_ONLY, REF_ARCHIVE, "new.tar", NULL, NULL, NULL, NULL, "oci-archive:new.tar"},
		{"/", 0, REF_LAYOUT, "/", NULL, NULL, NULL, NULL, "oci:/"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct xp_error err;
		struct xp_ref r;
		char *canon;

		if (ref_parse(v[i].in, v[i].flags, &r, &err))
			fail_msg("%s: %s", v[i].in, err.msg);
		assert_int_equal(r.kind, v[i].kind);
#define SAME(f) do { if ((v[i].f == NULL) != (r.f == NULL) || (r.f && strcmp(r.f, v[i].f))) \
		fail_msg("%s: " #f " = %s", v[i].in, r.f ? r.f : "(null)"); } while (0)
		SAME(path); SAME(host); SAME(repo); SAME(tag); SAME(digest);
		canon = ref_format(&r);
		assert_string_equal(canon, v[i].canon);
		free(canon);
		ref_release(&r);
	}
}

struct bad_case {
	const char *in;
	int flags;
	const char *msg;
};

static void rejects(void **state)
{
	static const struct bad_case v[] = {
		{"", 0, "empty reference"},
		{"oci:", 0, "missing path in reference 'oci:'"},
		{"oci:out:bad/tag", 0, "invalid tag 'bad/tag': '/' at position 4 (a tag holds letters, digits, '_', '.' and '-'), in reference 'oci:out:bad/tag'"},
		{"docker://host:5000", 0, "invalid registry reference 'docker://host:5000': expected HOST[:PORT]/REPO[:TAG]"},
		{"docker://h.io/Upper", 0, "invalid repository 'Upper' in reference 'docker://h.io/Upper': lowercase letters, digits and separators only"},
		{"h.io/m:-x", 0, "invalid tag '-x': it starts with '-' (a tag starts with a letter, digit or '_'), in reference 'h.io/m:-x'"},
		{"h.io/m:a+b", 0, "invalid tag 'a+b': '+' at position 2 (a tag holds letters, digits, '_', '.' and '-'), in reference 'h.io/m:a+b'"},
		{"nosuch-bundle-dir", 0, "no such bundle 'nosuch-bundle-dir': expected oci:DIR[:TAG], oci-archive:FILE[:TAG], an existing path or HOST/REPO[:TAG]"},
		{"oci:x", REF_REGISTRY_ONLY, "invalid registry reference 'oci:x': expected [docker://]HOST[:PORT]/REPO[:TAG]"},
		{"docker://oci:x/m", 0, "invalid registry host 'oci:x' in reference 'docker://oci:x/m'"},
		{"docker://h:99999/m", 0, "invalid registry host 'h:99999' in reference 'docker://h:99999/m'"},
		{"h.io/m@sha256:abc", 0, "invalid digest in reference 'h.io/m@sha256:abc'"},
		{"http://h:5000/m:v1", 0, "'http://h:5000/m:v1' is a URL, not a reference: write 'h:5000/m:v1' and add --plain-http (or set XPSHIP_REGISTRY_PLAIN_HTTP=HOST)"},
		{"https://h.io/m", REF_REGISTRY_ONLY, "'https://h.io/m' is a URL, not a reference: write 'h.io/m' (https is the default)"},
		{"docker://http://h:5000/m", 0, "'http://h:5000/m' is a URL, not a reference: write 'h:5000/m' and add --plain-http (or set XPSHIP_REGISTRY_PLAIN_HTTP=HOST)"},
		{"Https://h.io/m", REF_LOCAL_ONLY, "'Https://h.io/m' is a URL, not a reference: write 'h.io/m' (https is the default)"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct xp_error err;
		struct xp_ref r;

		if (ref_parse(v[i].in, v[i].flags, &r, &err) == 0)
			fail_msg("%s: parsed", v[i].in);
		assert_int_equal(err.cls, XP_ERR_USAGE);
		assert_string_equal(err.msg, v[i].msg);
	}
}

static void names(void **state)
{
	(void)state;
	assert_true(ref_valid_repo("a/b-c/d__e.f"));
	assert_false(ref_valid_repo("a//b"));
	assert_false(ref_valid_repo("a/"));
	assert_false(ref_valid_repo("-a"));
	assert_true(ref_valid_tag("v1.0_rc-1"));
	assert_false(ref_valid_tag(".x"));
	assert_false(ref_valid_tag(""));
}

/* A signature's docker-reference: cosign's grammar, each refusal naming its rule. */
static void identities(void **state)
{
	static const char *ok[] = {
		"registry.example.com/team/model", "127.0.0.1:5000/a/b-c/d__e.f", "[::1]:5000/m",
		"localhost/m", "Registry.Example.com/team/model", "h.io/a---b/c.d_e",
	};
	static const struct { const char *id, *msg; } bad[] = {
		{"", "empty identity"},
		{"Registry.Example.com/Team/Model", "invalid identity 'Registry.Example.com/Team/Model': repository 'Team/Model': uppercase 'T' at position 1 (repository path components are lowercase)"},
		{"h.io/team/modeL", "invalid identity 'h.io/team/modeL': repository 'team/modeL': uppercase 'L' at position 10 (repository path components are lowercase)"},
		{"team/model", "invalid identity 'team/model': no registry host (the first component must be a host: it holds a '.' or ':' or is 'localhost'), e.g. registry.example.com/team/model"},
		{"oci:b", "invalid identity 'oci:b': a registry repository HOST[:PORT]/REPO, without scheme or transport"},
		{"h.io/m:v1", "invalid identity 'h.io/m:v1': a repository without tag or digest"},
		{"h.io", "invalid identity 'h.io': expected HOST[:PORT]/REPO"},
		{"h.io/", "invalid identity 'h.io/': expected HOST[:PORT]/REPO"},
		{"h_x.io/m", "invalid identity 'h_x.io/m': invalid registry host 'h_x.io' (a DNS name, IPv4 address or [IPv6] address, then an optional :PORT)"},
		{"h.io/a//b", "invalid identity 'h.io/a//b': repository 'a//b': empty path component at position 3"},
		{"h.io/a/", "invalid identity 'h.io/a/': repository 'a/': empty path component at position 3"},
		{"h.io/.a", "invalid identity 'h.io/.a': repository '.a': separator '.' at position 1 (a path component starts and ends with a lowercase letter or digit)"},
		{"h.io/a.", "invalid identity 'h.io/a.': repository 'a.': path component 'a.' ends with a separator"},
		{"h.io/a..b", "invalid identity 'h.io/a..b': repository 'a..b': '.' at position 3 (separators are '.', '_', '__' or dashes, between letters or digits)"},
		{"h.io/a\x01", "invalid identity 'h.io/a\x01': repository 'a\x01': byte 0x01 at position 2 (a repository holds lowercase letters, digits, '.', '_', '-' and '/')"},
	};
	struct xp_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (ref_check_identity(ok[i], &err))
			fail_msg("%s: %s", ok[i], err.msg);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ref_check_identity(bad[i].id, &err) == 0)
			fail_msg("%s: accepted", bad[i].id);
		assert_int_equal(err.cls, XP_ERR_USAGE);
		assert_string_equal(err.msg, bad[i].msg);
	}
}

/* The release tag among companion tags: exactly one, else none. */
static void only_release_tag(void **state)
{
	static char sig[] = "sha256-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.sig";
	static char att[] = "sha256-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.att";
	static char idx[] = "sha256-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	static char v1[] = "v1", v2[] = "v2", odd[] = "sha256-beef.sig";
	char *one[] = {sig, v1, att, idx}, *two[] = {v1, sig, v2}, *none[] = {sig, att},
	     *short_hex[] = {odd, sig};

	(void)state;
	assert_string_equal(ref_only_release_tag(one, 4), "v1");
	assert_null(ref_only_release_tag(two, 3));
	assert_null(ref_only_release_tag(none, 2));
	assert_null(ref_only_release_tag(NULL, 0));
	/* not a companion tag: a release tag like any other */
	assert_string_equal(ref_only_release_tag(short_hex, 2), "sha256-beef.sig");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses),
		cmocka_unit_test(rejects),
		cmocka_unit_test(names),
		cmocka_unit_test(identities),
		cmocka_unit_test(only_release_tag),
	};
	return cmocka_run_group_tests_name("ref", tests, NULL, NULL);
}
