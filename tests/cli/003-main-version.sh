# --version prints one line; `version` adds the library versions.
. "$TESTS_DIR/lib.sh"

run xp --version
expect_rc 0
expect_err_empty
grep -qE '^xpship [0-9]+\.[0-9]+\.[0-9]+$' "$T/.out" || fail "bad version line"
[ "$(wc -l <"$T/.out")" -eq 1 ] || fail "--version prints more than one line"

run xp version
expect_rc 0
expect_out_has "libcurl "
expect_out_has "libarchive "
expect_out_has "libyaml "
expect_out_has "OpenSSL "
expect_out_has "jansson "

# global options are accepted before and after the command
run xp -q version
expect_rc 0
run xp version --quiet
expect_rc 0
