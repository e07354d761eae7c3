# `history --format html`: a self-contained page (no script, no external
# resource) with an inline SVG trend chart per metric, rendered by headless
# Chromium: the DOM it builds has one chart per --metric, one point per release
# recording the metric (champions filled), and the release table.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/history.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1 XPSHIP_PROMOTE_SETTLE_MS=0 XDG_CACHE_HOME=$T/cache
command -v chromium >/dev/null || fail "chromium is not installed (Debian package chromium)"
reg_start plain || fail "registry did not start"
R=$REG_ADDR/team/model
hist_init
for i in 1 2 3 4; do
	SOURCE_DATE_EPOCH=$((1764064800 + i * 86400)) hist_release "$R" "v$i" "0.8$i"
	[ $i = 2 ] && { hist_promote "$R" v2 >/dev/null || fail "promote"; }
done
reg_skopeo_push "$R:foreign" >/dev/null || fail "skopeo push"
run xp history --plain-http --format html --metric accuracy --metric latency_ms "$R"
expect_rc 0
cp .out page.html
grep -qiE '<script|src=|href=|url\(' page.html && fail "the page loads something: $(grep -oiE '<script|src=[^ ]*|href=[^ ]*|url\([^)]*' page.html | head -3)"
timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
	--user-data-dir="$T/chrome" --dump-dom "file://$T/page.html" >dom.html 2>chrome.err ||
	fail "chromium: $(tail -5 chrome.err)"
python3 - <<'PY' || fail "rendered DOM: $(head -c 2000 dom.html)"
import html.parser

class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.svgs, self.points, self.filled, self.rows, self.caps = 0, [], [], 0, []
        self.in_cap = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self.svgs += 1
            self.points.append(0)
            self.filled.append(0)
        if tag == "circle":
            self.points[-1] += 1
            self.filled[-1] += a.get("fill") != "#fff"
        if tag == "tr":
            self.rows += 1
        self.in_cap = tag == "figcaption"
    def handle_data(self, d):
        if self.in_cap:
            self.caps.append(d)
            self.in_cap = False

p = P()
p.feed(open("dom.html").read())
assert p.caps == ["accuracy", "latency_ms"], p.caps
assert p.svgs == 2, p.svgs
assert p.points == [4, 4], p.points          # the foreign image has no metrics
assert p.filled == [1, 1], p.filled          # v2, the champion
assert p.rows == 6, p.rows                   # header + 5 releases
PY
