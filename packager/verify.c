/*
 * verify.c — verifying a bundle end to end (sign.h): its content against the
 * digests, its cosign signatures and its DSSE attestations against a key.
 *
 * Cheapest first: the manifests (small, and needed to know the rest), the
 * signatures and attestations (small), and only then the configs and layers,
 * which may be gigabytes in a registry: when anything before them failed, the
 * bundle is refused already and they are not read (the "blobs" check says so).
 *
 * What the store reports as absent, mismatched, refused or malformed
 * (XP_ERR_NOT_FOUND, _INTEGRITY, _REFUSED, _MALFORMED) is a failed check in the report — the bundle does not
 * verify — and the walk goes on, so one run names every failure it met. Anything
 * else (I/O, a registry that does not answer) stops the verification.
 */
#include "packager/sign_impl.h"
#include "common/base64.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "packager/approval.h"
#include "packager/dsse.h"
#include "packager/store.h"
#include "common/decision_record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 4   /* index → manifest → ...; deeper nesting is refused */

static void add_check(struct verify_report *r, const char *name, int ok,
		      const char *fmt, ...) XP_PRINTF(4, 5);

static void add_check(struct verify_report *r, const char *name, int ok, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	r->v[r->n].name = xstrdup(name);
	r->v[r->n].ok = ok;
	r->v[r->n].skipped = 0;
	r->v[r->n].detail = strbuf_detach(&sb, NULL);
	r->n++;
	if (!ok)
		r->failed++;
}

void verify_report_release(struct verify_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].detail);
	}
	free(r->v);
	free(r->verdict);
	free(r->champion);
	memset(r, 0, sizeof(*r));
}

/* 1 when a store error means "this content does not verify" rather than
 * "the store cannot be read". */
static int is_finding(const struct xp_error *err)
{
	return err->cls == XP_ERR_NOT_FOUND || err->cls == XP_ERR_INTEGRITY ||
	       err->cls == XP_ERR_REFUSED || err->cls == XP_ERR_MALFORMED;
}

/* A store failure: a failed check named `what`, or -1 to stop. */
static int finding(struct verify_report *r, const char *name, const char *what,
		   struct xp_error *err)
{
	if (!is_finding(err))
		return -1;
	add_check(r, name, 0, "%s: %s", what, err->msg);
	xp_error_clear(err);
	return 0;
}

/* The blobs under the manifests, read last (see the top of this file). */
struct later {
	struct oci_desc *d;
	char **what;
	size_t n;
};

static void later_release(struct later *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->what[i]);
	oci_descs_free(l->d, l->n);
	free(l->what);
}

/* Every manifest under d (d included) checked now; every other blob put on
 * `later`. */
static int walk(struct store *s, const struct oci_desc *d, int depth, const char *what,
		struct later *later, struct verify_report *r, struct xp_error *err)
{
	struct oci_desc *kids = NULL;
	char *buf = NULL, *label;
	size_t len, n = 0, i;
	int ret = 0;

	if (!oci_is_manifest_type(d->media_type)) {
		later->d = xrealloc(later->d, (later->n + 1) * sizeof(*later->d));
		later->what = xrealloc(later->what, (later->n + 1) * sizeof(*later->what));
		oci_desc_copy(&later->d[later->n], d);
		later->what[later->n++] = xstrdup(what);
		return 0;
	}
	if (depth > MAX_DEPTH) {
		add_check(r, "blobs", 0, "%s: nested deeper than %d levels", what, MAX_DEPTH);
		return 0;
	}
	r->blobs++;
	if (store_fetch_all(s, d, OCI_MANIFEST_MAX, &buf, &len, err) ||
	    oci_children(d->media_type, buf, len, d->digest, &kids, &n, err)) {
		free(buf);
		return finding(r, "blobs", what, err);
	}
	for (i = 0; i < n && ret == 0; i++) {
		const char *pre = depth ? what : "", *sp = depth ? " " : "";

		if (oci_is_index_type(d->media_type))
			label = xasprintf("%s%smanifest %zu", pre, sp, i + 1);
		else if (i == 0)
			label = xasprintf("%s%sconfig", pre, sp);
		else
			label = xasprintf("%s%slayer %zu", pre, sp, i);
		ret = walk(s, &kids[i], depth + 1, label, later, r, err);
		free(label);
	}
	oci_descs_free(kids, n);
	free(buf);
	return ret;
}

/* Load the companion manifest `tag`, check its subject and its config. */
static int load_companion(struct store *s, const struct oci_desc *m, const char *tag,
			  const char *name, struct oci_manifest *cm, int *found,
			  struct verify_report *r, struct xp_error *err)
{
	char *what;

	if (companion_load(s, tag, cm, NULL, found, err)) {
		*found = 0;
		what = xasprintf("'%s'", tag);
		if (finding(r, name, what, err)) {
			free(what);
			return -1;
		}
		free(what);
		*found = -1;   /* present but unreadable: already reported */
		return 0;
	}
	if (!*found)
		return 0;
	if (cm->subject && strcmp(cm->subject->digest, m->digest) != 0) {
		add_check(r, name, 0, "manifest '%s' names subject %s, not this manifest", tag,
			  cm->subject->digest);
		*found = -1;
		return 0;
	}
	r->blobs += 2;
	if (store_drain(s, &cm->config.desc, err)) {
		what = xasprintf("'%s' config", tag);
		if (finding(r, name, what, err)) {
			free(what);
			return -1;
		}
		free(what);
	}
	return 0;
}

/* Fetch a layer of a companion manifest; 1 = reported as a failure. */
static int fetch_layer(struct store *s, const char *tag, size_t i, const struct oci_desc *d,
		       const char *name, char **buf, size_t *len, struct verify_report *r,
		       struct xp_error *err)
{
	char *what;

	r->blobs++;
	if (!store_fetch_all(s, d, SIGN_BLOB_MAX, buf, len, err))
		return 0;
	what = xasprintf("'%s' layer %zu", tag, i + 1);
	if (finding(r, name, what, err)) {
		free(what);
		return -1;
	}
	free(what);
	return 1;
}

static int check_signatures(struct store *s, const struct oci_desc *m,
			    const struct verify_opts *o, struct verify_report *r,
			    struct xp_error *err)
{
	const struct sign_key *k = o->key;
	struct strbuf why = STRBUF_INIT;
	struct oci_manifest sm;
	char *tag = sign_companion_tag(m->digest, ".sig"), *identity = NULL;
	size_t i, valid = 0;
	int found, ret = 0;

	if (load_companion(s, m, tag, "signature", &sm, &found, r, err)) {
		ret = -1;
		goto out;
	}
	if (found == 0)
		add_check(r, "signature", 0, "not signed: no tag '%s' in '%s'", tag, store_name(s));
	if (found != 1)
		goto out;
	for (i = 0; i < sm.n_layers; i++) {
		const struct oci_entry *l = &sm.layers[i];
		const char *b64 = oci_annots_get(&l->annotations, COSIGN_ANN_SIGNATURE);
		unsigned char *sig = NULL;
		char *payload = NULL, *id = NULL;
		size_t len = 0, sig_len = 0;
		int f;

		if (strcmp(l->desc.media_type, COSIGN_MT_SIMPLESIGNING) != 0) {
			strbuf_addf(&why, "; layer %zu: media type '%.100s'", i + 1, l->desc.media_type);
			continue;
		}
		f = fetch_layer(s, tag, i, &l->desc, "signature", &payload, &len, r, err);
		if (f < 0) {
			ret = -1;
			goto out;
		}
		if (f > 0) {
			strbuf_addf(&why, "; layer %zu: payload does not match its digest", i + 1);
			continue;
		}
		if (!b64 || b64_decode_loose(b64, strlen(b64), &sig, &sig_len)) {
			strbuf_addf(&why, "; layer %zu: %s", i + 1,
				    b64 ? "signature annotation is not base64" : "no signature annotation");
		} else if (cosign_payload_check(payload, len, m->digest, &id, err)) {
			strbuf_addf(&why, "; layer %zu: %s", i + 1, err->msg);
			xp_error_clear(err);
		} else if (key_verify(k, payload, len, sig, sig_len, NULL)) {
			strbuf_addf(&why, "; layer %zu: signature does not match", i + 1);
		} else if (o->identity && strcmp(id, o->identity) != 0) {
			strbuf_addf(&why, "; layer %zu: docker-reference '%.200s', not '%s'", i + 1, id,
				    o->identity);
		} else if (!valid++) {
			identity = id;
			id = NULL;
		}
		free(id);
		free(sig);
		free(payload);
	}
	if (valid)
		add_check(r, "signature", 1, "%zu of %zu by %s key %.12s (docker-reference '%s')",
			  valid, sm.n_layers, key_type_name(k), key_id(k), identity);
	else
		add_check(r, "signature", 0, "no valid signature by %s key %.12s in '%s' (%s)",
			  key_type_name(k), key_id(k), tag, why.len ? why.buf + 2 : "no layers");
out:
	strbuf_release(&why);
	oci_manifest_release(&sm);
	free(identity);
	free(tag);
	return ret;
}

/* One attestation's statement: in-toto, about m, of the type the layer
 * says. Returns its predicate type (borrowed from st) or NULL with err. */
static const char *check_statement(json_t *st, const struct oci_desc *m, const char *annotated,
				   struct xp_error *err)
{
	const char *type = json_string_value(json_object_get(st, "_type"));
	const char *pt = json_string_value(json_object_get(st, "predicateType"));
	json_t *subj = json_object_get(st, "subject"), *e;
	size_t i;

	if (!type || (strcmp(type, INTOTO_STATEMENT_V1) && strcmp(type, "https://in-toto.io/Statement/v0.1"))) {
		xp_error_set(err, XP_ERR_REFUSED, "not an in-toto statement (_type '%.100s')",
			     type ? type : "");
		return NULL;
	}
	if (!pt) {
		xp_error_set(err, XP_ERR_REFUSED, "statement has no predicateType");
		return NULL;
	}
	if (annotated && strcmp(annotated, pt) != 0) {
		xp_error_set(err, XP_ERR_REFUSED, "statement's predicateType '%.100s' differs from the layer's '%.100s'",
			     pt, annotated);
		return NULL;
	}
	json_array_foreach(subj, i, e) {
		const char *h = json_string_value(json_object_get(json_object_get(e, "digest"), "sha256"));

		if (h && strcmp(h, digest_hex(m->digest)) == 0)
			return pt;
	}
	xp_error_set(err, XP_ERR_INTEGRITY, "statement's subject is not this manifest (%s)", m->digest);
	return NULL;
}

static const char *signed_check(const json_t *st)
{
	return json_string_value(json_object_get(json_object_get(st, "predicate"), "check"));
}

/* The waivers a signed decision carries (approval.h): shown, and with
 * approvers each applied one's envelope verified again. */
static void check_waivers(const json_t *decision, const struct verify_opts *o,
			  struct verify_report *r)
{
	const json_t *w;
	size_t i;

	json_array_foreach(json_object_get(decision, DECISION_KEY_WAIVERS), i, w) {
		const char *check = json_string_value(json_object_get(w, "check"));
		const char *by = json_string_value(json_object_get(w, "approver"));
		const char *kid = json_string_value(json_object_get(w, "keyid"));
		const char *reason = json_string_value(json_object_get(w, "reason"));
		const char *until = json_string_value(json_object_get(w, "expires"));
		const char *why = json_string_value(json_object_get(w, "why"));
		const struct approver *who = NULL;
		struct strbuf sb = STRBUF_INIT;
		struct xp_error e;
		json_t *st = NULL;
		char name[32], *env;
		int ok = 1;

		snprintf(name, sizeof(name), "waiver %zu", i + 1);
		strbuf_addf(&sb, "%.100s waived by %.60s (key %.12s)", check ? check : "?",
			    by ? by : "?", kid ? kid : "?");
		if (reason)
			strbuf_addf(&sb, ": %.200s", reason);
		if (until)
			strbuf_addf(&sb, ", until %.40s", until);
		if (!json_is_true(json_object_get(w, "applied"))) {
			add_check(r, name, 1, "not applied (%.200s)", why ? why : "?");
			r->v[r->n - 1].ok = 0;
			r->v[r->n - 1].skipped = 1;
			strbuf_release(&sb);
			continue;
		}
		if (!o->approvals) {
			add_check(r, name, 1, "%s (signature not checked: no approvers given)", sb.buf);
			strbuf_release(&sb);
			continue;
		}
		xp_error_clear(&e);
		env = json_dumps(json_object_get(w, "envelope"), JSON_COMPACT);
		if (!env || approval_statement_verify(env, strlen(env), o->approvals->approvers,
						      XP_PREDICATE_WAIVER, &who, &st, &e))
			ok = 0;
		else if (!check || !signed_check(st) || strcmp(check, signed_check(st)) != 0)
			ok = !xp_error_set(&e, XP_ERR_REFUSED, "the signed waiver names another check");
		if (ok)
			add_check(r, name, 1, "%s, signed by %s", sb.buf, who->name);
		else
			add_check(r, name, 0, "%s: %s", sb.buf, env ? e.msg : "no envelope");
		json_decref(st);
		free(env);
		strbuf_release(&sb);
	}
}

struct att_state {
	int provenance;       /* a valid SLSA provenance seen */
	size_t approvals;     /* approval layers, checked apart (approval.h) */
};

static int check_one_attestation(struct store *s, const struct oci_desc *m, const char *tag,
				 size_t i, const struct oci_entry *l, const struct verify_opts *o,
				 struct att_state *as, struct verify_report *r,
				 struct xp_error *err)
{
	const char *annotated = oci_annots_get(&l->annotations, ATT_ANN_PREDICATE_TYPE), *pt;
	const struct sign_key *k = o->key;
	char name[48], *env = NULL, *ptype = NULL, *payload = NULL;
	size_t len = 0, plen = 0;
	json_t *st = NULL;
	int f, ret = 0;

	snprintf(name, sizeof(name), "attestation %zu", i + 1);
	if (annotated && strcmp(annotated, XP_PREDICATE_APPROVAL) == 0) {
		as->approvals++;
		return 0;
	}
	if (strcmp(l->desc.media_type, DSSE_MT_ENVELOPE) != 0) {
		add_check(r, name, 0, "'%s' layer %zu: media type '%.100s', not a DSSE envelope", tag,
			  i + 1, l->desc.media_type);
		return 0;
	}
	f = fetch_layer(s, tag, i, &l->desc, name, &env, &len, r, err);
	if (f)
		return f < 0 ? -1 : 0;
	if (dsse_verify(k, env, len, &ptype, &payload, &plen, err))
		goto bad;
	if (strcmp(ptype, INTOTO_PAYLOAD_TYPE) != 0) {
		xp_error_set(err, XP_ERR_REFUSED, "payloadType '%.100s', not in-toto", ptype);
		goto bad;
	}
	if (oci_json_load(payload, plen, "statement", tag, &st, err))
		goto bad;
	pt = check_statement(st, m, annotated, err);
	if (!pt)
		goto bad;
	if (strcmp(pt, SLSA_PROVENANCE_V1) == 0)
		as->provenance = 1;
	if (strcmp(pt, XP_PREDICATE_DECISION) == 0) {
		const char *v = decision_verdict(json_object_get(st, "predicate"));

		const char *champ = NULL;

		free(r->verdict);
		r->verdict = xstrdup(v ? v : "");
		free(r->champion);
		r->champion = NULL;
		r->champion_recorded = decision_champion(json_object_get(st, "predicate"), NULL,
							 &champ);
		if (champ)
			r->champion = xstrdup(champ);
	}
	add_check(r, name, 1, "%s, signed by %s key %.12s", pt, key_type_name(k), key_id(k));
	if (strcmp(pt, XP_PREDICATE_DECISION) == 0)
		check_waivers(json_object_get(st, "predicate"), o, r);
	goto out;
bad:
	add_check(r, name, 0, "'%s' layer %zu (%s): %s", tag, i + 1,
		  annotated ? annotated : "no predicateType", err->msg);
	xp_error_clear(err);
out:
	json_decref(st);
	free(env);
	free(ptype);
	free(payload);
	return ret;
}

static int check_attestations(struct store *s, const struct oci_desc *m,
			      const struct verify_opts *o, struct verify_report *r,
			      struct xp_error *err)
{
	struct att_state as = {0};
	struct oci_manifest am;
	char *tag = sign_companion_tag(m->digest, ".att");
	int found, ret = 0;
	size_t i;

	if (load_companion(s, m, tag, "attestations", &am, &found, r, err)) {
		ret = -1;
		goto out;
	}
	if (found == 0 && (o->require_attestation || o->require_verdict))
		add_check(r, "attestations", 0, "none: no tag '%s' in '%s'", tag, store_name(s));
	else if (found == 0)
		add_check(r, "attestations", 1, "none (not required)");
	for (i = 0; found == 1 && i < am.n_layers && ret == 0; i++)
		ret = check_one_attestation(s, m, tag, i, &am.layers[i], o, &as, r, err);
	if (ret)
		goto out;
	if (found == 1 && !am.n_layers)
		add_check(r, "attestations", !o->require_attestation, "'%s' holds no attestations", tag);
	else if (found == 1 && o->require_attestation && !as.provenance)
		add_check(r, "attestations", 0, "no valid %s attestation", SLSA_PROVENANCE_V1);
	if (o->require_verdict) {
		if (!r->verdict)
			add_check(r, "verdict", 0, "no valid gate decision attestation (%s)",
				  XP_PREDICATE_DECISION);
		else if (strcmp(r->verdict, o->require_verdict) != 0)
			add_check(r, "verdict", 0, "the gate decision's verdict is '%.40s', '%s' is required",
				  r->verdict, o->require_verdict);
		else
			add_check(r, "verdict", 1, "%s", r->verdict);
	} else if (r->verdict) {
		add_check(r, "verdict", 1, "%.40s (not required)", r->verdict);
	}
	if (o->approvals)
		ret = approvals_check(s, m, o->approvals, r, err);
	else if (as.approvals)
		add_check(r, "approvals", 1, "%zu attached, not checked (no approvers given)",
			  as.approvals);
out:
	oci_manifest_release(&am);
	free(tag);
	return ret;
}

/* The blobs put off by walk: read when nothing failed so far, else one
 * skipped check naming what failed. */
static int check_later(struct store *s, const struct later *later, size_t walked,
		       struct verify_report *r, struct xp_error *err)
{
	struct strbuf why = STRBUF_INIT;
	size_t i, blobs_failed = 0;

	for (i = 0; i < r->n; i++) {
		if (r->v[i].ok)
			continue;
		if (strcmp(r->v[i].name, "blobs") == 0)
			blobs_failed++;
		else if (!strstr(why.len ? why.buf : "", r->v[i].name))
			strbuf_addf(&why, "%s%s", why.len ? ", " : "", r->v[i].name);
	}
	if (r->failed && later->n) {
		r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
		r->v[r->n].name = xstrdup("blobs");
		r->v[r->n].ok = 0;
		r->v[r->n].skipped = 1;
		r->v[r->n].detail = xasprintf("%zu not read: the bundle is refused already (%s)",
					      later->n, why.len ? why.buf : "blobs");
		r->n++;
		strbuf_release(&why);
		return 0;
	}
	strbuf_release(&why);
	for (i = 0; i < later->n; i++) {
		r->blobs++;
		if (store_drain(s, &later->d[i], err)) {
			if (finding(r, "blobs", later->what[i], err))
				return -1;
			blobs_failed++;
		}
	}
	if (!blobs_failed)
		add_check(r, "blobs", 1, "%zu of %zu match their digests", walked + later->n,
			  walked + later->n);
	return 0;
}

/* The "blobs" checks first, as they are the first thing a bundle is. */
static void blobs_first(struct verify_report *r)
{
	struct verify_check *v = xmalloc((r->n ? r->n : 1) * sizeof(*v));
	size_t i, k = 0;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].name, "blobs") == 0)
			v[k++] = r->v[i];
	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].name, "blobs") != 0)
			v[k++] = r->v[i];
	free(r->v);
	r->v = v;
}

int sign_verify_bundle(struct store *s, const struct oci_desc *m, const struct verify_opts *o,
		       struct verify_report *r, struct xp_error *err)
{
	struct verify_report rep;
	struct later later = {NULL, NULL, 0};

	size_t walked;

	memset(&rep, 0, sizeof(rep));
	if (walk(s, m, 0, "manifest", &later, &rep, err))
		goto fail;
	walked = rep.blobs;
	if (check_signatures(s, m, o, &rep, err) || check_attestations(s, m, o, &rep, err) ||
	    check_later(s, &later, walked, &rep, err))
		goto fail;
	later_release(&later);
	blobs_first(&rep);
	*r = rep;
	return 0;
fail:
	later_release(&later);
	verify_report_release(&rep);
	return -1;
}
