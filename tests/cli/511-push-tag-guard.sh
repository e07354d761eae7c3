# `push` and `copy` never move a registry tag that names another manifest
# unless --force (exit 1, nothing transferred, the message names promote and
# --force); the same tag on the same digest is fine; pull guards its layout tag
# the same way.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1

M=sha256:9b2e24b665fb3058bbfed2e962b58d0767d340cdf96d4439c95292fe4c2d0332
IX=sha256:888e403258e7747e3d69d46739c4f26cf37b0304033a34c341f9e01837a357b0
reg_start plain || fail "registry did not start"
R=$REG_ADDR

run xp push --plain-http "oci:$DATA/registry/bundle:v1" "$R/team/model:prod"
expect_rc 0
expect_out <<END
$R/team/model@$M
END
# the same bundle again: nothing moves, nothing to refuse
run xp push --plain-http "oci:$DATA/registry/bundle:v1" "$R/team/model:prod"
expect_rc 0
expect_out <<END
$R/team/model@$M
END
expect_err_empty

# another bundle onto the tag: refused before anything is sent
run xp -v push --plain-http "oci:$DATA/registry/index:multi" "$R/team/model:prod"
expect_rc 1
expect_out_empty
expect_err <<END
xpship: error: tag 'prod' in '$R/team/model' names $M, not $IX: not moved without --force (a champion tag moves with 'xpship promote')
END
expect_eq "$M" "$(reg_skopeo_digest "$R/team/model:prod")" "prod after a refused push"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.index.v1+json' \
	"http://$R/v2/team/model/manifests/$IX")
expect_eq 404 "$code" "the refused index in the registry"

# --force moves it
run xp push --force --plain-http "oci:$DATA/registry/index:multi" "$R/team/model:prod"
expect_rc 0
expect_out <<END
$R/team/model@$IX
END
expect_eq "$IX" "$(reg_skopeo_digest "$R/team/model:prod")" "prod after push --force"

# copy: the same rule for the destination tag
xp push --plain-http "oci:$DATA/registry/bundle:v1" "$R/team/src:v1" >/dev/null || fail "push src"
run xp copy --plain-http "$R/team/src:v1" "$R/team/model:prod"
expect_rc 1
expect_out_empty
expect_err <<END
xpship: error: tag 'prod' in '$R/team/model' names $IX, not $M: not moved without --force (a champion tag moves with 'xpship promote')
END
expect_eq "$IX" "$(reg_skopeo_digest "$R/team/model:prod")" "prod after a refused copy"
run xp copy --plain-http "$R/team/src:v1" "$R/team/model:v1"
expect_rc 0
expect_out <<END
$R/team/model@$M
END
run xp copy --plain-http "$R/team/src:v1" "$R/team/model:v1"
expect_rc 0
run xp copy -f --plain-http "$R/team/src:v1" "$R/team/model:prod"
expect_rc 0
expect_out <<END
$R/team/model@$M
END
expect_eq "$M" "$(reg_skopeo_digest "$R/team/model:prod")" "prod after copy -f"

# copy into a local layout and pull: the layout's tag is guarded too
run xp copy --plain-http "$R/team/src:v1" "oci:$T/out:cur"
expect_rc 0
xp push --plain-http "oci:$DATA/registry/index:multi" "$R/team/other:v2" >/dev/null || fail "push other"
run xp pull --plain-http "$R/team/other:v2" "oci:$T/out:cur"
expect_rc 1
expect_err <<END
xpship: error: tag 'cur' in 'oci:$T/out' names $M, not $IX: not moved without --force (a champion tag moves with 'xpship promote')
END
run xp pull --plain-http --force "$R/team/other:v2" "oci:$T/out:cur"
expect_rc 0
expect_out <<END
oci:$T/out:cur@$IX
END
exit 0
