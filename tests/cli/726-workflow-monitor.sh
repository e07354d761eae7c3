# templates/github/model-monitor.yml run as a user's copy would run
# (run_workflow.py): the champion packed with --profile in a real registry on
# loopback with basic auth, the action running the binary under test.
#   1. a production sample with a shifted column: drift fetched the profile
#      layer, the gate fails with an annotation at monitor.yaml's rule, the
#      summary shows the drift table and the gate's report, the HTML report
#      is kept as an artifact;
#   2. an unshifted sample and labelled feedback: evaluate runs, the merged
#      metrics pass the gate.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/action.sh"
. "$TESTS_DIR/helpers/registry.sh"
root=$(cd "$TESTS_DIR/.." && pwd)
EX=$root/templates/example
export SOURCE_DATE_EPOCH=1764064800
action_setup

reg_start basic reg || fail "registry did not start"
repo_ref=$REG_ADDR/acme/churn-model
xp profile --columns tenure_months,monthly_charges,contract,support_calls \
	-o profile.json "$EX/data/train.csv" || fail "profile"
xp pack -o oci:bundle -t v1 --profile profile.json "$EX/model" >/dev/null || fail "pack"
printf '%s\n' "$REG_PASS" | xp login --plain-http "$REG_ADDR" -u "$REG_USER" --password-stdin \
	>/dev/null 2>&1 || true
XPSHIP_REGISTRY_USERNAME=$REG_USER XPSHIP_REGISTRY_PASSWORD=$REG_PASS \
	xp push --plain-http oci:bundle:v1 "$repo_ref:production" >/dev/null || fail "push"

mkdir -p repo/monitoring
cp "$root/templates/monitor.yaml" repo/
cp "$EX/data/production-shifted.csv" repo/monitoring/production-sample.csv
sed -e "s|ghcr.io/acme/churn-model|$repo_ref|" -e "s|registry: ghcr.io|registry: $REG_ADDR|" \
	"$root/templates/github/model-monitor.yml" >monitor.yml
grep -q "$repo_ref" monitor.yml && grep -q "registry: $REG_ADDR" monitor.yml ||
	fail "the template no longer names GHCR the way this test adapts it"
common=(workflow="$T/monitor.yml" sha=0123456789abcdef0123456789abcdef01234567 actor="$REG_USER"
	secrets.GITHUB_TOKEN="$REG_PASS" env.XPSHIP_REGISTRY_PLAIN_HTTP="$REG_ADDR"
	event=workflow_dispatch ref=refs/heads/main)

# 1. the shifted sample
workflow_run "${common[@]}" repo="$T/repo" work="$T/run1"
expect_rc 1
expect_eq failure "$(job_result monitor)" "monitor job"
expect_eq fail "$(job_output monitor verdict)" "verdict"
line=$(grep -n 'metric: drift.share_drifted' repo/monitor.yaml | cut -d: -f1)
expect_out_has "::error file=monitor.yaml,line=$((line + 2))"
grep -qF "### Data drift: 1 of 4 columns drifted" run1/summary-monitor.md || fail "no drift table in the summary"
grep -qF "| monthly_charges | numeric |" run1/summary-monitor.md || fail "no monthly_charges row"
grep -qi "fail" run1/summary-monitor.md || fail "no gate report in the summary"
[ -s run1/artifacts/drift-report/drift-report.html ] || fail "the HTML report was not kept"
expect_out_lacks "WF step Evaluate on labelled feedback: run"
if grep -F -- "$REG_PASS" .out .err | grep -vqF "::add-mask::"; then fail "the registry password leaked"; fi

# 2. an unshifted sample with labelled feedback
cp -r repo ok
cp "$EX/data/production.csv" ok/monitoring/production-sample.csv
/usr/bin/python3 - ok/monitoring/feedback.csv <<'PY'
import random, sys
r = random.Random(5)
with open(sys.argv[1], "w") as f:
    f.write("label,score\n")
    for i in range(200):
        y = r.random() < 0.3
        f.write("%d,%.4f\n" % (y, min(1, max(0, r.gauss(0.7 if y else 0.3, 0.15)))))
PY
workflow_run "${common[@]}" repo="$T/ok" work="$T/run2"
expect_rc 0
expect_eq success "$(job_result monitor)" "monitor job"
expect_eq pass "$(job_output monitor verdict)" "verdict"
grep -qF "### Data drift: 0 of 4 columns drifted" run2/summary-monitor.md || fail "no drift table in the summary"
grep -q '"roc_auc"' run2/artifacts/drift-report/monitor-decision.json || fail "the gate did not see roc_auc"
exit 0
