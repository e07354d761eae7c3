# The Jenkins shared-library step and the Jenkinsfile compile (groovyc syntax
# check; @Library is provided by a stand-in annotation).
. "$TESTS_DIR/lib.sh"
root=$(cd "$TESTS_DIR/.." && pwd)
: "${JAVA_HOME:=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
export JAVA_HOME

run groovyc -d lib "$TESTS_DIR/helpers/jenkins/Library.groovy"
expect_rc 0
run groovyc -d vars "$root/templates/jenkins/vars/xpship.groovy"
expect_rc 0
cp "$root/templates/jenkins/Jenkinsfile" Jenkinsfile.groovy
run groovyc -cp lib -d jf Jenkinsfile.groovy
expect_rc 0

# a syntax error is caught, with its position
sed 's/^pipeline {$/pipeline {{/' "$root/templates/jenkins/Jenkinsfile" >Broken.groovy
run groovyc -cp lib -d broken Broken.groovy
expect_rc 1
expect_err_has "Broken.groovy: "
