#!/usr/bin/env bash
# .github/action/install.sh — puts xpship on the job's PATH for the composite
# action: reuses a cached build of this action version when it runs, otherwise
# installs the build dependencies and builds it from the action's own checkout.
set -euo pipefail
root=${GITHUB_ACTION_PATH:?not running as a GitHub action}
bin="$root/build/xpship"
build_pkgs="make gcc pkg-config libcurl4-openssl-dev libarchive-dev libyaml-dev libssl-dev libjansson-dev"

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
		echo "::group::Install build dependencies"
		sudo=""
		[ "$(id -u)" = 0 ] || sudo="sudo"
		$sudo apt-get update -qq
		# shellcheck disable=SC2086
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
		echo "::endgroup::"
	fi
	echo "::group::Build xpship"
	make -C "$root" -s all
	echo "::endgroup::"
	"$bin" --version
fi
echo "$root/build" >>"${GITHUB_PATH:?}"
