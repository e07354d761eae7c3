# `drift` against scipy as the oracle: generated reference/current pairs
# (normal, shifted, heavy-tailed, constant, all-missing, ties, single rows,
# unseen categories, sizes for the exact and the asymptotic KS p-value); PSI,
# JS, KS, Wasserstein and chi-square to 1e-9, p-values to 1e-6, the quality
# shares and the default drift rule.
. "$TESTS_DIR/lib.sh"

run /usr/bin/python3 "$TESTS_DIR/helpers/drift_oracle.py" "$XPSHIP" drift
expect_rc 0
expect_out_has "ok shifted (1500/1000 rows, 2 drifted)"
expect_out_has "ok large-vs-tiny (10001/7 rows, 1 drifted)"
expect_out_has "values match scipy"
