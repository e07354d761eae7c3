# Attestation forgeries and requirements: `verify` exits 1 naming the
# attestation for a flipped byte in an envelope, a payload rewritten (verdict
# fail → pass) with every digest recomputed, a truncated DSSE signature, an
# envelope by another key, an envelope about another image, a predicateType
# relabelled; and when --require-attestation / --require-verdict are not met.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/sign.sh"

export SOURCE_DATE_EPOCH=1764064800
xp keygen -o k >/dev/null && xp keygen -o other >/dev/null || fail "keygen"
KID=$(keyid k.pub)
make_bundle pristine v1 || fail "umoci"
xp sign --key k.key --identity registry.example/team/model pristine >/dev/null || fail "sign"
D=$(oci_edit digest pristine v1)
ATT=sha256-${D#sha256:}.att

# signed, no attestations: fine unless required
run xp verify --key k.pub --require-attestation pristine
expect_rc 1
expect_err <<END
xpship: error: verification failed for 'pristine': attestations: none: no tag '$ATT' in 'oci:pristine'
END
run xp verify --key k.pub --require-verdict pass pristine
expect_rc 1
expect_err <<END
xpship: error: verification failed for 'pristine': attestations: none: no tag '$ATT' in 'oci:pristine'
xpship: error: verification failed for 'pristine': verdict: no valid gate decision attestation (https://xpship.dev/gate-decision/v1)
END
# provenance only: --require-verdict still fails
cp -r pristine prov
xp attest --key k.key prov >/dev/null || fail "attest"
run xp verify --key k.pub --require-attestation prov
expect_rc 0
run xp verify --key k.pub --require-verdict pass prov
expect_rc 1
expect_err_has "verdict: no valid gate decision attestation"
# a failed gate
cp -r pristine failed
xp attest --key k.key --decision "$DATA/sign/decision-fail.json" failed >/dev/null || fail "attest"
run xp verify --key k.pub --require-verdict pass failed
expect_rc 1
expect_err <<'END'
xpship: error: verification failed for 'failed': verdict: the gate decision's verdict is 'fail', 'pass' is required
END
expect_out_has "verdict        FAILED the gate decision's verdict is 'fail', 'pass' is required"

# the base for the forgeries: provenance + failed decision, all valid
fresh() { rm -rf "$1" && cp -r failed "$1"; }
ENV2=$(skopeo inspect --raw "oci:failed:$ATT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][1]["digest"])')

# a flipped byte in an envelope
fresh t1 && oci_edit flip t1 "$ENV2"
run xp verify --key k.pub t1
expect_rc 1
expect_err_has "verification failed for 't1': attestation 2: '$ATT' layer 2: blob '$ENV2' in 'oci:t1': digest sha256:"
# the decision rewritten to pass, every digest recomputed: DSSE catches it
fresh t2
oci_edit blob t2 "$ATT" 1 '
import base64
e = json.loads(bytes(b))
st = json.loads(base64.b64decode(e["payload"]))
st["predicate"]["verdict"] = "pass"
e["payload"] = base64.b64encode(json.dumps(st).encode()).decode()
b[:] = json.dumps(e).encode()'
run xp verify --key k.pub --require-verdict pass t2
expect_rc 1
expect_err <<END
xpship: error: verification failed for 't2': attestation 2: '$ATT' layer 2 (https://xpship.dev/gate-decision/v1): signature does not match ecdsa-p256 key $KID
xpship: error: verification failed for 't2': verdict: no valid gate decision attestation (https://xpship.dev/gate-decision/v1)
END
# the payloadType changed (PAE covers it)
fresh t3
oci_edit blob t3 "$ATT" 0 'e = json.loads(bytes(b)); e["payloadType"] = "text/plain"; b[:] = json.dumps(e).encode()'
run xp verify --key k.pub t3
expect_rc 1
expect_err_has "attestation 1: '$ATT' layer 1 (https://slsa.dev/provenance/v1): signature does not match ecdsa-p256 key $KID"
# a truncated DSSE signature
fresh t4
oci_edit blob t4 "$ATT" 0 'e = json.loads(bytes(b)); s = e["signatures"][0]["sig"]; e["signatures"][0]["sig"] = s[:len(s) - 8]; b[:] = json.dumps(e).encode()'
run xp verify --key k.pub t4
expect_rc 1
expect_err_has "attestation 1: '$ATT' layer 1 (https://slsa.dev/provenance/v1): signature does not match"
# an envelope with no signatures, one that is not JSON
fresh t5
oci_edit blob t5 "$ATT" 0 'e = json.loads(bytes(b)); e["signatures"] = []; b[:] = json.dumps(e).encode()'
run xp verify --key k.pub t5
expect_rc 1
expect_err_has "attestation 1: '$ATT' layer 1 (https://slsa.dev/provenance/v1): DSSE envelope has no signatures"
fresh t6
oci_edit blob t6 "$ATT" 0 'b[:] = b"not json"'
run xp verify --key k.pub t6
expect_rc 1
expect_err_has "attestation 1: '$ATT' layer 1 (https://slsa.dev/provenance/v1): malformed DSSE envelope: "
# the predicateType annotation relabelled
fresh t7
oci_edit manifest t7 "$ATT" 'm["layers"][1]["annotations"]["predicateType"] = "https://slsa.dev/provenance/v1"'
run xp verify --key k.pub t7
expect_rc 1
expect_err_has "attestation 2: '$ATT' layer 2 (https://slsa.dev/provenance/v1): statement's predicateType 'https://xpship.dev/gate-decision/v1' differs from the layer's 'https://slsa.dev/provenance/v1'"
# an envelope by another key added next to the valid ones
fresh t8
xp attest --key other.key t8 >/dev/null || fail "attest other"
run xp verify --key k.pub t8
expect_rc 1
expect_err <<END
xpship: error: verification failed for 't8': attestation 3: '$ATT' layer 3 (https://slsa.dev/provenance/v1): signature does not match ecdsa-p256 key $KID
END
# a valid envelope about another image, moved into this one's .att
make_bundle t9 v1 && make_bundle t9 v2 || fail "umoci"
xp sign --key k.key --identity registry.example/team/model oci:t9:v2 >/dev/null && xp attest --key k.key oci:t9:v1 >/dev/null &&
	xp attest --key k.key --decision "$DATA/sign/decision-pass.json" oci:t9:v2 >/dev/null || fail "t9"
D1=$(oci_edit digest t9 v1) D2=$(oci_edit digest t9 v2)
A1=sha256-${D1#sha256:}.att A2=sha256-${D2#sha256:}.att
L1=$(skopeo inspect --raw "oci:t9:$A1" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["layers"][0]))')
oci_edit manifest t9 "$A2" "m['layers'].append(json.loads('$L1'))"
run xp verify --key k.pub oci:t9:v2
expect_rc 1
expect_err <<END
xpship: error: verification failed for 'oci:t9:v2': attestation 3: '$A2' layer 3 (https://slsa.dev/provenance/v1): statement's subject is not this manifest ($D2)
END
# the .att manifest pointing at another subject
oci_edit manifest t9 "$A2" "m['subject']['digest'] = '$D1'"
run xp verify --key k.pub oci:t9:v2
expect_rc 1
expect_err <<END
xpship: error: verification failed for 'oci:t9:v2': attestations: manifest '$A2' names subject $D1, not this manifest
END

# attest errors
run xp attest --key k.key --decision "$DATA/sign/decision-bad-verdict.json" pristine
expect_rc 3
expect_err <<END
xpship: error: malformed decision '$DATA/sign/decision-bad-verdict.json': needs a "verdict" of "pass", "pass-with-waivers" or "fail"
END
printf '{"verdict":' >broken.json
run xp attest --key k.key --decision broken.json pristine
expect_rc 3
expect_err_has "xpship: error: malformed decision 'broken.json': "
run xp attest --key k.key --decision nope.json pristine
expect_rc 4
expect_err <<'END'
xpship: error: cannot open 'nope.json': No such file or directory
END
printf 'apiVersion: xpship/v1\nkind: Experiment\nmetadata: {name: x}\n' >bad.yaml
run xp attest --key k.key --experiment bad.yaml pristine
expect_rc 3
expect_err_has "bad.yaml:"
run xp attest --key k.key --experiment nope.yaml pristine
expect_rc 4
run xp attest pristine
expect_rc 2
expect_err <<'END'
xpship: error: missing --key KEY
Run 'xpship attest --help' for usage.
END
run xp attest --key k.key
expect_rc 2
expect_err_has "xpship: error: missing BUNDLE"
run xp attest --key k.key --output missing/dir/x.jsonl pristine
expect_rc 4
expect_err_has "xpship: error: cannot create 'missing/dir/x.jsonl'"
run xp attest --help
expect_rc 0
expect_out_has "usage: xpship attest --key KEY"
exit 0
