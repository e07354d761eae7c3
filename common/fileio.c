/*
 * fileio.c — whole-file reads, atomic writes, temp-file cleanup (see fileio.h).
 */
#include "common/fileio.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TEMPREG_MAX 256

static const char *volatile tempreg[TEMPREG_MAX];

void tempreg_add(const char *path)
{
	size_t i;

	for (i = 0; i < TEMPREG_MAX; i++) {
		if (!tempreg[i]) {
			tempreg[i] = path;
			return;
		}
	}
}

void tempreg_remove(const char *path)
{
	size_t i;

	for (i = 0; i < TEMPREG_MAX; i++)
		if (tempreg[i] == path)
			tempreg[i] = NULL;
}

static void on_signal(int sig)
{
	size_t i;

	for (i = 0; i < TEMPREG_MAX; i++)
		if (tempreg[i])
			unlink(tempreg[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int cleanup_sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

/* Hold the cleanup signals while a temporary file exists but is not yet
 * registered, so an interruption in between cannot leave it behind. */
static void hold_signals(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof(cleanup_sigs) / sizeof(cleanup_sigs[0]); i++)
		sigaddset(&set, cleanup_sigs[i]);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

void fileio_cleanup_signals(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(cleanup_sigs) / sizeof(cleanup_sigs[0]); i++)
		sigaction(cleanup_sigs[i], &sa, NULL);
}

int write_full(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return 0;
	while (empty && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

/* ---- removing without following links ---- */

static int rm_at_depth(int dirfd, const char *name, int depth);

static int rm_contents(int fd, int depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	int ret = 0;

	if (!d) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			ret |= rm_at_depth(dirfd(d), e->d_name, depth + 1);
	closedir(d);
	return ret;
}

static int rm_at_depth(int dirfd, const char *name, int depth)
{
	struct stat st;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0);
	if (depth > 512)
		return -1;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	fchmod(fd, 0700);
	if (rm_contents(fd, depth))
		return -1;
	return unlinkat(dirfd, name, AT_REMOVEDIR);
}

int rm_at(int dirfd, const char *name)
{
	return rm_at_depth(dirfd, name, 0);
}

int rm_tree(const char *path, int keep_top)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (rm_contents(fd, 0))
		return -1;
	return keep_top ? 0 : rmdir(path);
}

/* ---- temporary names that say who made them ---- */

char *temp_template(const char *dir, const char *prefix)
{
	return xasprintf("%s/%s%ld-XXXXXX", dir, prefix, (long)getpid());
}

/* The creator's PID in "<prefix><pid>-XXXXXX", else 0. */
static pid_t temp_pid(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	long v;

	if (strncmp(name, prefix, n) != 0 || name[n] < '1' || name[n] > '9')
		return 0;
	errno = 0;
	v = strtol(name + n, &end, 10);
	if (errno || v <= 0 || v > INT_MAX || *end != '-' || strlen(end + 1) != 6)
		return 0;
	return (pid_t)v;
}

int temp_sweep(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	time_t now = time(NULL);
	int removed = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		pid_t pid = temp_pid(e->d_name, prefix);
		struct stat st;

		if (!pid || pid == getpid())
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue; /* alive, or not ours to signal: alive */
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    st.st_mtime > now - TEMP_STALE_SECONDS)
			continue;
		if (rm_at(dirfd(d), e->d_name) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

int atomic_open(struct atomic_file *af, const char *path, mode_t mode,
		struct xp_error *err)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *dir, *prefix;
	struct stat st;
	sigset_t old;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		af->fd = open(path, O_WRONLY | O_CLOEXEC);
		if (af->fd < 0)
			return xp_error_errno(err, XP_ERR_LOCAL, "cannot open '%s'", path);
		af->path = xstrdup(path);
		af->tmp = NULL;
		return 0;
	}
	dir = dir_of(path);
	af->path = xstrdup(path);
	prefix = xasprintf(".%s.tmp-", base);
	temp_sweep(dir, prefix);
	af->tmp = temp_template(dir, prefix);
	free(prefix);
	free(dir);
	hold_signals(&old);
	af->fd = mkstemp(af->tmp);
	if (af->fd >= 0)
		tempreg_add(af->tmp);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (af->fd < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot create '%s'", path);
		free(af->tmp);
		free(af->path);
		af->tmp = af->path = NULL;
		return -1;
	}
	if (fchmod(af->fd, mode) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot set mode of '%s'", path);
		atomic_abort(af);
		return -1;
	}
	return 0;
}

int atomic_write(struct atomic_file *af, const void *data, size_t len,
		 struct xp_error *err)
{
	if (write_full(af->fd, data, len) < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot write '%s'", af->path);
	return 0;
}

int atomic_commit(struct atomic_file *af, struct xp_error *err)
{
	char *dir;

	if (!af->tmp) {   /* written directly: a device or FIFO */
		int r = close(af->fd);

		af->fd = -1;
		if (r < 0)
			xp_error_errno(err, XP_ERR_LOCAL, "cannot write '%s'", af->path);
		free(af->path);
		af->path = NULL;
		return r < 0 ? -1 : 0;
	}
	if (fsync(af->fd) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot write '%s'", af->path);
		atomic_abort(af);
		return -1;
	}
	if (close(af->fd) < 0) {
		af->fd = -1;
		xp_error_errno(err, XP_ERR_LOCAL, "cannot write '%s'", af->path);
		atomic_abort(af);
		return -1;
	}
	af->fd = -1;
	if (rename(af->tmp, af->path) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot rename into '%s'", af->path);
		atomic_abort(af);
		return -1;
	}
	tempreg_remove(af->tmp);
	dir = dir_of(af->path);
	fsync_dir(dir);
	free(dir);
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
	return 0;
}

void atomic_abort(struct atomic_file *af)
{
	if (af->fd >= 0)
		close(af->fd);
	af->fd = -1;
	if (af->tmp) {
		unlink(af->tmp);
		tempreg_remove(af->tmp);
	}
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
}

int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
		      struct xp_error *err)
{
	struct atomic_file af;

	if (atomic_open(&af, path, mode, err))
		return -1;
	if (atomic_write(&af, data, len, err)) {
		atomic_abort(&af);
		return -1;
	}
	return atomic_commit(&af, err);
}

int file_read_all(const char *path, size_t max, char **out, size_t *len,
		  struct xp_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot open '%s'", path);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", path);
			goto fail;
		}
		if (n == 0)
			break;
		if (sb.len + (size_t)n > max) {
			xp_error_set(err, XP_ERR_MALFORMED,
				     "cannot read '%s': larger than %zu bytes", path, max);
			goto fail;
		}
		strbuf_add(&sb, buf, (size_t)n);
	}
	close(fd);
	if (len)
		*len = sb.len;
	*out = strbuf_detach(&sb, NULL);
	return 0;
fail:
	close(fd);
	strbuf_release(&sb);
	return -1;
}

int mkdir_p(const char *path, mode_t mode, struct xp_error *err)
{
	char *p, *s;
	int ret = 0;

	if (!*path) {
		errno = ENOENT;
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot create directory ''");
	}
	p = xstrdup(path);
	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			struct stat st;

			*s = '\0';
			if (mkdir(p, mode) < 0 && errno != EEXIST) {
				ret = xp_error_errno(err, XP_ERR_LOCAL, "cannot create directory '%s'", p);
				break;
			}
			if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode)) {
				errno = ENOTDIR;
				ret = xp_error_errno(err, XP_ERR_LOCAL, "cannot create directory '%s'", p);
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return ret;
}

int file_append_env(const char *var, const void *data, size_t len, struct xp_error *err)
{
	const char *path = getenv(var);
	int fd;

	if (!path || !*path)
		return 0;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || write_full(fd, data, len) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot append to %s '%s'", var, path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (close(fd) < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot append to %s '%s'", var, path);
	return 0;
}
