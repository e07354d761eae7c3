#!/bin/sh
# tests/helpers/deps-clang.sh — make sure clang can build sanitizer and libFuzzer
# binaries: installs clang and its runtime (libclang-rt-<major>-dev) if missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
probe() {
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}\n' |
		clang -fsanitize=fuzzer,address,undefined -x c - -o /tmp/xpship-clang-probe.$$ >/dev/null 2>&1
	r=$?
	rm -f /tmp/xpship-clang-probe.$$
	return $r
}
command -v clang >/dev/null 2>&1 || sh "$here/deps.sh" clang || exit 1
probe && exit 0
major=$(clang -dumpversion | cut -d. -f1)
sh "$here/deps.sh" "libclang-rt-$major-dev" || exit 1
probe || { echo "xpship: clang cannot build sanitizer/fuzzer binaries" >&2; exit 1; }
