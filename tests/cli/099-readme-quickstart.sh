# The README's shell quick start, run as written: as root, no sudo; only the
# install goes to a DESTDIR (the paths under /usr/local follow it) and ~ is
# a scratch home.
. "$TESTS_DIR/lib.sh"
src=$(cd "$TESTS_DIR/.." && pwd)

# the first sh block after "### At a shell"
awk '/^### At a shell/ { on = 1 } on && /^```sh$/ { inb = 1; next } inb && /^```$/ { exit } inb' \
	"$src/README.md" >quick.sh
head -n 1 quick.sh | grep -qx 'make deps && make install .*' || fail "quick start starts: $(head -n 1 quick.sh)"
! grep -q sudo "$src/README.md" || fail "the README uses sudo"
grep -q '/usr/local/share/xpship/templates' quick.sh || fail "quick start does not use the installed templates"

dest=$T/root
make -s --no-print-directory -C "$src" BUILD="$T/build" XPSHIP="$XPSHIP" DESTDIR="$dest" \
	PREFIX=/usr/local install >/dev/null || fail "make install"
mkdir home
{
	echo 'set -e'
	sed -e '1,/^ *# shell completions/d' -e "s|/usr/local/|$dest/usr/local/|g" quick.sh
} >run.sh
run env HOME="$T/home" PATH="$dest/usr/local/bin:$PATH" bash run.sh </dev/null
expect_rc 0
expect_err_has "gating as a first release"
expect_out_has "verdict: pass"
expect_out_has "Verified oci:bundle:1.4.0"
grep -qE '^oci:store:prod@sha256:[0-9a-f]{64}$' "$T/.out" || fail "nothing promoted"
exit 0
