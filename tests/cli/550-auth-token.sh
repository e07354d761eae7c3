# Bearer-token auth against the real registry and the test token issuer: one
# token per scope (cached), anonymous and wrong credentials refused, a
# pull-only user cannot push, an expired token is replaced, tokens that are
# always expired give a clear registry error, a failing issuer is retried, and
# login works through the token flow.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1
export HOME=$T/home
mkdir -p "$HOME"
unset DOCKER_CONFIG

S=$DATA/registry/signed
B=$DATA/registry/bundle
M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
CFG=sha256:4c4f2cf201ed4ede683089e21e80298b6d5d2543f3b1a23b44930819568e9353

reg_start token tok || fail "token registry did not start"
A=$REG_ADDR REALM="http://$REG_TOKEN_ADDR/token"
export XPSHIP_REGISTRY_USERNAME=$REG_USER XPSHIP_REGISTRY_PASSWORD=$REG_PASS

# one handle (--jobs 1): a token for pull, one for pull,push, both reused
run xp push --jobs 1 --plain-http "oci:$S:v1" "$A/team/model:v1"
expect_rc 0
expect_out <<END
$A/team/model@$M
END
expect_file_same - "$REG_TOKEN_LOG" <<'END'
200 basic tester 0 repository:team/model:pull
200 basic tester 0 repository:team/model:pull,push
END
expect_eq "${M#sha256:}" "$(reg_skopeo_digest "$A/team/model:v1" | sed 's/^sha256://')" \
	"manifest skopeo reads"
: >"$REG_TOKEN_LOG"

# pull, and a mount across repositories (push on the target, pull on the source)
run xp pull --plain-http "$A/team/model:v1" "oci:$T/p"
expect_rc 0
run xp -v copy --plain-http --jobs 1 "$A/team/model:v1" "$A/prod/model:v1"
expect_rc 0
expect_err <<'END'
xpship: copied 0 blobs (0 bytes), 0 already there, 5 mounted; 3 manifests, 2 signatures/attestations
END
grep -qx '200 basic tester 0 repository:prod/model:pull,push repository:team/model:pull' \
	"$REG_TOKEN_LOG" || fail "no token for the mount: $(cat "$REG_TOKEN_LOG")"

# anonymous and wrong credentials
XPSHIP_REGISTRY_USERNAME= run xp tags --plain-http "$A/team/model"
expect_rc 5
expect_err <<END
xpship: error: cannot get a token for '$A' from '$REALM': HTTP 401 (UNAUTHORIZED: authentication required); no credentials for '$A' (set XPSHIP_REGISTRY_USERNAME and XPSHIP_REGISTRY_PASSWORD, or run 'xpship login $A')
END
XPSHIP_REGISTRY_PASSWORD=wrong run xp tags --plain-http "$A/team/model"
expect_rc 5
expect_err <<END
xpship: error: cannot get a token for '$A' from '$REALM': HTTP 401 (UNAUTHORIZED: authentication required); the credentials from XPSHIP_REGISTRY_USERNAME/XPSHIP_REGISTRY_PASSWORD were refused
END
grep -qF wrong "$T/.err" && fail "password in the message"

# an expired token is refused by the registry, dropped and replaced
reg_token_ctl expired=1 >/dev/null
: >"$REG_TOKEN_LOG"
run xp tags --plain-http "$A/team/model"
expect_rc 0
expect_out_has v1
expect_file_same - "$REG_TOKEN_LOG" <<'END'
200 basic tester 1 repository:team/model:pull
200 basic tester 0 repository:team/model:pull
END

# tokens that are always expired: a registry error, and no tag is written
reg_token_ctl expired=-1 >/dev/null
run xp push --plain-http "oci:$B:v1" "$A/team/expired:v1"
expect_rc 5
expect_err <<END
xpship: error: cannot resolve 'v1' in '$A/team/expired': HTTP 401; the registry refused the token from '$REALM' (invalid_token)
END
reg_token_ctl expired=0 >/dev/null
run reg_skopeo_digest "$A/team/expired:v1"
[ "$(rc)" != 0 ] || fail "tag written with expired tokens"
expect_err_has "manifest unknown"

# the issuer fails twice (503): retried
reg_token_ctl fail=2 fail_status=503 >/dev/null
run xp push --plain-http "oci:$B:v1" "$A/team/retry:v1"
expect_rc 0

# a user limited to pull cannot push
reg_start token lim --limit "tester=pull" || fail "second token registry did not start"
L=$REG_ADDR
XPSHIP_REGISTRY_USERNAME=$REG_USER XPSHIP_REGISTRY_PASSWORD=$REG_PASS \
	run xp push --jobs 1 --plain-http "oci:$B:v1" "$L/team/model:v1"
expect_rc 5
expect_err <<END
xpship: error: cannot push blob '$CFG' to '$L/team/model': HTTP 401 (UNAUTHORIZED: authentication required); the credentials from XPSHIP_REGISTRY_USERNAME/XPSHIP_REGISTRY_PASSWORD do not allow this
END

# login goes through the token flow (no scope) and the stored auth is used
unset XPSHIP_REGISTRY_USERNAME XPSHIP_REGISTRY_PASSWORD
printf '%s\n' "$REG_PASS" >"$T/pass"
run_in "$T/pass" xp login --plain-http "$L" -u "$REG_USER" --password-stdin
expect_rc 0
expect_out <<END
logged in to $L (credentials stored in $HOME/.docker/config.json)
END
printf 'nope\n' >"$T/bad"
run_in "$T/bad" xp login --plain-http "$L" -u "$REG_USER" --password-stdin
expect_rc 5
expect_err <<END
xpship: error: cannot get a token for '$L' from 'http://$REG_TOKEN_ADDR/token': HTTP 401 (UNAUTHORIZED: authentication required); the credentials from 'xpship login' were refused
END
run xp tags --plain-http "$L/team/model"
expect_rc 0
expect_out_empty
exit 0
