/*
 * dsse.c — DSSE envelopes and cosign simple-signing payloads (see dsse.h).
 */
#include "packager/dsse.h"
#include "common/base64.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

unsigned char *dsse_pae(const char *type, const void *body, size_t len, size_t *out_len)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "DSSEv1 %zu %s %zu ", strlen(type), type, len);
	strbuf_add(&sb, body, len);
	return (unsigned char *)strbuf_detach(&sb, out_len);
}

static void set_new(json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v))
		abort();
}

static char *dump(json_t *j, size_t *len)
{
	char *s = json_dumps(j, JSON_COMPACT);

	if (!s)
		abort();
	if (len)
		*len = strlen(s);
	return s;
}

int dsse_sign(const struct sign_key *k, const char *payload_type, const void *payload,
	      size_t len, char **envelope, size_t *env_len, struct xp_error *err)
{
	unsigned char *pae, *sig;
	size_t pae_len, sig_len;
	json_t *env, *sigs, *one;
	char *b64;

	pae = dsse_pae(payload_type, payload, len, &pae_len);
	if (key_sign(k, pae, pae_len, &sig, &sig_len, err)) {
		free(pae);
		return -1;
	}
	free(pae);
	env = json_object();
	set_new(env, "payloadType", json_string(payload_type));
	b64 = b64_encode(payload, len, NULL);
	set_new(env, "payload", json_string(b64));
	free(b64);
	one = json_object();
	set_new(one, "keyid", json_string(key_id(k)));
	b64 = b64_encode(sig, sig_len, NULL);
	set_new(one, "sig", json_string(b64));
	free(b64);
	free(sig);
	sigs = json_array();
	json_array_append_new(sigs, one);
	set_new(env, "signatures", sigs);
	*envelope = dump(env, env_len);
	json_decref(env);
	return 0;
}

static const char *str_field(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int dsse_verify(const struct sign_key *k, const char *envelope, size_t len,
		char **payload_type, char **payload, size_t *payload_len,
		struct xp_error *err)
{
	const char *type, *p64;
	unsigned char *body = NULL, *pae = NULL;
	size_t body_len = 0, pae_len = 0, i, n;
	json_error_t je;
	json_t *env, *sigs;
	int ret = -1;

	env = json_loadb(envelope, len, JSON_REJECT_DUPLICATES, &je);
	if (!env)
		return xp_error_set(err, XP_ERR_MALFORMED, "malformed DSSE envelope: %s (line %d, column %d)",
				    je.text, je.line, je.column);
	type = str_field(env, "payloadType");
	p64 = str_field(env, "payload");
	sigs = json_object_get(env, "signatures");
	if (!json_is_object(env) || !type || !p64 || !json_is_array(sigs)) {
		xp_error_set(err, XP_ERR_MALFORMED,
			     "malformed DSSE envelope: needs payloadType, payload and signatures");
		goto out;
	}
	if (b64_decode_loose(p64, strlen(p64), &body, &body_len)) {
		xp_error_set(err, XP_ERR_MALFORMED, "malformed DSSE envelope: payload is not base64");
		goto out;
	}
	n = json_array_size(sigs);
	if (!n) {
		xp_error_set(err, XP_ERR_REFUSED, "DSSE envelope has no signatures");
		goto out;
	}
	pae = dsse_pae(type, body, body_len, &pae_len);
	for (i = 0; i < n; i++) {
		const char *s64 = str_field(json_array_get(sigs, i), "sig");
		unsigned char *sig;
		size_t sig_len;
		int bad;

		if (!s64 || b64_decode_loose(s64, strlen(s64), &sig, &sig_len)) {
			xp_error_set(err, XP_ERR_MALFORMED,
				     "malformed DSSE envelope: signatures[%zu].sig is not base64", i);
			goto out;
		}
		bad = key_verify(k, pae, pae_len, sig, sig_len, err);
		free(sig);
		if (!bad)
			break;
	}
	if (i == n) {
		if (n > 1)
			xp_error_set(err, XP_ERR_INTEGRITY, "none of its %zu signatures matches %s key %.12s",
				     n, key_type_name(k), key_id(k));
		goto out;
	}
	*payload_type = xstrdup(type);
	*payload = (char *)body;
	*payload_len = body_len;
	body = NULL;
	ret = 0;
out:
	free(body);
	free(pae);
	json_decref(env);
	return ret;
}

char *cosign_payload(const char *identity, const char *digest, size_t *len)
{
	json_t *root = json_object(), *crit = json_object(), *id = json_object(),
	       *img = json_object();
	char *s;

	set_new(id, "docker-reference", json_string(identity));
	set_new(img, "docker-manifest-digest", json_string(digest));
	set_new(crit, "identity", id);
	set_new(crit, "image", img);
	set_new(crit, "type", json_string(COSIGN_SIG_TYPE));
	set_new(root, "critical", crit);
	set_new(root, "optional", json_null());
	s = dump(root, len);
	json_decref(root);
	return s;
}

int cosign_payload_check(const char *payload, size_t len, const char *digest,
			 char **identity, struct xp_error *err)
{
	const json_t *crit, *img, *idobj;
	const char *type, *d, *ref;
	json_error_t je;
	json_t *root;
	int ret = -1;

	root = json_loadb(payload, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return xp_error_set(err, XP_ERR_MALFORMED, "malformed signature payload: %s (line %d, column %d)",
				    je.text, je.line, je.column);
	crit = json_object_get(root, "critical");
	img = json_object_get(crit, "image");
	idobj = json_object_get(crit, "identity");
	type = str_field(crit, "type");
	d = str_field(img, "docker-manifest-digest");
	ref = str_field(idobj, "docker-reference");
	if (!type || !d) {
		xp_error_set(err, XP_ERR_MALFORMED,
			     "malformed signature payload: needs critical.type and critical.image.docker-manifest-digest");
		goto out;
	}
	if (strcmp(type, COSIGN_SIG_TYPE) != 0) {
		xp_error_set(err, XP_ERR_REFUSED, "signature payload has type '%.100s', not '%s'", type,
			     COSIGN_SIG_TYPE);
		goto out;
	}
	if (strcmp(d, digest) != 0) {
		xp_error_set(err, XP_ERR_INTEGRITY, "signature payload is for '%.80s', not this manifest", d);
		goto out;
	}
	if (identity)
		*identity = xstrdup(ref ? ref : "");
	ret = 0;
out:
	json_decref(root);
	return ret;
}
