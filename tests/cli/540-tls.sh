# TLS is verified by default: a registry with a throwaway CA is refused until
# the CA is trusted (--ca-file) or verification is switched off (--insecure);
# plain HTTP to a TLS registry is a clear registry error.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1

B=$DATA/registry/signed
M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
reg_start tls || fail "registry did not start"
A=$REG_ADDR

run xp push "oci:$B:v1" "$A/team/model:v1"
expect_rc 5
expect_err <<END
xpship: error: cannot reach registry '$A': SSL peer certificate or SSH remote key was not OK
END
run xp push --ca-file "$REG_CA" "oci:$B:v1" "$A/team/model:v1"
expect_rc 0
expect_out <<END
$A/team/model@$M
END
mkdir -p "$T/certs" && cp "$REG_CA" "$T/certs/ca.crt"
got=$(skopeo inspect --raw --cert-dir "$T/certs" "docker://$A/team/model:v1" | sha256sum | cut -d' ' -f1)
expect_eq "${M#sha256:}" "$got" "manifest over TLS"
run xp pull --insecure "$A/team/model:v1" "oci:$T/out"
expect_rc 0
expect_out <<END
oci:$T/out:v1@$M
END
run xp tags --ca-file "$REG_CA" "$A/team/model"
expect_rc 0
expect_out_has "v1"
# a CA file that does not exist
run xp tags --ca-file "$T/none.pem" "$A/team/model"
expect_rc 5
expect_err_has "xpship: error: cannot reach registry '$A': "
# http:// to a TLS registry
run xp tags --plain-http "$A/team/model"
expect_rc 5
expect_err <<END
xpship: error: cannot list the tags of '$A/team/model': HTTP 400 (Client sent an HTTP request to an HTTPS server.)
END
exit 0
