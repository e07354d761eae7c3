# `best`: the best recorded run across a repository's releases, in the
# objective's direction or the one asked for, among runs with given
# parameters; its parameters written as an experiment-record fragment that a
# record can take as its run (validated). Releases without metrics do not count.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/history.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1 XDG_CACHE_HOME=$T/cache
reg_start plain || fail "registry did not start"
R=$REG_ADDR/team/model
hist_init
hist_release "$R" v1 0.80 0.1; v1=$HR_DIGEST
hist_release "$R" v2 0.91 0.3; v2=$HR_DIGEST
hist_release "$R" v3 0.87 0.1; v3=$HR_DIGEST
reg_skopeo_push "$R:foreign" >/dev/null || fail "skopeo push"

run xp best --plain-http --metric accuracy "$R"
expect_rc 0
expect_err_empty
expect_out <<END
v2  $v2  accuracy=0.91  (higher is better; 3 runs compared)
parameters: {"lr":0.3}
END
run xp best --plain-http --metric accuracy --where lr=0.1 --emit-params next.yaml "$R"
expect_rc 0
expect_out_has "v3  $v3  accuracy=0.87  (higher is better; 2 runs compared)"
cat >want.yaml <<END
# The best recorded run of $R by accuracy (higher is better):
# release v3 ($v3), experiment exp-v3, accuracy = 0.87.
# Merge into the next experiment record as its starting point.
runs:
  - id: best-v3
    parameters: {"lr":0.1}
    metrics: {"accuracy":0.87,"latency_ms":80}
END
expect_file_same want.yaml next.yaml
# the fragment makes a valid record with a header and a selected run
{ printf 'apiVersion: xpship/v1\nkind: Experiment\nmetadata: {name: churn, id: next}\n'
  printf 'objective: {metric: accuracy, direction: maximize}\nselected: best-v3\n'
  cat next.yaml; } >next-exp.yaml
xp validate next-exp.yaml >/dev/null || fail "the fragment does not make a valid record: $(xp validate next-exp.yaml 2>&1)"
run xp best --plain-http --metric accuracy --lower "$R"
expect_out_has "v1  $v1  accuracy=0.8  (lower is better; 3 runs compared)"
# nothing matches
run xp best --plain-http --metric accuracy --where lr=0.7 "$R"
expect_rc 1
expect_err <<END
xpship: error: no release of '$R' records 'accuracy' with those parameters
END
run xp best --plain-http "$R"
expect_rc 2
expect_err_has "xpship: error: missing --metric M"
