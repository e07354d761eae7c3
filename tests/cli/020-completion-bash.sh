# `xpship completion bash` completes commands, each command's options (from
# its option table, hidden ones left out), option values the usage names,
# subcommands, and files; checked by calling the completion function.
. "$TESTS_DIR/lib.sh"

run xp completion bash
expect_rc 0
expect_err_empty
cp "$T/.out" comp.bash
bash -n comp.bash || fail "not valid bash"
head -n 1 comp.bash | grep -q "^# bash completion for xpship " || fail "header: $(head -n 1 comp.bash)"

mkdir w && cd w && touch policy.yaml plan.txt && mkdir pdir
# c WORD...: the completions of the last word (COMP_WORDS as bash splits it)
c() {
	bash -c '. ../comp.bash
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
		_xpship xpship "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort' bash "$@"
}
# want "EXPECTED (space-separated)" WORD...
want() {
	local exp=$1 got; shift
	got=$(c "$@" | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$exp" ] || fail "completing [$*]: expected '$exp', got '$got'"
}

want "gate" xpship ga
want "verify verify-blob version" xpship ver
want "--quiet" xpship --q
want "--color=" xpship --co
want "always" xpship --color = al
want "--color=always" xpship --color=al
want "gate" xpship -q --color = never ga
want "--policy" xpship gate --pol
want "--ca-file --chunk-size --color=" xpship push --c
want "--help" xpship gate --he
want "pdir plan.txt policy.yaml" xpship gate --policy p
want "--policy=pdir --policy=plan.txt --policy=policy.yaml" xpship gate --policy=p
want "pdir plan.txt policy.yaml" xpship gate --policy = p
want "pdir" xpship gate --metrics pd
want "github json sarif text" xpship validate --format ''
want "binary multiclass regression" xpship evaluate --task ''
want "ecdsa-p256 ed25519" xpship keygen -q --type e
want "pass" xpship promote --require-verdict ''
want "ping" xpship registry ''
want "ping" xpship registry --insecure ''
want "pdir plan.txt policy.yaml" xpship registry ping p
want "bash fish zsh" xpship completion ''
want "tags" xpship help ta
# operands are files, also after an option's value
want "pdir plan.txt policy.yaml" xpship validate p
want "pdir plan.txt policy.yaml" xpship validate --format json p
# hidden: --no-color (help NULL), the man generator
want "" xpship --no
want "--no-digest-check" xpship validate --no-
want "" xpship ma
want "--version" xpship --vers
want "" xpship gate --vers

# every option each command's --help lists is offered, and no other
for cmd in $(xp --help | sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p'); do
	[ "$cmd" = help ] && continue
	listed=$(xp "$cmd" --help | grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z0-9-]*' |
		sed 's/^ *//; s/,//' | tr ' ' '\n' | sort -u | tr '\n' ' ')
	offered=$(c xpship "$cmd" - | grep -vxE -- '-q|--quiet|-v|--verbose|--color=|-h|--help' |
		sort -u | tr '\n' ' ')
	[ "$listed" = "$offered" ] || fail "$cmd: --help lists '$listed', completion offers '$offered'"
done
exit 0
