# tests/helpers/progress.sh — the progress lines of a long read or write on a
# non-terminal stderr, as push, pull, verify, promote and copy print them.
#
#   . "$TESTS_DIR/helpers/progress.sh"
#   progress_ok FILE   FILE holds only "<$short>: N% (X of 8.6 MiB)" lines for
#                      the layer whose short digest is $short, increasing,
#                      ending "<$short>: 100% (8.6 MiB)"
progress_ok() {
	python3 - "$1" "$short" <<'PY' || fail "progress lines in $1: $(cat "$1")"
import re, sys
lines = open(sys.argv[1]).read().splitlines()
short = sys.argv[2]
pct = []
for l in lines:
    m = re.fullmatch(re.escape(short) + r": (\d+)% \((?:[0-9.]+ [KM]iB of )?8\.6 MiB\)", l)
    assert m, "unexpected line: %r" % l
    pct.append(int(m.group(1)))
assert pct == sorted(set(pct)), pct
assert pct[0] <= 30 and pct[-1] == 100 and len(pct) >= 5, pct  # reads come in ~1 MiB pieces: one may cross two tenths
assert lines[-1] == short + ": 100% (8.6 MiB)", lines[-1]
PY
}
