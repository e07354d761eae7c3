# `pack` error paths: usage errors (exit 2) with their messages, inputs xpship
# refuses to pack (special files, links out of the input, clashes), missing
# inputs (exit 4); nothing is created when a pack is refused.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

pack_model model

# refused usage|input MESSAGE ARGS...: exit 2, the message (with the usage hint
# for a command-line mistake)
refused() {
	local kind=$1 msg=$2; shift 2
	run xp pack "$@"
	expect_rc 2
	expect_out_empty
	{
		echo "xpship: error: $msg"
		[ "$kind" = input ] || echo "Run 'xpship pack --help' for usage."
	} | expect_err
}
usage_case() { refused usage "$@"; }
usage_case "missing -o OUT"
usage_case "missing -t TAG" -o out
usage_case "missing PATH: name the model files to pack" -o out -t v1
usage_case "invalid value 'tar' for --format (expected image or modelpack)" -o out -t v1 --format tar model
usage_case "invalid value 'lz4' for --compression (expected none, gzip or zstd)" -o out -t v1 --compression lz4 model
usage_case "invalid label '=x': expected KEY=VALUE" -o out -t v1 --label =x model
usage_case "invalid label 'novalue': expected KEY=VALUE" -o out -t v1 --label novalue model
usage_case "invalid platform 'linux': expected OS/ARCH[/VARIANT], e.g. linux/amd64" -o out -t v1 --platform linux model
usage_case "invalid platform 'Linux/amd64': expected OS/ARCH[/VARIANT], e.g. linux/amd64" -o out -t v1 --platform Linux/amd64 model
usage_case "invalid --prefix '/a/../b': no '.' or '..' components" -o out -t v1 --prefix /a/../b model
usage_case "invalid tag 'bad tag': letters, digits, '_', '.' and '-', at most 128" -o out -t 'bad tag' model
usage_case "invalid output 'oci:out:v2': name the tag with -t, not in OUT" -o oci:out:v2 -t v1 model
usage_case "unknown option '--tga' (did you mean '--tag'?)" -o out --tga v1 model
usage_case "cannot pack '/': it has no name to land under" -o out -t v1 /

mkfifo fifo
refused input "cannot pack 'fifo': not a regular file, directory or link (a FIFO)" -o out -t v1 fifo
mkdir -p withfifo && mkfifo withfifo/pipe
refused input "cannot pack 'withfifo/pipe': not a regular file, directory or link (a FIFO)" -o out -t v1 withfifo
mkdir abs && ln -s /etc/passwd abs/passwd
refused input "cannot pack link 'abs/passwd': its target '/etc/passwd' is outside the input (pack the target instead)" -o out -t v1 abs
mkdir -p up/sub && ln -s ../../model up/sub/escape
refused input "cannot pack link 'up/sub/escape': its target '../../model' is outside the input (pack the target instead)" -o out -t v1 up
mkdir -p twisty/a && ln -s a/../../x twisty/link
refused input "cannot pack link 'twisty/link': its target 'a/../../x' is outside the input (pack the target instead)" -o out -t v1 twisty
refused input "two inputs land at '/models/model' in the bundle" -o out -t v1 model ./model/
refused input "a base image needs --format image" -o out -t v1 --format modelpack --base model model
[ ! -e out ] || fail "a refused pack created the output"

# a link inside the input is fine, even one that climbs back into it
mkdir -p ok/a && echo x >ok/x && ln -s ../x ok/a/x-link
run xp pack -o out -t v1 ok
expect_rc 0
expect_err_empty

# system errors
run xp pack -o out2 -t v1 missing
expect_rc 4
expect_err <<'END'
xpship: error: cannot read 'missing': No such file or directory
END
[ ! -e out2 ] || fail "a failed pack created the output"
run xp pack -o /proc/xpship-test -t v1 model
expect_rc 4
expect_err <<'END'
xpship: error: cannot create directory '/proc/xpship-test': No such file or directory
END
# an unreadable file; root reads it anyway, so the pack runs without the
# capabilities that bypass file permissions
mkdir locked && echo s >locked/secret && chmod 000 locked/secret
nodac=()
[ "$(id -u)" != 0 ] || nodac=(setpriv --bounding-set=-dac_override,-dac_read_search)
run "${nodac[@]}" "$XPSHIP" pack -o out3 -t v1 locked
expect_rc 4
expect_err <<'END'
xpship: error: cannot open 'locked/secret': Permission denied
END
# ... and leaves nothing behind: no layout, an empty directory stays empty, no
# archive
[ ! -e out3 ] || fail "a failed pack left a layout: $(find out3 | head)"
mkdir out4
run "${nodac[@]}" "$XPSHIP" pack -o out4 -t v1 model locked
expect_rc 4
[ -d out4 ] && [ -z "$(ls -A out4)" ] || fail "a failed pack into an empty directory left: $(find out4 | head)"
run "${nodac[@]}" "$XPSHIP" pack -o out5.tar -t v1 model locked
expect_rc 4
[ -z "$(ls -A | grep '^\.\?out5')" ] || fail "a failed pack left: $(ls -A | grep out5)"

# OUT exists but is not a layout
mkdir notalayout && echo x >notalayout/file
run xp pack -o notalayout -t v1 model
expect_rc 3
expect_err <<'END'
xpship: error: 'notalayout' is not an OCI image layout (it has no oci-layout file)
END
echo junk >junk.tar
run xp pack -o junk.tar -t v1 model
expect_rc 3
expect_err_has "xpship: error: "
exit 0
