#!/bin/sh
# packaging/dist.sh — `make dist`: the release files in $DISTDIR:
#
#   xpship-VERSION.tar.gz        git archive of HEAD (prefix xpship-VERSION/)
#   xpship_VERSION_ARCH.deb      the binary, man pages, completions and
#                                templates under /usr, built with dpkg-deb;
#                                Depends from dpkg-shlibdeps
#   SHA256SUMS                   sha256sum of both (sha256sum -c reads it)
#
# Environment (the Makefile sets it): VERSION, XPSHIP (the binary to package),
# BUILD (scratch space), DISTDIR, MAKE. DEB_MAINTAINER overrides the package's
# Maintainer. File times are SOURCE_DATE_EPOCH (default: the time of the last
# commit that changed anything but packaging/SHA256SUMS, the sums the action
# checks releases against), so the same sources and binary give the same
# files, also after the package's sum is committed.
set -eu
: "${VERSION:?}" "${XPSHIP:?}" "${BUILD:?}" "${DISTDIR:?}"
MAKE=${MAKE:-make}
maint=${DEB_MAINTAINER:-xpship maintainers <xpship@users.noreply.github.com>}
src=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "xpship dist: $*" >&2; exit 1; }

command -v dpkg-deb >/dev/null || die "dpkg-deb not found (apt-get install dpkg)"
command -v dpkg-shlibdeps >/dev/null || die "dpkg-shlibdeps not found (apt-get install dpkg-dev)"
git -C "$src" rev-parse --verify -q HEAD >/dev/null || die "$src is not a git checkout"
[ -x "$XPSHIP" ] || die "no binary at $XPSHIP"
got=$("$XPSHIP" --version)
[ "$got" = "xpship $VERSION" ] || die "$XPSHIP is '$got', not xpship $VERSION"
: "${SOURCE_DATE_EPOCH:=$(git -C "$src" log -1 --format=%ct HEAD -- . ':(exclude)packaging/SHA256SUMS')}"
export SOURCE_DATE_EPOCH
arch=$(dpkg --print-architecture)
mkdir -p "$DISTDIR"

# --- the source tarball ---------------------------------------------------
tarball=xpship-$VERSION.tar.gz
git -C "$src" archive --format=tar.gz --prefix="xpship-$VERSION/" -o "$DISTDIR/$tarball" HEAD

# --- the Debian package -----------------------------------------------------
deb=xpship_${VERSION}_$arch.deb
stage=$BUILD/deb
rm -rf "$stage"
mkdir -p "$stage/root/DEBIAN" "$stage/shlibs/debian"
root=$stage/root
"$MAKE" -s --no-print-directory -C "$src" install DESTDIR="$root" PREFIX=/usr \
	ZSHCOMPDIR=/usr/share/zsh/vendor-completions XPSHIP="$XPSHIP" BUILD="$stage/build" >/dev/null
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/xpship"
gzip -9n "$root"/usr/share/man/man1/*.1
doc=$root/usr/share/doc/xpship
mkdir -p "$doc"
date=$(date -u -d "@$SOURCE_DATE_EPOCH" -R)
year=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y)
printf 'xpship (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
	"$VERSION" "$VERSION" "$maint" "$date" | gzip -9n >"$doc/changelog.gz"
cat >"$doc/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: xpship
Source: the xpship repository; xpship-$VERSION.tar.gz is its release tarball

Files: *
Copyright: $year the xpship authors
License: see the xpship source repository
EOF
chmod 0644 "$doc/changelog.gz" "$doc/copyright"

# Depends: the libraries the binary links, as dpkg-shlibdeps names them
printf 'Source: xpship\n\nPackage: xpship\nArchitecture: any\n' >"$stage/shlibs/debian/control"
depends=$(cd "$stage/shlibs" && dpkg-shlibdeps -O "$root/usr/bin/xpship" 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || die "dpkg-shlibdeps found no dependencies of $XPSHIP"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: xpship
Version: $VERSION
Architecture: $arch
Maintainer: $maint
Installed-Size: $size
Depends: $depends
Section: devel
Priority: optional
Description: experiment-driven model releases for CI/CD
 xpship validates an experiment record, gates promotion on metric thresholds
 against the production champion, packs the model into a deterministic OCI
 bundle, signs and attests it (cosign-compatible), pushes it to an OCI
 registry and promotes a verified digest.
 .
 Example templates (GitHub workflow, Jenkinsfile, experiment record, gate
 policy) are in /usr/share/xpship/templates.
EOF
(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z |
	xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz --build "$root" "$DISTDIR/$deb" >/dev/null

# --- the sums -----------------------------------------------------------------
(cd "$DISTDIR" && sha256sum "$tarball" "$deb" >SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS)
echo "$DISTDIR/$tarball"
echo "$DISTDIR/$deb"
echo "$DISTDIR/SHA256SUMS"
