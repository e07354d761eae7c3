# `copy` between repositories of one registry (blobs mounted, not transferred),
# across two registries, and from a registry into a local archive; the
# companions and the referrers fallback index follow the image.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1

M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
IX=sha256:888e403258e7747e3d69d46739c4f26cf37b0304033a34c341f9e01837a357b0
reg_start plain one || fail "registry did not start"
A=$REG_ADDR
reg_start plain two || fail "second registry did not start"
B=$REG_ADDR

run xp push --plain-http "oci:$DATA/registry/signed:v1" "$A/team/model:v1"
expect_rc 0

# the fallback referrers index lists both companions (no referrers API here)
curl -s -H 'Accept: application/vnd.oci.image.index.v1+json' \
	"http://$A/v2/team/model/manifests/${M/:/-}" >"$T/fallback.json"
python3 - "$T/fallback.json" <<'PY' || fail "fallback index"
import json, sys
ix = json.load(open(sys.argv[1]))
assert ix["mediaType"] == "application/vnd.oci.image.index.v1+json", ix
got = sorted(m["digest"] for m in ix["manifests"])
assert got == ["sha256:8706cad2da851795e1722e82e6109be2b08eba25c3e2e5faa4ce3b77b0883bfe",
               "sha256:c63ce666f515dab328b4172d25c5d7db39c6d7c6c5c13cc4dc096c3cdec66333"], got
PY

# same registry: mounted
run xp -v copy --plain-http "$A/team/model:v1" "$A/prod/model:stable"
expect_rc 0
expect_out <<END
$A/prod/model@$M
END
expect_err <<'END'
xpship: copied 0 blobs (0 bytes), 0 already there, 5 mounted; 3 manifests, 2 signatures/attestations
END
run xp tags --all --plain-http "$A/prod/model"
expect_out <<END
${M/:/-}
${M/:/-}.att
${M/:/-}.sig
stable
END

# another registry: transferred, in parallel, then nothing on a repeat
run xp -v copy --plain-http --jobs 4 "$A/team/model:v1" "docker://$B/mirror/model"
expect_rc 0
expect_out <<END
$B/mirror/model@$M
END
expect_err <<'END'
xpship: copied 5 blobs (31218 bytes), 0 already there, 0 mounted; 3 manifests, 2 signatures/attestations
END
run xp -v copy --plain-http "$A/team/model:v1" "$B/mirror/model"
expect_rc 0
expect_err <<'END'
xpship: copied 0 blobs (0 bytes), 5 already there, 0 mounted; 3 manifests, 2 signatures/attestations
END
got=$(skopeo inspect --raw --tls-verify=false "docker://$B/mirror/model:v1" | sha256sum | cut -d' ' -f1)
expect_eq "${M#sha256:}" "$got" "mirrored manifest"

# an index and its manifests
run xp push --plain-http "oci:$DATA/registry/index:multi" "$A/team/multi:multi"
expect_rc 0
run xp copy --plain-http "$A/team/multi:multi" "$B/team/multi:m2"
expect_rc 0
expect_out <<END
$B/team/multi@$IX
END
skopeo inspect --raw --tls-verify=false "docker://$B/team/multi:m2" | sha256sum | grep -q "${IX#sha256:}" ||
	fail "index differs"

# registry to a local archive, and back from a local layout to a registry
run xp copy --plain-http "$B/team/multi:m2" "oci-archive:$T/multi.tar:local"
expect_rc 0
expect_out <<END
oci-archive:$T/multi.tar@$IX
END
run xp copy --plain-http "oci-archive:$T/multi.tar:local" "$A/back/multi:again"
expect_rc 0
expect_out <<END
$A/back/multi@$IX
END

# usage
run xp copy "$A/team/model:v1"
expect_rc 2
expect_err <<'END'
xpship: error: expected a source and a destination
Run 'xpship copy --help' for usage.
END
run xp copy --plain-http "$A/team/model@$M" "oci:$T/l"
expect_rc 2
expect_err <<END
xpship: error: name a tag for the bundle in 'oci:$T/l', as in 'oci:$T/l:TAG'
Run 'xpship copy --help' for usage.
END
run xp copy --plain-http "$A/team/model:v1" "$B/x/y@$M"
expect_rc 2
expect_err <<END
xpship: error: the destination '$B/x/y@$M' cannot name a digest
Run 'xpship copy --help' for usage.
END
exit 0
