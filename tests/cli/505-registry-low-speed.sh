# A registry that trickles (bytes keep coming, too few to ever stall) or stalls
# mid-body is cut off: a transfer moving fewer than XPSHIP_REGISTRY_LOW_SPEED_LIMIT
# bytes a second (default 1024) over XPSHIP_REGISTRY_LOW_SPEED_TIME seconds
# (default 30) fails with exit 5, as does a body that stops for
# XPSHIP_REGISTRY_STALL_TIMEOUT seconds; both are retried like any failed transfer.
# A slow transfer above the limit completes. Small limits here, so the test runs
# in seconds; every command must end within 20 s.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/fault_proxy.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1 XPSHIP_REGISTRY_RETRIES=0
export XPSHIP_REGISTRY_LOW_SPEED_LIMIT=1024 XPSHIP_REGISTRY_LOW_SPEED_TIME=1

B=$DATA/registry/bundle
M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
LAYER=sha256:75c0add89fed7c23231a2f03cacdeb9a31cb3406994e76e0184c31744605dbbf
reg_start plain || fail "registry did not start"
R=$REG_ADDR
xp -q push --plain-http "oci:$B:v1" "$R/team/model:v1" >/dev/null || fail "push"
fp_start "$R" || fail "proxy did not start"
P=$FP_ADDR

# bounded CMD...: run it, cut off after 20 s (exit 124: it hung)
bounded() {
	run timeout 20 "$XPSHIP" "$@"
	[ "$(rc)" != 124 ] || fail "'xpship $*' did not end within 20 s"
}

# the documented settings
run xp pull --help
expect_out_has "XPSHIP_REGISTRY_LOW_SPEED_LIMIT"
expect_out_has "XPSHIP_REGISTRY_LOW_SPEED_TIME"

# a manifest read (reg_do) at 1 byte/s
fp_plan '{"rules":[{"method":"HEAD","path":"/manifests/v1$","action":"status","status":200,"body":""},
 {"method":"GET","path":"/manifests/v1$","action":"pass","rate":1}]}'
bounded inspect --plain-http "$P/team/model:v1"
expect_rc 5
expect_err <<END
xpship: error: cannot reach registry '$P': slower than 1024 bytes/s for 1 s
END

# a layer (a streaming read) at 100 bytes/s, retried once: two tries, then exit 5
fp_reset
fp_plan "{\"rules\":[{\"method\":\"GET\",\"path\":\"/blobs/$LAYER\",\"action\":\"pass\",\"rate\":100,\"times\":0}]}"
XPSHIP_REGISTRY_RETRIES=1 bounded pull --plain-http "$P/team/model:v1" "oci:$T/out1"
expect_rc 5
expect_err <<END
xpship: error: cannot read 'http://$P/v2/team/model/blobs/$LAYER' from registry '$P': slower than 1024 bytes/s for 1 s
END
expect_eq 2 "$(fp_count GET "/blobs/$LAYER")" "GETs of the layer"
! grep -qs ref.name "$T/out1/index.json" || fail "a tag was written"

# a layer whose body stops after the answer's head: the stall timeout
fp_plan "{\"rules\":[{\"method\":\"GET\",\"path\":\"/blobs/$LAYER\",\"action\":\"stall\",\"phase\":\"body\",\"seconds\":60,\"then\":\"close\"}]}"
XPSHIP_REGISTRY_STALL_TIMEOUT=2 bounded pull --plain-http "$P/team/model:v1" "oci:$T/out2"
expect_rc 5
expect_err <<END
xpship: error: cannot read 'http://$P/v2/team/model/blobs/$LAYER' from registry '$P': no data moved for 2 s
END

# slow, but above the limit (16 KiB/s for a 30 KiB layer, two windows): it completes
fp_plan "{\"rules\":[{\"method\":\"GET\",\"path\":\"/blobs/$LAYER\",\"action\":\"pass\",\"rate\":16384}]}"
bounded pull --plain-http "$P/team/model:v1" "oci:$T/out3"
expect_rc 0
expect_out <<END
oci:$T/out3:v1@$M
END
cmp -s "$B/blobs/sha256/${LAYER#sha256:}" "$T/out3/blobs/sha256/${LAYER#sha256:}" ||
	fail "pulled layer differs"
exit 0
