/*
 * fileio.h — whole-file reads and crash-safe writes.
 *
 * An atomic file is written under a temporary name in the target's directory
 * (".<name>.tmp-<pid>-XXXXXX"), fsync'd, renamed over the target and the directory
 * fsync'd: readers see the old content or the new, never a torn file. Live
 * temporary paths are registered so that fileio_cleanup_signals() can remove them
 * when the process is interrupted (SIGINT, SIGTERM, SIGHUP, SIGPIPE). SIGKILL
 * cannot be caught: temporary names carry the creator's PID, so that a later
 * run can tell the ones left by a dead process (temp_sweep): atomic_open
 * removes those of its target before it creates its own.
 * All errors are XP_ERR_LOCAL with strerror as the cause.
 */
#ifndef XPSHIP_COMMON_FILEIO_H
#define XPSHIP_COMMON_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"

struct atomic_file {
	int fd;
	char *path;   /* final name */
	char *tmp;    /* temporary name, NULL once committed or aborted, and for
	                 a path that is not a regular file (written directly) */
};

/* Open a temporary file next to path, to be renamed over it at commit. A
 * path that exists and is not a regular file or directory (/dev/null,
 * /dev/stdout, a FIFO) is opened and written directly: renaming over it would
 * replace the device with a file. */
int atomic_open(struct atomic_file *af, const char *path, mode_t mode,
		struct xp_error *err);
int atomic_write(struct atomic_file *af, const void *data, size_t len,
		 struct xp_error *err);
/* fsync + rename + fsync(dir); releases af either way. */
int atomic_commit(struct atomic_file *af, struct xp_error *err);
/* Remove the temporary file and release af; safe after commit (no-op). */
void atomic_abort(struct atomic_file *af);

/* Append data to the file the environment variable `var` names (a CI
 * system's step files: $GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT), created 0644
 * when missing; nothing when var is unset or empty. */
int file_append_env(const char *var, const void *data, size_t len, struct xp_error *err);

int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
		      struct xp_error *err);

/* Read a whole file (at most `max` bytes, else XP_ERR_MALFORMED: an input that
 * large is not one this tool reads) into a NUL-terminated buffer the caller
 * frees. */
int file_read_all(const char *path, size_t max, char **out, size_t *len,
		  struct xp_error *err);

/* write(2) until done, retrying EINTR; -1 with errno set on failure. */
int write_full(int fd, const void *data, size_t len);
/* read(2) until len bytes or EOF; returns bytes read or -1 with errno. */
ssize_t read_full(int fd, void *buf, size_t len);

int fsync_dir(const char *dir);
/* 1 when `dir` is a directory that can be read and holds nothing but . and .. */
int dir_is_empty(const char *dir);
/* Remove dirfd/name: a file, or a directory with everything in it, following
 * no link (a link is removed, not its target). A missing name is not an error.
 * 0, or -1 with errno. */
int rm_at(int dirfd, const char *name);
/* Remove the directory `path` and everything in it, following no link inside
 * it; with keep_top, `path` itself stays, empty. 0 (also when `path` does not
 * exist), or -1 with errno. */
int rm_tree(const char *path, int keep_top);
/* mkdir -p; mode for new directories. */
int mkdir_p(const char *path, mode_t mode, struct xp_error *err);

/* "DIR/<prefix><pid>-XXXXXX" for mkstemp/mkdtemp, <pid> this process's;
 * the caller frees it. */
char *temp_template(const char *dir, const char *prefix);
/* Remove what dead processes left in `dir` under temp_template(dir, prefix)
 * names: the PID in the name is not alive (kill(pid, 0) fails with ESRCH) and
 * the entry was not modified in the last TEMP_STALE_SECONDS, so a live
 * writer's file is never removed, not even one of a process in another PID
 * namespace sharing the directory. A directory goes with everything in it,
 * no link followed. Returns how many were removed; errors are ignored (a
 * temporary left behind costs space, not correctness). */
#define TEMP_STALE_SECONDS 60
int temp_sweep(const char *dir, const char *prefix);

/* Temporary paths removed on interruption; the string must outlive its
 * registration. */
void tempreg_add(const char *path);
void tempreg_remove(const char *path);
void fileio_cleanup_signals(void);

#endif
