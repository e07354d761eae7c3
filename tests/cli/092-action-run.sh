# The composite action's steps in a simulated Actions job (run_action.py):
# install puts xpship on the job's PATH, inputs reach xpship only through env:
# (never a shell), secrets are masked, failures become annotations, outputs and
# the job summary are set. Runs against a real registry on loopback.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/action.sh"
. "$TESTS_DIR/helpers/registry.sh"
action_setup

# a plain command: the install step put the cached build on PATH
act command=version
expect_rc 0
expect_out_has "run_action: skip 'Restore the xpship build' (uses actions/cache@v4)"
expect_out_has "xpship: using the cached build (xpship 0.1.0)"
expect_out_has "+ xpship version"
expect_out_has "xpship 0.1.0"
expect_eq "" "$(action_output verdict)" verdict
expect_eq "" "$(action_output digest)" digest
expect_eq "" "$(action_output ref)" ref
expect_out_lacks "::error"
[ ! -s "$T/summary.md" ] || fail "summary written for 'version'"

# command words and args are split on whitespace and passed as they are: no
# shell ever sees them
reg_start plain plain || fail "registry did not start"
act command="registry ping" args="--plain-http $REG_ADDR"
expect_rc 0
expect_out_has "$REG_ADDR: ok (http, registry/2.0)"
act command=registry args='ping $(touch pwned) `touch pwned2` ;touch pwned3'
expect_rc 2
[ ! -e pwned ] && [ ! -e pwned2 ] && [ ! -e pwned3 ] || fail "an input was evaluated by a shell"
expect_out_has '::error title=xpship registry::'
expect_out_has '(exit 2)'

# a remote failure without a file position becomes one annotation
port=$(reg_free_port)
act command=registry args="ping --plain-http 127.0.0.1:$port"
expect_rc 5
expect_out_has "::error title=xpship registry::cannot reach registry '127.0.0.1:$port': Couldn't connect to server (exit 5)"
expect_err_has "xpship: error: cannot reach registry '127.0.0.1:$port'"
[ "$(grep -c '^::error' "$T/.out")" = 1 ] || fail "expected exactly one annotation"

# registry credentials: masked first, given to xpship through the environment
reg_start basic basic || fail "basic registry did not start"
act command=registry args="ping --plain-http $REG_ADDR" registry-username="$REG_USER" registry-password="$REG_PASS"
expect_rc 0
expect_out_has "::add-mask::$REG_PASS"
expect_out_has "$REG_ADDR: ok (http"
[ "$(grep -cF -- "$REG_PASS" "$T/.out" "$T/.err" | awk -F: '{s+=$2} END {print s}')" = 1 ] ||
	fail "the password appears outside its mask command"
act command=registry args="ping --plain-http $REG_ADDR" registry-username="$REG_USER" registry-password="wrong%pass"
expect_rc 5
expect_out_has "::add-mask::wrong%25pass"
expect_out_has "::error title=xpship registry::registry '$REG_ADDR' refused access"
act command=registry args="ping --plain-http $REG_ADDR"
expect_rc 5

# a required input that is missing: exit 2 before xpship runs
act command=validate
expect_rc 2
expect_out_has "::error title=xpship validate::the input 'experiment' is required for 'validate'"
expect_out_lacks "+ xpship"
act command=gate policy=gate.yaml
expect_rc 2
expect_out_has "::error title=xpship gate::the input 'experiment' or 'metrics' is required for 'gate'"
act command=pack bundle=b tag=t
expect_rc 2
expect_out_has "::error title=xpship pack::the input 'paths' is required for 'pack'"
act command=promote ref=x/y:z
expect_rc 2
expect_out_has "::error title=xpship promote::the input 'tag' is required for 'promote'"

# a PEM signing key: every secret line masked, handed over as env://, never argv
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out signing.key 2>/dev/null ||
	fail "openssl genpkey"
act command=sign key="$(cat signing.key)" key-password=pw bundle=missing-bundle
expect_out_has "+ xpship sign --key env://XPSHIP_SIGNING_KEY missing-bundle"
expect_out_has "::add-mask::pw"
while IFS= read -r line; do
	case "$line" in -----*) continue ;; esac
	expect_out_has "::add-mask::$line"
	[ "$(grep -cF -- "$line" "$T/.out")" = 1 ] || fail "key line shown outside its mask command"
	expect_err_lacks "$line"
done <signing.key
[ "$(rc)" != 0 ] || fail "sign of a missing bundle succeeded"
expect_out_has "::error title=xpship sign::"

# the simulator itself refuses an action that splices an input into a script
cp -r action bad-action
sed -i 's|run: bash "$GITHUB_ACTION_PATH/.github/action/run.sh"|run: echo ${{ inputs.args }}|' bad-action/action.yml
run python3 "$TESTS_DIR/helpers/run_action.py" "$T/bad-action" '{"command":"version"}'
expect_rc 1
expect_err_has "run_action: step 'Run xpship' splices an expression into its script"
exit 0
