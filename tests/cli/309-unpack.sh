# `unpack`: what pack wrote comes back byte-identical from a layout, an archive,
# compressed layers, a ModelPack artifact and a served image; whiteouts are
# applied without following links; DIR must be new or empty.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

pack_model model
run xp pack -o out -t v1 model
expect_rc 0
digest=$(out)
run xp unpack oci:out:v1 dest
expect_rc 0
expect_err_empty
expect_out <<END
$digest
END
diff -r model dest/models/model || fail "unpacked files differ"
expect_eq "config.json" "$(readlink dest/models/model/config-link.json)" "link"
expect_eq "755" "$(stat -c %a dest/models/model/src/serve.py)" "mode"
expect_eq "$(stat -c %a model)" "$(stat -c %a dest/models/model)" "directory mode"
expect_eq "" "$(ls -A | grep unpack- || true)" "staging left behind"

for c in gzip zstd; do
	run xp pack -o $c.tar -t v1 --compression $c model
	expect_rc 0
	run xp unpack oci-archive:$c.tar:v1 $c-dest/
	expect_rc 0
	diff -r model $c-dest/models/model || fail "$c files differ"
done
run xp pack -o mp -t v1 --format modelpack model
expect_rc 0
run xp unpack mp mp-dest
expect_rc 0
diff -r model mp-dest/models/model || fail "modelpack files differ"

# an empty DIR is fine, a non-empty one or a file is not
mkdir empty
run xp unpack oci:out:v1 empty
expect_rc 0
diff -r model empty/models/model || fail "empty dir"
run xp unpack oci:out:v1 dest
expect_rc 2
expect_out_empty
expect_err <<'END'
xpship: error: cannot unpack into 'dest': it exists and is not an empty directory
END
touch afile
run xp unpack oci:out:v1 afile
expect_rc 2
run xp unpack oci:out:v1 new/deeper/dir
expect_rc 0
diff -r model new/deeper/dir/models/model || fail "nested dir"

# layers by other tools: whiteouts, links, hard links, an unpadded tar
python3 "$TESTS_DIR/helpers/oci_layout.py" crafted good >/dev/null
python3 "$TESTS_DIR/helpers/oci_layout.py" crafted whiteout-through-link >/dev/null
python3 "$TESTS_DIR/helpers/oci_layout.py" crafted unpadded >/dev/null
run xp unpack oci:crafted:good wh
expect_rc 0
expect_eq "models models/b.txt models/d.txt models/hard" "$(cd wh && find . -mindepth 1 | sed 's|^\./||' | sort | tr '\n' ' ' | sed 's/ $//')" "whiteouts applied"
expect_eq "$(stat -c %i wh/models/b.txt)" "$(stat -c %i wh/models/hard)" "hard link"
run xp unpack oci:crafted:whiteout-through-link wl
expect_rc 0
expect_eq "x" "$(cat wl/keep/x.txt)" "a whiteout does not follow a link"
run xp unpack oci:crafted:unpadded up
expect_rc 0
expect_eq "no padding after me" "$(cat up/only.txt)"

# usage
run xp unpack oci:out:v1
expect_rc 2
expect_err <<'END'
xpship: error: expected a bundle and a directory
Run 'xpship unpack --help' for usage.
END
run xp unpack oci:out:nope x
expect_rc 1
expect_err <<'END'
xpship: error: no tag 'nope' in 'oci:out' (tags: v1)
END
run xp unpack nothere x
expect_rc 2
expect_err_has "xpship: error: no such bundle 'nothere'"
exit 0
