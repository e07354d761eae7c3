# `evaluate --curves FILE`: the ROC and precision-recall curves' points against
# scikit-learn 1.2's roc_curve (drop_intermediate) and precision_recall_curve
# (tests/helpers/eval_oracle.py curves), ties and weights included; the
# document's exact bytes on a small set; curves need binary scores.
. "$TESTS_DIR/lib.sh"

run /usr/bin/python3 "$TESTS_DIR/helpers/eval_oracle.py" "$XPSHIP" curves
expect_rc 0
expect_out_has "ok curves curves-ties-weighted (1500 rows, 12 roc points)"
expect_out_has "ok curves curves-all-negative (50 rows, 0 roc points)"
expect_out_has "values match scikit-learn"

printf 'label,score\n1,0.9\n0,0.1\n1,0.4\n0,0.6\n1,0.6\n0,0.2\n' >p.csv
run xp evaluate -p p.csv --score score --curves c.json -f json
expect_rc 0
expect_err_empty
cat >want.json <<'END'
{
  "roc": {
    "fpr": [0, 0, 0.3333333333333333, 0.3333333333333333, 1],
    "tpr": [0, 0.3333333333333333, 0.6666666666666666, 1, 1],
    "thresholds": [1.9, 0.9, 0.6, 0.4, 0.1]
  },
  "precision_recall": {
    "precision": [0.5, 0.6, 0.75, 0.6666666666666666, 1, 1],
    "recall": [1, 1, 1, 0.6666666666666666, 0.3333333333333333, 0],
    "thresholds": [0.1, 0.2, 0.4, 0.6, 0.9]
  }
}
END
expect_file_same want.json c.json

# one class: no ROC curve, a warning names it
printf 'label,score\n0,0.2\n0,0.7\n' >one.csv
run xp evaluate -p one.csv --score score --curves c1.json -f json
expect_rc 0
expect_err <<'END'
xpship: warning: roc_auc: not defined: the labels hold one class only
xpship: warning: curves.roc: not defined: the labels hold one class only
END
grep -q '"roc"' c1.json && fail "roc curve written for one class: $(cat c1.json)"

run xp evaluate -p p.csv --pred label --curves c2.json
expect_rc 2
expect_err_has "xpship: error: --curves takes a binary task with --score"
[ ! -e c2.json ] || fail "curves written on a usage error"
