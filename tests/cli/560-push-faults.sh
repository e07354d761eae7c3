# Pushes and pulls through the fault-injecting proxy: dropped uploads, 500,
# 429 with Retry-After, a stalled upload, a lost answer, a token refused
# mid-upload, a download cut short. Each run either completes or exits 5 with a
# clear message, and no tag ever names content the registry does not have
# (checked on the registry directly, with skopeo and curl).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/fault_proxy.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=5 XPSHIP_REGISTRY_RETRY_MAX_MS=2000

B=$DATA/registry/bundle
M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
CFG=sha256:4c4f2cf201ed4ede683089e21e80298b6d5d2543f3b1a23b44930819568e9353
LAYER=sha256:75c0add89fed7c23231a2f03cacdeb9a31cb3406994e76e0184c31744605dbbf
reg_start plain || fail "registry did not start"
R=$REG_ADDR
fp_start "$R" || fail "proxy did not start"
P=$FP_ADDR

# pushed REPO: the tag v1 names $M and both blobs are there (curl, on the
# registry itself)
pushed() {
	expect_eq "${M#sha256:}" "$(curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		"http://$R/v2/$1/manifests/v1" | sha256sum | cut -d' ' -f1)" "$1:v1"
	for d in $CFG $LAYER; do
		expect_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://$R/v2/$1/blobs/$d")" "$1 blob $d"
	done
}
# untagged REPO: no tag v1
untagged() {
	expect_eq 404 "$(curl -s -o /dev/null -w '%{http_code}' \
		-H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$R/v2/$1/manifests/v1")" "$1:v1"
}
push() { # REPO [OPTION...]
	local repo=$1
	shift
	run xp push --plain-http --jobs 1 "$@" "oci:$B:v1" "$P/$repo:v1"
}

# the layer's PUT dropped after 4 KiB: a new upload session, from the start
fp_plan "{\"rules\":[{\"method\":\"PUT\",\"path\":\"/blobs/uploads/\",\"query\":\"digest=sha256%3A${LAYER#sha256:}\",\"action\":\"drop\",\"after_bytes\":4096}]}"
push drop
expect_rc 0
expect_out <<END
$P/drop@$M
END
expect_eq 1 "$(fp_count PUT '/blobs/uploads/' - drop)" "dropped PUTs"
expect_eq 2 "$(fp_count PUT '/blobs/uploads/' 201)" "blob PUTs that went through"
pushed drop
expect_eq "$M" "$(reg_skopeo_digest "$R/drop:v1")" "drop:v1 as skopeo reads it"

# the config's answer lost (the registry has it, the client cannot know): done again
fp_reset
fp_plan '{"rules":[{"method":"PUT","path":"/blobs/uploads/","action":"drop","after_bytes":100000}]}'
push lost
expect_rc 0
pushed lost

# 500 twice on blob PUTs, 429 with Retry-After on the manifest: retried
fp_reset
fp_plan '{"rules":[{"method":"PUT","path":"/blobs/uploads/","action":"status","status":500,"times":2},
 {"method":"PUT","path":"/manifests/sha256:","action":"status","status":429,"retry_after":1}]}'
push retry
expect_rc 0
expect_eq 2 "$(fp_count PUT '/blobs/uploads/' 500)" "500 answers"
expect_eq 1 "$(fp_count PUT '/manifests/sha256:' 429)" "429 answers"
expect_eq 1 "$(fp_count PUT '/manifests/sha256:' 201)" "manifest pushed after the 429"
pushed retry

# a stalled upload (no bytes move): aborted after the stall timeout, retried
fp_reset
fp_plan "{\"rules\":[{\"method\":\"PUT\",\"query\":\"digest=sha256%3A${LAYER#sha256:}\",\"action\":\"stall\",\"seconds\":30,\"then\":\"close\"}]}"
XPSHIP_REGISTRY_STALL_TIMEOUT=1 push stall
expect_rc 0
pushed stall

# chunked: a PATCH dropped mid-body; the registry refuses the stale session
# (offset mismatch), so the upload starts over
fp_reset
fp_plan '{"rules":[{"method":"PATCH","nth":2,"action":"drop","after_bytes":3000}]}'
push chunked --chunk-size 8K
expect_rc 0
expect_eq 1 "$(fp_count PATCH '/blobs/uploads/' - drop)" "dropped PATCH"
expect_eq 1 "$(fp_count GET '/blobs/uploads/' 404)" "status of the stale session"
pushed chunked

# chunked: a PATCH lost before the registry saw a byte; the session is still
# good, its status says how far it got, and the upload resumes from there
fp_reset
fp_plan '{"rules":[{"method":"PATCH","nth":3,"action":"drop"}]}'
push resumed --chunk-size 8K
expect_rc 0
expect_eq 1 "$(fp_count PATCH '/blobs/uploads/' - drop)" "dropped PATCH"
expect_eq 1 "$(fp_count GET '/blobs/uploads/' 204)" "status of the live session"
expect_eq 2 "$(fp_count POST '/blobs/uploads/' 202)" "upload sessions (one per blob, none restarted)"
pushed resumed

# failures that do not go away: exit 5, and no tag
fp_reset
fp_plan '{"rules":[{"method":"PUT","path":"/blobs/uploads/","action":"status","status":500,"times":0}]}'
push broken
expect_rc 5
expect_err <<END
xpship: error: cannot push blob '$CFG' to '$P/broken': HTTP 500 (UNKNOWN: injected fault) (gave up after 5 attempts)
END
untagged broken
fp_reset
fp_plan '{"rules":[{"method":"PUT","path":"/blobs/uploads/","action":"drop","times":0}]}'
push dropped
expect_rc 5
expect_err <<END
xpship: error: cannot push blob '$CFG' to '$P/dropped': Server returned nothing (no headers, no data) (gave up after 5 attempts)
END
untagged dropped
fp_reset
fp_plan '{"rules":[{"method":"PUT","path":"/manifests/","action":"status","status":503,"times":0}]}'
push nomanifest
expect_rc 5
expect_err <<END
xpship: error: cannot push manifest '$M' to '$P/nomanifest': HTTP 503 (UNAVAILABLE: injected fault) (gave up after 5 attempts)
END
untagged nomanifest
fp_reset
fp_plan '{"rules":[{"method":"PUT","path":"/manifests/v1$","action":"status","status":500,"times":0}]}'
push notag
expect_rc 5
expect_err <<END
xpship: error: cannot push manifest '$M' to '$P/notag:v1': HTTP 500 (UNKNOWN: injected fault) (gave up after 5 attempts)
END
untagged notag

# a download cut short resumes with a Range request
fp_clear
fp_reset
fp_plan "{\"rules\":[{\"method\":\"GET\",\"path\":\"/blobs/${LAYER}\",\"action\":\"drop\",\"after_response_bytes\":10000}]}"
run xp pull --plain-http "$P/drop:v1" "oci:$T/pulled"
expect_rc 0
expect_out <<END
oci:$T/pulled:v1@$M
END
expect_eq 1 "$(fp_count GET "/blobs/$LAYER" 206)" "resumed download"
skopeo inspect "oci:$T/pulled:v1" >/dev/null || fail "pulled layout unreadable"
exit 0
