# `promote --sign-key`: the move is recorded as a signed in-toto promotion
# statement attached to the new champion (checked with curl and an independent
# DSSE verifier); the gate's recorded champion makes a later promotion of a
# decision gated against an older champion stale (exit 1, nothing moves) unless
# --allow-stale; a decision without a recorded champion is not checked.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/sign.sh"
. "$TESTS_DIR/helpers/history.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1 SOURCE_DATE_EPOCH=1764064800 XPSHIP_PROMOTE_SETTLE_MS=0
export GITHUB_SERVER_URL=https://github.example GITHUB_REPOSITORY=acme/churn GITHUB_RUN_ID=77
reg_start plain || fail "registry did not start"
R=$REG_ADDR/team/model
hist_init

# a first release: the decision records that there was no champion
hist_release "$R" v1 0.80
v1=$HR_DIGEST
grep -qF "\"champion\": {\"reference\": \"$R:prod\", \"digest\": null}" rel-v1/decision.json ||
	fail "no absent champion in the decision: $(grep champion rel-v1/decision.json)"
run hist_promote "$R" v1
expect_rc 0
expect_err_empty
expect_out <<END
$R:prod@$v1
END
# the statement, read as any tool would: the .att manifest and its layer
att() { # DIGEST -> the .att manifest
	curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		"http://$REG_ADDR/v2/team/model/manifests/sha256-${1#sha256:}.att"
}
statements() { # DIGEST -> the promotion envelopes, one a line
	att "$1" >att.json || fail "no .att for $1"
	python3 - "$REG_ADDR" <<'PY' >envs.jsonl
import json, sys, urllib.request
m = json.load(open("att.json"))
for l in m["layers"]:
    if l["annotations"].get("predicateType") == "https://xpship.dev/promotion/v1":
        url = "http://%s/v2/team/model/blobs/%s" % (sys.argv[1], l["digest"])
        print(urllib.request.urlopen(url).read().decode())
PY
}
statements "$v1"
python3 - "$v1" <<'PY' || fail "promotion annotations"
import json, sys
m = json.load(open("att.json"))
a = [l["annotations"] for l in m["layers"]
     if l["annotations"]["predicateType"] == "https://xpship.dev/promotion/v1"]
assert len(a) == 1, a
assert a[0]["dev.xpship.promotion.tag"] == "prod", a
assert a[0]["dev.xpship.promotion.from"] == "", a
assert a[0]["dev.xpship.promotion.kind"] == "promote", a
assert a[0]["dev.xpship.promotion.time"] == "2025-11-25T10:00:00Z", a
PY
dsse_verify k.pub envs.jsonl --payload st.jsonl >v.out || fail "statement signature: $(cat v.out)"
python3 - "$v1" "$R" <<'PY' || fail "statement: $(cat st.jsonl)"
import json, sys
st = json.loads(open("st.jsonl").readline())
assert st["_type"] == "https://in-toto.io/Statement/v1"
assert st["predicateType"] == "https://xpship.dev/promotion/v1"
assert st["subject"][0]["digest"]["sha256"] == sys.argv[1][7:]
p = st["predicate"]
assert p == {"kind": "promote", "repository": sys.argv[2], "tag": "prod", "from": None,
             "to": sys.argv[1], "time": "2025-11-25T10:00:00Z",
             "by": {"builder": "https://github.example/acme/churn",
                    "invocation": "https://github.example/acme/churn/actions/runs/77"},
             "verification": {"key": p["verification"]["key"], "verdict": "pass",
                              "champion": None, "stale": False}}, p
assert len(p["verification"]["key"]) == 64, p
PY
# another key does not verify it
xp keygen -t ed25519 -o other >/dev/null || fail "keygen other"
dsse_verify other.pub envs.jsonl >/dev/null && fail "statement verified with another key"

# two candidates gated against v1; the first promoted makes the second stale
hist_release "$R" v2 0.85
v2=$HR_DIGEST
grep -qF "\"champion\": {\"reference\": \"$R:prod\", \"digest\": \"$v1\"}" rel-v2/decision.json ||
	fail "decision champion: $(grep champion rel-v2/decision.json)"
hist_release "$R" v3 0.86
v3=$HR_DIGEST
run hist_promote "$R" v2
expect_rc 0
statements "$v2"
dsse_verify k.pub envs.jsonl --payload st.jsonl >/dev/null || fail "v2 statement"
grep -qF "\"from\":\"$v1\"" st.jsonl || fail "v2 from: $(cat st.jsonl)"
grep -qF "\"champion\":\"$v1\"" st.jsonl || fail "v2 champion: $(cat st.jsonl)"
run hist_promote "$R" v3
expect_rc 1
expect_out_empty
expect_err <<END
xpship: error: stale decision: prod is now $v2, the gate compared against $v1
END
expect_eq "$v2" "$(hist_tag "$R" prod)" "prod after a stale promotion"
att "$v3" | grep -q promotion && fail "a statement was recorded for a refused promotion"
# promoting the champion again is not stale and records nothing new
run hist_promote "$R" v2
expect_rc 0
statements "$v2"
expect_eq 1 "$(wc -l <envs.jsonl)" "statements after promoting the champion again"
# --allow-stale moves it, says so, and the statement says so too
run hist_promote "$R" v3 --allow-stale
expect_rc 0
expect_err <<END
xpship: warning: stale decision: prod was $v2, not the champion the gate compared against (--allow-stale)
END
expect_eq "$v3" "$(hist_tag "$R" prod)" "prod after --allow-stale"
statements "$v3"
dsse_verify k.pub envs.jsonl --payload st.jsonl >/dev/null || fail "v3 statement"
grep -qF '"stale":true' st.jsonl || fail "v3 stale: $(cat st.jsonl)"
grep -qF "\"from\":\"$v2\"" st.jsonl || fail "v3 from: $(cat st.jsonl)"

# a first-release decision is stale once there is a champion
hist_release "$REG_ADDR/team/other" a1 0.9
hist_release "$REG_ADDR/team/other" a2 0.9
run hist_promote "$REG_ADDR/team/other" a1
expect_rc 0
run hist_promote "$REG_ADDR/team/other" a2
expect_rc 1
expect_err_has "xpship: error: stale decision: prod is now $(hist_tag "$REG_ADDR/team/other" a1), the gate compared against no champion"

# without --sign-key nothing is recorded; a decision gated against a metrics
# file names no champion and is not checked
xp gate --policy policy.yaml --metrics "$DATA/gate/candidate.json" --decision plain.json \
	>/dev/null 2>&1
grep -q '"champion":' plain.json && fail "a metrics baseline recorded as a champion"
xp attest --plain-http --key k.key --decision plain.json "$R:v1" --replace >/dev/null ||
	fail "attest plain"
run xp promote --plain-http --verify-key k.pub --require-verdict pass "$R:v1" --to prod
expect_rc 0
expect_eq "$v1" "$(hist_tag "$R" prod)" "prod after an unchecked decision"
statements "$v1"
expect_eq 1 "$(wc -l <envs.jsonl)" "statements after a promotion without --sign-key"

# the tag moved but the statement could not be stored: said so (exit 5)
. "$TESTS_DIR/helpers/fault_proxy.sh"
hist_release "$REG_ADDR/team/faulty" f1 0.9
f1=$HR_DIGEST
fp_start "$REG_ADDR" '{"rules": [{"method": "PUT", "path": "/manifests/sha256-[0-9a-f]+\\.att$", "action": "status", "status": 500, "times": 0}]}' ||
	fail "proxy"
run xp promote --plain-http --key k.pub --require-verdict pass --sign-key k.key \
	"$FP_ADDR/team/faulty:f1" --to prod
expect_rc 5
expect_out_empty
expect_err_has "xpship: error: prod now names $f1, but its promotion statement was not recorded: "
expect_eq "$f1" "$(hist_tag "$REG_ADDR/team/faulty" prod)" "prod after a failed statement"
