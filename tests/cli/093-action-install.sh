# The action's install step builds xpship from the action's own checkout when
# no usable cached build exists (here: a stale binary that cannot run), and the
# build cache key follows the sources: same sources, same key; one changed
# file, a new key.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/action.sh"
action_setup
rm -f action/build/xpship
printf '#!/bin/sh\nexit 127\n' >action/build/xpship
chmod +x action/build/xpship

act command=version
expect_rc 0
expect_out_has "::group::Build xpship"
expect_out_has "+ xpship version"
expect_out_lacks "using the cached build"
[ -x action/build/xpship ] && [ ! -L action/build/xpship ] || fail "no binary built"
expect_eq "xpship 0.1.0" "$(action/build/xpship --version)" "the built binary"

# the build is reused
act command=version
expect_rc 0
expect_out_has "xpship: using the cached build (xpship 0.1.0)"

# cache key
key() {
	: >"$T/gh-output"
	GITHUB_ACTION_PATH="$T/action" GITHUB_OUTPUT="$T/gh-output" \
		bash "$T/action/.github/action/install.sh" key || fail "key step failed"
	grep -E '^key=[0-9a-f]{20}$' "$T/gh-output" || fail "no key output: $(cat "$T/gh-output")"
}
k1=$(key) || fail "key"
k2=$(key) || fail "key"
expect_eq "$k1" "$k2" "key of unchanged sources"
echo "/* changed */" >>action/cmd/main.c
k3=$(key) || fail "key"
[ "$k1" != "$k3" ] || fail "key did not change with the sources"
rm action/Makefile
: >"$T/gh-output"
run env GITHUB_ACTION_PATH="$T/action" GITHUB_OUTPUT="$T/gh-output" \
	bash "$T/action/.github/action/install.sh" key
expect_rc 1
expect_out_has "::error title=xpship::no xpship sources in $T/action"
exit 0
