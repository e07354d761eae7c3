# A registry that speaks plain HTTP, reached over TLS (no --plain-http): the
# TLS handshake fails at once (no retries) and the error says what to do, in
# every command that talks to a registry; http:// and https:// references are
# refused with how to write them, never as an invalid host 'http:'.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1

reg_start plain || fail "registry did not start"
R=$REG_ADDR
M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
HINT="the registry may speak plain HTTP: use --plain-http (or XPSHIP_REGISTRY_PLAIN_HTTP=HOST)"
# the TLS library's own words vary with its version: the first part is kept
tls_err() { sed -E 's/SSL connect error \(([A-Za-z]+)[^)]*\)/SSL connect error (\1 ...)/' "$T/.err"; }

run xp push "oci:$DATA/registry/bundle:v1" "$R/team/model:v1"
expect_rc 5
expect_out_empty
expect_eq "xpship: error: cannot reach registry '$R': SSL connect error (OpenSSL ...): $HINT" "$(tls_err)" "push"
expect_err_has "wrong version number"
run xp tags "$R/team/model"
expect_rc 5
expect_eq "xpship: error: cannot reach registry '$R': SSL connect error (OpenSSL ...): $HINT" "$(tls_err)" "tags"
run xp pull "$R/team/model:v1" "$T/out"
expect_rc 5
expect_err_has ": $HINT"
run xp registry ping "$R"
expect_rc 5
expect_eq "xpship: error: cannot reach registry '$R': SSL connect error (OpenSSL ...): $HINT" "$(tls_err)" "ping"
printf 'pw\n' >pw
run_in pw xp login "$R" -u me --password-stdin
expect_rc 5
expect_err_has ": $HINT"
# what the hint says works
run xp push --plain-http "oci:$DATA/registry/bundle:v1" "$R/team/model:v1"
expect_rc 0
expect_out <<END
$R/team/model@$M
END
# with --plain-http the hint is not given (a refused connection says so plainly)
port=$(reg_free_port)
XPSHIP_REGISTRY_RETRIES=0 run xp tags --plain-http "127.0.0.1:$port/team/model"
expect_rc 5
expect_err_lacks "plain HTTP"

# URLs instead of references: how to write them
for ref in "http://$R/team/model:v1" "docker://http://$R/team/model:v1" "HTTP://$R/team/model:v1"; do
	run xp push "oci:$DATA/registry/bundle:v1" "$ref"
	expect_rc 2
	expect_err <<END
xpship: error: '${ref#docker://}' is a URL, not a reference: write '$R/team/model:v1' and add --plain-http (or set XPSHIP_REGISTRY_PLAIN_HTTP=HOST)
Run 'xpship push --help' for usage.
END
done
run xp pull "https://$R/team/model:v1" out
expect_rc 2
expect_err <<END
xpship: error: 'https://$R/team/model:v1' is a URL, not a reference: write '$R/team/model:v1' (https is the default)
Run 'xpship pull --help' for usage.
END
run xp registry ping "http://$R"
expect_rc 2
expect_err <<END
xpship: error: 'http://$R' is a URL, not a reference: write '$R' and add --plain-http (or set XPSHIP_REGISTRY_PLAIN_HTTP=HOST)
Run 'xpship registry --help' for usage.
END
run_in pw xp login "http://$R" -u me --password-stdin
expect_rc 2
expect_err_has "xpship: error: 'http://$R' is a URL, not a reference: write '$R' and add --plain-http"
cp "$DATA/gate/gate.yaml" "$DATA/gate/candidate.json" .
run xp gate --policy gate.yaml --metrics candidate.json --baseline "http://$R/team/model:prod"
expect_rc 2
expect_err <<END
xpship: error: 'http://$R/team/model:prod' is a URL, not a reference: write '$R/team/model:prod' and add --plain-http (or set XPSHIP_REGISTRY_PLAIN_HTTP=HOST)
END
exit 0
