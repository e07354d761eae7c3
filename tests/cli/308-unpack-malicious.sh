# `unpack` refuses hostile layers (crafted with python tarfile, no xpship
# involved): '..' paths, absolute paths, symbolic links out of DIR or into it
# and then written through, hard links out of the bundle, special files; and
# blobs whose bytes do not match their digest. Each is refused with exit 1,
# DIR is not created and nothing else on disk changes.
. "$TESTS_DIR/lib.sh"

mkdir -p outside && echo secret >outside/secret.txt
snapshot() {
	find . -maxdepth 1 -name '.*' ! -name . -prune -o -printf '%p %y %s %m %l\n' | sort
	find . -type f ! -name '.*' -exec sha256sum {} + | sort
}
evil() { python3 "$TESTS_DIR/helpers/oci_layout.py" evil "$1" "$T/outside"; }

refuse() { # case entry why
	local digest
	digest=$(evil "$1") || fail "building $1"
	snapshot >.before
	run xp unpack "oci:evil:$1" dest
	expect_rc 1
	expect_out_empty
	expect_err <<END
xpship: error: refusing '$2' in layer '$digest': $3
END
	snapshot >.after
	expect_file_same .before .after
	[ ! -e dest ] || fail "$1: dest was created"
	[ -z "$(ls -A | grep unpack- || true)" ] || fail "$1: staging left behind"
}
refuse dotdot ../escaped.txt "path contains '..'"
refuse nested-dotdot a/../../escaped.txt "path contains '..'"
refuse absolute "$T/outside/escaped.txt" "absolute path"
refuse symlink-out link "symbolic link out of the bundle"
refuse symlink-absolute link "symbolic link out of the bundle"
refuse hardlink-out hl "hard link out of the bundle"
refuse hardlink-absolute hl "hard link out of the bundle"
refuse fifo pipe "not a regular file, directory or link"
refuse device null "not a regular file, directory or link"
# libarchive's own check: nothing is written through a link, even one inside
refuse through-symlink link/file.txt "Cannot extract through symlink link/file.txt"
evil symlink-then-file >/dev/null
snapshot >.before
run xp unpack oci:evil:symlink-then-file dest
expect_rc 1
expect_err_has "': Cannot extract through symlink link/escaped.txt"
snapshot >.after
expect_file_same .before .after
[ ! -e dest ] || fail "dest was created"

# forged blobs: a byte changed inside a file's data (the tar stays valid, so
# extraction runs to the end before the digest check fails), and a cut blob
. "$TESTS_DIR/helpers/pack.sh"
mkdir model && echo "original content" >model/file.txt
run xp pack -o good -t v1 model
expect_rc 0
set -- $(oci_layers good v1)
blob=$(oci_blob good "$1")
cp -R good forged
python3 - "$(oci_blob forged "$1")" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
i = b.index(b"original")
b[i] = ord("O")
open(p, "wb").write(bytes(b))
PY
snapshot >.before
run xp unpack oci:forged:v1 dest
expect_rc 1
expect_err <<END
xpship: error: blob '$1' in 'oci:forged': digest sha256:$(sha256sum "$(oci_blob forged "$1")" | cut -d' ' -f1), expected $1
END
snapshot >.after
expect_file_same .before .after
[ ! -e dest ] || fail "dest was created from a forged blob"
cp -R good cut
head -c 1024 "$blob" >"$(oci_blob cut "$1")"
run xp unpack oci:cut:v1 dest
expect_rc 1
[ ! -e dest ] || fail "dest was created from a cut blob"
expect_err_has "xpship: error: "
# the genuine bundle unpacks
run xp unpack oci:good:v1 dest
expect_rc 0
expect_file_same model/file.txt dest/models/model/file.txt
exit 0
