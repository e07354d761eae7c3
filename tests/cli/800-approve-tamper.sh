# `approve` and `promote --require-approvals`: the tamper matrix. Each forged,
# misplaced or insufficient approval leaves the tag where it was, exit 1,
# naming why: wrong key, untrusted key, another digest, replayed from another
# bundle, another decision, expired, role missing, duplicate approver. Two
# distinct trusted approvers, one holding the required role, move it. The
# envelopes verify independently (tests/helpers/dsse_verify.py).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/sign.sh"

unset SOURCE_DATE_EPOCH
for k in rel alice bob carol mallory; do xp keygen -t ed25519 -o "$k" >/dev/null || fail "keygen $k"; done
mkdir -p keys model other
mv alice.pub keys/
printf 'weights\n' >model/w.bin
printf 'other weights\n' >other/w.bin
{
	echo "approvers:"
	echo "  - name: alice"
	echo "    key: keys/alice.pub"
	echo "    roles: [ml-lead, sre]"
	echo "  - name: bob"
	echo "    pem: |"
	sed 's/^/      /' bob.pub
} >approvers.yaml
AP=$(sha256sum approvers.yaml | cut -d' ' -f1)
DEC="$DATA/sign/decision-pass.json"
DECD=sha256:$(sha256sum "$DEC" | cut -d' ' -f1)
FAILD=sha256:$(sha256sum "$DATA/sign/decision-fail.json" | cut -d' ' -f1)
xp pack -o base -t cand --decision "$DEC" model >/dev/null || fail "pack"
xp pack -o base -t other --decision "$DEC" other >/dev/null || fail "pack other"
xp sign --key rel.key --identity registry.example/team/m oci:base:cand >/dev/null || fail "sign"
xp attest --key rel.key --decision "$DEC" oci:base:cand >/dev/null || fail "attest"
A=$(oci_edit digest base cand)
B=$(oci_edit digest base other)
KA=$(keyid keys/alice.pub); KB=$(keyid bob.pub); KC=$(keyid carol.pub)

fresh() { rm -rf "$1"; cp -r base "$1"; }
promote() { # LAYOUT [extra options...]
	local l=$1; shift
	run xp promote --verify-key rel.pub --approvers approvers.yaml "$@" "oci:$l:cand" --to prod
}
refused() { # LAYOUT: nothing moved
	expect_rc 1
	expect_out_empty
	[ "$(oci_edit digest "$1" prod 2>/dev/null)" = "" ] || fail "$1: prod moved"
}

# no approval at all
fresh none
promote none --require-approvals 1
refused none
expect_err <<END
xpship: error: verification failed for 'oci:none:cand': approvals: 0 of 1 required (0 attached, approvers 'approvers.yaml' sha256:$AP)
END

# untrusted key: carol is not in the approvers file
fresh untrusted
xp approve --key carol.key --reason "looks fine" oci:untrusted:cand >/dev/null || fail "approve carol"
promote untrusted --require-approvals 1
refused untrusted
expect_err_has "approvals: 0 of 1 required (1 attached, approvers 'approvers.yaml' sha256:$AP); approval 1: untrusted key: signed by key $KC"

# wrong key: mallory signs an envelope that claims alice's key id
fresh wrong
xp approve --key mallory.key --reason x -o m.json oci:wrong:cand >/dev/null || fail "approve mallory"
python3 - m.json "$(openssl pkey -pubin -in keys/alice.pub -outform DER | sha256sum | cut -d' ' -f1)" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
e["signatures"][0]["keyid"] = sys.argv[2]
json.dump(e, open("forged.json", "w"))
PY
fresh wrong
run xp approve --attach forged.json oci:wrong:cand
expect_rc 0
promote wrong --require-approvals 1
refused wrong
expect_err_has "approval 1: wrong key: the signature does not verify with approver 'alice''s key $KA"

# another digest: alice's approval of the other bundle, attached to this one
fresh digest
xp approve --key alice.key -o other.json oci:digest:other >/dev/null || fail "approve other"
fresh digest
xp approve --attach other.json oci:digest:cand >/dev/null || fail "attach"
promote digest --require-approvals 1
refused digest
expect_err_has "approval 1: another digest: approves $B, not this manifest"

# replayed from another bundle: an approval taken from another repository's .att
fresh elsewhere
xp approve --key alice.key oci:elsewhere:other >/dev/null || fail "approve elsewhere"
fresh replay
python3 - elsewhere "$B" replay "$A" <<'PY' || fail "replay"
import hashlib, json, os, sys
src, sd, dst, dd = sys.argv[1:]
def blob(d, dg): return open(os.path.join(d, "blobs/sha256", dg.split(":")[1]), "rb").read()
def ix(d): return json.load(open(os.path.join(d, "index.json")))
def tagged(d, t):
    for e in ix(d)["manifests"]:
        if e.get("annotations", {}).get("org.opencontainers.image.ref.name") == t: return e
att = json.loads(blob(src, tagged(src, "sha256-%s.att" % sd.split(":")[1])["digest"]))
layer = [l for l in att["layers"] if l["annotations"]["predicateType"].endswith("approval/v1")][0]
data = blob(src, layer["digest"])
open("replayed.json", "wb").write(data)
PY
xp approve --attach replayed.json oci:replay:cand >/dev/null || fail "attach replayed"
promote replay --require-approvals 1
refused replay
expect_err_has "approval 1: another digest: approves $B, not this manifest"

# another decision: alice approved the failing decision, the bundle carries the passing one
fresh decision
xp approve --key alice.key --decision "$DATA/sign/decision-fail.json" oci:decision:cand >/dev/null ||
	fail "approve decision"
promote decision --require-approvals 1
refused decision
expect_err_has "approval 1: another decision: approves $FAILD, the bundle carries $DECD"

# expired: a day's approval from 2025
fresh expired
SOURCE_DATE_EPOCH=1764064800 xp approve --key alice.key --expires 1d oci:expired:cand >/dev/null ||
	fail "approve expired"
promote expired --require-approvals 1
refused expired
expect_err_has "approval 1: expired at 2025-11-26T10:00:00Z"

# role missing: bob counts, but holds no ml-lead; a role he claims is not his
fresh role
xp approve --key bob.key --reason ok oci:role:cand >/dev/null || fail "approve bob"
promote role --require-approvals 1 --require-role ml-lead
refused role
expect_err <<END
xpship: error: verification failed for 'oci:role:cand': approvals: role missing: no counted approval by a holder of 'ml-lead'
END
fresh claim
xp approve --key bob.key --role ml-lead oci:claim:cand >/dev/null || fail "approve bob claim"
promote claim --require-approvals 1
refused claim
expect_err_has "approval 1: role 'ml-lead' is not granted to 'bob' by 'approvers.yaml'"

# duplicate approver counted twice: alice twice is one approval
fresh dup
xp approve --key alice.key --reason one oci:dup:cand >/dev/null || fail "approve 1"
xp approve --key alice.key --reason two oci:dup:cand >/dev/null || fail "approve 2"
promote dup --require-approvals 2
refused dup
expect_err_has "approvals: 1 of 2 required (2 attached, approvers 'approvers.yaml' sha256:$AP); approval 2: duplicate: 'alice' (key $KA"

# two distinct trusted approvers, one an ml-lead: promoted
fresh good
SOURCE_DATE_EPOCH=1764064800 xp approve --key alice.key --identity alice@example.com --role ml-lead \
	--reason "reviewed the eval" -o alice.intoto.json oci:good:cand >/dev/null || fail "approve alice"
run xp approve --key bob.key --reason "fine by me" --expires 100w oci:good:cand
expect_rc 0
expect_err_empty
expect_out <<END
Approved $A (tag sha256-${A#sha256:}.att)
END
promote good --require-approvals 2 --require-role ml-lead --require-verdict pass
expect_rc 0
expect_err_empty
expect_out <<END
oci:good:prod@$A
END
expect_eq "$A" "$(oci_edit digest good prod)" "prod"

# the approval envelope verifies independently, and says what it approves
dsse_verify keys/alice.pub alice.intoto.json --payload st.json >v.out || fail "dsse: $(cat v.out)"
dsse_verify bob.pub alice.intoto.json >/dev/null && fail "bob's key verified alice's approval"
python3 - "$A" "$DECD" "$KA" <<'PY' || fail "approval statement"
import json, sys
st = json.loads(open("st.json").read().splitlines()[0])
a, dec, ka = sys.argv[1:]
assert st["_type"] == "https://in-toto.io/Statement/v1", st
assert st["predicateType"] == "https://xpship.dev/approval/v1", st
assert st["subject"][0]["digest"]["sha256"] == a.split(":")[1], st
p = st["predicate"]
assert p["approver"]["keyid"].startswith(ka) and p["approver"]["identity"] == "alice@example.com", p
assert p["role"] == "ml-lead" and p["reason"] == "reviewed the eval", p
assert p["time"] == "2025-11-25T10:00:00Z" and p["expires"] is None, p
assert p["decision"] == {"digest": dec}, p
assert p["policy"] == {"digest": "sha256:9e062c45f35c60398229fbaaef008e146d8ded5ff2fd30307b0d60eadeffabb7"}, p
PY

# without --approvers the approvals are listed, not counted
run xp promote --verify-key rel.pub --require-approvals 1 oci:good:cand --to prod
expect_rc 2
expect_err_has "xpship: error: --require-approvals and --require-role need --approvers FILE"
