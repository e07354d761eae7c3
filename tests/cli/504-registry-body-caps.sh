# Registry answers whose bodies have no end, or announce more than they send,
# are bounded whoever sent them: a manifest, tag list, referrers list or token
# answer sent chunked without end, or with a 2 GB Content-Length that then
# stalls, is cut at its cap (a manifest: 4 MiB, exit 3; a tag list: 16 MiB, a
# referrers list: 4 MiB, a token: 1 MiB, exit 5); an error answer without end is
# cut after what its message needs; a blob whose announced length is not its
# size is refused before its bytes are read (exit 1). None waits for the
# stall timeout (60 s by default; every command here must end within 20 s).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/fault_proxy.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1 XPSHIP_REGISTRY_RETRIES=1

B=$DATA/registry/bundle
M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
LAYER=sha256:75c0add89fed7c23231a2f03cacdeb9a31cb3406994e76e0184c31744605dbbf
LSIZE=$(stat -c %s "$B/blobs/sha256/${LAYER#sha256:}")
MT=application/vnd.oci.image.manifest.v1+json
reg_start plain || fail "registry did not start"
R=$REG_ADDR
xp -q push --plain-http "oci:$B:v1" "$R/team/model:v1" >/dev/null || fail "push"
fp_start "$R" || fail "proxy did not start"
P=$FP_ADDR

# bounded CMD...: run it, cut off after 20 s (exit 124: it hung)
bounded() {
	run timeout 20 "$XPSHIP" "$@"
	[ "$(rc)" != 124 ] || fail "'xpship $*' did not end within 20 s"
}
# the HEAD of the tag says nothing useful, so the manifest is read with a GET
head_says_nothing='{"method":"HEAD","path":"/manifests/v1$","action":"status","status":200,"body":""}'

# a manifest sent chunked without end: cut at 4 MiB
fp_plan "{\"rules\":[$head_says_nothing,
 {\"method\":\"GET\",\"path\":\"/manifests/v1$\",\"action\":\"status\",\"status\":200,
  \"headers\":{\"Content-Type\":\"$MT\"},\"body\":\"{}\",\"endless\":true}]}"
bounded inspect --plain-http "$P/team/model:v1"
expect_rc 3
expect_err <<END
xpship: error: manifest 'v1' in '$P/team/model' is larger than 4194304 bytes
END

# a manifest announcing 2 GB, then stalling: refused on the announcement
fp_plan "{\"rules\":[$head_says_nothing,
 {\"method\":\"GET\",\"path\":\"/manifests/v1$\",\"action\":\"status\",\"status\":200,
  \"headers\":{\"Content-Type\":\"$MT\"},\"body\":\"{}\",\"content_length\":2000000000}]}"
bounded inspect --plain-http "$P/team/model:v1"
expect_rc 3
expect_err <<END
xpship: error: manifest 'v1' in '$P/team/model' is larger than 4194304 bytes
END

# a tag list without end: cut at 16 MiB
fp_plan '{"rules":[{"method":"GET","path":"/tags/list$","action":"status","status":200,
 "body":"{\"tags\":[","endless":true}]}'
bounded tags --plain-http "$P/team/model"
expect_rc 5
expect_err <<END
xpship: error: the tag list of '$P/team/model' is larger than 16777216 bytes
END

# a referrers list without end (pull reads the referrers of each manifest)
fp_plan '{"rules":[{"method":"GET","path":"/referrers/","action":"status","status":200,
 "headers":{"Content-Type":"application/vnd.oci.image.index.v1+json"},
 "body":"{\"manifests\":[","endless":true}]}'
bounded pull --plain-http "$P/team/model:v1" "oci:$T/out1"
expect_rc 5
expect_err <<END
xpship: error: the referrers list of '$M' in '$P/team/model' is larger than 4194304 bytes
END

# a token answer without end: the realm the registry names is the proxy
fp_plan "{\"rules\":[{\"path\":\"^/v2/team/\",\"action\":\"status\",\"status\":401,\"times\":0,
  \"headers\":{\"WWW-Authenticate\":\"Bearer realm=\\\"http://$P/token\\\",service=\\\"test\\\"\"}},
 {\"method\":\"GET\",\"path\":\"^/token\",\"action\":\"status\",\"status\":200,
  \"body\":\"{\\\"token\\\":\\\"\",\"endless\":true}]}"
bounded tags --plain-http "$P/team/model"
expect_rc 5
expect_err <<END
xpship: error: cannot get a token for '$P' from 'http://$P/token': the answer is larger than 1048576 bytes
END

# an error answer without end: its start is enough for the message
fp_plan '{"rules":[{"method":"GET","path":"/blobs/sha256:","action":"status","status":404,
 "body":"{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown\"}]}","endless":true,"times":0}]}'
bounded pull --plain-http "$P/team/model:v1" "oci:$T/out2"
expect_rc 1
expect_err_has "xpship: error: blob 'sha256:"
expect_err_has "' is missing from '$P/team/model'"
! grep -qs ref.name "$T/out2/index.json" || fail "a tag was written"

# a blob announcing 2 GB, then stalling: refused on the announcement
fp_plan "{\"rules\":[{\"method\":\"GET\",\"path\":\"/blobs/$LAYER\",\"action\":\"status\",\"status\":200,
 \"headers\":{\"Content-Type\":\"application/octet-stream\"},\"body\":\"abc\",\"content_length\":2000000000}]}"
bounded pull --plain-http "$P/team/model:v1" "oci:$T/out3"
expect_rc 1
expect_err <<END
xpship: error: blob '$LAYER' in '$P/team/model' has size 2000000000, expected $LSIZE
END
! grep -qs ref.name "$T/out3/index.json" || fail "a tag was written"

# the registry itself, without faults: everything reads
fp_clear
bounded pull --plain-http "$P/team/model:v1" "oci:$T/out4"
expect_rc 0
bounded tags --plain-http "$P/team/model"
expect_rc 0
expect_out <<END
v1
END
exit 0
