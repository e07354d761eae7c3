/*
 * tar.c — index and header writer for the oci-archive container (see tar.h).
 */
#include "packager/tar.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAX_MAX (1u << 20)       /* extended header data we are willing to read */
#define LONGNAME_MAX 65536

/* ---- numbers ---- */

/* Octal (space/NUL terminated, leading spaces allowed) or base-256. */
static int parse_num(const unsigned char *f, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (f[0] & 0x80) {
		if (f[0] != 0x80)
			return -1; /* negative or too large */
		for (i = 1; i < n; i++) {
			if (v >> 56)
				return -1;
			v = (v << 8) | f[i];
		}
		*out = v;
		return 0;
	}
	while (i < n && f[i] == ' ')
		i++;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 60)
			return -1;
		v = (v << 3) | (uint64_t)(f[i] - '0');
	}
	if (i < n && f[i] != ' ' && f[i] != '\0')
		return -1;
	*out = v;
	return 0;
}

static void put_octal(unsigned char *f, size_t n, uint64_t v)
{
	size_t i = n - 1;

	f[i] = '\0';
	while (i > 0) {
		f[--i] = (unsigned char)('0' + (v & 7));
		v >>= 3;
	}
}

static void put_size(unsigned char *f, size_t n, uint64_t v)
{
	size_t i;

	if (v < (1ull << 33)) {
		put_octal(f, n, v);
		return;
	}
	memset(f, 0, n);
	f[0] = 0x80;
	for (i = n - 1; i > 0 && v; i--) {
		f[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static int checksum_ok(const unsigned char *h)
{
	uint64_t want, u = 0;
	int64_t s = 0;
	size_t i;

	if (parse_num(h + 148, 8, &want))
		return 0;
	for (i = 0; i < TAR_BLOCK; i++) {
		unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];

		u += c;
		s += (signed char)c;
	}
	return want == u || (int64_t)want == s;
}

int tar_header(unsigned char h[TAR_BLOCK], const char *name, char type, uint64_t size)
{
	size_t len = strlen(name), split = 0;
	unsigned sum = 0;
	size_t i;

	memset(h, 0, TAR_BLOCK);
	if (len > 100) {
		/* split at a '/' so that prefix <= 155 and name <= 100 */
		for (i = len - 1; i > 0; i--) {
			if (name[i] == '/' && i <= 155 && len - i - 1 <= 100 && len - i - 1 > 0) {
				split = i;
				break;
			}
		}
		if (!split)
			return -1;
		memcpy(h + 345, name, split);
		memcpy(h, name + split + 1, len - split - 1);
	} else {
		memcpy(h, name, len);
	}
	put_octal(h + 100, 8, type == '5' ? 0755 : 0644);
	put_octal(h + 108, 8, 0);
	put_octal(h + 116, 8, 0);
	put_size(h + 124, 12, type == '5' ? 0 : size);
	put_octal(h + 136, 12, 0);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (i = 0; i < TAR_BLOCK; i++)
		sum += h[i];
	put_octal(h + 148, 7, sum);
	h[155] = ' ';
	return 0;
}

/* ---- reading ---- */

static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	char *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* Strip "./" and leading "/"-less forms; NULL for names we refuse to use. */
static char *normalise(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = name;

	if (*p == '/')
		return NULL;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			strbuf_release(&sb);
			return NULL;
		}
		if (n && !(n == 1 && p[0] == '.')) {
			if (sb.len)
				strbuf_addc(&sb, '/');
			strbuf_add(&sb, p, n);
		}
		p += n;
		if (*p == '/')
			p++;
	}
	if (!sb.len) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* Parse pax records "LEN key=value\n" for path and size. */
static int parse_pax(const char *d, size_t n, char **path, uint64_t *size, int *has_size)
{
	size_t off = 0;

	while (off < n) {
		const char *rec = d + off, *sp, *eq;
		uint64_t len = 0;
		size_t i;

		for (i = 0; off + i < n && rec[i] >= '0' && rec[i] <= '9'; i++) {
			if (len > n)
				return -1;
			len = len * 10 + (uint64_t)(rec[i] - '0');
		}
		if (!i || off + i >= n || rec[i] != ' ' || len <= i + 1 || len > n - off ||
		    rec[len - 1] != '\n')
			return -1;
		sp = rec + i + 1;
		eq = memchr(sp, '=', (size_t)(rec + len - 1 - sp));
		if (!eq)
			return -1;
		if ((size_t)(eq - sp) == 4 && memcmp(sp, "path", 4) == 0) {
			free(*path);
			*path = xstrndup(eq + 1, (size_t)(rec + len - 1 - (eq + 1)));
		} else if ((size_t)(eq - sp) == 4 && memcmp(sp, "size", 4) == 0) {
			uint64_t v = 0;
			const char *q = eq + 1;

			if (q == rec + len - 1)
				return -1;
			for (; q < rec + len - 1; q++) {
				if (*q < '0' || *q > '9' || v > (UINT64_MAX - 9) / 10)
					return -1;
				v = v * 10 + (uint64_t)(*q - '0');
			}
			*size = v;
			*has_size = 1;
		}
		off += (size_t)len;
	}
	return 0;
}

static void index_add(struct tar_index *ix, char *name, uint64_t off, uint64_t size)
{
	size_t i;

	for (i = 0; i < ix->n; i++) {
		if (strcmp(ix->v[i].name, name) == 0) {
			free(ix->v[i].name);
			memmove(&ix->v[i], &ix->v[i + 1], (ix->n - i - 1) * sizeof(*ix->v));
			ix->n--;
			break;
		}
	}
	ix->v = xrealloc(ix->v, (ix->n + 1) * sizeof(*ix->v));
	ix->v[ix->n].name = name;
	ix->v[ix->n].offset = off;
	ix->v[ix->n].size = size;
	ix->n++;
}

static int read_blob(int fd, uint64_t off, uint64_t size, uint64_t limit, char **out)
{
	char *buf;

	if (size > limit)
		return -1;
	buf = xmalloc((size_t)size + 1);
	if (pread_full(fd, buf, (size_t)size, off)) {
		free(buf);
		return -1;
	}
	buf[size] = '\0';
	*out = buf;
	return 0;
}

int tar_scan(int fd, uint64_t fsize, const char *what, struct tar_index *out,
	     struct xp_error *err)
{
	struct tar_index ix = {NULL, 0};
	unsigned char h[TAR_BLOCK];
	char *next_name = NULL;
	uint64_t off = 0, next_size = 0;
	int has_next_size = 0;

	for (;;) {
		uint64_t size, padded;
		char type, *name;
		int is_zero = 1;
		size_t i;

		if (off + TAR_BLOCK > fsize) {
			if (off == fsize && ix.n)
				break; /* no end blocks: accepted, like GNU tar */
			xp_error_set(err, XP_ERR_MALFORMED, "malformed archive '%s': truncated at byte %llu",
				     what, (unsigned long long)off);
			goto fail;
		}
		if (pread_full(fd, h, TAR_BLOCK, off)) {
			xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", what);
			goto fail;
		}
		for (i = 0; i < TAR_BLOCK && is_zero; i++)
			is_zero = h[i] == 0;
		if (is_zero)
			break;
		if (!checksum_ok(h)) {
			if (off == 0 && ((h[0] == 0x1f && h[1] == 0x8b) ||
					 (h[0] == 0x28 && h[1] == 0xb5 && h[2] == 0x2f && h[3] == 0xfd)))
				xp_error_set(err, XP_ERR_MALFORMED,
					     "malformed archive '%s': compressed; an oci-archive is a plain tar file",
					     what);
			else
				xp_error_set(err, XP_ERR_MALFORMED,
					     "malformed archive '%s': bad tar header at byte %llu", what,
					     (unsigned long long)off);
			goto fail;
		}
		if (parse_num(h + 124, 12, &size)) {
			xp_error_set(err, XP_ERR_MALFORMED, "malformed archive '%s': bad size at byte %llu",
				     what, (unsigned long long)off);
			goto fail;
		}
		type = (char)h[156];
		if (has_next_size && type != 'x' && type != 'g' && type != 'L' && type != 'K')
			size = next_size;
		if (size > fsize - off - TAR_BLOCK) {
			xp_error_set(err, XP_ERR_MALFORMED,
				     "malformed archive '%s': entry at byte %llu runs past the end",
				     what, (unsigned long long)off);
			goto fail;
		}
		padded = size + tar_pad(size);
		if (type == 'x' || type == 'L') {
			char *data;

			if (read_blob(fd, off + TAR_BLOCK, size, type == 'x' ? PAX_MAX : LONGNAME_MAX,
				      &data)) {
				xp_error_set(err, XP_ERR_MALFORMED,
					     "malformed archive '%s': unreadable extended header at byte %llu",
					     what, (unsigned long long)off);
				goto fail;
			}
			if (type == 'L') {
				free(next_name);
				next_name = xstrndup(data, strnlen(data, (size_t)size));
			} else if (parse_pax(data, (size_t)size, &next_name, &next_size, &has_next_size)) {
				free(data);
				xp_error_set(err, XP_ERR_MALFORMED,
					     "malformed archive '%s': bad pax header at byte %llu", what,
					     (unsigned long long)off);
				goto fail;
			}
			free(data);
		} else if (type == 'g' || type == 'K') {
			/* global pax header, GNU long link name: nothing we use */
		} else {
			if (type == '0' || type == '\0' || type == '7') {
				char raw[257];

				if (next_name) {
					name = normalise(next_name);
				} else if (memcmp(h + 257, "ustar", 5) == 0 && h[345]) {
					snprintf(raw, sizeof(raw), "%.155s/%.100s", (const char *)h + 345,
						 (const char *)h);
					name = normalise(raw);
				} else {
					snprintf(raw, sizeof(raw), "%.100s", (const char *)h);
					name = normalise(raw);
				}
				if (name)
					index_add(&ix, name, off + TAR_BLOCK, size);
			}
			free(next_name);
			next_name = NULL;
			has_next_size = 0;
		}
		off += TAR_BLOCK + padded;
	}
	free(next_name);
	*out = ix;
	return 0;
fail:
	free(next_name);
	tar_index_release(&ix);
	return -1;
}

const struct tar_entry *tar_find(const struct tar_index *ix, const char *name)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		if (strcmp(ix->v[i].name, name) == 0)
			return &ix->v[i];
	return NULL;
}

void tar_index_release(struct tar_index *ix)
{
	size_t i;

	if (!ix)
		return;
	for (i = 0; i < ix->n; i++)
		free(ix->v[i].name);
	free(ix->v);
	ix->v = NULL;
	ix->n = 0;
}
