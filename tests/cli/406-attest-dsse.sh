# `attest`: SLSA provenance v1 and the gate decision as in-toto statements in
# DSSE envelopes, for ECDSA P-256, Ed25519 and RSA keys, checked by an
# independent verifier that rebuilds PAE (tests/helpers/dsse_verify.py); the
# statements' content from the shipped example record and a decision record;
# builder identity from GitHub Actions, Jenkins or the local host; re-attesting
# appends, --replace replaces; `verify --require-*` reads them back.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/sign.sh"

EXP="$TESTS_DIR/../templates/experiment.yaml"
DEC="$DATA/sign/decision-pass.json"
export SOURCE_DATE_EPOCH=1764064800    # 2025-11-25T10:00:00Z
unset GITHUB_SERVER_URL GITHUB_REPOSITORY GITHUB_RUN_ID GITHUB_RUN_ATTEMPT GITHUB_WORKFLOW_REF \
      BUILD_URL JENKINS_URL

gh() {
	GITHUB_SERVER_URL=https://github.example GITHUB_REPOSITORY=team/churn GITHUB_RUN_ID=4242 \
	GITHUB_RUN_ATTEMPT=2 GITHUB_WORKFLOW_REF=team/churn/.github/workflows/release.yml@refs/heads/main \
		"$@"
}

for t in ecdsa-p256 ed25519 rsa-3072; do
	xp keygen -t "$t" -o "$t" >/dev/null || fail "keygen $t"
	make_bundle "b-$t" v1 || fail "umoci"
	D=$(oci_edit digest "b-$t" v1)
	run gh xp attest --key "$t.key" --experiment "$EXP" --decision "$DEC" \
		--identity registry.example/team/churn -o "$t.intoto.jsonl" "b-$t"
	expect_rc 0
	expect_err_empty
	expect_out <<END
Attested $D (tag sha256-${D#sha256:}.att, 2 attestations)
  https://slsa.dev/provenance/v1
  https://xpship.dev/gate-decision/v1
END
	# the file and the stored envelopes verify independently
	dsse_verify "$t.pub" "$t.intoto.jsonl" --payload "$t.statements" >v.out || fail "$t: $(cat v.out)"
	expect_eq 2 "$(grep -c verified v.out)" "$t envelopes verified"
	skopeo inspect --raw "oci:b-$t:sha256-${D#sha256:}.att" >att.json || fail "skopeo"
	python3 - "b-$t" "$D" <<'PY' || fail "$t: attestation manifest"
import json, sys
d, digest = sys.argv[1], sys.argv[2]
m = json.load(open("att.json"))
assert m["subject"]["digest"] == digest, m
assert m["config"]["mediaType"] == "application/vnd.oci.image.config.v1+json"
types = [l["annotations"]["predicateType"] for l in m["layers"]]
assert types == ["https://slsa.dev/provenance/v1", "https://xpship.dev/gate-decision/v1"], types
with open("stored.jsonl", "w") as out:
    for l in m["layers"]:
        assert l["mediaType"] == "application/vnd.dsse.envelope.v1+json"
        out.write(open(d + "/blobs/sha256/" + l["digest"].split(":")[1]).read() + "\n")
PY
	dsse_verify "$t.pub" stored.jsonl >v.out || fail "$t stored: $(cat v.out)"
	cmp -s stored.jsonl "$t.intoto.jsonl" || fail "--output differs from the stored envelopes"
	# another key's verifier rejects them
	[ "$t" = ecdsa-p256 ] || { dsse_verify ecdsa-p256.pub stored.jsonl >/dev/null && fail "wrong key accepted"; }
	run xp verify --key "$t.pub" --require-verdict pass "b-$t"
	expect_rc 1     # attested but not signed
	expect_err_has "signature: not signed"
	xp sign --key "$t.key" --identity registry.example/team/churn "b-$t" >/dev/null || fail "sign"
	run xp verify --key "$t.pub" --require-attestation --require-verdict pass "b-$t"
	expect_rc 0
	expect_out_has "attestation 2  ok     https://xpship.dev/gate-decision/v1, signed by $t key $(keyid "$t.pub")"
	expect_out_has "verdict        ok     pass"
done

# the statements' content (the last key's)
python3 - "$D" "$DEC" <<'PY' || fail "statement content"
import json, sys
digest, dec = sys.argv[1], sys.argv[2]
prov, gate = [json.loads(l) for l in open("rsa-3072.statements")]
for st in (prov, gate):
    assert st["_type"] == "https://in-toto.io/Statement/v1"
    assert st["subject"] == [{"name": "registry.example/team/churn",
                              "digest": {"sha256": digest.split(":")[1]}}], st["subject"]
assert prov["predicateType"] == "https://slsa.dev/provenance/v1"
p = prov["predicate"]
bd, rd = p["buildDefinition"], p["runDetails"]
assert bd["buildType"] == "https://xpship.dev/model-release/v1"
ext = bd["externalParameters"]
assert ext["parameters"] == {"learning_rate": 0.01, "max_depth": 6}, ext
assert ext["run"] == "run-2" and ext["experiment"]["id"] == "exp-2026-11-churn-042"
assert ext["objective"] == {"metric": "accuracy", "direction": "maximize"}
assert ext["policy"]["digest"] == json.load(open(dec))["policy"]["digest"]
deps = {d["name"]: d for d in bd["resolvedDependencies"]}
assert deps["train"]["digest"] == {"sha256": "acf6461f31d50d47b15b8c61a0785bcf188a973659f3242c64fd7954cddaea1f"}
assert deps["code"]["digest"] == {"gitCommit": "3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e"}
assert deps["code"]["uri"] == "git+https://github.com/example/churn@3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e"
assert "environment" in deps and "reference" in deps
assert rd["builder"]["id"] == "https://github.example/team/churn/.github/workflows/release.yml@refs/heads/main", rd
assert rd["builder"]["version"] == {"xpship": "0.1.0"}
assert rd["metadata"] == {"invocationId": "https://github.example/team/churn/actions/runs/4242/attempts/2",
                          "startedOn": "2025-11-25T10:00:00Z", "finishedOn": "2025-11-25T10:00:00Z"}, rd
assert gate["predicateType"] == "https://xpship.dev/gate-decision/v1"
assert gate["predicate"] == json.load(open(dec))
PY

# numbers keep their written form (no 0.93100000000000005)
grep -qF '"candidate":0.931,' rsa-3072.statements || fail "decision numbers rewritten: $(cat rsa-3072.statements)"
grep -qF '"learning_rate":0.01,' rsa-3072.statements || fail "parameters rewritten"

# Jenkins and local builders; no experiment, no decision: provenance only
make_bundle j v1 || fail "umoci"
BUILD_URL=https://ci.example/job/churn/17/ JENKINS_URL=https://ci.example/ \
	run xp attest --key ed25519.key -o j.jsonl j
expect_rc 0
expect_out_has "(tag sha256-"
expect_out_lacks "gate-decision"
dsse_verify ed25519.pub j.jsonl --payload j.st >/dev/null || fail "jenkins envelope"
python3 - <<'PY' || fail "jenkins builder"
import json
st = json.loads(open("j.st").read())
rd = st["predicate"]["runDetails"]
assert rd["builder"]["id"] == "https://ci.example/", rd
assert rd["metadata"]["invocationId"] == "https://ci.example/job/churn/17/", rd
assert st["predicate"]["buildDefinition"]["externalParameters"] == {}
assert st["predicate"]["buildDefinition"]["resolvedDependencies"] == []
assert st["subject"][0]["name"] == "v1", st["subject"]  # the tag, never a local path
PY
run xp attest --key ed25519.key -o l.jsonl j
expect_rc 0
expect_out_has "(tag sha256-"
dsse_verify ed25519.pub l.jsonl --payload l.st >/dev/null || fail "local envelope"
python3 - "$(hostname)" <<'PY' || fail "local builder"
import json, sys
rd = json.loads(open("l.st").read())["predicate"]["runDetails"]
assert rd["builder"]["id"] == "local://" + sys.argv[1], rd
assert "invocationId" not in rd["metadata"], rd
PY
# two attests appended: 2 layers; --replace keeps the newest of each type
expect_out_has "2 attestations)"
run xp attest --key ed25519.key --decision "$DEC" --replace j
expect_rc 0
expect_out_has "2 attestations)"
# with a fixed time and a deterministic key the provenance statement is the
# same bytes: stored once, the new decision is added
run xp attest --key ed25519.key --decision "$DATA/sign/decision-fail.json" j
expect_rc 0
expect_out_has "3 attestations)"
run xp attest --key ed25519.key --decision "$DATA/sign/decision-fail.json" j
expect_rc 0
expect_out_has "3 attestations)"
# the newest decision counts: it says fail
xp sign --key ed25519.key --identity registry.example/team/churn j >/dev/null || fail "sign j"
run xp verify --key ed25519.pub --require-verdict pass j
expect_rc 1
expect_err <<'END'
xpship: error: verification failed for 'j': verdict: the gate decision's verdict is 'fail', 'pass' is required
END
run xp verify --key ed25519.pub --require-verdict fail j
expect_rc 0
# SOURCE_DATE_EPOCH that is not a time RFC 3339 can write is refused, not
# ignored or written as garbage; nothing is attested
for e in yesterday -1 253402300800; do
	SOURCE_DATE_EPOCH=$e run xp attest --key ed25519.key j
	expect_rc 2
	expect_out_empty
	expect_err <<END
xpship: error: invalid SOURCE_DATE_EPOCH '$e': expected seconds since 1970
Run 'xpship attest --help' for usage.
END
done
run xp verify --key ed25519.pub --require-verdict fail j
expect_rc 0
exit 0
