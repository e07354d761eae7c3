/*
 * dsse.h — DSSE envelopes (secure-systems-lab/dsse v1) and the cosign
 * simple-signing payload: the byte-exact formats xpship signs.
 *
 * DSSE signs PAE, not the payload:
 *   "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 * (SP one 0x20 byte, LEN the decimal byte length without leading zeros).
 * An envelope is {"payloadType","payload":base64,"signatures":[{"keyid","sig"}]}
 * with standard base64; readers accept URL-safe and unpadded base64 too.
 *
 * Verification errors are XP_ERR_INTEGRITY for a signature that does not match and
 * XP_ERR_MALFORMED for an envelope that is not one; messages name no
 * subject (callers prefix where the envelope came from).
 */
#ifndef XPSHIP_PACKAGER_DSSE_H
#define XPSHIP_PACKAGER_DSSE_H

#include <stddef.h>

#include "common/error.h"
#include "packager/keys.h"

#define DSSE_MT_ENVELOPE "application/vnd.dsse.envelope.v1+json"
#define INTOTO_PAYLOAD_TYPE "application/vnd.in-toto+json"
#define COSIGN_MT_SIMPLESIGNING "application/vnd.dev.cosign.simplesigning.v1+json"
#define COSIGN_SIG_TYPE "cosign container image signature"

/* PAE(type, body) (caller frees; not NUL-terminated in meaning). */
unsigned char *dsse_pae(const char *type, const void *body, size_t len, size_t *out_len);

/* A one-signature envelope over payload (compact JSON, caller frees). The
 * keyid is key_id(k). */
int dsse_sign(const struct sign_key *k, const char *payload_type, const void *payload,
	      size_t len, char **envelope, size_t *env_len, struct xp_error *err);

/* Parse an envelope and check that at least one signature verifies with k
 * over PAE. On success *payload_type and *payload (NUL-terminated, caller
 * frees both) are what was signed. */
int dsse_verify(const struct sign_key *k, const char *envelope, size_t len,
		char **payload_type, char **payload, size_t *payload_len,
		struct xp_error *err);

/* cosign's simple-signing payload for a manifest digest:
 * {"critical":{"identity":{"docker-reference":ID},"image":{"docker-manifest-digest":D},
 *  "type":"cosign container image signature"},"optional":null}
 * (caller frees). */
char *cosign_payload(const char *identity, const char *digest, size_t *len);

/* Check a simple-signing payload names `digest`; *identity (optional, caller
 * frees) receives its docker-reference. XP_ERR_INTEGRITY when it names another
 * image, XP_ERR_MALFORMED when it is not a payload. */
int cosign_payload_check(const char *payload, size_t len, const char *digest,
			 char **identity, struct xp_error *err);

#endif
