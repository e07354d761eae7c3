# .github/workflows/release.yml: a v* tag builds, tests and packages in
# Debian 12 and publishes the package, the tarball and the sums with their
# signature; its shell steps are run here as written: the sums are signed by
# xpship sign-blob with the key from the secret (openssl and verify-blob
# accept the signature), a missing secret fails, and the package must match
# the sums the action ships (packaging/SHA256SUMS).
. "$TESTS_DIR/lib.sh"
src=$(cd "$TESTS_DIR/.." && pwd)
wf=$src/.github/workflows/release.yml

# step NAME: the run script of the step called NAME
step() {
	python3 - "$wf" "$1" <<'PY'
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
for job in wf["jobs"].values():
    for s in job.get("steps", []):
        if s.get("name") == sys.argv[2]:
            print(s["run"]); sys.exit(0)
sys.exit("no step " + sys.argv[2])
PY
}
python3 - "$wf" <<'PY' || fail "release.yml structure"
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
on = wf.get(True) or wf.get("on")
assert on == {"push": {"tags": ["v*"]}}, on
b, p = wf["jobs"]["build"], wf["jobs"]["publish"]
assert b["container"] == "debian:12", b.get("container")
runs = "\n".join(s.get("run", "") for s in b["steps"])
for want in ("make test", "make dist", "sign-blob --key env://XPSHIP_RELEASE_KEY"):
    assert want in runs, want
sign = [s for s in b["steps"] if s.get("name") == "Sign the sums"][0]
assert sign["env"]["XPSHIP_RELEASE_KEY"] == "${{ secrets.XPSHIP_RELEASE_KEY }}", sign["env"]
assert "secrets." not in runs  # secrets only through env:
assert wf["permissions"] == {"contents": "read"} and p["permissions"] == {"contents": "write"}
up = "\n".join(s.get("run", "") for s in p["steps"])
for want in ("gh release create", "dist/*.deb", "dist/SHA256SUMS", "dist/SHA256SUMS.sig"):
    assert want in up, want
PY

# the signing step, as written
step "Sign the sums" >sign.sh
mkdir -p w/build w/dist w/packaging
ln -s "$XPSHIP" w/build/xpship
printf 'abc  xpship_1.0.0_amd64.deb\n' >w/dist/SHA256SUMS
echo "s3cret pass" >pass
xp keygen --password-stdin -o w/rel <pass >/dev/null 2>&1 || fail "keygen"
mv w/rel.pub w/packaging/xpship-release.pub
(cd w && run env XPSHIP_RELEASE_KEY="$(cat rel.key)" XPSHIP_KEY_PASSWORD="s3cret pass" bash -e ../sign.sh)
expect_rc 0
expect_out_has "Verified"
base64 -d w/dist/SHA256SUMS.sig >sig.der
openssl dgst -sha256 -verify w/packaging/xpship-release.pub -signature sig.der w/dist/SHA256SUMS >ossl.txt ||
	fail "openssl does not verify the sums' signature: $(cat ossl.txt)"
# another key's public half in the tree: the step fails
xp keygen --password-stdin -o other <pass >/dev/null 2>&1 || fail "keygen"
cp other.pub w/packaging/xpship-release.pub
(cd w && run env XPSHIP_RELEASE_KEY="$(cat rel.key)" XPSHIP_KEY_PASSWORD="s3cret pass" bash -e ../sign.sh)
expect_rc 1
# no secret: an annotation, no signature
rm -f w/dist/SHA256SUMS.sig
(cd w && run env XPSHIP_RELEASE_KEY= bash -e ../sign.sh)
expect_rc 1
expect_out <<'END'
::error title=release::the secret XPSHIP_RELEASE_KEY (a private key PEM) is not set
END
[ ! -e w/dist/SHA256SUMS.sig ] || fail "signed without a key"

# the package against the action's sums
step "The package is the one the action's sums list" >check.sh
arch=$(dpkg --print-architecture)
mkdir c c/dist c/packaging
printf 'VERSION    := 1.2.3\n' >c/Makefile
echo pkg >"c/dist/xpship_1.2.3_$arch.deb"
(cd c/dist && sha256sum "xpship_1.2.3_$arch.deb") >c/packaging/SHA256SUMS
(cd c && run bash -e ../check.sh)
expect_rc 0
echo changed >"c/dist/xpship_1.2.3_$arch.deb"
(cd c && run bash -e ../check.sh)
expect_rc 1
expect_out_has "FAILED"
: >c/packaging/SHA256SUMS
(cd c && run bash -e ../check.sh)
expect_rc 0
expect_out_has "::warning title=release::packaging/SHA256SUMS does not list xpship_1.2.3_$arch.deb: the action builds 1.2.3 from source"
exit 0
