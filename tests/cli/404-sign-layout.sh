# `sign` on bundles built by umoci: cosign's tag form in a layout directory,
# a bare path and an oci-archive; the payload bytes and the signature checked
# with the openssl CLI for all three key types; re-signing is idempotent with
# the same key and appends with another; the bundle still resolves by its bare
# path and reads with skopeo and umoci afterwards.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/sign.sh"

make_bundle b v1 || fail "umoci"
D=$(oci_edit digest b v1)
HEX=${D#sha256:}
for t in ecdsa-p256 ed25519 rsa-3072; do
	xp keygen -t "$t" -o "$t" >/dev/null || fail "keygen $t"
done

run xp sign --key ecdsa-p256.key --identity registry.example/team/model b
expect_rc 0
expect_err_empty
expect_out <<END
Signed $D (tag sha256-$HEX.sig, 1 signature)
END
# the signature manifest: cosign's media types, the subject, one layer
oci_edit digest b "sha256-$HEX.sig" >/dev/null || fail "no sig tag"
skopeo inspect --raw "oci:b:sha256-$HEX.sig" >sig.json || fail "skopeo cannot read the signature"
python3 - "$D" <<'PY' || fail "signature manifest: $(cat sig.json)"
import json, sys
m = json.load(open("sig.json"))
assert m["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
assert m["config"]["mediaType"] == "application/vnd.oci.image.config.v1+json"
assert m["subject"]["digest"] == sys.argv[1]
assert m["subject"]["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
assert len(m["layers"]) == 1
l = m["layers"][0]
assert l["mediaType"] == "application/vnd.dev.cosign.simplesigning.v1+json"
open("payload.digest", "w").write(l["digest"])
open("sig.b64", "w").write(l["annotations"]["dev.cosignproject.cosign/signature"])
PY
# the payload: exactly cosign's bytes, naming the --identity repository
PAYLOAD="b/blobs/sha256/$(cut -d: -f2 payload.digest)"
printf '{"critical":{"identity":{"docker-reference":"registry.example/team/model"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' "$D" >expected.payload
expect_file_same expected.payload "$PAYLOAD"
base64 -d sig.b64 >sig.der
openssl dgst -sha256 -verify ecdsa-p256.pub -signature sig.der "$PAYLOAD" >/dev/null ||
	fail "openssl rejects the signature"

# the same key again: nothing changes (index.json byte for byte)
cp b/index.json index.before
run xp sign --key ecdsa-p256.key --identity registry.example/team/model oci:b:v1
expect_rc 0
expect_out <<END
Already signed by this key: $D (tag sha256-$HEX.sig, 1 signature)
END
expect_file_same index.before b/index.json
# other keys append layers; each verifies with openssl over its payload
run xp sign --key ed25519.key --identity registry.example/team/model b
expect_rc 0
expect_out_has "(tag sha256-$HEX.sig, 2 signatures)"
run xp sign --key rsa-3072.key --identity registry.example/team/model oci:b@$D
expect_rc 0
expect_out_has "3 signatures)"
skopeo inspect --raw "oci:b:sha256-$HEX.sig" >sig.json
python3 - <<'PY' || fail "layers"
import json
m = json.load(open("sig.json"))
assert len(m["layers"]) == 3, m
for i, l in enumerate(m["layers"]):
    open("p%d.digest" % i, "w").write(l["digest"].split(":")[1])
    open("s%d.b64" % i, "w").write(l["annotations"]["dev.cosignproject.cosign/signature"])
PY
i=0
for t in ecdsa-p256 ed25519 rsa-3072; do
	base64 -d "s$i.b64" >"s$i.der"
	p="b/blobs/sha256/$(cat p$i.digest)"
	if [ "$t" = ed25519 ]; then
		openssl pkeyutl -verify -rawin -pubin -inkey "$t.pub" -in "$p" -sigfile "s$i.der" >/dev/null ||
			fail "openssl rejects the $t signature"
		grep -qF '"docker-reference":"registry.example/team/model"' "$p" || fail "--identity not used"
	else
		openssl dgst -sha256 -verify "$t.pub" -signature "s$i.der" "$p" >/dev/null ||
			fail "openssl rejects the $t signature"
	fi
	i=$((i + 1))
done

# the bundle is unchanged for other readers: its only release tag still
# resolves by bare path, skopeo and umoci read it
run xp verify --key ed25519.pub b
expect_rc 0
skopeo inspect "oci:b:v1" >/dev/null || fail "skopeo cannot read the bundle"
umoci unpack --rootless --image b:v1 unpacked >/dev/null || fail "umoci cannot unpack"
cmp -s unpacked/rootfs/model/weights.bin <(printf 'weights of v1\n') || fail "content changed"

# an oci-archive: signed in place, kept by the commit
make_bundle arch v2 || fail "umoci"
(cd arch && tar cf ../model.tar oci-layout index.json blobs) || fail "tar"
AD=$(oci_edit digest arch v2)
run xp sign --key ed25519.key --identity registry.example/team/model model.tar
expect_rc 0
expect_out_has "Signed $AD (tag sha256-${AD#sha256:}.sig, 1 signature)"
tar tf model.tar | grep -q "^index.json$" || fail "archive lost index.json"
skopeo inspect --raw "oci-archive:model.tar:sha256-${AD#sha256:}.sig" >asig.json ||
	fail "skopeo cannot read the archive's signature"
run xp verify --key ed25519.pub oci-archive:model.tar:v2
expect_rc 0
expect_out_has "Verified oci-archive:model.tar:v2 ($AD)"

# errors
run xp sign --key ecdsa-p256.key oci:b:v9
expect_rc 1
expect_err <<END
xpship: error: no tag 'v9' in 'oci:b' (tags: sha256-$HEX.sig, v1)
END
run xp sign --key ecdsa-p256.key nowhere
expect_rc 2
expect_err <<'END'
xpship: error: no such bundle 'nowhere': expected oci:DIR[:TAG], oci-archive:FILE[:TAG], an existing path or HOST/REPO[:TAG]
Run 'xpship sign --help' for usage.
END
run xp sign --key ecdsa-p256.key oci:nowhere:v1
expect_rc 4
expect_err <<'END'
xpship: error: cannot open OCI layout 'nowhere': No such file or directory
END
run xp sign --key ecdsa-p256.pub --identity registry.example/team/model b
expect_rc 2
expect_err <<'END'
xpship: error: cannot load key 'ecdsa-p256.pub': it is a public key (signing needs the private key)
END
run xp sign b
expect_rc 2
expect_err <<'END'
xpship: error: missing --key KEY
Run 'xpship sign --help' for usage.
END
run xp sign --key ecdsa-p256.key
expect_rc 2
expect_err_has "xpship: error: missing BUNDLE"
run xp sign --key ecdsa-p256.key --identity '' b
expect_rc 2
expect_err_has "xpship: error: empty --identity"
exit 0
