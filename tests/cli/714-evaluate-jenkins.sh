# The Jenkins shared-library step runs `evaluate` (predictions:, metrics: for
# the file it writes, the columns in args:) and a gate reads that file; a
# missing predictions argument stops the stage.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/jenkins.sh"

{
	echo 'label,score,sex'
	echo '1,0.9,F'
	echo '0,0.1,M'
	echo '1,0.4,F'
	echo '0,0.6,M'
	echo '1,0.6,M'
	echo '0,0.2,F'
} >p.csv
cat >policy.yaml <<'END'
version: 1
rules:
  - metric: fairness.sex.equalized_odds_difference
    direction: lower
    max: 0.2
END
jenkins_sim "$DATA/ci/jenkins/evaluate.Jenkinsfile"
expect_rc 1
grep '^SIM ' "$T/.out" >sim.log
cat >want.log <<'END'
SIM params [:]
SIM stage Evaluate
SIM sh xpship evaluate
SIM sh exit 0
SIM echo evaluate=0
SIM stage Gate
SIM sh xpship: clear the old JUnit report
SIM sh xpship gate
SIM sh exit 1
SIM junit xpship-gate.xml
SIM echo gate=1
SIM stage Required
SIM stage Required FAILED: xpship evaluate: the argument 'predictions' is required
SIM result FAILURE
END
expect_file_same want.log sim.log
expect_err_has "+ xpship evaluate --predictions p.csv -o m.json --score score --group sex"
expect_out_has "  sex.equalized_odds_difference            0.500000"
grep -q '"equalized_odds_difference": 0.5,' m.json || fail "metrics file: $(cat m.json 2>&1)"
expect_out_has "fairness.sex.equalized_odds_difference  max"
