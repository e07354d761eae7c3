/*
 * keys.c — signing keys over OpenSSL 3 EVP (see keys.h).
 *
 * Every signature goes through EVP_DigestSign/EVP_DigestVerify: SHA-256 for
 * ECDSA and RSA (PKCS#1 v1.5, OpenSSL's default padding), no digest for
 * Ed25519 (pure). PEM text and passphrases pass through this file only in
 * caller-wiped buffers or OpenSSL BIOs that clear what they free.
 */
#include "packager/keys.h"
#include "common/digest.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "packager/keys_cosign.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#define ED25519_FILE_MAX ((size_t)1 << 30)   /* Ed25519 signs a file in memory */
#define CHUNK (256 * 1024)

struct sign_key {
	EVP_PKEY *pkey;
	enum key_type type;
	int is_private;
	char name[24];
	char id[XP_DIGEST_HEXLEN + 1];
};

int key_type_parse(const char *name, enum key_type *out)
{
	if (strcmp(name, "ecdsa-p256") == 0)
		*out = KEY_ECDSA_P256;
	else if (strcmp(name, "ed25519") == 0)
		*out = KEY_ED25519;
	else if (strcmp(name, "rsa-3072") == 0)
		*out = KEY_RSA;
	else
		return -1;
	return 0;
}

const char *key_type_name(const struct sign_key *k)
{
	return k->name;
}

const char *key_id(const struct sign_key *k)
{
	return k->id;
}

void key_free(struct sign_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	OPENSSL_cleanse(k, sizeof(*k));
	free(k);
}

/* Wrap pkey (owned) after checking it is a type xpship signs with. */
static int wrap(EVP_PKEY *pkey, int is_private, const char *what, struct sign_key **out,
		struct xp_error *err)
{
	struct sign_key *k;
	unsigned char *der = NULL;
	char group[64] = "", dg[XP_DIGEST_SIZE];
	int der_len;

	k = xcalloc(1, sizeof(*k));
	k->pkey = pkey;
	k->is_private = is_private;
	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
						    sizeof(group), NULL) ||
		    (strcmp(group, "prime256v1") && strcmp(group, "P-256"))) {
			xp_error_set(err, XP_ERR_MALFORMED,
				     "unsupported key '%s': EC curve '%s' (only P-256 is supported)",
				     what, group[0] ? group : "unknown");
			goto fail;
		}
		k->type = KEY_ECDSA_P256;
		snprintf(k->name, sizeof(k->name), "ecdsa-p256");
		break;
	case EVP_PKEY_ED25519:
		k->type = KEY_ED25519;
		snprintf(k->name, sizeof(k->name), "ed25519");
		break;
	case EVP_PKEY_RSA:
		if (EVP_PKEY_get_bits(pkey) < 2048) {
			xp_error_set(err, XP_ERR_MALFORMED,
				     "unsupported key '%s': RSA with %d bits (at least 2048 are needed)",
				     what, EVP_PKEY_get_bits(pkey));
			goto fail;
		}
		k->type = KEY_RSA;
		snprintf(k->name, sizeof(k->name), "rsa-%d", EVP_PKEY_get_bits(pkey));
		break;
	default:
		xp_error_set(err, XP_ERR_MALFORMED,
			     "unsupported key '%s': type '%s' (expected ecdsa-p256, ed25519 or rsa)",
			     what, OBJ_nid2sn(EVP_PKEY_get_base_id(pkey)));
		goto fail;
	}
	der_len = i2d_PUBKEY(pkey, &der);
	if (der_len <= 0) {
		xp_error_openssl(err, XP_ERR_MALFORMED, "cannot encode public key of '%s'", what);
		goto fail;
	}
	digest_buf(der, (size_t)der_len, dg);
	OPENSSL_free(der);
	memcpy(k->id, digest_hex(dg), XP_DIGEST_HEXLEN + 1);
	*out = k;
	return 0;
fail:
	ERR_clear_error();
	key_free(k);
	return -1;
}

int key_generate(enum key_type type, struct sign_key **out, struct xp_error *err)
{
	EVP_PKEY *pkey = NULL;

	switch (type) {
	case KEY_ECDSA_P256:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		break;
	case KEY_ED25519:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
		break;
	case KEY_RSA:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
		break;
	}
	if (!pkey)
		return xp_error_openssl(err, XP_ERR_LOCAL, "cannot generate key");
	return wrap(pkey, 1, "generated", out, err);
}

char *key_public_pem(const struct sign_key *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *pem;
	long n;

	if (!b || !PEM_write_bio_PUBKEY(b, k->pkey))
		abort();
	n = BIO_get_mem_data(b, &data);
	pem = xstrndup(data, (size_t)n);
	BIO_free(b);
	return pem;
}

static int refuse_existing(const char *path, int force, struct xp_error *err)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return 0;
	if (S_ISDIR(st.st_mode))   /* no file could replace it */
		return xp_error_set(err, XP_ERR_USAGE, "cannot write key '%s': it is a directory",
				    path);
	if (force)
		return 0;
	return xp_error_set(err, XP_ERR_USAGE,
			    "cannot write key '%s': file exists (use --force to replace it)", path);
}

/* The private key as PKCS#8 PEM, straight into a 0600 temporary file for
 * `path`, left for the caller to commit (or abort). */
static int write_private(const struct sign_key *k, const char *path, const char *pass,
			 size_t pass_len, struct atomic_file *af, struct xp_error *err)
{
	const EVP_CIPHER *cipher = pass && pass_len ? EVP_aes_256_cbc() : NULL;
	BIO *b;
	int ok;

	if (pass_len > INT32_MAX)
		return xp_error_set(err, XP_ERR_USAGE, "passphrase for '%s' is too long", path);
	if (atomic_open(af, path, 0600, err))
		return -1;
	b = BIO_new_fd(af->fd, BIO_NOCLOSE);
	ok = b && PEM_write_bio_PKCS8PrivateKey(b, k->pkey, cipher, cipher ? (char *)pass : NULL,
						cipher ? (int)pass_len : 0, NULL, NULL) &&
	     BIO_flush(b) == 1;
	BIO_free(b);
	if (!ok) {
		atomic_abort(af);
		return xp_error_openssl(err, XP_ERR_LOCAL, "cannot write key '%s'", path);
	}
	return 0;
}

/* The private key in cosign's format (keys_cosign.h), into a 0600 temporary
 * file for `path` as write_private does. */
static int write_private_cosign(const struct sign_key *k, const char *path, const char *pass,
				size_t pass_len, struct atomic_file *af, struct xp_error *err)
{
	PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(k->pkey);
	unsigned char *der = NULL;
	char *pem = NULL;
	size_t pem_len = 0;
	int der_len = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &der) : -1, ret;

	PKCS8_PRIV_KEY_INFO_free(p8);
	if (der_len <= 0)
		return xp_error_openssl(err, XP_ERR_LOCAL, "cannot encode key '%s'", path);
	ret = cosign_key_encrypt(der, (size_t)der_len, pass, pass_len, &pem, &pem_len, err);
	OPENSSL_clear_free(der, (size_t)der_len);
	if (ret)
		return -1;
	ret = atomic_open(af, path, 0600, err) || atomic_write(af, pem, pem_len, err);
	free(pem);
	if (ret) {
		atomic_abort(af);
		return -1;
	}
	return 0;
}

int key_write_pair(const struct sign_key *k, const char *prefix, const char *pass,
		   size_t pass_len, int force, struct xp_error *err)
{
	return key_write_pair_as(k, prefix, KEY_FORMAT_PKCS8, pass, pass_len, force, err);
}

/* Both files are written in full before either replaces anything, so a failure
 * (a full disk, a read-only directory) leaves an existing pair as it was. */
int key_write_pair_as(const struct sign_key *k, const char *prefix, enum key_format fmt,
		      const char *pass, size_t pass_len, int force, struct xp_error *err)
{
	char *priv = xasprintf("%s.key", prefix), *pub = xasprintf("%s.pub", prefix);
	struct atomic_file kf = {-1, NULL, NULL}, pf = {-1, NULL, NULL};
	char *pem = NULL;
	int ret = -1;

	if (!k->is_private) {
		xp_error_set(err, XP_ERR_USAGE, "cannot write key '%s': no private key", priv);
		goto out;
	}
	if (refuse_existing(priv, force, err) || refuse_existing(pub, force, err))
		goto out;
	if (fmt == KEY_FORMAT_COSIGN ? write_private_cosign(k, priv, pass, pass_len, &kf, err)
				     : write_private(k, priv, pass, pass_len, &kf, err))
		goto out;
	pem = key_public_pem(k);
	if (atomic_open(&pf, pub, 0644, err) || atomic_write(&pf, pem, strlen(pem), err))
		goto out;
	if (atomic_commit(&kf, err))
		goto out;
	if (atomic_commit(&pf, err)) {
		unlink(priv);   /* never a private key without its public half */
		goto out;
	}
	ret = 0;
out:
	atomic_abort(&kf);
	atomic_abort(&pf);
	free(pem);
	free(priv);
	free(pub);
	return ret;
}

void key_secret_free(char *buf, size_t len)
{
	if (!buf)
		return;
	OPENSSL_cleanse(buf, len);
	free(buf);
}

int key_source_read(const char *spec, char **out, size_t *len, struct xp_error *err)
{
	char *buf;
	ssize_t n;
	int fd;

	if (strncmp(spec, "env://", 6) == 0) {
		const char *name = spec + 6, *v;
		size_t vlen;

		if (!*name)
			return xp_error_set(err, XP_ERR_USAGE,
					    "invalid key '%s': expected env://VARIABLE", spec);
		v = getenv(name);
		if (!v || !*v)
			return xp_error_set(err, XP_ERR_USAGE,
					    "cannot read key '%s': environment variable %s is not set",
					    spec, name);
		vlen = strlen(v);
		if (vlen > KEY_SOURCE_MAX)
			return xp_error_set(err, XP_ERR_MALFORMED,
					    "cannot read key '%s': larger than %d bytes", spec,
					    KEY_SOURCE_MAX);
		buf = xmalloc(vlen + 1);
		memcpy(buf, v, vlen + 1);
		*out = buf;
		*len = vlen;
		return 0;
	}
	fd = open(spec, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot read key '%s'", spec);
	buf = xmalloc(KEY_SOURCE_MAX + 2);
	n = read_full(fd, buf, KEY_SOURCE_MAX + 1);
	if (n < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot read key '%s'", spec);
		goto fail;
	}
	if (n > KEY_SOURCE_MAX) {
		xp_error_set(err, XP_ERR_MALFORMED, "cannot read key '%s': larger than %d bytes",
			     spec, KEY_SOURCE_MAX);
		goto fail;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	*len = (size_t)n;
	return 0;
fail:
	close(fd);
	key_secret_free(buf, KEY_SOURCE_MAX + 2);
	return -1;
}

static int has(const char *pem, size_t len, const char *needle)
{
	size_t nl = strlen(needle), i;

	for (i = 0; i + nl <= len; i++)
		if (memcmp(pem + i, needle, nl) == 0)
			return 1;
	return 0;
}

int key_pem_is_encrypted(const char *pem, size_t len)
{
	return has(pem, len, "-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
	       has(pem, len, "Proc-Type: 4,ENCRYPTED") || cosign_key_is(pem, len);
}

int key_pem_is_cosign(const char *pem, size_t len)
{
	return cosign_key_is(pem, len);
}

/* A cosign key file: decrypted to PKCS#8 DER, then loaded. */
static int load_cosign(const char *pem, size_t len, const char *what, const char *pass,
		       size_t pass_len, struct sign_key **out, struct xp_error *err)
{
	PKCS8_PRIV_KEY_INFO *p8;
	EVP_PKEY *pkey = NULL;
	unsigned char *der;
	const unsigned char *p;
	size_t der_len;

	if (cosign_key_decrypt(pem, len, what, pass, pass_len, &der, &der_len, err))
		return -1;
	p = der;
	p8 = der_len <= LONG_MAX ? d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)der_len) : NULL;
	if (p8)
		pkey = EVP_PKCS82PKEY(p8);
	PKCS8_PRIV_KEY_INFO_free(p8);
	key_secret_free((char *)der, der_len);
	if (!pkey)
		return xp_error_openssl(err, XP_ERR_MALFORMED,
					"cannot load key '%s': the decrypted key is not PKCS#8", what);
	return wrap(pkey, 1, what, out, err);
}

/* Refuse PEM text that is not the kind wanted, saying what it is instead. */
static int check_pem(const char *pem, size_t len, const char *what, int want_private,
		     struct xp_error *err)
{
	int is_priv = has(pem, len, "PRIVATE KEY-----");
	int is_pub = has(pem, len, "-----BEGIN PUBLIC KEY-----");

	if (len > INT32_MAX)
		return xp_error_set(err, XP_ERR_MALFORMED, "cannot load key '%s': too large", what);
	if (want_private ? is_priv : is_pub)
		return 0;
	if (want_private && is_pub)
		return xp_error_set(err, XP_ERR_USAGE,
				    "cannot load key '%s': it is a public key (signing needs the private key)",
				    what);
	if (!want_private && is_priv)
		return xp_error_set(err, XP_ERR_USAGE,
				    "cannot load key '%s': it is a private key (verifying needs the public key, PREFIX.pub)",
				    what);
	return xp_error_set(err, XP_ERR_MALFORMED, "cannot load key '%s': not a PEM %s key", what,
			    want_private ? "private" : "public");
}

struct pass_ctx {
	const char *pass;
	size_t len;
	int asked;
};

static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	struct pass_ctx *p = u;

	(void)rwflag;
	p->asked = 1;
	if (!p->pass || size < 0 || p->len > (size_t)size)
		return -1;
	memcpy(buf, p->pass, p->len);
	return (int)p->len;
}

int key_load_private(const char *pem, size_t len, const char *what, const char *pass,
		     size_t pass_len, struct sign_key **out, struct xp_error *err)
{
	struct pass_ctx pc = {pass, pass_len, 0};
	EVP_PKEY *pkey;
	BIO *b;

	if (check_pem(pem, len, what, 1, err))
		return -1;
	if (key_pem_is_encrypted(pem, len) && !pass)
		return xp_error_set(err, XP_ERR_USAGE,
				    "cannot load key '%s': it is encrypted and no passphrase was given",
				    what);
	if (cosign_key_is(pem, len))
		return load_cosign(pem, len, what, pass, pass_len, out, err);
	b = BIO_new_mem_buf(pem, (int)len);
	if (!b)
		abort();
	pkey = PEM_read_bio_PrivateKey(b, NULL, pass_cb, &pc);
	BIO_free(b);
	if (!pkey) {
		if (pc.asked) {
			ERR_clear_error();
			return xp_error_set(err, XP_ERR_USAGE,
					    "cannot decrypt key '%s': wrong passphrase or damaged key", what);
		}
		return xp_error_openssl(err, XP_ERR_MALFORMED, "cannot load key '%s'", what);
	}
	return wrap(pkey, 1, what, out, err);
}

int key_load_public(const char *pem, size_t len, const char *what,
		    struct sign_key **out, struct xp_error *err)
{
	EVP_PKEY *pkey;
	BIO *b;

	if (check_pem(pem, len, what, 0, err))
		return -1;
	b = BIO_new_mem_buf(pem, (int)len);
	if (!b)
		abort();
	pkey = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!pkey)
		return xp_error_openssl(err, XP_ERR_MALFORMED, "cannot load key '%s'", what);
	return wrap(pkey, 0, what, out, err);
}

int key_read_public(const char *spec, struct sign_key **out, struct xp_error *err)
{
	char *pem;
	size_t len;
	int ret;

	if (key_source_read(spec, &pem, &len, err))
		return -1;
	ret = key_load_public(pem, len, spec, out, err);
	key_secret_free(pem, len);
	return ret;
}

static const EVP_MD *md_of(const struct sign_key *k)
{
	return k->type == KEY_ED25519 ? NULL : EVP_sha256();
}

int key_sign(const struct sign_key *k, const void *msg, size_t len,
	     unsigned char **sig, size_t *sig_len, struct xp_error *err)
{
	EVP_MD_CTX *ctx;
	unsigned char *buf = NULL;
	size_t n = 0;
	int ret = -1;

	if (!k->is_private)
		return xp_error_set(err, XP_ERR_USAGE, "cannot sign: no private key");
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		abort();
	if (EVP_DigestSignInit(ctx, NULL, md_of(k), NULL, k->pkey) != 1 ||
	    EVP_DigestSign(ctx, NULL, &n, msg, len) != 1) {
		xp_error_openssl(err, XP_ERR_LOCAL, "cannot sign");
		goto out;
	}
	buf = xmalloc(n ? n : 1);
	if (EVP_DigestSign(ctx, buf, &n, msg, len) != 1) {
		xp_error_openssl(err, XP_ERR_LOCAL, "cannot sign");
		goto out;
	}
	*sig = buf;
	*sig_len = n;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	EVP_MD_CTX_free(ctx);
	return ret;
}

static int mismatch(const struct sign_key *k, struct xp_error *err)
{
	return xp_error_set(err, XP_ERR_INTEGRITY, "signature does not match %s key %.12s", k->name, k->id);
}

int key_verify(const struct sign_key *k, const void *msg, size_t len,
	       const unsigned char *sig, size_t sig_len, struct xp_error *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	if (!ctx)
		abort();
	ok = EVP_DigestVerifyInit(ctx, NULL, md_of(k), NULL, k->pkey) == 1 &&
	     EVP_DigestVerify(ctx, sig, sig_len, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : mismatch(k, err);
}

/* Feed a file through an initialised sign/verify context. */
static int stream_file(EVP_MD_CTX *ctx, int verify, const char *path, struct xp_error *err)
{
	unsigned char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = -1;

	if (fd < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot open '%s'", path);
	buf = xmalloc(CHUNK);
	for (;;) {
		ssize_t n = read(fd, buf, CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			xp_error_errno(err, XP_ERR_LOCAL, "cannot read '%s'", path);
			goto out;
		}
		if (n == 0)
			break;
		if ((verify ? EVP_DigestVerifyUpdate(ctx, buf, (size_t)n)
			    : EVP_DigestSignUpdate(ctx, buf, (size_t)n)) != 1) {
			xp_error_openssl(err, XP_ERR_LOCAL, "cannot hash '%s'", path);
			goto out;
		}
	}
	ret = 0;
out:
	free(buf);
	close(fd);
	return ret;
}

/* Sign (verify 0: *sig and *sig_len receive the signature) or verify
 * (verify 1: they hold it) a file's bytes. */
static int file_op(const struct sign_key *k, const char *path, int verify,
		   unsigned char **sig, size_t *sig_len, struct xp_error *err)
{
	EVP_MD_CTX *ctx;
	unsigned char *buf = NULL;
	size_t n = 0;
	int ret = -1;

	if (k->type == KEY_ED25519) {   /* one pass over the whole message */
		char *msg;
		size_t len;

		if (file_read_all(path, ED25519_FILE_MAX, &msg, &len, err))
			return -1;
		ret = verify ? key_verify(k, msg, len, *sig, *sig_len, err)
			     : key_sign(k, msg, len, sig, sig_len, err);
		free(msg);
		return ret;
	}
	if (!verify && !k->is_private)
		return xp_error_set(err, XP_ERR_USAGE, "cannot sign: no private key");
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		abort();
	if ((verify ? EVP_DigestVerifyInit(ctx, NULL, md_of(k), NULL, k->pkey)
		    : EVP_DigestSignInit(ctx, NULL, md_of(k), NULL, k->pkey)) != 1) {
		xp_error_openssl(err, XP_ERR_LOCAL, "cannot %s '%s'", verify ? "verify" : "sign", path);
		goto out;
	}
	if (stream_file(ctx, verify, path, err))
		goto out;
	if (verify) {
		int ok = EVP_DigestVerifyFinal(ctx, *sig, *sig_len) == 1;

		ERR_clear_error();
		ret = ok ? 0 : mismatch(k, err);
		goto out;
	}
	if (EVP_DigestSignFinal(ctx, NULL, &n) != 1 || !(buf = xmalloc(n ? n : 1)) ||
	    EVP_DigestSignFinal(ctx, buf, &n) != 1) {
		xp_error_openssl(err, XP_ERR_LOCAL, "cannot sign '%s'", path);
		goto out;
	}
	*sig = buf;
	*sig_len = n;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	EVP_MD_CTX_free(ctx);
	return ret;
}

int key_sign_file(const struct sign_key *k, const char *path, unsigned char **sig,
		  size_t *sig_len, struct xp_error *err)
{
	return file_op(k, path, 0, sig, sig_len, err);
}

int key_verify_file(const struct sign_key *k, const char *path,
		    const unsigned char *sig, size_t sig_len, struct xp_error *err)
{
	unsigned char *s = (unsigned char *)sig;
	size_t n = sig_len;

	return file_op(k, path, 1, &s, &n, err);
}
