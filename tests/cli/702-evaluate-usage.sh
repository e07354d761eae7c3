# `evaluate` usage errors (exit 2) and its help.
. "$TESTS_DIR/lib.sh"
printf 'label,score\n1,0.9\n0,0.2\n' >p.csv

usage() { # EXPECTED-FIRST-LINE ARGS...
	local want=$1; shift
	run xp evaluate "$@"
	expect_rc 2
	expect_out_empty
	printf '%s\nRun '"'"'xpship evaluate --help'"'"' for usage.\n' "$want" | expect_err
}
usage "xpship: error: missing --predictions FILE" --score score
usage "xpship: error: a binary task takes one of --score and --pred" -p p.csv
usage "xpship: error: a binary task takes one of --score and --pred" -p p.csv --score score --pred label
usage "xpship: error: invalid threshold '1.5': expected a number in [0, 1]" -p p.csv --score score --threshold 1.5
usage "xpship: error: invalid task 'ranking': expected binary, multiclass or regression" -p p.csv --task ranking
usage "xpship: error: invalid beta '0': expected a positive number" -p p.csv --score score --beta 0
usage "xpship: error: invalid format 'yml': expected text, json or yaml" -p p.csv --score score --format yml
usage "xpship: error: invalid delimiter ';;': expected one character" -p p.csv --score score -d ';;'
usage "xpship: error: unexpected argument 'extra'" -p p.csv --score score extra
usage "xpship: error: unknown option '--scroe' (did you mean '--score'?)" -p p.csv --scroe score

run xp evaluate --help
expect_rc 0
expect_out_has "usage: xpship evaluate --predictions FILE"
expect_out_has "  -g, --group COL"
run xp help evaluate
expect_rc 0
expect_out_has "usage: xpship evaluate"
run xp --help
expect_out_has "  evaluate     compute metrics from predictions"

# multiclass and regression take their own prediction options
usage "xpship: error: a multiclass task takes one of --scores and --pred" -p p.csv --task multiclass
usage "xpship: error: a multiclass task with --pred takes --classes" -p p.csv --task multiclass --pred score
usage "xpship: error: 2 classes but 3 score columns" -p p.csv --task multiclass --scores a,b,c --classes x,y
usage "xpship: error: a multiclass task takes 2 to 1000 classes" -p p.csv --task multiclass --scores a
usage "xpship: error: --score and --positive are for a binary task" -p p.csv --task multiclass --scores a,b --positive 1
usage "xpship: error: a regression task takes --pred (the predicted value)" -p p.csv --task regression --score score
usage "xpship: error: --scores is for a multiclass task" -p p.csv --score score --scores a,b
