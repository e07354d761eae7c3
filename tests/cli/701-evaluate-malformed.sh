# `evaluate` refuses malformed predictions with exit 3 and the file, line and
# column of the offending field; --skip-invalid counts value errors instead.
. "$TESTS_DIR/lib.sh"

check() { # FILE-CONTENT EXPECTED-STDERR [ARGS...]
	local content=$1 want=$2; shift 2
	printf '%b' "$content" >p.csv
	run xp evaluate -p p.csv "$@"
	expect_rc 3
	expect_out_empty
	printf '%s\n' "$want" | expect_err
}

check 'label,score\n1,0.9\n0,abc\n' "p.csv:3:3: error: column 'score': 'abc' is not a number" --score score
check 'label,score\n1,0.9\n0,\n' "p.csv:3:3: error: column 'score': missing value" --score score
check 'label,score\n1,0.9\n0,1.5\n' "p.csv:3:3: error: column 'score': score 1.5 is not a probability in [0, 1]" --score score
check 'label,score\n1,0.9\n2,0.5\n' "p.csv:3:1: error: column 'label': label '2' is neither the positive '1' nor the negative '0' (a binary task has two classes)" --score score
check 'label,score\n1,0.9\n0,0.5,7\n' "p.csv:3:7: error: ragged row: more than the header's 2 fields" --score score
check 'label,score\n1,0.9\n0\n' "p.csv:3:2: error: ragged row: 1 field, the header has 2" --score score
check 'label,score\n1,"0.9\n' "p.csv:2:3: error: quoted field not closed before the end of the input" --score score
check 'label,score\n1,0.9\n' "p.csv:1:1: error: no column 'prob' in the header ('label', 'score')" --score prob
check 'label,score,w\n1,0.9,-1\n' "p.csv:2:7: error: column 'w': weight -1 is negative" --score score --weight w
check 'label,score,g\n1,0.9,\n' "p.csv:2:7: error: column 'g': missing value" --score score --group g
check 'label,score\n' "xpship: error: no rows to evaluate in 'p.csv'" --score score
check '' "p.csv:1:1: error: empty input: no header row" --score score
check 'label,score,w\n1,0.9,0\n' "xpship: error: the weights in 'p.csv' sum to zero" --score score --weight w

# JSON Lines: jansson's own message at the line and column
printf '{"label":1,"score":0.9}\n{"label":0,"score":}\n' >p.jsonl
run xp evaluate -p p.jsonl --score score
expect_rc 3
expect_err <<'END'
p.jsonl:2:20: error: unexpected token near '}'
END

# --skip-invalid: value errors are counted, structure errors still fail
printf 'label,score\n1,0.9\n0,abc\n2,0.1\n0,0.2\n1,\n' >p.csv
run xp evaluate -p p.csv --score score --skip-invalid -f json
expect_rc 0
expect_out_has '"rows": 2,'
expect_out_has '"skipped_rows": 3,'
printf 'label,score\n1,0.9\n0,0.5,7\n' >p.csv
run xp evaluate -p p.csv --score score --skip-invalid
expect_rc 3
expect_err_has "p.csv:3:7: error: ragged row"
printf 'label,score\n1,x\n' >p.csv
run xp evaluate -p p.csv --score score --skip-invalid
expect_rc 3
expect_err <<'END'
xpship: error: no rows to evaluate in 'p.csv' (every row was invalid)
END

# an unreadable file is a local error
run xp evaluate -p missing.csv --score score
expect_rc 4
expect_err_has "cannot open 'missing.csv'"

# multiclass: a label outside the classes, a probability out of range
check 'label,a,b\n0,0.5,0.5\n2,0.5,0.5\n' "p.csv:3:1: error: column 'label': label '2' is not one of the 2 classes" --task multiclass --scores a,b
check 'label,a,b\n0,0.5,1.5\n' "p.csv:2:7: error: column 'b': score 1.5 is not a probability in [0, 1]" --task multiclass --scores a,b
# regression: a prediction that is not a number
check 'label,pred\n1.5,2\n2,x\n' "p.csv:3:3: error: column 'pred': 'x' is not a number" --task regression --pred pred
