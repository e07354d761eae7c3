/*
 * sign.h — signatures and attestations inside a bundle or repository
 * (docs/signing.md), and verifying a bundle end to end.
 *
 * Everything is stored through the content store, so it works the same in a
 * layout directory, an oci-archive (the caller runs store_commit) and a
 * registry, and travels with the bundle when it is copied:
 *
 *   tag sha256-<hex>.sig  an OCI image manifest (config: a small image config
 *                         of type application/vnd.oci.image.config.v1+json),
 *                         one layer per signature: media type
 *                         application/vnd.dev.cosign.simplesigning.v1+json,
 *                         blob = cosign's simple-signing payload, annotation
 *                         dev.cosignproject.cosign/signature = base64 signature
 *   tag sha256-<hex>.att  the same shape, one layer per DSSE envelope: media
 *                         type application/vnd.dsse.envelope.v1+json,
 *                         annotation predicateType
 *
 * <hex> is the signed manifest's digest; both manifests carry `subject` = the
 * signed manifest's descriptor (OCI 1.1 referrers). Signing again adds a layer
 * (cosign's behaviour) unless a layer with the same payload already verifies
 * with the key (idempotent); attesting again adds layers, or replaces those of
 * the same predicate type with `replace`.
 */
#ifndef XPSHIP_PACKAGER_SIGN_H
#define XPSHIP_PACKAGER_SIGN_H

#include <stddef.h>

#include "common/error.h"
#include "packager/keys.h"
#include "packager/oci.h"
#include "packager/store.h"

#define COSIGN_ANN_SIGNATURE "dev.cosignproject.cosign/signature"
#define ATT_ANN_PREDICATE_TYPE "predicateType"
#define INTOTO_STATEMENT_V1 "https://in-toto.io/Statement/v1"
#define SLSA_PROVENANCE_V1 "https://slsa.dev/provenance/v1"
#define XP_PREDICATE_DECISION "https://xpship.dev/gate-decision/v1"
#define XP_BUILD_TYPE "https://xpship.dev/model-release/v1"

/* "sha256-<hex><suffix>" for a manifest digest (caller frees). */
char *sign_companion_tag(const char *digest, const char *suffix);

/* The docker-reference a signature names when none is given: a registry
 * store's "host/repo"; NULL for a local bundle (a layout directory or an
 * archive), whose repository is not known. Caller frees. */
char *sign_default_identity(struct store *s);
/* The docker-reference to sign with: `identity` when given (checked with
 * ref_check_identity), else sign_default_identity; a local bundle without
 * one is an XP_ERR_USAGE error saying how to name it. *out: caller frees. */
int sign_identity(struct store *s, const char *identity, char **out, struct xp_error *err);

struct sign_result {
	char tag[96];              /* sha256-<hex>.sig */
	char digest[XP_DIGEST_SIZE]; /* the signature manifest */
	size_t n_signatures;       /* layers in it now */
	int added;                 /* 0: already signed by this key */
};

/* Sign manifest `m` of store s with key k (cosign simple signing), naming
 * `identity` as docker-reference (NULL: the registry repository of s; see
 * sign_identity). */
int sign_bundle(struct store *s, const struct oci_desc *m, const struct sign_key *k,
		const char *identity, struct sign_result *out, struct xp_error *err);

/* Signing while copying (`push --sign`): a copy_opts.before_tag hook
 * (packager/copy.h), ctx a struct sign_on_copy. It signs the manifest in the
 * destination once its graph is there and before its tag is written, naming
 * `identity` (NULL: the destination's registry repository). */
struct sign_on_copy {
	const struct sign_key *key;
	const char *identity;
	struct sign_result result;     /* filled by the hook */
};
int sign_on_copy_hook(struct store *dst, const struct oci_desc *m, void *ctx,
		      struct xp_error *err);

/* ---- attestations ---- */

struct attest_opts {
	const char *identity;          /* subject name (NULL: attest_subject_name) */
	/* {"externalParameters":{...},"resolvedDependencies":[...]} from the
	 * experiment record (compact JSON), or NULL */
	const char *provenance_json;
	const char *decision_json;     /* a gate decision record, or NULL */
	const char *decision_name;     /* its file name, for messages */
	const char *builder_id;        /* required */
	const char *invocation_id;     /* NULL when unknown */
	const char *started_on, *finished_on;  /* RFC 3339, NULL when unknown */
	int replace;                   /* drop earlier layers of the same predicate types */
	/* the bundle's data profile digest; NULL: its dev.xpship.profile.digest
	 * annotation, when it has one (a resolvedDependencies entry) */
	const char *profile_digest;
};

struct attest_result {
	char tag[96];                  /* sha256-<hex>.att */
	char digest[XP_DIGEST_SIZE];
	char **envelopes;              /* the new DSSE envelopes, one JSON line each */
	char **predicate_types;        /* borrowed constants */
	size_t n;
	size_t n_attestations;         /* layers in the .att manifest now */
};

/* Build the statements (SLSA provenance; a gate decision when
 * o->decision_json is set), sign each as a DSSE envelope and store them. */
int attest_bundle(struct store *s, const struct oci_desc *m, const struct sign_key *k,
		  const struct attest_opts *o, struct attest_result *out, struct xp_error *err);
void attest_result_release(struct attest_result *r);

/* The statements' subject name: `identity` when given, else the registry
 * repository "host/repo" of a registry store, else the bundle's tag (the
 * reference's, else its only release tag), else m's digest — never a local
 * path, which would leak build paths (caller frees). */
char *attest_subject_name(struct store *s, const struct oci_desc *m, const char *identity);
/* Sign one in-toto statement about m (predicate_type, predicate_json) as a
 * DSSE envelope by k and add it as a layer of m's `.att` manifest, annotated
 * with its predicateType and `annots` (optional: a summary readers can use
 * without fetching the envelope). The subject is named as
 * attest_subject_name(s, m, identity) names it. */
int attest_add(struct store *s, const struct oci_desc *m, const struct sign_key *k,
	       const char *identity, const char *predicate_type, const char *predicate_json,
	       const struct oci_annots *annots, struct xp_error *err);

/* The in-toto Statement v1 for one predicate (compact JSON, caller frees). */
char *attest_statement(const char *subject_name, const char *digest,
		       const char *predicate_type, const char *predicate_json);
/* The SLSA provenance v1 predicate (compact JSON, caller frees). */
int attest_provenance_predicate(const struct attest_opts *o, char **out, struct xp_error *err);

/* ---- verification ---- */

struct approval_req;               /* packager/approval.h */

struct verify_opts {
	const struct sign_key *key;    /* the public key */
	/* Approvals (attestations signed by people, approval.h) are not checked
	 * against `key`: with `approvals` they are checked against its approvers
	 * and required count; without, they are listed as not checked. */
	const struct approval_req *approvals;
	int require_attestation;       /* a valid SLSA provenance attestation */
	const char *require_verdict;   /* "pass": a valid gate decision with that verdict */
	const char *identity;          /* a signature counts only when its docker-reference
					* is exactly this repository (NULL: any) */
};

struct verify_check {
	char *name;                    /* "blobs", "signature", "attestation 1", "verdict" */
	int ok;
	int skipped;                   /* not made (ok is 0, and it is not a failure) */
	char *detail;
};

struct verify_report {
	struct verify_check *v;
	size_t n;
	size_t failed;                 /* 0: everything held */
	char *verdict;                 /* from the decision attestation, NULL when none */
	int champion_recorded;         /* that decision names the champion it was gated
	                                  against (common/decision_record.h) */
	char *champion;                /* its digest; NULL: none was found (a first release) */
	size_t blobs;                  /* content checked against its digest */
};

/* Verify manifest m of store s, cheapest first: the manifests (m and those it
 * nests) against their digests, the signatures and attestations, then every
 * other blob (configs, layers) against its digest — read only when everything
 * before held, else that check is reported skipped, so a refused bundle is
 * refused without reading its layers. The checks are: every blob
 * against its digest, the signatures (at least one by o->key whose payload
 * names m and, with o->identity, that repository), every attestation (DSSE signature by o->key, in-toto subject is
 * m), and what o requires. Returns 0 when the verification ran — r->failed
 * says whether it held — and -1 when it could not run (a store that cannot be
 * read: the error's code says why). */
int sign_verify_bundle(struct store *s, const struct oci_desc *m, const struct verify_opts *o,
		       struct verify_report *r, struct xp_error *err);
void verify_report_release(struct verify_report *r);

#endif
