# `push` to a real plain-HTTP Debian registry: what lands there is byte for byte
# the local manifest (skopeo as the independent reader), a repeat push moves
# nothing, the tag comes from REF or the bundle, and every usage error is pinned.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1

B=$DATA/registry/bundle
M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
reg_start plain || fail "registry did not start"
A=$REG_ADDR

run xp push --plain-http "oci:$B:v1" "$A/team/model:v1"
expect_rc 0
expect_out <<END
$A/team/model@$M
END
expect_err_empty
got=$(skopeo inspect --raw --tls-verify=false "docker://$A/team/model:v1" | sha256sum | cut -d' ' -f1)
expect_eq "${M#sha256:}" "$got" "digest of the manifest skopeo reads"
# the layer skopeo reports is the local one
skopeo inspect --tls-verify=false "docker://$A/team/model:v1" >"$T/inspect.json" ||
	fail "skopeo inspect"
grep -q 75c0add89fed7c23231a2f03cacdeb9a31cb3406994e76e0184c31744605dbbf "$T/inspect.json" ||
	fail "layer digest missing from skopeo's view"

# a repeat push finds everything there
run xp -v push --plain-http "oci:$B:v1" "$A/team/model:v1"
expect_rc 0
expect_out <<END
$A/team/model@$M
END
expect_err <<'END'
xpship: pushed 0 blobs (0 bytes), 2 already there, 0 mounted; 1 manifests, 0 signatures/attestations
END

# the bundle's only tag when REF has none; docker:// prefix
run xp push --plain-http "$B" "docker://$A/team/other"
expect_rc 0
expect_out <<END
$A/team/other@$M
END
run xp tags --all --plain-http "$A/team/other"
expect_rc 0
expect_out <<'END'
v1
END

# a signed bundle's only tag: the signature's tag does not count as a second one
cp -R "$B" "$T/signed"
xp keygen -o "$T/k" </dev/null >/dev/null 2>&1 || fail "keygen"
xp sign --key "$T/k.key" --identity "$A/team/signed" "$T/signed" >/dev/null 2>&1 || fail "sign"
run xp push --plain-http "$T/signed" "$A/team/signed"
expect_rc 0
expect_out <<END
$A/team/signed@$M
END
run xp tags --all --plain-http "$A/team/signed"
expect_rc 0
expect_out <<END
sha256-${M#sha256:}
sha256-${M#sha256:}.sig
v1
END
# by default only the releases
run xp tags --plain-http "$A/team/signed"
expect_rc 0
expect_out <<END
v1
END

# pushing by digest (REF names the right digest) writes no tag
run xp push --plain-http "oci:$B@$M" "$A/team/bydigest@$M"
expect_rc 0
expect_out <<END
$A/team/bydigest@$M
END
run xp tags --all --plain-http "$A/team/bydigest"
expect_rc 0
expect_out_empty
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
	"http://$A/v2/team/bydigest/manifests/$M")
expect_eq 200 "$code" "manifest by digest"

# XPSHIP_REGISTRY_PLAIN_HTTP instead of the option
XPSHIP_REGISTRY_PLAIN_HTTP="other.example,$A" run xp push "oci:$B:v1" "$A/team/env:v2"
expect_rc 0
expect_out <<END
$A/team/env@$M
END

# a tampered local blob never reaches the registry, and no tag is written
cp -r "$B" "$T/bad"
chmod -R u+w "$T/bad"
printf 'X' | dd of="$T/bad/blobs/sha256/75c0add89fed7c23231a2f03cacdeb9a31cb3406994e76e0184c31744605dbbf" \
	bs=1 seek=100 conv=notrunc 2>/dev/null
run xp push --plain-http "oci:$T/bad:v1" "$A/team/forged:v1"
expect_rc 1
expect_err_has "xpship: error: blob 'sha256:75c0add89fed7c23231a2f03cacdeb9a31cb3406994e76e0184c31744605dbbf' in 'oci:$T/bad': digest sha256:"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://$A/v2/team/forged/blobs/sha256:75c0add89fed7c23231a2f03cacdeb9a31cb3406994e76e0184c31744605dbbf")
expect_eq 404 "$code" "tampered blob in the registry"
run xp tags --all --plain-http "$A/team/forged"
expect_rc 0
expect_out_empty

# usage errors
run xp push
expect_rc 2
expect_err <<'END'
xpship: error: expected a bundle and a registry reference
Run 'xpship push --help' for usage.
END
run xp push --jobs 0 "$B" "$A/x/y"
expect_rc 2
expect_err <<'END'
xpship: error: invalid value '0' for --jobs: expected 1 to 32
Run 'xpship push --help' for usage.
END
run xp push --chunk-size 12Q "$B" "$A/x/y"
expect_rc 2
expect_err <<'END'
xpship: error: invalid value '12Q' for --chunk-size: expected a size of at least 1K, like 8M
Run 'xpship push --help' for usage.
END
run xp push --plain-htp "$B" "$A/x/y"
expect_rc 2
expect_err <<'END'
xpship: error: unknown option '--plain-htp' (did you mean '--plain-http'?)
Run 'xpship push --help' for usage.
END
run xp push "$B" notahost
expect_rc 2
expect_err <<'END'
xpship: error: invalid registry reference 'notahost': expected [docker://]HOST[:PORT]/REPO[:TAG]
Run 'xpship push --help' for usage.
END
run xp push "$B" "$A/Team/x"
expect_rc 2
expect_err <<END
xpship: error: invalid repository 'Team/x' in reference '$A/Team/x': lowercase letters, digits and separators only
Run 'xpship push --help' for usage.
END
run xp push --plain-http "oci:$B:v1" "$A/team/x@sha256:0000000000000000000000000000000000000000000000000000000000000000"
expect_rc 2
expect_err <<END
xpship: error: '$A/team/x@sha256:0000000000000000000000000000000000000000000000000000000000000000' names digest sha256:0000000000000000000000000000000000000000000000000000000000000000 but the bundle is $M
Run 'xpship push --help' for usage.
END
run xp push --plain-http "oci:$T/missing:v1" "$A/team/x"
expect_rc 4
expect_err <<END
xpship: error: cannot open OCI layout '$T/missing': No such file or directory
END
run xp push --plain-http "oci:$B:nope" "$A/team/x"
expect_rc 1
expect_err <<END
xpship: error: no tag 'nope' in 'oci:$B' (tags: v1)
END

# nothing listening: a registry error after the retries
port=$(reg_free_port)
run xp push --plain-http "oci:$B:v1" "127.0.0.1:$port/team/x"
expect_rc 5
expect_err <<END
xpship: error: cannot reach registry '127.0.0.1:$port': Couldn't connect to server (after 5 attempts)
END
run xp push --help
expect_rc 0
expect_out_has "usage: xpship push [--sign KEY [--password-stdin]] [--plain-http] [--insecure]"
exit 0
