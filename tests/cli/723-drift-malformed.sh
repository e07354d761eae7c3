# Malformed data and profiles: exit 3 with file:line:col; usage errors exit 2.
. "$TESTS_DIR/lib.sh"

printf 'a,b\n1,x\n2,y\n' >ok.csv
printf 'a,b\n1,x\n2,y\nabc,z\n' >bad.csv
printf 'a,b\n1,x\n2\n' >rag.csv

run xp profile bad.csv
expect_rc 3
expect_out_empty
expect_err <<'END'
bad.csv:4:1: error: column 'a': 'abc' is not a number (the column is numeric; --categorical a reads it as categories)
END
run xp profile --categorical a -o p.json bad.csv
expect_rc 0

run xp drift -r ok.csv -c bad.csv
expect_rc 3
expect_err <<'END'
bad.csv:4:1: error: column 'a': 'abc' is not a number (the column is numeric; --categorical a reads it as categories)
END
run xp drift -r ok.csv -c rag.csv
expect_rc 3
expect_err <<'END'
rag.csv:3:2: error: ragged row: 1 field, the header has 2
END
printf 'a\n1\n' >onlya.csv
run xp drift -r ok.csv -c onlya.csv
expect_rc 3
expect_err <<'END'
onlya.csv:1:1: error: no column 'b' in the header ('a')
END

# profiles: JSON syntax and schema errors at their position
printf '{"xpship_profile": 1, "rows": 2,}\n' >p1.json
run xp drift -r p1.json -c ok.csv
expect_rc 3
expect_err_has 'p1.json:1:'
printf '{"xpship_profile": 1, "rows": 2}\n' >p2.json
run xp drift -r p2.json -c ok.csv
expect_rc 3
expect_err <<'END'
p2.json:1:1: error: profile: missing key 'options'
END
cat >p3.json <<'JSON'
{"xpship_profile": 1, "rows": 2,
 "options": {"bins": 10, "top_k": 5, "sketch_k": 200, "sample": 0, "seed": 0},
 "columns": {"a": {"type": "numeric", "count": 2, "missing": 0, "min": 1, "max": 2,
                   "mean": 1.5, "m2": 0.5, "sketch": {"levels": [[1]]}}}}
JSON
run xp drift -r p3.json -c ok.csv
expect_rc 3
expect_err <<'END'
p3.json:4:65: error: sketch.levels: the levels' weights do not add up to the column's count
END
sed 's/"numeric"/"text"/' p3.json >p4.json
run xp drift -r p4.json -c ok.csv
expect_rc 3
expect_err <<'END'
p4.json:3:28: error: type: expected numeric or categorical
END
printf '{"xpship_profile": 2}\n' >p5.json
run xp profile merge p5.json p5.json
expect_rc 3
expect_err <<'END'
p5.json:1:20: error: xpship_profile: unsupported profile version (expected 1)
END

# usage
run xp drift -r ok.csv
expect_rc 2
expect_err <<'END'
xpship: error: missing --current DATA
Run 'xpship drift --help' for usage.
END
run xp drift -c ok.csv
expect_rc 2
expect_err_has 'missing --reference PROFILE|DATA|BUNDLE'
xp profile -o pok.json ok.csv
run xp drift -r pok.json -c ok.csv --columns q
expect_rc 2
expect_err <<'END'
xpship: error: no column 'q' in the reference 'pok.json'
Run 'xpship drift --help' for usage.
END
run xp drift -r ok.csv -c ok.csv --alpha 2
expect_rc 2
expect_err_has "invalid alpha '2'"
run xp profile --bins 0 ok.csv
expect_rc 2
expect_err_has "invalid bins '0'"
run xp profile
expect_rc 2
expect_err_has "missing DATA"
printf '{"a":1}\n' >d.jsonl
run xp profile d.jsonl
expect_rc 2
expect_err_has "JSON Lines input 'd.jsonl' needs --columns"
run xp profile --columns a d.jsonl
expect_rc 0
expect_out_has '"count": 1,'
run xp profile nothere.csv
expect_rc 4
expect_err <<'END'
xpship: error: cannot open 'nothere.csv': No such file or directory
END
