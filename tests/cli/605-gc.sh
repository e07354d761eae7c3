# `gc` against a registry with deletes enabled, with releases set up to trick
# it: a copy tag naming the newest (kept) release's manifest, a second
# champion tag on an old candidate, a past champion beyond --keep-last. Only
# the old candidates go, with their signatures and attestations; everything
# kept still verifies; a dry run deletes nothing; current champions never go.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/fault_proxy.sh"
. "$TESTS_DIR/helpers/history.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1 XPSHIP_PROMOTE_SETTLE_MS=0 XDG_CACHE_HOME=$T/cache
reg_start plain || fail "registry did not start"
R=$REG_ADDR/team/model
hist_init
day=1764064800
rel() { SOURCE_DATE_EPOCH=$((day + $1 * 86400)) hist_release "$R" r$1 0.$((80 + $1)); eval r$1=\$HR_DIGEST; }
put_tag() { # SRC-TAG DST-TAG: the registry's manifest under another tag
	local mt=application/vnd.oci.image.manifest.v1+json
	curl -sf -H "Accept: $mt" "http://$REG_ADDR/v2/team/model/manifests/$1" >m.json &&
		curl -sf -X PUT -H "Content-Type: $mt" --data-binary @m.json \
			"http://$REG_ADDR/v2/team/model/manifests/$2" >/dev/null
}
tags() { curl -sf "http://$REG_ADDR/v2/team/model/tags/list" | python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)["tags"] or [])))'; }
verify() { xp verify --plain-http --key k.pub "$R@$1" >/dev/null 2>&1 || fail "$2 no longer verifies"; }
rel 1; hist_promote "$R" r1 >/dev/null || fail "promote r1"
rel 2; rel 3; hist_promote "$R" r3 >/dev/null || fail "promote r3"
rel 4; rel 5; rel 6
put_tag r6 copy6 || fail "copy6"
put_tag r2 staging || fail "staging"
before=$(tags)
export SOURCE_DATE_EPOCH=$((day + 8 * 86400))

run xp gc --plain-http --keep-last 1 --tag prod --tag staging "$R"
expect_rc 0
expect_err_empty
expect_out <<END
keep     r6  $r6  (among the 1 newest)
keep     copy6  $r6  (same manifest as r6)
delete   r5  $r5  (+0 companion manifests)
delete   r4  $r4  (+0 companion manifests)
keep     r3  $r3  (champion of prod)
keep     r2  $r2  (champion of staging)
keep     r1  $r1  (past champion of prod)
would delete 2 releases, keep 5 (dry run: --yes deletes)
END
expect_eq "$before" "$(tags)" "tags after a dry run"

run xp gc --plain-http --keep-last 1 --tag prod --tag staging --yes "$R"
expect_rc 0
expect_out_has "deleted  r5  $r5  (+3 companion manifests)"
expect_out_has "deleted  r4  $r4  (+3 companion manifests)"
expect_out_has "deleted 2 releases (8 manifests), kept 5"
after=" $(tags) "
for t in r4 r5 "sha256-${r4#sha256:}.sig" "sha256-${r5#sha256:}.att" "sha256-${r4#sha256:}"; do
	case "$after" in *" $t "*) fail "$t survived gc" ;; esac
done
for t in r1 r2 r3 r6 copy6 prod staging "sha256-${r3#sha256:}.sig" "sha256-${r3#sha256:}.att" \
	"sha256-${r1#sha256:}.att" "sha256-${r6#sha256:}.sig"; do
	case "$after" in *" $t "*) ;; *) fail "$t deleted by gc" ;; esac
done
verify "$r3" "the champion"
verify "$r6" "the newest release"
verify "$r1" "the past champion"
verify "$r2" "staging's champion"
curl -sf -o /dev/null -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
	"http://$REG_ADDR/v2/team/model/manifests/$r4" && fail "r4's manifest is still there"

# asked to: past champions go, never the current ones
run xp gc --plain-http --keep-last 0 --delete-past-champions --yes "$R"
expect_rc 0
expect_out_has "deleted  r1  $r1"
expect_out_has "keep     r3  $r3  (champion of prod)"
expect_eq "$r3" "$(hist_tag "$R" prod)" "prod after gc"
verify "$r3" "the champion"
# staging, not named as a champion tag this time, is a release tag naming r2's
# manifest: both went
case " $(tags) " in *" staging "*) fail "staging's manifest should have gone with r2" ;; esac

# --older-than: recent releases stay
SOURCE_DATE_EPOCH=$((day + 7 * 86400)) hist_release "$R" r7 0.9
run xp gc --plain-http --keep-last 0 --older-than 3d "$R"
expect_rc 0
expect_out_has "keep     r7  "
expect_out_has "(not old enough)"

# a registry that refuses deletes
fp_start "$REG_ADDR" '{"rules": [{"method": "DELETE", "action": "status", "status": 405, "times": 0}]}' ||
	fail "proxy"
run xp gc --plain-http --keep-last 0 --older-than 1d --yes "$FP_ADDR/team/model"
expect_rc 5
expect_err_has "the registry does not allow deletes (HTTP 405)"

# a local layout: index entries go
xp pack -o oci:lay -t a model >/dev/null 2>&1 && printf 'b\n' >model/b.txt &&
	xp pack -o oci:lay -t b model >/dev/null 2>&1 || fail "pack layout"
run xp gc --keep-last 1 --yes oci:lay
expect_rc 0
expect_out_has "deleted 1 release"
xp tags oci:lay >lt.txt
expect_eq "b" "$(cat lt.txt)" "layout tags after gc"

# usage
run xp gc "$R"
expect_rc 2
expect_err_has "xpship: error: missing --keep-last N"
run xp gc --keep-last 1 --older-than 3x "$R"
expect_rc 2
