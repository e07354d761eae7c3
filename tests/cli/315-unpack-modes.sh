# `unpack` writes the permission bits pack writes, whatever the tar says:
# 0755 for directories and for files with any execute bit, 0644 for other
# files; no setuid, setgid, sticky or group/world-writable bit survives (also
# not through a hard link's own mode). Links keep their target.
. "$TESTS_DIR/lib.sh"

python3 "$TESTS_DIR/helpers/oci_layout.py" crafted modes >/dev/null
umask 022
run xp unpack oci:crafted:modes dest
expect_rc 0
expect_err_empty
expect_out <<END
$(python3 -c 'import json; print(json.load(open("crafted/index.json"))["manifests"][0]["digest"])')
END
(cd dest && find . -mindepth 1 -printf '%p %y %m\n' | sort) >modes.txt
cat >expected.txt <<'END'
./exec f 755
./hl f 755
./plain f 644
./private f 644
./setgid d 755
./setgid/tool f 755
./setuid f 755
./sticky d 755
./world f 644
END
expect_file_same expected.txt modes.txt
[ -z "$(find dest -perm /7022)" ] || fail "special or writable bits: $(find dest -perm /7022)"
exit 0
