/* test_bundle.c — reading a bundle's metadata (packager/bundle.c):
 * manifest annotations over config labels, through an index, ModelPack-style
 * configs without labels, and what inspect lists. */
#include "tests/unit/test_common.h"
#define TMP_FIXTURE_TAG "bundle"
#include "tests/unit/test_tmp.h"
#include "tests/unit/test_store.h"
#include "cmd/exitcode.h"
#include "common/strbuf.h"
#include "packager/bundle.h"
#include "packager/oci.h"
#include "packager/store.h"

/* A manifest with `config` (of media type cmt) and annotations k=v pairs. */
static void push_manifest(const char *cmt, const char *config, const char *const *ann,
			  struct oci_desc *out)
{
	struct oci_manifest m;
	struct xp_error err;
	char *json;
	size_t len;

	memset(&m, 0, sizeof(m));
	m.media_type = xstrdup(OCI_MT_MANIFEST);
	assert_int_equal(store_push_buf(st, cmt, config, strlen(config), &m.config.desc, &err), 0);
	for (; ann && *ann; ann += 2)
		oci_annots_set(&m.annotations, ann[0], ann[1]);
	json = oci_manifest_build(&m, &len);
	assert_int_equal(store_push_buf(st, OCI_MT_MANIFEST, json, len, out, &err), 0);
	free(json);
	oci_manifest_release(&m);
}

static void test_annotations_over_labels(void **state)
{
	static const char *const ann[] = {BUNDLE_ANN_TITLE, "from-manifest",
		BUNDLE_ANN_METRICS, "{\"accuracy\":0.93}", NULL};
	struct oci_desc m;
	struct oci_annots a;
	struct xp_error err;

	(void)state;
	push_manifest(OCI_MT_CONFIG,
		      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":"
		      "{\"org.opencontainers.image.title\":\"from-label\","
		      "\"dev.xpship.gate.verdict\":\"pass\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
		      ann, &m);
	assert_int_equal(bundle_read_meta(st, &m, &a, &err), 0);
	assert_int_equal(a.n, 3);
	assert_string_equal(oci_annots_get(&a, BUNDLE_ANN_TITLE), "from-manifest");
	assert_string_equal(oci_annots_get(&a, BUNDLE_ANN_VERDICT), "pass");
	assert_string_equal(oci_annots_get(&a, BUNDLE_ANN_METRICS), "{\"accuracy\":0.93}");
	oci_annots_release(&a);
	oci_desc_release(&m);
}

static void test_non_image_config(void **state)
{
	static const char *const ann[] = {BUNDLE_ANN_VERDICT, "fail", NULL};
	struct oci_desc m;
	struct oci_annots a;
	struct xp_error err;

	(void)state;
	/* a ModelPack config is not read for labels (it has none) */
	push_manifest("application/vnd.cncf.model.config.v1+json", "{\"not\":\"an image config\"}",
		      ann, &m);
	assert_int_equal(bundle_read_meta(st, &m, &a, &err), 0);
	assert_int_equal(a.n, 1);
	assert_string_equal(oci_annots_get(&a, BUNDLE_ANN_VERDICT), "fail");
	oci_annots_release(&a);
	oci_desc_release(&m);
}

static void test_index_and_inspect(void **state)
{
	static const char *const ann[] = {BUNDLE_ANN_VERSION, "1.4.0", NULL};
	struct oci_index ix;
	struct oci_entry e;
	struct oci_desc m, idesc;
	struct oci_annots a;
	struct bundle_info b;
	struct xp_error err;
	char *json;
	size_t len;

	(void)state;
	push_manifest(OCI_MT_CONFIG, "{\"architecture\":\"amd64\",\"os\":\"linux\"}", ann, &m);
	memset(&ix, 0, sizeof(ix));
	memset(&e, 0, sizeof(e));
	ix.media_type = xstrdup(OCI_MT_INDEX);
	oci_desc_copy(&e.desc, &m);
	e.platform.os = xstrdup("linux");
	e.platform.architecture = xstrdup("amd64");
	oci_index_add(&ix, &e);
	oci_annots_set(&ix.annotations, BUNDLE_ANN_VERSION, "from-index");
	oci_annots_set(&ix.annotations, BUNDLE_ANN_SOURCE, "https://example/repo");
	json = oci_index_build(&ix, &len);
	assert_int_equal(store_push_buf(st, OCI_MT_INDEX, json, len, &idesc, &err), 0);
	free(json);
	assert_int_equal(bundle_read_meta(st, &idesc, &a, &err), 0);
	assert_string_equal(oci_annots_get(&a, BUNDLE_ANN_VERSION), "1.4.0");
	assert_string_equal(oci_annots_get(&a, BUNDLE_ANN_SOURCE), "https://example/repo");
	oci_annots_release(&a);
	/* inspect: the tags naming it, the manifest picked from the index */
	assert_int_equal(store_tag(st, &idesc, "prod", &err), 0);
	assert_int_equal(store_tag(st, &m, "plain", &err), 0);
	assert_int_equal(bundle_inspect(st, &idesc, &b, &err), 0);
	assert_int_equal(b.n_tags, 1);
	assert_string_equal(b.tags[0], "prod");
	assert_string_equal(b.manifest_desc.digest, m.digest);
	assert_string_equal(b.config.os, "linux");
	bundle_info_release(&b);
	/* a missing manifest is "absent" (exit 1) */
	m.digest[10] = m.digest[10] == '0' ? '1' : '0';
	assert_int_equal(bundle_read_meta(st, &m, &a, &err), -1);
	assert_int_equal(err.cls, XP_ERR_NOT_FOUND);
	oci_entry_release(&e);
	oci_index_release(&ix);
	oci_desc_release(&m);
	oci_desc_release(&idesc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_annotations_over_labels, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_non_image_config, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_index_and_inspect, store_fixture_setup, store_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
