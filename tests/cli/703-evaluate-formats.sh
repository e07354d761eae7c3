# `evaluate` reads the same predictions as CSV, CSV with ';', TSV, JSON Lines,
# gzip and zstd (found from the content), and standard input: every output is
# the same bytes.
. "$TESTS_DIR/lib.sh"

{
	echo 'id,label,score,group'
	echo '1,1,0.91,"a, b"'
	echo '2,0,0.12,c'
	echo '3,1,0.47,c'
	echo '4,0,0.5,"a, b"'
	echo '5,1,0.75,c'
	echo '6,0,0.33,"a, b"'
} >p.csv
args="--score score --group group -f json"
run xp evaluate -p p.csv $args
expect_rc 0
cp "$T/.out" want.json
grep -q '"a, b": {' want.json || fail "group value with a comma: $(cat want.json)"

sed 's/,/;/g; s/"a; b"/"a, b"/' p.csv >p.semi
run xp evaluate -p p.semi -d ';' $args
expect_rc 0
expect_file_same want.json "$T/.out"

sed 's/"a, b"/a, b/; s/,/\t/g; s/a\t b/a, b/' p.csv >p.tsv
run xp evaluate -p p.tsv $args
expect_rc 0
expect_file_same want.json "$T/.out"

cat >p.jsonl <<'END'
{"id": 1, "label": 1, "score": 0.91, "group": "a, b"}
{"id": 2, "label": 0, "score": 0.12, "group": "c"}
{"id": 3, "label": 1, "score": 0.47, "group": "c"}

{"id": 4, "label": 0, "score": 0.5, "group": "a, b"}
{"id": 5, "label": 1, "score": 0.75, "group": "c"}
{"id": 6, "label": 0, "score": 0.33, "group": "a, b"}
END
run xp evaluate -p p.jsonl $args
expect_rc 0
expect_file_same want.json "$T/.out"

gzip -c p.csv >p.csv.gz
run xp evaluate -p p.csv.gz $args
expect_rc 0
expect_file_same want.json "$T/.out"
zstd -q -c p.jsonl >p.jsonl.zst
run xp evaluate -p p.jsonl.zst $args
expect_rc 0
expect_file_same want.json "$T/.out"

run_in p.csv.gz xp evaluate -p - $args
expect_rc 0
expect_file_same want.json "$T/.out"
run_in p.jsonl xp evaluate -p - --input-format jsonl $args
expect_rc 0
expect_file_same want.json "$T/.out"

# a corrupt compressed stream is malformed input, not a short table
head -c 40 p.csv.gz >bad.csv.gz
run xp evaluate -p bad.csv.gz $args
expect_rc 3
expect_err_has "bad.csv.gz:"
