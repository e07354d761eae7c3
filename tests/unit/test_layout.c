/* test_layout.c — the local content stores through store.h: an OCI layout
 * directory (packager/layout.c) and an oci-archive (packager/layout_archive.c).
 * Most cases run against both kinds. */
#define _GNU_SOURCE /* memmem */
#include "tests/unit/test_common.h"
#include "tests/unit/test_tmp.h"
#include "common/digest.h"
#include "cmd/exitcode.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "packager/oci.h"
#include "packager/store.h"

#include <fcntl.h>
#include <sys/stat.h>

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = tmp_dir("layout");
	return dir ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	tmp_rm_rf(dir);
	free(dir);
	return 0;
}

/* A store at dir/NAME: a directory layout, or an archive when name ends .tar */
static struct store *open_store(const char *name, int create, struct xp_error *err)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct store_opts opts;
	struct xp_ref ref;
	struct store *s = NULL;
	size_t n = strlen(name);

	memset(&opts, 0, sizeof(opts));
	memset(&ref, 0, sizeof(ref));
	opts.create = create;
	ref.kind = n > 4 && strcmp(name + n - 4, ".tar") == 0 ? REF_ARCHIVE : REF_LAYOUT;
	ref.path = path;
	if (store_open(&ref, &opts, &s, err))
		s = NULL;
	free(path);
	return s;
}

static struct store *must_open(const char *name, int create)
{
	struct xp_error err;
	struct store *s = open_store(name, create, &err);

	if (!s)
		fail_msg("open %s: %s", name, err.msg);
	return s;
}

/* Push a config blob and a manifest naming it; returns the manifest. */
static void push_image(struct store *s, const char *config, struct oci_desc *man)
{
	struct oci_manifest m;
	struct xp_error err;
	char *json;
	size_t len;

	memset(&m, 0, sizeof(m));
	m.media_type = xstrdup(OCI_MT_MANIFEST);
	if (store_push_buf(s, OCI_MT_CONFIG, config, strlen(config), &m.config.desc, &err))
		fail_msg("push config: %s", err.msg);
	json = oci_manifest_build(&m, &len);
	if (store_push_buf(s, OCI_MT_MANIFEST, json, len, man, &err))
		fail_msg("push manifest: %s", err.msg);
	free(json);
	oci_manifest_release(&m);
}

static void commit(struct store *s)
{
	struct xp_error err;

	if (store_commit(s, &err))
		fail_msg("commit: %s", err.msg);
}

static void round_trip(const char *name)
{
	struct store *s;
	struct oci_desc m1, m2, r;
	struct xp_error err;
	char **tags, *buf, *path;
	size_t n, len;
	struct stat st;

	s = must_open(name, 1);
	/* opening writes nothing */
	path = xasprintf("%s/%s", dir, name);
	assert_int_equal(stat(path, &st), -1);
	push_image(s, "{\"a\":1}", &m1);
	push_image(s, "{\"a\":2}", &m2);
	assert_int_equal(store_tag(s, &m1, "v1", &err), 0);
	assert_int_equal(store_tag(s, &m2, "v2", &err), 0);
	/* pushing again is a no-op */
	assert_int_equal(store_push_buf(s, OCI_MT_CONFIG, "{\"a\":1}", 7, NULL, &err), 0);
	commit(s);
	store_close(s);

	s = must_open(name, 0);
	assert_int_equal(store_tags(s, &tags, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(tags[0], "v1");
	assert_string_equal(tags[1], "v2");
	store_tags_free(tags, n);
	assert_int_equal(store_resolve(s, "v2", &r, &err), 0);
	assert_string_equal(r.digest, m2.digest);
	assert_string_equal(r.media_type, OCI_MT_MANIFEST);
	assert_int_equal(r.size, m2.size);
	oci_desc_release(&r);
	/* by digest, also one no tag names */
	assert_int_equal(store_resolve(s, m1.digest, &r, &err), 0);
	assert_int_equal(r.size, m1.size);
	oci_desc_release(&r);
	assert_int_equal(store_fetch_all(s, &m2, OCI_MANIFEST_MAX, &buf, &len, &err), 0);
	assert_int_equal((int64_t)len, m2.size);
	assert_non_null(strstr(buf, "\"schemaVersion\":2"));
	free(buf);
	/* moving v1 keeps v2 */
	assert_int_equal(store_tag(s, &m2, "v1", &err), 0);
	commit(s);
	store_close(s);
	s = must_open(name, 0);
	assert_int_equal(store_resolve(s, "v1", &r, &err), 0);
	assert_string_equal(r.digest, m2.digest);
	oci_desc_release(&r);
	assert_int_equal(store_resolve(s, "v2", &r, &err), 0);
	assert_string_equal(r.digest, m2.digest);
	oci_desc_release(&r);
	/* the untagged manifest is still there by digest */
	assert_int_equal(store_resolve(s, m1.digest, &r, &err), 0);
	oci_desc_release(&r);
	store_close(s);
	assert_int_equal(tmp_count_hidden(dir), 0);
	oci_desc_release(&m1);
	oci_desc_release(&m2);
	free(path);
}

static void dir_round_trip(void **state)
{
	char *p, *buf;
	size_t len;
	struct xp_error err;

	(void)state;
	round_trip("lay");
	p = xasprintf("%s/lay/oci-layout", dir);
	assert_int_equal(file_read_all(p, 1024, &buf, &len, &err), 0);
	assert_string_equal(buf, "{\"imageLayoutVersion\":\"1.0.0\"}");
	free(buf);
	free(p);
	p = xasprintf("%s/lay/blobs/sha256", dir);
	assert_int_equal(tmp_count_hidden(p), 0);
	free(p);
}

static void archive_round_trip(void **state)
{
	(void)state;
	round_trip("m.tar");
}

static void resolve_errors(const char *name)
{
	struct store *s = must_open(name, 1);
	struct oci_desc m1, m2, r;
	struct xp_error err;
	char *msg;

	assert_int_equal(store_resolve(s, NULL, &r, &err), -1);
	assert_int_equal(err.cls, XP_ERR_NOT_FOUND);
	msg = xasprintf("no tags in 'oci%s:%s/%s'", strstr(name, ".tar") ? "-archive" : "", dir, name);
	assert_string_equal(err.msg, msg);
	free(msg);
	push_image(s, "{\"b\":1}", &m1);
	push_image(s, "{\"b\":2}", &m2);
	assert_int_equal(store_tag(s, &m1, "a", &err), 0);
	/* NULL: the only tag */
	assert_int_equal(store_resolve(s, NULL, &r, &err), 0);
	assert_string_equal(r.digest, m1.digest);
	oci_desc_release(&r);
	assert_int_equal(store_tag(s, &m2, "b", &err), 0);
	assert_int_equal(store_resolve(s, NULL, &r, &err), -1);
	assert_int_equal(err.cls, XP_ERR_USAGE);
	assert_non_null(strstr(err.msg, "has several tags (a, b): name one, as in '"));
	assert_int_equal(store_resolve(s, "c", &r, &err), -1);
	assert_int_equal(err.cls, XP_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "no tag 'c' in '"));
	assert_non_null(strstr(err.msg, "(tags: a, b)"));
	assert_int_equal(store_resolve(s, "sha256:0000000000000000000000000000000000000000000000000000000000000000", &r, &err), -1);
	assert_int_equal(err.cls, XP_ERR_NOT_FOUND);
	assert_int_equal(store_resolve(s, "sha256:00", &r, &err), -1);
	assert_int_equal(err.cls, XP_ERR_USAGE);
	assert_int_equal(store_resolve(s, "bad tag", &r, &err), -1);
	assert_int_equal(err.cls, XP_ERR_USAGE);
	/* a tag must name a present manifest, and be a valid tag */
	memcpy(m2.digest, "sha256:00000000000000000000000000000000000000000000000000000000000000ff", XP_DIGEST_SIZE);
	assert_int_equal(store_tag(s, &m2, "x", &err), -1);
	assert_int_equal(err.cls, XP_ERR_NOT_FOUND);
	assert_int_equal(store_tag(s, &m1, "-x", &err), -1);
	assert_int_equal(err.cls, XP_ERR_USAGE);
	store_close(s);
	oci_desc_release(&m1);
	oci_desc_release(&m2);
}

/* store_tag_target / store_tag_check: absent and same-digest tags may be
 * written, a tag on another manifest is refused naming both digests. */
static void tag_check(const char *name)
{
	struct store *s = must_open(name, 1);
	struct oci_desc m1, m2;
	struct xp_error err;
	char cur[XP_DIGEST_SIZE], *msg;

	assert_int_equal(store_tag_target(s, "v1", cur, &err), 0);  /* nothing there yet */
	assert_string_equal(cur, "");
	push_image(s, "{\"c\":1}", &m1);
	push_image(s, "{\"c\":2}", &m2);
	assert_int_equal(store_tag_check(s, "v1", &m1, &err), 0);
	assert_int_equal(store_tag(s, &m1, "v1", &err), 0);
	assert_int_equal(store_tag_target(s, "v1", cur, &err), 0);
	assert_string_equal(cur, m1.digest);
	assert_int_equal(store_tag_check(s, "v1", &m1, &err), 0);
	assert_int_equal(store_tag_check(s, "v2", &m2, &err), 0);
	assert_int_equal(store_tag_check(s, "v1", &m2, &err), -1);
	assert_int_equal(err.cls, XP_ERR_REFUSED);
	msg = xasprintf("tag 'v1' in '%s' names %s, not %s", store_name(s), m1.digest, m2.digest);
	assert_string_equal(err.msg, msg);
	free(msg);
	assert_int_equal(store_tag_check(s, "-bad", &m2, &err), -1);
	assert_int_equal(err.cls, XP_ERR_USAGE);
	store_close(s);
	oci_desc_release(&m1);
	oci_desc_release(&m2);
}

static void dir_tag_check(void **state)
{
	(void)state;
	tag_check("lay");
}

static void archive_tag_check(void **state)
{
	(void)state;
	tag_check("m.tar");
}

static void dir_resolve_errors(void **state)
{
	(void)state;
	resolve_errors("lay");
}

static void archive_resolve_errors(void **state)
{
	(void)state;
	resolve_errors("m.tar");
}

/* A descriptor that does not match the bytes: refused, nothing visible. */
static void forged_push(const char *name)
{
	struct store *s = must_open(name, 1);
	struct oci_desc d;
	struct xp_error err;
	int present = 1;

	memset(&d, 0, sizeof(d));
	d.media_type = (char *)OCI_MT_LAYER;
	digest_buf("other bytes", 11, d.digest);
	d.size = 11;
	assert_int_equal(store_push(s, &d, reader_from_buf("hello world", 11), &err), -1);
	assert_int_equal(err.cls, XP_ERR_INTEGRITY);
	assert_non_null(strstr(err.msg, ": digest sha256:"));
	assert_int_equal(store_exists(s, &d, &present, &err), 0);
	assert_int_equal(present, 0);
	/* a wrong size is refused too */
	digest_buf("hello world", 11, d.digest);
	d.size = 10;
	assert_int_equal(store_push(s, &d, reader_from_buf("hello world", 11), &err), -1);
	assert_int_equal(err.cls, XP_ERR_INTEGRITY);
	d.size = 12;
	assert_int_equal(store_push(s, &d, reader_from_buf("hello world", 11), &err), -1);
	assert_int_equal(err.cls, XP_ERR_INTEGRITY);
	assert_int_equal(store_exists(s, &d, &present, &err), 0);
	assert_int_equal(present, 0);
	/* the honest push works after the failures */
	d.size = 11;
	assert_int_equal(store_push(s, &d, reader_from_buf("hello world", 11), &err), 0);
	assert_int_equal(store_exists(s, &d, &present, &err), 0);
	assert_int_equal(present, 1);
	{
		char *buf;
		size_t len;

		assert_int_equal(store_fetch_all(s, &d, 100, &buf, &len, &err), 0);
		assert_string_equal(buf, "hello world");
		free(buf);
	}
	store_close(s);
	assert_int_equal(tmp_count_hidden(dir), 0);
}

static void dir_forged_push(void **state)
{
	char *p;

	(void)state;
	forged_push("lay");
	p = xasprintf("%s/lay/blobs/sha256", dir);
	assert_int_equal(tmp_count_hidden(p), 0);
	free(p);
}

static void archive_forged_push(void **state)
{
	(void)state;
	forged_push("m.tar");
}

/* Flip one byte of a stored blob: fetching it fails at the end. */
static void dir_tampered_blob(void **state)
{
	struct store *s;
	struct oci_desc d;
	struct xp_error err;
	char *p, *buf = NULL;
	size_t len;
	int fd;

	(void)state;
	s = must_open("lay", 1);
	assert_int_equal(store_push_buf(s, OCI_MT_LAYER, "0123456789", 10, &d, &err), 0);
	p = xasprintf("%s/lay/blobs/sha256/%s", dir, digest_hex(d.digest));
	fd = open(p, O_WRONLY);
	assert_int_equal(pwrite(fd, "X", 1, 3), 1);
	close(fd);
	assert_int_equal(store_fetch_all(s, &d, 100, &buf, &len, &err), -1);
	assert_int_equal(err.cls, XP_ERR_INTEGRITY);
	assert_non_null(strstr(err.msg, "expected " ));
	assert_null(buf);
	/* a missing blob is "absent" */
	unlink(p);
	assert_int_equal(store_fetch_all(s, &d, 100, &buf, &len, &err), -1);
	assert_int_equal(err.cls, XP_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "is missing from"));
	store_close(s);
	oci_desc_release(&d);
	free(p);
}

static void archive_tampered_blob(void **state)
{
	struct store *s;
	struct oci_desc d;
	struct xp_error err;
	char *p, *buf = NULL, *all;
	size_t len, alen;
	int fd;

	(void)state;
	s = must_open("m.tar", 1);
	assert_int_equal(store_push_buf(s, OCI_MT_LAYER, "ABCDEFGHIJKLMNOP", 16, &d, &err), 0);
	commit(s);
	store_close(s);
	p = xasprintf("%s/m.tar", dir);
	assert_int_equal(file_read_all(p, 1 << 20, &all, &alen, &err), 0);
	{
		char *at = memmem(all, alen, "ABCDEFGHIJKLMNOP", 16);

		assert_non_null(at);
		fd = open(p, O_WRONLY);
		assert_int_equal(pwrite(fd, "x", 1, (at - all) + 5), 1);
		close(fd);
	}
	free(all);
	s = must_open("m.tar", 0);
	assert_int_equal(store_fetch_all(s, &d, 100, &buf, &len, &err), -1);
	assert_int_equal(err.cls, XP_ERR_INTEGRITY);
	store_close(s);
	oci_desc_release(&d);
	free(p);
}

static void writer_streams(const char *name)
{
	struct store *s = must_open(name, 1);
	struct store_writer *w;
	struct digest *dg = digest_new();
	struct oci_desc d;
	struct xp_error err;
	char digest[XP_DIGEST_SIZE], chunk[1000], *buf;
	size_t len;
	int i, present;

	for (i = 0; i < 1000; i++)
		chunk[i] = (char)(i * 7);
	assert_int_equal(store_writer_open(s, &w, &err), 0);
	for (i = 0; i < 100; i++) {
		assert_int_equal(store_writer_write(w, chunk, sizeof(chunk), &err), 0);
		digest_update(dg, chunk, sizeof(chunk));
	}
	assert_int_equal(store_writer_size(w), 100000);
	digest_final(dg, digest);
	assert_int_equal(store_writer_commit(w, digest, &err), 0);
	memset(&d, 0, sizeof(d));
	d.media_type = (char *)OCI_MT_LAYER;
	memcpy(d.digest, digest, sizeof(digest));
	d.size = 100000;
	assert_int_equal(store_exists(s, &d, &present, &err), 0);
	assert_int_equal(present, 1);
	assert_int_equal(store_fetch_all(s, &d, 200000, &buf, &len, &err), 0);
	assert_int_equal(len, 100000);
	assert_memory_equal(buf + 1000, chunk, 1000);
	free(buf);
	/* the same content again: dropped, still one copy */
	assert_int_equal(store_writer_open(s, &w, &err), 0);
	for (i = 0; i < 100; i++)
		assert_int_equal(store_writer_write(w, chunk, sizeof(chunk), &err), 0);
	assert_int_equal(store_writer_commit(w, digest, &err), 0);
	/* an aborted writer leaves nothing */
	assert_int_equal(store_writer_open(s, &w, &err), 0);
	assert_int_equal(store_writer_write(w, "partial", 7, &err), 0);
	store_writer_abort(w);
	/* the small blob after the abort is intact */
	assert_int_equal(store_push_buf(s, OCI_MT_CONFIG, "{}", 2, &d, &err), 0);
	assert_string_equal(d.digest, OCI_EMPTY_DIGEST);
	assert_int_equal(store_fetch_all(s, &d, 10, &buf, &len, &err), 0);
	assert_string_equal(buf, "{}");
	free(buf);
	oci_desc_release(&d);
	commit(s);
	store_close(s);
	digest_free(dg);
	assert_int_equal(tmp_count_hidden(dir), 0);
}

static void dir_writer(void **state)
{
	char *p;

	(void)state;
	writer_streams("lay");
	p = xasprintf("%s/lay/blobs/sha256", dir);
	assert_int_equal(tmp_count_hidden(p), 0);
	free(p);
}

static void archive_writer(void **state)
{
	struct store *s;
	struct oci_desc d;
	struct xp_error err;
	char *buf;
	size_t len;

	(void)state;
	writer_streams("m.tar");
	/* the committed archive has both blobs and nothing of the aborted one */
	s = must_open("m.tar", 0);
	memset(&d, 0, sizeof(d));
	d.media_type = (char *)OCI_MT_CONFIG;
	memcpy(d.digest, OCI_EMPTY_DIGEST, sizeof(OCI_EMPTY_DIGEST));
	d.size = 2;
	assert_int_equal(store_fetch_all(s, &d, 10, &buf, &len, &err), 0);
	free(buf);
	store_close(s);
}

/* Changes to an archive are kept only by commit; the old file is untouched
 * until then, and extending an archive keeps its content. */
static void archive_commit_semantics(void **state)
{
	struct store *s;
	struct oci_desc m1, m2, r;
	struct xp_error err;
	char *p = xasprintf("%s/m.tar", dir), before[XP_DIGEST_SIZE], after[XP_DIGEST_SIZE];
	char *buf;
	size_t len;

	(void)state;
	s = must_open("m.tar", 1);
	push_image(s, "{\"c\":1}", &m1);
	assert_int_equal(store_tag(s, &m1, "v1", &err), 0);
	store_close(s); /* dropped */
	oci_desc_release(&m1);
	assert_int_equal(access(p, F_OK), -1);
	assert_int_equal(tmp_count_hidden(dir), 0);

	s = must_open("m.tar", 1);
	push_image(s, "{\"c\":1}", &m1);
	assert_int_equal(store_tag(s, &m1, "v1", &err), 0);
	commit(s);
	store_close(s);
	assert_int_equal(digest_file(p, before, NULL, &err), 0);

	s = must_open("m.tar", 0);
	push_image(s, "{\"c\":2}", &m2);
	assert_int_equal(store_tag(s, &m2, "v2", &err), 0);
	assert_int_equal(digest_file(p, after, NULL, &err), 0);
	assert_string_equal(before, after);
	store_close(s);
	oci_desc_release(&m2);
	assert_int_equal(digest_file(p, after, NULL, &err), 0);
	assert_string_equal(before, after);

	s = must_open("m.tar", 0);
	push_image(s, "{\"c\":2}", &m2);
	assert_int_equal(store_tag(s, &m2, "v2", &err), 0);
	commit(s);
	/* the store reads the new archive after commit */
	assert_int_equal(store_fetch_all(s, &m1, OCI_MANIFEST_MAX, &buf, &len, &err), 0);
	free(buf);
	store_close(s);
	s = must_open("m.tar", 0);
	assert_int_equal(store_resolve(s, "v1", &r, &err), 0);
	assert_string_equal(r.digest, m1.digest);
	oci_desc_release(&r);
	assert_int_equal(store_fetch_all(s, &m1, OCI_MANIFEST_MAX, &buf, &len, &err), 0);
	free(buf);
	assert_int_equal(store_resolve(s, "v2", &r, &err), 0);
	assert_string_equal(r.digest, m2.digest);
	oci_desc_release(&r);
	store_close(s);
	/* same operations, same bytes */
	{
		char *q = xasprintf("%s/n.tar", dir), d1[XP_DIGEST_SIZE], d2[XP_DIGEST_SIZE];
		struct oci_desc x;
		int k;

		for (k = 0; k < 2; k++) {
			unlink(q);
			s = must_open("n.tar", 1);
			push_image(s, "{\"c\":1}", &x);
			assert_int_equal(store_tag(s, &x, "v1", &err), 0);
			commit(s);
			store_close(s);
			oci_desc_release(&x);
			assert_int_equal(digest_file(q, k ? d2 : d1, NULL, &err), 0);
		}
		assert_string_equal(d1, d2);
		free(q);
	}
	oci_desc_release(&m1);
	oci_desc_release(&m2);
	free(p);
}

static void not_a_layout(void **state)
{
	struct xp_error err;
	char *p;

	(void)state;
	/* missing without create */
	assert_null(open_store("nope", 0, &err));
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	assert_non_null(strstr(err.msg, "No such file or directory"));
	assert_null(open_store("nope.tar", 0, &err));
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	/* a non-empty directory without oci-layout, even with create */
	p = xasprintf("%s/d", dir);
	mkdir(p, 0755);
	free(p);
	p = xasprintf("%s/d/file", dir);
	assert_int_equal(file_write_atomic(p, "x", 1, 0644, &err), 0);
	free(p);
	assert_null(open_store("d", 1, &err));
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	p = xasprintf("'%s/d' is not an OCI image layout (it has no oci-layout file)", dir);
	assert_string_equal(err.msg, p);
	free(p);
	/* malformed index.json, with its position */
	p = xasprintf("%s/d/oci-layout", dir);
	assert_int_equal(file_write_atomic(p, "{\"imageLayoutVersion\":\"1.0.0\"}", 30, 0644, &err), 0);
	free(p);
	p = xasprintf("%s/d/index.json", dir);
	assert_int_equal(file_write_atomic(p, "{\"schemaVersion\":2,\n\"manifests\":[}", 34, 0644, &err), 0);
	free(p);
	assert_null(open_store("d", 0, &err));
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	assert_non_null(strstr(err.msg, "index.json': unexpected token near '}' (line 2, column 14)"));
	/* unsupported layout version */
	p = xasprintf("%s/d/oci-layout", dir);
	assert_int_equal(file_write_atomic(p, "{\"imageLayoutVersion\":\"2.0.0\"}", 30, 0644, &err), 0);
	free(p);
	assert_null(open_store("d", 0, &err));
	assert_non_null(strstr(err.msg, "imageLayoutVersion '2.0.0', expected '1.0.0'"));
	/* a file that is not a tar */
	p = xasprintf("%s/junk.tar", dir);
	assert_int_equal(file_write_atomic(p, "hello", 5, 0644, &err), 0);
	free(p);
	assert_null(open_store("junk.tar", 1, &err));
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
	/* an empty existing directory is fine with create */
	p = xasprintf("%s/empty", dir);
	mkdir(p, 0755);
	free(p);
	store_close(must_open("empty", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(dir_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(archive_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(dir_resolve_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(archive_resolve_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(dir_tag_check, setup, teardown),
		cmocka_unit_test_setup_teardown(archive_tag_check, setup, teardown),
		cmocka_unit_test_setup_teardown(dir_forged_push, setup, teardown),
		cmocka_unit_test_setup_teardown(archive_forged_push, setup, teardown),
		cmocka_unit_test_setup_teardown(dir_tampered_blob, setup, teardown),
		cmocka_unit_test_setup_teardown(archive_tampered_blob, setup, teardown),
		cmocka_unit_test_setup_teardown(dir_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(archive_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(archive_commit_semantics, setup, teardown),
		cmocka_unit_test_setup_teardown(not_a_layout, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
