# `pack` does not replace a tag whose bundle is signed or attested unless
# --force (exit 1, the layout's or archive's tags as they were); an unsigned
# tag moves as before, and repacking the same inputs onto a signed tag is a
# no-op.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"
export SOURCE_DATE_EPOCH=1764064800

pack_model m1
xp keygen -t ed25519 -o k >/dev/null || fail "keygen"
tags() { python3 -c 'import json,sys; print(" ".join(sorted(m["annotations"]["org.opencontainers.image.ref.name"]+"="+m["digest"][7:19] for m in json.load(open(sys.argv[1]+"/index.json"))["manifests"])))' "$1"; }

D1=$(xp pack -q -o out -t v1 m1) || fail "pack 1"
# unsigned: a new bundle moves the tag
echo changed >m1/extra.txt
D2=$(xp pack -q -o out -t v1 m1) || fail "pack 2 over an unsigned tag"
[ "$D1" != "$D2" ] || fail "the two packs have one digest"
xp sign --key k.key --identity registry.example/team/model oci:out:v1 >/dev/null 2>&1 || fail "sign"
before=$(tags out)

# the same inputs again: the same digest, nothing replaced
run xp pack -q -o out -t v1 m1
expect_rc 0
expect_out <<END
$D2
END
expect_eq "$before" "$(tags out)" "tags after an identical repack"

# new content onto the signed tag: refused
echo again >m1/extra.txt
run xp pack -q -o out -t v1 m1
expect_rc 1
expect_out_empty
expect_err <<END
xpship: error: tag 'v1' in 'oci:out' names $D2, which is signed (sha256-${D2#sha256:}.sig): not replaced without --force
END
expect_eq "$before" "$(tags out)" "tags after a refused pack"
# another tag is fine
run xp pack -q -o out -t v2 m1
expect_rc 0
D3=$(out)
# --force moves it; the old signature tag stays (it is keyed by the digest)
run xp pack -q -f -o out -t v1 m1
expect_rc 0
expect_out <<END
$D3
END
tags out | grep -q "sha256-${D2#sha256:}.sig=" || fail "the old signature tag is gone: $(tags out)"
tags out | grep -q "v1=$(echo "${D3#sha256:}" | cut -c1-12)" ||
	fail "v1 after --force: $(tags out)"

# an attested bundle in an archive
pack_model m2
xp pack -q -o a.tar -t rel m2 >/dev/null || fail "pack archive"
xp attest --key k.key --decision "$DATA/sign/decision-pass.json" a.tar >/dev/null 2>&1 || fail "attest"
sum=$(sha256sum a.tar)
echo x >m2/extra.txt
run xp pack -q -o a.tar -t rel m2
expect_rc 1
expect_err_has "xpship: error: tag 'rel' in 'oci-archive:a.tar' names sha256:"
expect_err_has ", which is attested (sha256-"
expect_err_has ".att): not replaced without --force"
expect_eq "$sum" "$(sha256sum a.tar)" "the archive after a refused pack"
run xp pack -q --force -o a.tar -t rel m2
expect_rc 0
[ "$sum" != "$(sha256sum a.tar)" ] || fail "the archive after pack --force"
run xp pack --help
expect_out_has "  -f, --force"
exit 0
