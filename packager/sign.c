/*
 * sign.c — cosign key-based signatures stored beside a bundle (sign.h), and
 * the companion manifests signatures and attestations share (sign_impl.h).
 */
#include "packager/sign_impl.h"
#include "packager/blobcache.h"
#include "common/base64.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "packager/dsse.h"
#include "packager/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *sign_companion_tag(const char *digest, const char *suffix)
{
	return xasprintf("sha256-%s%s", digest_hex(digest), suffix);
}

char *sign_default_identity(struct store *s)
{
	const struct xp_ref *r = store_ref(s);

	if (r->kind != REF_REGISTRY)
		return NULL;
	return xasprintf("%s/%s", r->host, r->repo);
}

int sign_identity(struct store *s, const char *identity, char **out, struct xp_error *err)
{
	if (identity) {
		if (ref_check_identity(identity, err))
			return -1;
		*out = xstrdup(identity);
		return 0;
	}
	*out = sign_default_identity(s);
	if (*out)
		return 0;
	return xp_error_set(err, XP_ERR_USAGE,
			    "cannot sign '%s': a local bundle, whose registry repository is not known yet; "
			    "name it with --identity HOST/REPO (where the bundle will be pushed), "
			    "or sign when pushing: xpship push --sign KEY BUNDLE HOST/REPO",
			    store_name(s));
}

int companion_load(struct store *s, const char *tag, struct oci_manifest *out,
		   struct oci_desc *desc, int *found, struct xp_error *err)
{
	return companion_load_cached(s, NULL, tag, out, desc, found, err);
}

int companion_load_cached(struct store *s, const char *cache, const char *tag,
			  struct oci_manifest *out, struct oci_desc *desc, int *found,
			  struct xp_error *err)
{
	struct oci_desc d;
	char *buf = NULL;
	size_t len;
	int ret;

	memset(out, 0, sizeof(*out));
	if (desc)
		memset(desc, 0, sizeof(*desc));
	*found = 0;
	memset(&d, 0, sizeof(d));
	if (store_resolve(s, tag, &d, err)) {
		if (err && err->cls == XP_ERR_NOT_FOUND) {
			xp_error_clear(err);
			return 0;
		}
		return -1;
	}
	if (oci_is_index_type(d.media_type)) {
		xp_error_set(err, XP_ERR_MALFORMED, "tag '%s' in '%s' is an index, not a manifest",
			     tag, store_name(s));
		oci_desc_release(&d);
		return -1;
	}
	ret = blobcache_fetch_all(cache, s, &d, OCI_MANIFEST_MAX, &buf, &len, NULL, err) ||
	      oci_manifest_parse(buf, len, tag, out, err);
	free(buf);
	if (ret) {
		oci_desc_release(&d);
		return -1;
	}
	*found = 1;
	if (desc)
		*desc = d;
	else
		oci_desc_release(&d);
	return 0;
}

/* A minimal image config naming the layers, as cosign writes it. */
static char *companion_config(const struct oci_manifest *m, size_t *len)
{
	json_t *o = json_object(), *rootfs = json_object(), *ids = json_array();
	char *s;
	size_t i;

	for (i = 0; i < m->n_layers; i++)
		json_array_append_new(ids, json_string(m->layers[i].desc.digest));
	json_object_set_new(o, "architecture", json_string(""));
	json_object_set_new(o, "os", json_string(""));
	json_object_set_new(o, "config", json_object());
	json_object_set_new(rootfs, "type", json_string("layers"));
	json_object_set_new(rootfs, "diff_ids", ids);
	json_object_set_new(o, "rootfs", rootfs);
	s = oci_json_dump(o, len);
	json_decref(o);
	return s;
}

int companion_store(struct store *s, const struct oci_desc *subject, const char *tag,
		    struct oci_manifest *m, struct oci_desc *out, struct xp_error *err)
{
	struct oci_desc md;
	char *cfg, *json;
	size_t len;
	int ret;

	free(m->media_type);
	m->media_type = xstrdup(OCI_MT_MANIFEST);
	if (!m->subject)
		m->subject = xcalloc(1, sizeof(*m->subject));
	else
		oci_desc_release(m->subject);
	oci_desc_copy(m->subject, subject);
	oci_entry_release(&m->config);
	cfg = companion_config(m, &len);
	ret = store_push_buf(s, OCI_MT_CONFIG, cfg, len, &m->config.desc, err);
	free(cfg);
	if (ret)
		return -1;
	json = oci_manifest_build(m, &len);
	memset(&md, 0, sizeof(md));
	ret = store_push_buf(s, OCI_MT_MANIFEST, json, len, &md, err) ||
	      store_tag(s, &md, tag, err);
	free(json);
	if (!ret && out)
		*out = md;
	else
		oci_desc_release(&md);
	return ret ? -1 : 0;
}

/* 1 when a layer of m already holds `payload` with a signature by k. */
static int already_signed(const struct oci_manifest *m, const char *payload_digest,
			  const char *payload, size_t len, const struct sign_key *k)
{
	size_t i;

	for (i = 0; i < m->n_layers; i++) {
		const struct oci_entry *l = &m->layers[i];
		const char *b64 = oci_annots_get(&l->annotations, COSIGN_ANN_SIGNATURE);
		unsigned char *sig;
		size_t sig_len;
		int ok;

		if (strcmp(l->desc.digest, payload_digest) != 0 || !b64 ||
		    b64_decode_loose(b64, strlen(b64), &sig, &sig_len))
			continue;
		ok = key_verify(k, payload, len, sig, sig_len, NULL) == 0;
		free(sig);
		if (ok)
			return 1;
	}
	return 0;
}

int sign_bundle(struct store *s, const struct oci_desc *m, const struct sign_key *k,
		const char *identity, struct sign_result *out, struct xp_error *err)
{
	struct oci_manifest sm;
	struct oci_entry layer;
	struct oci_desc sd;
	unsigned char *sig = NULL;
	char *tag, *payload, *b64, *id, pd[XP_DIGEST_SIZE];
	size_t len, sig_len;
	int found, ret = -1;

	if (sign_identity(s, identity, &id, err))
		return -1;
	memset(&layer, 0, sizeof(layer));
	memset(&sd, 0, sizeof(sd));
	tag = sign_companion_tag(m->digest, ".sig");
	payload = cosign_payload(id, m->digest, &len);
	free(id);
	digest_buf(payload, len, pd);
	if (companion_load(s, tag, &sm, &sd, &found, err))
		goto out;
	if (found && already_signed(&sm, pd, payload, len, k)) {
		out->added = 0;
		goto done;
	}
	if (key_sign(k, payload, len, &sig, &sig_len, err))
		goto out;
	if (store_push_buf(s, COSIGN_MT_SIMPLESIGNING, payload, len, &layer.desc, err))
		goto out;
	b64 = b64_encode(sig, sig_len, NULL);
	oci_annots_set(&layer.annotations, COSIGN_ANN_SIGNATURE, b64);
	free(b64);
	oci_manifest_add_layer(&sm, &layer);
	oci_desc_release(&sd);
	if (companion_store(s, m, tag, &sm, &sd, err))
		goto out;
	out->added = 1;
done:
	snprintf(out->tag, sizeof(out->tag), "%s", tag);
	snprintf(out->digest, sizeof(out->digest), "%s", sd.digest);
	out->n_signatures = sm.n_layers;
	ret = 0;
out:
	oci_entry_release(&layer);
	oci_manifest_release(&sm);
	oci_desc_release(&sd);
	free(sig);
	free(payload);
	free(tag);
	return ret;
}

int sign_on_copy_hook(struct store *dst, const struct oci_desc *m, void *ctx,
		      struct xp_error *err)
{
	struct sign_on_copy *sc = ctx;

	return sign_bundle(dst, m, sc->key, sc->identity, &sc->result, err);
}
