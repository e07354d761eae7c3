# `promote` on a real registry: the tag moves to the candidate's digest only
# when its signature (and, when asked, a signed gate decision with the verdict)
# verifies; wrong keys, failed verdicts, unsigned and tampered candidates leave
# the tag where it was.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1 SOURCE_DATE_EPOCH=1764064800

M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
IX=sha256:888e403258e7747e3d69d46739c4f26cf37b0304033a34c341f9e01837a357b0
LAYER=75c0add89fed7c23231a2f03cacdeb9a31cb3406994e76e0184c31744605dbbf
reg_start plain || fail "registry did not start"
R=$REG_ADDR
xp keygen -t ed25519 -o k >/dev/null || fail "keygen"
xp keygen -t ed25519 -o other >/dev/null || fail "keygen other"
tag_digest() { # REPO:TAG -> digest, or "none"
	curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		-H 'Accept: application/vnd.oci.image.index.v1+json' "http://$R/v2/${1%%:*}/manifests/${1#*:}" |
		grep -q 200 || { echo none; return; }
	reg_skopeo_digest "$R/$1"
}

# the candidate: pushed, signed, with a passing gate decision
xp push --plain-http "oci:$DATA/registry/bundle:v1" "$R/team/model:cand" >/dev/null || fail "push"
xp sign --plain-http --key k.key "$R/team/model:cand" >/dev/null || fail "sign"
xp attest --plain-http --key k.key --decision "$DATA/sign/decision-pass.json" "$R/team/model:cand" \
	>/dev/null || fail "attest"

# a wrong key: nothing moves
run xp promote --plain-http --verify-key other.pub --require-verdict pass "$R/team/model:cand" --to prod
expect_rc 1
expect_out_empty
expect_err_has "xpship: error: verification failed for '$R/team/model:cand': signature: no valid signature"
expect_eq none "$(tag_digest team/model:prod)" "prod after a wrong key"

run xp promote --plain-http --verify-key k.pub --require-verdict pass "$R/team/model:cand" --to prod
expect_rc 0
expect_out <<END
$R/team/model:prod@$M
END
expect_err_empty
expect_eq "$M" "$(tag_digest team/model:prod)" "prod"
# again: nothing to do, same answer
run xp promote --plain-http --verify-key k.pub --require-verdict pass "$R/team/model@$M" --to prod
expect_rc 0
expect_out <<END
$R/team/model:prod@$M
END

# a second candidate with a failing gate decision does not replace prod
xp push --plain-http "oci:$DATA/registry/index:multi" "$R/team/model:cand2" >/dev/null || fail "push 2"
xp sign --plain-http --key k.key "$R/team/model:cand2" >/dev/null || fail "sign 2"
xp attest --plain-http --key k.key --decision "$DATA/sign/decision-fail.json" "$R/team/model:cand2" \
	>/dev/null || fail "attest 2"
run xp promote --plain-http --verify-key k.pub --require-verdict pass "$R/team/model:cand2" --to prod
expect_rc 1
expect_err_has "xpship: error: verification failed for '$R/team/model:cand2': verdict: "
expect_eq "$M" "$(tag_digest team/model:prod)" "prod after a failed verdict"
# the signature alone is enough when no verdict is asked for
run xp promote --plain-http --verify-key k.pub "$R/team/model:cand2" --to staging
expect_rc 0
expect_out <<END
$R/team/model:staging@$IX
END

# unsigned: not promoted
xp push --plain-http "oci:$DATA/registry/bundle:v1" "$R/team/unsigned:cand" >/dev/null || fail "push 3"
run xp promote --plain-http --verify-key k.pub "$R/team/unsigned:cand" --to prod
expect_rc 1
expect_err_has "xpship: error: verification failed for '$R/team/unsigned:cand': signature: not signed"
expect_eq none "$(tag_digest team/unsigned:prod)" "unsigned prod"

# forgery: the signed candidate's layer altered in the registry's storage
data=$(find "$REG_DIR/data" -path "*/blobs/sha256/*/$LAYER/data")
[ -f "$data" ] || fail "layer not found in registry storage"
printf 'X' | dd of="$data" bs=1 seek=300 conv=notrunc 2>/dev/null
run xp promote --plain-http --verify-key k.pub "$R/team/model:cand" --to release
expect_rc 1
expect_err_has "xpship: error: verification failed for '$R/team/model:cand': blobs: "
expect_eq none "$(tag_digest team/model:release)" "release after tampering"

# without a key: moved, with a warning
run xp promote --plain-http "$R/team/model:cand2" --to canary
expect_rc 0
expect_out <<END
$R/team/model:canary@$IX
END
expect_err <<END
xpship: warning: promoting '$R/team/model:cand2' without verification (no --key)
END

# absent and unreachable
run xp promote --plain-http --verify-key k.pub "$R/team/model:nope" --to prod
expect_rc 1
expect_err <<END
xpship: error: no tag 'nope' in '$R/team/model'
END
port=$(reg_free_port)
run xp promote --plain-http --verify-key k.pub "127.0.0.1:$port/team/model:cand" --to prod
expect_rc 5

# usage
run xp promote --plain-http "$R/team/model:cand"
expect_rc 2
expect_err <<'END'
xpship: error: missing --to TAG
Run 'xpship promote --help' for usage.
END
run xp promote --require-verdict pass "$R/team/model:cand" --to prod
expect_rc 2
expect_err <<'END'
xpship: error: --require-verdict needs --key: a verdict counts only when signed
Run 'xpship promote --help' for usage.
END
run xp promote --verify-key k.pub "$R/team/model:cand" --to 'bad tag'
expect_rc 2
expect_err <<'END'
xpship: error: invalid tag 'bad tag': ' ' at position 4 (a tag holds letters, digits, '_', '.' and '-')
Run 'xpship promote --help' for usage.
END
run xp promote --verify-key k.pub --require-verdict maybe "$R/team/model:cand" --to prod
expect_rc 2
expect_err <<'END'
xpship: error: invalid --require-verdict 'maybe' (expected pass, pass-with-waivers or fail)
Run 'xpship promote --help' for usage.
END
exit 0
