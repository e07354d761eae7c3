# Progress of every long read on a non-terminal stderr (CI logs), as push and
# pull report it (502): `verify` and `promote --verify-key` of a registry
# bundle, and a `copy` between two registries, print a plain line at each
# further 10% of a blob of 8 MiB or more, named by its short digest, ending with
# 100%; with --quiet nothing. On a terminal, a line redrawn in place.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/progress.sh"

head -c 9000000 /dev/zero >weights.bin
xp -q pack -o b -t v1 weights.bin >/dev/null || fail "pack"
xp -q keygen -t ed25519 -o k </dev/null >/dev/null || fail "keygen"
layer=$(python3 -c 'import json,sys
m = json.load(open(sys.argv[1]))
d = m["manifests"][0]["digest"].split(":")[1]
print(json.load(open("b/blobs/sha256/" + d))["layers"][-1]["digest"])' b/index.json)
short=${layer:0:19}
reg_start plain one || fail "registry did not start"
R1=$REG_ADDR
reg_start plain two || fail "second registry did not start"
R2=$REG_ADDR
xp -q push --plain-http b "$R1/team/big:v1" >/dev/null || fail "push"
xp -q sign --plain-http --key k.key "$R1/team/big:v1" >/dev/null || fail "sign"

run xp verify --plain-http --key k.pub "$R1/team/big:v1"
expect_rc 0
progress_ok "$T/.err"
run xp -q verify --plain-http --key k.pub "$R1/team/big:v1"
expect_rc 0
expect_err_empty

# on a terminal: one line redrawn in place, ending "<short> 8.6 MiB done (<rate>/s)"
script -qec "'$XPSHIP' verify --plain-http --key k.pub '$R1/team/big:v1' >/dev/null" /dev/null \
	>"$T/tty" 2>&1 || fail "verify on a terminal: $(cat "$T/tty")"
grep -q $'\r\033\[K'"$short"' 8.6 MiB done (' "$T/tty" ||
	fail "no terminal progress: $(od -c "$T/tty" | head)"

run xp promote --plain-http --verify-key k.pub "$R1/team/big:v1" --to prod
expect_rc 0
progress_ok "$T/.err"
run xp -q promote --plain-http --verify-key k.pub "$R1/team/big:v1" --to prod
expect_rc 0
expect_err_empty

run xp copy --plain-http "$R1/team/big:v1" "$R2/team/big:v1"
expect_rc 0
progress_ok "$T/.err"
run xp -q copy --plain-http "$R1/team/big:v1" "$R2/team/quiet:v1"
expect_rc 0
expect_err_empty
exit 0
