/*
 * fuzz_unpack.c — libFuzzer target: unpacking a layer (packager/unpack.c).
 * The input is the layer blob of a one-layer image in a scratch layout; it is
 * unpacked into box/out. Whatever the bytes, nothing may appear or change
 * outside box/ (a sentinel file beside it keeps its content), and a failed
 * unpack leaves box/ empty.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/strbuf.h"
#include "packager/oci.h"
#include "packager/store.h"
#include "packager/unpack.h"
#include "tests/unit/test_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SENTINEL "do not touch\n"

static char *work, *box, *out, *sentinel;
static struct store *st;

static void setup(void)
{
	struct store_opts o;
	struct xp_ref ref;
	struct xp_error err;
	FILE *f;

	work = tmp_dir("fuzz-unpack");
	if (!work)
		__builtin_trap();
	box = xasprintf("%s/box", work);
	out = xasprintf("%s/out", box);
	sentinel = xasprintf("%s/sentinel", work);
	if (mkdir(box, 0755) < 0 || !(f = fopen(sentinel, "w")))
		__builtin_trap();
	fputs(SENTINEL, f);
	fclose(f);
	memset(&o, 0, sizeof(o));
	memset(&ref, 0, sizeof(ref));
	o.create = 1;
	ref.kind = REF_LAYOUT;
	ref.path = xasprintf("%s/layout", work);
	if (store_open(&ref, &o, &st, &err))
		__builtin_trap();
	free(ref.path);
}

/* Only box, layout and sentinel in work; the sentinel intact. */
static void check_outside(void)
{
	DIR *d = opendir(work);
	struct dirent *e;
	char buf[64] = "";
	FILE *f;

	if (!d)
		__builtin_trap();
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "box") &&
		    strcmp(e->d_name, "layout") && strcmp(e->d_name, "sentinel"))
			__builtin_trap();
	closedir(d);
	f = fopen(sentinel, "r");
	if (!f || !fgets(buf, sizeof(buf), f) || strcmp(buf, SENTINEL) != 0)
		__builtin_trap();
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char config[] = "{\"architecture\":\"amd64\",\"os\":\"linux\"}";
	struct oci_manifest m;
	struct oci_entry layer;
	struct oci_desc md;
	struct xp_error err;
	char *json, *blob;
	size_t len;
	int ret;

	if (!work)
		setup();
	memset(&m, 0, sizeof(m));
	memset(&layer, 0, sizeof(layer));
	m.media_type = xstrdup(OCI_MT_MANIFEST);
	if (store_push_buf(st, OCI_MT_CONFIG, config, strlen(config), &m.config.desc, &err) ||
	    store_push_buf(st, OCI_MT_LAYER, data, size, &layer.desc, &err))
		__builtin_trap();
	oci_manifest_add_layer(&m, &layer);
	json = oci_manifest_build(&m, &len);
	if (store_push_buf(st, OCI_MT_MANIFEST, json, len, &md, &err))
		__builtin_trap();
	ret = unpack_bundle(st, &md, out, 0, NULL, NULL, &err);
	check_outside();
	if (ret) {
		if (!err.msg[0] || !dir_is_empty(box))
			__builtin_trap();
	} else {
		tmp_rm_rf(out);
	}
	/* keep the scratch layout small */
	blob = xasprintf("%s/layout/blobs/sha256/%s", work, digest_hex(layer.desc.digest));
	unlink(blob);
	free(blob);
	blob = xasprintf("%s/layout/blobs/sha256/%s", work, digest_hex(md.digest));
	unlink(blob);
	free(blob);
	free(json);
	oci_desc_release(&md);
	oci_entry_release(&layer);
	oci_manifest_release(&m);
	return 0;
}
