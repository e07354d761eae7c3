# `keygen`: the three key types, file modes and formats (checked with the
# openssl CLI), encryption with a passphrase from the environment or stdin,
# refusal to overwrite, and usage errors. The passphrase never shows.
. "$TESTS_DIR/lib.sh"

for t in ecdsa-p256 ed25519 rsa-3072; do
	run xp keygen --type "$t" -o "$t"
	expect_rc 0
	expect_err_empty
	id=$(openssl pkey -pubin -in "$t.pub" -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1)
	expect_out <<END
Private key written to $t.key ($t, not encrypted)
Public key written to $t.pub (keyid $id)
END
	expect_eq 600 "$(stat -c %a "$t.key")" "mode of $t.key"
	expect_eq "-----BEGIN PRIVATE KEY-----" "$(head -1 "$t.key")" "PKCS#8 header"
	expect_eq "-----BEGIN PUBLIC KEY-----" "$(head -1 "$t.pub")" "PKIX header"
	# the public key is the private key's
	openssl pkey -in "$t.key" -pubout >"$t.derived.pub" || fail "openssl cannot read $t.key"
	expect_file_same "$t.derived.pub" "$t.pub"
done
openssl pkey -in ecdsa-p256.key -noout -text | grep -q "ASN1 OID: prime256v1" || fail "not P-256"
openssl pkey -in rsa-3072.key -noout -text | grep -q "Private-Key: (3072 bit" || fail "not 3072 bits"
openssl pkey -in ed25519.key -noout -text | grep -q "ED25519 Private-Key" || fail "not Ed25519"
# default type is ecdsa-p256; no temporary files are left behind
run xp keygen -o default
expect_rc 0
expect_out_has "default.key (ecdsa-p256, not encrypted)"
[ -z "$(ls -A | grep '^\.' | grep -v '^\.\(out\|err\|rc\|diff\)$')" ] || fail "temporary files left: $(ls -A)"

# encrypted: PKCS#8 with PBES2/PBKDF2/AES-256-CBC, from the environment ...
XPSHIP_KEY_PASSWORD='s3cret words' run xp keygen -t ed25519 -o enc
expect_rc 0
expect_out_has "enc.key (ed25519, encrypted)"
expect_eq "-----BEGIN ENCRYPTED PRIVATE KEY-----" "$(head -1 enc.key)" "encrypted header"
expect_eq 600 "$(stat -c %a enc.key)" "mode of enc.key"
openssl asn1parse -in enc.key >asn1 || fail "asn1parse"
grep -q ":PBES2" asn1 && grep -q ":PBKDF2" asn1 && grep -q ":aes-256-cbc" asn1 || fail "not PBES2/PBKDF2/AES-256-CBC: $(cat asn1)"
openssl pkey -in enc.key -passin 'pass:s3cret words' -noout || fail "openssl cannot decrypt with the passphrase"
openssl pkey -in enc.key -passin 'pass:wrong' -noout 2>/dev/null && fail "decrypts with a wrong passphrase"
grep -qF 's3cret' .out .err enc.key enc.pub && fail "passphrase leaked"
# ... and from stdin (first line only; the env is ignored then)
printf 'from stdin\nsecond line\n' >pw
XPSHIP_KEY_PASSWORD=ignored run_in pw xp keygen --password-stdin -o enc2
expect_rc 0
expect_out_has "enc2.key (ecdsa-p256, encrypted)"
openssl pkey -in enc2.key -passin 'pass:from stdin' -noout || fail "stdin passphrase not used"

# existing files are kept unless --force
cp enc.key enc.key.orig
run xp keygen -o enc
expect_rc 2
expect_out_empty
expect_err <<'END'
xpship: error: cannot write key 'enc.key': file exists (use --force to replace it)
END
expect_file_same enc.key.orig enc.key
run xp keygen --force -o enc
expect_rc 0
expect_out_has "enc.key (ecdsa-p256, not encrypted)"
# --force never costs the existing private key: with a directory where the
# public key would go, nothing is written at all
cp enc.key enc.key.orig
rm enc.pub && mkdir enc.pub
run xp keygen --force -o enc
expect_rc 2
expect_out_empty
expect_err <<'END'
xpship: error: cannot write key 'enc.pub': it is a directory
END
expect_file_same enc.key.orig enc.key
[ -z "$(ls -A enc.pub)" ] || fail "enc.pub changed"
[ -z "$(ls -A . | grep '\.tmp-')" ] || fail "temporary files left: $(ls -A)"
rmdir enc.pub
# a directory that does not exist
run xp keygen -o missing/dir/k
expect_rc 4
expect_err_has "xpship: error: cannot create 'missing/dir/k.key': No such file or directory"

# usage
run xp keygen -t dsa -o x
expect_rc 2
expect_err <<'END'
xpship: error: unknown key type 'dsa' (expected ecdsa-p256, ed25519 or rsa-3072)
Run 'xpship keygen --help' for usage.
END
# no -o: cosign.key and cosign.pub, as cosign generate-key-pair names them
mkdir dflt
(cd dflt && XPSHIP_KEY_PASSWORD= "$XPSHIP_BIN" keygen </dev/null >../dflt.out 2>&1) ||
	fail "keygen without -o: $(cat dflt.out)"
[ -f dflt/cosign.key ] && [ -f dflt/cosign.pub ] || fail "no cosign.key/cosign.pub: $(ls dflt)"
openssl pkey -pubin -in dflt/cosign.pub -noout || fail "cosign.pub is not a public key"
run xp keygen -o ''
expect_rc 2
expect_err <<'END'
xpship: error: empty -o PREFIX
Run 'xpship keygen --help' for usage.
END
run xp keygen -o a b
expect_rc 2
expect_err_has "xpship: error: unexpected argument 'b'"
run xp keygen --passwd-stdin -o a
expect_rc 2
expect_err_has "unknown option '--passwd-stdin' (did you mean '--password-stdin'?)"
run xp keygen --help
expect_rc 0
expect_out_has "usage: xpship keygen [--type ecdsa-p256|ed25519|rsa-3072]"
exit 0
