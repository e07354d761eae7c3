# `waive` and `gate --waivers --approvers`: a failed check covered by a valid
# waiver from a trusted approver is `waived` in every report (table, decision
# record, JUnit, Markdown, GitHub annotations and outputs), the verdict
# pass-with-waivers, exit 0. The tamper matrix: a waiver never covers another
# rule, another record, another policy, an expired time, an untrusted or a
# wrong key (exit 1, each naming why). The envelope verifies independently.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/sign.sh"

export SOURCE_DATE_EPOCH=1764064800    # 2025-11-25T10:00:00Z
cp "$DATA/approvals/gate.yaml" gate.yaml   # a fixed policy (the template of its time)
cat >m.json <<'END'
{"accuracy": 0.85, "latency": {"p95_ms": 80}, "roc_auc": 0.95, "calibration": {"ece": 0.01}, "f1": 0.8}
END
for k in alice carol mallory; do xp keygen -t ed25519 -o "$k" >/dev/null || fail "keygen $k"; done
printf 'approvers:\n  - name: alice\n    key: alice.pub\n    roles: [ml-lead]\n' >ap.yaml
MD=sha256:$(sha256sum m.json | cut -d' ' -f1)
PD=sha256:$(sha256sum gate.yaml | cut -d' ' -f1)
KA=$(keyid alice.pub); KC=$(keyid carol.pub)
waive() { xp waive --key "$1" --rule "$2" --reason "${REASON:-label noise in the new test set}" --policy "${POL:-gate.yaml}" \
	--metrics "${CAND:-m.json}" -o "$3" "${@:4}" >/dev/null || fail "waive $*"; }
gate() { run xp gate --policy gate.yaml --metrics m.json --approvers ap.yaml "$@"; }

run xp waive --key alice.key --rule accuracy.min --reason "label noise in the new test set" \
	--identity alice@example.com --expires 7d --metrics m.json --policy gate.yaml -o w.json
expect_rc 0
expect_err_empty
expect_out <<END
Waived accuracy.min for m.json ($MD) under gate.yaml ($PD): w.json
END
dsse_verify alice.pub w.json --payload st.json >v.out || fail "dsse: $(cat v.out)"
dsse_verify carol.pub w.json >/dev/null && fail "carol's key verified alice's waiver"
python3 - "$MD" "$PD" <<'PY' || fail "waiver statement"
import json, sys
md, pd = sys.argv[1:]
st = json.loads(open("st.json").read().splitlines()[0])
assert st["predicateType"] == "https://xpship.dev/waiver/v1", st
assert [s["digest"]["sha256"] for s in st["subject"]] == [md[7:], pd[7:]], st
assert [s["name"] for s in st["subject"]] == ["m.json", "gate.yaml"], st
p = st["predicate"]
assert p["check"] == "accuracy.min" and p["reason"] == "label noise in the new test set", p
assert p["time"] == "2025-11-25T10:00:00Z" and p["expires"] == "2025-12-02T10:00:00Z", p
assert p["candidate"] == {"path": "m.json", "digest": md} and p["policy"] == {"path": "gate.yaml", "digest": pd}, p
assert p["approver"]["identity"] == "alice@example.com", p
PY

# a valid waiver: waived, pass-with-waivers, exit 0, in every report
: >out.txt
GITHUB_ACTIONS=true GITHUB_OUTPUT=out.txt GITHUB_STEP_SUMMARY=sum.md \
	gate --waivers w.json --decision d.json --junit j.xml --summary s.md
expect_rc 0
expect_err_empty
expect_out <<END
policy:    gate.yaml
candidate: m.json
baseline:  none (no champion)

RULE             CHECK               CANDIDATE  BASELINE  THRESHOLD  OUTCOME
accuracy         min                 0.85       -         0.9        waived
accuracy         max_abs_regression  0.85       -         0.005      skip
latency.p95_ms   max                 80         -         120        pass
latency.p95_ms   max_rel_regression  80         -         0.1        skip
roc_auc          min                 0.95       -         0.9        pass
calibration.ece  max                 0.01       -         0.05       pass
f1               min_abs_change      0.8        -         0.005      skip

waived: accuracy min (gate.yaml:27): accuracy = 0.85 is below the minimum 0.9; waived by alice (key $KA): label noise in the new test set, until 2025-12-02T10:00:00Z
skip: accuracy max_abs_regression (gate.yaml:28): accuracy has no baseline value (no champion)
skip: latency.p95_ms max_rel_regression (gate.yaml:35): latency.p95_ms has no baseline value (no champion)
skip: f1 min_abs_change (gate.yaml:47): f1 has no baseline value (no champion)
verdict: pass-with-waivers (3 passed, 0 failed, 0 warned, 3 skipped, 1 waived)
::warning file=gate.yaml,line=27,col=5,title=gate waived%3A accuracy min::accuracy = 0.85 is below the minimum 0.9; waived by alice (key $KA): label noise in the new test set, until 2025-12-02T10:00:00Z
END
expect_file_same - out.txt <<END
verdict=pass-with-waivers
failed=0
waived=1
END
cmp -s s.md sum.md || fail "step summary differs from --summary"
head -3 s.md >s3.md
expect_file_same - s3.md <<END
## xpship gate: ☑️ pass-with-waivers

**Verdict: pass-with-waivers** — 3 passed, 0 failed, 0 warned, 3 skipped, 1 waived
END
grep -qF '| `accuracy` | `min` | 0.85 | - | 0.9 | ☑️ waived |' s.md || fail "markdown row"
grep -qF -- '- **waived** `accuracy` `min` (policy line 27): accuracy = 0.85 is below the minimum 0.9 — waived by alice' s.md ||
	fail "markdown note"
grep -qF '<property name="verdict" value="pass-with-waivers"/>' j.xml || fail "junit verdict"
grep -qF "<skipped type=\"waived\" message=\"waived by alice (key $KA): label noise in the new test set, until 2025-12-02T10:00:00Z: accuracy = 0.85 is below the minimum 0.9\"/>" j.xml ||
	fail "junit waived case: $(cat j.xml)"
grep -qF 'failures="0" errors="0" skipped="4"' j.xml || fail "junit counts"
for xsd in "$DATA/gate/junit.xsd" "$DATA/schemas/junit-10.xsd"; do
	xmllint --noout --schema "$xsd" j.xml 2>xsd.err || fail "JUnit report against $xsd: $(cat xsd.err)"
done
python3 - "$MD" <<'PY' || fail "decision record"
import json, sys
d = json.load(open("d.json"))
assert d["verdict"] == "pass-with-waivers", d["verdict"]
assert d["summary"] == {"passed": 3, "failed": 0, "warned": 0, "skipped": 3, "waived": 1}, d["summary"]
r = d["rules"][0]
assert r["outcome"] == "waived" and r["waiver"] == 0, r
w = d["waivers"][0]
assert w["check"] == "accuracy.min" and w["approver"] == "alice" and w["applied"] is True, w
assert w["expires"] == "2025-12-02T10:00:00Z" and w["why"] is None, w
json.dump(w["envelope"], open("carried.json", "w"))
PY
dsse_verify alice.pub carried.json >/dev/null || fail "the envelope carried in the decision does not verify"
# the decision rides into the bundle and its attestation: verdict and waivers
xp keygen -t ed25519 -o rel >/dev/null
mkdir model && echo w >model/w.bin
xp pack -o lay -t cand --decision d.json model >/dev/null || fail "pack"
xp attest --key rel.key --decision d.json oci:lay:cand >/dev/null || fail "attest"
xp sign --key rel.key --identity registry.example/team/m oci:lay:cand >/dev/null || fail "sign"
run xp inspect oci:lay:cand
expect_out_has "pass-with-waivers"
run xp verify --key rel.pub --require-verdict pass oci:lay:cand
expect_rc 1
expect_err_has "verdict: the gate decision's verdict is 'pass-with-waivers', 'pass' is required"
run xp verify --key rel.pub --require-verdict pass-with-waivers oci:lay:cand
expect_rc 0
expect_out_has "waiver 1       ok     accuracy.min waived by alice (key $KA): label noise in the new test set, until 2025-12-02T10:00:00Z"
run xp verify --key rel.pub --approvers ap.yaml oci:lay:cand
expect_rc 0
expect_out_has "waiver 1       ok     accuracy.min waived by alice (key $KA): label noise in the new test set, until 2025-12-02T10:00:00Z, signed by alice"
printf 'approvers:\n  - name: carol\n    key: carol.pub\n' >carol.yaml
run xp verify --key rel.pub --approvers carol.yaml oci:lay:cand
expect_rc 1
expect_err_has "verification failed for 'oci:lay:cand': waiver 1: accuracy.min waived by alice (key $KA): label noise in the new test set, until 2025-12-02T10:00:00Z: untrusted key: signed by key $KA, not an approver's"

# the tamper matrix: each leaves the check failed, exit 1, and says why
expect_refused() { # WHY
	expect_rc 1
	expect_out_has "fail: accuracy min (gate.yaml:27)"
	expect_out_has "verdict: fail (3 passed, 1 failed, 0 warned, 3 skipped"
	grep -qF -- "$1" "$T/.out" "$T/.err" || fail "no reason '$1'"
}
# another rule
waive alice.key roc_auc.min other-rule.json
GITHUB_ACTIONS=true gate --waivers other-rule.json
expect_refused "waiver 'other-rule.json' by alice for roc_auc.min not applied: check 'roc_auc.min' did not fail (pass)"
expect_out_has "::warning file=other-rule.json,title=waiver not applied%3A roc_auc.min::waiver by alice for roc_auc.min not applied: check 'roc_auc.min' did not fail (pass)"
# a warning-severity rule is never failed, so never waived
waive alice.key f1.min_abs_change warn.json
gate --waivers warn.json
expect_refused "waiver 'warn.json' by alice for f1.min_abs_change not applied: check 'f1.min_abs_change' did not fail (skip)"
# another record
sed 's/0.85/0.86/' m.json >m2.json
CAND=m2.json waive alice.key accuracy.min other-record.json
gate --waivers other-record.json
expect_refused "not applied: another candidate: waives sha256:$(sha256sum m2.json | cut -d' ' -f1), the candidate is $MD"
# another policy
sed 's/min: 0.90/min: 0.91/' gate.yaml >gate2.yaml
POL=gate2.yaml waive alice.key accuracy.min other-policy.json
gate --waivers other-policy.json
expect_refused "not applied: another policy: waives under sha256:$(sha256sum gate2.yaml | cut -d' ' -f1), the policy is $PD"
# expired: a day's waiver from two days ago
SOURCE_DATE_EPOCH=1763892000 waive alice.key accuracy.min expired.json --expires 1d
gate --waivers expired.json
expect_refused "not applied: expired at 2025-11-24T10:00:00Z"
# untrusted key
waive carol.key accuracy.min untrusted.json
gate --waivers untrusted.json
expect_refused "xpship: warning: waiver 'untrusted.json': untrusted key: signed by key $KC, not an approver's: not applied"
# wrong key: mallory's signature claiming alice's key id
waive mallory.key accuracy.min m.json.w
python3 - "$(openssl pkey -pubin -in alice.pub -outform DER | sha256sum | cut -d' ' -f1)" <<'PY'
import json, sys
e = json.load(open("m.json.w"))
e["signatures"][0]["keyid"] = sys.argv[1]
json.dump(e, open("wrong.json", "w"))
PY
gate --waivers wrong.json
expect_refused "xpship: warning: waiver 'wrong.json': wrong key: the signature does not verify with approver 'alice''s key $KA: not applied"
# a tampered waiver: the check renamed inside the signed payload
python3 - <<'PY'
import base64, json
e = json.load(open("other-rule.json"))
st = json.loads(base64.b64decode(e["payload"]))
st["predicate"]["check"] = "accuracy.min"
e["payload"] = base64.b64encode(json.dumps(st).encode()).decode()
json.dump(e, open("tampered.json", "w"))
PY
gate --waivers tampered.json
expect_refused "xpship: warning: waiver 'tampered.json': wrong key: the signature does not verify with approver 'alice''s key $KA: not applied"

# usage and malformed input
run xp gate --policy gate.yaml --metrics m.json --waivers w.json
expect_rc 2
expect_err_has "xpship: error: --waivers needs --approvers FILE: a waiver counts only when a trusted approver signed it"
printf '{"payloadType": 1' >bad.json
gate --waivers bad.json
expect_rc 3
expect_err_has "bad.json:1:"
run xp waive --key alice.key --rule accuracy.mni --reason x --metrics m.json --policy gate.yaml -o x.json
expect_rc 2
expect_err_has "xpship: error: policy 'gate.yaml' has no check 'accuracy.mni' (did you mean 'accuracy.min'?)"
[ ! -e x.json ] || fail "x.json written"
run xp waive --key alice.key --rule accuracy.min --metrics m.json --policy gate.yaml -o x.json
expect_rc 2
expect_err_has "xpship: error: missing --reason TEXT: a waiver says why"
