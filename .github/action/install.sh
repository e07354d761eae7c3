#!/usr/bin/env bash
# .github/action/install.sh [key] — puts xpship on the job's PATH for the
# composite action (action.yml).
#
#   install.sh key   writes key=<hash of the sources> to $GITHUB_OUTPUT: the
#                    build cache is keyed by it, so each version of the action
#                    (a tag, a branch head, a commit) gets its own build.
#   install.sh       installs the released Debian package of the action's
#                    own version (the Makefile's VERSION), or of XP_VERSION (the
#                    `version` input), when packaging/SHA256SUMS in the action's
#                    repository lists its checksum: downloads it from the
#                    release (XPSHIP_RELEASE_URL/vVERSION/FILE, default the
#                    action repository's GitHub releases), verifies the
#                    checksum, unpacks it under $RUNNER_TEMP and, when the
#                    binary cannot run there for want of its libraries,
#                    installs it with apt (which resolves its Depends).
#                    Without a listed release of its own version: reuses the
#                    build restored from the cache when it runs; otherwise
#                    installs the missing build dependencies (Debian or Ubuntu
#                    packages) and builds xpship from the action's own
#                    checkout. Appends the directory of xpship to $GITHUB_PATH.
#
# A checksum that does not match, or a pinned version the sums do not list,
# fails the step: it never falls back to another binary.
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

err() { echo "::error title=xpship::$*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

own=$(sed -n 's/^VERSION *:= *//p' "$root/Makefile")
want=${XP_VERSION:-$own}
want=${want#v}
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
deb=xpship_${want}_$arch.deb
sum=""
if [ -f "$root/packaging/SHA256SUMS" ]; then
	sum=$(awk -v f="$deb" '$2 == f || $2 == "*" f { print $1; exit }' "$root/packaging/SHA256SUMS")
fi
if [ -z "$sum" ] && [ "$want" != "$own" ]; then
	err "no release $deb in this action's packaging/SHA256SUMS: pin a version it lists, or use a newer action"
fi

# release: downloads, verifies and installs $deb; 1 when it cannot be
# downloaded (then the caller may build), exits on any other failure.
release() {
	local base=${XPSHIP_RELEASE_URL:-https://github.com/${GITHUB_ACTION_REPOSITORY:-xpship/xpship}/releases/download}
	local url=$base/v$want/$deb dir=${RUNNER_TEMP:?}/xpship-$want got x
	rm -rf "$dir"
	mkdir -p "$dir"
	if ! curl -fsSL --retry 3 -o "$dir/$deb" "$url"; then
		echo "xpship: cannot download $url"
		return 1
	fi
	got=$(sha256sum "$dir/$deb" | cut -d' ' -f1)
	[ "$got" = "$sum" ] || err "checksum mismatch for $deb from $url: expected $sum (packaging/SHA256SUMS), got $got"
	dpkg-deb -x "$dir/$deb" "$dir/root" || err "cannot unpack $deb"
	x=$dir/root/usr/bin
	if ! "$x/xpship" --version >/dev/null 2>&1; then
		echo "::group::Install $deb and its dependencies"
		as_root apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$dir/$deb"
		echo "::endgroup::"
		x=/usr/bin
	fi
	[ "$("$x/xpship" --version 2>&1)" = "xpship $want" ] ||
		err "$deb does not run as xpship $want: $("$x/xpship" --version 2>&1 | head -n 1)"
	echo "xpship: installed the release $deb (sha256 $sum)"
	echo "$x" >>"${GITHUB_PATH:?}"
}

if [ -n "$sum" ]; then
	release && exit 0
	[ "$want" = "$own" ] || err "the release $deb cannot be downloaded"
	echo "xpship: building $own from the action's sources instead"
else
	echo "xpship: no release $deb listed in packaging/SHA256SUMS: using the action's sources"
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
