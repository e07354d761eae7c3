# `evaluate --baseline-predictions FILE --id COL`: the champion's rows are
# paired with the candidate's by id, not by order: a shuffled baseline gives
# the same bytes (deltas, paired intervals, McNemar) as the baseline in the
# candidate's order; a duplicate, missing or unknown id, or a pair whose
# labels differ, is malformed input (exit 3) at its position.
. "$TESTS_DIR/lib.sh"

/usr/bin/python3 - <<'END'
import random
random.seed(7)
rows = []
for i in range(500):
    y = random.random() < 0.4
    rows.append(("r%03d" % i, int(y), random.random() * 0.6 + 0.35 * y,
                 random.random() * 0.6 + 0.3 * y))
with open("cand.csv", "w") as f:
    f.write("id,label,score\n")
    for r in rows:
        f.write("%s,%d,%r\n" % (r[0], r[1], r[2]))
with open("base.csv", "w") as f:
    f.write("label,score,id\n")
    for r in rows:
        f.write("%d,%r,%s\n" % (r[1], r[3], r[0]))
random.shuffle(rows)
with open("shuffled.csv", "w") as f:
    f.write("label,score,id\n")
    for r in rows:
        f.write("%d,%r,%s\n" % (r[1], r[3], r[0]))
END
args="-p cand.csv --score score --bootstrap 200 --seed 3 -f json"
run xp evaluate $args --baseline-predictions base.csv
expect_rc 0
cp "$T/.out" ordered.json
grep -q '"mcnemar": {' ordered.json || fail "no paired comparison: $(cat ordered.json)"
run xp evaluate $args --baseline-predictions shuffled.csv --id id
expect_rc 0
expect_file_same ordered.json "$T/.out"
# by order, the shuffled file does not pair
run xp evaluate $args --baseline-predictions shuffled.csv
expect_rc 3
expect_err_has "of the baseline predictions has another label or weight than the candidate's: rows are paired by their order"

check() { # BASELINE-CONTENT EXPECTED-STDERR [CANDIDATE-CONTENT]
	printf '%b' "${3:-id,label,score\na,1,0.9\nb,0,0.1\nc,1,0.4\n}" >c.csv
	printf '%b' "$1" >b.csv
	run xp evaluate -p c.csv --score score --baseline-predictions b.csv --id id
	expect_rc 3
	expect_out_empty
	printf '%s\n' "$2" | expect_err
}
check 'id,label,score\nc,1,0.3\nb,0,0.2\nc,1,0.6\na,1,0.7\n' "b.csv:4:1: error: column 'id': id 'c' is also on line 2"
check 'id,label,score\nc,1,0.3\na,1,0.7\n' "c.csv:3:1: error: column 'id': id 'b' has no row in the baseline predictions"
check 'id,label,score\nc,1,0.3\nb,0,0.2\nx,1,0.6\n' "b.csv:4:1: error: column 'id': id 'x' is not among the candidate's predictions"
check 'id,label,score\nc,1,0.3\nb,0,0.2\na,1,0.6\n' "c.csv:3:1: error: column 'id': id 'a' is also on line 2" 'id,label,score\na,1,0.9\na,0,0.1\nc,1,0.4\n'
check 'label,score,id\n1,0.3,c\n1,0.2,b\n1,0.6,a\n' "b.csv:3:1: error: the row of id 'b' has another label or weight than the candidate's (c.csv:3)"
check 'id,label,score\nc,1,0.3\n,0,0.2\na,1,0.6\n' "b.csv:3:1: error: column 'id': missing value"
check 'label,score\n1,0.3\n' "b.csv:1:1: error: no column 'id' in the header ('label', 'score')"

run xp evaluate -p c.csv --score score --id id
expect_rc 2
expect_err_has "xpship: error: --id pairs --baseline-predictions: give both"
