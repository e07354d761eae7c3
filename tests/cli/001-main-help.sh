# xpship --help lists every command and the exit codes; help CMD / CMD --help work.
. "$TESTS_DIR/lib.sh"

run xp --help
expect_rc 0
expect_err_empty
for c in init record validate evaluate gate pack inspect unpack keygen sign attest verify sign-blob \
	verify-blob push pull copy promote tags login logout registry help version; do
	grep -qE "^  $c +[a-z]" "$T/.out" || fail "--help does not list '$c'"
done
expect_out_has "  0  success"
expect_out_has "  1  the answer is no: invalid record, gate failed, verification failed"
expect_out_has "  2  usage error"
expect_out_has "  3  malformed input"
expect_out_has "  4  local system error"
expect_out_has "  5  remote or registry error"

cp "$T/.out" "$T/help.txt"
run xp help
expect_rc 0
expect_file_same "$T/help.txt" "$T/.out"

run xp help registry
expect_rc 0
head -n 1 "$T/.out" >"$T/first"
expect_eq "usage: xpship registry ping [--plain-http] [--insecure] [--ca-file F] HOST[/REPO]" "$(cat "$T/first")" "help registry"
cp "$T/.out" "$T/reg-help.txt"
run xp registry --help
expect_rc 0
expect_file_same "$T/reg-help.txt" "$T/.out"

# no command: help on stderr, usage exit
run xp
expect_rc 2
expect_out_empty
grep -q '^usage: xpship' "$T/.err" || fail "no usage on stderr"

# every command: 'help CMD' and 'CMD --help' print the same usage, exit 0; and
# every option a command's help lists is one it accepts (the help and the
# parser come from one table)
cmds=$(xp --help | sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p')
[ "$(echo "$cmds" | wc -l)" -ge 20 ] || fail "command list: $cmds"
for c in $cmds; do
	run xp help "$c"
	expect_rc 0
	expect_err_empty
	cp "$T/.out" "$T/h1"
	[ "$c" = help ] && continue
	run xp "$c" --help
	expect_rc 0
	expect_file_same "$T/h1" "$T/.out"
	head -n 1 "$T/h1" | grep -q "^usage: xpship $c\b" || fail "$c: usage line: $(head -n 1 "$T/h1")"
	for o in $(grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z0-9-]*' "$T/h1" | sed 's/.*--/--/'); do
		run xp "$c" "$o" </dev/null
		! grep -q "unknown option" "$T/.err" || fail "$c lists $o but refuses it: $(cat "$T/.err")"
	done
done
run xp help help
expect_rc 0
expect_file_same "$T/help.txt" "$T/.out"
