# `sign-blob` / `verify-blob` against the openssl CLI as the oracle, both ways,
# for ECDSA P-256, Ed25519 and RSA-3072 keys: xpship's signatures verify with
# `openssl dgst -sha256 -verify` / `openssl pkeyutl -verify -rawin`, and
# openssl's signatures (raw DER or base64) verify with xpship.
. "$TESTS_DIR/lib.sh"

printf 'model weights\n' >small
: >empty
head -c 1500000 /dev/urandom >big          # several read chunks

oracle_verify() { # type pub file sig.der
	if [ "$1" = ed25519 ] && [ ! -s "$3" ]; then
		# openssl 3.0's pkeyutl cannot read an empty -rawin input
		/usr/bin/python3 -c '
import sys
from cryptography.hazmat.primitives.serialization import load_pem_public_key
k = load_pem_public_key(open(sys.argv[1], "rb").read())
k.verify(open(sys.argv[3], "rb").read(), open(sys.argv[2], "rb").read())' "$2" "$3" "$4"
	elif [ "$1" = ed25519 ]; then
		openssl pkeyutl -verify -rawin -pubin -inkey "$2" -in "$3" -sigfile "$4" >/dev/null
	else
		openssl dgst -sha256 -verify "$2" -signature "$4" "$3" >/dev/null
	fi
}
oracle_sign() { # type key file sig.der
	if [ "$1" = ed25519 ] && [ ! -s "$3" ]; then
		cp "$f.$t.der" "$4"   # see oracle_verify; Ed25519 is deterministic
	elif [ "$1" = ed25519 ]; then
		openssl pkeyutl -sign -rawin -inkey "$2" -in "$3" -out "$4"
	else
		openssl dgst -sha256 -sign "$2" -out "$4" "$3"
	fi
}

for t in ecdsa-p256 ed25519 rsa-3072; do
	xp keygen -t "$t" -o "$t" >/dev/null || fail "keygen $t"
	for f in small empty big; do
		run xp sign-blob --key "$t.key" "$f"
		expect_rc 0
		expect_err_empty
		[ "$(wc -l <.out)" = 1 ] || fail "signature is not one line"
		base64 -d .out >"$f.$t.der" || fail "signature is not base64"
		oracle_verify "$t" "$t.pub" "$f" "$f.$t.der" || fail "openssl rejects xpship's $t signature of $f"
		cp .out "$f.$t.sig"
		run xp verify-blob --key "$t.pub" --signature "$f.$t.sig" "$f"
		expect_rc 0
		id=$(openssl pkey -pubin -in "$t.pub" -outform DER | openssl dgst -sha256 -r | cut -c1-12)
		expect_out <<END
Verified OK: $f ($t key $id)
END
		expect_err_empty
		# openssl's signature, raw and base64, verifies with xpship
		oracle_sign "$t" "$t.key" "$f" "$f.$t.ossl" || fail "openssl sign"
		run xp verify-blob --key "$t.pub" --signature "$f.$t.ossl" "$f"
		expect_rc 0
		base64 "$f.$t.ossl" >"$f.$t.ossl.b64"    # wrapped at 76 columns
		run xp verify-blob -k "$t.pub" -s "$f.$t.ossl.b64" "$f"
		expect_rc 0
	done
done
# the signature of a 3072-bit RSA key is 384 bytes; Ed25519's 64
expect_eq 384 "$(stat -c %s small.rsa-3072.der)" "RSA signature size"
expect_eq 64 "$(stat -c %s small.ed25519.der)" "Ed25519 signature size"
# Ed25519 and RSA PKCS#1 v1.5 are deterministic: same bytes as openssl's
cmp -s small.ed25519.der small.ed25519.ossl || fail "Ed25519 signature differs from openssl's"
cmp -s small.rsa-3072.der small.rsa-3072.ossl || fail "RSA signature differs from openssl's"

# --output writes the same form to a file
run xp sign-blob --key ed25519.key -o out.sig small
expect_rc 0
expect_out_empty
expect_file_same small.ed25519.sig out.sig

# keys from openssl itself: PKCS#8 and traditional EC PEM, and env://
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ossl.key 2>/dev/null
openssl pkey -in ossl.key -pubout -out ossl.pub
openssl ecparam -name prime256v1 -genkey -noout -out trad.key 2>/dev/null
openssl pkey -in trad.key -pubout -out trad.pub
head -1 trad.key | grep -q "BEGIN EC PRIVATE KEY" || fail "trad.key is not traditional"
for k in ossl trad; do
	xp sign-blob --key "$k.key" small >"$k.sig" || fail "sign-blob with $k.key"
	base64 -d "$k.sig" >"$k.der"
	openssl dgst -sha256 -verify "$k.pub" -signature "$k.der" small >/dev/null || fail "$k"
done
XP_SIGNING_KEY=$(cat ed25519.key) XP_PUB=$(cat ed25519.pub) run xp sign-blob --key env://XP_SIGNING_KEY small
expect_rc 0
expect_file_same small.ed25519.sig .out
cp .out env.sig
XP_PUB=$(cat ed25519.pub) run xp verify-blob --key env://XP_PUB --signature env.sig small
expect_rc 0

# encrypted keys: passphrase from the environment or stdin
xp keygen -t ecdsa-p256 -o enc --password-stdin <<<'pw 1' >/dev/null || fail "keygen enc"
XPSHIP_KEY_PASSWORD='pw 1' run xp sign-blob --key enc.key small
expect_rc 0
base64 -d .out >enc.der
openssl dgst -sha256 -verify enc.pub -signature enc.der small >/dev/null || fail "enc"
printf 'pw 1\n' >pw
run_in pw xp sign-blob --password-stdin --key enc.key small
expect_rc 0
grep -qF 'pw 1' .out .err && fail "passphrase printed"
exit 0
