# `evaluate -o` writes a metrics file `gate --metrics` reads, fairness and
# per-group keys included; a failed run leaves no file behind; undefined
# metrics are warned about and left out.
. "$TESTS_DIR/lib.sh"

{
	echo 'label,score,sex'
	echo '1,0.9,F'
	echo '0,0.1,M'
	echo '1,0.4,F'
	echo '0,0.6,M'
	echo '1,0.6,M'
	echo '0,0.2,F'
} >p.csv
run xp evaluate -p p.csv --score score --group sex -o metrics.json
expect_rc 0
expect_err_empty
expect_out <<'END'
metrics:
  rows                       6
  skipped_rows               0
  accuracy                   0.666667
  balanced_accuracy          0.666667
  precision                  0.666667
  recall                     0.666667
  specificity                0.666667
  f1                         0.666667
  fbeta                      0.666667
  mcc                        0.333333
  roc_auc                    0.833333
  average_precision          0.805556
  log_loss                   0.462879
  brier                      0.156667
  ece                        0.200000
  support                    3
  prevalence                 0.500000
  selection_rate             0.500000
  tpr                        0.666667
  fpr                        0.333333

confusion_matrix:
  tn                                       2
  fp                                       1
  fn                                       1
  tp                                       2

by sex:
  group                      rows       accuracy selection_rate            tpr            fpr      precision             f1        roc_auc
  F                             3       0.666667       0.333333       0.500000              0              1       0.666667              1  (small)
  M                             3       0.666667       0.666667              1       0.500000       0.500000       0.666667       0.750000  (small)

fairness:
  sex.demographic_parity_difference        0.333333
  sex.demographic_parity_ratio             0.500000
  sex.equalized_odds_difference            0.500000
  sex.equalized_odds_ratio                 0
  sex.tpr_difference                       0.500000
  sex.fpr_difference                       0.500000
  sex.worst.selection_rate.F               0.333333
  sex.worst.tpr.F                          0.500000
  sex.worst.fpr.M                          0.500000
END
cat >policy.yaml <<'END'
version: 1
rules:
  - metric: accuracy
    min: 0.6
  - metric: fairness.sex.demographic_parity_difference
    direction: lower
    max: 0.2
  - metric: by_group.sex.F.small
    direction: lower
    max: 0
END
run xp gate --policy policy.yaml --metrics metrics.json
expect_rc 1
expect_out_has "fairness.sex.demographic_parity_difference"
expect_out_has "verdict: fail (1 passed, 2 failed"

# one class only: roc_auc left out with a warning, the rest written
printf 'label,score\n0,0.2\n0,0.7\n' >one.csv
run xp evaluate -p one.csv --score score -o one.json
expect_rc 0
expect_err <<'END'
xpship: warning: roc_auc: not defined: the labels hold one class only
END
grep -q '"roc_auc"' one.json && fail "roc_auc written for one class"
grep -q '"accuracy": 0.5,' one.json || fail "accuracy: $(cat one.json)"

# a failed run leaves the previous metrics untouched and no temporary file
cp metrics.json before.json
printf 'label,score\n1,x\n' >bad.csv
run xp evaluate -p bad.csv --score score -o metrics.json
expect_rc 3
expect_file_same before.json metrics.json
[ -z "$(ls -A | grep tmp)" ] || fail "temporary files left: $(ls -A)"
