# Flags people guess: `login -p`/`--password` explained in the help and refused
# with the same message whether or not a value follows (never "needs a value");
# `promote --key` (with --verify-key kept as its alias); `pull -o OUT`.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1

refused() {
	expect_rc 2
	expect_out_empty
	expect_err <<'END'
xpship: error: -p/--password is not accepted (it would show in the process list): use --password-stdin
Run 'xpship login --help' for usage.
END
}
run xp login -p
refused
run xp login --password
refused
run xp login reg.example -u me -p
refused
run xp login --password=secret reg.example -u me
refused
run xp login -psecret reg.example -u me
refused
run xp login --help
expect_rc 0
expect_out_has "  -p, --password P     not accepted: a password on the command line shows in"
expect_out_has "                       use --password-stdin, as 'docker login' advises)"

M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
reg_start plain || fail "registry did not start"
R=$REG_ADDR
xp keygen -t ed25519 -o k >/dev/null || fail "keygen"
xp push --plain-http "oci:$DATA/registry/bundle:v1" "$R/team/model:cand" >/dev/null || fail "push"
xp sign --plain-http --key k.key --identity "$R/team/model" "$R/team/model:cand" >/dev/null 2>&1 || fail "sign"

# promote --key, -k, and the old --verify-key
for k in --key -k --verify-key; do
	run xp promote --plain-http "$k" k.pub "$R/team/model:cand" --to "p${k##*-}"
	expect_rc 0
	expect_err_empty
	expect_out <<END
$R/team/model:p${k##*-}@$M
END
done
run xp promote --plain-http --require-verdict pass "$R/team/model:cand" --to x
expect_rc 2
expect_err <<'END'
xpship: error: --require-verdict needs --key: a verdict counts only when signed
Run 'xpship promote --help' for usage.
END
run xp promote --help
expect_out_has "  -k, --key PUB"
expect_out_has "  --verify-key PUB"

# pull -o OUT (and --output), the same as the OUT operand
run xp pull --plain-http -o "oci:$T/a:v1" "$R/team/model:cand"
expect_rc 0
expect_out <<END
oci:$T/a:v1@$M
END
run xp pull --plain-http --output "$T/b" "$R/team/model:cand"
expect_rc 0
expect_out <<END
oci:$T/b:cand@$M
END
run xp pull --plain-http -o "$T/c" "$R/team/model:cand" "$T/d"
expect_rc 2
expect_err <<'END'
xpship: error: expected one registry reference with -o OUT
Run 'xpship pull --help' for usage.
END
exit 0
