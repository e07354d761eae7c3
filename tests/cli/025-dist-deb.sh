# make dist: the source tarball of HEAD, a Debian package whose Depends name
# the runtime libraries (from dpkg-shlibdeps), and SHA-256 sums of both;
# checked with dpkg-deb -I/-c, sha256sum -c, lintian when installed, and the
# packaged binary run from the extracted package. Same commit, same bytes.
. "$TESTS_DIR/lib.sh"
src=$(cd "$TESTS_DIR/.." && pwd)
git -C "$src" rev-parse --verify -q HEAD >/dev/null || { echo "not a git checkout: nothing to archive" >&2; exit 1; }
v=$(sed -n 's/^VERSION *:= *//p' "$src/Makefile")
arch=$(dpkg --print-architecture)
deb=xpship_${v}_$arch.deb

mk() { make -s --no-print-directory -C "$src" BUILD="$T/build" XPSHIP="$XPSHIP" "$@"; }

run mk dist DISTDIR="$T/d1"
expect_rc 0
expect_out <<END
$T/d1/xpship-$v.tar.gz
$T/d1/$deb
$T/d1/SHA256SUMS
END
cd d1
(ls) >ls.txt
printf '%s\n' SHA256SUMS ls.txt "xpship-$v.tar.gz" "$deb" | diff -u - ls.txt || fail "dist files"
rm ls.txt
sha256sum -c --quiet SHA256SUMS || fail "sums do not verify"
[ "$(wc -l <SHA256SUMS)" = 2 ] || fail "SHA256SUMS: $(cat SHA256SUMS)"

# the tarball is HEAD's tree under xpship-VERSION/
tar -tzf "xpship-$v.tar.gz" | grep -v '/$' | sed "s|^xpship-$v/||" | sort >tar.lst
git -C "$src" ls-tree -r --name-only HEAD | sort >head.lst
expect_file_same head.lst tar.lst

# the package
dpkg-deb -f "$deb" Package >f; expect_eq xpship "$(cat f)" Package
dpkg-deb -f "$deb" Version >f; expect_eq "$v" "$(cat f)" Version
dpkg-deb -f "$deb" Architecture >f; expect_eq "$arch" "$(cat f)" Architecture
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libcurl4 libarchive13 libyaml-0-2 libssl3 libjansson4; do
	printf '%s\n' "$depends" | tr ',' '\n' | grep -qE "^ ?$lib( |$)" || fail "Depends lacks $lib: $depends"
done
dpkg-deb -I "$deb" >info.txt || fail "dpkg-deb -I"
grep -qE ' md5sums *$' info.txt || fail "no md5sums: $(cat info.txt)"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./||' | grep -v '/$' | sort >content.lst
for f in usr/bin/xpship usr/share/man/man1/xpship.1.gz usr/share/man/man1/xpship-gate.1.gz \
	usr/share/bash-completion/completions/xpship usr/share/zsh/vendor-completions/_xpship \
	usr/share/fish/vendor_completions.d/xpship.fish usr/share/doc/xpship/copyright \
	usr/share/doc/xpship/changelog.gz usr/share/xpship/templates/gate.yaml \
	usr/share/xpship/templates/github/model-release.yml usr/share/xpship/templates/jenkins/Jenkinsfile; do
	grep -qx "$f" content.lst || fail "package lacks $f"
done
! dpkg-deb -c "$deb" | awk '{print $2}' | grep -qv '^root/root$' || fail "files not owned by root"
# what it installs runs, and its pages render
dpkg-deb -x "$deb" x
x/usr/bin/xpship --version >f || fail "packaged binary does not run"
expect_eq "xpship $v" "$(cat f)" "packaged binary"
zcat x/usr/share/man/man1/xpship-push.1.gz | groff -man -Tutf8 -ww -z || fail "packaged page"
if command -v lintian >/dev/null 2>&1; then
	lintian --fail-on error,warning "$deb" >lintian.txt 2>&1 ||
		fail "lintian: $(grep -v 'root privileges' lintian.txt)"
fi
cd ..

# the same commit and binary: the same files
mk dist DISTDIR="$T/d2" >/dev/null || fail "second make dist"
cmp -s d1/SHA256SUMS d2/SHA256SUMS || fail "make dist is not reproducible: $(diff d1/SHA256SUMS d2/SHA256SUMS)"

# a binary of another version is refused
printf '#!/bin/sh\necho xpship 9.9.9\n' >other
chmod +x other
run make -s --no-print-directory -C "$src" BUILD="$T/build" XPSHIP="$T/other" DISTDIR="$T/d3" dist
expect_rc 2
expect_err_has "xpship dist: $T/other is 'xpship 9.9.9', not xpship $v"
exit 0
