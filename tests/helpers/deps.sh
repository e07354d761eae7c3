#!/bin/sh
# tests/helpers/deps.sh PKG... — install the Debian packages that are missing.
# As root: apt-get. With passwordless sudo (GitHub runners): sudo apt-get.
# Otherwise: print the exact command and fail.
set -u
missing=""
for p in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	echo "xpship: missing packages:$missing" >&2
	echo "xpship: run as root: apt-get update && $cmd" >&2
	exit 1
fi
echo "xpship: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null || exit 1
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
