/* test_oci.c — manifest, index and image-config JSON (packager/oci.c). */
#include "tests/unit/test_common.h"
#include "cmd/exitcode.h"
#include "common/strbuf.h"
#include "packager/oci.h"

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define D3 "sha256:3333333333333333333333333333333333333333333333333333333333333333"

/* canonical form: what oci_manifest_build writes */
static const char manifest_json[] =
	"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
	"\"artifactType\":\"application/vnd.cncf.model.manifest.v1+json\","
	"\"config\":{\"mediaType\":\"application/vnd.cncf.model.config.v1+json\",\"digest\":\"" D1 "\",\"size\":12},"
	"\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" D2 "\",\"size\":1024,"
	"\"annotations\":{\"a\":\"1\",\"org.cncf.model.filepath\":\"w.bin\"}},"
	"{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+zstd\",\"digest\":\"" D3 "\",\"size\":0}],"
	"\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" D3 "\",\"size\":7},"
	"\"annotations\":{\"dev.xpship.metrics\":\"{\\\"acc\\\":0.9}\",\"org.opencontainers.image.title\":\"m\"}}";

static void manifest_fields_and_round_trip(void **state)
{
	struct oci_manifest m;
	struct xp_error err;
	size_t len;
	char *again;

	(void)state;
	if (oci_manifest_parse(manifest_json, strlen(manifest_json), "m", &m, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(m.media_type, OCI_MT_MANIFEST);
	assert_string_equal(m.artifact_type, "application/vnd.cncf.model.manifest.v1+json");
	assert_string_equal(m.config.desc.media_type, "application/vnd.cncf.model.config.v1+json");
	assert_string_equal(m.config.desc.digest, D1);
	assert_int_equal(m.config.desc.size, 12);
	assert_int_equal(m.n_layers, 2);
	assert_string_equal(m.layers[0].desc.digest, D2);
	assert_int_equal(m.layers[0].desc.size, 1024);
	assert_string_equal(oci_annots_get(&m.layers[0].annotations, "org.cncf.model.filepath"), "w.bin");
	assert_null(oci_annots_get(&m.layers[1].annotations, "org.cncf.model.filepath"));
	assert_non_null(m.subject);
	assert_string_equal(m.subject->digest, D3);
	assert_string_equal(oci_annots_get(&m.annotations, "dev.xpship.metrics"), "{\"acc\":0.9}");
	again = oci_manifest_build(&m, &len);
	assert_string_equal(again, manifest_json);
	assert_int_equal(len, strlen(manifest_json));
	free(again);
	oci_manifest_release(&m);
	assert_null(m.layers);
}

static void build_is_canonical(void **state)
{
	struct oci_manifest m;
	struct oci_entry e;
	char *a, *b;

	(void)state;
	memset(&m, 0, sizeof(m));
	memset(&e, 0, sizeof(e));
	m.media_type = xstrdup(OCI_MT_MANIFEST);
	m.config.desc.media_type = xstrdup(OCI_MT_CONFIG);
	memcpy(m.config.desc.digest, D1, sizeof(D1));
	m.config.desc.size = 3;
	/* annotations inserted out of order come out sorted */
	oci_annots_set(&m.annotations, "z", "last");
	oci_annots_set(&m.annotations, "a", "first");
	oci_annots_set(&m.annotations, "m", "x");
	oci_annots_set(&m.annotations, "m", "middle"); /* replaces */
	assert_int_equal(m.annotations.n, 3);
	e.desc.media_type = xstrdup(OCI_MT_LAYER);
	memcpy(e.desc.digest, D2, sizeof(D2));
	e.desc.size = 5;
	oci_manifest_add_layer(&m, &e);
	oci_entry_release(&e);
	a = oci_manifest_build(&m, NULL);
	assert_string_equal(a,
		"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
		"\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" D1 "\",\"size\":3},"
		"\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" D2 "\",\"size\":5}],"
		"\"annotations\":{\"a\":\"first\",\"m\":\"middle\",\"z\":\"last\"}}");
	assert_int_equal(oci_annots_del(&m.annotations, "m"), 1);
	assert_int_equal(oci_annots_del(&m.annotations, "m"), 0);
	b = oci_manifest_build(&m, NULL);
	assert_non_null(strstr(b, "{\"a\":\"first\",\"z\":\"last\"}"));
	free(a);
	free(b);
	oci_manifest_release(&m);
}

struct bad_case {
	const char *json;
	const char *msg;
};

static void manifest_errors(void **state)
{
	static const struct bad_case v[] = {
		{"[", "malformed manifest 'x': ']' expected near end of file (line 1, column 1)"},
		{"[]", "malformed manifest 'x': expected a JSON object"},
		{"{}", "malformed manifest 'x': schemaVersion: missing"},
		{"{\"schemaVersion\":1}", "malformed manifest 'x': schemaVersion: expected 2"},
		{"{\"schemaVersion\":2,\"layers\":[]}", "malformed manifest 'x': config: missing"},
		{"{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a\",\"digest\":\"" D1 "\",\"size\":1}}",
		 "malformed manifest 'x': layers: missing"},
		{"{\"schemaVersion\":2,\"config\":{\"digest\":\"" D1 "\",\"size\":1},\"layers\":[]}",
		 "malformed manifest 'x': config.mediaType: missing"},
		{"{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a\",\"digest\":\"sha256:12\",\"size\":1},\"layers\":[]}",
		 "malformed manifest 'x': config.digest: invalid digest 'sha256:12'"},
		{"{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a\",\"digest\":\"sha512:ab\",\"size\":1},\"layers\":[]}",
		 "malformed manifest 'x': config.digest: unsupported digest algorithm in 'sha512:ab'"},
		{"{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a\",\"digest\":\"" D1 "\",\"size\":-1},\"layers\":[]}",
		 "malformed manifest 'x': config.size: expected a non-negative integer"},
		{"{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a\",\"digest\":\"" D1 "\",\"size\":1.5},\"layers\":[]}",
		 "malformed manifest 'x': config.size: expected a non-negative integer"},
		{"{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a\",\"digest\":\"" D1 "\",\"size\":1},"
		 "\"layers\":[{\"mediaType\":\"a\",\"digest\":\"" D1 "\",\"size\":1,\"annotations\":{\"k\":1}}]}",
		 "malformed manifest 'x': layers[0].annotations.k: expected a string"},
		{"{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a\",\"digest\":\"" D1 "\",\"size\":1},"
		 "\"layers\":{}}", "malformed manifest 'x': layers: expected an array"},
		{"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
		 "malformed manifest 'x': is an index, not a manifest"},
		{"{\"schemaVersion\":2,\"mediaType\":\"text/plain\"}",
		 "malformed manifest 'x': mediaType: unsupported media type 'text/plain'"},
		{"{\"schemaVersion\":2,\"schemaVersion\":2}",
		 "malformed manifest 'x': duplicate object key near '\"schemaVersion\"' (line 1, column 34)"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct oci_manifest m;
		struct xp_error err;

		xp_error_clear(&err);
		if (oci_manifest_parse(v[i].json, strlen(v[i].json), "x", &m, &err) == 0)
			fail_msg("case %zu accepted: %s", i, v[i].json);
		assert_int_equal(err.cls, XP_ERR_MALFORMED);
		if (strcmp(err.msg, v[i].msg))
			fail_msg("case %zu:\n  got  %s\n  want %s", i, err.msg, v[i].msg);
	}
}

static void index_tags(void **state)
{
	static const char in[] =
		"{\"schemaVersion\":2,\"manifests\":["
		"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" D1 "\",\"size\":10,"
		"\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"},"
		"\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}},"
		"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" D2 "\",\"size\":20,"
		"\"annotations\":{\"org.opencontainers.image.ref.name\":\"v2\"}}]}";
	struct oci_index ix;
	struct oci_desc d;
	struct xp_error err;
	char *out;

	(void)state;
	if (oci_index_parse(in, strlen(in), "i", &ix, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(ix.n_manifests, 2);
	assert_string_equal(ix.manifests[0].platform.os, "linux");
	assert_string_equal(ix.manifests[0].platform.architecture, "amd64");
	assert_int_equal(oci_index_find_ref(&ix, "v2"), 1);
	assert_int_equal(oci_index_find_ref(&ix, "v3"), -1);
	/* move v1 to D3: replaced in place, v2 kept */
	memset(&d, 0, sizeof(d));
	d.media_type = (char *)OCI_MT_MANIFEST;
	memcpy(d.digest, D3, sizeof(D3));
	d.size = 30;
	oci_index_set_ref(&ix, &d, "v1");
	assert_int_equal(ix.n_manifests, 2);
	assert_string_equal(ix.manifests[0].desc.digest, D3);
	assert_null(ix.manifests[0].platform.os);
	/* a new tag is appended */
	oci_index_set_ref(&ix, &d, "latest");
	assert_int_equal(ix.n_manifests, 3);
	out = oci_index_build(&ix, NULL);
	assert_string_equal(out,
		"{\"schemaVersion\":2,\"manifests\":["
		"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" D3 "\",\"size\":30,"
		"\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}},"
		"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" D2 "\",\"size\":20,"
		"\"annotations\":{\"org.opencontainers.image.ref.name\":\"v2\"}},"
		"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" D3 "\",\"size\":30,"
		"\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}");
	free(out);
	oci_index_release(&ix);
}

static void index_errors(void **state)
{
	static const struct bad_case v[] = {
		{"{\"schemaVersion\":2}", "malformed index 'i': manifests: missing"},
		{"{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"a\",\"digest\":\"" D1 "\",\"size\":1,"
		 "\"platform\":{\"os\":\"linux\"}}]}",
		 "malformed index 'i': manifests[0].platform.architecture: missing"},
		{"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"manifests\":[]}",
		 "malformed index 'i': mediaType: unsupported media type 'application/vnd.oci.image.manifest.v1+json'"},
		{"{\"schemaVersion\":2,\"manifests\":[1]}",
		 "malformed index 'i': manifests[0]: expected a descriptor object"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct oci_index ix;
		struct xp_error err;

		if (oci_index_parse(v[i].json, strlen(v[i].json), "i", &ix, &err) == 0)
			fail_msg("case %zu accepted", i);
		assert_int_equal(err.cls, XP_ERR_MALFORMED);
		if (strcmp(err.msg, v[i].msg))
			fail_msg("case %zu:\n  got  %s\n  want %s", i, err.msg, v[i].msg);
	}
}

static void children_and_sniff(void **state)
{
	static const char ix[] =
		"{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
		"\"digest\":\"" D2 "\",\"size\":3}]}";
	struct oci_desc *v;
	struct xp_error err;
	size_t n;
	char *mt;

	(void)state;
	assert_int_equal(oci_children(OCI_MT_MANIFEST, manifest_json, strlen(manifest_json), "m",
				      &v, &n, &err), 0);
	assert_int_equal(n, 3); /* config, two layers; the subject is not a child */
	assert_string_equal(v[0].digest, D1);
	assert_string_equal(v[1].digest, D2);
	assert_string_equal(v[2].digest, D3);
	assert_string_equal(v[2].media_type, OCI_MT_LAYER_ZSTD);
	oci_descs_free(v, n);
	assert_int_equal(oci_children(OCI_MT_INDEX, ix, strlen(ix), "i", &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].size, 3);
	oci_descs_free(v, n);
	assert_int_equal(oci_sniff_media_type(ix, strlen(ix), "i", &mt, &err), 0);
	assert_string_equal(mt, OCI_MT_INDEX);
	free(mt);
	assert_int_equal(oci_sniff_media_type(manifest_json, strlen(manifest_json), "m", &mt, &err), 0);
	assert_string_equal(mt, OCI_MT_MANIFEST);
	free(mt);
	assert_int_equal(oci_sniff_media_type("{\"a\":1}", 7, "z", &mt, &err), -1);
	assert_string_equal(err.msg, "malformed manifest 'z': neither a manifest nor an index");
}

static void image_config(void **state)
{
	static const char cfg[] =
		"{\"created\":\"1970-01-01T00:00:00Z\",\"architecture\":\"arm64\",\"variant\":\"v8\",\"os\":\"linux\","
		"\"config\":{\"Env\":[\"A=1\"],\"Labels\":{\"dev.xpship.gate.verdict\":\"pass\"}},"
		"\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" D1 "\",\"" D2 "\"]}}";
	static const char bad[] = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"x\"]}}";
	struct oci_config_info c;
	struct xp_error err;

	(void)state;
	if (oci_config_parse(cfg, strlen(cfg), "c", &c, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(c.os, "linux");
	assert_string_equal(c.architecture, "arm64");
	assert_string_equal(c.variant, "v8");
	assert_string_equal(c.created, "1970-01-01T00:00:00Z");
	assert_string_equal(oci_annots_get(&c.labels, "dev.xpship.gate.verdict"), "pass");
	assert_int_equal(c.n_diff_ids, 2);
	assert_string_equal(c.diff_ids[1], D2);
	oci_config_info_release(&c);
	/* null Labels (Docker writes it) is fine */
	assert_int_equal(oci_config_parse("{\"config\":{\"Labels\":null}}", 26, "c", &c, &err), 0);
	assert_int_equal(c.labels.n, 0);
	oci_config_info_release(&c);
	assert_int_equal(oci_config_parse(bad, strlen(bad), "c", &c, &err), -1);
	assert_string_equal(err.msg, "malformed image config 'c': rootfs.diff_ids[0]: expected a sha256 digest");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(manifest_fields_and_round_trip),
		cmocka_unit_test(build_is_canonical),
		cmocka_unit_test(manifest_errors),
		cmocka_unit_test(index_tags),
		cmocka_unit_test(index_errors),
		cmocka_unit_test(children_and_sniff),
		cmocka_unit_test(image_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
