# 2,000 small files in 20 directories (and one of 100 KB among them) share a
# layer whose tar bytes are pinned: gathering small pieces into batches does
# not change a byte of what pack wrote before. The gzip and zstd layers hold
# the same tar, and unpack gives every file back.
. "$TESTS_DIR/lib.sh"

python3 - s <<'PY'
import hashlib, os, sys
root = sys.argv[1]
for d in range(20):
    os.makedirs(f"{root}/d{d:02}")
    for f in range(100):
        n = (d * 100 + f) * 37 % 4000
        seed = hashlib.sha256(f"{d}/{f}".encode()).digest()
        open(f"{root}/d{d:02}/f{f:03}.txt", "wb").write((seed * (n // 32 + 1))[:n])
open(f"{root}/d05/f050.bin", "wb").write(hashlib.sha256(b"big").digest() * 3125)
PY
run xp pack -o out -t v1 s
expect_rc 0
expect_err_empty
expect_out <<'END'
sha256:06f1b12318643d05ec2c5e047164acf9095f999d7cfb74c0b4d14eb3bb04c78c
END
set -- $(python3 -c '
import json
ix = json.load(open("out/index.json"))
m = json.load(open("out/blobs/sha256/" + ix["manifests"][0]["digest"][7:]))
print(" ".join(l["digest"] for l in m["layers"]))')
expect_eq 1 "$#" "layers"
expect_eq 2023 "$(tar tf "out/blobs/sha256/${1#sha256:}" | wc -l)" "tar entries"
for c in gzip zstd; do
	run xp pack -o $c -t v1 --compression $c s
	expect_rc 0
	for f in $c/blobs/sha256/*; do
		if [ $c = gzip ]; then d=$(gzip -dc "$f" 2>/dev/null | sha256sum); else d=$(zstd -qdc "$f" 2>/dev/null | sha256sum); fi
		[ "${d%% *}" = "${1#sha256:}" ] && continue 2
	done
	fail "no $c layer holds the uncompressed layer's tar"
done
for c in gzip zstd; do
	run xp unpack oci:$c:v1 $c-dest
	expect_rc 0
	diff -r s $c-dest/models/s || fail "$c: files differ"
done
exit 0
