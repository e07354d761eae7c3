/* test_sign.c — signing building blocks: base64 (common/base64.c), keys
 * (packager/keys.c), companion tags (packager/ref.c). */
#include "tests/unit/test_common.h"
#include "tests/unit/test_tmp.h"
#include "common/base64.h"
#include "cmd/exitcode.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "packager/dsse.h"
#include "packager/keys.h"
#include "packager/keys_cosign.h"
#include "packager/sign.h"
#include "packager/ref.h"

#include <sys/stat.h>

#include <jansson.h>

static void base64_vectors(void **state)
{
	static const struct { const char *in, *out; } v[] = {   /* RFC 4648 §10 */
		{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
		{"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
		{"\xfb\xff", "+/8="},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unsigned char *dec;
		size_t n;
		char *enc = b64_encode(v[i].in, strlen(v[i].in), &n);

		assert_string_equal(enc, v[i].out);
		assert_int_equal(n, strlen(v[i].out));
		assert_int_equal(b64_decode(enc, n, &dec, &n), 0);
		assert_int_equal(n, strlen(v[i].in));
		assert_memory_equal(dec, v[i].in, n);
		free(dec);
		free(enc);
	}
}

static void base64_rejects(void **state)
{
	static const struct { const char *in; int strict, loose; size_t len; } v[] = {
		{"Zg==", 0, 0, 1},
		{"Zg", -1, 0, 1},          /* unpadded: loose only */
		{"Zm8", -1, 0, 2},
		{"Z", -1, -1, 0},          /* impossible length */
		{"Zg=", -1, -1, 0},        /* short padding */
		{"Zh==", -1, -1, 0},       /* non-zero trailing bits */
		{"Zg==Zg==", -1, -1, 0},   /* data after padding */
		{"Zm9v\n", -1, 0, 3},      /* whitespace: loose only */
		{"-_8=", -1, 0, 2},        /* URL-safe: loose only */
		{"Zm9v!", -1, -1, 0},
		{"====", -1, -1, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unsigned char *dec = NULL;
		size_t n = 0;

		assert_int_equal(b64_decode(v[i].in, strlen(v[i].in), &dec, &n), v[i].strict);
		free(dec);
		dec = NULL;
		assert_int_equal(b64_decode_loose(v[i].in, strlen(v[i].in), &dec, &n), v[i].loose);
		if (!v[i].loose)
			assert_int_equal(n, v[i].len);
		free(dec);
	}
}

static void companion_tags(void **state)
{
	static const char hex[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	static const struct { const char *suffix; int want; } v[] = {
		{".sig", 1}, {".att", 1}, {".sbom", 1}, {"", 1}, {".sig2", 0}, {".SIG", 0}, {"x", 0},
	};
	char tag[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(tag, sizeof(tag), "sha256-%s%s", hex, v[i].suffix);
		assert_int_equal(ref_is_companion_tag(tag), v[i].want);
	}
	assert_int_equal(ref_is_companion_tag("sha256-0123.sig"), 0);
	assert_int_equal(ref_is_companion_tag("v1.4.0"), 0);
	assert_int_equal(ref_is_companion_tag("sha256-0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef.sig"), 0);
	assert_int_equal(ref_is_companion_tag(NULL), 0);
}

struct keycase {
	enum key_type type;
	const char *name;
	const char *pass;
};

static const struct keycase key_cases[] = {
	{KEY_ECDSA_P256, "ecdsa-p256", NULL},
	{KEY_ED25519, "ed25519", NULL},
	{KEY_RSA, "rsa-3072", NULL},
	{KEY_ECDSA_P256, "ecdsa-p256", "correct horse"},
	{KEY_ED25519, "ed25519", "correct horse"},
};

/* generate → write → read back → sign → verify; tamper → an integrity error */
static void key_roundtrip(void **state)
{
	char *dir = tmp_dir("keys");
	size_t i;

	(void)state;
	assert_non_null(dir);
	for (i = 0; i < sizeof(key_cases) / sizeof(key_cases[0]); i++) {
		const struct keycase *kc = &key_cases[i];
		char *prefix = xasprintf("%s/k%zu", dir, i), *path = xasprintf("%s.key", prefix);
		char *pubpath = xasprintf("%s.pub", prefix), *pem;
		struct sign_key *k, *priv = NULL, *pub = NULL;
		unsigned char *sig;
		size_t len, sig_len;
		struct xp_error err;
		struct stat st;

		assert_int_equal(key_generate(kc->type, &k, &err), 0);
		assert_string_equal(key_type_name(k), kc->name);
		assert_int_equal(key_write_pair(k, prefix, kc->pass, kc->pass ? strlen(kc->pass) : 0,
						0, &err), 0);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		/* a second write is refused without force */
		assert_int_equal(key_write_pair(k, prefix, NULL, 0, 0, &err), -1);
		assert_int_equal(err.cls, XP_ERR_USAGE);
		assert_int_equal(tmp_count_hidden(dir), 0);

		assert_int_equal(key_source_read(path, &pem, &len, &err), 0);
		assert_int_equal(key_pem_is_encrypted(pem, len), kc->pass != NULL);
		if (kc->pass) {
			assert_int_equal(key_load_private(pem, len, "k", NULL, 0, &priv, &err), -1);
			assert_non_null(strstr(err.msg, "encrypted"));
			assert_int_equal(key_load_private(pem, len, "k", "wrong", 5, &priv, &err), -1);
			assert_int_equal(err.cls, XP_ERR_USAGE);
			assert_non_null(strstr(err.msg, "wrong passphrase"));
		}
		assert_int_equal(key_load_private(pem, len, "k", kc->pass,
						  kc->pass ? strlen(kc->pass) : 0, &priv, &err), 0);
		key_secret_free(pem, len);
		assert_int_equal(key_read_public(pubpath, &pub, &err), 0);
		assert_string_equal(key_id(pub), key_id(k));
		assert_string_equal(key_id(priv), key_id(k));

		assert_int_equal(key_sign(priv, "payload", 7, &sig, &sig_len, &err), 0);
		assert_int_equal(key_verify(pub, "payload", 7, sig, sig_len, &err), 0);
		assert_int_equal(key_verify(pub, "paylaod", 7, sig, sig_len, &err), -1);
		assert_int_equal(err.cls, XP_ERR_INTEGRITY);
		assert_int_equal(key_verify(pub, "payload", 7, sig, sig_len - 1, &err), -1);
		assert_int_equal(err.cls, XP_ERR_INTEGRITY);
		sig[sig_len / 2] ^= 1;
		assert_int_equal(key_verify(pub, "payload", 7, sig, sig_len, &err), -1);
		assert_int_equal(err.cls, XP_ERR_INTEGRITY);
		/* a public key cannot sign */
		free(sig);
		assert_int_equal(key_sign(pub, "x", 1, &sig, &sig_len, &err), -1);

		key_free(k);
		key_free(priv);
		key_free(pub);
		free(prefix);
		free(path);
		free(pubpath);
	}
	tmp_rm_rf(dir);
	free(dir);
}

/* A file signature equals the in-memory one (deterministic Ed25519) and
 * verifies either way. */
static void key_file_signatures(void **state)
{
	char *dir = tmp_dir("keys"), *path;
	size_t i;

	(void)state;
	path = xasprintf("%s/blob", dir);
	assert_int_equal(file_write_atomic(path, "model bytes\n", 12, 0644, NULL), 0);
	for (i = 0; i < 3; i++) {
		struct sign_key *k;
		unsigned char *a, *b;
		size_t al, bl;
		struct xp_error err;

		assert_int_equal(key_generate(key_cases[i].type, &k, &err), 0);
		assert_int_equal(key_sign_file(k, path, &a, &al, &err), 0);
		assert_int_equal(key_sign(k, "model bytes\n", 12, &b, &bl, &err), 0);
		assert_int_equal(key_verify_file(k, path, b, bl, &err), 0);
		assert_int_equal(key_verify(k, "model bytes\n", 12, a, al, &err), 0);
		if (key_cases[i].type != KEY_ECDSA_P256) {   /* deterministic */
			assert_int_equal(al, bl);
			assert_memory_equal(a, b, al);
		}
		assert_int_equal(key_verify(k, "model bytes!", 12, a, al, &err), -1);
		assert_int_equal(key_verify_file(k, dir, a, al, &err), -1);
		assert_int_not_equal(err.cls, XP_ERR_INTEGRITY);
		free(a);
		free(b);
		key_free(k);
	}
	free(path);
	tmp_rm_rf(dir);
	free(dir);
}

static void key_sources(void **state)
{
	struct sign_key *k = NULL;
	struct xp_error err;
	char *pem;
	size_t len;

	(void)state;
	assert_int_equal(key_generate(KEY_ED25519, &k, &err), 0);
	pem = key_public_pem(k);
	setenv("XPSHIP_TEST_PUB", pem, 1);
	free(pem);
	key_free(k);
	assert_int_equal(key_read_public("env://XPSHIP_TEST_PUB", &k, &err), 0);
	assert_string_equal(key_type_name(k), "ed25519");
	key_free(k);
	unsetenv("XPSHIP_TEST_PUB");
	assert_int_equal(key_source_read("env://XPSHIP_TEST_PUB", &pem, &len, &err), -1);
	assert_int_equal(err.cls, XP_ERR_USAGE);
	assert_string_equal(err.msg, "cannot read key 'env://XPSHIP_TEST_PUB': environment variable XPSHIP_TEST_PUB is not set");
	assert_int_equal(key_source_read("env://", &pem, &len, &err), -1);
	assert_int_equal(key_load_public("junk", 4, "j", &k, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	assert_string_equal(err.msg, "cannot load key 'j': not a PEM public key");
	assert_int_equal(key_load_private("-----BEGIN PUBLIC KEY-----", 26, "p", NULL, 0, &k, &err), -1);
	assert_string_equal(err.msg, "cannot load key 'p': it is a public key (signing needs the private key)");
}

/* PAE per the DSSE spec, including its published example. */
static void pae_bytes(void **state)
{
	static const struct { const char *type, *body, *want; } v[] = {
		{"http://example.com/HelloWorld", "hello world",
		 "DSSEv1 29 http://example.com/HelloWorld 11 hello world"},
		{"", "", "DSSEv1 0  0 "},
		{"application/vnd.in-toto+json", "{}", "DSSEv1 28 application/vnd.in-toto+json 2 {}"},
	};
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unsigned char *p = dsse_pae(v[i].type, v[i].body, strlen(v[i].body), &n);

		assert_int_equal(n, strlen(v[i].want));
		assert_memory_equal(p, v[i].want, n);
		free(p);
	}
	/* a body with a NUL byte counts it */
	{
		unsigned char *p = dsse_pae("t", "a\0b", 3, &n);

		assert_int_equal(n, strlen("DSSEv1 1 t 3 ") + 3);
		assert_memory_equal(p + n - 3, "a\0b", 3);
		free(p);
	}
}

static void cosign_payload_bytes(void **state)
{
	static const char d[] = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct xp_error err;
	char *p, *id = NULL;
	size_t len;

	(void)state;
	p = cosign_payload("registry.example/team/model", d, &len);
	assert_string_equal(p, "{\"critical\":{\"identity\":{\"docker-reference\":"
			       "\"registry.example/team/model\"},\"image\":{\"docker-manifest-digest\":"
			       "\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"},"
			       "\"type\":\"cosign container image signature\"},\"optional\":null}");
	assert_int_equal(len, strlen(p));
	assert_int_equal(cosign_payload_check(p, len, d, &id, &err), 0);
	assert_string_equal(id, "registry.example/team/model");
	free(id);
	assert_int_equal(cosign_payload_check(p, len, OCI_EMPTY_DIGEST, NULL, &err), -1);
	assert_int_equal(err.cls, XP_ERR_INTEGRITY);
	assert_int_equal(cosign_payload_check("{}", 2, d, NULL, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	assert_int_equal(cosign_payload_check("{", 1, d, NULL, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	free(p);
}

/* sign → verify for each key type; the envelope's payload and type come
 * back; altered envelopes fail with the right class. */
static void dsse_roundtrip(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct sign_key *k, *other;
		struct xp_error err;
		char *env, *type, *payload;
		size_t len, plen;
		json_t *j;
		char *alt;

		assert_int_equal(key_generate(key_cases[i].type, &k, &err), 0);
		assert_int_equal(key_generate(key_cases[i].type, &other, &err), 0);
		assert_int_equal(dsse_sign(k, INTOTO_PAYLOAD_TYPE, "{\"a\":1}", 7, &env, &len, &err), 0);
		assert_int_equal(dsse_verify(k, env, len, &type, &payload, &plen, &err), 0);
		assert_string_equal(type, INTOTO_PAYLOAD_TYPE);
		assert_int_equal(plen, 7);
		assert_string_equal(payload, "{\"a\":1}");
		free(type);
		free(payload);
		assert_int_equal(dsse_verify(other, env, len, &type, &payload, &plen, &err), -1);
		assert_int_equal(err.cls, XP_ERR_INTEGRITY);
		/* the type is signed too */
		j = json_loads(env, 0, NULL);
		json_object_set_new(j, "payloadType", json_string("text/plain"));
		alt = json_dumps(j, JSON_COMPACT);
		assert_int_equal(dsse_verify(k, alt, strlen(alt), &type, &payload, &plen, &err), -1);
		assert_int_equal(err.cls, XP_ERR_INTEGRITY);
		free(alt);
		json_object_set_new(j, "payload", json_string("!!"));
		alt = json_dumps(j, JSON_COMPACT);
		assert_int_equal(dsse_verify(k, alt, strlen(alt), &type, &payload, &plen, &err), -1);
		assert_int_equal(err.cls, XP_ERR_MALFORMED);
		free(alt);
		json_decref(j);
		assert_int_equal(dsse_verify(k, "[]", 2, &type, &payload, &plen, &err), -1);
		assert_int_equal(err.cls, XP_ERR_MALFORMED);
		free(env);
		key_free(k);
		key_free(other);
	}
}

static void statement_and_provenance(void **state)
{
	static const char d[] = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct attest_opts o;
	struct xp_error err;
	char *st, *pred;

	(void)state;
	st = attest_statement("r/m", d, "https://example/p", "{\"x\":1}");
	assert_string_equal(st, "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"r/m\","
				"\"digest\":{\"sha256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}}],"
				"\"predicateType\":\"https://example/p\",\"predicate\":{\"x\":1}}");
	free(st);
	memset(&o, 0, sizeof(o));
	o.builder_id = "local://h";
	o.provenance_json = "{\"externalParameters\":{\"parameters\":{\"lr\":0.1}},"
			    "\"resolvedDependencies\":[{\"uri\":\"d.csv\",\"digest\":{\"sha256\":\"ab\"}}]}";
	o.decision_json = "{\"verdict\":\"pass\",\"policy\":{\"path\":\"g.yaml\",\"digest\":\"sha256:cd\"}}";
	o.started_on = "2026-01-01T00:00:00Z";
	assert_int_equal(attest_provenance_predicate(&o, &pred, &err), 0);
	assert_string_equal(pred,
		"{\"buildDefinition\":{\"buildType\":\"https://xpship.dev/model-release/v1\","
		"\"externalParameters\":{\"parameters\":{\"lr\":0.1},\"policy\":{\"digest\":\"sha256:cd\",\"path\":\"g.yaml\"}},"
		"\"resolvedDependencies\":[{\"uri\":\"d.csv\",\"digest\":{\"sha256\":\"ab\"}}]},"
		"\"runDetails\":{\"builder\":{\"id\":\"local://h\",\"version\":{\"xpship\":\"" XP_VERSION "\"}},"
		"\"metadata\":{\"startedOn\":\"2026-01-01T00:00:00Z\"}}}");
	free(pred);
	o.decision_json = "{\"verdict\":\"perhaps\"}";
	assert_int_equal(attest_provenance_predicate(&o, &pred, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	o.decision_json = NULL;
	o.provenance_json = "{\"externalParameters\":[]}";
	assert_int_equal(attest_provenance_predicate(&o, &pred, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	o.provenance_json = NULL;
	assert_int_equal(attest_provenance_predicate(&o, &pred, &err), 0);
	assert_non_null(strstr(pred, "\"externalParameters\":{},\"resolvedDependencies\":[]"));
	free(pred);
	st = sign_companion_tag(d, ".sig");
	assert_string_equal(st, "sha256-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.sig");
	free(st);
}

/* keygen --format cosign: written, recognised, loaded with the right
 * passphrase (an empty one included), refused with a wrong one. */
static void cosign_key_roundtrip(void **state)
{
	static const struct { enum key_type type; const char *pass; } v[] = {
		{KEY_ECDSA_P256, "correct horse"}, {KEY_ED25519, ""}, {KEY_RSA, "x"},
	};
	char *dir = tmp_dir("cosign-keys");
	size_t i;

	(void)state;
	assert_non_null(dir);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *prefix = xasprintf("%s/c%zu", dir, i), *path = xasprintf("%s.key", prefix), *pem;
		struct sign_key *k, *priv = NULL;
		struct cosign_key_file f;
		struct xp_error err;
		struct stat st;
		size_t len, plen = strlen(v[i].pass);

		assert_int_equal(key_generate(v[i].type, &k, &err), 0);
		assert_int_equal(key_write_pair_as(k, prefix, KEY_FORMAT_COSIGN, v[i].pass, plen, 0,
						   &err), 0);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		assert_int_equal(key_source_read(path, &pem, &len, &err), 0);
		assert_non_null(strstr(pem, "-----BEGIN " COSIGN_PEM_SIGSTORE "-----"));
		assert_true(key_pem_is_cosign(pem, len));
		assert_true(key_pem_is_encrypted(pem, len));
		assert_int_equal(cosign_key_parse(pem, len, "k", &f, &err), 0);
		assert_int_equal(f.n, COSIGN_SCRYPT_N);
		assert_int_equal(f.salt_len, COSIGN_SALT_SIZE);
		assert_int_equal(f.nonce_len, COSIGN_NONCE_SIZE);
		cosign_key_file_release(&f);
		assert_int_equal(key_load_private(pem, len, "k", NULL, 0, &priv, &err), -1);
		assert_int_equal(err.cls, XP_ERR_USAGE);
		assert_int_equal(key_load_private(pem, len, "k", "wrong", 5, &priv, &err), -1);
		assert_int_equal(err.cls, XP_ERR_USAGE);
		assert_string_equal(err.msg, "cannot decrypt key 'k': wrong passphrase or damaged key");
		assert_int_equal(key_load_private(pem, len, "k", v[i].pass, plen, &priv, &err), 0);
		assert_string_equal(key_id(priv), key_id(k));
		assert_string_equal(key_type_name(priv), key_type_name(k));
		key_secret_free(pem, len);
		key_free(k);
		key_free(priv);
		free(prefix);
		free(path);
	}
	assert_int_equal(tmp_rm_rf(dir), 0);
	free(dir);
}

/* What is not a cosign key file says why, as malformed input. */
static void cosign_key_rejects(void **state)
{
	static const struct { const char *json, *msg; } v[] = {
		{"[]", "malformed cosign key 'k': not a JSON object"},
		{"{}", "malformed cosign key 'k': \"kdf\" must be an object"},
		{"{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":65536,\"r\":8}}}",
		 "malformed cosign key 'k': kdf.params needs integers \"N\", \"r\" and \"p\""},
		{"{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":16,\"r\":8,\"p\":1}}}",
		 "unsupported cosign key 'k': scrypt N=16 r=8 p=1 (cosign's are N=32768, 65536 or 131072 with r=8, p=1)"},
		{"{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"\"},"
		 "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"\"},\"ciphertext\":\"\"}",
		 "malformed cosign key 'k': empty kdf.salt"},
		{"{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"c2FsdA==\"},"
		 "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz\"},"
		 "\"ciphertext\":\"c2hvcnQ=\"}",
		 "malformed cosign key 'k': ciphertext of 5 bytes is too short"},
	};
	struct cosign_key_file f;
	struct xp_error err;
	size_t i, len;
	char *b64, *pem;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		b64 = b64_encode(v[i].json, strlen(v[i].json), NULL);
		pem = xasprintf("-----BEGIN %s-----\n%s\n-----END %s-----\n", COSIGN_PEM_COSIGN, b64,
				COSIGN_PEM_COSIGN);
		len = strlen(pem);
		if (strlen(b64) > 64) {   /* PEM lines of 64 characters */
			struct strbuf sb = STRBUF_INIT;
			size_t j;

			for (j = 0; j < strlen(b64); j += 64)
				strbuf_addf(&sb, "%.64s\n", b64 + j);
			free(pem);
			pem = xasprintf("-----BEGIN %s-----\n%s-----END %s-----\n", COSIGN_PEM_COSIGN,
					sb.buf, COSIGN_PEM_COSIGN);
			strbuf_release(&sb);
			len = strlen(pem);
		}
		assert_true(cosign_key_is(pem, len));
		if (cosign_key_parse(pem, len, "k", &f, &err) == 0)
			fail_msg("%zu: parsed", i);
		assert_int_equal(err.cls, XP_ERR_MALFORMED);
		assert_string_equal(err.msg, v[i].msg);
		free(b64);
		free(pem);
	}
	pem = xasprintf("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
	assert_false(cosign_key_is(pem, strlen(pem)));
	assert_int_equal(cosign_key_parse(pem, strlen(pem), "k", &f, &err), -1);
	assert_string_equal(err.msg, "cannot load key 'k': PEM type 'PRIVATE KEY' before the cosign key");
	free(pem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(base64_vectors),
		cmocka_unit_test(base64_rejects),
		cmocka_unit_test(companion_tags),
		cmocka_unit_test(key_roundtrip),
		cmocka_unit_test(key_file_signatures),
		cmocka_unit_test(key_sources),
		cmocka_unit_test(cosign_key_roundtrip),
		cmocka_unit_test(cosign_key_rejects),
		cmocka_unit_test(pae_bytes),
		cmocka_unit_test(cosign_payload_bytes),
		cmocka_unit_test(dsse_roundtrip),
		cmocka_unit_test(statement_and_provenance),
	};
	return cmocka_run_group_tests_name("sign", tests, NULL, NULL);
}
