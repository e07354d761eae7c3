# The approvers file: its fixed form (name, key file relative to the file or
# inline pem, roles), every error at file:line:col with exit 3, for promote,
# verify and gate alike; options that need it without it are usage errors.
. "$TESTS_DIR/lib.sh"

xp keygen -t ed25519 -o alice >/dev/null || fail "keygen"
mkdir -p sub/keys && cp alice.pub sub/keys/
mkdir model && echo w >model/w.bin
xp pack -o lay -t cand model >/dev/null || fail "pack"

bad() { # FILE-CONTENT EXPECTED-ERROR
	printf '%b' "$1" >sub/ap.yaml
	run xp promote --approvers sub/ap.yaml --require-approvals 1 oci:lay:cand --to prod
	expect_rc 3
	expect_out_empty
	expect_err <<END
$2
END
}
bad 'approvers:\n  - name: alice\n    key: keys/missing.pub\n' \
	"sub/ap.yaml:3:10: error: cannot read key 'sub/keys/missing.pub': No such file or directory"
bad 'approvers:\n  - name: alice\n    key: keys/alice.pub\n    role: [x]\n' \
	"sub/ap.yaml:4:5: error: unknown key 'role' (expected name, key, pem, roles)"
bad 'approvers:\n  - name: alice\n    key: keys/alice.pub\n  - name: alice\n    key: keys/alice.pub\n' \
	"sub/ap.yaml:4:11: error: approver 'alice' is listed twice"
bad 'approvers:\n  - name: alice\n' \
	"sub/ap.yaml:2:5: error: approver 'alice' needs one of 'key' (a file) or 'pem'"
bad 'approvers:\n  - name: alice\n    pem: "not a key"\n' \
	"sub/ap.yaml:3:10: error: cannot load key 'pem of alice': not a PEM public key"
bad 'approvers: []\n' \
	"sub/ap.yaml:1:12: error: 'approvers' must be a non-empty list"
bad 'approver:\n  - name: a\n' \
	"sub/ap.yaml:1:1: error: unknown key 'approver' (expected approvers)"
bad 'approvers:\n  - name: alice\n    key: keys/alice.pub\n    roles: ml-lead\n' \
	"sub/ap.yaml:4:12: error: 'roles' of approver 'alice' must be a list"
bad 'approvers:\n  - name: [alice\n' \
	"sub/ap.yaml:3:1: error: did not find expected ',' or ']' while parsing a flow sequence"

# the same file is read the same way by verify and gate
printf 'approvers: []\n' >sub/ap.yaml
run xp verify --key alice.pub --approvers sub/ap.yaml oci:lay:cand
expect_rc 3
expect_err_has "sub/ap.yaml:1:12: error: 'approvers' must be a non-empty list"
echo '{"accuracy": 1}' >m.json
printf 'version: 1\nrules:\n  - metric: accuracy\n    min: 0.5\n' >gate.yaml
run xp gate --policy gate.yaml --metrics m.json --approvers sub/ap.yaml
expect_rc 3
expect_err_has "sub/ap.yaml:1:12: error: 'approvers' must be a non-empty list"

# a well-formed file: relative key and inline pem
{ printf 'approvers:\n  - name: alice\n    key: keys/alice.pub\n    roles: [ml-lead]\n  - name: bob\n    pem: |\n'
  sed 's/^/      /' alice.pub; } >sub/ap.yaml
run xp promote --approvers sub/ap.yaml --require-approvals 1 oci:lay:cand --to prod
expect_rc 1
expect_err_has "approvals: 0 of 1 required (0 attached, approvers 'sub/ap.yaml' sha256:$(sha256sum sub/ap.yaml | cut -d' ' -f1))"

# usage
run xp promote --require-approvals 0 --approvers sub/ap.yaml oci:lay:cand --to prod
expect_rc 2
expect_err_has "xpship: error: invalid --require-approvals '0' (expected 1 to 1000)"
run xp promote --require-role ml-lead oci:lay:cand --to prod
expect_rc 2
expect_err_has "xpship: error: --require-approvals and --require-role need --approvers FILE"
run xp approve oci:lay:cand
expect_rc 2
expect_err_has "xpship: error: missing --key KEY (or --attach FILE)"
run xp approve --key alice.key --expires 7y oci:lay:cand
expect_rc 2
expect_err_has "xpship: error: invalid --expires '7y' (expected e.g. 12h, 7d, 2w)"
# --attach takes approvals only
xp keygen -t ed25519 -o rel >/dev/null || fail "keygen rel"
xp attest --key rel.key -o att.jsonl oci:lay:cand >/dev/null || fail "attest"
run xp approve --attach att.jsonl oci:lay:cand
expect_rc 3
expect_err <<END
xpship: error: cannot attach 'att.jsonl': not an approval: expected a signed DSSE envelope of an in-toto statement with predicateType https://xpship.dev/approval/v1
END
