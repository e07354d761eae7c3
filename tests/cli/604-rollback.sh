# `rollback`: the tag goes back to the previous champion read from the
# promotion statements signed by the key, after the target's signature and
# signed verdict verify; the move is recorded as a rollback statement; a second
# rollback goes further back (not to the champion rolled back from); --to picks
# an earlier champion and refuses a digest that never was one; statements
# signed by another key do not count; an unverifiable target is refused.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/sign.sh"
. "$TESTS_DIR/helpers/history.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1 XPSHIP_PROMOTE_SETTLE_MS=0 XDG_CACHE_HOME=$T/cache
reg_start plain || fail "registry did not start"
R=$REG_ADDR/team/model
hist_init
for i in 1 2 3; do
	hist_release "$R" v$i 0.8$i
	eval v$i=\$HR_DIGEST
	SOURCE_DATE_EPOCH=$((1764064800 + i * 3600)) hist_promote "$R" v$i >/dev/null || fail "promote v$i"
done
rb() { SOURCE_DATE_EPOCH=$((1764064800 + $1 * 3600)) xp rollback --plain-http --key k.pub --sign-key k.key "${@:2}"; }

run rb 4 "$R"
expect_rc 0
expect_err_empty
expect_out <<END
$R:prod@$v2
END
expect_eq "$v2" "$(hist_tag "$R" prod)" "prod after the rollback"
# the statement: kind rollback, from v3, verified by openssl's peer
curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
	"http://$REG_ADDR/v2/team/model/manifests/sha256-${v2#sha256:}.att" >att.json
python3 - "$REG_ADDR" <<'PY' >envs.jsonl
import json, sys, urllib.request
for l in json.load(open("att.json"))["layers"]:
    if l["annotations"].get("dev.xpship.promotion.kind") == "rollback":
        print(urllib.request.urlopen("http://%s/v2/team/model/blobs/%s" % (sys.argv[1], l["digest"])).read().decode())
PY
expect_eq 1 "$(wc -l <envs.jsonl)" "rollback statements"
dsse_verify k.pub envs.jsonl --payload st.jsonl >/dev/null || fail "rollback statement signature"
grep -qF "\"kind\":\"rollback\"" st.jsonl && grep -qF "\"from\":\"$v3\"" st.jsonl &&
	grep -qF "\"to\":\"$v2\"" st.jsonl || fail "rollback statement: $(cat st.jsonl)"
run xp history --plain-http --verify-key k.pub "$R"
expect_out_has "  $v2  2025-11-25T14:00:00Z  rollback, verified"
expect_out_has "  $v3  2025-11-25T13:00:00Z  promote, verified"

# again: further back, to v1 (not back to v3)
run rb 5 "$R"
expect_rc 0
expect_out <<END
$R:prod@$v1
END
# --to: back to v3, which was a champion; a digest that never was one is refused
run rb 6 --to "$v3" "$R"
expect_rc 0
expect_eq "$v3" "$(hist_tag "$R" prod)" "prod after --to"
hist_release "$R" never 0.9
run rb 7 --to "$HR_DIGEST" "$R"
expect_rc 1
expect_err <<END
xpship: error: $HR_DIGEST was never a champion of prod before ${v3:0:19} (not in its signed promotion log)
END
expect_eq "$v3" "$(hist_tag "$R" prod)" "prod after a refused rollback"

# statements signed by another key do not count
xp keygen -t ed25519 -o other >/dev/null || fail "keygen"
run xp rollback --plain-http --key other.pub --sign-key other.key "$R"
expect_rc 1
expect_err <<END
xpship: error: no earlier champion of prod in its promotion log (signed by this key)
END

# a target that no longer verifies (its signature deleted) is refused
O=$REG_ADDR/team/other
hist_release "$O" x1 0.8
x1=$HR_DIGEST
hist_promote "$O" x1 >/dev/null || fail "promote x1"
hist_release "$O" x2 0.9
hist_promote "$O" x2 >/dev/null || fail "promote x2"
sig=$(curl -sfI -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
	"http://$REG_ADDR/v2/team/other/manifests/sha256-${x1#sha256:}.sig" |
	tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p')
curl -sf -X DELETE "http://$REG_ADDR/v2/team/other/manifests/$sig" || fail "delete signature"
run xp rollback --plain-http --key k.pub --sign-key k.key "$O"
expect_rc 1
expect_err_has "xpship: error: verification failed for '$O': signature: not signed"
expect_eq "$(hist_tag "$O" x2)" "$(hist_tag "$O" prod)" "prod after a refused rollback"

# usage
run xp rollback --key k.pub "$R"
expect_rc 2
expect_err_has "xpship: error: missing --sign-key KEY"
run xp rollback --plain-http --key k.pub --sign-key k.key "$REG_ADDR/team/none"
expect_rc 1
expect_err <<END
xpship: error: no tag 'prod' in '$REG_ADDR/team/none'
END
