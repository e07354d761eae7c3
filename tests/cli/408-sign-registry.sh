# sign, attest and verify straight on a registry (the Debian registry on
# loopback): the signature and attestation manifests are pushed under their
# companion tags with `subject`, skopeo reads them, verify checks them there,
# and a pull brings them along so the local copy verifies too. A registry
# that does not answer is a remote error, not a failed verification.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/sign.sh"
. "$TESTS_DIR/helpers/registry.sh"

export SOURCE_DATE_EPOCH=1764064800
reg_start plain || fail "registry did not start"
R=$REG_ADDR
xp keygen -t ed25519 -o k >/dev/null || fail "keygen"
make_bundle b v1 || fail "umoci"
D=$(oci_edit digest b v1)
HEX=${D#sha256:}
xp push --plain-http oci:b:v1 "$R/team/model:v1" >/dev/null || fail "push"

run xp sign --plain-http --key k.key --identity "$R/team/model" "$R/team/model:v1"
expect_rc 0
expect_out <<END
Signed $D (tag sha256-$HEX.sig, 1 signature)
END
run xp sign --plain-http --key k.key "$R/team/model:v1"
expect_rc 0
expect_out_has "Already signed by this key: $D"
run xp attest --plain-http --key k.key --decision "$DATA/sign/decision-pass.json" "$R/team/model@$D"
expect_rc 0
expect_out_has "(tag sha256-$HEX.att, 2 attestations)"
# independent reads: the registry holds both companions, with subject
skopeo inspect --raw --tls-verify=false "docker://$R/team/model:sha256-$HEX.sig" >sig.json || fail "skopeo sig"
skopeo inspect --raw --tls-verify=false "docker://$R/team/model:sha256-$HEX.att" >att.json || fail "skopeo att"
python3 - "$D" "$R" <<'PY' || fail "companions: $(cat sig.json att.json)"
import json, sys
s, a = json.load(open("sig.json")), json.load(open("att.json"))
assert s["subject"]["digest"] == sys.argv[1] and a["subject"]["digest"] == sys.argv[1]
assert s["layers"][0]["mediaType"] == "application/vnd.dev.cosign.simplesigning.v1+json"
assert [l["annotations"]["predicateType"] for l in a["layers"]] == \
    ["https://slsa.dev/provenance/v1", "https://xpship.dev/gate-decision/v1"]
PY
run xp verify --plain-http --key k.pub --require-attestation --require-verdict pass "$R/team/model:v1"
expect_rc 0
expect_out_has "signature      ok     1 of 1 by ed25519 key $(keyid k.pub) (docker-reference '$R/team/model')"
expect_out_has "Verified $R/team/model:v1 ($D)"
# a pull brings the companions along
xp pull --plain-http "$R/team/model:v1" oci:pulled:v1 >/dev/null || fail "pull"
run xp verify --key k.pub --require-verdict pass oci:pulled:v1
expect_rc 0
# wrong key against the registry: exit 1
xp keygen -t ed25519 -o other >/dev/null
run xp verify --plain-http --key other.pub "$R/team/model:v1"
expect_rc 1
expect_err_has "verification failed for '$R/team/model:v1': signature: no valid signature"
# unsigned repository: not signed
xp push --plain-http oci:b:v1 "$R/team/other:v1" >/dev/null || fail "push other"
run xp verify --plain-http --key k.pub "$R/team/other:v1"
expect_rc 1
expect_err <<END
xpship: error: verification failed for '$R/team/other:v1': signature: not signed: no tag 'sha256-$HEX.sig' in '$R/team/other'
END
# REPO without a tag names the bundle's own tag, the signature and attestation
# tags beside it do not count (the store's rule, as for a local layout)
run xp inspect --plain-http "$R/team/model"
expect_rc 0
expect_out_has "$D"
run xp inspect --plain-http --json "$R/team/model"
expect_rc 0
expect_eq "$D" "$(out | python3 -c "import json,sys; print(json.load(sys.stdin)['digest'])")" "inspect digest of REPO"
# nothing listening: a remote error (5), not a verdict
port=$(reg_free_port)
run xp verify --plain-http --key k.pub "127.0.0.1:$port/team/model:v1"
expect_rc 5
exit 0
