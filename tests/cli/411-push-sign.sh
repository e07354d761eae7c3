# `push --sign KEY`: a local bundle signed at push time, naming the
# destination repository as its docker-reference; the signature is in the
# registry before the tag (a passthrough proxy's request log says so), verifies with
# openssl and with `verify --identity`; `promote --identity` moves a tag only
# for a signature naming that repository.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/sign.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/fault_proxy.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1

reg_start plain || fail "registry did not start"
fp_start "$REG_ADDR" || fail "proxy did not start"
R=$FP_ADDR   # every request through the proxy: its log has them in order
make_bundle b v1 || fail "umoci"
D=$(oci_edit digest b v1)
HEX=${D#sha256:}
echo 'pass phrase' >pass
xp keygen --password-stdin -o k <pass >/dev/null || fail "keygen"
xp keygen -t ed25519 -o other </dev/null >/dev/null || fail "keygen"

# a wrong passphrase stops the push before anything is sent
echo wrong >wrong
run_in wrong xp push --plain-http --sign k.key --password-stdin b "$R/team/model:v1"
expect_rc 2
expect_out_empty
expect_err <<'END'
xpship: error: cannot decrypt key 'k.key': wrong passphrase or damaged key
END
expect_eq 0 "$(fp_count '*' '^/v2/.')" "requests after a wrong passphrase"

run_in pass xp push --plain-http --sign k.key --password-stdin b "$R/team/model:v1"
expect_rc 0
expect_out <<END
$R/team/model@$D
END
expect_err <<END
xpship: note: signed $D as $R/team/model (tag sha256-$HEX.sig, 1 signature)
END
# the local bundle is left as it was: the signature lives in the registry
oci_edit digest b "sha256-$HEX.sig" >/dev/null 2>&1 && fail "the local bundle was signed"
# order: the signature manifest before the release tag
awk '$1 == "PUT" && $2 ~ /\/manifests\// { sub(/.*\/manifests\//, "", $2); print $2 }' "$FP_LOG" >order
expect_eq "$D" "$(head -n 1 order)" "first manifest PUT"
expect_eq "sha256-$HEX.sig v1" "$(grep -E "^(v1|sha256-$HEX.sig)\$" order | tr '\n' ' ' | sed 's/ $//')" "tag PUT order"
# the payload: the destination repository, cosign's bytes; openssl verifies
skopeo inspect --raw --tls-verify=false "docker://$R/team/model:sha256-$HEX.sig" >sig.json || fail "skopeo"
python3 -c '
import json
l = json.load(open("sig.json"))["layers"][0]
print(l["digest"]); open("s.b64", "w").write(l["annotations"]["dev.cosignproject.cosign/signature"])' >pd || fail "sig manifest"
curl -sf "http://$R/v2/team/model/blobs/$(cat pd)" -o payload || fail "payload"
printf '{"critical":{"identity":{"docker-reference":"%s/team/model"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' "$R" "$D" >expected
expect_file_same expected payload
base64 -d s.b64 >s.der
openssl dgst -sha256 -verify k.pub -signature s.der payload >/dev/null || fail "openssl"

run xp verify --plain-http --key k.pub --identity "$R/team/model" "$R/team/model:v1"
expect_rc 0
expect_out_has "signature      ok     1 of 1 by ecdsa-p256 key $(keyid k.pub) (docker-reference '$R/team/model')"
run xp verify --plain-http --key k.pub --identity "$R/team/elsewhere" "$R/team/model:v1"
expect_rc 1
expect_err <<END
xpship: error: verification failed for '$R/team/model:v1': signature: no valid signature by ecdsa-p256 key $(keyid k.pub) in 'sha256-$HEX.sig' (layer 1: docker-reference '$R/team/model', not '$R/team/elsewhere')
END

# pushing again with the same key: already signed, nothing added
run_in pass xp push --plain-http --sign k.key --password-stdin b "$R/team/model:v1"
expect_rc 0
expect_err <<END
xpship: note: already signed by this key: $D as $R/team/model (tag sha256-$HEX.sig, 1 signature)
END
# a bundle signed locally for another repository, pushed with --sign: both
# signatures travel; the destination's is added
xp sign --key other.key --identity registry.example/team/model b >/dev/null || fail "local sign"
run xp push --plain-http --sign other.key b "$R/team/copy:v1"
expect_rc 0
expect_err_has "xpship: note: signed $D as $R/team/copy (tag sha256-$HEX.sig, 2 signatures)"

# promote --identity: the tag moves only for a signature naming REPO
run xp promote --plain-http --verify-key k.pub --identity "$R/team/other" "$R/team/model:v1" --to prod
expect_rc 1
expect_out_empty
expect_err <<END
xpship: error: verification failed for '$R/team/model:v1': signature: no valid signature by ecdsa-p256 key $(keyid k.pub) in 'sha256-$HEX.sig' (layer 1: docker-reference '$R/team/model', not '$R/team/other')
END
curl -sf -o /dev/null -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
	"http://$R/v2/team/model/manifests/prod" && fail "prod moved"
run xp promote --plain-http --verify-key k.pub --identity "$R/team/model" "$R/team/model:v1" --to prod
expect_rc 0
expect_out <<END
$R/team/model:prod@$D
END
run xp promote --plain-http --identity "$R/team/model" "$R/team/model:v1" --to prod
expect_rc 2
expect_err <<'END'
xpship: error: --identity needs --key: an identity counts only when signed
Run 'xpship promote --help' for usage.
END
run xp promote --plain-http --verify-key k.pub --identity "$R/Team/Model" "$R/team/model:v1" --to prod
expect_rc 2
expect_err_has "xpship: error: invalid identity '$R/Team/Model': repository 'Team/Model': uppercase 'T' at position 1"

# usage
run xp push --plain-http --password-stdin b "$R/team/model:v1"
expect_rc 2
expect_err <<'END'
xpship: error: --password-stdin needs --sign KEY
Run 'xpship push --help' for usage.
END
run xp push --plain-http --sign k.pub b "$R/team/model:v1"
expect_rc 2
expect_err <<'END'
xpship: error: cannot load key 'k.pub': it is a public key (signing needs the private key)
END
exit 0
