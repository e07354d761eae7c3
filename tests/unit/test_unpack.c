/* test_unpack.c — the default cap on what unpack expands (packager/unpack.c):
 * 1 GiB plus 100 times the compressed layer sizes, saturating. */
#include "tests/unit/test_common.h"
#include "packager/oci.h"
#include "packager/unpack.h"

#define GIB (1024ull * 1024 * 1024)

static void with_layers(struct oci_manifest *m, const int64_t *sizes, size_t n)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		struct oci_entry e;

		memset(&e, 0, sizeof(e));
		e.desc.size = sizes[i];
		oci_manifest_add_layer(m, &e);
	}
}

static void test_default_max_size(void **state)
{
	static const struct {
		int64_t sizes[3];
		size_t n;
		uint64_t want;
	} cases[] = {
		{{0}, 0, GIB},
		{{3000000}, 1, GIB + 300000000ull},
		{{1, 2, 3}, 3, GIB + 600},
		{{1024, -5}, 2, GIB + 102400},                    /* a negative size counts 0 */
		{{INT64_MAX}, 1, UINT64_MAX},                     /* saturates, no wrap */
		{{INT64_MAX / 100, INT64_MAX / 100}, 2, UINT64_MAX},
		/* the largest size that fits, and one more */
		{{(int64_t)((UINT64_MAX - GIB) / 100)}, 1, GIB + (UINT64_MAX - GIB) / 100 * 100},
		{{(int64_t)((UINT64_MAX - GIB) / 100) + 1}, 1, UINT64_MAX},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct oci_manifest m;

		with_layers(&m, cases[i].sizes, cases[i].n);
		if (unpack_default_max_size(&m) != cases[i].want)
			fail_msg("case %zu: got %llu, want %llu", i,
				 (unsigned long long)unpack_default_max_size(&m),
				 (unsigned long long)cases[i].want);
		oci_manifest_release(&m);
	}
	assert_int_equal(UNPACK_MAX_BASE, GIB);
	assert_int_equal(UNPACK_MAX_RATIO, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_max_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
