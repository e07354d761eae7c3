# `evaluate --bootstrap N --seed S`: percentile intervals equal to those of
# scikit-learn on the same replicates (drawn as docs/evaluate.md specifies),
# the same bytes for the same seed whatever the thread timing, other bytes for
# another seed; `--baseline-predictions`: deltas, paired intervals and
# McNemar's exact test against scipy; rows that do not pair are refused.
. "$TESTS_DIR/lib.sh"

run /usr/bin/python3 "$TESTS_DIR/helpers/eval_oracle.py" "$XPSHIP" bootstrap
expect_rc 0
expect_out_has "ok bootstrap (300 rows, 40 replicates"
expect_out_has "ok mcnemar"

/usr/bin/python3 - <<'END'
import random
random.seed(5)
with open("p.csv", "w") as f:
    f.write("label,score,g\n")
    for i in range(2000):
        y = random.random() < 0.4
        s = min(1.0, max(0.0, random.gauss(0.35 + 0.3 * y, 0.2)))
        f.write("%d,%r,%s\n" % (y, s, random.choice("ab")))
END
for i in 1 2 3; do
	run xp evaluate -p p.csv --score score --group g --bootstrap 300 --seed 42 -o "m$i.json"
	expect_rc 0
done
expect_file_same m1.json m2.json
expect_file_same m1.json m3.json
grep -q '"ci": {' m1.json || fail "no ci in $(cat m1.json)"
run xp evaluate -p p.csv --score score --group g --bootstrap 300 --seed 43 -o m4.json
expect_rc 0
cmp -s m1.json m4.json && fail "another seed gave the same intervals"

# the baseline pairs by row order: counts and labels must agree
head -n 100 p.csv >short.csv
run xp evaluate -p p.csv --score score --baseline-predictions short.csv
expect_rc 3
expect_err <<'END'
xpship: error: the baseline predictions have 99 rows and the candidate's 2000: rows are paired by their order
END
awk 'NR == 3 { $0 = (substr($0, 1, 1) == "0" ? "1" : "0") substr($0, 2) } 1' p.csv >flipped.csv
run xp evaluate -p p.csv --score score --baseline-predictions flipped.csv
expect_rc 3
expect_err <<'END'
xpship: error: row 2 of the baseline predictions has another label or weight than the candidate's: rows are paired by their order
END
run xp evaluate -p p.csv --score score --bootstrap 0
expect_rc 2
expect_err_has "invalid bootstrap count '0'"
