/* test_names.c — file names through pack_run and unpack_bundle (packager/)
 * whatever locale the calling program set: the same layer digest under "C"
 * and "C.UTF-8", and unpack restores NFC and NFD spellings of one letter as
 * the two files they were (libarchive would normalise NFD to NFC when reading
 * in a UTF-8 locale). */
#include "tests/unit/test_common.h"
#define TMP_FIXTURE_TAG "names"
#include "tests/unit/test_tmp.h"
#include "common/strbuf.h"
#include "packager/pack.h"
#include "packager/ref.h"
#include "packager/store.h"
#include "packager/unpack.h"

#include <locale.h>
#include <sys/stat.h>

static const char *const names[] = {
	"\xc3\xa9",                            /* é, NFC */
	"e\xcc\x81",                           /* e + U+0301, NFD */
	"\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\xa4\x96.bin",   /* 日本 🤖.bin */
	"\xd0\xbc\xd0\xbe\xd0\xb4\xd0\xb5\xd0\xbb\xd1\x8c", /* модель */
};

static char *at(const char *rel)
{
	return xasprintf("%s/%s", tmp_fixture, rel);
}

static void make_model(void)
{
	char *p = at("m");
	size_t i;

	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *f = xasprintf("%s/m/%s", tmp_fixture, names[i]);
		FILE *fp = fopen(f, "w");

		assert_non_null(fp);
		fprintf(fp, "file %zu\n", i);
		fclose(fp);
		free(f);
	}
}

/* Pack m into the layout `out` as tag v1; the manifest digest in digest. */
static void pack(const char *out, char digest[XP_DIGEST_SIZE])
{
	struct tree_input in;
	struct pack_opts o;
	struct xp_ref ref;
	struct oci_desc m;
	struct xp_error err;
	char *src = at("m");

	memset(&o, 0, sizeof(o));
	memset(&ref, 0, sizeof(ref));
	memset(&m, 0, sizeof(m));
	in.src = src;
	in.dest = "models/m";
	o.inputs = &in;
	o.n_inputs = 1;
	ref.kind = REF_LAYOUT;
	ref.path = at(out);
	if (pack_run(&ref, "v1", &o, &m, &err))
		fail_msg("pack: %s", err.msg);
	memcpy(digest, m.digest, XP_DIGEST_SIZE);
	oci_desc_release(&m);
	free(ref.path);
	free(src);
}

static void unpack(const char *out, const char *dir)
{
	struct store_opts so;
	struct xp_ref ref;
	struct store *s;
	struct oci_desc d;
	struct xp_error err;
	char *target = at(dir);

	memset(&so, 0, sizeof(so));
	memset(&ref, 0, sizeof(ref));
	ref.kind = REF_LAYOUT;
	ref.path = at(out);
	assert_int_equal(store_open(&ref, &so, &s, &err), 0);
	assert_int_equal(store_resolve(s, "v1", &d, &err), 0);
	if (unpack_bundle(s, &d, target, 0, NULL, NULL, &err))
		fail_msg("unpack: %s", err.msg);
	oci_desc_release(&d);
	store_close(s);
	free(ref.path);
	free(target);
}

static void any_locale(void **state)
{
	char in_c[XP_DIGEST_SIZE], in_utf8[XP_DIGEST_SIZE];
	size_t i;

	(void)state;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		fail_msg("the C.UTF-8 locale is missing");
	make_model();
	pack("out-utf8", in_utf8);
	unpack("out-utf8", "dest");
	setlocale(LC_ALL, "C");
	pack("out-c", in_c);
	assert_memory_equal(in_c, in_utf8, XP_DIGEST_SIZE);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *f = xasprintf("%s/dest/models/m/%s", tmp_fixture, names[i]), *want, buf[32];
		FILE *fp = fopen(f, "r");

		if (!fp)
			fail_msg("'%s' was not restored as it was", f);
		assert_non_null(fgets(buf, sizeof(buf), fp));
		fclose(fp);
		want = xasprintf("file %zu\n", i);
		assert_string_equal(buf, want);
		free(want);
		free(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(any_locale, tmp_fixture_setup, tmp_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
