# `xpship completion zsh|fish`: scripts the shells accept, with every command
# and every listed option; fish's own completer is asked (complete -C), and
# zsh's completion system in an interactive zsh on a pseudo-terminal.
. "$TESTS_DIR/lib.sh"

run xp completion zsh
expect_rc 0
expect_err_empty
cp "$T/.out" _xpship
head -n 1 _xpship | grep -qx '#compdef xpship' || fail "zsh: no #compdef line"
zsh -n _xpship || fail "zsh: syntax"
# sourced after compinit, it registers _xpship for xpship
zsh -f -c 'autoload -Uz compinit && compinit -u -d "$PWD/zcd" && . ./_xpship &&
	[[ $_comps[xpship] == _xpship ]]' || fail "zsh: compdef did not register _xpship"

# zsh's completion system asked, in an interactive zsh on a pty with _xpship
# on fpath: a widget records what each compadd offers for a command line
cat >zq.zsh <<'END'
dir=$1; shift
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1='> '; fpath=($dir \$fpath); autoload -Uz compinit; compinit -u -d $dir/.zcd"
zpty -w z "comptest() { local -a out; compadd() { builtin compadd -O out \"\$@\"; print -rl -- \${^out} >>$dir/cands; builtin compadd \"\$@\" }; _main_complete; unfunction compadd; print END >>$dir/cands }"
zpty -w z 'zle -C comptest complete-word comptest; bindkey "^T" comptest'
for q in "$@"; do
	: >$dir/cands
	zpty -w -n z "$q"$'\x14'
	for i in {1..200}; do
		grep -qx END $dir/cands 2>/dev/null && break
		sleep 0.05
	done
	grep -qx END $dir/cands || print -r -- "$q => (no answer)"
	print -r -- "${q% } => $(grep -vx -e END -e '' $dir/cands | sort -u | tr '\n' ' ')"
	zpty -w -n z $'\x15'
done
zpty -d z
END
mkdir zw && cp _xpship zw/ && touch zw/policy.yaml zw/plan.txt
(cd zw && timeout 120 zsh -f ../zq.zsh "$T/zw" "xpship ga" "xpship gate --pol" \
	"xpship gate --policy p" "xpship gate --policy=p" "xpship validate --format " \
	"xpship registry " "xpship --color=" "xpship completion " "xpship help ver" \
	"xpship validate --no-" "xpship keygen --type e" "xpship ma") | sed 's/ *$//' >zsh.txt
diff -u - zsh.txt <<'END' || fail "zsh completions"
xpship ga => gate
xpship gate --pol => --policy
xpship gate --policy p => plan.txt policy.yaml
xpship gate --policy=p => plan.txt policy.yaml
xpship validate --format => github json sarif text
xpship registry => ping
xpship --color= => always auto never
xpship completion => bash fish zsh
xpship help ver => verify verify-blob version
xpship validate --no- => --no-digest-check
xpship keygen --type e => ecdsa-p256 ed25519
xpship ma =>
END

run xp completion fish
expect_rc 0
expect_err_empty
cp "$T/.out" xpship.fish
fish -n xpship.fish || fail "fish: syntax"

mkdir w && cd w && touch policy.yaml plan.txt
# f LINE: fish's completions (candidates only) for the command line LINE
f() {
	fish -N -c 'source ../xpship.fish; complete -C"$argv[1]"' "$1" | cut -f1 | sort | tr '\n' ' ' |
		sed 's/ $//'
}
wantf() { # expected line
	local got; got=$(f "$2")
	[ "$got" = "$1" ] || fail "fish [$2]: expected '$1', got '$got'"
}
wantf "gate" "xpship ga"
wantf "--policy" "xpship gate --pol"
wantf "plan.txt policy.yaml" "xpship gate --policy p"
wantf "github json sarif text" "xpship validate --format "
wantf "--color=always --color=auto --color=never" "xpship --color="
wantf "ping" "xpship registry "
wantf "plan.txt policy.yaml" "xpship registry ping p"
wantf "bash fish zsh" "xpship completion "
wantf "verify verify-blob version" "xpship help ver"
wantf "--no-digest-check" "xpship validate --no-"
wantf "" "xpship --no"
wantf "" "xpship ma"
cd ..

# every command and every option its --help lists, in both scripts
for cmd in $(xp --help | sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p'); do
	grep -q "^			'$cmd:" _xpship || fail "zsh: command $cmd not offered"
	grep -q "^		$cmd)\$" _xpship || fail "zsh: no completion case for $cmd"
	grep -q " -a $cmd -d " xpship.fish || fail "fish: command $cmd not offered"
	[ "$cmd" = help ] && continue
	zcase=$(sed -n "/^		$cmd)\$/,/^			;;/p" _xpship)
	for o in $(xp "$cmd" --help | grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z0-9-]*' | sed 's/^ *//; s/,//'); do
		printf '%s\n' "$zcase" | grep -qE -- "'\\*?${o}[=+]?\\[" || fail "zsh: $cmd $o not offered"
		case $o in
		--*) grep -qE -- "^complete -c xpship -n '__xpship_is $cmd'( -s .)? -l ${o#--} " xpship.fish ||
			fail "fish: $cmd $o not offered" ;;
		*) grep -qE -- "^complete -c xpship -n '__xpship_is $cmd' -s ${o#-} " xpship.fish ||
			fail "fish: $cmd $o not offered" ;;
		esac
	done
done
exit 0
