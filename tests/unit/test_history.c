/* test_history.c — a repository's history (packager/history.c,
 * history_format.c) on a layout store: releases newest first in version order,
 * companion and champion tags left out, --limit, metrics read back; every
 * output format, with the characters each one must escape. */
#include "tests/unit/test_common.h"
#define TMP_FIXTURE_TAG "history"
#include "tests/unit/test_tmp.h"
#include "tests/unit/test_store.h"
#include "common/strbuf.h"
#include "packager/bundle.h"
#include "packager/history.h"
#include "packager/history_format.h"
#include "packager/oci.h"

/* A release tagged `tag` with the given created time and metrics. */
static void release(const char *tag, const char *created, const char *metrics,
		    struct oci_desc *out)
{
	struct oci_manifest m;
	struct xp_error err;
	char *json;
	size_t len;

	memset(&m, 0, sizeof(m));
	m.media_type = xstrdup(OCI_MT_MANIFEST);
	assert_int_equal(store_push_buf(st, OCI_MT_EMPTY, OCI_EMPTY_DATA, OCI_EMPTY_SIZE,
					&m.config.desc, &err), 0);
	oci_annots_set(&m.annotations, BUNDLE_ANN_EXPERIMENT_ID, tag);
	if (created)
		oci_annots_set(&m.annotations, BUNDLE_ANN_CREATED, created);
	if (metrics) {
		oci_annots_set(&m.annotations, BUNDLE_ANN_METRICS, metrics);
		oci_annots_set(&m.annotations, BUNDLE_ANN_OBJECTIVE, "accuracy:maximize");
	}
	json = oci_manifest_build(&m, &len);
	assert_int_equal(store_push_buf(st, OCI_MT_MANIFEST, json, len, out, &err), 0);
	assert_int_equal(store_tag(st, out, tag, &err), 0);
	free(json);
	oci_manifest_release(&m);
}

static void test_read(void **state)
{
	struct history_opts o = {0};
	struct history h;
	struct oci_desc d[4], sig;
	struct xp_error err;
	double v;
	char *cache = xasprintf("%s/cache", tmp_fixture);

	(void)state;
	release("v9", "2026-01-01T00:00:00Z", "{\"accuracy\":0.9}", &d[0]);
	release("v10", "2026-01-01T00:00:00Z", "{\"accuracy\":0.91}", &d[1]);
	release("v2", "2026-01-02T00:00:00Z", NULL, &d[2]);
	release("old", NULL, "{\"accuracy\":0.5}", &d[3]);
	assert_int_equal(store_tag(st, &d[1], "prod", &err), 0);
	release("sha256-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.sig", NULL,
		NULL, &sig);
	o.cache = cache;
	o.jobs = 2;
	assert_int_equal(history_read(st, &o, &h, &err), 0);
	assert_int_equal(h.n, 4);
	assert_string_equal(h.v[0].tag, "v2");     /* newest created */
	assert_string_equal(h.v[1].tag, "v10");    /* then version order: v10 after v9 */
	assert_string_equal(h.v[2].tag, "v9");
	assert_string_equal(h.v[3].tag, "old");    /* no created time: last */
	assert_null(h.v[0].metrics);
	assert_int_equal(history_metric(&h.v[1], "accuracy", &v), 1);
	assert_true(v == 0.91);
	assert_int_equal(history_metric(&h.v[1], "f1", &v), 0);
	assert_int_equal(h.v[1].champion, HISTORY_CURRENT);
	assert_int_equal(h.v[2].champion, HISTORY_NEVER);
	assert_int_equal(h.n_chain, 1);
	assert_string_equal(h.chain[0].digest, d[1].digest);
	history_release(&h);
	/* again from the cache, limited */
	o.limit = 2;
	o.tag = "staging";
	assert_int_equal(history_read(st, &o, &h, &err), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.n_chain, 0);
	history_release(&h);
	history_release(NULL);
	free(cache);
	for (int i = 0; i < 4; i++)
		oci_desc_release(&d[i]);
	oci_desc_release(&sig);
}

/* A history made by hand, for the formats. */
static void sample(struct history *h)
{
	memset(h, 0, sizeof(*h));
	h->tag = xstrdup("prod");
	h->n = 2;
	h->v = xcalloc(2, sizeof(*h->v));
	h->v[0].tag = xstrdup("v2");
	snprintf(h->v[0].digest, sizeof(h->v[0].digest),
		 "sha256:%064d", 2);
	h->v[0].experiment_id = xstrdup("a|b,\"c\"<d>");
	h->v[0].objective = xstrdup("accuracy");
	h->v[0].metrics = xstrdup("{\"accuracy\":0.1,\"loss\":3}");
	h->v[0].champion = HISTORY_CURRENT;
	h->v[1].tag = xstrdup("v1");
	h->v[1].problem = xstrdup("broken");
	h->n_chain = 1;
	h->chain = xcalloc(1, sizeof(*h->chain));
	snprintf(h->chain[0].digest, sizeof(h->chain[0].digest), "%s", h->v[0].digest);
}

static void test_formats(void **state)
{
	struct history h;
	enum history_format f;
	char *metrics[] = {"loss"}, *t;

	(void)state;
	sample(&h);
	assert_int_equal(history_format_parse("markdown", &f), 0);
	assert_int_equal(f, HISTORY_MARKDOWN);
	assert_int_equal(history_format_parse("yaml", &f), -1);
	t = history_format(&h, "r", HISTORY_TABLE, metrics, 1);
	assert_non_null(strstr(t, "TAG  DIGEST               CREATED  EXPERIMENT  OBJECTIVE     loss  VERDICT  SIGNER  CHAMPION\n"));
	assert_non_null(strstr(t, "v1   -                    -        -           -             -     -        -       -\n"));
	assert_non_null(strstr(t, "accuracy=0.1  3 "));
	free(t);
	t = history_format(&h, "r", HISTORY_CSV, metrics, 1);
	assert_non_null(strstr(t, "tag,digest,created,experiment,objective,loss,verdict,signer,champion\n"));
	assert_non_null(strstr(t, ",\"a|b,\"\"c\"\"<d>\",accuracy=0.1,3,,,current\n"));
	assert_non_null(strstr(t, "v1,,,,,,,,\n"));
	free(t);
	t = history_format(&h, "r", HISTORY_MARKDOWN, NULL, 0);
	assert_non_null(strstr(t, "| a\\|b,\"c\"<d> |"));
	free(t);
	t = history_format(&h, "r<x>", HISTORY_HTML, metrics, 1);
	assert_non_null(strstr(t, "<title>r&lt;x&gt; releases</title>"));
	assert_non_null(strstr(t, "a|b,&quot;c&quot;&lt;d&gt;"));
	assert_non_null(strstr(t, "<figcaption>loss</figcaption>"));
	assert_null(strstr(t, "<script"));
	free(t);
	t = history_format(&h, "r", HISTORY_JSON, NULL, 0);
	assert_non_null(strstr(t, "\"accuracy\": 0.1,"));
	assert_non_null(strstr(t, "\"problem\": \"broken\""));
	free(t);
	history_release(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test(test_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
