# The shared-library step xpship(...) run by the Jenkins simulator: it returns
# xpship's exit status instead of failing the stage, passes every value to the
# shell single-quoted, and stops the stage when a required argument is missing.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/jenkins.sh"
. "$TESTS_DIR/helpers/registry.sh"

reg_start plain plain || fail "registry did not start"
export REG_ADDR DEAD_ADDR="127.0.0.1:$(reg_free_port)"
jenkins_sim "$DATA/ci/jenkins/step.Jenkinsfile"
expect_rc 1
grep '^SIM ' "$T/.out" >sim.log
expect_file_same - sim.log <<'END'
SIM params [:]
SIM stage Status
SIM sh xpship registry
SIM sh exit 0
SIM echo ok=0
SIM sh xpship registry
SIM sh exit 5
SIM echo down=5
SIM stage Quoting
SIM sh xpship registry
SIM sh exit 2
SIM echo quoted=2
SIM stage Required
SIM stage Required FAILED: xpship gate: the argument 'policy' is required
SIM result FAILURE
END
expect_out_has "$REG_ADDR: ok (http, registry/2.0)"
expect_err_has "xpship: error: cannot reach registry '$DEAD_ADDR'"
expect_err_has "+ xpship registry ping it's \$(touch pwned) \`touch pwned2\`"
[ ! -e pwned ] && [ ! -e pwned2 ] || fail "a value was evaluated by the shell"
exit 0
