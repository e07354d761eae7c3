# The action installs the released Debian package of its own version when its
# packaging/SHA256SUMS lists it: downloaded from the release (here a local
# HTTP server standing in for GitHub releases), checksum verified, unpacked,
# no build. A tampered package or an unlisted pinned version fails the step;
# `version:` pins another listed release; an unreachable release of its own
# version falls back to the action's sources.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/action.sh"
src=$(cd "$TESTS_DIR/.." && pwd)
action_setup
v=$(sed -n 's/^VERSION *:= *//p' "$src/Makefile")
arch=$(dpkg --print-architecture)
deb=xpship_${v}_$arch.deb

# the release: make dist's package, served as .../v$v/$deb
make -s --no-print-directory -C "$src" BUILD="$T/build" XPSHIP="$XPSHIP" DISTDIR="$T/rel/v$v" dist \
	>/dev/null || fail "make dist"
python3 -u -m http.server --bind 127.0.0.1 --directory "$T/rel" 0 >http.log 2>&1 &
http_pid=$!
trap 'kill "$http_pid" 2>/dev/null' EXIT
for _ in $(seq 50); do
	port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' http.log | head -n 1)
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || fail "http server did not start: $(cat http.log)"
export XPSHIP_RELEASE_URL=http://127.0.0.1:$port
mkdir -p action/packaging
grep " $deb\$" "$T/rel/v$v/SHA256SUMS" >action/packaging/SHA256SUMS
sum=$(cut -d' ' -f1 action/packaging/SHA256SUMS)

# no build: the cached one is gone and the package is what runs
rm -f action/build/xpship
act command=version
expect_rc 0
expect_out_has "xpship: installed the release $deb (sha256 $sum)"
expect_out_lacks "Build xpship"
expect_out_has "+ xpship version"
expect_out_has "xpship $v"
[ ! -e action/build/xpship ] || fail "xpship was built"
[ -x runner-temp/xpship-$v/root/usr/bin/xpship ] || fail "package not unpacked under RUNNER_TEMP"
grep -q "GET /v$v/$deb " http.log || fail "package not downloaded: $(cat http.log)"

# a tampered package is refused; nothing runs
cp "$T/rel/v$v/$deb" good.deb
printf 'x' >>"$T/rel/v$v/$deb"
act command=version
expect_rc 1
expect_out_has "::error title=xpship::checksum mismatch for $deb from $XPSHIP_RELEASE_URL/v$v/$deb: expected $sum (packaging/SHA256SUMS), got "
expect_out_lacks "+ xpship version"
cp good.deb "$T/rel/v$v/$deb"

# version: pins another release the sums list (here a package that turns out
# to be another version: refused after the checksum matched)
mkdir -p "$T/rel/v0.0.9"
cp good.deb "$T/rel/v0.0.9/xpship_0.0.9_$arch.deb"
echo "$sum  xpship_0.0.9_$arch.deb" >>action/packaging/SHA256SUMS
act command=version version=v0.0.9
expect_rc 1
grep -q "GET /v0.0.9/xpship_0.0.9_$arch.deb " http.log || fail "pinned version not downloaded"
expect_out_has "::error title=xpship::xpship_0.0.9_$arch.deb does not run as xpship 0.0.9: xpship $v"

# a pinned version the sums do not list
act command=version version=0.0.8
expect_rc 1
expect_out_has "::error title=xpship::no release xpship_0.0.8_$arch.deb in this action's packaging/SHA256SUMS: pin a version it lists, or use a newer action"
expect_out_lacks "+ xpship version"

# its own release cannot be downloaded: the action's sources (here the cached build)
rm -rf "$T/rel/v$v"
ln -sf "$XPSHIP" action/build/xpship
act command=version
expect_rc 0
expect_out_has "xpship: cannot download $XPSHIP_RELEASE_URL/v$v/$deb"
expect_out_has "xpship: building $v from the action's sources instead"
expect_out_has "xpship: using the cached build (xpship $v)"

# not listed at all: the sources, as before
: >action/packaging/SHA256SUMS
act command=version
expect_rc 0
expect_out_has "xpship: no release $deb listed in packaging/SHA256SUMS: using the action's sources"
expect_out_has "xpship: using the cached build (xpship $v)"
exit 0
