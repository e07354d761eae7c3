# `gate --baseline BUNDLE`: the champion's metrics from a bundle's
# dev.xpship.metrics (manifest annotation first, then image-config label), in an
# OCI layout or an oci-archive built by umoci; a store or tag that does not exist
# is no champion (a first release); a tampered champion is refused.
. "$TESTS_DIR/lib.sh"
cp "$DATA/gate/gate.yaml" "$DATA/gate/candidate.json" "$DATA/gate/slower.yaml" .
export SOURCE_DATE_EPOCH=1795600800

umoci init --layout champ >/dev/null && umoci new --image champ:prod >/dev/null &&
	umoci config --image champ:prod \
		--manifest.annotation 'dev.xpship.metrics={"accuracy":0.925,"latency.p95_ms":82,"f1":0.9}' \
		--config.label 'dev.xpship.metrics={"accuracy":0.5}' >/dev/null ||
	fail "umoci could not build the champion"
# the digest of the manifest a tag names in the layout
tagged() {
	python3 - "$1" <<'PY'
import json, sys
for m in json.load(open("champ/index.json"))["manifests"]:
    if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == sys.argv[1]:
        print(m["digest"])
PY
}
manifest=$(tagged prod)

run xp gate --policy gate.yaml --metrics slower.yaml --baseline oci:champ:prod --decision d.json
expect_rc 1
expect_err_empty
expect_out <<END
policy:    gate.yaml
candidate: slower.yaml
baseline:  oci:champ:prod ($manifest)

RULE            CHECK               CANDIDATE  BASELINE  THRESHOLD  OUTCOME
accuracy        min                 0.95       0.925     0.9        pass
latency.p95_ms  max                 90         82        120        pass
latency.p95_ms  max_rel_regression  90         82        0.05       fail
f1              min_abs_change      0.91       0.9       0.005      pass

fail: latency.p95_ms max_rel_regression (gate.yaml:10): latency.p95_ms = 90 is worse than the baseline 82 by 9.7561%, more than the allowed regression 5%
verdict: fail (3 passed, 1 failed, 0 warned, 0 skipped)
END
# the decision names the champion by its manifest digest
grep -qF "\"baseline\": {\"source\": \"oci:champ:prod\", \"digest\": \"$manifest\"}" d.json ||
	fail "baseline in decision: $(grep baseline d.json)"
# ... and so do the Markdown summary and the JUnit properties
run xp gate --policy gate.yaml --metrics slower.yaml --baseline oci:champ:prod \
	--summary s.md --junit j.xml
expect_rc 1
grep -qF "baseline \`oci:champ:prod\` \`$manifest\`" s.md || fail "summary: $(grep baseline s.md)"
grep -qF "<property name=\"baseline\" value=\"oci:champ:prod ($manifest)\"/>" j.xml ||
	fail "junit: $(grep baseline j.xml)"

# a bare layout path (its only tag) and an oci-archive give the same champion
run xp gate --policy gate.yaml --metrics candidate.json --baseline champ
expect_rc 0
expect_out_has "accuracy        min                 0.931      0.925     0.9        pass"
tar -C champ -cf champ.tar . || fail "tar"
run xp gate --policy gate.yaml --metrics candidate.json --baseline oci-archive:champ.tar:prod
expect_rc 0
expect_out_has "baseline:  oci-archive:champ.tar:prod"
expect_out_has "f1              min_abs_change      0.902      0.9       0.005      warn"

# only an image-config label: read from there
umoci new --image champ:labelled >/dev/null &&
	umoci config --image champ:labelled --config.label 'dev.xpship.metrics={"accuracy":0.99}' >/dev/null ||
	fail "umoci label"
run xp gate --policy gate.yaml --metrics candidate.json --baseline oci:champ:labelled
expect_rc 0
expect_out_has "accuracy        min                 0.931      0.99      0.9        pass"

# a bundle without metrics: a champion without baseline values
umoci new --image champ:bare >/dev/null || fail "umoci new"
run xp gate --policy gate.yaml --metrics candidate.json --baseline oci:champ:bare
expect_rc 0
expect_err <<'END'
xpship: note: champion 'oci:champ:bare' carries no dev.xpship.metrics: it has no baseline values
END
expect_out_has "f1 has no baseline value (not in the champion's metrics)"

# first release: no such tag, no such layout
run xp gate --policy gate.yaml --metrics candidate.json --baseline oci:champ:staging --decision d.json
expect_rc 0
expect_err <<'END'
xpship: note: no champion at 'oci:champ:staging' (no tag 'staging' in 'oci:champ' (tags: bare, labelled, prod)): gating as a first release
END
expect_out_has "baseline:  none (no champion at oci:champ:staging)"
expect_out_has "verdict: pass (2 passed, 0 failed, 0 warned, 2 skipped)"
grep -qF '"baseline": null,' d.json || fail "decision baseline not null"
run xp gate --policy gate.yaml --metrics candidate.json --baseline oci:nowhere:prod
expect_rc 0
expect_err <<'END'
xpship: note: no champion at 'oci:nowhere:prod' (cannot open 'nowhere': No such file or directory): gating as a first release
END
# ... and with on_missing_baseline: fail that is a failed gate
sed 's/on_missing_baseline: skip/on_missing_baseline: fail/' gate.yaml >strict.yaml
run xp gate --policy strict.yaml --metrics candidate.json --baseline oci:nowhere:prod
expect_rc 1

# a champion pinned by digest names one bundle: a digest the layout does not
# hold is an error, never a first release (not even with a tag beside it)
missing=sha256:$(printf 'not here' | sha256sum | cut -d' ' -f1)
run xp gate --policy gate.yaml --metrics candidate.json --baseline "oci:champ@$missing"
expect_rc 1
expect_out_empty
expect_err <<END
xpship: error: champion 'oci:champ@$missing' is pinned by digest: no manifest '$missing' in 'oci:champ'
END
run xp gate --policy gate.yaml --metrics candidate.json --baseline "oci:nowhere@$missing"
expect_rc 1
expect_out_empty
expect_err <<END
xpship: error: champion 'oci:nowhere@$missing' is pinned by digest: cannot open 'nowhere': No such file or directory
END

# malformed champion metrics are positioned in the annotation
umoci config --image champ:prod --manifest.annotation 'dev.xpship.metrics={"accuracy":"high"}' >/dev/null ||
	fail "umoci config"
run xp gate --policy gate.yaml --metrics candidate.json --baseline oci:champ:prod
expect_rc 3
expect_err <<'END'
oci:champ:prod:1:13: error: metric 'accuracy' must be a number, found string 'high'
END

# forgery: champion metrics edited in place no longer match the manifest digest
umoci config --image champ:prod --manifest.annotation 'dev.xpship.metrics={"accuracy":0.925}' >/dev/null ||
	fail "umoci config"
m=$(tagged prod | cut -c8-)
[ -n "$m" ] || fail "no prod tag"
sed -i 's/0\.925/0.125/' "champ/blobs/sha256/$m"
now=$(sha256sum "champ/blobs/sha256/$m" | cut -d' ' -f1)
run xp gate --policy gate.yaml --metrics candidate.json --baseline oci:champ:prod
expect_rc 1
expect_out_empty
expect_err <<END
xpship: error: manifest 'sha256:$m' in 'oci:champ': digest sha256:$now, expected sha256:$m
END

# a layout with several tags needs one named
run xp gate --policy gate.yaml --metrics candidate.json --baseline champ
expect_rc 2
expect_err <<'END'
xpship: error: 'oci:champ' has several tags (bare, labelled, prod): name one, as in 'oci:champ:TAG'
END
exit 0
