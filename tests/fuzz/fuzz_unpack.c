/*
 * fuzz_unpack.c — libFuzzer target: unpacking a layer (packager/unpack.c).
 * The input is the second layer blob of a two-layer image in a scratch
 * layout, over a fixed first layer (directories, files, a link) for its
 * whiteouts, opaque markers and replacements to act on; it is unpacked into
 * box/out with a small --max-size. Whatever the bytes, nothing may appear or
 * change outside box/ (a sentinel file beside it keeps its content), a failed
 * unpack leaves box/ empty, and what a successful one wrote carries no
 * setuid, setgid, sticky or group/world-writable bit.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <ftw.h>
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
#define MAX_SIZE (8u << 20)

static char *work, *box, *out, *sentinel;
static struct store *st;
static struct oci_entry base;

/* The first layer: what the input's whiteouts can aim at. */
static void base_layer(void)
{
	static const struct {
		const char *name;
		mode_t type, perm;
		const char *data;
	} entries[] = {
		{"d", AE_IFDIR, 0755, NULL},
		{"d/f.txt", AE_IFREG, 0644, "f\n"},
		{"d/sub", AE_IFDIR, 0755, NULL},
		{"d/sub/g.bin", AE_IFREG, 0755, "g\n"},
		{"lnk", AE_IFLNK, 0777, "d"},
		{"top.txt", AE_IFREG, 0644, "top\n"},
	};
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	struct xp_error err;
	static char buf[16384];
	size_t used = 0, i;

	if (!a || !e || archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_open_memory(a, buf, sizeof(buf), &used) != ARCHIVE_OK)
		__builtin_trap();
	for (i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		archive_entry_clear(e);
		archive_entry_set_pathname(e, entries[i].name);
		archive_entry_set_filetype(e, entries[i].type);
		archive_entry_set_perm(e, entries[i].perm);
		if (entries[i].type == AE_IFLNK)
			archive_entry_set_symlink(e, entries[i].data);
		else if (entries[i].data)
			archive_entry_set_size(e, (la_int64_t)strlen(entries[i].data));
		if (archive_write_header(a, e) != ARCHIVE_OK)
			__builtin_trap();
		if (entries[i].type == AE_IFREG &&
		    archive_write_data(a, entries[i].data, strlen(entries[i].data)) < 0)
			__builtin_trap();
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		__builtin_trap();
	archive_write_free(a);
	archive_entry_free(e);
	if (store_push_buf(st, OCI_MT_LAYER, buf, used, &base.desc, &err))
		__builtin_trap();
}

static int mode_ok(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)path;
	(void)flag;
	if (ftw->level > 0 && !S_ISLNK(sb->st_mode) && (sb->st_mode & 07022))
		__builtin_trap();
	return 0;
}

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
	base_layer();
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
	oci_manifest_add_layer(&m, &base);
	oci_manifest_add_layer(&m, &layer);
	json = oci_manifest_build(&m, &len);
	if (store_push_buf(st, OCI_MT_MANIFEST, json, len, &md, &err))
		__builtin_trap();
	ret = unpack_bundle(st, &md, out, MAX_SIZE, NULL, NULL, &err);
	check_outside();
	if (ret) {
		if (!err.msg[0] || !dir_is_empty(box))
			__builtin_trap();
	} else {
		if (nftw(out, mode_ok, 16, FTW_PHYS) != 0)
			__builtin_trap();
		tmp_rm_rf(out);
	}
	/* keep the scratch layout small */
	if (strcmp(layer.desc.digest, base.desc.digest) != 0) {
		blob = xasprintf("%s/layout/blobs/sha256/%s", work, digest_hex(layer.desc.digest));
		unlink(blob);
		free(blob);
	}
	blob = xasprintf("%s/layout/blobs/sha256/%s", work, digest_hex(md.digest));
	unlink(blob);
	free(blob);
	free(json);
	oci_desc_release(&md);
	oci_entry_release(&layer);
	oci_manifest_release(&m);
	return 0;
}
