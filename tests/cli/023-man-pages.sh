# xpship-CMD(1) for every command: made from the command's own help, rendered
# by groff without a warning, listing every option its --help lists.
. "$TESTS_DIR/lib.sh"

run xp man --list
expect_rc 0
expect_err_empty
cmds=$(xp --help | sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p' | grep -vx help)
expect_eq "$(echo "$cmds")" "$(out)" "man --list"

for c in $cmds; do
	run xp man "$c"
	expect_rc 0
	expect_err_empty
	cp "$T/.out" "xpship-$c.1"
	title=$(printf '%s' "$c" | tr a-z A-Z | sed 's/-/\\-/g')
	head -n 1 "xpship-$c.1" | grep -qF ".TH XPSHIP\\-$title 1 " ||
		fail "$c: title line: $(head -n 1 "xpship-$c.1")"
	groff -man -Tutf8 -ww -z "xpship-$c.1" 2>groff.err || fail "$c: groff failed"
	[ ! -s groff.err ] || fail "$c: groff warns: $(cat groff.err)"
	MANWIDTH=200 man -l "xpship-$c.1" 2>/dev/null | col -b >page.txt
	summary=$(xp --help | sed -n "s/^  $c  *//p")
	grep -qxF "       xpship-$c - $summary" page.txt || fail "$c: NAME lacks '$summary'"
	for s in NAME SYNOPSIS OPTIONS "SEE ALSO"; do
		grep -qx "$s" page.txt || fail "$c: no $s section"
	done
	# the usage line, then every option of --help
	xp "$c" --help >help.txt
	usage=$(head -n 1 help.txt | sed 's/^usage: //')
	grep -qxF "       $usage" page.txt || fail "$c: SYNOPSIS lacks '$usage'"
	for o in $(grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z0-9-]*' help.txt | sed 's/^ *//; s/,//'); do
		grep -qE -- "^       (-., )?$o([ ,]|\$)" page.txt || fail "$c: OPTIONS lacks $o"
	done
done

# sections in order, the exit codes (given with the description) after the
# options; an exit code list as a tagged list
MANWIDTH=80 man -l xpship-logout.1 2>/dev/null | col -bx | grep -E '^[A-Z]' | sed 's/  .*//' >heads.txt
diff -u - heads.txt <<'END' || fail "xpship-logout(1): sections"
XPSHIP-LOGOUT(1)
NAME
SYNOPSIS
DESCRIPTION
OPTIONS
EXIT STATUS
SEE ALSO
END
grep -qx '\.SH "EXIT STATUS"' xpship-validate.1 || fail "validate: no EXIT STATUS"
sed -n '/^\.SH "EXIT STATUS"/,/^\.SH/p' xpship-validate.1 | grep -qx '\.B 0' ||
	fail "validate: exit codes not a list"

# xpship(1) names every page
for c in $cmds; do
	name=$(printf '%s' "$c" | sed 's/-/\\-/g')
	grep -qF ".BR xpship\\-$name (1)" "$TESTS_DIR/../docs/xpship.1" ||
		fail "xpship(1) does not name xpship-$c(1)"
done

run xp man
expect_rc 2
expect_err <<'END'
xpship: error: expected one command
Run 'xpship man --help' for usage.
END
run xp man help
expect_rc 2
expect_err <<'END'
xpship: error: no man page for 'help'
Run 'xpship man --help' for usage.
END
exit 0
