# A tag with uppercase letters is valid OCI, but `podman load` refuses it in an
# oci-archive (it becomes an image name, which must be lowercase): pack and copy
# into an archive warn, and still write it; directories and lowercase tags
# give no warning.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

pack_model model 1024
warn="it has uppercase letters, which 'podman load' refuses in an oci-archive (image names are lowercase); a lowercase tag loads everywhere"

run xp pack -o b.tar -t RC-20261206T050152Z model
expect_rc 0
expect_err <<END
xpship: warning: tag 'RC-20261206T050152Z': $warn
END
tar -xOf b.tar index.json | grep -q '"org.opencontainers.image.ref.name":"RC-20261206T050152Z"' ||
	fail "the archive lacks its tag"

run xp pack -o b.tar -t rc-20261206t050152z model
expect_rc 0
expect_err_empty
run xp pack -o dir -t RC-1 model
expect_rc 0
expect_err_empty

run xp copy oci-archive:b.tar:rc-20261206t050152z oci-archive:c.tar:Prod
expect_rc 0
expect_err <<END
xpship: warning: tag 'Prod': $warn
END
run xp copy oci-archive:b.tar:rc-20261206t050152z oci:dir:Prod
expect_rc 0
expect_err_empty
exit 0
