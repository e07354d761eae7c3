# templates/github/model-release.yml run job by job (run_workflow.py) as a
# user's copy of it would run: the shipped example in the repository, the
# action (uses: xpship/xpship@...) running the binary under test, GHCR replaced
# by a real registry on loopback with basic auth (the job's GITHUB_TOKEN is its
# password), the signing key as a repository secret.
#   1. push to main: validate → gate (first release) → pack, sign, attest,
#      verify, push → promote behind the `production` environment;
#   2. push to main with a policy the candidate fails: the gate job fails with
#      an annotation at the policy line, nothing is packed or promoted;
#   3. a pull request: validate and gate only;
#   4. run by hand with a waiver for the failed check of 2: the verdict
#      pass-with-waivers, packed and promoted with the reviewer's approval.
# The reviewer of the `production` environment comes from GitHub's API
# through `gh` (a stub here, answering as the API does).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/action.sh"
. "$TESTS_DIR/helpers/registry.sh"
root=$(cd "$TESTS_DIR/.." && pwd)
action_setup

reg_start basic reg || fail "registry did not start"
repo_ref=$REG_ADDR/acme/churn-model
mkdir repo
cp -r "$root/templates/experiment.yaml" "$root/templates/gate.yaml" "$root/templates/example" repo/
XPSHIP_KEY_PASSWORD=key-secret xp keygen -o cosign >/dev/null || fail "keygen"
cp cosign.pub repo/
xp keygen -t ed25519 -o approval >/dev/null || fail "keygen approval"
cp "$root/templates/approvers.yaml" approval.pub repo/
mkdir bin
cat >bin/gh <<'END'
#!/bin/sh
# `gh api .../approvals --jq ...`: the answer for a run approved by carol
case "$*" in
*"/actions/runs/"*"/approvals"*) printf 'login=carol\ncomment=numbers look right\n' ;;
*) echo "gh stub: unexpected: $*" >&2; exit 1 ;;
esac
END
chmod +x bin/gh
sed -e "s|ghcr.io/acme/churn-model|$repo_ref|" -e "s|registry: ghcr.io|registry: $REG_ADDR|" \
	-e "s|MODEL_DIR: model|MODEL_DIR: example/model|" \
	"$root/templates/github/model-release.yml" >release.yml
grep -q "$repo_ref" release.yml && grep -q "registry: $REG_ADDR" release.yml ||
	fail "the template no longer names GHCR the way this test adapts it"
sha=0123456789abcdef0123456789abcdef01234567
common=(workflow="$T/release.yml" repo="$T/repo" sha=$sha actor="$REG_USER"
	secrets.GITHUB_TOKEN="$REG_PASS" secrets.XPSHIP_SIGNING_KEY="$(cat cosign.key)"
	secrets.XPSHIP_KEY_PASSWORD=key-secret secrets.XPSHIP_APPROVAL_KEY="$(cat approval.key)"
	env.XPSHIP_REGISTRY_PLAIN_HTTP="$REG_ADDR" env.PATH="$T/bin:$PATH")
no_secrets() {
	local s line
	for s in "$REG_PASS" key-secret; do
		[ "$(grep -cF -- "$s" "$T/.out" "$T/.err" | awk -F: '{n+=$2} END {print n}')" = \
			"$(grep -cxF -- "::add-mask::$s" "$T/.out")" ] || fail "secret '$s' shown outside a mask command"
	done
	while IFS= read -r line; do
		case "$line" in -----*) continue ;; esac
		[ "$(grep -cF -- "$line" "$T/.out" "$T/.err" | awk -F: '{n+=$2} END {print n}')" = \
			"$(grep -cxF -- "::add-mask::$line" "$T/.out")" ] || fail "key line shown outside a mask command"
	done <cosign.key
}

# 1. a release from main
workflow_run "${common[@]}" work="$T/run1" event=push ref=refs/heads/main
no_secrets
expect_out_has "WF upload-sarif validation.sarif: 0 results"
expect_eq success "$(job_result validate)" "validate job"
expect_eq success "$(job_result gate)" "gate job"
expect_eq pass "$(job_output gate verdict)" "gate verdict"
expect_err_has "no champion at '$repo_ref:production'"
grep -qi "pass" run1/summary-gate.md || fail "no gate report in the job summary"
[ -f run1/artifacts/gate-decision/decision.json ] || fail "decision record not kept"
expect_eq success "$(job_result package)" "package job"
ref=$(job_output package ref)
digest=$(job_output package digest)
case "$ref" in "$repo_ref@sha256:"*) ;; *) fail "package ref output: '$ref'" ;; esac
expect_eq "${ref#*@}" "$digest" "digest output"
grep -qF "**xpship pack**" run1/summary-package.md || fail "no pack line in the summary"
grep -qF "**xpship verify**" run1/summary-package.md || fail "no verify line in the summary"
grep -qF "**xpship push**: \`$ref\`" run1/summary-package.md || fail "no push line in the summary"
skopeo inspect --raw --tls-verify=false --creds "$REG_USER:$REG_PASS" \
	"docker://$repo_ref:$sha" | sha256sum >pushed.sum
expect_eq "${digest#sha256:}" "$(cut -d' ' -f1 pushed.sum)" "what the registry holds under the commit tag"
expect_out_has "WF job promote waits for approval of environment 'production': approved"
expect_rc 0
expect_eq success "$(job_result promote)" "promote job"
skopeo inspect --raw --tls-verify=false --creds "$REG_USER:$REG_PASS" \
	"docker://$repo_ref:production" | sha256sum >prod.sum
expect_eq "${digest#sha256:}" "$(cut -d' ' -f1 prod.sum)" "the production tag"
# the reviewer's approval is attached, signed with the job's approval key
XPSHIP_REGISTRY_USERNAME=$REG_USER XPSHIP_REGISTRY_PASSWORD=$REG_PASS \
	xp verify --plain-http --key cosign.pub --approvers repo/approvers.yaml "$ref" >v.out 2>&1 ||
	fail "verify: $(cat v.out)"
grep -q "^approval 1     ok     by release-pipeline (key [0-9a-f]*, github:carol, role release-reviewer) at .*: \"numbers look right\"" v.out ||
	fail "no approval by carol: $(cat v.out)"
# the promotion is recorded and the job summary lists the releases
grep -qF "### Releases of \`$repo_ref\`" run1/summary-promote.md ||
	fail "no release history in the promote job's summary: $(cat run1/summary-promote.md 2>&1)"
grep -qE "^\| $sha \| .* \| current \|$" run1/summary-promote.md || fail "the release is not the champion in the summary"
grep -qF "Champions of \`production\`, newest first: \`${digest:0:19}\`" run1/summary-promote.md ||
	fail "no champion chain in the summary"

# 2. a candidate the policy rejects: stopped at the gate, with annotations
cp -r repo strict
sed -i 's/^    min: 0.90$/    min: 0.95/' strict/gate.yaml
grep -q '^    min: 0.95$' strict/gate.yaml || fail "could not tighten the policy"
line=$(grep -n '^    min: 0.95$' strict/gate.yaml | head -n 1 | cut -d: -f1)
workflow_run "${common[@]}" repo="$T/strict" work="$T/run2" event=push ref=refs/heads/main
no_secrets
expect_rc 1
expect_eq failure "$(job_result gate)" "gate job"
expect_eq fail "$(job_output gate verdict)" "gate verdict"
expect_out_has "::error file=gate.yaml,line=$line"
expect_out_lacks "::error title=xpship gate::"
expect_eq skipped "$(job_result package)" "package job"
expect_eq skipped "$(job_result promote)" "promote job"
[ -f run2/artifacts/gate-decision/decision.json ] || fail "decision record of a failed gate not kept"

# 3. a pull request: findings and verdict, nothing pushed
workflow_run "${common[@]}" work="$T/run3" event=pull_request ref=refs/pull/7/merge
expect_rc 0
expect_eq success "$(job_result gate)" "gate job"
expect_eq skipped "$(job_result package)" "package job"
expect_eq skipped "$(job_result promote)" "promote job"

# 4. the failed check of 2, waived by an ml-lead, run by hand with the waiver
xp keygen -t ed25519 -o alice >/dev/null || fail "keygen alice"
mkdir strict/keys strict/waivers
cp alice.pub strict/keys/
printf '  - name: alice\n    key: keys/alice.pub\n    roles: [ml-lead]\n' >>strict/approvers.yaml
(cd strict && xp waive --key ../alice.key --rule accuracy.min --reason "accepted for the pilot" \
	--experiment experiment.yaml --policy gate.yaml -o waivers/accuracy.json >/dev/null) || fail "waive"
workflow_run "${common[@]}" repo="$T/strict" work="$T/run4" event=workflow_dispatch ref=refs/heads/main \
	sha=fedcba9876543210fedcba9876543210fedcba98 \
	inputs.waiver=waivers/accuracy.json
no_secrets
expect_rc 0
expect_eq success "$(job_result gate)" "gate job"
expect_eq pass-with-waivers "$(job_output gate verdict)" "gate verdict"
expect_out_has "::warning file=gate.yaml,line=$line"
expect_out_has "title=gate waived%3A accuracy min::"
grep -qF "pass-with-waivers" run4/summary-gate.md || fail "no waiver in the job summary"
expect_eq success "$(job_result package)" "package job"
expect_eq success "$(job_result promote)" "promote job"
exit 0
