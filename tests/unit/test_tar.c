/* test_tar.c — the oci-archive tar index and header writer (packager/tar.c),
 * checked against libarchive as the independent reader and writer. */
#include "tests/unit/test_common.h"
#include "tests/unit/test_tmp.h"
#include "cmd/exitcode.h"
#include "common/strbuf.h"
#include "packager/tar.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = tmp_dir("tar");
	return dir ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	tmp_rm_rf(dir);
	free(dir);
	return 0;
}

static int open_scan(const char *path, struct tar_index *ix, struct xp_error *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY), ret;

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	ret = tar_scan(fd, (uint64_t)st.st_size, "t.tar", ix, err);
	close(fd);
	return ret;
}

static void append(int fd, const char *name, char type, const char *data)
{
	static const unsigned char zero[TAR_BLOCK];
	unsigned char h[TAR_BLOCK];
	size_t len = data ? strlen(data) : 0;

	assert_int_equal(tar_header(h, name, type, len), 0);
	assert_int_equal(write(fd, h, TAR_BLOCK), TAR_BLOCK);
	if (len)
		assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(write(fd, zero, tar_pad(len)), (ssize_t)tar_pad(len));
}

/* Our headers, read back by libarchive and by tar_scan. */
static void written_entries_read_back(void **state)
{
	static const unsigned char zero[2 * TAR_BLOCK];
	char *path = xasprintf("%s/a.tar", dir), longname[200];
	struct archive *a;
	struct archive_entry *e;
	struct tar_index ix;
	struct xp_error err;
	const struct tar_entry *t;
	int fd, n = 0;

	(void)state;
	memset(longname, 'x', sizeof(longname));
	memcpy(longname + 120, "/", 1);
	longname[199] = '\0'; /* 120 x's / 78 x's: needs the ustar prefix */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	append(fd, "oci-layout", '0', "{\"imageLayoutVersion\":\"1.0.0\"}");
	append(fd, "blobs/", '5', NULL);
	append(fd, longname, '0', "long");
	append(fd, "./blobs/x", '0', "");
	assert_int_equal(write(fd, zero, sizeof(zero)), (ssize_t)sizeof(zero));
	close(fd);

	a = archive_read_new();
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_filename(a, path, 10240), ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		if (n == 0) {
			assert_string_equal(archive_entry_pathname(e), "oci-layout");
			assert_int_equal(archive_entry_size(e), 30);
			assert_int_equal(archive_entry_perm(e), 0644);
			assert_int_equal(archive_entry_uid(e), 0);
			assert_int_equal(archive_entry_mtime(e), 0);
			assert_true(!archive_entry_uname(e) || !*archive_entry_uname(e));
		}
		if (n == 1)
			assert_int_equal(archive_entry_filetype(e), AE_IFDIR);
		if (n == 2)
			assert_string_equal(archive_entry_pathname(e), longname);
		n++;
	}
	assert_int_equal(n, 4);
	archive_read_free(a);

	if (open_scan(path, &ix, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(ix.n, 3); /* directories are not indexed */
	t = tar_find(&ix, "oci-layout");
	assert_non_null(t);
	assert_int_equal(t->offset, 512);
	assert_int_equal(t->size, 30);
	t = tar_find(&ix, longname);
	assert_non_null(t);
	assert_int_equal(t->size, 4);
	assert_non_null(tar_find(&ix, "blobs/x")); /* "./" removed */
	tar_index_release(&ix);
	free(path);
}

/* Archives libarchive writes (pax: long names, GNU: long names) index right. */
static void foreign_formats(void **state)
{
	static const int formats[] = {ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FORMAT_TAR_GNUTAR,
				      ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE};
	char name[400];
	size_t f;

	(void)state;
	memset(name, 'n', sizeof(name));
	name[399] = '\0';
	name[150] = '/';
	for (f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		char *path = xasprintf("%s/f%zu.tar", dir, f);
		struct archive *a = archive_write_new();
		struct archive_entry *e = archive_entry_new();
		const struct tar_entry *t;
		struct tar_index ix;
		struct xp_error err;
		char buf[16];
		int fd;

		archive_write_set_format(a, formats[f]);
		assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
		archive_entry_set_pathname(e, name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, 5);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, "hello", 5), 5);
		archive_entry_clear(e);
		archive_entry_set_pathname(e, "index.json");
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_size(e, 2);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, "{}", 2), 2);
		archive_entry_free(e);
		assert_int_equal(archive_write_free(a), ARCHIVE_OK);

		if (open_scan(path, &ix, &err))
			fail_msg("format %zu: %s", f, err.msg);
		t = tar_find(&ix, name);
		if (!t)
			fail_msg("format %zu: long name not found", f);
		assert_int_equal(t->size, 5);
		fd = open(path, O_RDONLY);
		assert_int_equal(pread(fd, buf, 5, (off_t)t->offset), 5);
		assert_memory_equal(buf, "hello", 5);
		t = tar_find(&ix, "index.json");
		assert_non_null(t);
		assert_int_equal(pread(fd, buf, 2, (off_t)t->offset), 2);
		assert_memory_equal(buf, "{}", 2);
		close(fd);
		tar_index_release(&ix);
		free(path);
	}
}

/* Sizes of 8 GiB and more are written in base-256 and read back. */
static void big_size_field(void **state)
{
	unsigned char h[TAR_BLOCK];
	uint64_t big = (1ull << 33) + 12345;

	(void)state;
	assert_int_equal(tar_header(h, "blobs/sha256/x", '0', big), 0);
	assert_int_equal(h[124], 0x80);
	{
		struct archive *a = archive_read_new();
		struct archive_entry *e;
		unsigned char buf[2 * TAR_BLOCK];

		memset(buf, 0, sizeof(buf));
		memcpy(buf, h, TAR_BLOCK);
		archive_read_support_format_tar(a);
		assert_int_equal(archive_read_open_memory(a, buf, sizeof(buf)), ARCHIVE_OK);
		assert_int_equal(archive_read_next_header(a, &e), ARCHIVE_OK);
		assert_int_equal(archive_entry_size(e), (int64_t)big);
		archive_read_free(a);
	}
}

/* Damaged input: clear errors, never an index past the end. */
static void damaged(void **state)
{
	char *path = xasprintf("%s/d.tar", dir);
	struct tar_index ix;
	struct xp_error err;
	unsigned char h[TAR_BLOCK];
	int fd;

	(void)state;
	/* header claiming more data than the file has */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	tar_header(h, "index.json", '0', 4096);
	assert_int_equal(write(fd, h, TAR_BLOCK), TAR_BLOCK);
	assert_int_equal(write(fd, "{}", 2), 2);
	close(fd);
	assert_int_equal(open_scan(path, &ix, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	assert_string_equal(err.msg, "malformed archive 't.tar': entry at byte 0 runs past the end");
	/* bad checksum */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	tar_header(h, "index.json", '0', 0);
	h[0] = 'X';
	assert_int_equal(write(fd, h, TAR_BLOCK), TAR_BLOCK);
	close(fd);
	assert_int_equal(open_scan(path, &ix, &err), -1);
	assert_string_equal(err.msg, "malformed archive 't.tar': bad tar header at byte 0");
	/* gzip */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	memset(h, 0, sizeof(h));
	h[0] = 0x1f;
	h[1] = 0x8b;
	assert_int_equal(write(fd, h, TAR_BLOCK), TAR_BLOCK);
	close(fd);
	assert_int_equal(open_scan(path, &ix, &err), -1);
	assert_string_equal(err.msg,
			    "malformed archive 't.tar': compressed; an oci-archive is a plain tar file");
	/* names escaping the archive are not indexed */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	append(fd, "../evil", '0', "x");
	append(fd, "/abs", '0', "x");
	append(fd, "a/../../b", '0', "x");
	append(fd, "ok", '0', "x");
	close(fd);
	if (open_scan(path, &ix, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(ix.n, 1);
	assert_string_equal(ix.v[0].name, "ok");
	tar_index_release(&ix);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(written_entries_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(foreign_formats, setup, teardown),
		cmocka_unit_test(big_size_field),
		cmocka_unit_test_setup_teardown(damaged, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
