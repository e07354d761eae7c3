/* test_store.h — a layout store in a test's directory, created on first write. */
#ifndef XPSHIP_TESTS_TEST_STORE_H
#define XPSHIP_TESTS_TEST_STORE_H
#include <string.h>

#include "common/strbuf.h"
#include "packager/store.h"

/* dir/name as an OCI layout (created when written); NULL on failure. */
static inline struct store *test_store_layout(const char *dir, const char *name)
{
	struct store_opts o;
	struct xp_ref ref;
	struct xp_error err;
	struct store *s = NULL;

	memset(&o, 0, sizeof(o));
	memset(&ref, 0, sizeof(ref));
	o.create = 1;
	ref.kind = REF_LAYOUT;
	ref.path = xasprintf("%s/%s", dir, name);
	if (store_open(&ref, &o, &s, &err))
		s = NULL;
	free(ref.path);
	return s;
}

/* With TMP_FIXTURE_TAG (test_tmp.h): a fresh directory per test holding the
 * layout store `st` ("out"). */
#ifdef TMP_FIXTURE_TAG
static struct store *st;

static int store_fixture_setup(void **state)
{
	if (tmp_fixture_setup(state))
		return -1;
	st = test_store_layout(tmp_fixture, "out");
	return st ? 0 : -1;
}

static int store_fixture_teardown(void **state)
{
	store_close(st);
	st = NULL;
	return tmp_fixture_teardown(state);
}
#endif
#endif
