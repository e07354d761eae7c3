/* test_layer.c — deterministic layers (packager/layer.c) written into a layout
 * store: digests against independent hashes of the stored blob, entry
 * metadata read back with libarchive, compression, and inputs that change. */
#include "tests/unit/test_common.h"
#define TMP_FIXTURE_TAG "layer"
#include "tests/unit/test_tmp.h"
#include "tests/unit/test_store.h"
#include "common/digest.h"
#include "cmd/exitcode.h"
#include "common/strbuf.h"
#include "packager/layer.h"
#include "packager/store.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

/* A file of `size` bytes of a fixed pattern; returns its path. */
static char *mkfile(const char *name, size_t size)
{
	char *p = xasprintf("%s/%s", tmp_fixture, name);
	FILE *f = fopen(p, "wb");
	size_t i;

	assert_non_null(f);
	for (i = 0; i < size; i++)
		fputc((int)((i * 7 + i / 4096) & 0xff), f);
	fclose(f);
	return p;
}

static char *blob_path(const char *digest)
{
	return xasprintf("%s/out/blobs/sha256/%s", tmp_fixture, digest_hex(digest));
}

static void entry(struct tree_entry *e, const char *name, enum tree_type type, char *src,
		  uint64_t size)
{
	memset(e, 0, sizeof(*e));
	e->name = (char *)name;
	e->type = type;
	e->src = src;
	e->size = size;
	e->mode = type == TREE_DIR ? 0755 : 0644;
}

static int write_layer_threads(const struct tree_entry *v, size_t n, enum layer_compression c,
			       int threads, struct layer_result *r, struct xp_error *err)
{
	const struct tree_entry **ptrs = xcalloc(n, sizeof(*ptrs));
	struct layer_opts o;
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		ptrs[i] = &v[i];
	memset(&o, 0, sizeof(o));
	o.compression = c;
	o.threads = threads;
	rc = layer_write(st, ptrs, n, &o, r, err);
	free(ptrs);
	return rc;
}

static int write_layer(const struct tree_entry *v, size_t n, enum layer_compression c,
		       int64_t mtime, struct layer_result *r, struct xp_error *err)
{
	const struct tree_entry *ptrs[8];
	struct layer_opts o;
	size_t i;

	for (i = 0; i < n; i++)
		ptrs[i] = &v[i];
	memset(&o, 0, sizeof(o));
	o.compression = c;
	o.mtime = mtime;
	return layer_write(st, ptrs, n, &o, r, err);
}

/* SHA-256 of the blob decompressed by libarchive ("raw" read, any filter). */
static void raw_digest(const char *path, char out[XP_DIGEST_SIZE])
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct digest *d = digest_new();
	char buf[65536];
	la_ssize_t n;

	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	assert_int_equal(archive_read_open_filename(a, path, 65536), ARCHIVE_OK);
	assert_int_equal(archive_read_next_header(a, &e), ARCHIVE_OK);
	while ((n = archive_read_data(a, buf, sizeof(buf))) > 0)
		digest_update(d, buf, (size_t)n);
	assert_int_equal(n, 0);
	archive_read_free(a);
	digest_final(d, out);
	digest_free(d);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct tree_entry *)a)->name, ((const struct tree_entry *)b)->name);
}

/* The next data of the tar reader a equals the file at path (size bytes). */
static void assert_file_data(struct archive *a, const char *path, uint64_t size)
{
	unsigned char *want = xmalloc(size + 1), *got = xmalloc(size + 1);
	FILE *f = fopen(path, "rb");
	size_t off = 0;
	la_ssize_t n;

	assert_non_null(f);
	assert_int_equal(fread(want, 1, size + 1, f), size);
	fclose(f);
	while ((n = archive_read_data(a, got + off, size + 1 - off)) > 0)
		off += (size_t)n;
	assert_int_equal(n, 0);
	assert_int_equal(off, size);
	assert_memory_equal(got, want, size);
	free(want);
	free(got);
}

static void test_uncompressed(void **state)
{
	struct tree_entry v[4];
	struct layer_result r, again;
	struct xp_error err;
	char got[XP_DIGEST_SIZE], *src = mkfile("w.bin", 9 * 1024 * 1024 + 123), *p;
	struct archive *a;
	struct archive_entry *e;
	uint64_t size;
	int n = 0;

	(void)state;
	entry(&v[0], "models", TREE_DIR, NULL, 0);
	entry(&v[1], "models/w.bin", TREE_FILE, src, 9 * 1024 * 1024 + 123);
	entry(&v[2], "models/link", TREE_LINK, NULL, 0);
	v[2].link = "w.bin";
	v[2].mode = 0777;
	if (write_layer(v, 3, LAYER_NONE, 0, &r, &err))
		fail_msg("%s", err.msg);
	/* one hash: the digest is the diff_id, and is the blob's own digest */
	assert_string_equal(r.digest, r.diff_id);
	p = blob_path(r.digest);
	assert_int_equal(digest_file(p, got, &size, &err), 0);
	assert_string_equal(got, r.digest);
	assert_int_equal(size, r.size);
	/* headers + data padded to 512 + two end blocks, nothing more */
	assert_int_equal(r.size, 3 * 512 + ((9 * 1024 * 1024 + 123 + 511) / 512) * 512 + 1024);
	a = archive_read_new();
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_filename(a, p, 65536), ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		assert_int_equal(archive_entry_uid(e), 0);
		assert_int_equal(archive_entry_gid(e), 0);
		assert_true(!archive_entry_uname(e) || !*archive_entry_uname(e));
		assert_true(!archive_entry_gname(e) || !*archive_entry_gname(e));
		assert_int_equal(archive_entry_mtime(e), 0);
		assert_false(archive_entry_atime_is_set(e));
		n++;
	}
	assert_int_equal(n, 3);
	archive_read_free(a);
	free(p);
	/* the same entries give the same layer; another mtime another one */
	assert_int_equal(write_layer(v, 3, LAYER_NONE, 0, &again, &err), 0);
	assert_string_equal(again.digest, r.digest);
	assert_int_equal(write_layer(v, 3, LAYER_NONE, 1700000000, &again, &err), 0);
	assert_string_not_equal(again.digest, r.digest);
	free(src);
}

static void test_compressed(void **state)
{
	static const enum layer_compression cs[] = {LAYER_GZIP, LAYER_ZSTD};
	struct tree_entry v[2];
	struct layer_result plain, r, again;
	struct xp_error err;
	char got[XP_DIGEST_SIZE], *src = mkfile("c.bin", 3 * 1024 * 1024), *p;
	uint64_t size;
	size_t i;

	(void)state;
	entry(&v[0], "m", TREE_DIR, NULL, 0);
	entry(&v[1], "m/c.bin", TREE_FILE, src, 3 * 1024 * 1024);
	assert_int_equal(write_layer(v, 2, LAYER_NONE, 0, &plain, &err), 0);
	for (i = 0; i < 2; i++) {
		if (write_layer(v, 2, cs[i], 0, &r, &err))
			fail_msg("%s", err.msg);
		/* diff_id: the uncompressed tar, as written without compression */
		assert_string_equal(r.diff_id, plain.digest);
		assert_string_not_equal(r.digest, r.diff_id);
		p = blob_path(r.digest);
		assert_int_equal(digest_file(p, got, &size, &err), 0);
		assert_string_equal(got, r.digest);
		assert_int_equal(size, r.size);
		assert_true(r.size < plain.size);
		raw_digest(p, got);
		assert_string_equal(got, r.diff_id);
		free(p);
		assert_int_equal(write_layer(v, 2, cs[i], 0, &again, &err), 0);
		assert_string_equal(again.digest, r.digest);
	}
	assert_string_equal(layer_suffix(LAYER_NONE), "tar");
	assert_string_equal(layer_suffix(LAYER_GZIP), "tar+gzip");
	assert_string_equal(layer_suffix(LAYER_ZSTD), "tar+zstd");
	free(src);
}

/* Compressed layers of several blocks: the same digest with 1, 2 or 5
 * compressor threads, and the blob decompresses to the diff_id. */
static void test_compressed_threads(void **state)
{
	static const enum layer_compression cs[] = {LAYER_GZIP, LAYER_ZSTD};
	static const int threads[] = {1, 2, 5};
	struct tree_entry v[4];
	struct layer_result first, r;
	struct xp_error err;
	char got[XP_DIGEST_SIZE], *big = mkfile("big.bin", 5 * 1024 * 1024 + 3),
	     *small = mkfile("small.txt", 700), *p;
	size_t i, k;

	(void)state;
	entry(&v[0], "m", TREE_DIR, NULL, 0);
	entry(&v[1], "m/big.bin", TREE_FILE, big, 5 * 1024 * 1024 + 3);
	entry(&v[2], "m/small.txt", TREE_FILE, small, 700);
	entry(&v[3], "m/z.txt", TREE_FILE, small, 700);
	for (i = 0; i < 2; i++) {
		for (k = 0; k < 3; k++) {
			if (write_layer_threads(v, 4, cs[i], threads[k], &r, &err))
				fail_msg("%s", err.msg);
			if (k == 0)
				first = r;
			assert_string_equal(r.digest, first.digest);
			assert_string_equal(r.diff_id, first.diff_id);
			assert_int_equal(r.size, first.size);
		}
		p = blob_path(first.digest);
		raw_digest(p, got);
		assert_string_equal(got, first.diff_id);
		free(p);
	}
	free(big);
	free(small);
}

/* 300 small files (gathered into batches) between files of 64 KiB and more
 * (passed as they are): every byte where a tar reader finds it. */
static void test_small_files(void **state)
{
	enum { N = 300 };
	struct tree_entry *v = xcalloc(N + 3, sizeof(*v));
	char *names[N + 2], *srcs[N + 2];
	struct layer_result r;
	struct xp_error err;
	struct archive *a;
	struct archive_entry *e;
	uint64_t want = 1024;
	size_t i, n = 0;
	char *p;

	(void)state;
	entry(&v[n++], "d", TREE_DIR, NULL, 0);
	want += 512;
	for (i = 0; i < N + 2; i++) {
		/* sizes 0..2999, then 64 KiB and 100 KiB + 1 in the middle */
		size_t size = i == N ? 65536 : i == N + 1 ? 102401 : (i * 37) % 3000;
		char *base = xasprintf("f%04zu.bin", i == N ? 150 : i == N + 1 ? 151 : i);

		if (i == 150 || i == 151)
			base[0] = 'e'; /* the small ones of these numbers sort first */
		names[i] = xasprintf("d/%s", base);
		srcs[i] = mkfile(base, size);
		entry(&v[n++], names[i], TREE_FILE, srcs[i], size);
		want += 512 + (size + 511) / 512 * 512;
		free(base);
	}
	qsort(v + 1, n - 1, sizeof(*v), cmp_entry);
	if (write_layer_threads(v, n, LAYER_NONE, 0, &r, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(r.size, want);
	p = blob_path(r.digest);
	a = archive_read_new();
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_filename(a, p, 65536), ARCHIVE_OK);
	for (i = 0; archive_read_next_header(a, &e) == ARCHIVE_OK; i++) {
		assert_string_equal(archive_entry_pathname(e), i ? v[i].name : "d/");
		if (i)
			assert_file_data(a, v[i].src, v[i].size);
	}
	assert_int_equal(i, n);
	archive_read_free(a);
	free(p);
	for (i = 0; i < N + 2; i++) {
		free(names[i]);
		free(srcs[i]);
	}
	free(v);
}

static void test_changed_input(void **state)
{
	struct tree_entry v[1];
	struct layer_result r;
	struct xp_error err;
	char *src = mkfile("x.bin", 1000), *link;

	(void)state;
	entry(&v[0], "x.bin", TREE_FILE, src, 999);
	assert_int_equal(write_layer(v, 1, LAYER_NONE, 0, &r, &err), -1);
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	assert_non_null(strstr(err.msg, "changed while being packed"));
	/* a file that became a link is not followed */
	link = xasprintf("%s/l.bin", tmp_fixture);
	assert_int_equal(symlink(src, link), 0);
	entry(&v[0], "l.bin", TREE_FILE, link, 1000);
	assert_int_equal(write_layer(v, 1, LAYER_NONE, 0, &r, &err), -1);
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	assert_non_null(strstr(err.msg, "now a link"));
	/* unless it was named on the command line */
	v[0].input = 1;
	assert_int_equal(write_layer(v, 1, LAYER_NONE, 0, &r, &err), 0);
	unlink(src);
	assert_int_equal(write_layer(v, 1, LAYER_NONE, 0, &r, &err), -1);
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	assert_non_null(strstr(err.msg, "No such file or directory"));
	/* nothing half-written is left behind */
	{
		char *blobs = xasprintf("%s/out/blobs/sha256", tmp_fixture);

		assert_int_equal(tmp_count_hidden(blobs), 0);
		free(blobs);
	}
	free(link);
	free(src);
}

/* The file changes while it is read: the progress report after its first
 * chunk truncates it or appends to it. */
struct change {
	const char *path;
	off_t truncate_to;   /* -1: append a byte instead */
	int done;
};

static void change_on_progress(void *ctx, const char *label, uint64_t done, uint64_t total)
{
	struct change *c = ctx;

	(void)label;
	(void)done;
	(void)total;
	if (c->done++)
		return;
	if (c->truncate_to >= 0) {
		assert_int_equal(truncate(c->path, c->truncate_to), 0);
	} else {
		FILE *f = fopen(c->path, "ab");

		assert_non_null(f);
		fputc('x', f);
		fclose(f);
	}
}

static void test_changed_while_read(void **state)
{
	/* 2 MiB: two full reads and the end-of-file probe; 1.5 MiB: the second
	 * read asks for one byte more than is left */
	static const struct {
		size_t size;
		off_t truncate_to;
		const char *what;
	} v[] = {{2u << 20, 1u << 20, "it shrank"}, {2u << 20, (3u << 20) / 2, "it shrank"},
		 {2u << 20, -1, "it grew"}, {(3u << 20) / 2, (5u << 20) / 4, "it shrank"},
		 {(3u << 20) / 2, -1, "it grew"}};
	struct tree_entry e[1];
	const struct tree_entry *ptrs[1] = {&e[0]};
	struct layer_result r;
	struct xp_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *src = mkfile("grow.bin", v[i].size), *blobs, *msg;
		struct change c = {src, v[i].truncate_to, 0};
		struct xp_progress p = {change_on_progress, NULL, &c};
		struct layer_opts o;

		memset(&o, 0, sizeof(o));
		o.progress = &p;
		o.label = "grow.bin";
		entry(&e[0], "grow.bin", TREE_FILE, src, v[i].size);
		assert_int_equal(layer_write(st, ptrs, 1, &o, &r, &err), -1);
		assert_true(c.done > 0);
		assert_int_equal(err.cls, XP_ERR_LOCAL);
		msg = xasprintf("'%s' changed while being packed: %s", src, v[i].what);
		assert_string_equal(err.msg, msg);
		free(msg);
		blobs = xasprintf("%s/out/blobs/sha256", tmp_fixture);
		assert_int_equal(tmp_count_hidden(blobs), 0);
		free(blobs);
		free(src);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_uncompressed, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_compressed, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_compressed_threads, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_small_files, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_changed_input, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_changed_while_read, store_fixture_setup, store_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
