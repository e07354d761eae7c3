# Test-harness self-test: `reg_start token` (tests/helpers/registry.sh) with
# tests/helpers/token_issuer.py in front of the real Debian registry, checked with
# independent clients (curl, skopeo): challenge, credentials, scopes, expired and
# forged tokens, refresh tokens, the request log, and no process left behind.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"

# claims TOKEN: the JWT's claims as compact JSON with sorted keys
claims() {
	"$XP_PYTHON" -c 'import base64,json,sys
p=sys.argv[1].split(".")[1]; p+="="*(-len(p)%4)
print(json.dumps(json.loads(base64.urlsafe_b64decode(p)),sort_keys=True,separators=(",",":")))' "$1"
}
# status URL [CURL_OPTION...]: HTTP status; response headers in $T/h
status() {
	local url=$1
	shift
	curl -s -o "$T/body" -D "$T/h" -w '%{http_code}\n' "$@" "$url"
}
creds() { printf 'user = "%s:%s"\n' "$1" "$2"; }

reg_start token tok || fail "token registry did not start"
R=$REG_ADDR
REALM="http://$REG_TOKEN_ADDR/token"
[ -n "$REG_USER" ] && [ -n "$REG_PASS" ] || fail "REG_USER/REG_PASS not set"

# the registry challenges with Bearer, naming the issuer
run status "http://$R/v2/"
expect_out <<<401
grep -qiF "www-authenticate: bearer realm=\"$REALM\",service=\"test-registry\"" "$T/h" ||
	fail "no bearer challenge: $(cat "$T/h")"
run status "http://$R/v2/team/model/tags/list"
grep -qiF 'scope="repository:team/model:pull"' "$T/h" || fail "no scope in challenge"

# the issuer: no credentials or a wrong password -> 401 with a Basic challenge
run status "$REALM?service=test-registry&scope=repository:team/model:pull"
expect_out <<<401
grep -qiF 'www-authenticate: basic realm="test-issuer"' "$T/h" || fail "no basic challenge"
creds "$REG_USER" wrong-password >"$T/bad.cfg"
run status "$REALM?service=test-registry&scope=repository:team/model:pull" -K "$T/bad.cfg"
expect_out <<<401
creds "$REG_USER" "$REG_PASS" >"$T/good.cfg"
run status "$REALM?service=other&scope=repository:team/model:pull" -K "$T/good.cfg"
expect_out <<<400

# a token for the requested scopes: the response fields and the claims
run status "$REALM?service=test-registry&scope=repository:team/model:pull,push&scope=repository:localhost:5000/x:pull" -K "$T/good.cfg"
expect_out <<<200
"$XP_PYTHON" - "$T/body" <<'PY' || fail "token response: $(cat "$T/body")"
import json, re, sys
b = json.load(open(sys.argv[1]))
assert b["token"] == b["access_token"], b
assert b["expires_in"] == 300, b
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b["issued_at"]), b
assert "refresh_token" not in b, b
PY
tok=$("$XP_PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$T/body")
run claims "$tok"
out | grep -qF '"access":[{"actions":["pull","push"],"name":"team/model","type":"repository"},{"actions":["pull"],"name":"localhost:5000/x","type":"repository"}]' ||
	fail "access claim: $(out)"
expect_out_has '"aud":"test-registry"'
expect_out_has '"iss":"test-issuer"'
expect_out_has '"sub":"tester"'
hdr=$(echo "$tok" | cut -d. -f1 | tr '_-' '/+')
hdr=$(printf '%s==' "$hdr" | base64 -d 2>/dev/null)
kid=$(openssl x509 -in "$REG_TOKEN_CERT" -noout -pubkey | openssl pkey -pubin -outform DER |
	openssl dgst -sha256 -binary | head -c 30 | base32 | fold -w4 | paste -sd:)
expect_eq "{\"typ\":\"JWT\",\"alg\":\"ES256\",\"kid\":\"$kid\"}" "$hdr" "JWT header"

# the registry accepts it
run status "http://$R/v2/" -H "Authorization: Bearer $tok"
expect_out <<<200
run status "http://$R/v2/team/model/tags/list" -H "Authorization: Bearer $tok"
expect_out <<<404
expect_eq NAME_UNKNOWN "$(grep -o NAME_UNKNOWN "$T/body")" "tags/list error"

# forgeries: an expired token, a token signed by another key, a token for another
# audience, and a pull-only token used to push are all refused
run status "http://$R/v2/team/model/tags/list" \
	-H "Authorization: Bearer $(reg_token_mint --scope repository:team/model:pull --expired)"
expect_out <<<401
grep -qF 'error="invalid_token"' "$T/h" || fail "expired token: $(cat "$T/h")"
openssl ecparam -name prime256v1 -genkey -noout -out "$T/other.key"
openssl req -new -x509 -key "$T/other.key" -out "$T/other.crt" -days 2 -subj /CN=test-issuer 2>/dev/null
run status "http://$R/v2/team/model/tags/list" -H "Authorization: Bearer $(reg_token_mint \
	--scope repository:team/model:pull --key "$T/other.key" --cert "$T/other.crt")"
expect_out <<<401
grep -qF 'error="invalid_token"' "$T/h" || fail "forged token: $(cat "$T/h")"
run status "http://$R/v2/team/model/tags/list" -H "Authorization: Bearer $(reg_token_mint \
	--scope repository:team/model:pull --service other-registry)"
expect_out <<<401
grep -qF 'error="invalid_token"' "$T/h" || fail "wrong audience: $(cat "$T/h")"
run status "http://$R/v2/team/model/blobs/uploads/" -X POST \
	-H "Authorization: Bearer $(reg_token repository:team/model:pull)"
expect_out <<<401
grep -qF 'error="insufficient_scope"' "$T/h" || fail "pull-only push: $(cat "$T/h")"

# the issuer mints the next token already expired when told to
reg_token_ctl expired=1 >/dev/null || fail "control endpoint"
t1=$(reg_token repository:team/model:pull)
t2=$(reg_token repository:team/model:pull)
run status "http://$R/v2/team/model/tags/list" -H "Authorization: Bearer $t1"
expect_out <<<401
grep -qF 'error="invalid_token"' "$T/h" || fail "issuer-expired token: $(cat "$T/h")"
run status "http://$R/v2/team/model/tags/list" -H "Authorization: Bearer $t2"
expect_out <<<404

# skopeo pushes an OCI layout with --dest-creds and reads it back with --creds
run reg_skopeo_push "$R/team/model:t"
expect_rc 0
want=$(out)
run reg_skopeo_digest "$R/team/model:t"
expect_rc 0
expect_out <<<"$want"
run skopeo inspect --creds "$REG_USER:wrong" --tls-verify=false "docker://$R/team/model:t"
[ "$(rc)" != 0 ] || fail "skopeo with a wrong password succeeded"

# the request log: one line per token request, with the grant and the scopes;
# the password appears nowhere
grep -qE '^200 basic tester 0 repository:team/model:pull,push$' "$REG_TOKEN_LOG" ||
	fail "no push-scope token for skopeo in the log: $(cat "$REG_TOKEN_LOG")"
grep -qE '^401 - tester 0 repository:team/model:pull$' "$REG_TOKEN_LOG" ||
	fail "refused request not logged: $(cat "$REG_TOKEN_LOG")"
expect_eq 1 "$(grep -c '^200 basic tester 1 ' "$REG_TOKEN_LOG")" "expired tokens issued"
grep -rqF -- "$REG_PASS" "$REG_TOKEN_LOG" "$REG_DIR/issuer.log" "$REG_DIR/registry.log" &&
	fail "password logged"

# refresh tokens: offline_token=true, then the OAuth2 refresh grant
run status "$REALM?service=test-registry&scope=repository:team/model:pull&offline_token=true" -K "$T/good.cfg"
expect_out <<<200
refresh=$("$XP_PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["refresh_token"])' "$T/body")
run status "$REALM" --data-urlencode grant_type=refresh_token --data-urlencode "refresh_token=$refresh" \
	--data-urlencode service=test-registry --data-urlencode client_id=xpship-test \
	--data-urlencode "scope=repository:team/model:pull"
expect_out <<<200
tok=$("$XP_PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_token"])' "$T/body")
run status "http://$R/v2/team/model/tags/list" -H "Authorization: Bearer $tok"
expect_out <<<200
run status "$REALM" --data-urlencode grant_type=refresh_token --data-urlencode refresh_token=bogus \
	--data-urlencode service=test-registry
expect_out <<<400
grep -qE '^200 refresh tester 0 repository:team/model:pull$' "$REG_TOKEN_LOG" || fail "refresh not logged"

# issuer options through reg_start: lifetime, pull-only user limits
reg_start token short --expires-in 7 --limit tester=pull || fail "second token registry"
tok=$(reg_token repository:team/model:pull,push)
run claims "$tok"
expect_out_has '"actions":["pull"]'
"$XP_PYTHON" -c 'import json,sys; c=json.loads(sys.argv[1]); assert c["exp"]-c["iat"]==7, c' "$(out)" ||
	fail "lifetime: $(out)"

# reg_stop_all stops the registries and the issuers
pids=$REG_PIDS
issuer=$REG_TOKEN_PID
[ -n "$issuer" ] && kill -0 "$issuer" || fail "issuer not running"
reg_stop_all
for p in $pids; do
	kill -0 "$p" 2>/dev/null && fail "process $p still running"
done
exit 0
