# The shipped example's metrics (templates/example/metrics/run-2.json) are what
# `evaluate` computes from its predictions (templates/example/predictions.csv)
# with the command templates/gate.yaml names, byte for byte; the shipped
# policy's fairness and confidence rules fail a candidate that breaks them.
. "$TESTS_DIR/lib.sh"
TPL=$TESTS_DIR/../templates
cp -r "$TPL/gate.yaml" "$TPL/experiment.yaml" "$TPL/example" .

run xp evaluate --predictions example/predictions.csv --score score --group sex \
	--bootstrap 1000 -o m.json
expect_rc 0
expect_err_empty
expect_file_same "$TPL/example/metrics/run-2.json" m.json
expect_out_has "  M                           500       0.944000       0.516000       0.960000       0.072000"
grep -q 'predictions.csv \\$' gate.yaml || fail "the policy no longer names the evaluate command"

# unfair: every false positive is a man's (the women's become men's, as many
# men's true negatives become women's): the accuracy and its interval stay,
# the false positive rates part
awk -F, 'NR > 1 && $2 == 0 && $3 >= 0.5 && $4 == "F" { $4 = "M"; n++ }
	NR > 1 && $2 == 0 && $3 < 0.3 && $4 == "M" && m < 21 { $4 = "F"; m++ } 1' OFS=, \
	"$TPL/example/predictions.csv" >unfair.csv
run xp evaluate --predictions unfair.csv --score score --group sex --bootstrap 1000 -o unfair.json
expect_rc 0
run xp gate --policy gate.yaml --metrics unfair.json
expect_rc 1
expect_out_has "fairness.sex.equalized_odds_difference  max                 0.156 "
expect_out_has "fail: fairness.sex.equalized_odds_difference max (gate.yaml:55)"
expect_out_lacks "fail: ci.accuracy.low"

# unsure: the first 150 rows only; the interval's lower end falls under 0.9
head -n 151 "$TPL/example/predictions.csv" >few.csv
run xp evaluate --predictions few.csv --score score --group sex --bootstrap 1000 -o few.json
expect_rc 0
run xp gate --policy gate.yaml --metrics few.json
expect_rc 1
expect_out_has "fail: ci.accuracy.low min (gate.yaml:60)"
expect_out_lacks "fail: fairness"
