# Referrers with and without the OCI 1.1 referrers API. The Debian registry has
# none; the fault proxy in front of it plays an OCI 1.1 registry: it adds
# `OCI-Subject` to the answers of manifest PUTs (the registry still stores the
# manifest) and answers GET /v2/<name>/referrers/<digest> with an image index.
# Checked on the registry itself (curl, xpship tags without the proxy):
#  - a push to a registry that answers OCI-Subject writes no fallback index
#    (tag sha256-<hex>); one that does not answer it gets the index
#  - copy takes the referrers from the API when it answers (even when the
#    fallback index says otherwise; all its pages), from the fallback tag when the API answers
#    404, and fails when the API keeps failing rather than losing the referrers
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/fault_proxy.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1

M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
SIG=sha256:c63ce666f515dab328b4172d25c5d7db39c6d7c6c5c13cc4dc096c3cdec66333
ATT=sha256:8706cad2da851795e1722e82e6109be2b08eba25c3e2e5faa4ce3b77b0883bfe
FB="sha256-${M#sha256:}"         # the fallback index's tag
IXT=application/vnd.oci.image.index.v1+json
MT=application/vnd.oci.image.manifest.v1+json
reg_start plain || fail "registry did not start"
R=$REG_ADDR
fp_start "$R" || fail "proxy did not start"
P=$FP_ADDR

# status REPO REF: HTTP status of the manifest REF in REPO, on the registry itself
status() {
	curl -s -o /dev/null -w '%{http_code}' -H "Accept: $MT, $IXT" "http://$R/v2/$1/manifests/$2"
}
# fallback REPO: the digests the fallback index of $M lists, one a line, or "none"
fallback() {
	local code
	code=$(curl -s -o "$T/fb.json" -w '%{http_code}' -H "Accept: $IXT" "http://$R/v2/$1/manifests/$FB")
	if [ "$code" = 404 ]; then
		echo none
		return
	fi
	python3 -c 'import json, sys
ix = json.load(open(sys.argv[1]))
assert ix["mediaType"] == sys.argv[2], ix
for m in sorted(x["digest"] for x in ix["manifests"]): print(m)' "$T/fb.json" "$IXT" ||
		fail "fallback index of $1: HTTP $code: $(cat "$T/fb.json")"
}
# the proxy answers manifest PUTs with OCI-Subject: $M (every manifest with a
# subject here has that one), plus the rules given
oci11() {
	fp_plan "{\"rules\":[{\"method\":\"PUT\",\"path\":\"/manifests/sha256:\",\"action\":\"pass\",
	  \"times\":0,\"response_headers\":{\"OCI-Subject\":\"$M\"}}${1:-}]}" || fail "plan"
}
# referrers REPO STATUS [-q QUERY_ERE] [-l LINK] [DIGEST:SIZE...]: a rule answering
# the referrers of $M in REPO (requests whose query matches QUERY_ERE) with STATUS,
# a Link header LINK, and an index of the manifests given
referrers() {
	local repo=$1 st=$2 list="" sep="" d query="" link=""
	shift 2
	[ "${1:-}" != -q ] || { query=",\"query\":\"$2\""; shift 2; }
	[ "${1:-}" != -l ] || { link=",\"Link\":\"$2\""; shift 2; }
	for d in "$@"; do
		list="$list$sep{\"mediaType\":\"$MT\",\"digest\":\"${d%:*}\",\"size\":${d##*:},
		  \"artifactType\":\"application/vnd.oci.image.config.v1+json\"}"
		sep=,
	done
	printf ',{"method":"GET","path":"^/v2/%s/referrers/%s$"%s,"action":"status","status":%s,
	  "times":0,"headers":{"Content-Type":"%s"%s},
	  "body":{"schemaVersion":2,"mediaType":"%s","manifests":[%s]}}' \
		"$repo" "$M" "$query" "$st" "$IXT" "$link" "$IXT" "$list"
}

# --- push: OCI-Subject answered, so no fallback index is written ---
oci11
run xp -v push --plain-http "oci:$DATA/registry/signed:v1" "$P/api/model:v1"
expect_rc 0
expect_out <<END
$P/api/model@$M
END
expect_err <<'END'
xpship: pushed 5 blobs (31218 bytes), 0 already there, 0 mounted; 3 manifests, 2 signatures/attestations
END
run xp tags --all --plain-http "$R/api/model"
expect_out <<END
$FB.att
$FB.sig
v1
END
expect_eq none "$(fallback api/model)" "fallback index with OCI-Subject"
expect_eq "200 200" "$(status api/model "$SIG") $(status api/model "$ATT")" "companions stored"
expect_eq 0 "$(fp_count '*' "/manifests/$FB\$")" "requests for the fallback index"
expect_eq 3 "$(fp_count PUT '/manifests/sha256:' 201 pass)" "manifest PUTs answered with OCI-Subject"

# control: the same push without OCI-Subject writes the fallback index
fp_clear
fp_reset
run xp -v push --plain-http "oci:$DATA/registry/signed:v1" "$P/fb/model:v1"
expect_rc 0
expect_err <<'END'
xpship: pushed 5 blobs (31218 bytes), 0 already there, 0 mounted; 3 manifests, 2 signatures/attestations
END
run xp tags --all --plain-http "$R/fb/model"
expect_out <<END
$FB
$FB.att
$FB.sig
v1
END
expect_eq "$ATT
$SIG" "$(fallback fb/model)" "fallback index without OCI-Subject"
expect_eq 2 "$(fp_count PUT "/manifests/$FB\$" 201)" "fallback index PUTs"

# --- sources for copy: the bundle, and its signature manifest under a tag of
# its own (not a .sig tag), so only the referrers can lead copy to it ---
# bare: no fallback index (the signature went in through the OCI 1.1 proxy)
run xp push --plain-http "oci:$DATA/registry/bundle:v1" "$R/bare/model:v1"
expect_rc 0
oci11
run xp copy --plain-http "$R/api/model@$SIG" "$P/bare/model:other"
expect_rc 0
expect_out <<END
$P/bare/model@$SIG
END
# indexed: the fallback index lists the signature (pushed without the proxy)
run xp push --plain-http "oci:$DATA/registry/bundle:v1" "$R/indexed/model:v1"
expect_rc 0
run xp copy --plain-http "$R/api/model@$SIG" "$R/indexed/model:other"
expect_rc 0
run xp tags --all --plain-http "$R/bare/model"
expect_out <<'END'
other
v1
END
run xp tags --all --plain-http "$R/indexed/model"
expect_out <<END
other
$FB
v1
END
expect_eq "$SIG" "$(fallback indexed/model)" "fallback index of indexed/model"

# copy REPO DEST: copy REPO:v1 through the proxy to DEST:v1 on the registry
copy() {
	fp_reset
	run xp -v copy --plain-http "$P/$1:v1" "$R/$2:v1"
	expect_rc 0
	expect_out <<END
$R/$2@$M
END
}

# the API lists the signature, no fallback index: it is copied
oci11 "$(referrers bare/model 200 "$SIG:651")"
copy bare/model dst-api/model
expect_err <<'END'
xpship: copied 4 blobs (31139 bytes), 0 already there, 0 mounted; 2 manifests, 1 signatures/attestations
END
expect_eq 200 "$(status dst-api/model "$SIG")" "signature copied from the API's list"
expect_eq "$SIG" "$(fallback dst-api/model)" "fallback index at the destination (no OCI-Subject there)"
expect_eq 1 "$(fp_count GET "^/v2/bare/model/referrers/$M\$" 200 status)" "referrers API asked"
expect_eq 0 "$(fp_count '*' "/manifests/$FB\$")" "fallback index asked"

# the API's list in two pages (Link: rel="next"): the referrers of both are copied
oci11
run xp copy --plain-http "$R/api/model@$ATT" "$P/bare/model:other2"
expect_rc 0
oci11 "$(referrers bare/model 200 -q '^$' \
	-l "</v2/bare/model/referrers/$M?n=1&last=${SIG#sha256:}>; rel=\\\"next\\\"" "$SIG:651")$(
	referrers bare/model 200 -q '^n=1&last=' "$ATT:625")"
copy bare/model dst-pages/model
expect_err <<'END'
xpship: copied 5 blobs (31218 bytes), 0 already there, 0 mounted; 3 manifests, 2 signatures/attestations
END
expect_eq "200 200" "$(status dst-pages/model "$SIG") $(status dst-pages/model "$ATT")" \
	"referrers from both pages"
expect_eq 2 "$(fp_count GET "^/v2/bare/model/referrers/$M" 200 status)" "pages asked"
expect_eq 0 "$(fp_count '*' "/manifests/$FB\$")" "fallback index asked"
# a second page that fails: an error, not half a list
oci11 "$(referrers bare/model 200 -q '^$' \
	-l "</v2/bare/model/referrers/$M?n=1&last=${SIG#sha256:}>; rel=\\\"next\\\"" "$SIG:651"),
	{\"method\":\"GET\",\"path\":\"/referrers/\",\"query\":\"last=\",\"action\":\"status\",
	\"status\":503,\"times\":0}"
fp_reset
run xp -v copy --plain-http "$P/bare/model:v1" "$R/dst-page2/model:v1"
expect_rc 5
expect_out_empty
expect_err <<END
xpship: error: cannot read the referrers of '$M' in '$P/bare/model': HTTP 503 (UNAVAILABLE: injected fault) (gave up after 5 attempts)
END
expect_eq 404 "$(status dst-page2/model v1)" "tag after a failed copy"

# control: no API (the registry's own 404), no fallback index: nothing to copy
fp_clear
copy bare/model dst-none/model
expect_err <<'END'
xpship: copied 2 blobs (30936 bytes), 0 already there, 0 mounted; 1 manifests, 0 signatures/attestations
END
expect_eq 404 "$(status dst-none/model "$SIG")" "signature without referrers"
expect_eq 1 "$(fp_count GET "^/v2/bare/model/referrers/$M\$" 404 pass)" "referrers API asked"
expect_eq 1 "$(fp_count GET "/manifests/$FB\$" 404)" "fallback index asked"

# a 404 from the API: the fallback index lists the signature, it is copied
copy indexed/model dst-fb/model
expect_err <<'END'
xpship: copied 4 blobs (31139 bytes), 0 already there, 0 mounted; 2 manifests, 1 signatures/attestations
END
expect_eq 200 "$(status dst-fb/model "$SIG")" "signature copied from the fallback index"
expect_eq 1 "$(fp_count GET "^/v2/indexed/model/referrers/$M\$" 404 pass)" "referrers API asked"
expect_eq 1 "$(fp_count GET "/manifests/$FB\$" 200)" "fallback index read"

# the API answers an empty list: it wins over the fallback index
oci11 "$(referrers indexed/model 200)"
copy indexed/model dst-empty/model
expect_err <<'END'
xpship: copied 2 blobs (30936 bytes), 0 already there, 0 mounted; 1 manifests, 0 signatures/attestations
END
expect_eq 404 "$(status dst-empty/model "$SIG")" "signature the API does not list"
expect_eq 0 "$(fp_count '*' "/manifests/$FB\$")" "fallback index asked"

# the API fails (500 on every attempt): an error, not a copy without the
# referrers (the fallback index is not there to stand in for it)
fp_reset
fp_plan '{"rules":[{"method":"GET","path":"/referrers/","action":"status","status":500,"times":0}]}'
run xp -v copy --plain-http "$P/bare/model:v1" "$R/dst-500/model:v1"
expect_rc 5
expect_out_empty
expect_err <<END
xpship: error: cannot read the referrers of '$M' in '$P/bare/model': HTTP 500 (UNKNOWN: injected fault) (gave up after 5 attempts)
END
expect_eq 5 "$(fp_count GET "^/v2/bare/model/referrers/$M\$" 500 status)" "referrers API attempts"
expect_eq 0 "$(fp_count '*' "/manifests/$FB\$")" "fallback index asked"
expect_eq 404 "$(status dst-500/model v1)" "tag after a failed copy"
exit 0
