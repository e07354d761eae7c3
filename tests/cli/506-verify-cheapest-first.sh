# Verification reads the cheapest things first: the manifests, then the
# signatures and attestations, and the configs and layers last, only when
# everything else held. A bundle whose signed gate verdict is `fail`, or whose
# signature is not by the key, is refused without a single GET of its config or
# layer (counted in the fault proxy's request log), by `verify` and by
# `promote`; a bundle that verifies has every blob read once.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/fault_proxy.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1 SOURCE_DATE_EPOCH=1764064800

M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
CFG=sha256:4c4f2cf201ed4ede683089e21e80298b6d5d2543f3b1a23b44930819568e9353
LAYER=sha256:75c0add89fed7c23231a2f03cacdeb9a31cb3406994e76e0184c31744605dbbf
reg_start plain || fail "registry did not start"
R=$REG_ADDR
xp keygen -t ed25519 -o k >/dev/null && xp keygen -t ed25519 -o other >/dev/null || fail "keygen"
xp push --plain-http "oci:$DATA/registry/bundle:v1" "$R/team/model:cand" >/dev/null || fail "push"
xp sign --plain-http --key k.key "$R/team/model:cand" >/dev/null || fail "sign"
xp attest --plain-http --key k.key --decision "$DATA/sign/decision-fail.json" "$R/team/model:cand" \
	>/dev/null || fail "attest"
fp_start "$R" || fail "proxy did not start"
P=$FP_ADDR
content_gets() { echo $(($(fp_count GET "/blobs/$CFG") + $(fp_count GET "/blobs/$LAYER"))); }

# the signed verdict is `fail`: refused, config and layer never asked for
run xp verify --plain-http --key k.pub --require-verdict pass "$P/team/model:cand"
expect_rc 1
expect_out_has "blobs          skip   2 not read: the bundle is refused already (verdict)"
expect_out_has "signature      ok"
expect_out_has "verdict        FAILED the gate decision's verdict is 'fail', 'pass' is required"
expect_err <<END
xpship: error: verification failed for '$P/team/model:cand': verdict: the gate decision's verdict is 'fail', 'pass' is required
END
expect_eq 0 "$(content_gets)" "config and layer GETs of a refused verify"

run xp promote --plain-http --verify-key k.pub --require-verdict pass "$P/team/model:cand" --to prod
expect_rc 1
expect_out_empty
expect_err <<END
xpship: error: verification failed for '$P/team/model:cand': verdict: the gate decision's verdict is 'fail', 'pass' is required
END
expect_eq 0 "$(content_gets)" "config and layer GETs of a refused promote"
expect_eq 404 "$(curl -s -o /dev/null -w '%{http_code}' \
	-H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$R/v2/team/model/manifests/prod")" "prod"

# a signature by another key: refused the same way
run xp verify --plain-http --key other.pub "$P/team/model:cand"
expect_rc 1
expect_out_has "blobs          skip   2 not read: the bundle is refused already (signature, attestation 1, attestation 2)"
expect_eq 0 "$(content_gets)" "config and layer GETs with the wrong key"

# everything holds: every blob is read, once
run xp verify --plain-http --key k.pub "$P/team/model:cand"
expect_rc 0
expect_out_has "blobs          ok     3 of 3 match their digests"
expect_eq 1 "$(fp_count GET "/blobs/$CFG" 200)" "config GETs"
expect_eq 1 "$(fp_count GET "/blobs/$LAYER" 200)" "layer GETs"
exit 0
