# `unpack` applies whiteouts inside DIR only: a whiteout that names no entry
# of its directory ('.wh.', '.wh..', '.wh...', at the top or deeper) is
# refused with exit 1 before anything is removed, and nothing beside DIR
# changes. Opaque markers ('.wh..wh..opq') hide what earlier layers put in
# their directory, keeping what their own layer wrote; a whiteout does not
# remove what its own layer wrote.
. "$TESTS_DIR/lib.sh"

layout() { python3 "$TESTS_DIR/helpers/oci_layout.py" crafted "$1"; }
# a workspace around DIR that a wrong whiteout would wipe
mkdir -p ws/project/src && echo keep >ws/sibling.txt && echo code >ws/project/src/main.c
snapshot() { find . -path ./crafted -prune -o ! -name '.*' -printf '%p %y %s %m\n' | sort; }

refuse() { # case entry what
	local digest
	digest=$(layout "$1") || fail "building $1"
	snapshot >.before
	run xp unpack "oci:crafted:$1" ws/dest
	expect_rc 1
	expect_out_empty
	expect_err <<END
xpship: error: refusing '$2' in layer '$digest': whiteout of '$3', not a name
END
	snapshot >.after
	expect_file_same .before .after
	[ ! -e ws/dest ] || fail "$1: dest was created"
	[ -z "$(ls -A ws | grep unpack- || true)" ] || fail "$1: staging left behind"
}
refuse whiteout-dotdot .wh... ..
refuse whiteout-nested-dotdot a/.wh... ..
refuse whiteout-dot .wh.. .
refuse whiteout-nested-dot a/.wh.. .
refuse whiteout-empty a/.wh. ""
expect_eq keep "$(cat ws/sibling.txt)" "sibling of DIR"
expect_eq code "$(cat ws/project/src/main.c)" "file beside DIR"

# opaque: d/old.txt and d/sub of the first layer are hidden, what the second
# layer put in d stays (also d/new.txt, written before the marker)
layout opaque >/dev/null
run xp unpack oci:crafted:opaque op
expect_rc 0
expect_eq "d d/new.txt d/sub2 d/sub2/x.txt other.txt" \
	"$(cd op && find . -mindepth 1 | sed 's|^\./||' | sort | tr '\n' ' ' | sed 's/ $//')" "opaque applied"
expect_eq "new" "$(cat op/d/new.txt)"
# an opaque marker behind a link is not followed
layout opaque-through-link >/dev/null
run xp unpack oci:crafted:opaque-through-link ol
expect_rc 0
expect_eq "x" "$(cat ol/keep/x.txt)" "an opaque marker does not follow a link"

# a whiteout hides the earlier layer's file, not the one its own layer wrote
layout whiteout-same-layer >/dev/null
run xp unpack oci:crafted:whiteout-same-layer sl
expect_rc 0
expect_eq "mine" "$(cat sl/d/mine.txt)" "own layer's file kept"
expect_eq "d d/mine.txt" "$(cd sl && find . -mindepth 1 | sed 's|^\./||' | sort | tr '\n' ' ' | sed 's/ $//')" \
	"earlier layer's files under the whited-out directory removed"
exit 0
