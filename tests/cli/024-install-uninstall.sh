# make install puts the binary, docs/xpship.1 and a page per command, the
# three completion scripts and the templates (not the demo) under PREFIX;
# the pages render; make uninstall removes every file it put.
. "$TESTS_DIR/lib.sh"
src=$(cd "$TESTS_DIR/.." && pwd)
dest=$T/root

mk() { make -s --no-print-directory -C "$src" BUILD="$T/build" XPSHIP="$XPSHIP" DESTDIR="$dest" "$@"; }

run mk install PREFIX=/opt/xp
expect_rc 0
expect_out <<END
installed xpship in $dest/opt/xp/bin, templates in $dest/opt/xp/share/xpship/templates
END
p=$dest/opt/xp
[ -x "$p/bin/xpship" ] || fail "no binary"
cmp -s "$p/bin/xpship" "$XPSHIP" || fail "installed binary differs"
expect_file_same "$src/docs/xpship.1" "$p/share/man/man1/xpship.1"
for c in $(xp man --list); do
	page=$p/share/man/man1/xpship-$c.1
	[ -f "$page" ] || fail "no man page for $c"
	groff -man -Tutf8 -ww -z "$page" 2>groff.err || fail "groff failed on $page"
	[ ! -s groff.err ] || fail "groff warns on xpship-$c.1: $(cat groff.err)"
	man -l "$page" >/dev/null 2>man.err || fail "man -l $page: $(cat man.err)"
done
groff -man -Tutf8 -ww -z "$p/share/man/man1/xpship.1" || fail "groff xpship.1"
[ "$(ls "$p/share/man/man1" | wc -l)" = "$(($(xp man --list | wc -l) + 1))" ] || fail "man pages: $(ls "$p/share/man/man1")"
xp completion bash | cmp -s - "$p/share/bash-completion/completions/xpship" || fail "bash completion"
xp completion zsh | cmp -s - "$p/share/zsh/site-functions/_xpship" || fail "zsh completion"
xp completion fish | cmp -s - "$p/share/fish/vendor_completions.d/xpship.fish" || fail "fish completion"
# the templates, byte for byte, without the demo (it runs from a checkout)
(cd "$src/templates" && find . -type f ! -path './demo/*' | sort) >want.lst
(cd "$p/share/xpship/templates" && find . -type f | sort) >got.lst
expect_file_same want.lst got.lst
while read -r f; do
	cmp -s "$src/templates/$f" "$p/share/xpship/templates/$f" || fail "template $f differs"
done <want.lst
grep -q 'model-release.yml' got.lst || fail "no workflow template"
# the README names where the templates are installed
grep -q 'share/xpship/templates' "$src/README.md" || fail "README does not name the templates' location"

# uninstall: no file is left
run mk uninstall PREFIX=/opt/xp
expect_rc 0
left=$(find "$dest" ! -type d)
[ -z "$left" ] || fail "left after uninstall: $left"
[ ! -e "$p/share/xpship" ] || fail "share/xpship left"

# uninstall with another PREFIX removes nothing of this one
mk install PREFIX=/opt/xp >/dev/null || fail "second install"
mk uninstall PREFIX=/opt/other >/dev/null 2>&1
[ -x "$p/bin/xpship" ] || fail "uninstall of another prefix removed this one"
exit 0
