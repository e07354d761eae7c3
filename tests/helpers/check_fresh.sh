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
# promoted) and `make test`. Mounts, processes left in the root and the root
# itself are removed however it ends.
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
root=""
mounts=()
cleanup() {
	local rc=$? i pid p
	trap - EXIT INT TERM HUP
	set +e
	case $rc in 129 | 130 | 143) say "interrupted; removing the root" ;; esac
	if [ -n "$root" ] && [ -d "$root" ]; then
		# processes still running inside the root (a registry left by a killed run)
		for p in /proc/[0-9]*; do
			[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] || continue
			pid=${p#/proc/}
			kill -KILL "$pid" 2>/dev/null
		done
		for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
			umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" ||
				say "cannot unmount ${mounts[i]}"
		done
		if grep -q " ${root}[/ ]" /proc/self/mountinfo; then
			say "mounts remain under $root; leaving it in place"
		elif [ "$rc" != 0 ] && [ "${XPSHIP_FRESH_KEEP:-0}" = 1 ]; then
			say "root kept for inspection: $root"
		else
			rm -rf --one-file-system "$root"
			rm -f "$root.pid"
		fi
	fi
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

root=$(mktemp -d "$cache/root.XXXXXX")
echo $$ >"$root.pid"
tar -xpf "$base" --numeric-owner -C "$root" || die 4 "cannot unpack $base"
chmod 0755 "$root"

# This machine's CA certificates that the Debian bundle lacks (an egress proxy
# or a private mirror), added the Debian way.
bundle=/etc/ssl/certs/ca-certificates.crt
if [ -f "$bundle" ]; then
	mkdir -p "$root/usr/local/share/ca-certificates/host"
	awk -v dir="$root/usr/local/share/ca-certificates/host" '
		/-----BEGIN CERTIFICATE-----/ { body = ""; pem = ""; in_cert = 1 }
		in_cert { pem = pem $0 "\n"; if ($0 !~ /^-----/) body = body $0 }
		/-----END CERTIFICATE-----/ {
			in_cert = 0
			if (FNR == NR) { seen[body] = 1; next }
			if (!(body in seen)) {
				n++; f = sprintf("%s/host-%03d.crt", dir, n)
				printf "%s", pem > f; close(f); seen[body] = 1
			}
		}' "$root$bundle" "$bundle"
fi
# npm settings (registry, cafile) and apt credentials for a private mirror
[ -f /etc/npmrc ] && cp /etc/npmrc "$root/etc/npmrc"
[ -f "${HOME:-/root}/.npmrc" ] && cp "${HOME:-/root}/.npmrc" "$root/root/.npmrc"
for f in /etc/apt/auth.conf.d/*; do
	[ -f "$f" ] && install -m 0600 "$f" "$root/etc/apt/auth.conf.d/"
done
cp -L /etc/resolv.conf "$root/etc/resolv.conf"

# The clone a user would make: committed HEAD only.
git -c advice.detachedHead=false clone -q --no-hardlinks "$src" "$root/root/xpship"
git -C "$root/root/xpship" fetch -q "$src" HEAD
git -C "$root/root/xpship" checkout -q --detach FETCH_HEAD
[ "$(git -C "$root/root/xpship" rev-parse HEAD)" = "$sha" ] || die 4 "clone is not at $sha"

mnt() { mount "$@" && mounts+=("${*: -1}"); }
mnt -t proc proc "$root/proc"
mnt -t sysfs sysfs "$root/sys"
mnt --bind /dev "$root/dev"
mnt --bind /dev/pts "$root/dev/pts"
mnt -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"

# in_root CMD: run CMD with bash -c as root inside, with a login-like
# environment (no locale, as a new machine has none).
inner_env=(HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${proxy_env[@]}")
[ -n "${CI:-}" ] && inner_env+=("CI=$CI")
in_root() {
	chroot "$root" /usr/bin/env -i "${inner_env[@]}" /bin/bash -c "$1"
}
# (Debian's rehash always warns that the bundle is not a single certificate)
# shellcheck disable=SC2016 # expanded inside the root
in_root 'update-ca-certificates 2>&1 >/dev/null | grep -v "skipping ca-certificates.crt" >&2; exit "${PIPESTATUS[0]}"' ||
	die 4 "update-ca-certificates failed in the root"
say "root ready in $(($(date +%s) - t0))s: $root (HEAD $sha)"

logs=$cache/logs
mkdir -p "$logs"
step() {
	local name=$1 cmd=$2 t rc
	say "== $name"
	t=$(date +%s)
	# in the background, so that a signal to this script is handled at once
	rm -f "$logs/$name.rc"
	{
		in_root "cd /root/xpship && $cmd"
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

step test "make test${TESTS:+ TESTS=$(printf %q "$TESTS")}"
tail -n 1 "$logs/test.log" | grep -Eq '^[0-9]+ passed, 0 failed' ||
	die 1 "make test did not end with 'N passed, 0 failed'"
say "passed in $(($(date +%s) - t0))s: $(tail -n 1 "$logs/test.log")"
