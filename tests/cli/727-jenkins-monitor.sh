# templates/jenkins/Jenkinsfile.monitor compiles (groovyc) and runs stage by
# stage in the Jenkins simulator against the CLI and a real registry on
# loopback (basic auth): a shifted production sample fails the Gate stage and
# still archives the HTML report; an unshifted one with feedback passes.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/jenkins.sh"
. "$TESTS_DIR/helpers/registry.sh"
root=$(cd "$TESTS_DIR/.." && pwd)
EX=$root/templates/example
: "${JAVA_HOME:=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
export JAVA_HOME SOURCE_DATE_EPOCH=1764064800

run groovyc -cp lib -d jf "$root/templates/jenkins/Jenkinsfile.monitor"
expect_rc 0

reg_start basic reg || fail "registry did not start"
xp profile --columns tenure_months,monthly_charges,contract,support_calls \
	-o profile.json "$EX/data/train.csv" || fail "profile"
xp pack -o oci:bundle -t v1 --profile profile.json "$EX/model" >/dev/null || fail "pack"
XPSHIP_REGISTRY_USERNAME=$REG_USER XPSHIP_REGISTRY_PASSWORD=$REG_PASS \
	xp push --plain-http oci:bundle:v1 "$REG_ADDR/acme/churn-model:production" >/dev/null || fail "push"
cat >creds.json <<END
{"model-registry": {"username": "$REG_USER", "password": "$REG_PASS"}}
END
sed -e "s|registry.example.com/acme/churn-model|$REG_ADDR/acme/churn-model|" \
	"$root/templates/jenkins/Jenkinsfile.monitor" >Jenkinsfile
mkdir -p bin
ln -sf "$XPSHIP" bin/xpship

sim() { # WORKSPACE
	(cd "$1" && BRANCH_NAME=main JENKINS_SIM_CREDENTIALS=$T/creds.json \
		XPSHIP_REGISTRY_PLAIN_HTTP=$REG_ADDR jenkins_sim "$T/Jenkinsfile")
}

mkdir -p ws1/monitoring
cp "$root/templates/monitor.yaml" ws1/
cp "$EX/data/production-shifted.csv" ws1/monitoring/production-sample.csv
sim ws1
expect_rc 1
expect_out_has "SIM stage Gate FAILED"
expect_out_has "monitor failed: drift or quality out of bounds (xpship exit 1)"
expect_out_has "no labelled feedback at monitoring/feedback.csv: drift only"
expect_out_has "archiveArtifacts drift-report.html"
[ -s ws1/drift-report.html ] || fail "no HTML report"
grep -q 'monthly_charges — drifted' ws1/drift-report.html || fail "the report does not show the drifted column"
expect_out_lacks "$REG_PASS"

mkdir -p ws2/monitoring
cp "$root/templates/monitor.yaml" ws2/
cp "$EX/data/production.csv" ws2/monitoring/production-sample.csv
printf 'label,score\n1,0.9\n0,0.2\n1,0.7\n0,0.4\n1,0.8\n0,0.1\n' >ws2/monitoring/feedback.csv
sim ws2
expect_rc 0
for st in Fetch Drift Evaluate Gate; do
	grep -qx "SIM stage $st" .out || fail "stage $st did not run"
	expect_out_lacks "SIM stage $st FAILED"
done
grep -q '"roc_auc": 1' ws2/monitor-metrics.json || fail "evaluate's metrics were not merged"
