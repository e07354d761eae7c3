# `history` on a real registry whose tag list comes in pages (the fault proxy
# answers the first page with three tags and a Link header; the registry
# serves the rest with n=3): every release newest first, companion tags left
# out, the champion chain from the promotion log, a foreign image without
# metrics and one whose config is gone shown (with a note), not fatal.
# Table, JSON, CSV and Markdown pinned; the cache makes a second run read no
# manifest or config by digest.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/fault_proxy.sh"
. "$TESTS_DIR/helpers/history.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1 XPSHIP_PROMOTE_SETTLE_MS=0 XDG_CACHE_HOME=$T/cache
reg_start plain || fail "registry did not start"
R=$REG_ADDR/team/model
hist_init
day=1764064800
rel() { SOURCE_DATE_EPOCH=$((day + $1 * 86400)) hist_release "$R" "${@:2}"; }
rel 1 v1 0.80 0.1
v1=$HR_DIGEST
SOURCE_DATE_EPOCH=$((day + 86400 + 3600)) hist_promote "$R" v1 >/dev/null || fail "promote v1"
rel 2 v2 0.85 0.2
v2=$HR_DIGEST
SOURCE_DATE_EPOCH=$((day + 2 * 86400 + 3600)) hist_promote "$R" v2 >/dev/null || fail "promote v2"
rel 3 v3 0.84 0.3
v3=$HR_DIGEST
expect_eq fail "$HR_VERDICT" "v3's verdict"
rel 3 v10 0.9 0.05
v10=$HR_DIGEST
foreign=$(reg_skopeo_push "$R:base") || fail "skopeo push"
# a foreign release whose config blob was deleted from the registry
umoci init --layout img >/dev/null && umoci new --image img:x >/dev/null &&
	umoci config --image img:x --config.label team=other >/dev/null || fail "umoci"
broken=$(reg_skopeo_push "$R:broken" "$T/img:x") || fail "skopeo push broken"
cfg=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
	"http://$REG_ADDR/v2/team/model/manifests/broken" | python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["digest"])')
curl -sf -X DELETE "http://$REG_ADDR/v2/team/model/blobs/$cfg" || fail "delete config"

# the first page of tags comes from the proxy, the rest from the registry
tags=$(curl -sf "http://$REG_ADDR/v2/team/model/tags/list" | python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)["tags"])))')
set -- $tags
fp_start "$REG_ADDR" "$(python3 - "$1" "$2" "$3" <<'PY'
import json, sys
print(json.dumps({"rules": [{"method": "GET", "path": "/tags/list$", "query": "^n=1000$",
    "times": 0, "action": "status", "status": 200,
    "headers": {"Content-Type": "application/json",
                "Link": '</v2/team/model/tags/list?n=3&last=%s>; rel="next"' % sys.argv[3]},
    "body": {"name": "team/model", "tags": sys.argv[1:4]}}]}))
PY
)" || fail "proxy"
P=$FP_ADDR/team/model
key=$(xp history --plain-http -f json "$P" 2>/dev/null | python3 -c 'import json,sys
print([r["signer"] for r in json.load(sys.stdin)["releases"] if r["signer"]][0])')
[ ${#key} = 64 ] || fail "no signer key id: '$key'"
s12=${key:0:12}
run xp history --plain-http --metric latency_ms "$P"
expect_rc 0
expect_out <<END
TAG     DIGEST               CREATED               EXPERIMENT  OBJECTIVE      latency_ms  VERDICT  SIGNER        CHAMPION
v10     ${v10:0:19}  2025-11-28T10:00:00Z  exp-v10     accuracy=0.9   80          pass     $s12  -
v3      ${v3:0:19}  2025-11-28T10:00:00Z  exp-v3      accuracy=0.84  80          fail     $s12  -
v2      ${v2:0:19}  2025-11-27T10:00:00Z  exp-v2      accuracy=0.85  80          pass     $s12  current
v1      ${v1:0:19}  2025-11-26T10:00:00Z  exp-v1      accuracy=0.8   80          pass     $s12  past
broken  ${broken:0:19}  -                     -           -              -           -        -             -
base    ${foreign:0:19}  -                     -           -              -           -        -             -

prod, newest first:
  $v2  2025-11-27T11:00:00Z  promote
  $v1  2025-11-26T11:00:00Z  promote
END
expect_err <<END
xpship: note: release 'broken' not read: blob '$cfg' is missing from '$P'
END
[ "$(grep -c 'GET /v2/team/model/tags/list' "$FP_LOG")" -ge 4 ] || fail "tag list pages: $(grep tags/list "$FP_LOG")"
grep -q 'GET /v2/team/model/tags/list?n=3&last=' "$FP_LOG" || fail "the next page was not asked for"

# --limit, and the chain verified with the key
run xp history --plain-http --limit 2 --verify-key k.pub "$P"
expect_rc 0
expect_out <<END
TAG  DIGEST               CREATED               EXPERIMENT  OBJECTIVE      VERDICT  SIGNER        CHAMPION
v10  ${v10:0:19}  2025-11-28T10:00:00Z  exp-v10     accuracy=0.9   pass     $s12  -
v3   ${v3:0:19}  2025-11-28T10:00:00Z  exp-v3      accuracy=0.84  fail     $s12  -

prod, newest first:
  $v2  2025-11-27T11:00:00Z  promote, verified
  $v1  2025-11-26T11:00:00Z  promote, verified
END
# another key verifies no statement: the chain stops at the tag
xp keygen -t ed25519 -o other >/dev/null || fail "keygen"
run xp history --plain-http --limit 1 --verify-key other.pub "$P"
expect_out_has "  $v2  -  (no promotion statement)"
expect_out_lacks "$v1"

# JSON: everything, full digests and key ids, metrics and parameters as numbers
run xp history --plain-http -f json --tag prod "$P"
expect_rc 0
python3 - "$v1" "$v2" "$foreign" "$key" <<'PY' || fail "json: $(cat "$T/.out")"
import json, sys
v1, v2, foreign, key = sys.argv[1:]
h = json.load(open(".out"))
assert h["tag"] == "prod" and h["champion"] == v2, h
assert [c["digest"] for c in h["chain"]] == [v2, v1], h["chain"]
rel = {r["tag"]: r for r in h["releases"]}
assert [r["tag"] for r in h["releases"]] == ["v10", "v3", "v2", "v1", "broken", "base"]
assert rel["v10"]["metrics"] == {"accuracy": 0.9, "latency_ms": 80}, rel["v10"]
assert rel["v10"]["parameters"] == {"lr": 0.05}, rel["v10"]
assert rel["v2"]["champion"] == "current" and rel["v1"]["champion"] == "past"
assert rel["v3"]["verdict"] == "fail" and rel["v3"]["signer"] == key
assert rel["base"]["digest"] == foreign and rel["base"]["metrics"] is None
assert rel["base"]["problem"] is None and "missing" in rel["broken"]["problem"]
PY
grep -q '"accuracy": 0.9,' .out || fail "numbers not in their short form"

# CSV and Markdown
run xp history --plain-http -f csv --metric accuracy --limit 1 "$P"
expect_out <<END
tag,digest,created,experiment,objective,accuracy,verdict,signer,champion
v10,$v10,2025-11-28T10:00:00Z,exp-v10,accuracy=0.9,0.9,pass,$key,
END
run xp history --plain-http -f markdown --limit 2 "$P"
expect_out <<END
### Releases of \`$P\`

| TAG | DIGEST | CREATED | EXPERIMENT | OBJECTIVE | VERDICT | SIGNER | CHAMPION |
| --- | --- | --- | --- | --- | --- | --- | --- |
| v10 | \`${v10:0:19}\` | 2025-11-28T10:00:00Z | exp-v10 | accuracy=0.9 | pass | $s12 | - |
| v3 | \`${v3:0:19}\` | 2025-11-28T10:00:00Z | exp-v3 | accuracy=0.84 | fail | $s12 | - |

Champions of \`prod\`, newest first: \`${v2:0:19}\` ← \`${v1:0:19}\`
END

# the cache: a second run fetches no manifest or config by digest
[ -d cache/xpship/blobs/sha256 ] || fail "no blob cache"
: >"$FP_LOG"
run xp history --plain-http "$P"
expect_rc 0
expect_eq 0 "$(grep -E 'GET /v2/team/model/(manifests|blobs)/sha256:' "$FP_LOG" | grep -vc "$cfg")" \
	"digest reads with a warm cache (but the missing config)"
# a corrupted cache entry is not believed
f=$(ls cache/xpship/blobs/sha256/* | head -n 1)
printf 'x' >>"$f"
run xp history --plain-http -f json "$P"
expect_rc 0
python3 -c 'import json; json.load(open(".out"))' || fail "json after a bad cache entry"
XDG_CACHE_HOME= HOME=$T/home run xp history --plain-http --no-cache "$P"
expect_rc 0
[ -e home/.cache ] && fail "--no-cache wrote a cache"

# usage and registry errors
run xp history --format yaml "$P"
expect_rc 2
expect_err_has "xpship: error: invalid --format 'yaml' (table, json, csv, markdown or html)"
run xp history --limit 0 "$P"
expect_rc 2
fp_plan '{"rules": [{"method": "GET", "path": "/tags/list", "action": "status", "status": 500, "times": 0}]}'
run xp history --plain-http "$P"
expect_rc 5
expect_out_empty
