# tests/helpers/jenkins.sh — sourced by the Jenkins tests after lib.sh.
#
#   jenkins_sim JENKINSFILE [VARS_DIR]   runs it in tests/helpers/jenkins/sim.groovy
#                                        (like `run`: stdout, stderr, exit code);
#                                        VARS_DIR defaults to templates/jenkins/vars
# Environment the simulator reads: BRANCH_NAME, GIT_COMMIT, JENKINS_SIM_CREDENTIALS,
# JENKINS_SIM_PARAMS. xpship is on PATH as the binary under test.
: "${JAVA_HOME:=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
export JAVA_HOME
mkdir -p "$T/bin"
ln -sf "$XPSHIP" "$T/bin/xpship"

jenkins_sim() {
	local root
	root=$(cd "$TESTS_DIR/.." && pwd)
	LAST_CMD="jenkins_sim $*"
	PATH="$T/bin:$PATH" groovy "$TESTS_DIR/helpers/jenkins/sim.groovy" "$1" \
		"${2:-$root/templates/jenkins/vars}" >"$T/.out" 2>"$T/.err"
	echo $? >"$T/.rc"
}
