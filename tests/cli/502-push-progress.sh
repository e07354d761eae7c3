# Progress of large blobs on a non-terminal stderr (CI logs): push and pull
# print a plain line at each further 10% of a blob of 8 MiB or more, named by
# its short digest, ending with 100%; --quiet prints nothing; a blob the
# registry already has is not transferred, so it shows no progress.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/progress.sh"

head -c 9000000 /dev/zero >weights.bin
xp -q pack -o b -t v1 weights.bin >/dev/null || fail "pack"
layer=$(python3 -c 'import json,sys
m = json.load(open(sys.argv[1]))
d = m["manifests"][0]["digest"].split(":")[1]
print(json.load(open("b/blobs/sha256/" + d))["layers"][-1]["digest"])' b/index.json)
short=${layer:0:19}
reg_start plain || fail "registry did not start"

run xp push --plain-http b "$REG_ADDR/team/big:v1"
expect_rc 0
progress_ok "$T/.err"

# everything there already: no transfer, no progress
run xp push --plain-http b "$REG_ADDR/team/big:v2"
expect_rc 0
expect_err_empty

run xp -q push --plain-http b "$REG_ADDR/team/quiet:v1"
expect_rc 0
expect_err_empty

run xp pull --plain-http "$REG_ADDR/team/big:v1" pulled
expect_rc 0
progress_ok "$T/.err"
cmp -s "b/blobs/sha256/${layer#sha256:}" "pulled/blobs/sha256/${layer#sha256:}" ||
	fail "pulled layer differs"

run xp -q pull --plain-http "$REG_ADDR/team/big:v1" pulled2
expect_rc 0
expect_err_empty
exit 0
