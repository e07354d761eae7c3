/*
 * test_approval.c — people's signed statements (packager/approval.c,
 * approvers.c, waiver.c): whose signature counts, the approvers file read
 * with keys relative to it or inline, and waivers read back.
 */
#include "tests/unit/test_common.h"
#include "tests/unit/test_tmp.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "packager/approval.h"
#include "packager/dsse.h"

#include <jansson.h>

struct world {
	char *dir;
	struct sign_key *alice, *bob, *carol;   /* carol is not an approver */
	struct approvers a;
};

static void put(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct xp_error err;

	assert_int_equal(file_write_atomic(path, text, strlen(text), 0644, &err), 0);
	free(path);
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	struct strbuf sb = STRBUF_INIT;
	struct xp_error err;
	char *pem, *line, *nl, *path;

	w->dir = tmp_dir("approval");
	assert_int_equal(key_generate(KEY_ED25519, &w->alice, &err), 0);
	assert_int_equal(key_generate(KEY_ECDSA_P256, &w->bob, &err), 0);
	assert_int_equal(key_generate(KEY_ED25519, &w->carol, &err), 0);
	path = xasprintf("%s/keys", w->dir);
	assert_int_equal(mkdir_p(path, 0755, &err), 0);
	free(path);
	pem = key_public_pem(w->alice);
	put(w->dir, "keys/alice.pub", pem);
	free(pem);
	strbuf_adds(&sb, "approvers:\n  - name: alice\n    key: keys/alice.pub\n    roles: [ml-lead]\n"
			 "  - name: bob\n    pem: |\n");
	pem = key_public_pem(w->bob);
	for (line = pem; (nl = strchr(line, '\n')); line = nl + 1)
		strbuf_addf(&sb, "      %.*s\n", (int)(nl - line), line);
	free(pem);
	put(w->dir, "approvers.yaml", sb.buf);
	strbuf_release(&sb);
	path = xasprintf("%s/approvers.yaml", w->dir);
	if (approvers_load(path, &w->a, &err))
		fail_msg("approvers_load: %s", err.msg);
	free(path);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	approvers_release(&w->a);
	key_free(w->alice);
	key_free(w->bob);
	key_free(w->carol);
	tmp_rm_rf(w->dir);
	free(w->dir);
	free(w);
	return 0;
}

static void approvers_file_read(void **state)
{
	struct world *w = *state;

	assert_int_equal(w->a.n, 2);
	assert_string_equal(w->a.v[0].name, "alice");
	assert_string_equal(key_id(w->a.v[0].key), key_id(w->alice));
	assert_int_equal(w->a.v[0].n_roles, 1);
	assert_string_equal(w->a.v[0].roles[0], "ml-lead");
	assert_string_equal(w->a.v[1].name, "bob");
	assert_string_equal(key_id(w->a.v[1].key), key_id(w->bob));
	assert_int_equal(w->a.v[1].n_roles, 0);
	assert_int_equal(strncmp(w->a.digest, "sha256:", 7), 0);
}

/* A signed statement of `ptype` by k (caller frees). */
static char *statement(const struct sign_key *k, const char *ptype)
{
	char *st = xasprintf("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],"
			     "\"predicateType\":\"%s\",\"predicate\":{\"check\":\"a.min\"}}", ptype);
	struct xp_error err;
	char *env;
	size_t len;

	assert_int_equal(dsse_sign(k, INTOTO_PAYLOAD_TYPE, st, strlen(st), &env, &len, &err), 0);
	free(st);
	return env;
}

static void who_signed(void **state)
{
	struct world *w = *state;
	const struct approver *who;
	struct xp_error err;
	json_t *st;
	char *env;

	/* alice and bob count, each as themselves */
	env = statement(w->alice, XP_PREDICATE_WAIVER);
	assert_int_equal(approval_statement_verify(env, strlen(env), &w->a, XP_PREDICATE_WAIVER,
						   &who, &st, &err), 0);
	assert_string_equal(who->name, "alice");
	json_decref(st);
	/* the right signer, the wrong kind of statement */
	assert_int_equal(approval_statement_verify(env, strlen(env), &w->a, XP_PREDICATE_APPROVAL,
						   &who, &st, &err), -1);
	assert_int_equal(err.cls, XP_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "not 'https://xpship.dev/approval/v1'"));
	free(env);
	env = statement(w->bob, XP_PREDICATE_APPROVAL);
	assert_int_equal(approval_statement_verify(env, strlen(env), &w->a, XP_PREDICATE_APPROVAL,
						   &who, &st, &err), 0);
	assert_string_equal(who->name, "bob");
	json_decref(st);
	free(env);
	/* carol is nobody's key */
	env = statement(w->carol, XP_PREDICATE_APPROVAL);
	assert_int_equal(approval_statement_verify(env, strlen(env), &w->a, XP_PREDICATE_APPROVAL,
						   &who, &st, &err), -1);
	assert_int_equal(err.cls, XP_ERR_REFUSED);
	assert_int_equal(strncmp(err.msg, "untrusted key: signed by key ", 29), 0);
	/* carol's signature claiming alice's key id */
	{
		json_t *e = json_loads(env, 0, NULL);
		char *forged;

		json_object_set_new(json_array_get(json_object_get(e, "signatures"), 0), "keyid",
				    json_string(key_id(w->alice)));
		forged = json_dumps(e, JSON_COMPACT);
		assert_int_equal(approval_statement_verify(forged, strlen(forged), &w->a,
							   XP_PREDICATE_APPROVAL, &who, &st, &err), -1);
		assert_int_equal(strncmp(err.msg, "wrong key: the signature does not verify with approver 'alice''s key", 68), 0);
		free(forged);
		json_decref(e);
	}
	free(env);
	/* not an envelope at all */
	assert_int_equal(approval_statement_verify("{", 1, &w->a, XP_PREDICATE_APPROVAL, &who, &st,
						   &err), -1);
	assert_int_equal(err.cls, XP_ERR_MALFORMED);
}

static void waiver_round_trip(void **state)
{
	struct world *w = *state;
	struct waive_opts o = {0};
	struct waiver_info info;
	struct xp_error err;
	char *env, *path;

	o.check = "accuracy.min";
	o.reason = "label noise";
	o.identity = "alice@example.com";
	o.candidate_path = "m.json";
	o.candidate_digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
	o.policy_path = "gate.yaml";
	o.policy_digest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
	o.time = 1764064800;
	o.expires = 86400;
	assert_int_equal(waiver_sign(w->alice, &o, &env, &err), 0);
	put(w->dir, "w.json", env);
	path = xasprintf("%s/w.json", w->dir);
	assert_int_equal(waiver_load(path, &w->a, &info, &err), 0);
	assert_string_equal(info.check, "accuracy.min");
	assert_string_equal(info.approver, "alice");
	assert_string_equal(info.keyid, key_id(w->alice));
	assert_string_equal(info.identity, "alice@example.com");
	assert_string_equal(info.candidate_digest, o.candidate_digest);
	assert_string_equal(info.policy_digest, o.policy_digest);
	assert_string_equal(info.time, "2025-11-25T10:00:00Z");
	assert_string_equal(info.expires, "2025-11-26T10:00:00Z");
	assert_string_equal(info.envelope, env);
	waiver_info_release(&info);
	waiver_info_release(NULL);
	free(env);
	/* no reason, no waiver */
	o.reason = "";
	assert_int_equal(waiver_sign(w->alice, &o, &env, &err), -1);
	assert_int_equal(err.cls, XP_ERR_USAGE);
	/* carol's waiver is refused, naming the file */
	o.reason = "x";
	assert_int_equal(waiver_sign(w->carol, &o, &env, &err), 0);
	put(w->dir, "w.json", env);
	free(env);
	assert_int_equal(waiver_load(path, &w->a, &info, &err), -1);
	assert_int_equal(err.cls, XP_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "w.json': untrusted key"));
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(approvers_file_read),
		cmocka_unit_test(who_signed),
		cmocka_unit_test(waiver_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
