# The demo with people in the loop (XPSHIP_DEMO_WAIVE=1): a first release, a
# second one, then a third candidate that fails one error-severity rule; a
# person waives it, the gate says pass-with-waivers, promotion with
# --require-verdict pass refuses it and with pass-with-waivers plus two
# approvals (one an ml-lead) moves prod. Without the variable the third run
# stops at the gate as before.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"

demo() { XPSHIP_DEMO_DIR=$T/d bash "$TESTS_DIR/../templates/demo/demo.sh" "$XPSHIP"; }
promoted() { sed -n 's/^promoted .* -> \(sha256:[0-9a-f]\{64\}\)$/\1/p' "$T/.out"; }

run demo
expect_rc 0
run demo
expect_rc 0
second=$(promoted)
[ -n "$second" ] || fail "no second promotion"
sed -i 's/^      accuracy: 0.931$/      accuracy: 0.921/' "$T/d/work/experiment.yaml"
grep -q '^      accuracy: 0.921$' "$T/d/work/experiment.yaml" || fail "could not edit the metrics"
# the predictions it is evaluated from, as 096 makes them worse
sed -i 's/,0\.51\([0-9]\)0,/,0.49\10,/' "$T/d/work/example/predictions.csv"
[ "$(grep -c ',0\.49[0-9]0,' "$T/d/work/example/predictions.csv")" = 10 ] || fail "could not edit the predictions"
run demo
expect_rc 1
expect_out_has "demo: the gate failed: the candidate is not released; the champion stays"

XPSHIP_DEMO_WAIVE=1 run demo
expect_rc 0
expect_out_has "== 2b. a person waives the failed check (alice, ml-lead)"
expect_out_has "\$ xpship waive --key keys/alice.key --identity alice@example.com --rule accuracy.max_abs_regression"
expect_out_has "accuracy                                max_abs_regression  0.921                 0.931                 0.005      waived"
expect_out_has "verdict: pass-with-waivers (7 passed, 0 failed, 1 warned, 0 skipped, 1 waived)"
expect_out_has "verdict        ok     pass-with-waivers"
expect_err_has "verification failed for "
expect_err_has "verdict: the gate decision's verdict is 'pass-with-waivers', 'pass' is required"
expect_out_has "(refused, as it should be: the checks were waived, not passed)"
expect_out_has "gate         pass-with-waivers"
third=$(promoted)
[ -n "$third" ] && [ "$third" != "$second" ] || fail "third run promoted '$third' (second: $second)"
python3 - "$T/d/run/decision.json" <<'PY' || fail "decision record"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verdict"] == "pass-with-waivers", d["verdict"]
assert [w["check"] for w in d["waivers"]] == ["accuracy.max_abs_regression"], d["waivers"]
PY

# what the store holds: prod is the waived candidate, with two valid approvals
REG_DATA_DIR=$T/d/registry-data reg_start plain check || fail "registry did not start"
expect_eq "$third" "$(reg_skopeo_digest "$REG_ADDR/demo/churn-classifier:prod")" "prod digest"
run xp verify --plain-http --key "$T/d/keys/demo.pub" --require-verdict pass-with-waivers \
	--approvers "$T/d/keys/approvers.yaml" --require-approvals 2 --require-role ml-lead \
	"$REG_ADDR/demo/churn-classifier:prod"
expect_rc 0
expect_out_has "approval 1     ok     by alice ("
expect_out_has "approval 2     ok     by bob ("
expect_out_has "waiver 1       ok     accuracy.max_abs_regression waived by alice"
# history shows who approved the champion and which check was waived
run xp history --plain-http --format json "$REG_ADDR/demo/churn-classifier"
expect_rc 0
python3 - "$T/.out" "$third" <<'PY' || fail "history approvals: $(cat "$T/.out")"
import json, sys
h = json.load(open(sys.argv[1]))
r = [x for x in h["releases"] if x["digest"] == sys.argv[2]][0]
assert r["approvals"] == "alice@example.com (ml-lead), bob@example.com", r
assert r["waivers"] == "accuracy.max_abs_regression by alice@example.com", r
others = [x for x in h["releases"] if x["digest"] != sys.argv[2]]
assert others and all(x["approvals"] is None and x["waivers"] is None for x in others), others
PY
# the promotion statement names the approvers file (its digest) and what it took
curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
	"http://$REG_ADDR/v2/demo/churn-classifier/manifests/sha256-${third#sha256:}.att" >att.json ||
	fail "no .att for the champion"
python3 - "$REG_ADDR" "$(sha256sum "$T/d/keys/approvers.yaml" | cut -d' ' -f1)" <<'PY' ||
import base64, json, sys, urllib.request
reg, ap = sys.argv[1:]
m = json.load(open("att.json"))
st = []
for l in m["layers"]:
    if l["annotations"].get("predicateType") == "https://xpship.dev/promotion/v1":
        url = "http://%s/v2/demo/churn-classifier/blobs/%s" % (reg, l["digest"])
        env = json.loads(urllib.request.urlopen(url).read())
        st.append(json.loads(base64.b64decode(env["payload"])))
assert len(st) == 1, st
v = st[0]["predicate"]["verification"]
assert v["verdict"] == "pass-with-waivers", v
assert v["approvals"] == {"approvers": "sha256:" + ap, "required": 2, "roles": ["ml-lead"]}, v
PY
	fail "promotion statement approvals"
run xp history --plain-http "$REG_ADDR/demo/churn-classifier"
expect_rc 0
expect_out_has "APPROVED BY"
expect_out_has "alice@example.com (ml-lead), bob@example.com"
reg_stop_all
