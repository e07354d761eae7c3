# The docker-reference a signature claims is always a registry repository:
# `sign` on a local bundle needs --identity (no 'oci:DIR' claims, which cosign
# cannot parse), --identity follows the repository grammar cosign and
# go-containerregistry parse it with (each refusal names the rule), and
# `verify --identity` counts only signatures naming that repository.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/sign.sh"

make_bundle b v1 || fail "umoci"
D=$(oci_edit digest b v1)
HEX=${D#sha256:}
xp keygen -o k </dev/null >/dev/null || fail "keygen"
xp keygen -t ed25519 -o other </dev/null >/dev/null || fail "keygen"

# a local bundle without --identity: refused before the key is read, nothing written
cp b/index.json index.before
run xp sign --key k.key b
expect_rc 2
expect_err <<'END'
xpship: error: cannot sign 'oci:b': a local bundle, whose registry repository is not known yet; name it with --identity HOST/REPO (where the bundle will be pushed), or sign when pushing: xpship push --sign KEY BUNDLE HOST/REPO
Run 'xpship sign --help' for usage.
END
expect_out_empty
expect_file_same index.before b/index.json
(cd b && tar cf ../b.tar oci-layout index.json blobs) || fail "tar"
run xp sign --key k.key oci-archive:b.tar:v1
expect_rc 2
expect_err_has "xpship: error: cannot sign 'oci-archive:b.tar': a local bundle"

# the grammar: one line per broken rule
check() { # identity, expected message after "invalid identity '<id>': "
	run xp sign --key k.key --identity "$1" b
	expect_rc 2
	expect_err <<END
xpship: error: invalid identity '$1': $2
Run 'xpship sign --help' for usage.
END
}
check Registry.Example.com/Team/Model "repository 'Team/Model': uppercase 'T' at position 1 (repository path components are lowercase)"
check registry.example.com/team/Model "repository 'team/Model': uppercase 'M' at position 6 (repository path components are lowercase)"
check team/model "no registry host (the first component must be a host: it holds a '.' or ':' or is 'localhost'), e.g. registry.example.com/team/model"
check oci:b "a registry repository HOST[:PORT]/REPO, without scheme or transport"
check docker://r.example/x "a registry repository HOST[:PORT]/REPO, without scheme or transport"
check registry.example/team/model:v1 "a repository without tag or digest"
check "registry.example/team/model@$D" "a repository without tag or digest"
check 'bad_host!.example/x' "invalid registry host 'bad_host!.example' (a DNS name, IPv4 address or [IPv6] address, then an optional :PORT)"
check r.example:99999/x "invalid registry host 'r.example:99999' (a DNS name, IPv4 address or [IPv6] address, then an optional :PORT)"
check r.example "expected HOST[:PORT]/REPO"
check r.example/team//model "repository 'team//model': empty path component at position 6"
check r.example/team/model- "repository 'team/model-': path component 'model-' ends with a separator"
check r.example/a__b___c "repository 'a__b___c': '_' at position 7 (separators are '.', '_', '__' or dashes, between letters or digits)"
check 'r.example/a b' "repository 'a b': ' ' at position 2 (a repository holds lowercase letters, digits, '.', '_', '-' and '/')"
expect_file_same index.before b/index.json

# accepted: host with port, IPv6, localhost, every separator form
for id in registry.example.com/team/model 127.0.0.1:5000/a/b-c/d__e.f "[::1]:5000/m" localhost/m \
	Registry.Example.com/team/model; do
	xp sign --key k.key --identity "$id" b >/dev/null || fail "sign --identity $id"
done

# verify --identity: only a signature naming that repository counts
run xp verify --key k.pub --identity registry.example.com/team/model b
expect_rc 0
expect_out_has "signature      ok     1 of 5 by ecdsa-p256 key $(keyid k.pub) (docker-reference 'registry.example.com/team/model')"
run xp verify --key k.pub --identity localhost/m b
expect_rc 0
expect_out_has "(docker-reference 'localhost/m')"
run xp verify --key k.pub --identity registry.example.com/team/other b
expect_rc 1
expect_err <<END
xpship: error: verification failed for 'b': signature: no valid signature by ecdsa-p256 key $(keyid k.pub) in 'sha256-$HEX.sig' (layer 1: docker-reference 'registry.example.com/team/model', not 'registry.example.com/team/other'; layer 2: docker-reference '127.0.0.1:5000/a/b-c/d__e.f', not 'registry.example.com/team/other'; layer 3: docker-reference '[::1]:5000/m', not 'registry.example.com/team/other'; layer 4: docker-reference 'localhost/m', not 'registry.example.com/team/other'; layer 5: docker-reference 'Registry.Example.com/team/model', not 'registry.example.com/team/other')
END
# the right repository but another key's signature does not count
xp sign --key other.key --identity registry.example.com/team/solo b >/dev/null || fail "sign other"
run xp verify --key k.pub --identity registry.example.com/team/solo b
expect_rc 1
expect_err_has "layer 6: signature does not match"
run xp verify --key other.pub --identity registry.example.com/team/solo b
expect_rc 0
run xp verify --key k.pub --identity Registry.Example.com/Team/Model b
expect_rc 2
expect_err <<'END'
xpship: error: invalid identity 'Registry.Example.com/Team/Model': repository 'Team/Model': uppercase 'T' at position 1 (repository path components are lowercase)
Run 'xpship verify --help' for usage.
END
# the payload names exactly the identity given (openssl checks the signature)
skopeo inspect --raw "oci:b:sha256-$HEX.sig" | python3 -c '
import json, sys
l = json.load(sys.stdin)["layers"][0]
print(l["digest"].split(":")[1]); open("s.b64", "w").write(l["annotations"]["dev.cosignproject.cosign/signature"])' >p.hex || fail "sig manifest"
printf '{"critical":{"identity":{"docker-reference":"registry.example.com/team/model"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' "$D" >expected.payload
expect_file_same expected.payload "b/blobs/sha256/$(cat p.hex)"
base64 -d s.b64 >s.der
openssl dgst -sha256 -verify k.pub -signature s.der expected.payload >/dev/null || fail "openssl"
exit 0
