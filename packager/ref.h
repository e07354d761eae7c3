/*
 * ref.h — parsing bundle and registry references.
 *
 *   oci:DIR[:TAG|@DIGEST]            an OCI image layout directory
 *   oci-archive:FILE[:TAG|@DIGEST]   the same tree as a tar file
 *   PATH                             an existing layout dir or .tar (its only tag)
 *   [docker://]HOST[:PORT]/REPO[:TAG][@DIGEST]
 *                                    a registry repository; without docker:// the
 *                                    first component must look like a host (has a
 *                                    '.' or ':' or is "localhost")
 *
 * Syntax errors are XP_ERR_USAGE. Strings in struct xp_ref are owned.
 */
#ifndef XPSHIP_PACKAGER_REF_H
#define XPSHIP_PACKAGER_REF_H

#include "common/error.h"

enum ref_kind { REF_LAYOUT, REF_ARCHIVE, REF_REGISTRY };

/* ref_parse flags */
#define REF_LOCAL_ONLY    1  /* a bare word is a local path even if missing */
#define REF_REGISTRY_ONLY 2  /* only registry references are accepted */

struct xp_ref {
	enum ref_kind kind;
	char *path;    /* layout / archive: the directory or file */
	char *host;    /* registry: "host[:port]" */
	char *repo;    /* registry: repository name, e.g. "team/model" */
	char *tag;     /* NULL when none given */
	char *digest;  /* NULL when none given */
};

int ref_parse(const char *s, int flags, struct xp_ref *out, struct xp_error *err);
/* 0 unless s (a reference or a registry host) starts with http:// or
 * https://: then an XP_ERR_USAGE error saying how to write it (without the
 * scheme; --plain-http for http). */
int ref_check_scheme(const char *s, struct xp_error *err);
void ref_release(struct xp_ref *r);
/* The canonical text form (caller frees). */
char *ref_format(const struct xp_ref *r);
/* 1 when a tag is a valid OCI tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}). */
int ref_valid_tag(const char *tag);
/* 0 for a valid tag, else -1 with an XP_ERR_USAGE error saying which part of
 * the rule it breaks. */
int ref_check_tag(const char *tag, struct xp_error *err);
/* NULL, or why other tools refuse `tag` in the archive `dst` although OCI
 * allows it: podman load takes an oci-archive's tag as an image name, which
 * must be lowercase. A static string, for a warning. */
const char *ref_archive_tag_caveat(const struct xp_ref *dst, const char *tag);
/* 1 for the companion tags that hang off a manifest digest rather than name
 * a release: cosign's `sha256-<hex>.sig` / `.att` / `.sbom` and the
 * referrers fallback tag `sha256-<hex>`. */
int ref_is_companion_tag(const char *tag);
/* The release tag among tags[0..n) when there is exactly one besides the
 * companion tags, else NULL (a pointer into tags). */
const char *ref_only_release_tag(char *const *tags, size_t n);
/* 1 when a repository name is valid per the distribution spec. */
int ref_valid_repo(const char *repo);
/* 0 for a valid repository name, else -1 with an XP_ERR_USAGE error saying
 * which rule it breaks (lowercase path components, separators between
 * letters or digits, no empty component, at most 255 characters). */
int ref_check_repo(const char *repo, struct xp_error *err);
/* 0 when `id` is a registry repository HOST[:PORT]/REPO as a signature's
 * docker-reference names it (the grammar cosign and go-containerregistry
 * parse it with: a host, then a repository per ref_check_repo, no tag or
 * digest); else -1 with an XP_ERR_USAGE error naming the rule broken. */
int ref_check_identity(const char *id, struct xp_error *err);

#endif
