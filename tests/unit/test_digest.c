/* test_digest.c — SHA-256 in OCI form (common/digest.c). */
#include "tests/unit/test_common.h"
#include "common/digest.h"
#include "cmd/exitcode.h"

#include <unistd.h>

struct vec {
	const char *in;
	const char *want;
};

static void known_vectors(void **state)
{
	static const struct vec v[] = {
		{"", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"{}", "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},
	};
	char out[XP_DIGEST_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		digest_buf(v[i].in, strlen(v[i].in), out);
		assert_string_equal(out, v[i].want);
	}
}

static void streaming_equals_one_shot(void **state)
{
	struct digest *d = digest_new();
	char a[XP_DIGEST_SIZE], b[XP_DIGEST_SIZE];
	const char *msg = "the quick brown fox jumps over the lazy dog";
	size_t i;

	(void)state;
	for (i = 0; msg[i]; i++)
		digest_update(d, msg + i, 1);
	digest_final(d, a);
	digest_buf(msg, strlen(msg), b);
	assert_string_equal(a, b);
	/* final resets: the context is reusable */
	digest_update(d, "abc", 3);
	digest_final(d, a);
	assert_string_equal(a, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	digest_free(d);
	digest_free(NULL);
}

static void file_digest_and_size(void **state)
{
	char path[] = "/tmp/xpship-digest-XXXXXX";
	char out[XP_DIGEST_SIZE];
	struct xp_error err;
	uint64_t size = 0;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	assert_int_equal(digest_file(path, out, &size, &err), 0);
	assert_string_equal(out, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(size, 3);
	unlink(path);
	assert_int_equal(digest_file(path, out, &size, &err), -1);
	assert_int_equal(err.cls, XP_ERR_LOCAL);
}

static void validity(void **state)
{
	static const struct {
		const char *s;
		int ok;
	} v[] = {
		{"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 1},
		{"sha256:44136FA355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 0},
		{"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8", 0},
		{"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8aa", 0},
		{"sha512:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 0},
		{"", 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_int_equal(digest_valid(v[i].s), v[i].ok);
	assert_int_equal(digest_valid(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_vectors),
		cmocka_unit_test(streaming_equals_one_shot),
		cmocka_unit_test(file_digest_and_size),
		cmocka_unit_test(validity),
	};
	return cmocka_run_group_tests_name("digest", tests, NULL, NULL);
}
