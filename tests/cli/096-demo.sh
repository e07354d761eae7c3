# The demo end to end, four times over one state directory: a first release
# against an empty registry, a second run gating against the champion the first
# promoted, a worse candidate that the gate stops (then history, the diff of the
# two champions and the rollback to the first, verified), and the layout-store
# fallback. What the registry holds is checked after the demo has
# stopped it, by starting it again on the same storage and asking skopeo.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"

demo() { XPSHIP_DEMO_DIR=$T/d bash "$TESTS_DIR/../templates/demo/demo.sh" "$XPSHIP"; }
registry_procs() { pgrep -f "docker-registry serve $T/d/" || true; }

# --- first run: no champion yet --------------------------------------------
run demo
expect_rc 0
expect_out_has "work/experiment.yaml: valid"
expect_err_has "no champion at '127.0.0.1:"
expect_out_has "verdict: pass (6 passed, 0 failed, 0 warned, 3 skipped)"
# the selected run's metrics are evaluated from the example's predictions
expect_out_has "$ xpship evaluate --predictions work/example/predictions.csv"
expect_out_has "fairness.sex.equalized_odds_difference  max "
expect_file_same "$TESTS_DIR/../templates/example/metrics/run-2.json" "$T/d/work/example/metrics/run-2.json"
expect_out_has "verdict        ok     pass"
expect_out_has "champion     none (first release)"
first=$(sed -n 's/^promoted .* -> \(sha256:[0-9a-f]\{64\}\)$/\1/p' "$T/.out")
[ -n "$first" ] || fail "no promoted digest in the summary"
expect_out_has "bundle       rc-"
# generated tags are lowercase (podman load refuses an archive tag with capitals)
tag=$(sed -n 's/^bundle  *\(rc-[^ ]*\).*/\1/p' "$T/.out" | head -n 1)
[ -n "$tag" ] && [ "$tag" = "$(printf '%s' "$tag" | tr 'A-Z' 'a-z')" ] || fail "demo tag '$tag' is not lowercase"
expect_eq "" "$(registry_procs)" "registry processes left by the demo"
[ -f "$T/d/keys/demo.key" ] && [ -f "$T/d/keys/demo.pub" ] || fail "no demo key pair"
[ "$(stat -c %a "$T/d/keys/demo.key")" = 600 ] || fail "demo key not 0600"
grep -q '"verdict": "pass"' "$T/d/run/decision.json" || fail "no passing decision record"

# --- second run: gates against the first run's champion ---------------------
run demo
expect_rc 0
expect_err_lacks "no champion"
expect_out_has "accuracy                                max_abs_regression  0.931                 0.931                 0.005      pass"
expect_out_has "ci.accuracy.low                         min                 0.915                 0.915                 0.9        pass"
expect_out_has "warn: f1 min_abs_change"
expect_out_has "champion     $first"
second=$(sed -n 's/^promoted .* -> \(sha256:[0-9a-f]\{64\}\)$/\1/p' "$T/.out")
[ -n "$second" ] && [ "$second" != "$first" ] || fail "second run promoted '$second' (first: $first)"
python3 - "$T/d/run/decision.json" "$first" <<'PY' || fail "decision record lacks the champion"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["baseline"]["digest"] == sys.argv[2], d["baseline"]
PY

# --- a worse candidate: the gate fails, nothing is promoted ------------------
# ten positives fall below the threshold (no negative scores near them, so the
# ROC AUC stays), and the record states the accuracy they evaluate to
sed -i 's/^      accuracy: 0.931$/      accuracy: 0.921/' "$T/d/work/experiment.yaml"
grep -q '^      accuracy: 0.921$' "$T/d/work/experiment.yaml" || fail "could not edit the metrics"
sed -i 's/,0\.51\([0-9]\)0,/,0.49\10,/' "$T/d/work/example/predictions.csv"
[ "$(grep -c ',0\.49[0-9]0,' "$T/d/work/example/predictions.csv")" = 10 ] || fail "could not edit the predictions"
run demo
expect_rc 1
expect_out_has "accuracy                                max_abs_regression  0.921                 0.931                 0.005      fail"
expect_out_has "demo: the gate failed: the candidate is not released; the champion stays"
expect_out_has "($second)"
expect_out_lacks "== 3. pack"
expect_eq "" "$(registry_procs)" "registry processes left by the demo"
# then the history, the diff of the two champions and the rollback to the first
expect_out_has "== history: the releases of "
expect_out_has "  $second  "
expect_out_has "promote, verified"
expect_out_has "== diff: the previous champion against the current one"
expect_out_has "A  127.0.0.1:"
expect_out_has "@$first  $first"
expect_out_has "@$second  $second"
expect_out_has "== rollback: prod back to the previous champion, verified and recorded"
expect_out_has "rolled back  "
expect_out_has " -> $first (from $second)"

# the registry storage the demo keeps: prod is the first run's bundle again
REG_DATA_DIR=$T/d/registry-data reg_start plain check || fail "registry did not start"
expect_eq "$first" "$(reg_skopeo_digest "$REG_ADDR/demo/churn-classifier:prod")" "prod digest"
run xp verify --plain-http --key "$T/d/keys/demo.pub" --require-verdict pass \
	"$REG_ADDR/demo/churn-classifier:prod"
expect_rc 0
reg_stop_all

# --- no registry: the local layout store -------------------------------------
layout() { XPSHIP_DEMO_DIR=$T/l XPSHIP_DEMO_REGISTRY=layout \
	bash "$TESTS_DIR/../templates/demo/demo.sh" "$XPSHIP"; }
run layout
expect_rc 0
expect_out_has "champion store: OCI layout store store/"
expect_out_has "champion     none (first release)"
lfirst=$(sed -n 's/^promoted .* -> \(sha256:[0-9a-f]\{64\}\)$/\1/p' "$T/.out")
[ -n "$lfirst" ] || fail "layout: no promoted digest in the summary"
run layout
expect_rc 0
expect_out_has "champion     $lfirst"
lsecond=$(sed -n 's/^promoted .* -> \(sha256:[0-9a-f]\{64\}\)$/\1/p' "$T/.out")
[ -n "$lsecond" ] && [ "$lsecond" != "$lfirst" ] || fail "layout: second promotion '$lsecond'"
skopeo inspect --raw "oci:$T/l/store:prod" >"$T/prod.json" 2>"$T/skopeo.err" ||
	fail "skopeo cannot read the layout store: $(cat "$T/skopeo.err")"
expect_eq "$lsecond" "sha256:$(sha256sum <"$T/prod.json" | cut -d' ' -f1)" "layout prod digest"
exit 0
