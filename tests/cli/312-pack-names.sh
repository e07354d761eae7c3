# `pack` stores any UTF-8 file name as UTF-8 (a pax `path` record when the
# name is not plain ASCII), whatever the locale, and `unpack`, `umoci unpack`
# and GNU tar give back the same bytes: several scripts, NFC and NFD forms of
# one letter side by side, spaces, a newline, a 200-byte name, a link to a
# non-ASCII name. A name that is not UTF-8 is refused (exit 3) before anything
# is written.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

nfc=$(printf '\303\251')          # é, one code point (U+00E9)
nfd=$(printf 'e\314\201')         # e + U+0301 COMBINING ACUTE ACCENT
long=$(printf 'é%.0s' $(seq 100))  # 100 × 2 bytes = 200 bytes
mkdir -p m/日本語 "m/dir with spaces"
printf 'nfc\n' >"m/$nfc"
printf 'nfd\n' >"m/$nfd"
printf 'latin\n' >"m/Ünïcödé café.json"
printf 'cjk\n' >"m/日本語/モデル.bin"
printf 'cyrillic\n' >"m/модель.onnx"
printf 'arabic\n' >"m/نموذج.txt"
printf 'emoji\n' >"m/🤖 robot.md"
printf 'space\n' >"m/dir with spaces/ lead and trail "
printf 'newline\n' >"m/line
break.txt"
printf 'long\n' >"m/$long"
printf 'ascii\n' >m/plain.txt
ln -s "日本語/モデル.bin" m/リンク
[ "$(printf %s "$long" | wc -c)" = 200 ] || fail "the long name is not 200 bytes"
set -- m/*
[ $# = 12 ] || fail "the file system merged names"

# type, name bytes (hex) and content hash or link target of every entry, sorted
listing() {
	python3 - "$1" <<'PY'
import hashlib, os, sys
root = os.fsencode(sys.argv[1])
rows = []
for d, dirs, files in os.walk(root):
    for n in dirs + files:
        p = os.path.join(d, n)
        rel = os.path.relpath(p, root)
        if os.path.islink(p):
            what = "l " + os.readlink(p).hex()
        elif os.path.isdir(p):
            what = "d"
        else:
            what = "f " + hashlib.sha256(open(p, "rb").read()).hexdigest()
        rows.append(rel.hex() + " " + what)
print("\n".join(sorted(rows)))
PY
}
listing m >want

run xp pack -o out -t v1 m
expect_rc 0
expect_err_empty
digest=$(out)

# the same digest in any locale
for loc in C.UTF-8 POSIX; do
	LC_ALL=$loc run xp pack -o out-$loc -t v1 m
	expect_rc 0
	expect_eq "$digest" "$(out)" "digest with LC_ALL=$loc"
done
LANG=C.UTF-8 LC_ALL= run xp pack -o out-lang -t v1 m
expect_rc 0
expect_eq "$digest" "$(out)" "digest with LANG=C.UTF-8"

# stored as UTF-8: pax path records, no hdrcharset=BINARY
small=$(oci_layers out v1 | tail -n 1)
blob=$(oci_blob out "$small")
grep -q "path=models/m/日本語/モデル.bin" "$blob" || fail "no UTF-8 pax path record"
grep -q "path=models/m/$nfd" "$blob" || fail "the NFD name is not stored as it is"
! grep -q hdrcharset "$blob" || fail "names stored as binary, not UTF-8"

# xpship unpack, in any locale
run xp unpack oci:out:v1 dest
expect_rc 0
expect_err_empty
listing dest/models/m >got
expect_file_same want got
LC_ALL=C.UTF-8 run xp unpack oci:out:v1 dest-utf8
expect_rc 0
listing dest-utf8/models/m >got
expect_file_same want got

# umoci
umoci unpack --rootless --image out:v1 bundle >/dev/null 2>umoci.err || {
	cat umoci.err >&2
	fail "umoci unpack"
}
listing bundle/rootfs/models/m >got
expect_file_same want got

# GNU tar, layer by layer, without a warning
mkdir tarred
for l in $(oci_layers out v1); do
	tar -C tarred -xf "$(oci_blob out "$l")" 2>tar.err || fail "tar -x $l: $(cat tar.err)"
	[ ! -s tar.err ] || fail "tar warned: $(cat tar.err)"
done
listing tarred/models/m >got
expect_file_same want got

# a ModelPack artifact, compressed: the same names
run xp pack -o mp -t v1 --format modelpack --compression zstd m
expect_rc 0
run xp unpack oci:mp:v1 mp-dest
expect_rc 0
listing mp-dest/models/m >got
expect_file_same want got

# names that are not UTF-8: exit 3, the path named (bytes escaped), nothing written
mkdir bad
printf x >"bad/$(printf 'caf\351.txt')"     # é in Latin-1
run xp pack -o out-bad -t v1 m bad
expect_rc 3
expect_out_empty
expect_err <<'END'
xpship: error: cannot pack 'bad/caf\xe9.txt': its name is not valid UTF-8
END
[ ! -e out-bad ] || fail "a refused pack left out-bad behind"
# a prefix that is not UTF-8 is a usage error
run xp pack -o out-bad -t v1 --prefix "$(printf '/x\377')" m
expect_rc 2
expect_err <<'END'
xpship: error: invalid path 'x\xff/m' inside the bundle: not valid UTF-8
END
[ ! -e out-bad ] || fail "a refused pack left out-bad behind"
# into an existing layout: it stays as it was
cp -R out out-before
run xp pack -o out -t v2 m bad
expect_rc 3
diff -r out-before out >/dev/null || fail "a refused pack changed the layout"
for b in 'ovl\300\257' 'sur\355\240\200' 'big\364\220\200\200' 'cut\344\275'; do
	rm -rf bad && mkdir bad
	printf x >"bad/$(printf "$b")"
	run xp pack -o out-bad -t v1 bad
	expect_rc 3
	expect_err_has "its name is not valid UTF-8"
	[ ! -e out-bad ] || fail "a refused pack left out-bad behind"
done
# a link whose target is not UTF-8
rm -rf bad && mkdir bad
ln -s "$(printf 'caf\351')" bad/link
run xp pack -o out-bad -t v1 bad
expect_rc 3
expect_err <<'END'
xpship: error: cannot pack link 'bad/link': its target 'caf\xe9' is not valid UTF-8
END
[ ! -e out-bad ] || fail "a refused pack left out-bad behind"
# an input named on the command line
printf x >"$(printf 'top\377')"
run xp pack -o out-bad -t v1 "$(printf 'top\377')"
expect_rc 3
expect_err <<'END'
xpship: error: cannot pack 'top\xff': its name is not valid UTF-8
END
[ ! -e out-bad ] || fail "a refused pack left out-bad behind"
