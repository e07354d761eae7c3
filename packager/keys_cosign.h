/*
 * keys_cosign.h — cosign's encrypted private key files (packager/ only; keys.c
 * is the user): `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----` (what
 * `cosign generate-key-pair` writes) or `ENCRYPTED COSIGN PRIVATE KEY` (older
 * cosign), whose PEM body is JSON:
 *
 *   {"kdf":{"name":"scrypt","params":{"N":65536,"r":8,"p":1},"salt":B64},
 *    "cipher":{"name":"nacl/secretbox","nonce":B64},"ciphertext":B64}
 *
 * B64 being standard base64 with padding. The secretbox key is
 * scrypt(passphrase, salt, N, r, p, 32 bytes); the ciphertext is
 * XSalsa20-Poly1305 secretbox (tag first) of the PKCS#8 DER private key.
 * Only the scrypt parameters cosign writes are accepted (N 2^15, 2^16 or 2^17,
 * r 8, p 1), as cosign does: a tampered file cannot make loading it cost
 * gigabytes. An empty passphrase is valid (cosign allows it).
 *
 * The decrypted DER is secret: callers wipe and free it with
 * key_secret_free((char *)der, len).
 */
#ifndef XPSHIP_PACKAGER_KEYS_COSIGN_H
#define XPSHIP_PACKAGER_KEYS_COSIGN_H

#include <stddef.h>

#include "common/error.h"

#define COSIGN_PEM_SIGSTORE "ENCRYPTED SIGSTORE PRIVATE KEY"
#define COSIGN_PEM_COSIGN "ENCRYPTED COSIGN PRIVATE KEY"
#define COSIGN_SALT_SIZE 32
#define COSIGN_NONCE_SIZE 24
#define COSIGN_SCRYPT_N 65536   /* what keygen writes: cosign's current default */

/* The parsed (still encrypted) key. */
struct cosign_key_file {
	long long n, r, p;
	unsigned char *salt, *nonce, *ciphertext;
	size_t salt_len, nonce_len, ciphertext_len;
};

/* 1 when PEM text holds a cosign encrypted private key. */
int cosign_key_is(const char *pem, size_t len);
/* Parse the PEM armour and JSON of a cosign key (nothing is decrypted).
 * XP_ERR_MALFORMED with what is wrong; `what` names the source. */
int cosign_key_parse(const char *pem, size_t len, const char *what,
		     struct cosign_key_file *out, struct xp_error *err);
void cosign_key_file_release(struct cosign_key_file *f);
/* Decrypt a cosign key to its PKCS#8 DER (*der secret, see above). A wrong
 * passphrase (or damaged ciphertext: secretbox cannot tell) is XP_ERR_USAGE. */
int cosign_key_decrypt(const char *pem, size_t len, const char *what, const char *pass,
		       size_t pass_len, unsigned char **der, size_t *der_len,
		       struct xp_error *err);
/* Encrypt PKCS#8 DER under pass (may be empty) with fresh salt and nonce,
 * N = COSIGN_SCRYPT_N: the PEM text (type COSIGN_PEM_SIGSTORE, caller frees;
 * not secret). */
int cosign_key_encrypt(const unsigned char *der, size_t der_len, const char *pass,
		       size_t pass_len, char **pem, size_t *pem_len, struct xp_error *err);

#endif
