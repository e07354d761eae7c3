/*
 * digest.c — SHA-256 over OpenSSL EVP (see digest.h).
 */
#include "common/digest.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#define CHUNK (256 * 1024)

struct digest {
	EVP_MD_CTX *ctx;
};

static void reset(struct digest *d)
{
	if (!EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL))
		abort();
}

struct digest *digest_new(void)
{
	struct digest *d = xmalloc(sizeof(*d));

	d->ctx = EVP_MD_CTX_new();
	if (!d->ctx)
		abort();
	reset(d);
	return d;
}

void digest_update(struct digest *d, const void *data, size_t len)
{
	if (len && !EVP_DigestUpdate(d->ctx, data, len))
		abort();
}

void digest_final_raw(struct digest *d, unsigned char out[32])
{
	unsigned int n = 0;

	if (!EVP_DigestFinal_ex(d->ctx, out, &n) || n != 32)
		abort();
	reset(d);
}

void digest_final(struct digest *d, char out[XP_DIGEST_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[32];
	size_t i;

	digest_final_raw(d, raw);
	memcpy(out, "sha256:", 7);
	for (i = 0; i < 32; i++) {
		out[7 + 2 * i] = hex[raw[i] >> 4];
		out[8 + 2 * i] = hex[raw[i] & 15];
	}
	out[XP_DIGEST_STRLEN] = '\0';
}

void digest_free(struct digest *d)
{
	if (!d)
		return;
	EVP_MD_CTX_free(d->ctx);
	free(d);
}

void digest_buf(const void *data, size_t len, char out[XP_DIGEST_SIZE])
{
	struct digest *d = digest_new();

	digest_update(d, data, len);
	digest_final(d, out);
	digest_free(d);
}

int digest_fd(int fd, const char *name, char out[XP_DIGEST_SIZE], uint64_t *size,
	      struct xp_error *err)
{
	struct digest *d = digest_new();
	char *buf = xmalloc(CHUNK);
	uint64_t total = 0;
	int ret = -1;

	for (;;) {
		ssize_t n = read(fd, buf, CHUNK);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", name);
			goto out;
		}
		if (n == 0)
			break;
		digest_update(d, buf, (size_t)n);
		total += (uint64_t)n;
	}
	digest_final(d, out);
	if (size)
		*size = total;
	ret = 0;
out:
	free(buf);
	digest_free(d);
	return ret;
}

int digest_file(const char *path, char out[XP_DIGEST_SIZE], uint64_t *size,
		struct xp_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot open '%s'", path);
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	ret = digest_fd(fd, path, out, size, err);
	close(fd);
	return ret;
}

int digest_valid(const char *s)
{
	size_t i;

	if (!s || strncmp(s, "sha256:", 7) != 0)
		return 0;
	for (i = 0; i < XP_DIGEST_HEXLEN; i++) {
		char c = s[7 + i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
	}
	return s[7 + XP_DIGEST_HEXLEN] == '\0';
}

const char *digest_hex(const char *d)
{
	return d + 7;
}
