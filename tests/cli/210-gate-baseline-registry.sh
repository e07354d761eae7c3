# `gate --baseline HOST/REPO:TAG`: the champion read from a real registry (the
# Debian docker-registry on loopback, the bundle pushed by skopeo); a missing
# repository or tag is no champion, an unreachable or refusing registry exit 5.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
cp "$DATA/gate/gate.yaml" "$DATA/gate/candidate.json" "$DATA/gate/slower.yaml" .

umoci init --layout champ >/dev/null && umoci new --image champ:prod >/dev/null &&
	umoci config --image champ:prod \
		--manifest.annotation 'dev.xpship.metrics={"accuracy":0.925,"latency.p95_ms":82,"f1":0.9}' >/dev/null ||
	fail "umoci could not build the champion"

reg_start plain || fail "registry did not start"
digest=$(reg_skopeo_push "$REG_ADDR/team/churn:prod" "$T/champ:prod") || fail "skopeo push"

run xp gate --policy gate.yaml --metrics slower.yaml --plain-http \
	--baseline "$REG_ADDR/team/churn:prod" --decision d.json
expect_rc 1
expect_err_empty
expect_out_has "baseline:  $REG_ADDR/team/churn:prod"
expect_out_has "latency.p95_ms  max_rel_regression  90         82        0.05       fail"
grep -qF "\"baseline\": {\"source\": \"$REG_ADDR/team/churn:prod\", \"digest\": \"$digest\"}" d.json ||
	fail "decision baseline: $(grep baseline d.json)"

# by digest, and with docker://
run xp gate --policy gate.yaml --metrics candidate.json --plain-http \
	--baseline "docker://$REG_ADDR/team/churn@$digest"
expect_rc 0
expect_out_has "accuracy        min                 0.931      0.925     0.9        pass"

# first release: the tag or the whole repository is not there yet
run xp gate --policy gate.yaml --metrics candidate.json --plain-http \
	--baseline "$REG_ADDR/team/churn:staging"
expect_rc 0
expect_err_has "xpship: note: no champion at '$REG_ADDR/team/churn:staging' ("
expect_out_has "baseline:  none (no champion at $REG_ADDR/team/churn:staging)"
run xp gate --policy gate.yaml --metrics candidate.json --plain-http \
	--baseline "$REG_ADDR/team/newmodel:prod"
expect_rc 0
expect_err <<END
xpship: note: no champion at '$REG_ADDR/team/newmodel:prod' (no tag 'prod' in '$REG_ADDR/team/newmodel'): gating as a first release
END
expect_out_has "verdict: pass (2 passed, 0 failed, 0 warned, 2 skipped)"

# a registry that refuses us, or is not there at all, is a remote error
reg_start basic auth || fail "basic registry did not start"
BASIC=$REG_ADDR
reg_skopeo_push "$BASIC/team/churn:prod" "$T/champ:prod" >/dev/null || fail "push to basic"
run xp gate --policy gate.yaml --metrics candidate.json --plain-http --baseline "$BASIC/team/churn:prod"
expect_rc 5
expect_out_empty
expect_err <<END
xpship: error: cannot resolve 'prod' in '$BASIC/team/churn': HTTP 401; no credentials for '$BASIC' (set XPSHIP_REGISTRY_USERNAME and XPSHIP_REGISTRY_PASSWORD, or run 'xpship login $BASIC')
END
XPSHIP_REGISTRY_USERNAME=$REG_USER XPSHIP_REGISTRY_PASSWORD=$REG_PASS \
	run xp gate --policy gate.yaml --metrics candidate.json --plain-http --baseline "$BASIC/team/churn:prod"
expect_rc 0
expect_out_has "baseline:  $BASIC/team/churn:prod"

port=$(reg_free_port)
run xp gate --policy gate.yaml --metrics candidate.json --plain-http \
	--baseline "127.0.0.1:$port/team/churn:prod"
expect_rc 5
expect_out_empty
expect_err <<END
xpship: error: cannot reach registry '127.0.0.1:$port': Couldn't connect to server (after 5 attempts)
END
reg_stop_all
exit 0
