# --json on the commands a script reads (docs/json-output.md): one object on
# stdout whose "schema" is https://xpship.dev/cli/<cmd>/v1, the fields that
# version promises pinned by python3's json module; on a refusal (verify,
# promote, gate: exit 1) the object is printed too, with the answer in it.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/sign.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1 SOURCE_DATE_EPOCH=1795600800

M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
reg_start plain || fail "registry did not start"
R=$REG_ADDR
xp keygen -t ed25519 -o k >/dev/null || fail "keygen"
xp keygen -t ed25519 -o other >/dev/null || fail "keygen other"

# check EXPR...: each a Python expression over j (stdout parsed) that must hold
check() {
	python3 - "$T/.out" "$@" <<'PY' || fail "json check"
import json, sys
text = open(sys.argv[1]).read()
j = json.loads(text)
assert text.endswith("}\n") and text.count("\n{") == 0, "one object, one final newline"
assert list(j)[0] == "schema", "schema is the first key"
for e in sys.argv[2:]:
    assert eval(e), e + "\n" + text
PY
}

# push
run xp push --json --plain-http "oci:$DATA/registry/bundle:v1" "$R/team/model:cand"
expect_rc 0
expect_err_empty
check 'j["schema"] == "https://xpship.dev/cli/push/v1"' \
	"sorted(j) == sorted(['schema', 'reference', 'digest', 'mediaType', 'size', 'tag', 'source', 'destination', 'blobs', 'manifests', 'companions'])" \
	"j['reference'] == '$R/team/model@$M' and j['digest'] == '$M' and j['tag'] == 'cand'" \
	"j['mediaType'] == 'application/vnd.oci.image.manifest.v1+json' and type(j['size']) is int and j['size'] > 0" \
	"j['source'] == 'oci:$DATA/registry/bundle:v1' and j['destination'] == '$R/team/model:cand'" \
	"j['blobs'] == {'copied': 2, 'present': 0, 'mounted': 0, 'bytes': j['blobs']['bytes']} and j['blobs']['bytes'] > 0" \
	"j['manifests'] == 1 and j['companions'] == 0"
# by digest: no tag
run xp push --json --plain-http "oci:$DATA/registry/bundle@$M" "$R/team/bydigest@$M"
expect_rc 0
check "j['tag'] is None" "j['reference'] == '$R/team/bydigest@$M'"

# sign and attest in the registry, then tags
xp sign --plain-http --key k.key "$R/team/model:cand" >/dev/null 2>&1 || fail "sign"
xp attest --plain-http --key k.key --decision "$DATA/sign/decision-pass.json" "$R/team/model:cand" \
	>/dev/null 2>&1 || fail "attest"
run xp tags --json --plain-http "$R/team/model"
expect_rc 0
check 'j == {"schema": "https://xpship.dev/cli/tags/v1", "repository": "'"$R/team/model"'", "tags": ["cand"]}'
run xp tags --json --all --plain-http "$R/team/model"
expect_rc 0
check "j['tags'] == ['cand', 'sha256-${M#sha256:}', 'sha256-${M#sha256:}.att', 'sha256-${M#sha256:}.sig']"
run xp tags --json --plain-http "$R/team/nothing"
expect_rc 0
check "j['tags'] == []"

# verify: ok, then a wrong key (exit 1, the object says so)
run xp verify --json --plain-http --key k.pub --require-verdict pass "$R/team/model:cand"
expect_rc 0
expect_err_empty
check 'j["schema"] == "https://xpship.dev/cli/verify/v1"' \
	"sorted(j) == sorted(['schema', 'bundle', 'digest', 'verified', 'verdict', 'checks'])" \
	"j['bundle'] == '$R/team/model:cand' and j['digest'] == '$M'" \
	"j['verified'] is True and j['verdict'] == 'pass'" \
	"all(sorted(c) == ['detail', 'name', 'status'] and c['status'] == 'ok' for c in j['checks'])" \
	"{'blobs', 'signature', 'verdict'} <= {c['name'] for c in j['checks']}"
run xp verify --json --plain-http --key other.pub "$R/team/model:cand"
expect_rc 1
expect_err_has "xpship: error: verification failed for '$R/team/model:cand': signature: "
check "j['verified'] is False" \
	"[c['status'] for c in j['checks'] if c['name'] == 'signature'] == ['failed']" \
	"'skipped' in [c['status'] for c in j['checks']]"

# pull, -o OUT, and copy
run xp pull --json --plain-http "$R/team/model:cand" "oci:$T/p:v1"
expect_rc 0
check 'j["schema"] == "https://xpship.dev/cli/pull/v1"' \
	"j['reference'] == 'oci:$T/p:v1@$M' and j['tag'] == 'v1' and j['companions'] == 2" \
	"j['source'] == '$R/team/model:cand' and j['destination'] == 'oci:$T/p:v1'"
run xp copy --json --plain-http "$R/team/model:cand" "$R/team/copy:c1"
expect_rc 0
check 'j["schema"] == "https://xpship.dev/cli/copy/v1"' \
	"j['reference'] == '$R/team/copy@$M' and j['tag'] == 'c1'" \
	"j['blobs']['mounted'] >= 2 and j['blobs']['copied'] == 0 and j['companions'] == 2"

# promote: with a key, and refused
run xp promote --json --plain-http --key k.pub --require-verdict pass "$R/team/model:cand" --to prod
expect_rc 0
expect_err_empty
check 'j["schema"] == "https://xpship.dev/cli/promote/v1"' \
	"sorted(j) == sorted(['schema', 'reference', 'tag', 'digest', 'promoted', 'verified', 'verdict', 'checks'])" \
	"j['reference'] == '$R/team/model:prod@$M' and j['tag'] == 'prod' and j['digest'] == '$M'" \
	"j['promoted'] is True and j['verified'] is True and j['verdict'] == 'pass' and len(j['checks']) > 2"
run xp promote --json --plain-http --key other.pub "$R/team/model:cand" --to stable
expect_rc 1
check "j['promoted'] is False and j['verified'] is False"
run xp promote --json --plain-http "$R/team/model:cand" --to nokey
expect_rc 0
check "j['promoted'] is True and j['verified'] is False and j['checks'] == [] and j['verdict'] is None"

# gate: the verdict and the decision record, the same as --decision writes
cp "$DATA/gate/gate.yaml" "$DATA/gate/candidate.json" "$DATA/gate/champion.json" "$DATA/gate/slower.yaml" .
run xp gate --json --policy gate.yaml --metrics slower.yaml --baseline champion.json --decision d.json
expect_rc 1
expect_err_empty
check 'j["schema"] == "https://xpship.dev/cli/gate/v1"' "list(j) == ['schema', 'verdict', 'decision']" \
	"j['verdict'] == 'fail'" "j['decision'] == json.load(open('d.json'))" \
	"j['decision']['rules'][2]['candidate'] == 90 and j['decision']['rules'][0]['threshold'] == 0.9"
run xp gate --json --policy gate.yaml --metrics candidate.json
expect_rc 0
check "j['verdict'] == 'pass' and j['decision']['baseline'] is None"
# under GitHub Actions the annotations go to stderr, stdout stays one object
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY= GITHUB_OUTPUT= run xp gate --json --policy gate.yaml \
	--metrics slower.yaml --baseline champion.json
expect_rc 1
check "j['verdict'] == 'fail'"
expect_err_has "::error file=gate.yaml,line=10"
exit 0
