# templates/jenkins/Jenkinsfile run stage by stage by the Jenkins simulator
# against the CLI as it is: every `sh` step and shared-library step executes for
# real, with credentials bound by withCredentials, on the shipped example and a
# real registry on loopback (basic auth).
# The whole pipeline must succeed, every stage having run.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/jenkins.sh"
. "$TESTS_DIR/helpers/action.sh"
. "$TESTS_DIR/helpers/registry.sh"
root=$(cd "$TESTS_DIR/.." && pwd)

stages=(Validate Gate Package Sign Push Approve Promote History)

# the workspace: the shipped example, a key pair, the registry
mkdir ws
cp -r "$root/templates/experiment.yaml" "$root/templates/gate.yaml" "$root/templates/example" ws/ ||
	fail "the shipped example"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc \
	-pass pass:key-secret -out signing.key 2>/dev/null || fail "openssl genpkey"
openssl pkey -in signing.key -passin pass:key-secret -pubout -out ws/cosign.pub || fail "openssl pkey"
xp keygen -t ed25519 -o approval >/dev/null || fail "keygen approval"
cp "$root/templates/approvers.yaml" approval.pub ws/
reg_start basic reg || fail "registry did not start"
cat >creds.json <<END
{"model-registry": {"username": "$REG_USER", "password": "$REG_PASS"},
 "xpship-signing-key": {"file": "$T/signing.key"},
 "xpship-key-password": {"text": "key-secret"},
 "xpship-approval-key": {"file": "$T/approval.key"}}
END
sed -e "s|registry.example.com/acme/churn-model|$REG_ADDR/acme/churn-model|" \
	-e "s|MODEL_DIR = 'model'|MODEL_DIR = 'example/model'|" \
	"$root/templates/jenkins/Jenkinsfile" >Jenkinsfile
commit=0123456789abcdef0123456789abcdef01234567

cd ws
BRANCH_NAME=main GIT_COMMIT=$commit JENKINS_SIM_CREDENTIALS=$T/creds.json \
	JENKINS_SIM_SUBMITTER=dana JENKINS_SIM_INPUT='{"REASON": "offline eval reviewed"}' \
	XPSHIP_REGISTRY_PLAIN_HTTP=$REG_ADDR jenkins_sim "$T/Jenkinsfile"
cd "$T"
grep '^SIM stage ' .out >stages.log
for st in "${stages[@]}"; do
	grep -qx "SIM stage $st" stages.log || fail "stage $st did not run"
	expect_out_lacks "SIM stage $st FAILED"
done
# secrets never reach the log
for s in "$REG_PASS" key-secret; do
	expect_out_lacks "$s"
	expect_err_lacks "$s"
done
# the whole release ran
expect_rc 0
expect_out_has "SIM input 'Promote this model to production?' approved by release-managers"
expect_out_has "SIM junit xpship-gate.xml"
expect_out_has "SIM recordIssues validation.sarif"
expect_out_has "SIM result SUCCESS"
xmllint --noout ws/xpship-gate.xml || fail "the gate's JUnit report is not XML"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["verdict"]=="pass", d' \
	ws/decision.json || fail "decision.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"]=="2.1.0", d' \
	ws/validation.sarif || fail "validation.sarif"
pushed=$(cat ws/pushed.ref)
case "$pushed" in "$REG_ADDR/acme/churn-model@sha256:"*) ;; *) fail "pushed.ref: $pushed" ;; esac
XPSHIP_REGISTRY_USERNAME=$REG_USER XPSHIP_REGISTRY_PASSWORD=$REG_PASS \
	skopeo inspect --raw --tls-verify=false --creds "$REG_USER:$REG_PASS" \
	"docker://$REG_ADDR/acme/churn-model:production" | sha256sum >prod.sum
expect_eq "${pushed#*@sha256:}" "$(cut -d' ' -f1 prod.sum)" "production tag"
# the input's submitter and reason, signed with the approval credential
XPSHIP_REGISTRY_USERNAME=$REG_USER XPSHIP_REGISTRY_PASSWORD=$REG_PASS \
	xp verify --plain-http --key ws/cosign.pub --approvers ws/approvers.yaml "$pushed" >v.out 2>&1 ||
	fail "verify: $(cat v.out)"
grep -q '^approval 1     ok     by release-pipeline (key [0-9a-f]*, jenkins:dana, role release-reviewer) at .*: "offline eval reviewed"' v.out ||
	fail "no approval by dana: $(cat v.out)"
# the archived history page names the release as the current champion
grep -q '<tr class="current"><td>'"$commit"'</td>' ws/history.html || fail "history.html: $(head -c 600 ws/history.html)"
expect_out_has "SIM archiveArtifacts"
exit 0
