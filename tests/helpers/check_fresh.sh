#!/usr/bin/env bash
# tests/helpers/check_fresh.sh — the README's two commands on a pristine Debian 12.
#
# Builds a root with `mmdebstrap --variant=apt --include=ca-certificates,make,git
# bookworm` (the tarball is cached under $XPSHIP_FRESH_CACHE, keyed by everything
# that goes into it), gives it what this machine needs to reach the package
# registries (its Debian sources, its apt Acquire settings, the CA certificates
# its bundle adds, its npm settings, the proxy variables), clones the committed
# HEAD of this checkout into /root/xpship and, as root in a chroot, runs
# `make demo` twice (the second run must gate against the champion the first
# promoted), `make dist`, and `make test`. The Debian package `make dist` built
# is installed with apt in a second pristine root (its Depends alone must make
# the binary run) and in the first, where the demo runs again with the
# installed /usr/bin/xpship before the package is purged. Mounts, processes left in the roots and the roots
# themselves are removed however it ends.
#
# Needs root (mmdebstrap, chroot, mounts); installs mmdebstrap if missing.
# Environment:
#   XPSHIP_FRESH_CACHE    cache and work directory (default /var/tmp/xpship-fresh)
#   XPSHIP_FRESH_SOURCES  apt sources file(s) for the root, space-separated
#                         (default: this machine's /etc/apt/sources.list{,.d/*})
#   XPSHIP_FRESH_KEEP=1   keep the root after a failure until the next run
#                         (its mounts are removed all the same)
#   TESTS                 passed to `make test` inside (a subset)
# Exit: 0 all passed, 1 a step failed inside the root, 2 usage, 4 local failure.
set -euo pipefail

suite=bookworm
include=ca-certificates,make,git
src=$(cd "$(dirname "$0")/../.." && pwd)
cache=${XPSHIP_FRESH_CACHE:-/var/tmp/xpship-fresh}
say() { printf 'check-fresh: %s\n' "$*" >&2; }
die() { say "$2"; exit "$1"; }

[ "$(id -u)" = 0 ] || die 2 "needs root (mmdebstrap, chroot and mounts)"
# Every mount is made in a private mount namespace: none can reach the host's
# tree, and none outlives the run even if it is killed outright.
if [ "${XPSHIP_FRESH_NS:-}" != "$$" ]; then
	XPSHIP_FRESH_NS=$$ exec unshare --mount --propagation private "$BASH" "$0" "$@"
fi
command -v mmdebstrap >/dev/null 2>&1 || sh "$src/tests/helpers/deps.sh" mmdebstrap ||
	die 4 "cannot install mmdebstrap"
sha=$(git -C "$src" rev-parse HEAD) || die 4 "$src is not a git checkout"
if [ -n "$(git -C "$src" status --porcelain --untracked-files=no)" ]; then
	say "note: uncommitted changes are not part of the check (it clones HEAD $sha)"
fi

# --- what goes into the root ------------------------------------------------
sources=()
if [ -n "${XPSHIP_FRESH_SOURCES:-}" ]; then
	read -r -a sources <<<"$XPSHIP_FRESH_SOURCES"
else
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -s "$f" ] && grep -q '^[[:space:]]*[^#[:space:]]' "$f" && sources+=("$f")
	done
fi
[ ${#sources[@]} -gt 0 ] || die 2 "no apt sources found; set XPSHIP_FRESH_SOURCES"
# apt settings on how to reach the archive (proxies, validity checks of a snapshot mirror)
aptopts=()
for f in /etc/apt/apt.conf /etc/apt/apt.conf.d/*; do
	[ -f "$f" ] && grep -qi 'Acquire' "$f" && aptopts+=("$f")
done
proxy_env=()
for v in http_proxy https_proxy ftp_proxy all_proxy no_proxy HTTP_PROXY HTTPS_PROXY FTP_PROXY ALL_PROXY NO_PROXY; do
	[ -n "${!v:-}" ] && proxy_env+=("$v=${!v}")
done

mkdir -p "$cache"
# roots of earlier runs killed outright: their run (pid in root.*.pid) is gone
for f in "$cache"/root.*.pid; do
	[ -f "$f" ] || continue
	pid=$(cat "$f")
	if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
		rm -rf --one-file-system "${f%.pid}"
		rm -f "$f"
	fi
done
key=$( {
	echo "$suite $include"
	mmdebstrap --version
	for f in "${sources[@]}" "${aptopts[@]}"; do echo "== $f"; cat "$f"; done
} | sha256sum | cut -c1-16)
base=$cache/$suite-$key.tar
# A cached base older than a week is made again (the archive moves on).
if [ -f "$base" ] && [ -n "$(find "$base" -mtime +6)" ]; then rm -f "$base"; fi

# --- cleanup, however the run ends -------------------------------------------
roots=()
mounts=()
cleanup() {
	local rc=$? i pid p r
	trap - EXIT INT TERM HUP
	set +e
	case $rc in 129 | 130 | 143) say "interrupted; removing the roots" ;; esac
	# processes still running inside a root (a registry left by a killed run)
	for r in "${roots[@]}"; do
		for p in /proc/[0-9]*; do
			[ "$(readlink "$p/root" 2>/dev/null)" = "$r" ] || continue
			pid=${p#/proc/}
			kill -KILL "$pid" 2>/dev/null
		done
	done
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" ||
			say "cannot unmount ${mounts[i]}"
	done
	for r in "${roots[@]}"; do
		[ -d "$r" ] || continue
		if grep -q " ${r}[/ ]" /proc/self/mountinfo; then
			say "mounts remain under $r; leaving it in place"
		elif [ "$rc" != 0 ] && [ "${XPSHIP_FRESH_KEEP:-0}" = 1 ]; then
			say "root kept for inspection: $r"
		else
			rm -rf --one-file-system "$r"
			rm -f "$r.pid"
		fi
	done
	rm -f "$cache/.base.$$.tar"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# --- the base root (cached) ---------------------------------------------------
t0=$(date +%s)
if [ ! -f "$base" ]; then
	say "building the $suite base root (mmdebstrap --variant=apt --include=$include)"
	opt=()
	for f in "${aptopts[@]}"; do opt+=("--aptopt=$f"); done
	env "${proxy_env[@]}" mmdebstrap --quiet --variant=apt --include="$include" "${opt[@]}" \
		"$suite" "$cache/.base.$$.tar" "${sources[@]}" ||
		die 4 "mmdebstrap failed"
	mv -f "$cache/.base.$$.tar" "$base"
	# older bases made with other settings
	find "$cache" -maxdepth 1 -name "$suite-*.tar" ! -name "${base##*/}" -delete
else
	say "using the cached base root ${base##*/}"
fi

# new_root: a root unpacked from the base, with what this machine needs to
# reach the package registries; its path in $new.
new_root() {
	local r
	r=$(mktemp -d "$cache/root.XXXXXX")
	roots+=("$r")
	echo $$ >"$r.pid"
	tar -xpf "$base" --numeric-owner -C "$r" || die 4 "cannot unpack $base"
	chmod 0755 "$r"
	# This machine's CA certificates that the Debian bundle lacks (an egress
	# proxy or a private mirror), added the Debian way.
	local bundle=/etc/ssl/certs/ca-certificates.crt
	if [ -f "$bundle" ]; then
		mkdir -p "$r/usr/local/share/ca-certificates/host"
		awk -v dir="$r/usr/local/share/ca-certificates/host" '
			/-----BEGIN CERTIFICATE-----/ { body = ""; pem = ""; in_cert = 1 }
			in_cert { pem = pem $0 "\n"; if ($0 !~ /^-----/) body = body $0 }
			/-----END CERTIFICATE-----/ {
				in_cert = 0
				if (FNR == NR) { seen[body] = 1; next }
				if (!(body in seen)) {
					n++; f = sprintf("%s/host-%03d.crt", dir, n)
					printf "%s", pem > f; close(f); seen[body] = 1
				}
			}' "$r$bundle" "$bundle"
	fi
	# npm settings (registry, cafile) and apt credentials for a private mirror
	[ -f /etc/npmrc ] && cp /etc/npmrc "$r/etc/npmrc"
	[ -f "${HOME:-/root}/.npmrc" ] && cp "${HOME:-/root}/.npmrc" "$r/root/.npmrc"
	for f in /etc/apt/auth.conf.d/*; do
		[ -f "$f" ] && install -m 0600 "$f" "$r/etc/apt/auth.conf.d/"
	done
	cp -L /etc/resolv.conf "$r/etc/resolv.conf"
	new=$r
}
new_root
root=$new

# The clone a user would make: committed HEAD only.
git -c advice.detachedHead=false clone -q --no-hardlinks "$src" "$root/root/xpship"
git -C "$root/root/xpship" fetch -q "$src" HEAD
git -C "$root/root/xpship" checkout -q --detach FETCH_HEAD
[ "$(git -C "$root/root/xpship" rev-parse HEAD)" = "$sha" ] || die 4 "clone is not at $sha"

mnt() { mount "$@" && mounts+=("${*: -1}"); }
mount_all() {
	mnt -t proc proc "$1/proc"
	mnt -t sysfs sysfs "$1/sys"
	mnt --bind /dev "$1/dev"
	mnt --bind /dev/pts "$1/dev/pts"
	mnt -t tmpfs -o mode=1777,nosuid,nodev shm "$1/dev/shm"
}
mount_all "$root"

# in_root CMD: run CMD with bash -c as root inside, with a login-like
# environment (no locale, as a new machine has none).
inner_env=(HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${proxy_env[@]}")
[ -n "${CI:-}" ] && inner_env+=("CI=$CI")
in_root() { # CMD [ROOT]
	chroot "${2:-$root}" /usr/bin/env -i "${inner_env[@]}" /bin/bash -c "$1"
}
# (Debian's rehash always warns that the bundle is not a single certificate)
# shellcheck disable=SC2016 # expanded inside the root
rehash='update-ca-certificates 2>&1 >/dev/null | grep -v "skipping ca-certificates.crt" >&2; exit "${PIPESTATUS[0]}"'
in_root "$rehash" || die 4 "update-ca-certificates failed in the root"
say "root ready in $(($(date +%s) - t0))s: $root (HEAD $sha)"

logs=$cache/logs
mkdir -p "$logs"
step() { # NAME CMD [ROOT: run in / there, not in the checkout]
	local name=$1 cmd=$2 at=${3:-} t rc
	say "== $name"
	t=$(date +%s)
	# in the background, so that a signal to this script is handled at once
	rm -f "$logs/$name.rc"
	{
		if [ -n "$at" ]; then in_root "cd / && $cmd" "$at"; else in_root "cd /root/xpship && $cmd"; fi
		echo $? >"$logs/$name.rc"
	} 2>&1 | tee "$logs/$name.log" &
	wait $! || true
	rc=$(cat "$logs/$name.rc" 2>/dev/null || echo 1)
	say "== $name: exit $rc in $(($(date +%s) - t))s (log: $logs/$name.log)"
	[ "$rc" = 0 ] || die 1 "$name failed inside the pristine root"
}

step demo-1 'make demo'
first=$(sed -n 's/^promoted .* -> \(sha256:[0-9a-f]\{64\}\)$/\1/p' "$logs/demo-1.log")
grep -q '^champion  *none (first release)$' "$logs/demo-1.log" ||
	die 1 "the first make demo did not start without a champion"
[ -n "$first" ] || die 1 "the first make demo promoted nothing"

step demo-2 'make demo'
grep -q "^champion  *$first\$" "$logs/demo-2.log" ||
	die 1 "the second make demo did not gate against the first's champion $first"
say "the second make demo gated against the first's champion $first"

# The release package: apt installs it in a second pristine root from its
# Depends alone, and in this one, where the demo runs with /usr/bin/xpship
# from a state of its own (a first release again).
step dist 'make dist'
deb=$(cd "$root/root/xpship/dist" && ls xpship_*.deb) || die 1 "make dist made no package"
new_root
pristine=$new
mount_all "$pristine"
in_root "$rehash" "$pristine" || die 4 "update-ca-certificates failed in the second root"
cp "$root/root/xpship/dist/$deb" "$pristine/root/$deb"
apt_install="apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends"
step deb-pristine "$apt_install ./root/$deb >/dev/null && xpship version && xpship completion bash >/dev/null" "$pristine"
grep -q '^libcurl .*jansson' "$logs/deb-pristine.log" || die 1 "the installed xpship did not run in a pristine root"
# (then purged: what it installed goes, and the tests find no xpship on PATH)
step deb-demo "$apt_install ./dist/$deb >/dev/null && test \"\$(command -v xpship)\" = /usr/bin/xpship &&
	XPSHIP_DEMO_DIR=/root/demo-deb make demo XPSHIP=/usr/bin/xpship &&
	apt-get purge -y -qq xpship >/dev/null && ! command -v xpship && test ! -e /usr/share/xpship"
if ! grep -q '^champion  *none (first release)$' "$logs/deb-demo.log" ||
	! grep -q '^promoted .* -> sha256:' "$logs/deb-demo.log"; then
	die 1 "the demo with the installed package did not promote a first release"
fi
say "the package installs from its Depends and the demo runs with /usr/bin/xpship"

step test "make test${TESTS:+ TESTS=$(printf %q "$TESTS")}"
tail -n 1 "$logs/test.log" | grep -Eq '^[0-9]+ passed, 0 failed' ||
	die 1 "make test did not end with 'N passed, 0 failed'"
say "passed in $(($(date +%s) - t0))s: $(tail -n 1 "$logs/test.log")"
