# templates/jenkins/Jenkinsfile: the approval `input` waits outside any agent
# (agent none: no executor held) and within a timeout; the stages before it
# share one agent, and Promote gets pushed.ref by stash/unstash. Run by the
# Jenkins simulator with stand-ins for xpship and its library step (the real
# ones: 095).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/jenkins.sh"
root=$(cd "$TESTS_DIR/.." && pwd)

mkdir vars ws
cat >vars/xpship.groovy <<'END'
def call(Map a) {
    ['sarif', 'decision', 'summary'].each { k ->
        if (a[k]) new File(System.getProperty('user.dir'), a[k] as String).text = '{}'
    }
    return 0
}
END
# the stand-in binary: every command succeeds, push prints a reference
rm -f "$T/bin/xpship" # a link to the binary under test: not to be written through
printf '#!/bin/sh\n[ "$1" = push ] && echo reg.example/m@sha256:0\nexit 0\n' >"$T/bin/xpship"
chmod +x "$T/bin/xpship"

cat >creds.json <<'END'
{"model-registry": {"username": "user", "password": "registry-secret"},
 "xpship-signing-key": {"file": "/dev/null"}, "xpship-key-password": {"text": "key-secret"},
 "xpship-approval-key": {"file": "/dev/null"}}
END
cd ws
BRANCH_NAME=main GIT_COMMIT=0123abc JENKINS_SIM_CREDENTIALS=$T/creds.json \
	jenkins_sim "$root/templates/jenkins/Jenkinsfile" "$T/vars"
cd "$T"
expect_rc 0
expect_out_has "SIM input 'Promote this model to production?' approved by release-managers (agent none, timeout 3 DAYS)"
grep '^SIM \(stage\|stash\|unstash\)' .out >events.txt
diff -u - events.txt <<'END' || fail "stages"
SIM stage Release
SIM stage Validate
SIM stage Gate
SIM stage Package
SIM stage Sign
SIM stage Push
SIM stash pushed pushed.ref
SIM stage Approve
SIM stage Promote
SIM unstash pushed
SIM stage History
END
expect_out_has "SIM result SUCCESS"
exit 0
