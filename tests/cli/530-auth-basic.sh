# htpasswd basic auth on a real registry: credentials from the environment,
# from ~/.docker/config.json (auths, credHelpers, credsStore with a
# docker-credential-* program), `login --password-stdin` and `logout`.
# Passwords never appear in output, logs or argv; under GitHub Actions they are
# masked.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1
export HOME=$T/home DOCKER_CONFIG=
mkdir -p "$HOME"
unset DOCKER_CONFIG

B=$DATA/registry/bundle
M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
CONFIG_HASH=4c4f2cf201ed4ede683089e21e80298b6d5d2543f3b1a23b44930819568e9353
reg_start basic || fail "registry did not start"
A=$REG_ADDR U=$REG_USER P=$REG_PASS
no_secret() { ! grep -qF -- "$P" "$T/.out" "$T/.err" || fail "password printed"; }

# anonymous: refused, with the way out
run xp push --plain-http "oci:$B:v1" "$A/team/model:v1"
expect_rc 5
expect_err <<END
xpship: error: cannot resolve 'v1' in '$A/team/model': HTTP 401; no credentials for '$A' (set XPSHIP_REGISTRY_USERNAME and XPSHIP_REGISTRY_PASSWORD, or run 'xpship login $A')
END

# environment
XPSHIP_REGISTRY_USERNAME=$U XPSHIP_REGISTRY_PASSWORD=$P run xp push --plain-http "oci:$B:v1" "$A/team/model:v1"
expect_rc 0
expect_out <<END
$A/team/model@$M
END
no_secret
XPSHIP_REGISTRY_USERNAME=$U XPSHIP_REGISTRY_PASSWORD=wrong run xp tags --plain-http "$A/team/model"
expect_rc 5
expect_err <<END
xpship: error: cannot list the tags of '$A/team/model': HTTP 401 (UNAUTHORIZED: authentication required); the credentials from XPSHIP_REGISTRY_USERNAME/XPSHIP_REGISTRY_PASSWORD were refused
END
# under GitHub Actions the password is masked first
GITHUB_ACTIONS=true XPSHIP_REGISTRY_USERNAME=$U XPSHIP_REGISTRY_PASSWORD=$P run xp tags --plain-http "$A/team/model"
expect_rc 0
expect_out <<END
::add-mask::$P
v1
END

# login: wrong password is refused and nothing is stored
printf 'wrong\n' >"$T/wrong"
run_in "$T/wrong" xp login --plain-http "$A" -u "$U" --password-stdin
expect_rc 5
expect_err <<END
xpship: error: cannot log in to '$A': the registry refused the credentials (HTTP 401)
END
[ -e "$HOME/.docker/config.json" ] && fail "config written after a failed login"

# login stores auths.<host>.auth, mode 0600, and keeps what was there
mkdir -p "$HOME/.docker"
echo '{"auths":{"other.example":{"auth":"eDp5"}},"psFormat":"x"}' >"$HOME/.docker/config.json"
printf '%s\n' "$P" >"$T/pass"
run_in "$T/pass" xp login --plain-http "docker://$A" -u "$U" --password-stdin
expect_rc 0
expect_out <<END
logged in to $A (credentials stored in $HOME/.docker/config.json)
END
no_secret
expect_eq 600 "$(stat -c %a "$HOME/.docker/config.json")" "config mode"
python3 - "$HOME/.docker/config.json" "$A" "$U:$P" <<'PY' || fail "config content"
import base64, json, sys
c = json.load(open(sys.argv[1]))
assert c["psFormat"] == "x" and c["auths"]["other.example"] == {"auth": "eDp5"}, c
assert base64.b64decode(c["auths"][sys.argv[2]]["auth"]).decode() == sys.argv[3]
PY
run xp pull --plain-http "$A/team/model:v1" "oci:$T/p1"
expect_rc 0
run xp logout "$A"
expect_rc 0
expect_out <<END
logged out of $A
END
run xp logout "$A"
expect_out <<END
not logged in to $A
END
run xp tags --plain-http "$A/team/model"
expect_rc 5

# auths with "https://host/v1/"-style keys are found too
printf '{"auths":{"http://%s/v2/":{"auth":"%s"}}}' "$A" "$(printf '%s:%s' "$U" "$P" | base64 -w0)" \
	>"$HOME/.docker/config.json"
run xp tags --plain-http "$A/team/model"
expect_rc 0
expect_out <<'END'
v1
END

# a malformed config is a positioned input error
echo '{"auths": {' >"$HOME/.docker/config.json"
run xp tags --plain-http "$A/team/model"
expect_rc 3
expect_err <<END
$HOME/.docker/config.json:2: error: malformed docker config: string or '}' expected near end of file
END

# credential helpers: credHelpers[host], then credsStore (a fake helper on PATH)
mkdir -p "$T/bin"
cat >"$T/bin/docker-credential-fake" <<'SH'
#!/bin/sh
# a docker credential helper keeping one entry in $FAKE_STORE
in=$(cat)
case "$1" in
get)
	[ -f "$FAKE_STORE" ] && grep -q "\"ServerURL\":\"$in\"" "$FAKE_STORE" || {
		echo "credentials not found in native keychain"; exit 1; }
	cat "$FAKE_STORE" ;;
store) printf '%s' "$in" >"$FAKE_STORE" ;;
erase) [ -f "$FAKE_STORE" ] || { echo "credentials not found in native keychain"; exit 1; }
	rm -f "$FAKE_STORE" ;;
esac
SH
chmod +x "$T/bin/docker-credential-fake"
export PATH="$T/bin:$PATH" FAKE_STORE=$T/fake-store
printf '{"credHelpers":{"%s":"fake"}}' "$A" >"$HOME/.docker/config.json"
run xp tags --plain-http "$A/team/model"
expect_rc 5
expect_err_has "no credentials for '$A'"
run_in "$T/pass" xp login --plain-http "$A" -u "$U" --password-stdin
expect_rc 0
expect_out <<END
logged in to $A (credentials stored in credential helper 'docker-credential-fake')
END
grep -qF "\"Secret\":\"$P\"" "$FAKE_STORE" || fail "helper did not get the secret"
grep -qF "$P" "$HOME/.docker/config.json" && fail "password in config despite a helper"
run xp tags --plain-http "$A/team/model"
expect_rc 0
expect_out <<'END'
v1
END
printf '{"credsStore":"fake"}' >"$HOME/.docker/config.json"
run xp tags --plain-http "$A/team/model"
expect_rc 0
run xp logout "$A"
expect_out <<END
logged out of $A
END
[ -e "$FAKE_STORE" ] && fail "helper still holds the credentials"
printf '{"credsStore":"missing-helper"}' >"$HOME/.docker/config.json"
run xp tags --plain-http "$A/team/model"
expect_rc 4
expect_err <<'END'
xpship: error: cannot run credential helper 'docker-credential-missing-helper': No such file or directory
END
printf '{"credsStore":"../../bin/sh"}' >"$HOME/.docker/config.json"
run xp tags --plain-http "$A/team/model"
expect_rc 3
expect_err <<'END'
xpship: error: invalid credential helper name '../../bin/sh'
END

# login usage: the password never comes from argv
rm -f "$HOME/.docker/config.json"
for flag in --password -p; do
	run xp login "$A" -u "$U" "$flag" "$P"
	expect_rc 2
	expect_err <<'END'
xpship: error: -p/--password is not accepted (it would show in the process list): use --password-stdin
Run 'xpship login --help' for usage.
END
done
run xp login "$A" -u "$U"
expect_rc 2
expect_err <<'END'
xpship: error: the password is read from stdin only: add --password-stdin
Run 'xpship login --help' for usage.
END
run xp login "$A" --password-stdin
expect_rc 2
expect_err <<'END'
xpship: error: missing user name (-u USER)
Run 'xpship login --help' for usage.
END
run_in /dev/null xp login "$A" -u "$U" --password-stdin
expect_rc 2
expect_err <<'END'
xpship: error: no password on stdin
Run 'xpship login --help' for usage.
END
run xp login "$A/team" -u "$U" --password-stdin
expect_rc 2
expect_err <<END
xpship: error: invalid registry host '$A/team': expected HOST[:PORT]
Run 'xpship login --help' for usage.
END
# a password longer than 4096 bytes is refused, never cut off and sent
head -c 4097 /dev/zero | tr '\0' x >"$T/long"
echo >>"$T/long"
run_in "$T/long" xp login --plain-http "$A" -u "$U" --password-stdin
expect_rc 2
expect_out_empty
expect_err <<'END'
xpship: error: the password on stdin is longer than 4096 bytes
Run 'xpship login --help' for usage.
END
[ -e "$HOME/.docker/config.json" ] && fail "config written for a password too long"
# GitHub Actions: the password read from stdin is masked
GITHUB_ACTIONS=true run_in "$T/pass" xp login --plain-http "$A" -u "$U" --password-stdin
expect_rc 0
expect_out <<END
::add-mask::$P
logged in to $A (credentials stored in $HOME/.docker/config.json)
END
grep -F -- "$P" "$REG_DIR/registry.log" && fail "password in the registry log"
exit 0
