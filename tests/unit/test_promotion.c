/* test_promotion.c — the promotion log (packager/promotion.c) on a layout
 * store: statements recorded and read back from annotations and from verified
 * envelopes (another key's do not count), the chain of champions through a
 * rollback, each statement used once; store_delete on a layout; the blob
 * cache refusing a damaged entry (packager/blobcache.c); RFC 3339 parsing. */
#include "tests/unit/test_common.h"
#define TMP_FIXTURE_TAG "promotion"
#include "tests/unit/test_tmp.h"
#include "tests/unit/test_store.h"
#include "common/strbuf.h"
#include "common/timeutil.h"
#include "packager/blobcache.h"
#include "packager/oci.h"
#include "packager/promotion.h"

static void manifest(const char *tag, struct oci_desc *out)
{
	struct oci_manifest m;
	struct xp_error err;
	char *json;
	size_t len;

	memset(&m, 0, sizeof(m));
	m.media_type = xstrdup(OCI_MT_MANIFEST);
	assert_int_equal(store_push_buf(st, OCI_MT_EMPTY, OCI_EMPTY_DATA, OCI_EMPTY_SIZE,
					&m.config.desc, &err), 0);
	oci_annots_set(&m.annotations, "t", tag);
	json = oci_manifest_build(&m, &len);
	assert_int_equal(store_push_buf(st, OCI_MT_MANIFEST, json, len, out, &err), 0);
	assert_int_equal(store_tag(st, out, tag, &err), 0);
	free(json);
	oci_manifest_release(&m);
}

/* Move prod to m (from `from`) at time t, recorded with k. */
static void move(const struct oci_desc *m, const struct oci_desc *from, const char *kind,
		 long long t, const struct sign_key *k)
{
	struct promotion p = {0};
	struct xp_error err;

	p.kind = kind;
	p.tag = "prod";
	p.from = from ? from->digest : NULL;
	p.time = t;
	p.builder_id = "local://test";
	assert_int_equal(store_tag(st, m, "prod", &err), 0);
	assert_int_equal(promotion_record(st, m, k, &p, &err), 0);
}

static void test_log_and_chain(void **state)
{
	struct sign_key *k, *other;
	struct oci_desc a, b;
	struct promotion_entry *log;
	struct promotion_link *chain;
	struct xp_error err;
	size_t n;

	(void)state;
	assert_int_equal(key_generate(KEY_ED25519, &k, &err), 0);
	assert_int_equal(key_generate(KEY_ED25519, &other, &err), 0);
	manifest("a", &a);
	manifest("b", &b);
	move(&a, NULL, "promote", 100, k);
	move(&b, &a, "promote", 200, k);
	move(&a, &b, "rollback", 300, k);
	/* a's log: its first promotion and the rollback, from annotations and verified */
	assert_int_equal(promotion_log_read(st, NULL, a.digest, NULL, &log, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(log[0].kind, "promote");
	assert_null(log[0].from);
	assert_string_equal(log[1].kind, "rollback");
	assert_string_equal(log[1].from, b.digest);
	assert_string_equal(log[1].time, "1970-01-01T00:05:00Z");
	assert_int_equal(log[1].verified, 0);
	promotion_log_free(log, n);
	assert_int_equal(promotion_log_read(st, NULL, a.digest, k, &log, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(log[1].verified, 1);
	assert_ptr_equal(promotion_log_latest(log, n, "prod"), &log[1]);
	assert_null(promotion_log_latest(log, n, "staging"));
	promotion_log_free(log, n);
	assert_int_equal(promotion_log_read(st, NULL, a.digest, other, &log, &n, &err), 0);
	assert_int_equal(n, 0);
	promotion_log_free(log, n);
	/* the chain: a (rollback) <- b <- a (first promotion), each statement once */
	assert_int_equal(promotion_chain(st, NULL, "prod", k, 100, &chain, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(chain[0].digest, a.digest);
	assert_string_equal(chain[0].kind, "rollback");
	assert_string_equal(chain[1].digest, b.digest);
	assert_string_equal(chain[2].digest, a.digest);
	assert_string_equal(chain[2].kind, "promote");
	promotion_chain_free(chain, n);
	/* another key's view: no statement, the tag alone */
	assert_int_equal(promotion_chain(st, NULL, "prod", other, 100, &chain, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_null(chain[0].kind);
	promotion_chain_free(chain, n);
	/* a bounded walk; an absent tag */
	assert_int_equal(promotion_chain(st, NULL, "prod", NULL, 2, &chain, &n, &err), 0);
	assert_int_equal(n, 2);
	promotion_chain_free(chain, n);
	assert_int_equal(promotion_chain(st, NULL, "nope", NULL, 2, &chain, &n, &err), 0);
	assert_int_equal(n, 0);
	/* deleting b drops its tags from the layout */
	assert_int_equal(store_delete(st, &b, &err), 0);
	assert_int_equal(store_resolve(st, "b", &b, &err), -1);
	assert_int_equal(err.cls, XP_ERR_NOT_FOUND);
	assert_int_equal(store_delete(st, &b, &err), -1);
	assert_int_equal(err.cls, XP_ERR_NOT_FOUND);
	key_free(k);
	key_free(other);
	oci_desc_release(&a);
	oci_desc_release(&b);
}

static void test_cache(void **state)
{
	struct oci_desc a;
	struct xp_error err;
	char *cache = xasprintf("%s/cache", tmp_fixture), *path, *buf;
	size_t len;
	int hit;
	FILE *f;

	(void)state;
	manifest("a", &a);
	assert_int_equal(blobcache_fetch_all(cache, st, &a, 1 << 20, &buf, &len, &hit, &err), 0);
	assert_int_equal(hit, 0);
	free(buf);
	assert_int_equal(blobcache_fetch_all(cache, st, &a, 1 << 20, &buf, &len, &hit, &err), 0);
	assert_int_equal(hit, 1);
	free(buf);
	path = xasprintf("%s/blobs/sha256/%s", cache, a.digest + 7);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"forged\":true}", f);
	fclose(f);
	assert_int_equal(blobcache_fetch_all(cache, st, &a, 1 << 20, &buf, &len, &hit, &err), 0);
	assert_int_equal(hit, 0);               /* the damaged entry is not believed */
	assert_null(strstr(buf, "forged"));
	free(buf);
	free(path);
	free(cache);
	oci_desc_release(&a);
}

static void test_time_parse(void **state)
{
	long long t;

	(void)state;
	assert_int_equal(xp_time_parse("2025-11-25T10:00:00Z", &t), 0);
	assert_int_equal(t, 1764064800);
	assert_int_equal(xp_time_parse("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(xp_time_parse("2025-11-25T10:00:00+01:00", &t), -1);
	assert_int_equal(xp_time_parse("2025-13-25T10:00:00Z", &t), -1);
	assert_int_equal(xp_time_parse("2025-11-25", &t), -1);
	assert_int_equal(xp_time_parse("2025-11-25T10:00:00Zx", &t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_log_and_chain, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cache, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test(test_time_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
