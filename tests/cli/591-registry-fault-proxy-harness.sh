# Test-harness self-test: tests/helpers/fault_proxy.sh and fault_proxy.py in front
# of the real token-auth registry, checked with independent clients (curl, skopeo):
# passthrough push, keep-alive, chunked bodies both ways, Location rewriting, every
# fault kind, response headers set on forwarded answers, the request log, plan
# errors, and no process left behind.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/fault_proxy.sh"

reg_start token tok || fail "token registry did not start"
R=$REG_ADDR
fp_start "$R" || fail "fault proxy did not start"
P=$FP_ADDR
[ -n "$FP_PID" ] && [ -f "$FP_PLAN" ] && [ -f "$FP_LOG" ] || fail "FP_* not set"
TOK=$(reg_token repository:team/model:pull,push)
printf 'header = "Authorization: Bearer %s"\n' "$TOK" >"$T/auth.cfg"
# c CURL_ARGS...: authorized curl; headers to $T/h, body to $T/body; prints
# "STATUS BYTES_RECEIVED" and the exit code is curl's
c() { curl -s -K "$T/auth.cfg" -D "$T/h" -o "$T/body" -w '%{http_code} %{size_download}\n' "$@"; }
hdr() { tr -d '\r' <"$T/h" | sed -n "s/^$1: //Ip" | tail -n 1; }
upload_url() { # a fresh upload session; prints its Location
	c -X POST "http://${1:-$P}/v2/team/model/blobs/uploads/" >/dev/null
	hdr Location
}
head -c 262144 /dev/urandom >"$T/blob"
DIGEST="sha256:$(sha256sum "$T/blob" | cut -d' ' -f1)"

# passthrough: the registry's challenge reaches the client unchanged
run curl -s -o /dev/null -D "$T/h" -w '%{http_code}\n' "http://$P/v2/"
expect_out <<<401
expect_eq "Bearer realm=\"http://$REG_TOKEN_ADDR/token\",service=\"test-registry\"" \
	"$(hdr Www-Authenticate)" "challenge through the proxy"
expect_eq 1 "$(fp_count GET '^/v2/$' 401 pass)" "logged challenge"

# skopeo pushes through the proxy with token auth; the registry holds the same digest
run reg_skopeo_push "$P/team/model:t"
expect_rc 0
want=$(out)
run reg_skopeo_digest "$R/team/model:t"
expect_out <<<"$want"
expect_eq 1 "$(fp_count PUT '^/v2/team/model/manifests/t$' 201 pass bearer)" "manifest PUT logged"
[ "$(fp_count PUT '^/v2/team/model/blobs/uploads/.*digest=' 201)" -ge 1 ] ||
	fail "no blob PUT through the proxy: $(cat "$FP_LOG")"

# keep-alive: 40 manifest PUTs in one curl run use one connection; then the tag
# list (over 2 KiB, so the registry sends it chunked) arrives intact
manifest="$T/sample/blobs/sha256/${want#sha256:}"
args=()
for i in $(seq 10 49); do
	args+=(--next -s -K "$T/auth.cfg" -o /dev/null -w '%{http_code}/%{num_connects} ' -X PUT
		-H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$manifest"
		"http://$P/v2/team/model/manifests/keepalive-tag-with-a-long-name-to-fill-the-list-$i")
done
curl "${args[@]:1}" >"$T/ka" || fail "keep-alive PUTs"
expect_eq "201/1 $(printf '201/0 %.0s' $(seq 2 40))" "$(cat "$T/ka")" "PUT statuses/connections"
run c "http://$P/v2/team/model/tags/list"
expect_out_has "200 "
expect_eq chunked "$(hdr Transfer-Encoding)" "tags/list framing"
cp "$T/body" "$T/tags-proxy"
c "http://$R/v2/team/model/tags/list" >/dev/null
expect_file_same "$T/body" "$T/tags-proxy"

# Location headers that point at the registry are rewritten to the proxy
loc=$(upload_url "$R")
case "$loc" in "http://$R/v2/team/model/blobs/uploads/"*) ;; *) fail "direct Location: $loc" ;; esac
loc=$(upload_url)
case "$loc" in "http://$P/v2/team/model/blobs/uploads/"*) ;; *) fail "proxied Location: $loc" ;; esac
run c -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$T/blob" "$loc&digest=$DIGEST"
expect_out <<<"201 0"
expect_eq "http://$P/v2/team/model/blobs/$DIGEST" "$(hdr Location)" "blob Location"
run c "http://$P/v2/team/model/blobs/$DIGEST"
expect_out <<<"200 262144"
expect_file_same "$T/blob" "$T/body"

# Expect: 100-continue is answered by the proxy, then the body flows
loc=$(upload_url)
run c -X PUT -H 'Expect: 100-continue' -H 'Content-Type: application/octet-stream' \
	--data-binary "@$T/blob" "$loc&digest=$DIGEST"
expect_out <<<"201 0"

# a chunked request body (curl -T - reads stdin) is relayed with its framing
loc=$(upload_url)
run_in "$T/blob" c -X PATCH -H 'Content-Type: application/octet-stream' -T - "$loc"
expect_out <<<"202 0"
expect_eq "0-262143" "$(hdr Range)" "range after a chunked PATCH"
run c -X PUT "$(hdr Location)&digest=$DIGEST"
expect_out <<<"201 0"

# drop: at once (empty reply), and mid-upload after exactly 65536 body bytes
fp_plan '{"rules":[{"method":"GET","path":"^/v2/$","action":"drop"}]}' || fail "plan"
run c "http://$P/v2/"
expect_rc 52
run c "http://$P/v2/"
expect_out <<<"200 2"
loc=$(upload_url)
fp_plan '{"rules":[{"method":"PATCH","path":"/blobs/uploads/","action":"drop","after_bytes":65536}]}'
run c -X PATCH -H 'Content-Type: application/octet-stream' --data-binary "@$T/blob" "$loc"
case "$(rc)" in 52|55|56) ;; *) fail "dropped PATCH: curl exit $(rc)" ;; esac
expect_eq 1 "$(fp_count PATCH '^/v2/team/model/blobs/uploads/' - drop bearer)" "dropped PATCH logged"
i=0
until grep -q 'client disconnected during blob PATCH.*copied=65536 ' "$REG_DIR/registry.log"; do
	[ $i -lt 50 ] || fail "the registry did not receive exactly 65536 bytes"
	sleep 0.1; i=$((i + 1))
done

# a lost response: the manifest PUT reaches the registry, its answer does not
fp_plan '{"rules":[{"method":"PUT","path":"/manifests/lost$","action":"drop","after_bytes":1000000}]}'
run c -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$manifest" \
	"http://$P/v2/team/model/manifests/lost"
expect_rc 52
expect_eq 1 "$(fp_count PUT '/manifests/lost$' 201 drop)" "lost response logged"
run c -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$R/v2/team/model/manifests/lost"
expect_out_has "200 "

# a download dropped after 1000 body bytes
fp_plan '{"rules":[{"method":"GET","path":"/blobs/sha256:","action":"drop","after_response_bytes":1000}]}'
run c "http://$P/v2/team/model/blobs/$DIGEST"
expect_rc 18
expect_out <<<"200 1000"

# 500 on the first matching request only; 429 with Retry-After twice
fp_plan '{"rules":[{"method":"GET","path":"/manifests/t$","action":"status","status":500},
  {"method":"HEAD","path":"/blobs/","action":"status","status":429,"retry_after":2,"times":2}]}'
accept='Accept: application/vnd.oci.image.manifest.v1+json'
run c -H "$accept" "http://$P/v2/team/model/manifests/t"
expect_out_has "500 "
expect_err_empty
run c -H "$accept" "http://$P/v2/team/model/manifests/t"
expect_out_has "200 "
for n in 1 2; do
	run c -I "http://$P/v2/team/model/blobs/$DIGEST"
	expect_out <<<"429 0"
	expect_eq 2 "$(hdr Retry-After)" "Retry-After ($n)"
done
run c -I "http://$P/v2/team/model/blobs/$DIGEST"
expect_out <<<"200 0"
expect_eq 262144 "$(hdr Content-Length)" "HEAD Content-Length"
run c -X POST --data-binary "@$T/blob" "http://$P/v2/x/blobs/uploads/" # body drained, no fault
expect_rc 0
expect_out_has "401 "
expect_eq 1 "$(fp_count POST '^/v2/x/blobs/uploads/$' 401 pass)" "POST with a body, passed through"
run c "http://$P/v2/team/model/tags/list"
expect_out_has "200 "
fp_plan '{"rules":[{"method":"POST","action":"status","status":503,"times":2}]}'
run curl -s -K "$T/auth.cfg" -o "$T/body" -w '%{http_code}/%{num_connects} ' -X POST \
	--data-binary "@$T/blob" "http://$P/v2/team/model/blobs/uploads/" \
	--next -s -K "$T/auth.cfg" -o /dev/null -w '%{http_code}/%{num_connects}\n' "http://$P/v2/"
expect_out <<<"503/1 200/0"
grep -qF '"code": "UNAVAILABLE"' "$T/body" || fail "503 body: $(cat "$T/body")"
run curl -s -K "$T/auth.cfg" -o /dev/null -w '%{http_code}/%{num_connects} ' -X POST \
	-H 'Expect: 100-continue' --data-binary "@$T/blob" "http://$P/v2/team/model/blobs/uploads/" \
	--next -s -K "$T/auth.cfg" -o /dev/null -w '%{http_code}/%{num_connects}\n' "http://$P/v2/"
expect_out <<<"503/1 200/1"

# stall: nothing at all for 3 s, or the head then nothing; curl gives up after 0.5 s
fp_plan '{"rules":[{"method":"GET","path":"/manifests/t$","action":"stall","seconds":3},
  {"method":"GET","path":"/blobs/sha256:","action":"stall","seconds":3,"phase":"body","then":"close"}]}'
run c -H "$accept" --max-time 0.5 "http://$P/v2/team/model/manifests/t"
expect_rc 28
expect_out <<<"000 0"
expect_eq 1 "$(fp_count GET '/manifests/t$' - stall)" "stall logged"
run c --max-time 0.5 "http://$P/v2/team/model/blobs/$DIGEST"
expect_rc 28
expect_out <<<"200 0"
expect_eq 262144 "$(hdr Content-Length)" "stalled response head"

# unauthorized: the registry's own expired-token answer, scope derived from the path
fp_plan '{"rules":[{"method":"HEAD","path":"/blobs/","action":"unauthorized"}]}'
run c -I "http://$P/v2/team/model/blobs/$DIGEST"
expect_out <<<"401 0"
expect_eq "Bearer realm=\"http://$REG_TOKEN_ADDR/token\",service=\"test-registry\",scope=\"repository:team/model:pull\",error=\"invalid_token\"" \
	"$(hdr Www-Authenticate)" "injected challenge"
run c -I "http://$P/v2/team/model/blobs/$DIGEST"
expect_out <<<"200 0"

# response_headers: a forwarded answer gets headers added, replaced (any case) and
# removed; the registry still stores the manifest
hcount() { tr -d '\r' <"$T/h" | grep -ci "^$1:"; }
fp_plan '{"rules":[{"method":"PUT","path":"/manifests/subj$","action":"pass",
  "response_headers":{"OCI-Subject":"sha256:5ub","docker-content-digest":"sha256:fake",
  "Docker-Distribution-Api-Version":null}}]}' || fail "plan"
run c -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$manifest" \
	"http://$P/v2/team/model/manifests/subj"
expect_out <<<"201 0"
expect_eq sha256:5ub "$(hdr OCI-Subject)" "added header"
expect_eq "1 sha256:fake" "$(hcount Docker-Content-Digest) $(hdr Docker-Content-Digest)" "replaced header"
expect_eq 0 "$(hcount Docker-Distribution-Api-Version)" "removed header"
expect_eq 1 "$(fp_count PUT '/manifests/subj$' 201 pass)" "PUT with response_headers logged"
run c -H "$accept" "http://$R/v2/team/model/manifests/subj"
expect_out <<<"200 $(wc -c <"$manifest")"
expect_eq "$want" "$(hdr Docker-Content-Digest)" "stored manifest"
expect_eq 0 "$(hcount OCI-Subject)" "no OCI-Subject from the registry itself"
run c -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$manifest" \
	"http://$P/v2/team/model/manifests/other"
expect_out <<<"201 0"
expect_eq "0 $want" "$(hcount OCI-Subject) $(hdr Docker-Content-Digest)" "unmatched PUT"

# status with headers replacing the default Content-Type and a JSON body: a
# referrers API answer
fp_plan '{"rules":[{"method":"GET","path":"/referrers/sha256:","action":"status","status":200,
  "headers":{"content-type":"application/vnd.oci.image.index.v1+json","OCI-Filters-Applied":"artifactType"},
  "body":{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}}]}'
run c "http://$P/v2/team/model/referrers/$want"
expect_out <<<"200 88"
expect_eq "1 application/vnd.oci.image.index.v1+json" "$(hcount Content-Type) $(hdr Content-Type)" \
	"referrers Content-Type"
expect_eq artifactType "$(hdr OCI-Filters-Applied)" "extra header"
expect_eq '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}' \
	"$(cat "$T/body")" "referrers body"
run c "http://$R/v2/team/model/referrers/$want"
[ "$(out)" != "200 88" ] || fail "the registry itself has a referrers API: $(cat "$T/body")"
for bad in '"response_headers":{"Content-Length":"1"}' '"response_headers":["OCI-Subject"]' \
	'"headers":{"X":null}' '"body":7'; do
	run fp_plan "{\"rules\":[{\"action\":\"pass\",$bad}]}"
	expect_rc 1
done
expect_err_has "body must be a string or a JSON object or list"
fp_clear || fail "fp_clear"

# an invalid plan fails fp_plan and every proxied request, loudly
run fp_plan '{"rules":[{"action":"explode"}]}'
expect_rc 1
expect_err_has "action must be one of drop, pass, stall, status, unauthorized, not 'explode'"
run c "http://$P/v2/"
expect_out_has "502 "
expect_eq 1 "$(fp_count GET '^/v2/$' 502 plan-error)" "plan error logged"
fp_clear || fail "fp_clear"

# the control endpoint: counters and log
fp_plan '{"rules":[{"method":"GET","path":"^/v2/$","action":"pass","times":0}]}'
c "http://$P/v2/" >/dev/null
c "http://$P/v2/" >/dev/null
run curl -s "http://$P/_fault/plan"
expect_out_has '"seen": 2, "fired": 2'
fp_reset || fail "fp_reset"
expect_eq 0 "$(fp_count '*' .)" "log after reset"

# the helpers stop everything they started
fp_stop_all
kill -0 "$FP_PID" 2>/dev/null && fail "proxy still running"
pids=$REG_PIDS
reg_stop_all
for p in $pids; do
	kill -0 "$p" 2>/dev/null && fail "process $p still running"
done
exit 0
