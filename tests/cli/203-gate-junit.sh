# `gate --junit`: JUnit XML for Jenkins' junit step, one test case per check;
# it validates against the JUnit schema (tests/data/gate/junit.xsd) and against
# Jenkins xUnit's junit-10.xsd (vendored in tests/data/schemas/ with its
# source), and the schema check itself rejects a broken report.
. "$TESTS_DIR/lib.sh"
cp "$DATA/gate/gate.yaml" "$DATA/gate/candidate.json" "$DATA/gate/champion.json" \
	"$DATA/gate/slower.yaml" .
export SOURCE_DATE_EPOCH=1795600800
XSD=$DATA/gate/junit.xsd
XUNIT=$DATA/schemas/junit-10.xsd
policy_digest="sha256:$(sha256sum gate.yaml | cut -d' ' -f1)"

run xp gate --policy gate.yaml --metrics slower.yaml --baseline champion.json --junit report.xml
expect_rc 1
expect_file_same /dev/stdin report.xml <<END
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="xpship gate" tests="4" failures="1" errors="0" time="0">
  <testsuite name="xpship gate" tests="4" failures="1" errors="0" skipped="0" time="0" timestamp="2026-11-25T10:00:00">
    <properties>
      <property name="policy" value="gate.yaml"/>
      <property name="policy.digest" value="$policy_digest"/>
      <property name="candidate" value="slower.yaml"/>
      <property name="baseline" value="champion.json"/>
      <property name="verdict" value="fail"/>
    </properties>
    <testcase classname="xpship.gate" name="accuracy min" time="0"/>
    <testcase classname="xpship.gate" name="latency.p95_ms max" time="0"/>
    <testcase classname="xpship.gate" name="latency.p95_ms max_rel_regression" time="0">
      <failure message="latency.p95_ms = 90 is worse than the baseline 82 by 9.7561%, more than the allowed regression 5%" type="max_rel_regression">gate.yaml:10:5: latency.p95_ms = 90 is worse than the baseline 82 by 9.7561%, more than the allowed regression 5%</failure>
    </testcase>
    <testcase classname="xpship.gate" name="f1 min_abs_change" time="0"/>
  </testsuite>
</testsuites>
END
run xmllint --noout --schema "$XSD" report.xml
expect_rc 0
run xmllint --noout --schema "$XUNIT" report.xml
expect_rc 0

# skips and warnings: <skipped/> and <system-out>; names that need escaping
cat >odd.yaml <<'YAML'
version: 1
rules:
  - {metric: "a<b&\"c\"", min: 1}
  - {metric: f1, severity: warning, min: 0.99}
  - {metric: f1, min_abs_change: 0.01}
YAML
printf '{"a<b&\\"c\\"": 2, "f1": 0.9}' >odd.json
run xp gate --policy odd.yaml --metrics odd.json --junit odd.xml
expect_rc 0
run xmllint --noout --schema "$XSD" odd.xml
expect_rc 0
run xmllint --noout --schema "$XUNIT" odd.xml
expect_rc 0
grep -qF '<testcase classname="xpship.gate" name="a&lt;b&amp;&quot;c&quot; min" time="0"/>' odd.xml ||
	fail "name not escaped: $(cat odd.xml)"
grep -qF '<system-out>warning: f1 = 0.9 is below the minimum 0.99</system-out>' odd.xml ||
	fail "warning not in system-out"
grep -qF '<skipped message="f1 has no baseline value (no champion)"/>' odd.xml ||
	fail "skip not reported"
grep -qF 'tests="3" failures="0" errors="0" skipped="1"' odd.xml || fail "counts"

# the schema is not a rubber stamp: a report with a bad count fails it
sed 's/tests="4"/tests="four"/' report.xml >broken.xml
run xmllint --noout --schema "$XSD" broken.xml
expect_rc 3
sed 's|<failure |<failure><failure |; s|</failure>|</failure></failure>|' report.xml >broken2.xml
run xmllint --noout --schema "$XSD" broken2.xml
[ "$(rc)" != 0 ] || fail "nested failure accepted by the schema"
exit 0
