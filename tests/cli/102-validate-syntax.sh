# A record that is not well-formed YAML/JSON: one finding with the parser's own
# message and position, exit 3, in every format; a record that is well-formed but
# not a mapping is invalid (exit 1).
. "$TESTS_DIR/lib.sh"
cp "$DATA"/experiment/syntax.yaml "$DATA"/experiment/duplicate.yaml "$DATA"/experiment/syntax.json .

run xp validate syntax.yaml
expect_rc 3
expect_err <<'END'
syntax.yaml:5:6: error: mapping values are not allowed in this context
END
expect_out <<'END'
syntax.yaml: malformed
END

# duplicate keys come from the loader: YAML forbids them, so exit 3 as well
run xp validate duplicate.yaml
expect_rc 3
expect_err <<'END'
duplicate.yaml:6:3: error: duplicate key 'name' (first defined at line 4)
END

# JSON records get jansson's message, positioned
run xp validate syntax.json
expect_rc 3
expect_err <<'END'
syntax.json:4:1: error: string or '}' expected near '}'
END

digest=sha256:$(sha256sum duplicate.yaml | cut -d' ' -f1)
run xp validate --format json duplicate.yaml
expect_rc 3
expect_err_empty
expect_out <<END
{
  "file": "duplicate.yaml",
  "digest": "$digest",
  "valid": false,
  "errors": 1,
  "warnings": 0,
  "notes": 0,
  "findings": [
    {
      "file": "duplicate.yaml",
      "line": 6,
      "column": 3,
      "severity": "error",
      "code": "duplicate-key",
      "message": "duplicate key 'name' (first defined at line 4)"
    }
  ]
}
END

run xp validate --format github syntax.yaml
expect_rc 3
expect_out <<'END'
::error file=syntax.yaml,line=5,col=6,title=syntax::mapping values are not allowed in this context
syntax.yaml: malformed
END
expect_err_empty

run xp validate --format sarif syntax.json
expect_rc 3
python3 - "$T/.out" <<'PY' || fail "sarif of a syntax error"
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert len(res) == 1, res
r = res[0]
assert r["ruleId"] == "syntax" and r["level"] == "error", r
loc = r["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == "syntax.json", loc
assert loc["region"] == {"startLine": 4, "startColumn": 1}, loc
PY

# well-formed, but not a record
printf -- '- a\n- b\n' > list.yaml
run xp validate list.yaml
expect_rc 1
expect_err <<'END'
list.yaml:1:1: error: an experiment record must be a mapping, found sequence
END
expect_out <<'END'
list.yaml: invalid: 1 error
END
: > empty.yaml
run xp validate empty.yaml
expect_rc 1
expect_err <<'END'
empty.yaml:1:1: error: an experiment record must be a mapping, found nothing
END

# SARIF from a subdirectory: locations relative to the repository's top level
# (uriBaseId %SRCROOT%, declared in originalUriBaseIds), never "../x.yaml";
# GITHUB_WORKSPACE, when set, is that top level
mkdir -p repo/.git repo/sub
printf 'a: [\n' >repo/bad.yaml
sarif_loc() {
	python3 -c 'import json,sys
r = json.load(sys.stdin)["runs"][0]
a = r["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
print(a["uri"], a.get("uriBaseId"), r.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri"))'
}
top=$(cd repo && pwd -P)
(cd repo/sub && "$XPSHIP_BIN" validate --format sarif ../bad.yaml) >s1.json
expect_eq "bad.yaml %SRCROOT% file://$top/" "$(sarif_loc <s1.json)" "sarif location from a subdirectory"
(cd repo/sub && GITHUB_WORKSPACE="$top/.." "$XPSHIP_BIN" validate --format sarif ../bad.yaml) >s2.json
expect_eq "repo/bad.yaml %SRCROOT% file://$(cd "$top/.." && pwd -P)/" "$(sarif_loc <s2.json)" "sarif location under GITHUB_WORKSPACE"
exit 0
