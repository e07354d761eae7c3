#!/usr/bin/env bash
# tests/run.sh — runs every unit test (cmocka, TAP output) and every CLI test
# (tests/cli/*.sh), in parallel, and ends with one line "N passed, N failed".
#
# Environment: XPSHIP_BIN (the binary under test), XPSHIP_UNIT_DIR (built unit
# test binaries), XPSHIP_SANITIZE=1 (collect sanitizer reports: any report fails
# the run), XPSHIP_TEST_JOBS (parallel CLI tests, default: number of cores).
# Arguments: optional substrings; only tests whose name contains one run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${XPSHIP_BIN:?set XPSHIP_BIN to the xpship binary}"
: "${XPSHIP_UNIT_DIR:?set XPSHIP_UNIT_DIR to the unit test binaries}"
jobs=${XPSHIP_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
work=$(mktemp -d "${TMPDIR:-/tmp}/xpship-tests.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/results" "$work/san"

export XPSHIP="$XPSHIP_BIN" TESTS_DIR="$here" DATA="$here/data"
export NO_COLOR=1 LC_ALL=C TZ=UTC
unset GITHUB_ACTIONS GITHUB_OUTPUT GITHUB_STEP_SUMMARY XPSHIP_REGISTRY_USERNAME \
      XPSHIP_REGISTRY_PASSWORD XPSHIP_KEY_PASSWORD 2>/dev/null || true
if [ "${XPSHIP_SANITIZE:-0}" = 1 ]; then
	export ASAN_OPTIONS="log_path=$work/san/asan:detect_leaks=1:abort_on_error=0:strict_string_checks=1"
	export UBSAN_OPTIONS="log_path=$work/san/ubsan:print_stacktrace=1:halt_on_error=1"
	export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
fi

selected() {
	[ $# -gt 1 ] || return 0
	local name=$1; shift
	local f
	for f in "$@"; do case "$name" in *"$f"*) return 0 ;; esac; done
	return 1
}

passed=0 failed=0
failures=()

# Unit tests: one result per cmocka test case.
for bin in "$XPSHIP_UNIT_DIR"/test_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	selected "$name" "$@" || continue
	log="$work/results/$name.log"
	(cd "$work" && CMOCKA_MESSAGE_OUTPUT=TAP timeout 300 "$bin") >"$log" 2>&1
	rc=$?
	ok=$(grep -c '^ok ' "$log")
	bad=$(grep -c '^not ok ' "$log")
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$bad" -gt 0 ]; then
		while IFS= read -r line; do failures+=("$name: $line"); done < <(grep '^not ok ' "$log")
		sed 's/^/    /' "$log" | grep -v '^    ok ' >&2
	elif [ "$rc" -ne 0 ]; then
		failed=$((failed + 1))
		failures+=("$name: exited $rc")
		sed 's/^/    /' "$log" | tail -n 30 >&2
	fi
	printf '%-44s %d passed, %d failed\n' "$name" "$ok" "$bad"
done

# CLI tests: one result per script, each in its own empty directory.
run_cli() {
	local script=$1 name dir rc
	name=$(basename "$script" .sh)
	dir="$work/cli/$name"
	mkdir -p "$dir"
	(cd "$dir" && T="$dir" timeout 600 bash "$script" </dev/null) >"$work/results/$name.log" 2>&1
	rc=$?
	echo "$rc" >"$work/results/$name.rc"
}
cli=()
for script in "$here"/cli/*.sh; do
	[ -f "$script" ] || continue
	selected "$(basename "$script")" "$@" || continue
	cli+=("$script")
done
running=0
for script in "${cli[@]}"; do
	run_cli "$script" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
for script in "${cli[@]}"; do
	name=$(basename "$script" .sh)
	rc=$(cat "$work/results/$name.rc" 2>/dev/null || echo 255)
	if [ "$rc" = 0 ]; then
		passed=$((passed + 1))
		printf '%-44s ok\n' "$name"
	else
		failed=$((failed + 1))
		failures+=("$name: exit $rc")
		printf '%-44s FAILED (exit %s)\n' "$name" "$rc"
		sed 's/^/    /' "$work/results/$name.log" | tail -n 40
	fi
done

# Sanitizer reports fail the run even when the test itself passed.
for rep in "$work"/san/*; do
	[ -f "$rep" ] || continue
	failed=$((failed + 1))
	failures+=("sanitizer report $(basename "$rep")")
	echo "sanitizer report $(basename "$rep"):"
	sed 's/^/    /' "$rep" | head -n 60
done

if [ ${#failures[@]} -gt 0 ]; then
	echo
	echo "failures:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
