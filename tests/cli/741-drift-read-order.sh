# drift reads a data reference and the current data at the same time when the
# reference's head settles every column's type: errors are still the ones a
# reading in order gives (the reference's first, then the usage checks, then
# the current data's), and a reference that cannot be read twice (standard
# input) or whose types settle late is read first, as before.
. "$TESTS_DIR/lib.sh"

/usr/bin/python3 - <<'PY' || fail "cannot make the inputs"
rows = lambda n, k, sh: "".join("%.3f,%d\n" % (((i * 7919) % 1000) / 100 - 5 + sh, i % 5)
                               for i in range(k, k + n))
open("ref.csv", "w").write("a,b\n" + rows(20000, 0, 0))
open("refbad.csv", "w").write("a,b\n" + rows(20000, 3, 0) + "1,2,3\n")
open("cur.csv", "w").write("a,b\n" + rows(5000, 11, 0.5))
open("curbad.csv", "w").write("a,b\n" + rows(100, 5, 0) + "x,1\n")
open("resv.csv", "w").write("a,columns\n1,2\n")
PY

# both sides malformed: the reference's error
run xp drift -r refbad.csv -c curbad.csv
expect_rc 3
expect_err <<'END'
refbad.csv:20002:5: error: ragged row: more than the header's 2 fields
END
run xp drift -r ref.csv -r refbad.csv -c cur.csv
expect_rc 3
expect_err <<'END'
refbad.csv:20002:5: error: ragged row: more than the header's 2 fields
END
run xp drift -r ref.csv -c curbad.csv
expect_rc 3
expect_err <<'END'
curbad.csv:102:1: error: column 'a': 'x' is not a number (the column is numeric; --categorical a reads it as categories)
END
# a usage error found in the reference's header comes before the current's
run xp drift -r resv.csv -c curbad.csv
expect_rc 2
expect_err <<'END'
xpship: error: column 'columns' has the name of a summary key: leave it out with --columns
Run 'xpship drift --help' for usage.
END
run xp drift -r ref.csv --columns a,z -c cur.csv
expect_rc 3
expect_err <<'END'
ref.csv:1:1: error: no column 'z' in the header ('a', 'b')
END
run xp drift -r ref.csv -c missing.csv
expect_rc 4
expect_err <<'END'
xpship: error: cannot open 'missing.csv': No such file or directory
END

# the same statistics whichever side comes from standard input
run xp drift -r ref.csv -c cur.csv -f json
expect_rc 0
cp "$T/.out" files.json
run_in ref.csv xp drift -r - -c cur.csv -f json
expect_rc 0
expect_file_same files.json "$T/.out"
run_in cur.csv xp drift -r ref.csv -c - -f json
expect_rc 0
expect_file_same files.json "$T/.out"
expect_eq 0.5 "$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["drift"]["share_drifted"])' files.json)" share_drifted
