/*
 * attest.c — in-toto statements (SLSA provenance v1, the gate decision),
 * signed as DSSE envelopes and stored under `sha256-<hex>.att` (sign.h).
 *
 * Provenance predicate:
 *   buildDefinition: buildType XP_BUILD_TYPE; externalParameters = the
 *     experiment's (selected run's parameters, objective, search space, record
 *     id and digest) plus the gate policy's digest from the decision;
 *     resolvedDependencies = the datasets, the code commit and the
 *     environment from the experiment record
 *   runDetails: builder {id, version {xpship}}; metadata {invocationId,
 *     startedOn, finishedOn} as far as known
 * The decision statement's predicate is the decision record itself.
 */
#include "packager/sign_impl.h"
#include "common/error.h"
#include "common/jsonout.h"
#include "common/strbuf.h"
#include "packager/dsse.h"
#include "common/decision_record.h"
#include "packager/bundle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STATEMENTS 2

static void set_new(json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v))
		abort();
}

/* Compact JSON whose numbers read as written (common/jsonout.h). */
static char *dump(const json_t *j)
{
	return json_dumps_exact(j, JSON_COMPACT);
}

char *attest_statement(const char *subject_name, const char *digest,
		       const char *predicate_type, const char *predicate_json)
{
	json_t *st = json_object(), *subj = json_array(), *one = json_object(),
	       *dg = json_object(), *pred;
	json_error_t je;
	char *s;

	set_new(st, "_type", json_string(INTOTO_STATEMENT_V1));
	set_new(dg, "sha256", json_string(digest_hex(digest)));
	set_new(one, "name", json_string(subject_name));
	set_new(one, "digest", dg);
	json_array_append_new(subj, one);
	set_new(st, "subject", subj);
	set_new(st, "predicateType", json_string(predicate_type));
	pred = json_loads(predicate_json, 0, &je);
	set_new(st, "predicate", pred ? pred : json_object());
	s = dump(st);
	json_decref(st);
	return s;
}

/* The decision record, checked for what consumers rely on. */
static int load_decision(const struct attest_opts *o, json_t **out, struct xp_error *err)
{
	const char *what = o->decision_name ? o->decision_name : "decision";
	const char *verdict;
	json_t *d;

	if (oci_json_load(o->decision_json, strlen(o->decision_json), "decision", what, &d, err))
		return -1;
	verdict = decision_verdict(d);
	if (!verdict) {
		json_decref(d);
		return xp_error_set(err, XP_ERR_MALFORMED,
				    "malformed decision '%s': needs a \"verdict\" of \"pass\", \"pass-with-waivers\" or \"fail\"",
				    what);
	}
	*out = d;
	return 0;
}

/* externalParameters and resolvedDependencies from the experiment and the
 * decision (new references in *ext and *deps). */
static int build_inputs(const struct attest_opts *o, json_t **ext, json_t **deps,
			struct xp_error *err)
{
	json_t *prov = NULL, *dec = NULL, *e = NULL, *d = NULL;

	if (o->provenance_json) {
		if (oci_json_load(o->provenance_json, strlen(o->provenance_json), "provenance",
				  "experiment", &prov, err))
			return -1;
		e = json_object_get(prov, "externalParameters");
		d = json_object_get(prov, "resolvedDependencies");
		if ((e && !json_is_object(e)) || (d && !json_is_array(d))) {
			json_decref(prov);
			return xp_error_set(err, XP_ERR_MALFORMED,
					    "malformed provenance 'experiment': externalParameters must be an object, resolvedDependencies an array");
		}
	}
	if (o->decision_json && load_decision(o, &dec, err)) {
		json_decref(prov);
		return -1;
	}
	*ext = e ? json_deep_copy(e) : json_object();
	*deps = d ? json_deep_copy(d) : json_array();
	if (o->profile_digest && strncmp(o->profile_digest, "sha256:", 7) == 0) {
		json_t *r = json_object(), *dg = json_object();

		set_new(dg, "sha256", json_string(o->profile_digest + 7));
		set_new(r, "name", json_string(BUNDLE_DIR "/" BUNDLE_PROFILE_FILE));
		set_new(r, "digest", dg);
		set_new(r, "annotations", json_pack("{s:s}", "role", "training data profile"));
		json_array_append_new(*deps, r);
	}
	if (dec) {
		const char *pdigest, *ppath;

		decision_policy(dec, &pdigest, &ppath);
		if (pdigest) {
			json_t *p = json_object();

			set_new(p, "digest", json_string(pdigest));
			if (ppath)
				set_new(p, "path", json_string(ppath));
			set_new(*ext, "policy", p);
		}
	}
	json_decref(prov);
	json_decref(dec);
	return 0;
}

int attest_provenance_predicate(const struct attest_opts *o, char **out, struct xp_error *err)
{
	json_t *pred, *bd, *rd, *builder, *ver, *meta, *ext = NULL, *deps = NULL;

	if (build_inputs(o, &ext, &deps, err))
		return -1;
	bd = json_object();
	set_new(bd, "buildType", json_string(XP_BUILD_TYPE));
	set_new(bd, "externalParameters", ext);
	set_new(bd, "resolvedDependencies", deps);
	builder = json_object();
	set_new(builder, "id", json_string(o->builder_id));
	ver = json_object();
	set_new(ver, "xpship", json_string(XP_VERSION));
	set_new(builder, "version", ver);
	meta = json_object();
	if (o->invocation_id)
		set_new(meta, "invocationId", json_string(o->invocation_id));
	if (o->started_on)
		set_new(meta, "startedOn", json_string(o->started_on));
	if (o->finished_on)
		set_new(meta, "finishedOn", json_string(o->finished_on));
	rd = json_object();
	set_new(rd, "builder", builder);
	set_new(rd, "metadata", meta);
	pred = json_object();
	set_new(pred, "buildDefinition", bd);
	set_new(pred, "runDetails", rd);
	*out = dump(pred);
	json_decref(pred);
	return 0;
}

void attest_result_release(struct attest_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->envelopes[i]);
	free(r->envelopes);
	free(r->predicate_types);
	memset(r, 0, sizeof(*r));
}

/* 1 when `pt` is one of the n types. */
static int among(const char *pt, char **types, size_t n)
{
	size_t i;

	for (i = 0; pt && i < n; i++)
		if (strcmp(pt, types[i]) == 0)
			return 1;
	return 0;
}

/* Keep the layers of am that `replace` does not drop and that are not the
 * same content as a new one. */
static void prune(struct oci_manifest *am, char **types, size_t n, int replace)
{
	size_t i, j = 0;

	for (i = 0; i < am->n_layers; i++) {
		const char *pt = oci_annots_get(&am->layers[i].annotations, ATT_ANN_PREDICATE_TYPE);

		if (replace && among(pt, types, n))
			oci_entry_release(&am->layers[i]);
		else
			am->layers[j++] = am->layers[i];
	}
	am->n_layers = j;
}

static int has_layer(const struct oci_manifest *am, const char *digest)
{
	size_t i;

	for (i = 0; i < am->n_layers; i++)
		if (strcmp(am->layers[i].desc.digest, digest) == 0)
			return 1;
	return 0;
}

char *attest_subject_name(struct store *s, const struct oci_desc *m, const char *identity)
{
	const struct xp_ref *r = store_ref(s);
	struct xp_error ignored;
	char *t = NULL;

	if (identity)
		return xstrdup(identity);
	if (r->kind == REF_REGISTRY)
		return sign_default_identity(s);
	if (r->tag)
		return xstrdup(r->tag);
	if (!r->digest && store_release_tag(s, &t, &ignored) == 0 && t)
		return t;
	return xstrdup(m->digest);
}

int attest_bundle(struct store *s, const struct oci_desc *m, const struct sign_key *k,
		  const struct attest_opts *o, struct attest_result *out, struct xp_error *err)
{
	struct attest_result res;
	struct attest_opts oo;
	struct oci_annots meta;
	struct oci_manifest am;
	struct oci_desc ad;
	char *preds[MAX_STATEMENTS], *ident = NULL, *tag = NULL;
	size_t i;
	int found, ret = -1;

	memset(&res, 0, sizeof(res));
	memset(&am, 0, sizeof(am));
	memset(&ad, 0, sizeof(ad));
	memset(preds, 0, sizeof(preds));
	memset(&meta, 0, sizeof(meta));
	res.envelopes = xcalloc(MAX_STATEMENTS, sizeof(*res.envelopes));
	res.predicate_types = xcalloc(MAX_STATEMENTS, sizeof(*res.predicate_types));
	if (!o->builder_id || !*o->builder_id) {
		xp_error_set(err, XP_ERR_USAGE, "cannot attest: no builder id");
		goto out;
	}
	oo = *o;
	if (!oo.profile_digest) {
		if (bundle_read_meta(s, m, &meta, err))
			goto out;
		oo.profile_digest = oci_annots_get(&meta, BUNDLE_ANN_PROFILE_DIGEST);
	}
	if (attest_provenance_predicate(&oo, &preds[0], err))
		goto out;
	res.predicate_types[0] = (char *)SLSA_PROVENANCE_V1;
	res.n = 1;
	if (o->decision_json) {
		json_t *d;

		if (load_decision(o, &d, err))
			goto out;
		preds[1] = dump(d);
		json_decref(d);
		res.predicate_types[1] = (char *)XP_PREDICATE_DECISION;
		res.n = 2;
	}
	ident = attest_subject_name(s, m, o->identity);
	for (i = 0; i < res.n; i++) {
		char *st = attest_statement(ident, m->digest, res.predicate_types[i], preds[i]);
		size_t len;

		ret = dsse_sign(k, INTOTO_PAYLOAD_TYPE, st, strlen(st), &res.envelopes[i], &len, err);
		free(st);
		if (ret)
			goto out;
		ret = -1;
	}
	tag = sign_companion_tag(m->digest, ".att");
	if (companion_load(s, tag, &am, NULL, &found, err))
		goto out;
	prune(&am, res.predicate_types, res.n, o->replace);
	for (i = 0; i < res.n; i++) {
		struct oci_entry layer;
		const char *env = res.envelopes[i];

		memset(&layer, 0, sizeof(layer));
		if (store_push_buf(s, DSSE_MT_ENVELOPE, env, strlen(env), &layer.desc, err))
			goto out;
		oci_annots_set(&layer.annotations, ATT_ANN_PREDICATE_TYPE, res.predicate_types[i]);
		oci_annots_set(&layer.annotations, COSIGN_ANN_SIGNATURE, "");
		if (!has_layer(&am, layer.desc.digest))
			oci_manifest_add_layer(&am, &layer);
		oci_entry_release(&layer);
	}
	if (companion_store(s, m, tag, &am, &ad, err))
		goto out;
	snprintf(res.tag, sizeof(res.tag), "%s", tag);
	snprintf(res.digest, sizeof(res.digest), "%s", ad.digest);
	res.n_attestations = am.n_layers;
	*out = res;
	memset(&res, 0, sizeof(res));
	ret = 0;
out:
	attest_result_release(&res);
	oci_annots_release(&meta);
	oci_manifest_release(&am);
	oci_desc_release(&ad);
	for (i = 0; i < MAX_STATEMENTS; i++)
		free(preds[i]);
	free(ident);
	free(tag);
	return ret;
}

int attest_add(struct store *s, const struct oci_desc *m, const struct sign_key *k,
	       const char *identity, const char *predicate_type, const char *predicate_json,
	       const struct oci_annots *annots, struct xp_error *err)
{
	struct oci_manifest am;
	struct oci_entry layer;
	char *ident, *st, *env = NULL, *tag = NULL;
	size_t len, i;
	int found, ret = -1;

	memset(&am, 0, sizeof(am));
	memset(&layer, 0, sizeof(layer));
	ident = attest_subject_name(s, m, identity);
	st = attest_statement(ident, m->digest, predicate_type, predicate_json);
	if (dsse_sign(k, INTOTO_PAYLOAD_TYPE, st, strlen(st), &env, &len, err))
		goto out;
	tag = sign_companion_tag(m->digest, ".att");
	if (companion_load(s, tag, &am, NULL, &found, err) ||
	    store_push_buf(s, DSSE_MT_ENVELOPE, env, len, &layer.desc, err))
		goto out;
	for (i = 0; annots && i < annots->n; i++)
		oci_annots_set(&layer.annotations, annots->v[i].key, annots->v[i].value);
	oci_annots_set(&layer.annotations, ATT_ANN_PREDICATE_TYPE, predicate_type);
	oci_annots_set(&layer.annotations, COSIGN_ANN_SIGNATURE, "");
	if (!has_layer(&am, layer.desc.digest))
		oci_manifest_add_layer(&am, &layer);
	if (companion_store(s, m, tag, &am, NULL, err))
		goto out;
	ret = 0;
out:
	oci_entry_release(&layer);
	oci_manifest_release(&am);
	free(ident);
	free(st);
	free(env);
	free(tag);
	return ret;
}
