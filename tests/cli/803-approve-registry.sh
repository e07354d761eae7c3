# Approvals in a registry: `approve` attaches to the .att companion like the
# other attestations, `copy` carries them with the bundle, `verify --approvers`
# shows them, and `promote --require-approvals` counts them there; an approval
# made in another repository for another digest does not count.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/sign.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1
unset SOURCE_DATE_EPOCH

reg_start plain || fail "registry did not start"
R=$REG_ADDR
for k in rel alice bob; do xp keygen -t ecdsa-p256 -o "$k" >/dev/null || fail "keygen $k"; done
printf 'approvers:\n  - name: alice\n    key: alice.pub\n    roles: [ml-lead]\n  - name: bob\n    key: bob.pub\n' >ap.yaml
mkdir model && echo weights >model/w.bin
xp pack -o lay -t cand --decision "$DATA/sign/decision-pass.json" model >/dev/null || fail "pack"
xp push --plain-http oci:lay:cand "$R/team/m:cand" >/dev/null || fail "push"
xp sign --plain-http --key rel.key "$R/team/m:cand" >/dev/null || fail "sign"
xp attest --plain-http --key rel.key --decision "$DATA/sign/decision-pass.json" "$R/team/m:cand" >/dev/null ||
	fail "attest"
D=$(reg_skopeo_digest "$R/team/m:cand")

run xp approve --plain-http --key alice.key --identity alice@example.com --role ml-lead --reason ok \
	"$R/team/m:cand"
expect_rc 0
expect_err_empty
expect_out <<END
Approved $D (tag sha256-${D#sha256:}.att)
END
run xp promote --plain-http --verify-key rel.pub --approvers ap.yaml --require-approvals 2 \
	"$R/team/m:cand" --to prod
expect_rc 1
expect_err_has "approvals: 1 of 2 required (1 attached"
xp approve --plain-http --key bob.key "$R/team/m:cand" >/dev/null || fail "approve bob"

# the approvals travel with the bundle
xp copy --plain-http "$R/team/m:cand" "$R/other/m:cand" >/dev/null || fail "copy"
run xp verify --plain-http --key rel.pub --approvers ap.yaml "$R/other/m:cand"
expect_rc 0
expect_out_has "approval 1     ok     by alice (key $(keyid alice.pub), alice@example.com, role ml-lead) at "
expect_out_has "approval 2     ok     by bob (key $(keyid bob.pub)) at "
expect_out_has "approvals      ok     2 counted, none required (approvers 'ap.yaml' sha256:"

run xp promote --plain-http --verify-key rel.pub --approvers ap.yaml --require-approvals 2 \
	--require-role ml-lead "$R/other/m:cand" --to prod
expect_rc 0
expect_err_empty
expect_out <<END
$R/other/m:prod@$D
END
expect_eq "$D" "$(reg_skopeo_digest "$R/other/m:prod")" "prod"

# another digest in another repository: alice's approval there does not count here
echo other >model/w.bin
xp pack -o lay2 -t cand --decision "$DATA/sign/decision-pass.json" model >/dev/null || fail "pack 2"
xp push --plain-http oci:lay2:cand "$R/team/m:cand2" >/dev/null || fail "push 2"
xp approve --plain-http --key alice.key -o a.json "$R/team/m:cand" >/dev/null || fail "approve again"
xp approve --plain-http --attach a.json "$R/team/m:cand2" >/dev/null || fail "attach"
run xp promote --plain-http --approvers ap.yaml --require-approvals 1 "$R/team/m:cand2" --to prod
expect_rc 1
expect_err_has "approval 1: another digest: approves $D, not this manifest"
