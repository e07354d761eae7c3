# Unknown commands and options exit 2 with a suggestion when one is close.
. "$TESTS_DIR/lib.sh"

run xp valdate x.yaml
expect_rc 2
expect_out_empty
expect_err <<'END'
xpship: error: unknown command 'valdate' (did you mean 'validate'?)
Run 'xpship --help' for the list of commands.
END

run xp nosuchcmd
expect_rc 2
expect_err <<'END'
xpship: error: unknown command 'nosuchcmd'
Run 'xpship --help' for the list of commands.
END

run xp --frobnicate
expect_rc 2
expect_err <<'END'
xpship: error: unknown option '--frobnicate'
Run 'xpship --help' for usage.
END

run xp registry --plain-htp ping 127.0.0.1:1
expect_rc 2
expect_err <<'END'
xpship: error: unknown option '--plain-htp' (did you mean '--plain-http'?)
Run 'xpship registry --help' for usage.
END

run xp registry --ca-file
expect_rc 2
expect_err <<'END'
xpship: error: option '--ca-file' needs a value
Run 'xpship registry --help' for usage.
END

run xp --color=sometimes help
expect_rc 2
expect_err <<'END'
xpship: error: invalid value in '--color=sometimes': expected auto, always or never
END

run xp help nosuch
expect_rc 2
expect_err <<'END'
xpship: error: unknown command 'nosuch'
Run 'xpship help --help' for usage.
END
