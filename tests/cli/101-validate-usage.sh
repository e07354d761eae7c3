# `xpship validate` usage errors (exit 2) and --help.
. "$TESTS_DIR/lib.sh"

run xp validate
expect_rc 2
expect_err <<'END'
xpship: error: missing the experiment record (FILE)
Run 'xpship validate --help' for usage.
END
expect_out_empty

run xp validate a.yaml b.yaml
expect_rc 2
expect_err <<'END'
xpship: error: validate takes one FILE, found 2
Run 'xpship validate --help' for usage.
END

run xp validate --format xml a.yaml
expect_rc 2
expect_err <<'END'
xpship: error: invalid format 'xml': expected text, json, github or sarif
Run 'xpship validate --help' for usage.
END

run xp validate --strcit a.yaml
expect_rc 2
expect_err <<'END'
xpship: error: unknown option '--strcit' (did you mean '--strict'?)
Run 'xpship validate --help' for usage.
END

run xp validate --format
expect_rc 2
expect_err <<'END'
xpship: error: option '--format' needs a value
Run 'xpship validate --help' for usage.
END

# --help documents every option and exit code
run xp validate --help
expect_rc 0
expect_err_empty
for word in "--format F" "--strict" "--no-digest-check" "sarif" "github" "GITHUB_ACTIONS=true" \
	"  0  valid" "  1  invalid" "  2  usage error" "  3  the record is not well-formed" \
	"  4  the record, or a file it names"; do
	expect_out_has "$word"
done
run xp help validate
expect_rc 0
expect_out_has "usage: xpship validate [--format text|json|github|sarif] [--strict] [--no-digest-check] FILE"

# the record itself cannot be read: a system error, exit 4, in every format
run xp validate missing.yaml
expect_rc 4
expect_err <<'END'
xpship: error: cannot open 'missing.yaml': No such file or directory
END
expect_out_empty
run xp validate --format json missing.yaml
expect_rc 4
expect_out_empty
mkdir dir.yaml
run xp validate dir.yaml
expect_rc 4
expect_err_has "xpship: error: cannot read 'dir.yaml': Is a directory"
exit 0
