# `verify-blob` forgeries must fail with exit 1 and say so: wrong key,
# truncated or altered signature, a flipped byte in the file, a signature of
# another file. Broken inputs are errors of their own class.
. "$TESTS_DIR/lib.sh"

printf 'the model, exactly\n' >f
for t in ecdsa-p256 ed25519 rsa-3072; do
	xp keygen -t "$t" -o "$t" >/dev/null || fail "keygen $t"
	xp sign-blob --key "$t.key" f >"$t.sig" || fail "sign-blob $t"
	id=$(openssl pkey -pubin -in "$t.pub" -outform DER | openssl dgst -sha256 -r | cut -c1-12)
	xp keygen -t "$t" -o "other-$t" >/dev/null || fail "keygen other $t"
	oid=$(openssl pkey -pubin -in "other-$t.pub" -outform DER | openssl dgst -sha256 -r | cut -c1-12)

	# wrong key
	run xp verify-blob --key "other-$t.pub" --signature "$t.sig" f
	expect_rc 1
	expect_out_empty
	expect_err <<END
xpship: error: verification failed for 'f' (signature '$t.sig', key 'other-$t.pub'): signature does not match $t key $oid
END
	# truncated signature (DER cut short by 4 bytes)
	base64 -d "$t.sig" | head -c -4 | base64 -w0 >trunc.sig
	run xp verify-blob --key "$t.pub" --signature trunc.sig f
	expect_rc 1
	expect_err_has "signature does not match $t key $id"
	# a flipped bit in the middle of the signature
	base64 -d "$t.sig" >sig.der
	n=$(stat -c %s sig.der)
	python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2]^=1; open(p,"wb").write(b)' sig.der
	run xp verify-blob --key "$t.pub" --signature sig.der f
	expect_rc 1
	expect_err_has "signature does not match $t key $id"
	# a flipped byte in the file, a byte appended, another file
	cp f g
	printf 'T' | dd of=g bs=1 seek=0 conv=notrunc 2>/dev/null
	run xp verify-blob --key "$t.pub" --signature "$t.sig" g
	expect_rc 1
	expect_err <<END
xpship: error: verification failed for 'g' (signature '$t.sig', key '$t.pub'): signature does not match $t key $id
END
	cp f h && printf 'x' >>h
	run xp verify-blob --key "$t.pub" --signature "$t.sig" h
	expect_rc 1
	[ "$n" -gt 0 ] || fail "empty DER"
done
# a signature by one key type checked with another type's key
run xp verify-blob --key ed25519.pub --signature ecdsa-p256.sig f
expect_rc 1

# broken inputs
: >empty.sig
run xp verify-blob --key ed25519.pub --signature empty.sig f
expect_rc 3
expect_err <<'END'
xpship: error: malformed signature 'empty.sig': it is empty
END
run xp verify-blob --key ed25519.key --signature ed25519.sig f
expect_rc 2
expect_err <<'END'
xpship: error: cannot load key 'ed25519.key': it is a private key (verifying needs the public key, PREFIX.pub)
END
printf 'not a key\n' >junk.pub
run xp verify-blob --key junk.pub --signature ed25519.sig f
expect_rc 3
expect_err <<'END'
xpship: error: cannot load key 'junk.pub': not a PEM public key
END
run xp verify-blob --key nope.pub --signature ed25519.sig f
expect_rc 4
expect_err <<'END'
xpship: error: cannot read key 'nope.pub': No such file or directory
END
run xp verify-blob --key ed25519.pub --signature nope.sig f
expect_rc 4
expect_err <<'END'
xpship: error: cannot open 'nope.sig': No such file or directory
END
run xp verify-blob --key ecdsa-p256.pub --signature ecdsa-p256.sig nope
expect_rc 4
expect_err <<'END'
xpship: error: cannot open 'nope': No such file or directory
END
# an RSA key below 2048 bits and a curve other than P-256 are refused
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 2>/dev/null | openssl pkey -pubout -out rsa1024.pub
run xp verify-blob --key rsa1024.pub --signature ed25519.sig f
expect_rc 3
expect_err <<'END'
xpship: error: unsupported key 'rsa1024.pub': RSA with 1024 bits (at least 2048 are needed)
END
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 2>/dev/null | openssl pkey -pubout -out p384.pub
run xp verify-blob --key p384.pub --signature ed25519.sig f
expect_rc 3
expect_err <<'END'
xpship: error: unsupported key 'p384.pub': EC curve 'secp384r1' (only P-256 is supported)
END

# usage
run xp verify-blob --signature ed25519.sig f
expect_rc 2
expect_err <<'END'
xpship: error: missing --key PUB
Run 'xpship verify-blob --help' for usage.
END
run xp verify-blob --key ed25519.pub f
expect_rc 2
expect_err_has "xpship: error: missing --signature SIGFILE"
run xp verify-blob --key ed25519.pub --signature ed25519.sig
expect_rc 2
expect_err_has "xpship: error: missing FILE"
run xp verify-blob --key ed25519.pub --signature ed25519.sig f g
expect_rc 2
expect_err_has "xpship: error: too many arguments"
exit 0
