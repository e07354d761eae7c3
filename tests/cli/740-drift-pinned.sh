# `profile` and `drift` outputs pinned byte for byte on generated tables that
# take every path of the CSV/TSV/JSON Lines reader and the number parser
# (tests/helpers/drift_pin.py): a faster reader, parser, sketch or a
# concurrent drift must give the same bytes as the straightforward code did.
# The digests were taken from the single-threaded reader before those changes.
. "$TESTS_DIR/lib.sh"

/usr/bin/python3 "$TESTS_DIR/helpers/drift_pin.py" "$T" || fail "cannot make the inputs"

ok() { # NAME CMD...: run, expect exit 0, keep stdout as NAME
	local name=$1; shift
	run "$@"
	expect_rc 0
	cp "$T/.out" "$name"
}
run xp profile -o p1.json ref.csv
expect_rc 0
expect_out_empty
ok p2.out xp profile --sample 500 --seed 3 -o p2.json ref.csv cur.csv cur2.csv.gz
ok p3.out xp profile -o p3.json ref.tsv
ok p4.out xp profile --columns a,b,cat,n -o p4.json ref.jsonl
run_in cur.csv xp profile --bins 7 --top-k 3 -
expect_rc 0
cp "$T/.out" p5.json
ok d1.txt xp drift -r ref.csv -c cur.csv -o d1.json --html d1.html
ok d2.txt xp drift -r p2.json -c cur.csv -c cur2.csv.gz -o d2.json
ok d3.json xp drift -r p1.json -c cur.csv -f json
ok d4.txt xp drift -r ref.csv -c cur2.csv.gz --bins 20 --categorical c -o d4.json
ok d5.txt xp drift -r ref.csv -r cur2.csv.gz -c cur.csv --columns m,cat,a -o d5.json
ok d6.txt xp drift -r late_ref.csv -c late_cur.csv -o d6.json
ok d7.txt xp drift -r p3.json -c ref.tsv -o d7.json

run sha256sum p1.json p2.json p3.json p4.json p5.json \
	d1.txt d1.json d1.html d2.txt d2.json d3.json d4.txt d4.json d5.txt d5.json \
	d6.txt d6.json d7.txt d7.json
expect_rc 0
expect_out <<'END'
7d00be61df9107c84b8adbebef724ef3052975aa4ca0fceb093792c9bb62578a  p1.json
7744370c9763f034282d75fa460b4efe217c41f938e6718b6f1c7e967652d5bf  p2.json
1a6955e4ea5932d28bf3257c4672cd6ab9e3daf91b7673f74dbc9d76e7529cf4  p3.json
b06f93aadb532d5e5dff7f9e5dbfe21327fef315d067bee44032b8a497b73fd9  p4.json
07da3bdcfbbe752b4b9c74de050971cc8d2e8e0a07e4575767a3e0cccb3cade6  p5.json
0f627f17a911b8eb8c3c3c158a258fcc2f1ef7a3d39640c055a10f722eb86020  d1.txt
319b756aeb32fb898e482e837211126668e01ee07faa615d26a88bbb9653d31f  d1.json
5c9d1cf9931705bf144e67aecb44910cce901037c2778b1808eb9571761a260e  d1.html
4a6152d8f80983d0ab6aedf219f6e14e9048df6edb4551a6c29ff4eeb1713da2  d2.txt
58f65b81ca12175bca865366875d1d16b5bfb577b2839491d919af12adbd2693  d2.json
b9e82e3cb7ccbe65a01190e1b3af9302423a1b493649fc20f7a2f0805049b315  d3.json
a87cb13f0cbb28a92b78105b402b63efca42886e9d116d804ce6e698e45a882c  d4.txt
71d4959e060869b05ddab8e9398f8c0f5f8ade993cffd3810fefd2b70fdd98d7  d4.json
25a5c71cb4dd869836681518f0834e7c113ffd05d9fa53dd95ffd3a6eef01ec2  d5.txt
6bec92a1046e3ca70b8e0d222e23476e62d6fc11e0ee4ab32050d6dfc8bbdc82  d5.json
967a5a52cf25bbf0c54a5327e2b5c1362cd55cdd183fcb930e61d90fdb8f89bf  d6.txt
31cbf8fcbe5450256821b94db5dc5b4341093ea3da291b2394ef6274ea985029  d6.json
5cf80bb8f1b6c83e966a92c6c0430c3f5cfcb11da1298003a31154afc0db8d03  d7.txt
07c303bc78d3280b30eea55c78c3bd581e40ff5007cc029ea6a4dc279d50c64d  d7.json
END
