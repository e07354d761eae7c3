/*
 * approval.c — approvals of a bundle (approval.h): signing and attaching
 * them, verifying people's statements against the approvers file, and
 * counting the approvals a promotion requires.
 *
 * Approval predicate (docs/approvals.md):
 *   {"approver":{"keyid","identity"?},"role"?,"reason"?,"time","expires"|null,
 *    "decision":{"digest"}|null,"policy":{"digest"}|null}
 */
#include "packager/approval.h"

#include "common/base64.h"
#include "common/decision_record.h"
#include "common/strbuf.h"
#include "common/timeutil.h"
#include "packager/bundle.h"
#include "packager/dsse.h"
#include "packager/sign_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static void set_new(json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v))
		abort();
}

static json_t *digest_obj(const char *digest)
{
	json_t *o;

	if (!digest || !*digest)
		return json_null();
	o = json_object();
	set_new(o, "digest", json_string(digest));
	return o;
}

/* The first signature's keyid named in an envelope that matches a trusted
 * approver (borrowed from a), else NULL; *first the first keyid at all. */
static const struct approver *claimed(const json_t *env, const struct approvers *a,
				      char first[80])
{
	const json_t *sigs = json_object_get(env, "signatures"), *s;
	size_t i, j;

	first[0] = '\0';
	json_array_foreach(sigs, i, s) {
		const char *kid = json_string_value(json_object_get(s, "keyid"));

		if (!kid)
			continue;
		if (!first[0])
			snprintf(first, 80, "%.64s", kid);
		for (j = 0; j < a->n; j++)
			if (strcmp(kid, key_id(a->v[j].key)) == 0)
				return &a->v[j];
	}
	return NULL;
}

/* Which trusted key signed the envelope: 0 and *who, else REFUSED with why. */
static int find_signer(const char *envelope, size_t len, const struct approvers *a,
		       const struct approver **who, char **payload, size_t *plen,
		       struct xp_error *err)
{
	const struct approver *named;
	char *ptype = NULL, first[80];
	struct xp_error e;
	json_error_t je;
	json_t *env;
	size_t i;

	env = json_loadb(envelope, len, JSON_REJECT_DUPLICATES, &je);
	if (!env)
		return xp_error_set(err, XP_ERR_MALFORMED, "not a DSSE envelope: %s (line %d, column %d)",
				    je.text, je.line, je.column);
	named = claimed(env, a, first);
	json_decref(env);
	for (i = 0; i < a->n; i++) {
		xp_error_clear(&e);
		if (dsse_verify(a->v[i].key, envelope, len, &ptype, payload, plen, &e) == 0)
			break;
		if (e.cls == XP_ERR_MALFORMED) {
			*err = e;
			return -1;
		}
	}
	if (i == a->n) {
		if (named)
			return xp_error_set(err, XP_ERR_REFUSED,
					    "wrong key: the signature does not verify with approver '%s''s key %.12s",
					    named->name, key_id(named->key));
		return xp_error_set(err, XP_ERR_REFUSED, "untrusted key: signed by key %.12s, not an approver's",
				    first[0] ? first : "(no keyid)");
	}
	if (strcmp(ptype, INTOTO_PAYLOAD_TYPE) != 0) {
		xp_error_set(err, XP_ERR_REFUSED, "payloadType '%.100s', not in-toto", ptype);
		free(ptype);
		free(*payload);
		*payload = NULL;
		return -1;
	}
	free(ptype);
	*who = &a->v[i];
	return 0;
}

int approval_statement_verify(const char *envelope, size_t len, const struct approvers *a,
			      const char *ptype, const struct approver **who, json_t **st,
			      struct xp_error *err)
{
	const struct approver *signer = NULL;
	const char *type, *pt;
	char *payload = NULL;
	size_t plen = 0;
	json_error_t je;
	json_t *s;

	if (find_signer(envelope, len, a, &signer, &payload, &plen, err))
		return -1;
	s = json_loadb(payload, plen, JSON_REJECT_DUPLICATES, &je);
	free(payload);
	if (!s || !json_is_object(s)) {
		json_decref(s);
		return xp_error_set(err, XP_ERR_REFUSED, "the signed payload is not a JSON statement");
	}
	type = json_string_value(json_object_get(s, "_type"));
	pt = json_string_value(json_object_get(s, "predicateType"));
	if (!type || strcmp(type, INTOTO_STATEMENT_V1) != 0 || !pt ||
	    !json_is_object(json_object_get(s, "predicate"))) {
		json_decref(s);
		return xp_error_set(err, XP_ERR_REFUSED, "not an in-toto Statement v1 with a predicate");
	}
	if (strcmp(pt, ptype) != 0) {
		xp_error_set(err, XP_ERR_REFUSED, "a '%.100s' statement, not '%s'", pt, ptype);
		json_decref(s);
		return -1;
	}
	*who = signer;
	*st = s;
	return 0;
}

/* ---- the decision a bundle carries ---- */

/* The bundle's decision digest (pack's annotation; caller frees), NULL when
 * it carries none. */
static int bundle_decision(struct store *s, const struct oci_desc *m, char **out,
			   struct xp_error *err)
{
	struct oci_annots meta;
	const char *d;

	if (bundle_read_meta(s, m, &meta, err))
		return -1;
	d = oci_annots_get(&meta, BUNDLE_ANN_DECISION_DIGEST);
	*out = d ? xstrdup(d) : NULL;
	oci_annots_release(&meta);
	return 0;
}

/* The policy digest of the bundle's gate-decision attestation, when it has
 * one (caller frees; NULL otherwise). Read, not verified: the approver signs
 * what the bundle says, and promote checks the decision by its digest. */
static char *attested_policy(struct store *s, const struct oci_desc *m, struct xp_error *err)
{
	struct oci_manifest am;
	char *tag = sign_companion_tag(m->digest, ".att"), *env = NULL, *out = NULL;
	unsigned char *payload = NULL;
	size_t i, len, plen;
	int found;

	memset(&am, 0, sizeof(am));
	if (companion_load(s, tag, &am, NULL, &found, err))
		xp_error_clear(err);
	for (i = 0; found && !out && i < am.n_layers; i++) {
		const char *pt = oci_annots_get(&am.layers[i].annotations, ATT_ANN_PREDICATE_TYPE);
		const char *p64, *pd, *pp;
		json_t *e = NULL, *st = NULL;

		if (!pt || strcmp(pt, XP_PREDICATE_DECISION) != 0 ||
		    store_fetch_all(s, &am.layers[i].desc, SIGN_BLOB_MAX, &env, &len, err)) {
			xp_error_clear(err);
			continue;
		}
		e = json_loadb(env, len, 0, NULL);
		p64 = json_string_value(json_object_get(e, "payload"));
		if (p64 && !b64_decode_loose(p64, strlen(p64), &payload, &plen))
			st = json_loadb((const char *)payload, plen, 0, NULL);
		decision_policy(json_object_get(st, "predicate"), &pd, &pp);
		if (pd)
			out = xstrdup(pd);
		json_decref(st);
		json_decref(e);
		free(payload);
		free(env);
		payload = NULL;
		env = NULL;
	}
	oci_manifest_release(&am);
	free(tag);
	return out;
}

/* The digests an approval names: the decision given, or the bundle's. */
static int approved_decision(struct store *s, const struct oci_desc *m,
			     const struct approve_opts *o, char **decision, char **policy,
			     struct xp_error *err)
{
	char digest[XP_DIGEST_SIZE];
	const char *pd, *pp;
	json_error_t je;
	json_t *d;

	*policy = NULL;
	if (!o->decision_json) {
		if (bundle_decision(s, m, decision, err))
			return -1;
		*policy = attested_policy(s, m, err);
		return 0;
	}
	d = json_loadb(o->decision_json, o->decision_len, JSON_REJECT_DUPLICATES, &je);
	if (!decision_verdict(d)) {
		json_decref(d);
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "malformed decision: needs a \"verdict\" of \"pass\", \"pass-with-waivers\" or \"fail\"");
	}
	decision_policy(d, &pd, &pp);
	*policy = pd ? xstrdup(pd) : NULL;
	json_decref(d);
	digest_buf(o->decision_json, o->decision_len, digest);
	*decision = xstrdup(digest);
	return 0;
}

static char *approval_predicate(const struct sign_key *k, const struct approve_opts *o,
				const char *decision, const char *policy)
{
	json_t *p = json_object(), *who = json_object();
	char t[XP_TIME_SIZE];
	char *s;

	set_new(who, "keyid", json_string(key_id(k)));
	if (o->identity)
		set_new(who, "identity", json_string(o->identity));
	set_new(p, "approver", who);
	if (o->role)
		set_new(p, "role", json_string(o->role));
	if (o->reason)
		set_new(p, "reason", json_string(o->reason));
	xp_time_format(o->time, t);
	set_new(p, "time", json_string(t));
	xp_time_format(o->time + o->expires, t);
	set_new(p, "expires", o->expires ? json_string(t) : json_null());
	set_new(p, "decision", digest_obj(decision));
	set_new(p, "policy", digest_obj(policy));
	s = json_dumps(p, JSON_COMPACT);
	if (!s)
		abort();
	json_decref(p);
	return s;
}

/* 0 when envelope is a DSSE envelope of an in-toto approval statement
 * (signatures not checked: whose they are is approvals_check's question). */
static int approval_form(const char *envelope, size_t len, struct xp_error *err)
{
	const char *type, *p64, *pt;
	unsigned char *payload = NULL;
	size_t plen;
	json_t *e, *st = NULL;
	int ok;

	e = json_loadb(envelope, len, JSON_REJECT_DUPLICATES, NULL);
	type = json_string_value(json_object_get(e, "payloadType"));
	p64 = json_string_value(json_object_get(e, "payload"));
	if (type && strcmp(type, INTOTO_PAYLOAD_TYPE) == 0 && p64 &&
	    !b64_decode_loose(p64, strlen(p64), &payload, &plen))
		st = json_loadb((const char *)payload, plen, 0, NULL);
	pt = json_string_value(json_object_get(st, "predicateType"));
	ok = pt && strcmp(pt, XP_PREDICATE_APPROVAL) == 0 &&
	     json_array_size(json_object_get(e, "signatures")) > 0;
	free(payload);
	json_decref(st);
	json_decref(e);
	if (!ok)
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "not an approval: expected a signed DSSE envelope of an in-toto statement with predicateType %s",
				    XP_PREDICATE_APPROVAL);
	return 0;
}

int approval_attach(struct store *s, const struct oci_desc *m, const char *envelope,
		    size_t len, struct xp_error *err)
{
	struct oci_manifest am;
	struct oci_entry layer;
	char *tag;
	int found, ret = -1;
	size_t i;

	if (approval_form(envelope, len, err))
		return -1;
	tag = sign_companion_tag(m->digest, ".att");
	memset(&am, 0, sizeof(am));
	memset(&layer, 0, sizeof(layer));
	if (companion_load(s, tag, &am, NULL, &found, err) ||
	    store_push_buf(s, DSSE_MT_ENVELOPE, envelope, len, &layer.desc, err))
		goto out;
	oci_annots_set(&layer.annotations, ATT_ANN_PREDICATE_TYPE, XP_PREDICATE_APPROVAL);
	oci_annots_set(&layer.annotations, COSIGN_ANN_SIGNATURE, "");
	for (i = 0; i < am.n_layers; i++)
		if (strcmp(am.layers[i].desc.digest, layer.desc.digest) == 0)
			break;
	if (i == am.n_layers)
		oci_manifest_add_layer(&am, &layer);
	ret = companion_store(s, m, tag, &am, NULL, err);
out:
	oci_entry_release(&layer);
	oci_manifest_release(&am);
	free(tag);
	return ret;
}

int approve_bundle(struct store *s, const struct oci_desc *m, const struct sign_key *k,
		   const struct approve_opts *o, char **envelope, struct xp_error *err)
{
	char *decision = NULL, *policy = NULL, *pred = NULL, *st = NULL, *ident = NULL, *env = NULL;
	size_t len;
	int ret = -1;

	if (approved_decision(s, m, o, &decision, &policy, err))
		goto out;
	pred = approval_predicate(k, o, decision, policy);
	ident = attest_subject_name(s, m, o->subject_name);
	st = attest_statement(ident, m->digest, XP_PREDICATE_APPROVAL, pred);
	if (dsse_sign(k, INTOTO_PAYLOAD_TYPE, st, strlen(st), &env, &len, err) ||
	    approval_attach(s, m, env, len, err))
		goto out;
	*envelope = env;
	env = NULL;
	ret = 0;
out:
	free(decision);
	free(policy);
	free(pred);
	free(st);
	free(ident);
	free(env);
	return ret;
}

/* ---- counting approvals ---- */

struct tally {
	const struct approver **counted;   /* distinct keys counted so far */
	size_t n;
	struct strbuf why;                 /* "; approval N: why not", ... */
};

static void add_check(struct verify_report *r, const char *name, int ok, int skipped,
		      const char *fmt, ...) XP_PRINTF(5, 6);

static void add_check(struct verify_report *r, const char *name, int ok, int skipped,
		      const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	r->v[r->n].name = xstrdup(name);
	r->v[r->n].ok = ok;
	r->v[r->n].skipped = skipped;
	r->v[r->n].detail = strbuf_detach(&sb, NULL);
	r->n++;
	if (!ok && !skipped)
		r->failed++;
}

static int has_role(const struct approver *ap, const char *role)
{
	size_t i;

	for (i = 0; i < ap->n_roles; i++)
		if (strcmp(ap->roles[i], role) == 0)
			return 1;
	return 0;
}

static int names_subject(const json_t *st, const char *digest)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(st, "subject"), i, e) {
		const char *h = json_string_value(json_object_get(json_object_get(e, "digest"),
								  "sha256"));

		if (h && strcmp(h, digest_hex(digest)) == 0)
			return 1;
	}
	return 0;
}

static const char *pstr(const json_t *pred, const char *key)
{
	return json_string_value(json_object_get(pred, key));
}

/* Why an approval by `who` does not count for m, or NULL when it does (the
 * returned text is the caller's). */
static char *why_not(const json_t *st, const struct approver *who, const char *digest,
		     const char *decision, const struct approval_req *q, const struct tally *t)
{
	const json_t *pred = json_object_get(st, "predicate");
	const char *role = pstr(pred, "role"), *exp = pstr(pred, "expires");
	const char *dd = json_string_value(json_object_get(json_object_get(pred, "decision"),
							   "digest"));
	long long when;
	size_t i;

	if (!names_subject(st, digest)) {
		const json_t *s0 = json_array_get(json_object_get(st, "subject"), 0);
		const char *h = json_string_value(json_object_get(json_object_get(s0, "digest"),
								  "sha256"));

		return xasprintf("another digest: approves sha256:%.64s, not this manifest",
				 h ? h : "?");
	}
	if (decision && (!dd || strcmp(dd, decision) != 0))
		return xasprintf("another decision: approves %s, the bundle carries %s",
				 dd ? dd : "no decision", decision);
	if (!decision && dd)
		return xasprintf("another decision: approves %s, the bundle carries none", dd);
	if (exp && (xp_time_parse(exp, &when) || when <= q->now))
		return xasprintf("expired at %.40s", exp);
	if (role && !has_role(who, role))
		return xasprintf("role '%.60s' is not granted to '%s' by '%s'", role, who->name,
				 q->approvers->path);
	for (i = 0; i < t->n; i++)
		if (strcmp(key_id(t->counted[i]->key), key_id(who->key)) == 0)
			return xasprintf("duplicate: '%s' (key %.12s) is counted once", who->name,
					 key_id(who->key));
	return NULL;
}

static void describe(struct strbuf *sb, const json_t *st, const struct approver *who)
{
	const json_t *pred = json_object_get(st, "predicate");
	const char *id = pstr(json_object_get(pred, "approver"), "identity");
	const char *role = pstr(pred, "role"), *reason = pstr(pred, "reason");
	const char *time = pstr(pred, "time"), *exp = pstr(pred, "expires");

	strbuf_addf(sb, "by %s (key %.12s", who->name, key_id(who->key));
	if (id)
		strbuf_addf(sb, ", %.100s", id);
	if (role)
		strbuf_addf(sb, ", role %.60s", role);
	strbuf_addf(sb, ") at %.40s", time ? time : "?");
	if (reason)
		strbuf_addf(sb, ": \"%.200s\"", reason);
	if (exp)
		strbuf_addf(sb, ", expires %.40s", exp);
}

/* One approval layer: a check, and the tally when it counts. */
static int one_approval(struct store *s, const struct oci_desc *m, const struct oci_entry *l,
			size_t idx, const char *decision, const struct approval_req *q,
			struct tally *t, struct verify_report *r, struct xp_error *err)
{
	const struct approver *who = NULL;
	struct strbuf sb = STRBUF_INIT;
	char name[48], *env = NULL, *why = NULL;
	json_t *st = NULL;
	size_t len = 0;

	snprintf(name, sizeof(name), "approval %zu", idx);
	r->blobs++;
	if (store_fetch_all(s, &l->desc, SIGN_BLOB_MAX, &env, &len, err)) {
		if (err->cls != XP_ERR_NOT_FOUND && err->cls != XP_ERR_INTEGRITY &&
		    err->cls != XP_ERR_MALFORMED)
			return -1;
		add_check(r, name, 0, 1, "not counted: %s", err->msg);
		strbuf_addf(&t->why, "; %s: %s", name, err->msg);
		xp_error_clear(err);
		return 0;
	}
	if (approval_statement_verify(env, len, q->approvers, XP_PREDICATE_APPROVAL, &who, &st,
				      err)) {
		add_check(r, name, 0, 1, "not counted: %s", err->msg);
		strbuf_addf(&t->why, "; %s: %s", name, err->msg);
		xp_error_clear(err);
		free(env);
		return 0;
	}
	why = why_not(st, who, m->digest, decision, q, t);
	describe(&sb, st, who);
	if (why) {
		add_check(r, name, 0, 1, "not counted: %s; %s", why, sb.buf);
		strbuf_addf(&t->why, "; %s: %s", name, why);
	} else {
		add_check(r, name, 1, 0, "%s", sb.buf);
		t->counted = xrealloc(t->counted, (t->n + 1) * sizeof(*t->counted));
		t->counted[t->n++] = who;
	}
	strbuf_release(&sb);
	free(why);
	json_decref(st);
	free(env);
	return 0;
}

/* The "approvals" verdict: enough distinct keys, every role held. */
static void summarize(const struct approval_req *q, const struct tally *t, size_t seen,
		      struct verify_report *r)
{
	struct strbuf missing = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < q->n_roles; i++) {
		for (j = 0; j < t->n; j++)
			if (has_role(t->counted[j], q->roles[i]))
				break;
		if (j == t->n)
			strbuf_addf(&missing, "%s'%s'", missing.len ? ", " : "", q->roles[i]);
	}
	if (t->n < q->required)
		add_check(r, "approvals", 0, 0,
			  "%zu of %zu required (%zu attached, approvers '%s' %s)%s", t->n,
			  q->required, seen, q->approvers->path, q->approvers->digest,
			  t->why.len ? t->why.buf : "");
	else if (missing.len)
		add_check(r, "approvals", 0, 0, "role missing: no counted approval by a holder of %s",
			  missing.buf);
	else
		add_check(r, "approvals", 1, 0, "%zu counted%s (approvers '%s' %s)", t->n,
			  q->required ? "" : ", none required", q->approvers->path,
			  q->approvers->digest);
	strbuf_release(&missing);
}

int approvals_check(struct store *s, const struct oci_desc *m, const struct approval_req *q,
		    struct verify_report *r, struct xp_error *err)
{
	struct tally t = {NULL, 0, STRBUF_INIT};
	struct oci_manifest am;
	char *tag = sign_companion_tag(m->digest, ".att"), *decision = NULL;
	size_t i, seen = 0;
	int found, ret = -1;

	memset(&am, 0, sizeof(am));
	if (bundle_decision(s, m, &decision, err) ||
	    companion_load(s, tag, &am, NULL, &found, err))
		goto out;
	for (i = 0; found && i < am.n_layers; i++) {
		const char *pt = oci_annots_get(&am.layers[i].annotations, ATT_ANN_PREDICATE_TYPE);

		if (!pt || strcmp(pt, XP_PREDICATE_APPROVAL) != 0)
			continue;
		if (one_approval(s, m, &am.layers[i], ++seen, decision, q, &t, r, err))
			goto out;
	}
	summarize(q, &t, seen, r);
	ret = 0;
out:
	strbuf_release(&t.why);
	free(t.counted);
	free(decision);
	free(tag);
	oci_manifest_release(&am);
	return ret;
}
