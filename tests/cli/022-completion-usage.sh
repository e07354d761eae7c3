# completion: usage errors; the man generator is not listed as a command.
. "$TESTS_DIR/lib.sh"

run xp completion
expect_rc 2
expect_out_empty
expect_err <<'END'
xpship: error: expected one shell: bash, zsh or fish
Run 'xpship completion --help' for usage.
END

run xp completion tcsh
expect_rc 2
expect_out_empty
expect_err <<'END'
xpship: error: unknown shell 'tcsh': expected bash, zsh or fish
Run 'xpship completion --help' for usage.
END

run xp completion bash zsh
expect_rc 2
expect_err_has "expected one shell"

run xp completion --help
expect_rc 0
expect_out_has "usage: xpship completion bash|zsh|fish"

run xp --help
expect_out_has "  completion   print a shell completion script (bash, zsh, fish)"
expect_out_lacks "  man "
exit 0
