/*
 * bundle_profile.c — a bundle's data profile (see bundle.h): `pack --profile`
 * puts the profile at <prefix>/.xpship/profile.json in a layer of its own and
 * its digest in the dev.xpship.profile.digest annotation, so a reader fetches
 * the manifest and that one layer, never the weights.
 */
#include "packager/bundle.h"

#include "common/digest.h"
#include "common/strbuf.h"
#include "packager/image.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

int bundle_is_profile_path(const char *name)
{
	static const char tail[] = BUNDLE_DIR "/" BUNDLE_PROFILE_FILE;
	size_t n = strlen(name), m = sizeof(tail) - 1;

	if (n == m)
		return strcmp(name, tail) == 0;
	return n > m && name[n - m - 1] == '/' && strcmp(name + n - m, tail) == 0;
}

static const struct oci_entry *profile_layer(const struct oci_manifest *m)
{
	size_t i;

	for (i = 0; i < m->n_layers; i++) {
		const char *p = oci_annots_get(&m->layers[i].annotations, BUNDLE_ANN_LAYER_PATH);

		if (!p)
			p = oci_annots_get(&m->layers[i].annotations, MODELPACK_ANN_FILEPATH);
		if (p && bundle_is_profile_path(p))
			return &m->layers[i];
	}
	return NULL;
}

/* The one regular file in a (possibly compressed) tar held in memory. */
static int untar_one(const char *tar, size_t tlen, const char *what, char **out, size_t *len,
		     struct xp_error *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct strbuf sb = STRBUF_INIT;
	int r, ret = -1;

	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_memory(a, tar, tlen) != ARCHIVE_OK)
		goto bad;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		char buf[16384];
		la_ssize_t n;

		if (archive_entry_filetype(e) != AE_IFREG ||
		    !bundle_is_profile_path(archive_entry_pathname(e)))
			continue;
		while ((n = archive_read_data(a, buf, sizeof(buf))) > 0) {
			if (sb.len + (size_t)n > BUNDLE_PROFILE_MAX) {
				xp_error_set(err, XP_ERR_MALFORMED, "profile layer '%s': larger than %u bytes",
					     what, BUNDLE_PROFILE_MAX);
				goto out;
			}
			strbuf_add(&sb, buf, (size_t)n);
		}
		if (n < 0)
			goto bad;
		*len = sb.len;
		*out = strbuf_detach(&sb, NULL);
		ret = 0;
		goto out;
	}
	if (r == ARCHIVE_EOF) {
		xp_error_set(err, XP_ERR_MALFORMED, "profile layer '%s': no %s/%s in it", what,
			     BUNDLE_DIR, BUNDLE_PROFILE_FILE);
		goto out;
	}
bad:
	xp_error_set(err, XP_ERR_MALFORMED, "profile layer '%s': %s", what,
		     archive_error_string(a) ? archive_error_string(a) : "not a tar");
out:
	strbuf_release(&sb);
	archive_read_free(a);
	return ret;
}

int bundle_fetch_profile(struct store *s, const struct oci_desc *d, char **out, size_t *len,
			 struct xp_error *err)
{
	struct oci_desc mdesc;
	struct oci_manifest m;
	const struct oci_entry *l;
	const char *want;
	char *tar = NULL, *buf = NULL, digest[XP_DIGEST_SIZE];
	size_t tlen, blen;
	int ret = -1;

	if (bundle_load_manifest(s, d, &mdesc, &m, err))
		return -1;
	l = profile_layer(&m);
	if (!l) {
		xp_error_set(err, XP_ERR_MALFORMED,
			     "bundle '%s' has no profile layer (pack it with --profile)", mdesc.digest);
		goto out;
	}
	if (l->desc.size > (int64_t)BUNDLE_PROFILE_MAX * 2) {
		xp_error_set(err, XP_ERR_MALFORMED, "profile layer '%s': larger than %u bytes",
			     l->desc.digest, BUNDLE_PROFILE_MAX * 2);
		goto out;
	}
	if (store_fetch_all(s, &l->desc, (size_t)BUNDLE_PROFILE_MAX * 2, &tar, &tlen, err) ||
	    untar_one(tar, tlen, l->desc.digest, &buf, &blen, err))
		goto out;
	want = oci_annots_get(&m.annotations, BUNDLE_ANN_PROFILE_DIGEST);
	digest_buf(buf, blen, digest);
	if (want && strcmp(want, digest) != 0) {
		xp_error_set(err, XP_ERR_INTEGRITY,
			     "profile in bundle '%s': digest %s, the manifest says %s", mdesc.digest,
			     digest, want);
		goto out;
	}
	*out = buf;
	*len = blen;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	free(tar);
	oci_manifest_release(&m);
	oci_desc_release(&mdesc);
	return ret;
}
