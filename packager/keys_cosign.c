/*
 * keys_cosign.c — cosign's encrypted private key files (keys_cosign.h).
 *
 * scrypt is OpenSSL's (EVP_PBE_scrypt); the secretbox is libsodium's
 * crypto_secretbox_easy / _open_easy (XSalsa20-Poly1305, the tag before the
 * ciphertext, as NaCl and Go's x/crypto/nacl/secretbox lay it out): OpenSSL
 * has no XSalsa20. The derived key and every decrypted byte are wiped.
 */
#include "packager/keys_cosign.h"
#include "common/base64.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "packager/keys.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <sodium.h>

#define KEY_LEN crypto_secretbox_KEYBYTES
/* scrypt memory: 128 * r * N bytes, 128 MiB for the largest accepted N */
#define SCRYPT_MAXMEM ((uint64_t)256 * 1024 * 1024)

static int pem_has(const char *pem, size_t len, const char *type)
{
	char marker[64];
	size_t n, i;

	n = (size_t)snprintf(marker, sizeof(marker), "-----BEGIN %s-----", type);
	for (i = 0; i + n <= len; i++)
		if (memcmp(pem + i, marker, n) == 0)
			return 1;
	return 0;
}

int cosign_key_is(const char *pem, size_t len)
{
	return pem_has(pem, len, COSIGN_PEM_SIGSTORE) || pem_has(pem, len, COSIGN_PEM_COSIGN);
}

void cosign_key_file_release(struct cosign_key_file *f)
{
	free(f->salt);
	free(f->nonce);
	free(f->ciphertext);
	memset(f, 0, sizeof(*f));
}

/* The base64 string member `key` of o into *out. */
static int b64_member(json_t *o, const char *obj, const char *key, const char *what,
		      unsigned char **out, size_t *len, struct xp_error *err)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (!s)
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "malformed cosign key '%s': %s%s\"%s\" must be a base64 string",
				    what, obj, *obj ? "." : "", key);
	if (b64_decode(s, strlen(s), out, len))
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "malformed cosign key '%s': %s%s\"%s\" is not standard base64",
				    what, obj, *obj ? "." : "", key);
	return 0;
}

/* "name" of o must be `want`. */
static int name_is(json_t *o, const char *obj, const char *want, const char *what,
		   struct xp_error *err)
{
	const char *name = json_string_value(json_object_get(o, "name"));

	if (!json_is_object(o))
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "malformed cosign key '%s': \"%s\" must be an object", what, obj);
	if (!name || strcmp(name, want) != 0)
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "unsupported cosign key '%s': %s \"%.40s\" (expected \"%s\")",
				    what, obj, name ? name : "(none)", want);
	return 0;
}

static int scrypt_params(json_t *kdf, const char *what, struct cosign_key_file *f,
			 struct xp_error *err)
{
	json_t *params = json_object_get(kdf, "params");
	json_t *n = json_object_get(params, "N"), *r = json_object_get(params, "r"),
	       *p = json_object_get(params, "p");

	if (!json_is_integer(n) || !json_is_integer(r) || !json_is_integer(p))
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "malformed cosign key '%s': kdf.params needs integers \"N\", \"r\" and \"p\"",
				    what);
	f->n = json_integer_value(n);
	f->r = json_integer_value(r);
	f->p = json_integer_value(p);
	if ((f->n != 32768 && f->n != 65536 && f->n != 131072) || f->r != 8 || f->p != 1)
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "unsupported cosign key '%s': scrypt N=%lld r=%lld p=%lld (cosign's are N=32768, 65536 or 131072 with r=8, p=1)",
				    what, f->n, f->r, f->p);
	return 0;
}

static int parse_json(const char *data, size_t len, const char *what,
		      struct cosign_key_file *f, struct xp_error *err)
{
	json_t *root, *kdf, *cipher;
	json_error_t je;
	int ret = -1;

	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return xp_error_set(err, XP_ERR_MALFORMED, "malformed cosign key '%s': %s", what,
				    je.text);
	kdf = json_object_get(root, "kdf");
	cipher = json_object_get(root, "cipher");
	if (!json_is_object(root)) {
		xp_error_set(err, XP_ERR_MALFORMED, "malformed cosign key '%s': not a JSON object", what);
		goto out;
	}
	if (name_is(kdf, "kdf", "scrypt", what, err) || scrypt_params(kdf, what, f, err) ||
	    b64_member(kdf, "kdf", "salt", what, &f->salt, &f->salt_len, err) ||
	    name_is(cipher, "cipher", "nacl/secretbox", what, err) ||
	    b64_member(cipher, "cipher", "nonce", what, &f->nonce, &f->nonce_len, err) ||
	    b64_member(root, "", "ciphertext", what, &f->ciphertext, &f->ciphertext_len, err))
		goto out;
	if (!f->salt_len) {
		xp_error_set(err, XP_ERR_MALFORMED, "malformed cosign key '%s': empty kdf.salt", what);
		goto out;
	}
	if (f->nonce_len != COSIGN_NONCE_SIZE) {
		xp_error_set(err, XP_ERR_MALFORMED,
			     "malformed cosign key '%s': cipher.nonce has %zu bytes (secretbox needs %d)",
			     what, f->nonce_len, COSIGN_NONCE_SIZE);
		goto out;
	}
	if (f->ciphertext_len <= crypto_secretbox_MACBYTES) {
		xp_error_set(err, XP_ERR_MALFORMED,
			     "malformed cosign key '%s': ciphertext of %zu bytes is too short",
			     what, f->ciphertext_len);
		goto out;
	}
	ret = 0;
out:
	json_decref(root);
	return ret;
}

int cosign_key_parse(const char *pem, size_t len, const char *what,
		     struct cosign_key_file *out, struct xp_error *err)
{
	struct cosign_key_file f;
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL;
	long dlen = 0;
	BIO *b;
	int ret = -1;

	memset(&f, 0, sizeof(f));
	if (len > INT32_MAX)
		return xp_error_set(err, XP_ERR_MALFORMED, "cannot load key '%s': too large", what);
	b = BIO_new_mem_buf(pem, (int)len);
	if (!b)
		abort();
	if (!PEM_read_bio(b, &name, &header, &data, &dlen)) {
		xp_error_openssl(err, XP_ERR_MALFORMED, "cannot load key '%s'", what);
		goto out;
	}
	if (strcmp(name, COSIGN_PEM_SIGSTORE) != 0 && strcmp(name, COSIGN_PEM_COSIGN) != 0) {
		xp_error_set(err, XP_ERR_MALFORMED,
			     "cannot load key '%s': PEM type '%.60s' before the cosign key", what, name);
		goto out;
	}
	if (parse_json((const char *)data, (size_t)dlen, what, &f, err))
		goto out;
	*out = f;
	memset(&f, 0, sizeof(f));
	ret = 0;
out:
	cosign_key_file_release(&f);
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(data);
	BIO_free(b);
	return ret;
}

static int derive(const char *pass, size_t pass_len, const unsigned char *salt, size_t salt_len,
		  uint64_t n, uint64_t r, uint64_t p, unsigned char key[KEY_LEN],
		  struct xp_error *err)
{
	if (EVP_PBE_scrypt(pass_len ? pass : "", pass_len, salt, salt_len, n, r, p,
			   SCRYPT_MAXMEM, key, KEY_LEN) != 1)
		return xp_error_openssl(err, XP_ERR_LOCAL, "cannot derive the key's encryption key (scrypt)");
	return 0;
}

static int sodium_ready(struct xp_error *err)
{
	if (sodium_init() < 0)
		return xp_error_set(err, XP_ERR_LOCAL, "cannot initialise libsodium");
	return 0;
}

int cosign_key_decrypt(const char *pem, size_t len, const char *what, const char *pass,
		       size_t pass_len, unsigned char **der, size_t *der_len,
		       struct xp_error *err)
{
	struct cosign_key_file f;
	unsigned char key[KEY_LEN], *plain = NULL;
	size_t plain_len;
	int ret = -1;

	if (sodium_ready(err) || cosign_key_parse(pem, len, what, &f, err))
		return -1;
	if (derive(pass, pass_len, f.salt, f.salt_len, (uint64_t)f.n, (uint64_t)f.r,
		   (uint64_t)f.p, key, err))
		goto out;
	plain_len = f.ciphertext_len - crypto_secretbox_MACBYTES;
	plain = xmalloc(plain_len);
	if (crypto_secretbox_open_easy(plain, f.ciphertext, f.ciphertext_len, f.nonce, key) != 0) {
		xp_error_set(err, XP_ERR_USAGE,
			     "cannot decrypt key '%s': wrong passphrase or damaged key", what);
		goto out;
	}
	*der = plain;
	*der_len = plain_len;
	plain = NULL;
	ret = 0;
out:
	sodium_memzero(key, sizeof(key));
	if (plain)
		key_secret_free((char *)plain, plain_len);
	cosign_key_file_release(&f);
	return ret;
}

/* {"kdf":{...},"cipher":{...},"ciphertext":...} in the field order cosign writes. */
static char *key_json(const unsigned char *salt, const unsigned char *nonce,
		      const unsigned char *ct, size_t ct_len)
{
	json_t *root = json_object(), *kdf = json_object(), *params = json_object(),
	       *cipher = json_object();
	char *s[3], *out;

	s[0] = b64_encode(salt, COSIGN_SALT_SIZE, NULL);
	s[1] = b64_encode(nonce, COSIGN_NONCE_SIZE, NULL);
	s[2] = b64_encode(ct, ct_len, NULL);
	json_object_set_new(params, "N", json_integer(COSIGN_SCRYPT_N));
	json_object_set_new(params, "r", json_integer(8));
	json_object_set_new(params, "p", json_integer(1));
	json_object_set_new(kdf, "name", json_string("scrypt"));
	json_object_set_new(kdf, "params", params);
	json_object_set_new(kdf, "salt", json_string(s[0]));
	json_object_set_new(cipher, "name", json_string("nacl/secretbox"));
	json_object_set_new(cipher, "nonce", json_string(s[1]));
	json_object_set_new(root, "kdf", kdf);
	json_object_set_new(root, "cipher", cipher);
	json_object_set_new(root, "ciphertext", json_string(s[2]));
	out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!out)
		abort();
	json_decref(root);
	free(s[0]);
	free(s[1]);
	free(s[2]);
	return out;
}

int cosign_key_encrypt(const unsigned char *der, size_t der_len, const char *pass,
		       size_t pass_len, char **pem, size_t *pem_len, struct xp_error *err)
{
	unsigned char salt[COSIGN_SALT_SIZE], nonce[COSIGN_NONCE_SIZE], key[KEY_LEN], *ct;
	size_t ct_len = der_len + crypto_secretbox_MACBYTES;
	char *json, *data;
	BIO *b = NULL;
	long n;
	int ret = -1;

	if (sodium_ready(err))
		return -1;
	if (RAND_bytes(salt, sizeof(salt)) != 1 || RAND_bytes(nonce, sizeof(nonce)) != 1)
		return xp_error_openssl(err, XP_ERR_LOCAL, "cannot draw random bytes");
	if (derive(pass, pass_len, salt, sizeof(salt), COSIGN_SCRYPT_N, 8, 1, key, err))
		return -1;
	ct = xmalloc(ct_len);
	crypto_secretbox_easy(ct, der, der_len, nonce, key);
	sodium_memzero(key, sizeof(key));
	json = key_json(salt, nonce, ct, ct_len);
	b = BIO_new(BIO_s_mem());
	if (!b || !PEM_write_bio(b, COSIGN_PEM_SIGSTORE, "", (unsigned char *)json,
				 (long)strlen(json))) {
		xp_error_openssl(err, XP_ERR_LOCAL, "cannot encode the cosign key");
		goto out;
	}
	n = BIO_get_mem_data(b, &data);
	*pem = xstrndup(data, (size_t)n);
	*pem_len = (size_t)n;
	ret = 0;
out:
	BIO_free(b);
	free(json);
	free(ct);
	return ret;
}
