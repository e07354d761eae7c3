/*
 * waiver.c — waivers of a failed gate check (approval.h): signing one, and
 * reading one back when its signature verifies with a trusted approver's key.
 * Whether a verified waiver covers a check (the check's name, the candidate,
 * the policy, the time) is the gate's decision (pipeline/gate.h).
 *
 * Statement (docs/approvals.md):
 *   subject  [{"name": candidate path, "digest": {"sha256"}},
 *             {"name": policy path, "digest": {"sha256"}}]
 *   predicate {"check","reason","approver":{"keyid","identity"?},"time",
 *              "expires"|null,"candidate":{"path","digest"},"policy":{"path","digest"}}
 */
#include "packager/approval.h"

#include "common/fileio.h"
#include "common/strbuf.h"
#include "common/timeutil.h"
#include "packager/dsse.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static void set_new(json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v))
		abort();
}

static json_t *subject(const char *name, const char *digest)
{
	json_t *one = json_object(), *dg = json_object();

	set_new(dg, "sha256", json_string(digest_hex(digest)));
	set_new(one, "name", json_string(name));
	set_new(one, "digest", dg);
	return one;
}

static json_t *ref_obj(const char *path, const char *digest)
{
	json_t *o = json_object();

	set_new(o, "path", json_string(path));
	set_new(o, "digest", json_string(digest));
	return o;
}

int waiver_sign(const struct sign_key *k, const struct waive_opts *o, char **envelope,
		struct xp_error *err)
{
	json_t *st = json_object(), *subj = json_array(), *p = json_object(), *who = json_object();
	char t[XP_TIME_SIZE], *text;
	size_t len;
	int ret;

	if (!o->check || !o->reason || !*o->reason || !o->candidate_digest || !o->policy_digest) {
		json_decref(st);
		json_decref(subj);
		json_decref(p);
		json_decref(who);
		return xp_error_set(err, XP_ERR_USAGE,
				    "a waiver needs a check, a reason, the candidate and the policy");
	}
	json_array_append_new(subj, subject(o->candidate_path, o->candidate_digest));
	json_array_append_new(subj, subject(o->policy_path, o->policy_digest));
	set_new(p, "check", json_string(o->check));
	set_new(p, "reason", json_string(o->reason));
	set_new(who, "keyid", json_string(key_id(k)));
	if (o->identity)
		set_new(who, "identity", json_string(o->identity));
	set_new(p, "approver", who);
	xp_time_format(o->time, t);
	set_new(p, "time", json_string(t));
	xp_time_format(o->time + o->expires, t);
	set_new(p, "expires", o->expires ? json_string(t) : json_null());
	set_new(p, "candidate", ref_obj(o->candidate_path, o->candidate_digest));
	set_new(p, "policy", ref_obj(o->policy_path, o->policy_digest));
	set_new(st, "_type", json_string(INTOTO_STATEMENT_V1));
	set_new(st, "subject", subj);
	set_new(st, "predicateType", json_string(XP_PREDICATE_WAIVER));
	set_new(st, "predicate", p);
	text = json_dumps(st, JSON_COMPACT);
	json_decref(st);
	if (!text)
		abort();
	ret = dsse_sign(k, INTOTO_PAYLOAD_TYPE, text, strlen(text), envelope, &len, err);
	free(text);
	return ret;
}

static char *dup_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? xstrdup(s) : NULL;
}

/* The predicate's fields into w; -1 when one the gate needs is missing. */
static int fill(const json_t *st, struct waiver_info *w, struct xp_error *err)
{
	const json_t *p = json_object_get(st, "predicate");
	const json_t *exp = json_object_get(p, "expires");

	w->check = dup_str(p, "check");
	w->reason = dup_str(p, "reason");
	w->time = dup_str(p, "time");
	w->expires = json_is_string(exp) ? xstrdup(json_string_value(exp)) : NULL;
	w->candidate_digest = dup_str(json_object_get(p, "candidate"), "digest");
	w->policy_digest = dup_str(json_object_get(p, "policy"), "digest");
	w->identity = dup_str(json_object_get(p, "approver"), "identity");
	if (!w->check || !w->candidate_digest || !w->policy_digest || (exp && !json_is_null(exp) &&
								       !json_is_string(exp)))
		return xp_error_set(err, XP_ERR_REFUSED,
				    "the waiver names no check, candidate or policy digest");
	return 0;
}

int waiver_load(const char *path, const struct approvers *a, struct waiver_info *out,
		struct xp_error *err)
{
	const struct approver *who = NULL;
	struct waiver_info w;
	json_error_t je;
	json_t *st = NULL, *env = NULL;
	char *buf = NULL;
	size_t len;
	int ret = -1;

	memset(&w, 0, sizeof(w));
	if (file_read_all(path, APPROVAL_FILE_MAX, &buf, &len, err))
		return -1;
	env = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!env) {
		xp_error_at(err, XP_ERR_MALFORMED, path, (unsigned)je.line, (unsigned)je.column, "%s",
			    je.text);
		goto out;
	}
	if (approval_statement_verify(buf, len, a, XP_PREDICATE_WAIVER, &who, &st, err) ||
	    fill(st, &w, err))
		goto out;
	w.source = xstrdup(path);
	w.approver = xstrdup(who->name);
	w.keyid = xstrdup(key_id(who->key));
	w.envelope = json_dumps(env, JSON_COMPACT);
	if (!w.envelope)
		abort();
	*out = w;
	memset(&w, 0, sizeof(w));
	ret = 0;
out:
	if (ret && err->cls == XP_ERR_REFUSED)
		xp_error_prefix(err, "waiver '%s'", path);
	waiver_info_release(&w);
	json_decref(st);
	json_decref(env);
	free(buf);
	return ret;
}

void waiver_info_release(struct waiver_info *w)
{
	if (!w)
		return;
	free(w->source);
	free(w->check);
	free(w->candidate_digest);
	free(w->policy_digest);
	free(w->reason);
	free(w->time);
	free(w->expires);
	free(w->approver);
	free(w->keyid);
	free(w->identity);
	free(w->envelope);
	memset(w, 0, sizeof(*w));
}
