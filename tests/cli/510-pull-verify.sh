# `pull` from a real registry into local layouts: what skopeo pushed, xpship pulls
# and umoci unpacks; the signature/attestation tags come along; content the
# registry serves tampered is refused and never lands in the layout.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1

S=$DATA/registry/signed
M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
LAYER=75c0add89fed7c23231a2f03cacdeb9a31cb3406994e76e0184c31744605dbbf
reg_start plain || fail "registry did not start"
A=$REG_ADDR

# skopeo pushes, xpship pulls and verifies, umoci unpacks the result
skopeo copy -q --preserve-digests --dest-tls-verify=false "oci:$DATA/registry/bundle:v1" \
	"docker://$A/sk/model:v1" || fail "skopeo copy"
run xp pull --plain-http "$A/sk/model:v1" "oci:$T/out"
expect_rc 0
expect_out <<END
oci:$T/out:v1@$M
END
expect_err_empty
umoci unpack --rootless --image "$T/out:v1" "$T/rootfs" >/dev/null 2>&1 || fail "umoci unpack"
cmp -s "$T/rootfs/rootfs/model/README" - <<<"churn classifier 1.4.0" || fail "README differs"
skopeo inspect "oci:$T/out:v1" >/dev/null || fail "skopeo cannot read the pulled layout"

# a signed bundle: the companions come along; a second pull moves nothing
run xp push --plain-http "oci:$S:v1" "$A/team/model:v1"
expect_rc 0
run xp -v pull --plain-http "docker://$A/team/model:v1" "oci:$T/signed:prod"
expect_rc 0
expect_out <<END
oci:$T/signed:prod@$M
END
expect_err <<'END'
xpship: pulled 5 blobs (31218 bytes), 0 already there, 0 mounted; 3 manifests, 2 signatures/attestations
END
run xp tags --all "oci:$T/signed"
expect_out <<END
prod
${M/:/-}.att
${M/:/-}.sig
END
run xp -v pull --plain-http "$A/team/model:v1" "oci:$T/signed:prod"
expect_rc 0
expect_err <<'END'
xpship: pulled 0 blobs (0 bytes), 5 already there, 0 mounted; 3 manifests, 2 signatures/attestations
END

# into an oci-archive, by digest
run xp pull --plain-http "$A/team/model@$M" "oci-archive:$T/m.tar:v1"
expect_rc 0
expect_out <<END
oci-archive:$T/m.tar:v1@$M
END
skopeo inspect --raw "oci-archive:$T/m.tar:v1" | sha256sum | grep -q "${M#sha256:}" ||
	fail "archive manifest differs"

# absent things are "no" (exit 1)
run xp pull --plain-http "$A/team/model:nope" "oci:$T/x"
expect_rc 1
expect_err <<END
xpship: error: no tag 'nope' in '$A/team/model'
END
run xp pull --plain-http "$A/team/model@sha256:1111111111111111111111111111111111111111111111111111111111111111" "oci:$T/x:t"
expect_rc 1
expect_err <<END
xpship: error: no manifest 'sha256:1111111111111111111111111111111111111111111111111111111111111111' in '$A/team/model'
END
[ -e "$T/x" ] && fail "a failed pull created the layout"

# forgery: the registry's copy of the layer is altered on disk
data=$(find "$REG_DIR/data" -path "*/blobs/sha256/*/$LAYER/data")
[ -f "$data" ] || fail "layer not found in registry storage"
printf 'X' | dd of="$data" bs=1 seek=200 conv=notrunc 2>/dev/null
run xp pull --plain-http "$A/team/model:v1" "oci:$T/forged"
expect_rc 1
expect_err_has "xpship: error: blob 'sha256:$LAYER' in '$A/team/model': digest sha256:"
expect_err_has ", expected sha256:$LAYER"
[ -e "$T/forged/blobs/sha256/$LAYER" ] && fail "tampered layer renamed into place"
ls -A "$T/forged/blobs/sha256" 2>/dev/null | grep -q tmp && fail "temporary file left behind"
[ -f "$T/forged/index.json" ] && grep -q '"v1"' "$T/forged/index.json" && fail "tag written"

# usage
run xp pull --plain-http "$A/team/model@$M" "oci:$T/y"
expect_rc 2
expect_err <<END
xpship: error: name a tag for the bundle in '$T/y', as in 'oci:$T/y:TAG'
Run 'xpship pull --help' for usage.
END
run xp pull model:v1 "oci:$T/z"
expect_rc 2
expect_err <<END
xpship: error: invalid registry reference 'model:v1': expected [docker://]HOST[:PORT]/REPO[:TAG]
Run 'xpship pull --help' for usage.
END
run xp pull "$A/team/model:v1"
expect_rc 2
expect_err <<'END'
xpship: error: expected a registry reference and an output layout
Run 'xpship pull --help' for usage.
END
exit 0
