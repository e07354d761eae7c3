# tests/lib.sh — sourced by every CLI test (tests/cli/NNN-<command>-<detail>.sh).
#
# A test runs in its own empty directory ($T, also the working directory), with
# $XPSHIP (the binary), $DATA (tests/data) and $TESTS_DIR. Pattern:
#
#   run xp validate experiment.yaml    # captures stdout, stderr, exit code
#   expect_rc 1
#   expect_out <<'END'                 # exact stdout
#   ...
#   END
#   expect_err <<'END'                 # exact stderr
#
# The first failed expectation prints a diff and ends the test with exit 1.
set -u

xp() { "$XPSHIP" "$@"; }

fail() {
	echo "FAIL: $*" >&2
	if [ -f "$T/.out" ]; then
		echo "--- last command: ${LAST_CMD:-?}" >&2
		echo "--- exit: $(cat "$T/.rc" 2>/dev/null)" >&2
		echo "--- stdout:" >&2; head -c 4000 "$T/.out" >&2
		echo "--- stderr:" >&2; head -c 4000 "$T/.err" >&2
	fi
	exit 1
}

# run CMD...: stdout to $T/.out, stderr to $T/.err, exit code to $T/.rc
run() {
	LAST_CMD="$*"
	"$@" >"$T/.out" 2>"$T/.err"
	echo $? >"$T/.rc"
}

# run_in INPUT_FILE CMD...: as run, with stdin from a file
run_in() {
	local input=$1; shift
	LAST_CMD="$* < $input"
	"$@" <"$input" >"$T/.out" 2>"$T/.err"
	echo $? >"$T/.rc"
}

out() { cat "$T/.out"; }
err() { cat "$T/.err"; }
rc() { cat "$T/.rc"; }

expect_rc() {
	[ "$(rc)" = "$1" ] || fail "expected exit $1, got $(rc)"
}

_expect_same() { # label file (expected on stdin)
	local label=$1 file=$2
	if ! diff -u - "$file" >"$T/.diff"; then
		echo "FAIL: $label differs (- expected, + actual) for: ${LAST_CMD:-?}" >&2
		cat "$T/.diff" >&2
		echo "--- exit: $(rc)" >&2
		[ "$label" = stdout ] && { echo "--- stderr:" >&2; head -c 2000 "$T/.err" >&2; }
		exit 1
	fi
}
expect_out() { _expect_same stdout "$T/.out"; }
expect_err() { _expect_same stderr "$T/.err"; }
expect_out_empty() { [ ! -s "$T/.out" ] || fail "expected empty stdout"; }
expect_err_empty() { [ ! -s "$T/.err" ] || fail "expected empty stderr"; }

expect_out_has() { grep -qF -- "$1" "$T/.out" || fail "stdout lacks: $1"; }
expect_err_has() { grep -qF -- "$1" "$T/.err" || fail "stderr lacks: $1"; }
expect_out_lacks() { ! grep -qF -- "$1" "$T/.out" || fail "stdout has: $1"; }
expect_err_lacks() { ! grep -qF -- "$1" "$T/.err" || fail "stderr has: $1"; }

# expect_file_same EXPECTED ACTUAL
expect_file_same() {
	cmp -s "$1" "$2" || { diff -u "$1" "$2" | head -50 >&2; fail "$2 differs from $1"; }
}
expect_eq() { # expected actual [what]
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$1', got '$2'"
}
