# `gate` command line: --help lists every option, usage errors exit 2 with the
# hint, and nothing is evaluated before the arguments are complete.
. "$TESTS_DIR/lib.sh"
cp "$DATA/gate/gate.yaml" "$DATA/gate/candidate.json" .

run xp gate --help
expect_rc 0
for opt in --policy --metrics --experiment --baseline --decision --junit --summary \
	GITHUB_STEP_SUMMARY GITHUB_OUTPUT SOURCE_DATE_EPOCH "Exit codes"; do
	expect_out_has "$opt"
done
expect_err_empty

run xp gate --metrics candidate.json
expect_rc 2
expect_out_empty
expect_err <<'END'
xpship: error: missing --policy FILE
Run 'xpship gate --help' for usage.
END

run xp gate --policy gate.yaml
expect_rc 2
expect_err <<'END'
xpship: error: missing candidate: --metrics SRC or --experiment FILE
Run 'xpship gate --help' for usage.
END

run xp gate --policy gate.yaml --metrics candidate.json --experiment e.yaml
expect_rc 2
expect_err <<'END'
xpship: error: --metrics and --experiment exclude each other
Run 'xpship gate --help' for usage.
END

run xp gate --policy gate.yaml --metrics candidate.json extra
expect_rc 2
expect_err <<'END'
xpship: error: unexpected argument 'extra'
Run 'xpship gate --help' for usage.
END

run xp gate --policy gate.yaml --metrix candidate.json
expect_rc 2
expect_err <<'END'
xpship: error: unknown option '--metrix' (did you mean '--metrics'?)
Run 'xpship gate --help' for usage.
END

run xp gate --policy gate.yaml --metrics candidate.json --decision out.json --junit
expect_rc 2
expect_err <<'END'
xpship: error: option '--junit' needs a value
Run 'xpship gate --help' for usage.
END
[ -e out.json ] && fail "decision written despite the usage error"

SOURCE_DATE_EPOCH=yesterday run xp gate --policy gate.yaml --metrics candidate.json
expect_rc 2
expect_out_empty
expect_err <<'END'
xpship: error: invalid SOURCE_DATE_EPOCH 'yesterday': expected seconds since 1970
Run 'xpship gate --help' for usage.
END
# a time past 9999-12-31T23:59:59Z has no RFC 3339 form
SOURCE_DATE_EPOCH=253402300800 run xp gate --policy gate.yaml --metrics candidate.json --decision out.json
expect_rc 2
expect_out_empty
expect_err <<'END'
xpship: error: invalid SOURCE_DATE_EPOCH '253402300800': expected seconds since 1970
Run 'xpship gate --help' for usage.
END
[ -e out.json ] && fail "decision written despite the usage error"
exit 0
