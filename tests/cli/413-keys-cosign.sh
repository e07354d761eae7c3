# cosign's encrypted private key files: fixtures made from the format's
# description by an independent implementation (tests/helpers/cosign_key.py,
# NaCl secretbox and scrypt from Debian's python3-nacl and hashlib) sign blobs
# and bundles that openssl verifies with the matching .pub; wrong and missing
# passwords fail cleanly without echoing the secret; damaged files are
# malformed input; `keygen --format cosign` writes a key the independent
# implementation decrypts to the same key pair.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/sign.sh"
cosign_key() { /usr/bin/python3 "$TESTS_DIR/helpers/cosign_key.py" "$@"; }

FX=$DATA/sign
PW=$(head -n 1 "$FX/cosign.password")
printf 'model weights\n' >blob

# the fixtures sign; openssl verifies with their .pub
run_in "$FX/cosign.password" xp sign-blob --key "$FX/cosign-ecdsa.key" --password-stdin blob
expect_rc 0
expect_err_empty
base64 -d .out >ec.sig || fail "base64"
openssl dgst -sha256 -verify "$FX/cosign-ecdsa.pub" -signature ec.sig blob >/dev/null ||
	fail "openssl rejects the ECDSA signature"
XPSHIP_KEY_PASSWORD=$PW run xp sign-blob --key "$FX/cosign-ed25519-legacy.key" blob
expect_rc 0
base64 -d .out >ed.sig || fail "base64"
openssl pkeyutl -verify -rawin -pubin -inkey "$FX/cosign-ed25519-legacy.pub" -in blob -sigfile ed.sig \
	>/dev/null || fail "openssl rejects the Ed25519 signature (legacy COSIGN type, N=32768)"
# from an environment variable, as CI holds it
COSIGN_KEY_TEXT=$(cat "$FX/cosign-ecdsa.key") XPSHIP_KEY_PASSWORD=$PW \
	run xp sign-blob --key env://COSIGN_KEY_TEXT blob
expect_rc 0
base64 -d .out >env.sig
openssl dgst -sha256 -verify "$FX/cosign-ecdsa.pub" -signature env.sig blob >/dev/null || fail "env:// key"

# a bundle: sign with the fixture, verify with its .pub (xpship and openssl)
make_bundle b v1 || fail "umoci"
D=$(oci_edit digest b v1)
run_in "$FX/cosign.password" xp sign --key "$FX/cosign-ecdsa.key" --password-stdin \
	--identity registry.example/team/model b
expect_rc 0
expect_out_has "Signed $D"
run xp verify --key "$FX/cosign-ecdsa.pub" --identity registry.example/team/model b
expect_rc 0
expect_out_has "(docker-reference 'registry.example/team/model')"
skopeo inspect --raw "oci:b:sha256-${D#sha256:}.sig" | /usr/bin/python3 -c '
import json, sys
l = json.load(sys.stdin)["layers"][0]
print(l["digest"].split(":")[1]); open("b.b64", "w").write(l["annotations"]["dev.cosignproject.cosign/signature"])' >p.hex
base64 -d b.b64 >b.sig
openssl dgst -sha256 -verify "$FX/cosign-ecdsa.pub" -signature b.sig "b/blobs/sha256/$(cat p.hex)" >/dev/null ||
	fail "openssl rejects the bundle signature"

# wrong password: exit 2 (as for PKCS#8 keys), the password never echoed
printf 'not the password\n' >wrong
for k in cosign-ecdsa cosign-ed25519-legacy; do
	run_in wrong xp sign-blob --key "$FX/$k.key" --password-stdin blob
	expect_rc 2
	expect_out_empty
	expect_err <<END
xpship: error: cannot decrypt key '$FX/$k.key': wrong passphrase or damaged key
END
done
XPSHIP_KEY_PASSWORD=hunter2-secret run xp sign --key "$FX/cosign-ecdsa.key" --identity r.example/m b
expect_rc 2
expect_err_lacks hunter2-secret
expect_out_lacks hunter2-secret
# no password anywhere (no terminal): the empty password is tried, then the hint
run xp sign-blob --key "$FX/cosign-ecdsa.key" blob </dev/null
expect_rc 2
expect_err <<END
xpship: error: cannot load key '$FX/cosign-ecdsa.key': it is encrypted; give the passphrase in XPSHIP_KEY_PASSWORD or with --password-stdin
END

# keygen --format cosign: the independent implementation decrypts it to the
# key whose public half keygen wrote
printf 'a new passphrase\n' >newpw
for t in ecdsa-p256 ed25519 rsa-3072; do
	run_in newpw xp keygen --format cosign -t "$t" --password-stdin -o "new-$t"
	expect_rc 0
	expect_out_has "Private key written to new-$t.key ($t, cosign format, encrypted)"
	head -n 1 "new-$t.key" | grep -qx -- '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----' || fail "$t: PEM type"
	[ "$(stat -c %a "new-$t.key")" = 600 ] || fail "$t: key mode $(stat -c %a "new-$t.key")"
	cosign_key decrypt "new-$t.key" newpw "plain-$t.pem" || fail "$t: the independent decrypt failed"
	openssl pkey -in "plain-$t.pem" -pubout -out "derived-$t.pub" || fail "$t: openssl cannot read it"
	expect_file_same "new-$t.pub" "derived-$t.pub"
	cosign_key decrypt "new-$t.key" wrong x.pem 2>/dev/null && fail "$t: a wrong password decrypted"
	# and xpship signs with it; openssl verifies with keygen's .pub
	run_in newpw xp sign-blob --key "new-$t.key" --password-stdin blob
	expect_rc 0
	base64 -d .out >"new-$t.sig"
	if [ "$t" = ed25519 ]; then
		openssl pkeyutl -verify -rawin -pubin -inkey "new-$t.pub" -in blob -sigfile "new-$t.sig" >/dev/null
	else
		openssl dgst -sha256 -verify "new-$t.pub" -signature "new-$t.sig" blob >/dev/null
	fi || fail "$t: openssl rejects the signature"
done
/usr/bin/python3 - new-ecdsa-p256.key <<'PY' || fail "cosign's JSON shape"
import base64, json, sys
lines = open(sys.argv[1]).read().splitlines()
assert lines[-1] == "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----", lines[-1]
assert all(len(l) <= 64 for l in lines[1:-1])
doc = json.loads(base64.b64decode("".join(lines[1:-1])))
assert list(doc) == ["kdf", "cipher", "ciphertext"], list(doc)
assert doc["kdf"]["name"] == "scrypt" and doc["kdf"]["params"] == {"N": 65536, "r": 8, "p": 1}
assert len(base64.b64decode(doc["kdf"]["salt"], validate=True)) == 32
assert doc["cipher"]["name"] == "nacl/secretbox"
assert len(base64.b64decode(doc["cipher"]["nonce"], validate=True)) == 24
PY
# an empty passphrase, as cosign allows: still encrypted, and loaded without one
run xp keygen --format cosign -o empty </dev/null
expect_rc 0
expect_out_has "(ecdsa-p256, cosign format, empty passphrase)"
cosign_key decrypt empty.key - empty.pem || fail "empty passphrase: the independent decrypt failed"
run xp sign-blob --key empty.key blob </dev/null
expect_rc 0
base64 -d .out >empty.sig
openssl dgst -sha256 -verify empty.pub -signature empty.sig blob >/dev/null || fail "empty-passphrase key"
# a key written by the independent implementation with an empty password
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ind.pem 2>/dev/null || fail "genpkey"
cosign_key encrypt ind.pem ind.key - || fail "independent encrypt"
run xp sign-blob --key ind.key blob </dev/null
expect_rc 0

# damaged files: malformed (exit 3) naming what is wrong, or a failed decryption
edit() { # KEY OUT PYTHON-EXPR-ON-doc
	/usr/bin/python3 - "$@" <<'PY'
import base64, json, sys
src, out, expr = sys.argv[1:4]
lines = open(src).read().splitlines()
doc = json.loads(base64.b64decode("".join(lines[1:-1])))
exec(expr)
b = base64.b64encode(doc if isinstance(doc, bytes) else json.dumps(doc).encode()).decode()
open(out, "w").write("%s\n%s\n%s\n" % (lines[0], "\n".join(b[i:i + 64] for i in range(0, len(b), 64)), lines[-1]))
PY
}
bad() { # EXPR RC MESSAGE
	edit "$FX/cosign-ecdsa.key" bad.key "$1" || fail "edit $1"
	run_in "$FX/cosign.password" xp sign-blob --key bad.key --password-stdin blob
	expect_rc "$2"
	expect_err <<END
xpship: error: $3
END
}
bad 'doc["kdf"]["params"]["N"] = 1 << 20' 3 "unsupported cosign key 'bad.key': scrypt N=1048576 r=8 p=1 (cosign's are N=32768, 65536 or 131072 with r=8, p=1)"
bad 'doc["kdf"]["name"] = "pbkdf2"' 3 "unsupported cosign key 'bad.key': kdf \"pbkdf2\" (expected \"scrypt\")"
bad 'doc["cipher"]["name"] = "aes-gcm"' 3 "unsupported cosign key 'bad.key': cipher \"aes-gcm\" (expected \"nacl/secretbox\")"
bad 'doc["cipher"]["nonce"] = base64.b64encode(b"x" * 12).decode()' 3 "malformed cosign key 'bad.key': cipher.nonce has 12 bytes (secretbox needs 24)"
bad 'doc["kdf"]["salt"] = "not base64!"' 3 "malformed cosign key 'bad.key': kdf.\"salt\" is not standard base64"
bad 'del doc["ciphertext"]' 3 "malformed cosign key 'bad.key': \"ciphertext\" must be a base64 string"
bad 'doc = b"{\"kdf\": "' 3 "malformed cosign key 'bad.key': unexpected token near end of file"
bad 'c = bytearray(base64.b64decode(doc["ciphertext"])); c[-1] ^= 1; doc["ciphertext"] = base64.b64encode(bytes(c)).decode()' \
	2 "cannot decrypt key 'bad.key': wrong passphrase or damaged key"

# usage
run xp keygen --format pem -o x
expect_rc 2
expect_err <<'END'
xpship: error: unknown key format 'pem' (expected pkcs8 or cosign)
Run 'xpship keygen --help' for usage.
END
exit 0
