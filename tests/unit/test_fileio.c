/* test_fileio.c — atomic writes and whole-file reads (common/fileio.c). */
#include "tests/unit/test_common.h"
#include "cmd/exitcode.h"
#include "common/fileio.h"
#include "common/strbuf.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/xpship-fileio-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	(void)state;
	while (d && (e = readdir(d))) {
		char *p;

		if (e->d_name[0] == '.' && (!e->d_name[1] || e->d_name[1] == '.'))
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	return rmdir(dir);
}

static size_t entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void write_then_read(void **state)
{
	struct xp_error err;
	char *path = xasprintf("%s/f.json", dir), *data = NULL;
	struct stat st;
	size_t len;

	(void)state;
	assert_int_equal(file_write_atomic(path, "{\"a\":1}", 7, 0640, &err), 0);
	assert_int_equal(file_read_all(path, 1024, &data, &len, &err), 0);
	assert_int_equal(len, 7);
	assert_string_equal(data, "{\"a\":1}");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(entries(), 1); /* no temporary file left */
	free(data);
	/* overwrite replaces the content */
	assert_int_equal(file_write_atomic(path, "x", 1, 0644, &err), 0);
	assert_int_equal(file_read_all(path, 1024, &data, &len, &err), 0);
	assert_string_equal(data, "x");
	free(data);
	/* a size limit is enforced */
	assert_int_equal(file_write_atomic(path, "0123456789", 10, 0644, &err), 0);
	assert_int_equal(file_read_all(path, 5, &data, &len, &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED); /* over-size input is the input's fault */
	free(path);
}

static void abort_leaves_old_content(void **state)
{
	struct atomic_file af;
	struct xp_error err;
	char *path = xasprintf("%s/g.txt", dir), *data = NULL;

	(void)state;
	assert_int_equal(file_write_atomic(path, "old", 3, 0644, &err), 0);
	assert_int_equal(atomic_open(&af, path, 0644, &err), 0);
	assert_int_equal(atomic_write(&af, "new-but-torn", 12, &err), 0);
	atomic_abort(&af);
	assert_int_equal(file_read_all(path, 1024, &data, NULL, &err), 0);
	assert_string_equal(data, "old");
	assert_int_equal(entries(), 1);
	free(data);
	free(path);
}

/* A path that is a FIFO (or /dev/null, /dev/stdout) is written through, never
 * renamed over: the FIFO stays, its reader gets the bytes, no file appears. */
static void special_file_written_through(void **state)
{
	struct xp_error err;
	char *fifo = xasprintf("%s/pipe", dir), buf[16] = "";
	struct stat st;
	int fd;
	ssize_t n;

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	fd = open(fifo, O_RDONLY | O_NONBLOCK);   /* a reader, so the writer's open succeeds */
	assert_true(fd >= 0);
	assert_int_equal(file_write_atomic(fifo, "hello", 5, 0644, &err), 0);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_int_equal(n, 5);
	assert_string_equal(buf, "hello");
	close(fd);
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(entries(), 1);   /* no temporary file next to it */
	free(fifo);
}

static void errors_name_the_file(void **state)
{
	struct xp_error err;
	char *data;

	(void)state;
	assert_int_equal(file_write_atomic("/nonexistent-dir/x", "a", 1, 0644, &err), -1);
	assert_int_equal(err.cls, XP_ERR_LOCAL);
	assert_string_equal(err.msg, "cannot create '/nonexistent-dir/x': No such file or directory");
	assert_int_equal(file_read_all("/nonexistent-dir/x", 10, &data, NULL, &err), -1);
	assert_string_equal(err.msg, "cannot open '/nonexistent-dir/x': No such file or directory");
}

static void mkdir_p_nested(void **state)
{
	struct xp_error err;
	char *p = xasprintf("%s/a/b/c", dir), *q = xasprintf("%s/a/b", dir),
	     *r = xasprintf("%s/a", dir);
	struct stat st;

	(void)state;
	assert_int_equal(mkdir_p(p, 0755, &err), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(mkdir_p(p, 0755, &err), 0); /* exists: fine */
	rmdir(p);
	rmdir(q);
	rmdir(r);
	free(p);
	free(q);
	free(r);
}

/* rm_tree removes a tree without following links out of it; keep_top
 * leaves the emptied top directory; a missing path is not an error. */
static void rm_tree_follows_no_link(void **state)
{
	char *t = xasprintf("%s/t", dir), *sub = xasprintf("%s/t/sub", dir),
	     *f = xasprintf("%s/t/sub/f", dir), *outside = xasprintf("%s/outside", dir),
	     *link = xasprintf("%s/t/link", dir), *dlink = xasprintf("%s/t/dlink", dir),
	     *kept = xasprintf("%s/outside-dir/kept", dir), *odir = xasprintf("%s/outside-dir", dir);
	struct xp_error err;
	struct stat st;

	(void)state;
	assert_int_equal(mkdir_p(sub, 0755, &err), 0);
	assert_int_equal(mkdir(odir, 0755), 0);
	assert_int_equal(file_write_atomic(f, "x", 1, 0644, &err), 0);
	assert_int_equal(file_write_atomic(outside, "o", 1, 0644, &err), 0);
	assert_int_equal(file_write_atomic(kept, "k", 1, 0644, &err), 0);
	assert_int_equal(symlink(outside, link), 0);
	assert_int_equal(symlink(odir, dlink), 0);
	chmod(sub, 0500); /* not writable: removed all the same */

	assert_int_equal(rm_tree(t, 1), 0);
	assert_int_equal(stat(t, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_true(dir_is_empty(t));
	assert_int_equal(stat(outside, &st), 0);   /* link targets untouched */
	assert_int_equal(stat(kept, &st), 0);

	assert_int_equal(rm_tree(t, 0), 0);
	assert_int_equal(lstat(t, &st), -1);
	assert_int_equal(rm_tree(t, 0), 0);        /* already gone */
	unlink(kept);
	rmdir(odir);
	free(t);
	free(sub);
	free(f);
	free(outside);
	free(link);
	free(dlink);
	free(kept);
	free(odir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(write_then_read, setup, teardown),
		cmocka_unit_test_setup_teardown(abort_leaves_old_content, setup, teardown),
		cmocka_unit_test_setup_teardown(special_file_written_through, setup, teardown),
		cmocka_unit_test_setup_teardown(errors_name_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(mkdir_p_nested, setup, teardown),
		cmocka_unit_test_setup_teardown(rm_tree_follows_no_link, setup, teardown),
	};
	return cmocka_run_group_tests_name("fileio", tests, NULL, NULL);
}
