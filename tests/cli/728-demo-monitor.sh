# The demo's monitoring step (templates/demo/demo.sh, last block): the shipped
# production sample passes the monitoring policy, the one with monthly_charges
# shifted fails it, and the HTML reports are left in run/.
. "$TESTS_DIR/lib.sh"

run env XPSHIP_DEMO_DIR="$T/d" XPSHIP_DEMO_REGISTRY=layout \
	bash "$TESTS_DIR/../templates/demo/demo.sh" "$XPSHIP"
expect_rc 0
expect_out_has "== 8. monitor production data: drift against the training data's profile"
expect_out_has "monitor      production.csv passes; production-shifted.csv fails: monthly_charges drifted"
grep -q '"drifted": 1' "$T/d/run/drift-shifted.json" || fail "no drifted column in the shifted sample's metrics"
grep -q '"drifted_columns": 0' "$T/d/run/drift-ok.json" || fail "drift in the unshifted sample"
[ -s "$T/d/run/drift-shifted.html" ] || fail "no HTML report"
