# The per-group table in Markdown: `evaluate` under GitHub Actions appends its
# report (metrics with intervals, per-group table, disparities) to the job
# summary, and `gate --summary` (and the gate's job summary) shows the
# candidate's per-group table after the rules.
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
: >summary.md
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$PWD/summary.md \
	run xp evaluate -p p.csv --score score --group sex -o m.json
expect_rc 0
cat >want.md <<'END'
## xpship evaluate

6 rows evaluated, 0 skipped

| Metric | Value |
| --- | ---: |
| `accuracy` | 0.6666666666666666 |
| `balanced_accuracy` | 0.6666666666666666 |
| `precision` | 0.6666666666666666 |
| `recall` | 0.6666666666666666 |
| `specificity` | 0.6666666666666666 |
| `f1` | 0.6666666666666666 |
| `fbeta` | 0.6666666666666666 |
| `mcc` | 0.3333333333333333 |
| `roc_auc` | 0.8333333333333334 |
| `average_precision` | 0.8055555555555555 |
| `log_loss` | 0.46287861169069383 |
| `brier` | 0.15666666666666668 |
| `ece` | 0.20000000000000004 |
| `support` | 3 |
| `prevalence` | 0.5 |
| `selection_rate` | 0.5 |
| `tpr` | 0.6666666666666666 |
| `fpr` | 0.3333333333333333 |

### By group: `sex`

| Group | rows | accuracy | selection_rate | tpr | fpr | precision | f1 | roc_auc |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| `F` (small) | 3 | 0.6666666666666666 | 0.3333333333333333 | 0.5 | 0 | 1 | 0.6666666666666666 | 1 |
| `M` (small) | 3 | 0.6666666666666666 | 0.6666666666666666 | 1 | 0.5 | 0.5 | 0.6666666666666666 | 0.75 |

- `fairness.sex.demographic_parity_difference`: 0.3333333333333333
- `fairness.sex.demographic_parity_ratio`: 0.5
- `fairness.sex.equalized_odds_difference`: 0.5
- `fairness.sex.equalized_odds_ratio`: 0
- `fairness.sex.tpr_difference`: 0.5
- `fairness.sex.fpr_difference`: 0.5
END
expect_file_same want.md summary.md

# without GitHub Actions, no summary is written
: >quiet.md
GITHUB_STEP_SUMMARY=$PWD/quiet.md run xp evaluate -p p.csv --score score --group sex
expect_rc 0
[ ! -s quiet.md ] || fail "summary written outside GitHub Actions"

# intervals and deltas get their columns
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$PWD/boot.md \
	run xp evaluate -p p.csv --score score --bootstrap 50 --baseline-predictions p.csv
expect_rc 0
grep -qF '| Metric | Value | CI low | CI high | Delta | Delta CI low | Delta CI high |' boot.md ||
	fail "no interval columns: $(cat boot.md)"
grep -qF "| \`accuracy\` | 0.6666666666666666 |" boot.md || fail "accuracy row: $(cat boot.md)"
grep -qF "McNemar's exact test against the baseline: p = 1" boot.md || fail "McNemar: $(cat boot.md)"

# the gate's Markdown: the rules, then the candidate's groups
cat >policy.yaml <<'END'
version: 1
rules:
  - metric: fairness.sex.equalized_odds_difference
    direction: lower
    max: 0.2
END
: >gh.md
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$PWD/gh.md GITHUB_OUTPUT=$PWD/out.txt \
	run xp gate --policy policy.yaml --metrics m.json --summary gate.md
expect_rc 1
sed -n '/^### By group/,$p' want.md >groups.md
sed -n '/^### By group/,$p' gate.md >got.md
expect_file_same groups.md got.md
expect_file_same gate.md gh.md
grep -q '^| `fairness.sex.equalized_odds_difference` | `max` | 0.5 |' gate.md ||
	fail "rule row: $(cat gate.md)"
