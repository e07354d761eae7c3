# `registry ping` against real Debian registries on loopback: plain HTTP, htpasswd
# basic auth and TLS with a throwaway CA; the helper leaves no process behind.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"

reg_start plain plain || fail "plain registry did not start"
PLAIN=$REG_ADDR PLAIN_PID=$REG_PID
run xp registry ping --plain-http "$PLAIN"
expect_rc 0
expect_out <<END
$PLAIN: ok (http, registry/2.0)
END
expect_err_empty

# https against a plain-HTTP registry is a remote error with curl's cause
run xp registry ping "$PLAIN"
expect_rc 5
expect_err_has "xpship: error: cannot reach registry '$PLAIN': SSL connect error"

reg_start basic basic || fail "basic registry did not start"
BASIC=$REG_ADDR
run xp registry ping --plain-http "$BASIC/team/model"
expect_rc 5
expect_err <<END
xpship: error: registry '$BASIC' refused access: HTTP 401 (Basic realm="test-realm")
END
XPSHIP_REGISTRY_USERNAME=$REG_USER XPSHIP_REGISTRY_PASSWORD=wrong \
	run xp registry ping --plain-http "$BASIC"
expect_rc 5
expect_err_lacks "wrong"
XPSHIP_REGISTRY_USERNAME=$REG_USER XPSHIP_REGISTRY_PASSWORD=$REG_PASS \
	run xp registry ping --plain-http "$BASIC"
expect_rc 0
expect_out_has "$BASIC: ok (http"
grep -qF -- "$REG_PASS" "$T/.out" "$T/.err" && fail "password printed"

reg_start tls tls || fail "tls registry did not start"
TLS=$REG_ADDR
run xp registry ping "$TLS"
expect_rc 5
expect_err_has "xpship: error: cannot reach registry '$TLS': SSL peer certificate or SSH remote key was not OK"
run xp registry ping --ca-file "$REG_CA" "$TLS"
expect_rc 0
expect_out <<END
$TLS: ok (https, registry/2.0)
END
run xp registry ping --insecure "$TLS"
expect_rc 0

# nothing listening: remote error
port=$(reg_free_port)
run xp registry ping --plain-http "127.0.0.1:$port"
expect_rc 5
expect_err <<END
xpship: error: cannot reach registry '127.0.0.1:$port': Couldn't connect to server
END

# usage errors
run xp registry ping
expect_rc 2
run xp registry ping oci:x
expect_rc 2
expect_err <<'END'
xpship: error: invalid registry 'oci:x': expected HOST[:PORT][/REPO]
Run 'xpship registry --help' for usage.
END

# the helper stops every registry it started
pids=$REG_PIDS
reg_stop_all
for p in $pids; do
	kill -0 "$p" 2>/dev/null && fail "registry $p still running"
done
kill -0 "$PLAIN_PID" 2>/dev/null && fail "plain registry still running"
exit 0
