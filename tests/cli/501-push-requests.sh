# What a push asks the registry, counted in the fault proxy's request log in
# front of the real Debian registry: each blob is asked for once (one HEAD per
# blob, never a second check before the upload), uploaded once when absent, and
# a repeat push asks once and uploads nothing.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/fault_proxy.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1

B=$DATA/registry/bundle     # two blobs: a config and one layer
reg_start plain || fail "registry did not start"
fp_start "$REG_ADDR" || fail "fault proxy did not start"
P=$FP_ADDR

run xp push --plain-http "oci:$B:v1" "$P/team/model:v1"
expect_rc 0
expect_eq 2 "$(fp_count HEAD '^/v2/team/model/blobs/sha256:' 404)" "HEADs of absent blobs"
expect_eq 0 "$(fp_count HEAD '^/v2/team/model/blobs/sha256:' 200)" "HEADs that found a blob"
expect_eq 2 "$(fp_count POST '^/v2/team/model/blobs/uploads/$')" "upload sessions"
expect_eq 1 "$(fp_count PUT '^/v2/team/model/manifests/v1$' 201)" "manifest PUT"
for d in 4c4f2cf201ed4ede683089e21e80298b6d5d2543f3b1a23b44930819568e9353 \
	75c0add89fed7c23231a2f03cacdeb9a31cb3406994e76e0184c31744605dbbf; do
	expect_eq 1 "$(fp_count HEAD "^/v2/team/model/blobs/sha256:$d\$")" "HEADs of $d"
done

# the repeat push: one HEAD per blob, each found; no upload
fp_reset
: >"$FP_LOG"
run xp push --plain-http "oci:$B:v1" "$P/team/model:v1"
expect_rc 0
expect_eq 2 "$(fp_count HEAD '^/v2/team/model/blobs/sha256:' 200)" "HEADs on repeat"
expect_eq 2 "$(fp_count HEAD '^/v2/team/model/blobs/sha256:')" "all blob HEADs on repeat"
expect_eq 0 "$(fp_count POST '^/v2/team/model/blobs/uploads/')" "uploads on repeat"
