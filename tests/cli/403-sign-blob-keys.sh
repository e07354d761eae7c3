# `sign-blob` key handling: encrypted keys without or with a wrong
# passphrase, env:// keys that are missing, a public key given to sign, and
# usage errors. No prompt happens without a terminal; secrets never show.
. "$TESTS_DIR/lib.sh"

printf 'data\n' >f
xp keygen -o plain >/dev/null || fail "keygen"
printf 'right one\n' | xp keygen --password-stdin -t ed25519 -o enc >/dev/null || fail "keygen enc"

# encrypted, no passphrase, stdin not a terminal: an error, not a prompt
run xp sign-blob --key enc.key f
expect_rc 2
expect_out_empty
expect_err <<'END'
xpship: error: cannot load key 'enc.key': it is encrypted; give the passphrase in XPSHIP_KEY_PASSWORD or with --password-stdin
END
XPSHIP_KEY_PASSWORD='wrong one' run xp sign-blob --key enc.key f
expect_rc 2
expect_err <<'END'
xpship: error: cannot decrypt key 'enc.key': wrong passphrase or damaged key
END
grep -qF 'wrong one' .out .err && fail "passphrase printed"
printf 'wrong one\n' >pw
run_in pw xp sign-blob --password-stdin --key enc.key f
expect_rc 2
expect_err_has "wrong passphrase"
# an empty stdin gives an empty passphrase, which is wrong too
run xp sign-blob --password-stdin --key enc.key f
expect_rc 2
expect_err_has "cannot decrypt key 'enc.key'"
XPSHIP_KEY_PASSWORD='right one' run xp sign-blob --key enc.key f
expect_rc 0

# env:// keys
run xp sign-blob --key env://XP_MISSING_KEY f
expect_rc 2
expect_err <<'END'
xpship: error: cannot read key 'env://XP_MISSING_KEY': environment variable XP_MISSING_KEY is not set
END
KEYTEXT=$(cat enc.key) XPSHIP_KEY_PASSWORD='right one' run xp sign-blob --key env://KEYTEXT f
expect_rc 0
KEYTEXT='garbage' run xp sign-blob --key env://KEYTEXT f
expect_rc 3
expect_err <<'END'
xpship: error: cannot load key 'env://KEYTEXT': not a PEM private key
END
grep -qF 'garbage' .err && fail "key text printed"
run xp sign-blob --key env:// f
expect_rc 2
expect_err <<'END'
xpship: error: invalid key 'env://': expected env://VARIABLE
END

# a damaged PEM body is malformed input with OpenSSL's cause
sed '2s/^..../AAAA/' plain.key >damaged.key
run xp sign-blob --key damaged.key f
expect_rc 3
expect_err_has "xpship: error: cannot load key 'damaged.key': "
run xp sign-blob --key plain.pub f
expect_rc 2
expect_err <<'END'
xpship: error: cannot load key 'plain.pub': it is a public key (signing needs the private key)
END
run xp sign-blob --key plain.key nope
expect_rc 4
expect_err <<'END'
xpship: error: cannot open 'nope': No such file or directory
END
run xp sign-blob --key plain.key -o missing/dir/f.sig f
expect_rc 4
expect_err_has "xpship: error: cannot create 'missing/dir/f.sig': No such file or directory"

# usage
run xp sign-blob f
expect_rc 2
expect_err <<'END'
xpship: error: missing --key KEY
Run 'xpship sign-blob --help' for usage.
END
run xp sign-blob --key plain.key
expect_rc 2
expect_err_has "xpship: error: missing FILE"
run xp sign-blob --key plain.key f f
expect_rc 2
expect_err_has "xpship: error: too many arguments"
run xp sign-blob --help
expect_rc 0
expect_out_has "usage: xpship sign-blob --key KEY"
exit 0
