# What a process killed with SIGKILL leaves behind is removed by the next run
# that writes the same place: blob temp files of a layout and the temp file of
# an archive (pack), the staging directory of an unpack into the same DIR.
# Temporary names carry the creator's PID; only those of a dead process, not
# modified for a minute, are removed: never a live process's, never a fresh
# one, never another DIR's, never a name without a PID.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

dead=$(sh -c 'echo $$')
sleep 300 &
live=$!
trap 'kill $live 2>/dev/null' EXIT
kill -0 "$live" || fail "no live process to borrow"
kill -0 "$dead" 2>/dev/null && fail "pid $dead is alive again"
plant() { # path [dir]
	if [ "${2:-}" = dir ]; then mkdir -p "$1/sub" && echo x >"$1/sub/f"; else echo partial >"$1"; fi
	touch -h -d '1 hour ago' "$1"
}

pack_model model 4096
run xp pack -o out -t v1 model
expect_rc 0
b=out/blobs/sha256
plant "$b/.blob.tmp-$dead-a1B2c3"
plant "$b/.blob.tmp-$live-a1B2c3"
plant "$b/.blob.tmp-a1B2c3"                  # made before names carried a PID
plant "$b/.blob.tmp-$dead-a1B2c3x"           # not a name xpship makes
echo fresh >"$b/.blob.tmp-$dead-fReSh1"      # modified just now
plant "out/.index.json.tmp-$dead-Zz9Yy8"
run xp pack -o out -t v2 model
expect_rc 0
expect_eq ".blob.tmp-$dead-a1B2c3x .blob.tmp-$dead-fReSh1 .blob.tmp-$live-a1B2c3 .blob.tmp-a1B2c3" \
	"$(cd $b && ls -A | grep '^\.' | sort | tr '\n' ' ' | sed 's/ $//')" "blob temp files after pack"
[ ! -e "out/.index.json.tmp-$dead-Zz9Yy8" ] || fail "stale index.json temp file kept"

run xp pack -o out.tar -t v1 model
expect_rc 0
plant ".out.tar.tmp-$dead-q1w2e3"
plant ".out.tar.tmp-$live-q1w2e3"
plant ".other.tar.tmp-$dead-q1w2e3"
run xp pack -o out.tar -t v2 model
expect_rc 0
[ ! -e ".out.tar.tmp-$dead-q1w2e3" ] || fail "stale archive temp file kept"
[ -e ".out.tar.tmp-$live-q1w2e3" ] || fail "a live process's archive temp file removed"
[ -e ".other.tar.tmp-$dead-q1w2e3" ] || fail "another file's temp file removed"

mkdir ws
plant "ws/.dest.unpack-$dead-AbCdEf" dir
plant "ws/.dest.unpack-$live-AbCdEf" dir
plant "ws/.other.unpack-$dead-AbCdEf" dir
run xp unpack oci:out:v1 ws/dest
expect_rc 0
expect_eq ".dest.unpack-$live-AbCdEf .other.unpack-$dead-AbCdEf dest" \
	"$(ls -A ws | sort | tr '\n' ' ' | sed 's/ $//')" "staging directories after unpack"
expect_eq x "$(cat "ws/.dest.unpack-$live-AbCdEf/sub/f")" "a live unpack's files"
exit 0
