# The in-toto subject name never leaks a local path: a layout or archive
# bundle's statements name its tag (the reference's, else its only release
# tag, else the manifest digest), a registry bundle's its repository, and
# --identity wins over both. Every statement is read back from the envelopes
# and checked with the independent DSSE verifier.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/sign.sh"
. "$TESTS_DIR/helpers/registry.sh"
export SOURCE_DATE_EPOCH=1764064800

xp keygen -t ed25519 -o k </dev/null >/dev/null || fail "keygen"
mkdir -p build/out
make_bundle build/out/b v1 || fail "umoci"
D=$(oci_edit digest build/out/b v1)
(cd build/out/b && tar cf ../b.tar oci-layout index.json blobs) || fail "tar"
DEC=$DATA/sign/decision-pass.json

subjects() { # ENVELOPES -> one subject name per statement
	dsse_verify k.pub "$1" --payload "$1.st" >/dev/null || fail "envelopes in $1 do not verify"
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    st = json.loads(line)
    assert st["subject"][0]["digest"]["sha256"] == sys.argv[2].split(":")[1], st["subject"]
    print(st["subject"][0]["name"])' "$1.st" "$D" || fail "statements of $1"
}
no_path() { # ENVELOPES: no statement holds the working directory or a transport
	! grep -qF -- "$T" "$1.st" || fail "$1: a statement holds the path $T"
	! grep -qE '"name":"(oci|oci-archive):' "$1.st" || fail "$1: a subject names a local bundle"
	! grep -qF 'build/out' "$1.st" || fail "$1: a statement holds a relative path"
}

# an absolute path, with and without the tag in the reference
run xp attest --key k.key --decision "$DEC" -o abs.jsonl "$T/build/out/b"
expect_rc 0
expect_eq "v1 v1" "$(subjects abs.jsonl | tr '\n' ' ' | sed 's/ $//')" "subjects (bare path)"
no_path abs.jsonl
run xp attest --key k.key -o tagged.jsonl "oci:$T/build/out/b:v1"
expect_rc 0
expect_eq v1 "$(subjects tagged.jsonl)" "subject (oci:DIR:TAG)"
no_path tagged.jsonl
run xp attest --key k.key -o arch.jsonl "oci-archive:build/out/b.tar:v1"
expect_rc 0
expect_eq v1 "$(subjects arch.jsonl)" "subject (archive)"
no_path arch.jsonl
# by digest: the digest names it
run xp attest --key k.key -o dg.jsonl "oci:$T/build/out/b@$D"
expect_rc 0
expect_eq "$D" "$(subjects dg.jsonl)" "subject (by digest)"
no_path dg.jsonl
# --identity names it as given
run xp attest --key k.key --identity registry.example/team/model -o id.jsonl "$T/build/out/b"
expect_rc 0
expect_eq registry.example/team/model "$(subjects id.jsonl)" "subject (--identity)"

# a registry bundle: the repository, without tag
reg_start plain || fail "registry did not start"
R=$REG_ADDR
xp push --plain-http "$T/build/out/b" "$R/team/model:v1" >/dev/null || fail "push"
run xp attest --plain-http --key k.key --decision "$DEC" -o reg.jsonl "$R/team/model:v1"
expect_rc 0
expect_eq "$R/team/model $R/team/model" "$(subjects reg.jsonl | tr '\n' ' ' | sed 's/ $//')" "subjects (registry)"
no_path reg.jsonl
# and the attestations stored with the bundle are the ones written out
run xp verify --plain-http --key k.pub --require-attestation --require-verdict pass "$R/team/model:v1"
expect_rc 1   # not signed: the attestations alone verify
expect_out_has "attestation 1  ok     https://slsa.dev/provenance/v1"
exit 0
