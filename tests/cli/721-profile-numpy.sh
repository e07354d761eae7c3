# `profile` against numpy: count, missing, min, max, mean, std; histogram
# edges equal numpy.quantile while the KLL sketch is exact, else within its
# rank bound; top-K counts.
. "$TESTS_DIR/lib.sh"

run /usr/bin/python3 "$TESTS_DIR/helpers/drift_oracle.py" "$XPSHIP" profile
expect_rc 0
expect_out_has "ok profile 1 rows"
expect_out_has "ok profile 60000 rows"
expect_out_has "values match numpy"
