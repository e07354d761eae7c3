/*
 * unpack.c — verified, confined extraction of a bundle's layers (see
 * unpack.h).
 */
#include "packager/unpack.h"
#include "packager/bundle.h"
#include "packager/tree.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "common/utf8.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK (1u << 20)
#define WHITEOUT ".wh."
#define OPAQUE ".wh..wh..opq"

/* ---- paths in the staging tree, never through a link ---- */

/* Open the directory holding `path` (relative to the working directory, the
 * staging tree; checked clean) without following any link on the way; *last
 * points at the final component. -1 with errno (ENOTDIR: a component is not
 * a directory, ELOOP: it is a link, ENOENT) and *bad the length of the
 * prefix that failed. */
static int open_parent(const char *path, const char **last, size_t *bad)
{
	const char *p = path, *slash;
	int fd = AT_FDCWD;

	while ((slash = strchr(p, '/'))) {
		char *comp = xstrndup(p, (size_t)(slash - p));
		int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;

		free(comp);
		if (fd != AT_FDCWD)
			close(fd);
		if (next < 0) {
			if (bad)
				*bad = (size_t)(slash - path);
			errno = e;
			return -1;
		}
		fd = next;
		p = slash + 1;
	}
	*last = p;
	return fd;
}

static void close_parent(int fd)
{
	if (fd >= 0 && fd != AT_FDCWD)
		close(fd);
}

/* lstat of `path` in the staging tree; -1 with errno when it is not there
 * (or a parent is not a directory). */
static int staged_lstat(const char *path, struct stat *st)
{
	const char *last;
	int fd = open_parent(path, &last, NULL), ret;

	if (fd == -1)
		return -1;
	ret = fstatat(fd, last, st, AT_SYMLINK_NOFOLLOW);
	close_parent(fd);
	return ret;
}

/* Remove `path` from the staging tree without following any link on the way
 * (a missing path, or one behind a link, is nothing to remove). */
static int rm_path(const char *path)
{
	const char *last;
	int fd = open_parent(path, &last, NULL), ret;

	if (fd == -1)
		return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? 0 : -1;
	ret = rm_at(fd, last);
	close_parent(fd);
	return ret;
}

/* ---- the names one layer wrote ---- */

/* Whiteouts apply to what earlier layers extracted only: the names this
 * layer wrote are kept, sorted on demand for lookups. */
struct names {
	char **v;
	size_t n, cap;
	int sorted;
};

static void names_add(struct names *ns, const char *name)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? 2 * ns->cap : 64;
		ns->v = xrealloc(ns->v, ns->cap * sizeof(*ns->v));
	}
	ns->v[ns->n++] = xstrdup(name);
	ns->sorted = 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* First index whose name is >= key. */
static size_t names_lower(struct names *ns, const char *key)
{
	size_t lo = 0, hi = ns->n;

	if (!ns->n)
		return 0;
	if (!ns->sorted) {
		qsort(ns->v, ns->n, sizeof(*ns->v), cmp_name);
		ns->sorted = 1;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ns->v[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* 1 when this layer wrote `name` or something under it. */
static int names_cover(struct names *ns, const char *name)
{
	size_t len = strlen(name), i = names_lower(ns, name);

	for (; i < ns->n && strncmp(ns->v[i], name, len) == 0; i++)
		if (ns->v[i][len] == '\0' || ns->v[i][len] == '/')
			return 1;
	return 0;
}

static void names_release(struct names *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

/* ---- entry checks ---- */

/* "./a/b/" → "a/b"; NULL for the root itself. */
static char *clean_name(const char *name)
{
	size_t len;

	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (name[0] == '/' && name[1] == '/')
		name++;
	len = strlen(name);
	while (len > 1 && name[len - 1] == '/')
		len--;
	if (!len || (len == 1 && name[0] == '.'))
		return NULL;
	return xstrndup(name, len);
}

/* Why a path may not be written, or NULL. */
static const char *path_problem(const char *name)
{
	const char *p = name;

	if (*name == '/')
		return "absolute path";
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return "path contains '..'";
		p += len;
		while (*p == '/')
			p++;
	}
	return NULL;
}

static size_t depth_of(const char *name)
{
	size_t n = 0;

	for (; *name; name++)
		n += *name == '/';
	return n;
}

struct layer_ctx {
	struct xp_reader *r;
	unsigned char *buf;
	const char *digest;
	const struct xp_progress *progress;
	char label[32];
	uint64_t done, total;
	struct xp_error err;
	int failed;
	int eof;            /* the blob was read to its end */
	uint64_t base;      /* bytes earlier layers expanded to */
	uint64_t max;       /* the cap on expanded bytes, all layers */
};

/* Expanded bytes so far, all layers: earlier layers' and this one's tar
 * stream after decompression, plus `more` about to be written. */
static int too_big(struct layer_ctx *c, struct archive *a, uint64_t more, struct xp_error *err)
{
	la_int64_t here = archive_filter_bytes(a, 0);
	uint64_t total = c->base + (here > 0 ? (uint64_t)here : 0);

	if (total <= c->max && more <= c->max - total)
		return 0;
	return xp_error_set(err, XP_ERR_REFUSED,
			    "refusing layer '%s': the bundle expands past %llu bytes (--max-size)",
			    c->digest, (unsigned long long)c->max);
}

static la_ssize_t read_cb(struct archive *a, void *arg, const void **out)
{
	struct layer_ctx *c = arg;
	ssize_t n = reader_read(c->r, c->buf, READ_CHUNK, &c->err);

	if (n < 0) {
		c->failed = 1;
		archive_set_error(a, EIO, "%s", c->err.msg);
		return -1;
	}
	if (n == 0)
		c->eof = 1;
	c->done += (uint64_t)n;
	if (c->total >= READ_CHUNK)
		xp_progress_update(c->progress, c->label, c->done, c->total);
	*out = c->buf;
	return n;
}

/* libarchive converts the UTF-8 names of pax headers into the locale's
 * character set, and into a UTF-8 locale it would also normalise them (NFD to
 * NFC), changing the bytes. Extraction runs in the C locale (extract_all),
 * where no non-ASCII name converts: libarchive warns and keeps the archive's
 * bytes, which is exactly what is wanted. That warning is not an error. */
static int next_header(struct archive *a, struct archive_entry **e)
{
	const char *const *p;
	const char *names[5];
	int r = archive_read_next_header(a, e);

	if (r != ARCHIVE_WARN)
		return r;
	names[0] = archive_entry_pathname(*e);
	names[1] = archive_entry_hardlink(*e);
	names[2] = archive_entry_symlink(*e);
	names[3] = archive_entry_uname(*e);
	names[4] = archive_entry_gname(*e);
	for (p = names; p < names + 5; p++)
		if (*p && utf8_has_non_ascii(*p))
			return ARCHIVE_OK;
	return r;
}

/* Refuse what must not be extracted. The staging tree is the working
 * directory: what earlier entries made there is checked too; *is_dir is set
 * when `name` is a directory there already. */
static int check_entry(struct archive_entry *e, const char *name, const char *digest,
		       int *is_dir, struct xp_error *err)
{
	const char *why = path_problem(name), *link = archive_entry_hardlink(e), *last;
	mode_t type = archive_entry_filetype(e);
	char *t = NULL;
	struct stat st;
	size_t bad = 0;
	int fd;

	if (!why && link) {
		t = clean_name(link);
		why = !t ? "hard link to the root" : path_problem(t) ? "hard link out of the bundle" : NULL;
		if (!why && staged_lstat(t, &st) < 0)
			why = "hard link to an entry that is not there";
		else if (!why && S_ISDIR(st.st_mode))
			why = "hard link to a directory";
	}
	if (!why && !link && type == AE_IFLNK) {
		link = archive_entry_symlink(e);
		if (!link || !tree_link_inside(link, depth_of(name)))
			why = "symbolic link out of the bundle";
	}
	if (!why && !link && type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK)
		why = "not a regular file, directory or link";
	if (why) {
		free(t);
		return xp_error_set(err, XP_ERR_REFUSED, "refusing '%s' in layer '%s': %s", name,
				    digest, why);
	}
	free(t);
	/* a parent that an earlier entry made a file (a link is libarchive's
	 * to refuse: it never writes through one) */
	fd = open_parent(name, &last, &bad);
	if (fd == -1 && errno == ENOTDIR) {
		t = xstrndup(name, bad);
		if (staged_lstat(t, &st) == 0 && S_ISLNK(st.st_mode))
			bad = 0;
		free(t);
		if (bad)
			return xp_error_set(err, XP_ERR_REFUSED,
					    "refusing '%s' in layer '%s': '%.*s' is not a directory",
					    name, digest, (int)bad, name);
	}
	*is_dir = fd != -1 && fstatat(fd, last, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		  S_ISDIR(st.st_mode);
	close_parent(fd);
	return 0;
}

/* An entry replacing a directory of an earlier layer by something else
 * replaces the whole directory, as an overlay would. */
static int replace_dir(struct archive_entry *e, const char *name, int is_dir,
		       const char *digest, struct xp_error *err)
{
	if (!is_dir || (archive_entry_filetype(e) == AE_IFDIR && !archive_entry_hardlink(e)))
		return 0;
	if (rm_path(name))
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot replace '%s' of layer '%s'", name,
				      digest);
	return 0;
}

/* The permission bits pack writes: no setuid, setgid, sticky or
 * group/world-writable bit comes out of a layer. */
static void normalise_mode(struct archive_entry *e)
{
	mode_t type = archive_entry_filetype(e);

	if (type == AE_IFLNK && !archive_entry_hardlink(e))
		return;
	archive_entry_set_perm(e, tree_mode(type == AE_IFDIR && !archive_entry_hardlink(e)
					    ? TREE_DIR : TREE_FILE, archive_entry_perm(e)));
}

/* Remove what earlier layers put under `dir` (fd open on it, consumed),
 * keeping what this layer wrote; nothing is followed. */
static int prune(int fd, const char *dir, struct names *ns, int depth)
{
	struct names kids = {0};
	DIR *d;
	struct dirent *de;
	size_t i;
	int ret = 0, dfd;

	if (depth > 512) {
		close(fd);
		errno = ELOOP;
		return -1;
	}
	dfd = dup(fd);
	d = dfd < 0 ? NULL : fdopendir(dfd);
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		close(fd);
		return -1;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			names_add(&kids, de->d_name);
	closedir(d);
	for (i = 0; !ret && i < kids.n; i++) {
		char *path = *dir ? xasprintf("%s/%s", dir, kids.v[i]) : xstrdup(kids.v[i]);
		struct stat st;

		if (!names_cover(ns, path)) {
			ret = rm_at(fd, kids.v[i]);
		} else if (fstatat(fd, kids.v[i], &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			   S_ISDIR(st.st_mode)) {
			int sub = openat(fd, kids.v[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			ret = sub < 0 ? -1 : prune(sub, path, ns, depth + 1);
		}
		free(path);
	}
	names_release(&kids);
	close(fd);
	return ret;
}

/* An opaque marker in `dir` ("" for the root): hide everything earlier
 * layers put there. */
static int opaque(const char *dir, struct names *ns)
{
	const char *last;
	int pfd, fd;

	if (!*dir) {
		fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else {
		pfd = open_parent(dir, &last, NULL);
		if (pfd == -1)
			return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? 0 : -1;
		fd = openat(pfd, last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close_parent(pfd);
	}
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? 0 : -1;
	return prune(fd, dir, ns, 0);
}

/* A whiteout (".wh.NAME" removes NAME, ".wh..wh..opq" empties its directory
 * of what earlier layers put there); 1 when the entry was one. A whiteout
 * that names no entry of its directory ("", ".", "..") is refused. */
static int whiteout(const char *name, const char *digest, struct names *ns,
		    struct xp_error *err)
{
	const char *base = tree_basename(name), *what = base + strlen(WHITEOUT);
	char *target;
	int ret;

	if (strncmp(base, WHITEOUT, strlen(WHITEOUT)) != 0)
		return 0;
	if (strcmp(base, OPAQUE) == 0) {
		target = xstrndup(name, base == name ? 0 : (size_t)(base - name - 1));
		ret = opaque(target, ns);
	} else {
		if (!*what || !strcmp(what, ".") || !strcmp(what, ".."))
			return xp_error_set(err, XP_ERR_REFUSED,
					    "refusing '%s' in layer '%s': whiteout of '%s', not a name",
					    name, digest, what);
		target = xasprintf("%.*s%s", (int)(base - name), name, what);
		/* what this layer wrote there stays */
		ret = names_cover(ns, target) ? opaque(target, ns) : rm_path(target);
	}
	free(target);
	if (ret)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot apply whiteout '%s' of layer '%s'",
				      name, digest);
	return 1;
}

static int copy_data(struct archive *in, struct archive *out, struct archive_entry *e,
		     const char *name, const char *digest, struct layer_ctx *c,
		     struct xp_error *err)
{
	const void *buf;
	size_t size;
	la_int64_t off, end = 0;
	int r;

	while ((r = archive_read_data_block(in, &buf, &size, &off)) == ARCHIVE_OK) {
		if (too_big(c, in, 0, err))
			return -1;
		if (archive_write_data_block(out, buf, size, off) != ARCHIVE_OK)
			return xp_error_set(err, XP_ERR_LOCAL, "cannot write '%s': %s", name,
					    archive_error_string(out));
		end = off + (la_int64_t)size;
	}
	/* the stream ended right after the data (no padding): the entry is whole */
	if (r == ARCHIVE_FATAL && c->eof && !c->failed && end == archive_entry_size(e))
		r = ARCHIVE_EOF;
	if (r != ARCHIVE_EOF) {
		if (c->failed) {
			*err = c->err;
			return -1;
		}
		return xp_error_set(err, XP_ERR_MALFORMED, "cannot read layer '%s': %s", digest,
				    archive_error_string(in));
	}
	return 0;
}

static int read_fail(struct layer_ctx *c, struct archive *a, const char *digest,
		     struct xp_error *err)
{
	if (c->failed) {
		*err = c->err;
		return -1;
	}
	return xp_error_set(err, XP_ERR_MALFORMED, "cannot read layer '%s': %s", digest,
			    archive_error_string(a) ? archive_error_string(a) : "unknown error");
}

/* Extract one layer, read from r (consumed), into the staging directory:
 * the working directory while libarchive writes (store paths, which may be
 * relative, are opened before: r is already open). */
static int extract_layer(struct xp_reader *r_in, const struct oci_desc *d, struct archive *disk,
			 int staging_fd, int cwd_fd, uint64_t max, const struct xp_progress *progress,
			 struct unpack_stats *st, struct xp_error *err)
{
	struct layer_ctx c;
	struct names written = {0};
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	la_int64_t expanded;
	int r, complete = 1, ret = -1;

	memset(&c, 0, sizeof(c));
	c.r = r_in;
	c.base = st->expanded;
	c.max = max;
	c.digest = d->digest;
	c.progress = progress;
	c.total = (uint64_t)d->size;
	snprintf(c.label, sizeof(c.label), "%.19s", d->digest);
	c.buf = xmalloc(READ_CHUNK);
	if (!a || fchdir(staging_fd) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot enter the staging directory");
		goto out;
	}
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	if (archive_read_open(a, &c, NULL, read_cb, NULL) != ARCHIVE_OK) {
		read_fail(&c, a, d->digest, err);
		goto out;
	}
	while ((r = next_header(a, &e)) == ARCHIVE_OK) {
		char *name = clean_name(archive_entry_pathname(e));
		la_int64_t size = archive_entry_size(e);
		int w = 0, is_dir = 0;

		if (!name)
			continue;
		complete = 0;
		if (too_big(&c, a, size > 0 ? (uint64_t)size : 0, err) ||
		    check_entry(e, name, d->digest, &is_dir, err) ||
		    (w = whiteout(name, d->digest, &written, err)) < 0 ||
		    (!w && replace_dir(e, name, is_dir, d->digest, err))) {
			free(name);
			goto out;
		}
		if (!w) {
			archive_entry_set_pathname(e, name);
			normalise_mode(e);
			if (archive_write_header(disk, e) != ARCHIVE_OK) {
				xp_error_set(err, archive_errno(disk) > 0 ? XP_ERR_LOCAL : XP_ERR_REFUSED,
					     "refusing '%s' in layer '%s': %s", name, d->digest,
					     archive_error_string(disk));
				free(name);
				goto out;
			}
			names_add(&written, name);
			if (size > 0 && copy_data(a, disk, e, name, d->digest, &c, err)) {
				free(name);
				goto out;
			}
			if (archive_write_finish_entry(disk) != ARCHIVE_OK) {
				xp_error_set(err, XP_ERR_LOCAL, "cannot write '%s': %s", name,
					     archive_error_string(disk));
				free(name);
				goto out;
			}
			st->entries++;
		}
		complete = 1;
		free(name);
	}
	/* Some writers end the stream right after the last entry's data, without
	 * padding and end-of-archive blocks: accept that, the entry is whole. */
	if (r == ARCHIVE_FATAL && c.eof && complete && !c.failed)
		r = ARCHIVE_EOF;
	if (r != ARCHIVE_EOF) {
		read_fail(&c, a, d->digest, err);
		goto out;
	}
	/* read to the very end: the verifying reader checks the digest there */
	for (;;) {
		ssize_t n = reader_read(c.r, c.buf, READ_CHUNK, err);

		if (n < 0)
			goto out;
		if (n == 0)
			break;
		c.done += (uint64_t)n;
	}
	if (c.total >= READ_CHUNK)
		xp_progress_done(progress, c.label, c.done);
	st->layers++;
	st->bytes += c.done;
	expanded = archive_filter_bytes(a, 0);
	st->expanded += expanded > 0 ? (uint64_t)expanded : 0;
	ret = 0;
out:
	names_release(&written);
	if (fchdir(cwd_fd) < 0 && ret == 0)
		ret = xp_error_errno(err, XP_ERR_LOCAL, "cannot return to the working directory");
	if (a)
		archive_read_free(a);
	reader_close(c.r);
	free(c.buf);
	return ret;
}

static int layer_type_ok(const char *mt)
{
	static const char *const suffixes[] = {".tar", ".tar+gzip", ".tar+zstd", NULL};
	const char *const *sfx;
	size_t n = strlen(mt);

	if (strcmp(mt, DOCKER_MT_LAYER_GZIP) == 0)
		return 1;
	if (strncmp(mt, "application/vnd.oci.image.layer.v1.tar", 38) != 0 &&
	    strncmp(mt, "application/vnd.cncf.model.", 27) != 0)
		return 0;
	for (sfx = suffixes; *sfx; sfx++) {
		size_t m = strlen(*sfx);

		if (n >= m && strcmp(mt + n - m, *sfx) == 0)
			return 1;
	}
	return strcmp(mt, OCI_MT_LAYER) == 0;
}

/* The staging directory beside dir (created). */
static char *make_staging(const char *dir, struct xp_error *err)
{
	const char *slash = strrchr(dir, '/');
	char *parent = slash ? xstrndup(dir, slash == dir ? 1 : (size_t)(slash - dir)) : xstrdup(".");
	char *tmpl, *prefix;
	mode_t mask;

	if (mkdir_p(parent, 0755, err)) {
		free(parent);
		return NULL;
	}
	/* what an unpack into the same DIR killed before left behind */
	prefix = xasprintf(".%s.unpack-", slash ? slash + 1 : dir);
	temp_sweep(parent, prefix);
	tmpl = temp_template(parent, prefix);
	free(prefix);
	free(parent);
	if (!mkdtemp(tmpl)) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot create a directory beside '%s'", dir);
		free(tmpl);
		return NULL;
	}
	/* DIR gets the mode a plain mkdir would give it */
	mask = umask(0);
	umask(mask);
	chmod(tmpl, 0777 & ~mask);
	return tmpl;
}

static struct archive *disk_writer(void)
{
	struct archive *w = archive_write_disk_new();

	if (w)
		archive_write_disk_set_options(w, ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
					       ARCHIVE_EXTRACT_SECURE_SYMLINKS |
					       ARCHIVE_EXTRACT_SECURE_NODOTDOT |
					       ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);
	return w;
}

static int extract_all(struct store *s, const struct oci_manifest *m, const char *staging,
		       uint64_t max, const struct xp_progress *progress, struct unpack_stats *st,
		       struct xp_error *err)
{
	struct archive *disk = NULL;
	int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), sfd = -1, ret = -1;
	locale_t c_loc, prev = (locale_t)0;
	size_t i;

	if (cwd < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot open the working directory");
	/* names as the archive holds them, whatever the caller's locale (next_header) */
	c_loc = newlocale(LC_CTYPE_MASK, "C", (locale_t)0);
	if (!c_loc) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot extract: no C locale");
		goto out;
	}
	prev = uselocale(c_loc);
	sfd = open(staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sfd < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot open '%s'", staging);
		goto out;
	}
	disk = disk_writer();
	if (!disk) {
		xp_error_set(err, XP_ERR_LOCAL, "cannot extract: out of memory");
		goto out;
	}
	for (i = 0; i < m->n_layers; i++) {
		struct xp_reader *r;

		if (store_fetch(s, &m->layers[i].desc, &r, err) ||
		    extract_layer(r, &m->layers[i].desc, disk, sfd, cwd, max, progress, st, err))
			goto out;
	}
	if (fchdir(sfd) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot enter '%s'", staging);
		goto out;
	}
	/* directory modes and times are set at close, inside the staging directory */
	if (archive_write_close(disk) != ARCHIVE_OK)
		xp_error_set(err, XP_ERR_LOCAL, "cannot finish extraction: %s",
			     archive_error_string(disk));
	else
		ret = 0;
	if (fchdir(cwd) < 0 && ret == 0)
		ret = xp_error_errno(err, XP_ERR_LOCAL, "cannot return to the working directory");
out:
	if (disk) {
		if (ret && fchdir(sfd) == 0) {
			archive_write_free(disk); /* its pending fixups are relative */
			if (fchdir(cwd) < 0)
				ret = xp_error_errno(err, XP_ERR_LOCAL,
						     "cannot return to the working directory");
		} else {
			archive_write_free(disk);
		}
	}
	if (sfd >= 0)
		close(sfd);
	close(cwd);
	if (c_loc) {
		if (prev)
			uselocale(prev);
		freelocale(c_loc);
	}
	return ret;
}

uint64_t unpack_default_max_size(const struct oci_manifest *m)
{
	uint64_t max = UNPACK_MAX_BASE;
	size_t i;

	for (i = 0; i < m->n_layers; i++) {
		uint64_t size = m->layers[i].desc.size > 0 ? (uint64_t)m->layers[i].desc.size : 0;

		if (size > (UINT64_MAX - max) / UNPACK_MAX_RATIO)
			return UINT64_MAX;
		max += size * UNPACK_MAX_RATIO;
	}
	return max;
}

int unpack_bundle(struct store *s, const struct oci_desc *desc, const char *target,
		  uint64_t max_size, const struct xp_progress *progress, struct unpack_stats *stats,
		  struct xp_error *err)
{
	struct oci_manifest m;
	struct oci_desc md;
	struct unpack_stats st;
	struct stat sb;
	char *staging = NULL, *dir = xstrdup(target);
	size_t i, len = strlen(dir);
	int ret = -1;

	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = '\0';
	memset(&st, 0, sizeof(st));
	memset(&m, 0, sizeof(m));
	memset(&md, 0, sizeof(md));
	if (lstat(dir, &sb) == 0 && !(S_ISDIR(sb.st_mode) && dir_is_empty(dir))) {
		xp_error_set(err, XP_ERR_USAGE,
			     "cannot unpack into '%s': it exists and is not an empty directory", dir);
		goto out;
	}
	if (bundle_load_manifest(s, desc, &md, &m, err))
		goto out;
	for (i = 0; i < m.n_layers; i++) {
		if (!layer_type_ok(m.layers[i].desc.media_type)) {
			xp_error_set(err, XP_ERR_MALFORMED,
				     "cannot unpack layer '%s': unsupported media type '%s'",
				     m.layers[i].desc.digest, m.layers[i].desc.media_type);
			goto out;
		}
	}
	staging = make_staging(dir, err);
	if (!staging)
		goto out;
	if (extract_all(s, &m, staging, max_size ? max_size : unpack_default_max_size(&m),
			progress, &st, err))
		goto out;
	if (rename(staging, dir) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot rename into '%s'", dir);
		goto out;
	}
	free(staging);
	staging = NULL;
	if (stats)
		*stats = st;
	ret = 0;
out:
	if (staging) {
		rm_tree(staging, 0);
		free(staging);
	}
	oci_manifest_release(&m);
	oci_desc_release(&md);
	free(dir);
	return ret;
}
