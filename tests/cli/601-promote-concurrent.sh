# Two release jobs that gated against the same champion promote at the same
# time, over and over, on a real registry: in every round exactly one of them
# reports success, the tag ends on that one, and its decision names the
# champion the tag held before the round (never a candidate gated against an
# older champion over a newer one). The loser is refused as stale or reports
# that the other promotion moved the tag; the promotion log chains the winners.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/history.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1
reg_start plain || fail "registry did not start"
R=$REG_ADDR/team/model
hist_init
hist_release "$R" base 0.5
hist_promote "$R" base >/dev/null || fail "first promotion"
champ=$HR_DIGEST
rounds=10
for i in $(seq 1 $rounds); do
	hist_release "$R" a$i 0.6
	a=$HR_DIGEST
	hist_release "$R" b$i 0.6
	b=$HR_DIGEST
	hist_promote "$R" a$i >a.out 2>a.err &
	pa=$!
	hist_promote "$R" b$i >b.out 2>b.err &
	pb=$!
	wait $pa; ra=$?
	wait $pb; rb=$?
	now=$(hist_tag "$R" prod)
	case "$ra$rb" in
	01) win=$a; wtag=a$i; loser=b ;;
	10) win=$b; wtag=b$i; loser=a ;;
	*) fail "round $i: exit codes $ra and $rb (a: $(cat a.err) b: $(cat b.err))" ;;
	esac
	expect_eq "$win" "$now" "round $i: the tag after the round"
	grep -qF "\"champion\": {\"reference\": \"$R:prod\", \"digest\": \"$champ\"}" \
		"rel-$wtag/decision.json" || fail "round $i: the winner was not gated against $champ"
	grep -qE "xpship: error: (stale decision: prod is now $win, the gate compared against $champ|prod was moved to $win by another promotion while this one ran)" $loser.err ||
		fail "round $i: the loser's error: $(cat $loser.err)"
	champ=$win
done
# the chain of champions, walked back from the tag through the statements
n=0
cur=$(hist_tag "$R" prod)
while [ "$cur" != "$(hist_tag "$R" base)" ]; do
	from=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		"http://$REG_ADDR/v2/team/model/manifests/sha256-${cur#sha256:}.att" |
		python3 -c 'import json,sys
m = json.load(sys.stdin)
print([l["annotations"]["dev.xpship.promotion.from"] for l in m["layers"]
       if l["annotations"]["predicateType"] == "https://xpship.dev/promotion/v1"][-1])') ||
		fail "no promotion statement on $cur"
	cur=$from
	n=$((n + 1))
	[ $n -le $rounds ] || fail "the chain does not end at the first champion"
done
expect_eq $rounds $n "champions in the chain"
