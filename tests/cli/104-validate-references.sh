# Every class of reference finding: parameters outside the space, parameters the
# space lacks (with "did you mean"), the objective metric, metrics that do not
# load (positioned in the metrics file), the selected run and its status,
# whether it is the best run, and the number of runs planned.
. "$TESTS_DIR/lib.sh"
cp -r "$DATA"/experiment/refs.yaml "$DATA"/experiment/files .

run xp validate refs.yaml
expect_rc 1
expect_out <<'END'
refs.yaml: invalid: 8 errors, 8 warnings
END
expect_err <<'END'
refs.yaml:2:1: warning: missing recommended key 'code'
refs.yaml:2:1: warning: missing recommended key 'environment'
refs.yaml:2:1: warning: missing recommended key 'data'
refs.yaml:2:1: warning: missing recommended key 'model'
refs.yaml:8:9: warning: 'space.runs' plans 2 runs but the record has 7
refs.yaml:14:22: error: parameter 'lr' of run 'run-1' = 0.5 is outside the range [0.001, 0.1]
refs.yaml:14:34: error: parameter 'depth' of run 'run-1' = 5 is not one of [4, 6]
refs.yaml:14:37: error: run 'run-1' sets parameter 'learning_rate', which the search space does not declare (did you mean 'lr'?)
refs.yaml:17:17: warning: run 'run-2' does not set parameter 'depth' of the search space
refs.yaml:20:22: error: parameter 'lr' of run 'run-3' must be a number in [0.001, 0.1], found string 'fast'
refs.yaml:21:14: warning: objective metric 'accuracy' is not among the metrics of run 'run-3' (did you mean 'accurcy'?)
refs.yaml:25:25: error: metric 'accuracy' is not a finite number: .nan
refs.yaml:29:19: error: file 'files/missing.json' does not exist
refs.yaml:32:17: error: 'files/train.csv' is not a directory (an MLflow run)
refs.yaml:36:11: warning: selected run 'run-2' is not the best by 'accuracy' (maximize): run 'run-1' has 0.95, 'run-2' has 0.9
files/bad-metrics.json:2:15: error: metric 'accuracy' must be a number, found string 'high'
END

# the selected run: unknown (with a suggestion), failed, running, best or not
cat > sel.yaml <<'YAML'
apiVersion: xpship/v1
kind: Experiment
metadata: {name: t, id: t, owner: o, created: 2026-11-20T09:30:00Z}
objective: {metric: loss, direction: minimize}
code: {repository: 'git@github.com:example/t.git', commit: 3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e}
environment: {image: 'registry.example/t@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'}
data: []
model: {name: t, version: '1.0', files: [{path: files/model.bin, digest: 'sha256:3dd31cceab2bc9cd1896772e4b156ec7947356a9694379a85726a5d666db086a'}]}
runs:
  - {id: run-1, metrics: {loss: 0.2}}
  - {id: run-2, status: failed, metrics: {loss: 0.1}}
  - {id: run-3, status: running, metrics: {loss: 0.3}}
selected: rn-1
YAML
run xp validate sel.yaml
expect_rc 1
expect_err <<'END'
sel.yaml:13:11: error: selected run 'rn-1' is not among the record's runs (did you mean 'run-1'?)
END
sed -i 's/^selected: .*/selected: run-2/' sel.yaml
run xp validate sel.yaml
expect_rc 1
expect_err <<'END'
sel.yaml:11:25: error: selected run 'run-2' has status 'failed'
END
sed -i 's/^selected: .*/selected: run-3/' sel.yaml
run xp validate sel.yaml
expect_rc 0
expect_out <<'END'
sel.yaml: valid, 2 warnings
END
expect_err <<'END'
sel.yaml:12:25: warning: selected run 'run-3' is still running
sel.yaml:13:11: warning: selected run 'run-3' is not the best by 'loss' (minimize): run 'run-1' has 0.2, 'run-3' has 0.3
END
# a failed run does not count as the best
sed -i 's/^selected: .*/selected: run-1/' sel.yaml
run xp validate sel.yaml
expect_rc 0
expect_out <<'END'
sel.yaml: valid
END
expect_err_empty

# strategy single plans one run
cat > single.yaml <<'YAML'
apiVersion: xpship/v1
kind: Experiment
metadata: {name: t, id: t, owner: o, created: 2026-11-20T09:30:00Z}
objective: {metric: a, direction: maximize}
space: {strategy: single}
runs: [{id: r1, metrics: {a: 1}}, {id: r2, metrics: {a: 0}}]
selected: r1
x-origin: extension keys are allowed at every level
YAML
run xp validate single.yaml
expect_rc 0
expect_err_has "single.yaml:5:19: warning: strategy 'single' plans one run but the record has 2"
exit 0
