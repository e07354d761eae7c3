# `drift --html`: one self-contained page (no scripts, no external assets),
# rendered by headless Chromium at a phone's width: the screenshot is not
# blank and the rendered DOM has every column's chart with its bars; the same
# table goes to the Markdown summary and $GITHUB_STEP_SUMMARY.
. "$TESTS_DIR/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser) || fail "chromium is not installed (Debian package chromium)"
/usr/bin/python3 - <<'PY'
import random
r = random.Random(3)
for name, shift in (("ref.csv", 0), ("cur.csv", 1)):
    with open(name, "w") as f:
        f.write("age,income,city,note\n")
        for i in range(1500):
            f.write("%d,%.2f,%s,%s\n" % (r.randint(18, 70) + 8 * shift, r.gauss(50, 10),
                    r.choice("abc" if not shift else "abcd"), "" if i % 3 else "x<&>"))
PY
run env GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$T/step.md" "$XPSHIP" drift -r ref.csv -c cur.csv \
	--categorical note -o m.json --html report.html --summary sum.md
expect_rc 0

# self-contained: nothing fetched, nothing run
grep -Eiq '<script|<link|<img|<iframe|@import|url\(|https?://[^"]*"' report.html &&
	fail "the report refers to something outside itself"
grep -q 'name="viewport"' report.html || fail "no viewport meta"
grep -q '<td>note</td>' report.html || fail "no row for 'note'"
grep -q 'x&lt;&amp;&gt;' report.html || fail "a category is not escaped"
cmp -s sum.md step.md || fail "the step summary differs from --summary"
head -3 sum.md >head.md
expect_file_same - head.md <<'END'
### Data drift: 2 of 4 columns drifted

| column | type | PSI | KS | KS p | JS | Wasserstein | χ² | χ² p | drifted |
END
grep -q '^| age | numeric |.* \*\*yes\*\* |$' sum.md || fail "summary row for age"

# the browser: no network (an unreachable proxy), a phone-sized window
B() { "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
	--proxy-server=127.0.0.1:9 --hide-scrollbars --window-size=412,1400 \
	--user-data-dir="$T/chrome" "$@" "file://$T/report.html" 2>/dev/null; }
B --screenshot="$T/shot.png" >/dev/null
[ -s shot.png ] || fail "no screenshot"
run /usr/bin/python3 "$TESTS_DIR/helpers/png_check.py" shot.png
expect_rc 0
B --dump-dom >dom.html
/usr/bin/python3 - <<'PY' || fail "rendered charts"
import re
dom = open("dom.html").read()
for i, col in enumerate(["age", "income", "city", "note"]):
    m = re.search(r'<figure class="chart" id="chart-%d" data-column="%s">(.*?)</figure>' % (i, col), dom, re.S)
    assert m, "no chart for %s" % col
    bars = re.findall(r'<rect class="[rc]"', m.group(1))
    assert len(bars) >= 4, "%s: %d bars" % (col, len(bars))
print("charts ok")
PY

# a blank page fails the check (the test can fail)
printf '<!DOCTYPE html><html><body></body></html>' >report.html
B --screenshot="$T/blank.png" >/dev/null
run /usr/bin/python3 "$TESTS_DIR/helpers/png_check.py" blank.png
expect_rc 1
