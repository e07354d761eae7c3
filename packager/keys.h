/*
 * keys.h — signing keys: generation, PEM files, loading, sign and verify.
 *
 * Key types: ECDSA P-256 (default; SHA-256, ASN.1 DER signatures, cosign's
 * default), Ed25519 (pure Ed25519 over the raw message, as cosign and
 * `openssl pkeyutl -rawin` do) and RSA (3072 bits generated; PKCS#1 v1.5 with
 * SHA-256, as `openssl dgst -sha256 -sign` does; 2048 bits or more accepted).
 *
 * Files: the private key is PKCS#8 PEM, encrypted with AES-256-CBC under a
 * PBKDF2-derived key (PKCS#5 v2) when a passphrase is given, created with mode
 * 0600 under a temporary name and renamed into place (never readable by
 * others, not even briefly); the public key is PKIX PEM ("PUBLIC KEY").
 * Traditional "EC/RSA PRIVATE KEY" PEM is read as well, and so are cosign's
 * key files ("ENCRYPTED SIGSTORE PRIVATE KEY" / "ENCRYPTED COSIGN PRIVATE
 * KEY": scrypt and NaCl secretbox over PKCS#8, packager/keys_cosign.h), which
 * KEY_FORMAT_COSIGN also writes.
 *
 * Key sources: a file path, or "env://VAR" — the PEM text in an environment
 * variable (the usual CI secret). Secrets (PEM text, passphrases, decoded key
 * material) are held in buffers wiped with OPENSSL_cleanse before they are
 * freed; nothing here prints. Errors name the source, never its content.
 *
 * Exit classes: a missing file or variable is XP_ERR_LOCAL / XP_ERR_USAGE,
 * an unreadable or unsupported key XP_ERR_MALFORMED, a wrong passphrase
 * XP_ERR_USAGE, a signature that does not verify XP_ERR_INTEGRITY.
 */
#ifndef XPSHIP_PACKAGER_KEYS_H
#define XPSHIP_PACKAGER_KEYS_H

#include <stddef.h>

#include "common/error.h"

enum key_type { KEY_ECDSA_P256, KEY_ED25519, KEY_RSA };
/* How PREFIX.key is written: PKCS#8 PEM (encrypted with PBES2 when a
 * passphrase is given), or cosign's encrypted key file (always encrypted;
 * the passphrase may be empty, as cosign allows). */
enum key_format { KEY_FORMAT_PKCS8, KEY_FORMAT_COSIGN };

/* Largest key source read (PEM text). */
#define KEY_SOURCE_MAX (64 * 1024)

struct sign_key;   /* opaque: an EVP_PKEY and what it is */

/* "ecdsa-p256", "ed25519", "rsa-3072" → type (rsa-3072 is KEY_RSA). -1 when
 * unknown. */
int key_type_parse(const char *name, enum key_type *out);
/* "ecdsa-p256", "ed25519" or "rsa-<bits>" (borrowed, static or owned by k). */
const char *key_type_name(const struct sign_key *k);

int key_generate(enum key_type type, struct sign_key **out, struct xp_error *err);

/* Write PREFIX.key (mode 0600; encrypted when pass is non-NULL and non-empty)
 * and PREFIX.pub. Existing files are refused unless `force`. */
int key_write_pair(const struct sign_key *k, const char *prefix, const char *pass,
		   size_t pass_len, int force, struct xp_error *err);
/* key_write_pair in format `fmt`. */
int key_write_pair_as(const struct sign_key *k, const char *prefix, enum key_format fmt,
		      const char *pass, size_t pass_len, int force, struct xp_error *err);

/* A key source's text, read into a buffer the caller releases with
 * key_secret_free (which wipes it). `spec` is a path or "env://VAR". */
int key_source_read(const char *spec, char **out, size_t *len, struct xp_error *err);
void key_secret_free(char *buf, size_t len);
/* 1 when PEM text holds an encrypted private key (a passphrase is needed). */
int key_pem_is_encrypted(const char *pem, size_t len);
/* 1 when PEM text holds a cosign key file (encrypted, possibly under an
 * empty passphrase). */
int key_pem_is_cosign(const char *pem, size_t len);

/* Load a private key from PEM text (`what` names the source in errors).
 * pass may be NULL for an unencrypted key. */
int key_load_private(const char *pem, size_t len, const char *what, const char *pass,
		     size_t pass_len, struct sign_key **out, struct xp_error *err);
/* Load a public key (PKIX PEM) from PEM text. */
int key_load_public(const char *pem, size_t len, const char *what,
		    struct sign_key **out, struct xp_error *err);
/* key_source_read + key_load_public. */
int key_read_public(const char *spec, struct sign_key **out, struct xp_error *err);

/* The key id: hex SHA-256 of the public key's DER SubjectPublicKeyInfo
 * (borrowed, owned by k). */
const char *key_id(const struct sign_key *k);
/* The public key as PKIX PEM (caller frees). */
char *key_public_pem(const struct sign_key *k);

/* Sign a message; *sig (caller frees) is DER for ECDSA, raw for Ed25519 and
 * RSA. `k` must hold a private key. */
int key_sign(const struct sign_key *k, const void *msg, size_t len,
	     unsigned char **sig, size_t *sig_len, struct xp_error *err);
/* Sign a file's bytes (streamed, except Ed25519 which signs the whole message
 * in one pass and reads it into memory). */
int key_sign_file(const struct sign_key *k, const char *path, unsigned char **sig,
		  size_t *sig_len, struct xp_error *err);
/* 0 when sig is a valid signature of msg by k; -1 otherwise, XP_ERR_INTEGRITY when
 * it simply does not verify ("signature does not match"). The message says
 * nothing about subjects: callers prefix it. */
int key_verify(const struct sign_key *k, const void *msg, size_t len,
	       const unsigned char *sig, size_t sig_len, struct xp_error *err);
int key_verify_file(const struct sign_key *k, const char *path,
		    const unsigned char *sig, size_t sig_len, struct xp_error *err);

void key_free(struct sign_key *k);

#endif
