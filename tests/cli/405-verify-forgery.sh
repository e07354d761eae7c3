# `verify` against forgeries: every case must exit 1 and name what failed —
# wrong key, no signature, a flipped byte in a layer, the config, the image
# manifest, the signature payload or the signature manifest, a consistent
# forgery of the payload (all digests right, signature wrong), a truncated
# signature, a signature moved to another image, a swapped manifest. The
# bundles are built by umoci; forgeries by tests/helpers/oci_edit.py.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/sign.sh"

xp keygen -o k >/dev/null && xp keygen -t ed25519 -o other >/dev/null || fail "keygen"
KID=$(keyid k.pub)
fresh() { # a signed copy of the pristine bundle in DIR
	rm -rf "$1" && cp -r pristine "$1"
}
make_bundle pristine v1 || fail "umoci"
xp sign --key k.key --identity registry.example/team/model pristine >/dev/null || fail "sign"
D=$(oci_edit digest pristine v1)
HEX=${D#sha256:}
SIG=sha256-$HEX.sig
CFG=$(skopeo inspect --raw oci:pristine:v1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["digest"])')
LAYER=$(skopeo inspect --raw oci:pristine:v1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"])')
PAYLOAD=$(skopeo inspect --raw "oci:pristine:$SIG" | python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"])')
SIGMAN=$(oci_edit digest pristine "$SIG")

# the pristine bundle verifies
run xp verify --key k.pub pristine
expect_rc 0
expect_out <<END
blobs          ok     3 of 3 match their digests
signature      ok     1 of 1 by ecdsa-p256 key $KID (docker-reference 'registry.example/team/model')
attestations   ok     none (not required)
Verified pristine ($D)
END
expect_err_empty

# wrong key
OID=$(keyid other.pub)
run xp verify --key other.pub pristine
expect_rc 1
expect_err <<END
xpship: error: verification failed for 'pristine': signature: no valid signature by ed25519 key $OID in '$SIG' (layer 1: signature does not match)
END
expect_out_has "signature      FAILED no valid signature"
expect_out_lacks "Verified"

# not signed at all
make_bundle unsigned v1 || fail "umoci"
UD=$(oci_edit digest unsigned v1)
run xp verify --key k.pub unsigned
expect_rc 1
expect_err <<END
xpship: error: verification failed for 'unsigned': signature: not signed: no tag 'sha256-${UD#sha256:}.sig' in 'oci:unsigned'
END

# a flipped bit in a layer, in the config
fresh t1 && oci_edit flip t1 "$LAYER"
run xp verify --key k.pub t1
expect_rc 1
expect_err <<END
xpship: error: verification failed for 't1': blobs: layer 1: blob '$LAYER' in 'oci:t1': digest $(sha256sum "t1/blobs/sha256/${LAYER#sha256:}" | cut -c1-64 | sed 's/^/sha256:/'), expected $LAYER
END
expect_out_has "signature      ok"
fresh t2 && oci_edit flip t2 "$CFG"
run xp verify --key k.pub t2
expect_rc 1
expect_err_has "verification failed for 't2': blobs: config: blob '$CFG' in 'oci:t2': digest sha256:"
# a flipped bit in the image manifest
fresh t3 && oci_edit flip t3 "$D"
run xp verify --key k.pub t3
expect_rc 1
expect_err_has "verification failed for 't3': blobs: manifest: manifest '$D' in 'oci:t3': digest sha256:"
# a flipped bit in the signature payload, in the signature manifest
fresh t4 && oci_edit flip t4 "$PAYLOAD"
run xp verify --key k.pub t4
expect_rc 1
expect_err <<END
xpship: error: verification failed for 't4': signature: '$SIG' layer 1: blob '$PAYLOAD' in 'oci:t4': digest $(sha256sum "t4/blobs/sha256/${PAYLOAD#sha256:}" | cut -c1-64 | sed 's/^/sha256:/'), expected $PAYLOAD
xpship: error: verification failed for 't4': signature: no valid signature by ecdsa-p256 key $KID in '$SIG' (layer 1: payload does not match its digest)
END
fresh t5 && oci_edit flip t5 "$SIGMAN"
run xp verify --key k.pub t5
expect_rc 1
expect_err_has "verification failed for 't5': signature: '$SIG': manifest '$SIGMAN' in 'oci:t5': digest sha256:"

# consistent forgeries (every digest recomputed): the payload says another
# identity; the signature annotation truncated; a signature moved from
# another image
fresh t6
oci_edit blob t6 "$SIG" 0 'b[:] = b.replace(b"registry.example/team/model", b"evil.example/x")'
run xp verify --key k.pub t6
expect_rc 1
expect_err_has "verification failed for 't6': signature: no valid signature by ecdsa-p256 key $KID in '$SIG' (layer 1: signature does not match)"
fresh t7
oci_edit manifest t7 "$SIG" 'a = m["layers"][0]["annotations"]; s = a["dev.cosignproject.cosign/signature"]; a["dev.cosignproject.cosign/signature"] = s[:len(s) - 8]'
run xp verify --key k.pub t7
expect_rc 1
expect_err_has "(layer 1: signature does not match)"
fresh t8
oci_edit manifest t8 "$SIG" 'a = m["layers"][0]["annotations"]; a["dev.cosignproject.cosign/signature"] = "not base64!"'
run xp verify --key k.pub t8
expect_rc 1
expect_err_has "(layer 1: signature annotation is not base64)"
# the image manifest swapped (an annotation added, retagged): the signature
# is for the old digest and the new one has none
fresh t9
oci_edit manifest t9 v1 'm["annotations"] = {"org.opencontainers.image.title": "swapped"}'
ND=$(oci_edit digest t9 v1)
run xp verify --key k.pub oci:t9:v1
expect_rc 1
expect_err <<END
xpship: error: verification failed for 'oci:t9:v1': signature: not signed: no tag 'sha256-${ND#sha256:}.sig' in 'oci:t9'
END
# ... and the old signature relabelled to the new digest: the payload names
# the old one
cp -r t9 t10
python3 - t10 "$SIG" "sha256-${ND#sha256:}.sig" <<'PY'
import json, sys
p = sys.argv[1] + "/index.json"
ix = json.load(open(p))
for e in ix["manifests"]:
    a = e.get("annotations", {})
    if a.get("org.opencontainers.image.ref.name") == sys.argv[2]:
        a["org.opencontainers.image.ref.name"] = sys.argv[3]
json.dump(ix, open(p, "w"))
PY
run xp verify --key k.pub oci:t10:v1
expect_rc 1
expect_err <<END
xpship: error: verification failed for 'oci:t10:v1': signature: manifest 'sha256-${ND#sha256:}.sig' names subject $D, not this manifest
END
# the subject dropped from that relabelled manifest: the payload still names
# the old digest
oci_edit manifest t10 "sha256-${ND#sha256:}.sig" 'del m["subject"]'
run xp verify --key k.pub oci:t10:v1
expect_rc 1
expect_err_has "(layer 1: signature payload is for '$D', not this manifest)"
# a missing layer blob
fresh t11 && rm "t11/blobs/sha256/${LAYER#sha256:}"
run xp verify --key k.pub t11
expect_rc 1
expect_err_has "verification failed for 't11': blobs: layer 1: "

# usage
run xp verify pristine
expect_rc 2
expect_err <<'END'
xpship: error: missing --key PUB
Run 'xpship verify --help' for usage.
END
run xp verify --key k.pub --require-verdict maybe pristine
expect_rc 2
expect_err_has "xpship: error: invalid --require-verdict 'maybe' (expected pass, pass-with-waivers or fail)"
run xp verify --key k.key pristine
expect_rc 2
expect_err_has "it is a private key"
exit 0
