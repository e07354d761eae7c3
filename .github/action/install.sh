#!/usr/bin/env bash
# .github/action/install.sh [key] — puts xpship on the job's PATH for the
# composite action (action.yml).
#
#   install.sh key   writes key=<hash of the sources> to $GITHUB_OUTPUT: the
#                    build cache is keyed by it, so each version of the action
#                    (a tag, a branch head, a commit) gets its own build.
#   install.sh       reuses the build restored from the cache when it runs;
#                    otherwise installs the missing build dependencies (Debian
#                    or Ubuntu packages) and builds xpship from the action's own
#                    checkout. Appends the build directory to $GITHUB_PATH.
set -euo pipefail
root=${GITHUB_ACTION_PATH:?not running as a GitHub action}
bin="$root/build/xpship"
# The Makefile's PKGS as Debian packages, plus the tools the build runs.
build_pkgs="make gcc pkg-config libcurl4-openssl-dev libarchive-dev libyaml-dev libssl-dev libjansson-dev libsodium-dev"

if [ "${1:-}" = key ]; then
	cd "$root"
	[ -f Makefile ] || { echo "::error title=xpship::no xpship sources in $root"; exit 1; }
	dirs=()
	for d in cmd common pipeline packager; do [ -d "$d" ] && dirs+=("$d"); done
	key=$({
		sha256sum Makefile
		find "${dirs[@]}" -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort | xargs sha256sum
	} | sha256sum | cut -c1-20)
	echo "key=$key" >>"${GITHUB_OUTPUT:?}"
	exit 0
fi

missing_pkgs() {
	local p out=""
	for p in $build_pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || out="$out $p"
	done
	echo "$out"
}

if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
	echo "xpship: using the cached build ($("$bin" --version))"
else
	missing=$(missing_pkgs)
	if [ -n "$missing" ]; then
		echo "::group::Install build dependencies:$missing"
		sudo=""
		[ "$(id -u)" = 0 ] || sudo="sudo"
		$sudo apt-get update -qq
		# shellcheck disable=SC2086
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
		echo "::endgroup::"
	fi
	echo "::group::Build xpship"
	rm -f "$bin"
	make -C "$root" -s -j"$(nproc 2>/dev/null || echo 2)" all
	echo "::endgroup::"
	"$bin" --version
fi
echo "$root/build" >>"${GITHUB_PATH:?}"
