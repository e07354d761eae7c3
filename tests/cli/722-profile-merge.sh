# `profile merge`: merge(profile(A), profile(B)) against profile(A+B): counts,
# min and max exact, mean and std to 1e-12, edges within the sketch's bound,
# top-K exact while the categories fit, the sample drawn from both parts in
# proportion.
. "$TESTS_DIR/lib.sh"

run /usr/bin/python3 "$TESTS_DIR/helpers/drift_oracle.py" "$XPSHIP" merge
expect_rc 0
expect_out_has "ok merge 100+50 rows (sample 0)"
expect_out_has "ok merge 40000+25000 rows (sample 1000)"
expect_out_has "values match the whole's profile"

# profiles that do not merge
printf 'a,b\n1,x\n' >a.csv
printf 'a\n1\n' >b.csv
xp profile -o pa.json a.csv
xp profile -o pb.json b.csv
run xp profile merge -o bad.json pa.json pb.json
expect_rc 3
expect_err <<'END'
xpship: error: profile 'pb.json': 1 columns, the first profile has 2
END
printf 'a,b\nx,y\n' >c.csv
xp profile -o pc.json c.csv
run xp profile merge pa.json pc.json
expect_rc 3
expect_err <<'END'
xpship: error: profile 'pc.json': column 'a' is categorical, the first profile's is numeric
END
test ! -e bad.json || fail "a failed merge wrote its output"
