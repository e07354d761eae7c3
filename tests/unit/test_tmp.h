/* test_tmp.h — a fresh temporary directory per test and its recursive removal. */
#ifndef XPSHIP_TESTS_TEST_TMP_H
#define XPSHIP_TESTS_TEST_TMP_H
#include <dirent.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* rm -rf without following links; 0 on success */
static inline int tmp_rm_rf(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int ret = 0;

	if (lstat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char *sub;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		sub = malloc(strlen(path) + strlen(e->d_name) + 2);
		if (!sub)
			abort();
		memcpy(sub, path, strlen(path));
		sub[strlen(path)] = '/';
		memcpy(sub + strlen(path) + 1, e->d_name, strlen(e->d_name) + 1);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			chmod(sub, 0700);
		ret |= tmp_rm_rf(sub);
		free(sub);
	}
	closedir(d);
	return ret | rmdir(path);
}

/* mkdtemp under $TMPDIR (or /tmp); returns a static buffer's copy the caller frees */
static inline char *tmp_dir(const char *tag)
{
	const char *base = getenv("TMPDIR");
	char buf[512];

	snprintf(buf, sizeof(buf), "%s/xpship-%s-XXXXXX", base && *base ? base : "/tmp", tag);
	if (!mkdtemp(buf))
		return NULL;
	return strdup(buf);
}

/* Count directory entries whose name starts with '.' other than . and .. (temp files). */
static inline int tmp_count_hidden(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}
/* A fixture: a fresh directory per test in tmp_fixture (cmocka setup and
 * teardown; tag the tests with TMP_FIXTURE_TAG before including). */
#ifdef TMP_FIXTURE_TAG
static char *tmp_fixture;

static int tmp_fixture_setup(void **state)
{
	(void)state;
	tmp_fixture = tmp_dir(TMP_FIXTURE_TAG);
	return tmp_fixture ? 0 : -1;
}

static int tmp_fixture_teardown(void **state)
{
	(void)state;
	tmp_rm_rf(tmp_fixture);
	free(tmp_fixture);
	tmp_fixture = NULL;
	return 0;
}
#endif
#endif
