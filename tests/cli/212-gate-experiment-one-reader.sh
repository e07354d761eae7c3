# gate --experiment and pack --experiment read a record through one reader:
# what one accepts the other accepts, what one refuses the other refuses with
# the same message; the decision names the record by the digest of the bytes
# that were parsed.
. "$TESTS_DIR/lib.sh"
TPL=$TESTS_DIR/../templates
cp -r "$TPL/gate.yaml" "$TPL/experiment.yaml" "$TPL/example" .
export SOURCE_DATE_EPOCH=1795600800

# a run id that YAML reads as a number, selected as a number
sed -e 's/^  - id: run-2$/  - id: 3/' -e 's/^selected: run-2 /selected: 3 /' experiment.yaml >num.yaml
grep -q '^selected: 3 ' num.yaml && grep -q '^  - id: 3$' num.yaml || fail "fixture edit"
run xp gate --policy gate.yaml --experiment num.yaml --decision d.json
expect_rc 0
expect_out_has "accuracy                                min                 0.931 "
want=sha256:$(sha256sum num.yaml | cut -d' ' -f1)
grep -qF "\"candidate\": {\"source\": \"num.yaml\", \"digest\": \"$want\"}" d.json ||
	fail "candidate in decision: $(grep candidate d.json)"
run xp pack -o b -t v1 --experiment num.yaml example/model
expect_rc 0
run xp inspect --json b
expect_out_has '"accuracy": 0.931,'

# a record without metadata: both refuse, with one message
python3 - <<'PY'
import re
text = open("experiment.yaml").read()
# drop the metadata block (the key and its indented lines)
text = re.sub(r"(?m)^metadata:\n(?:[ #].*\n|\n)*", "", text, count=1)
open("nometa.yaml", "w").write(text)
PY
grep -q '^metadata:' nometa.yaml && fail "metadata still there"
run xp gate --policy gate.yaml --experiment nometa.yaml
expect_rc 3
gate_err=$(err)
run xp pack -o c -t v1 --experiment nometa.yaml example/model
expect_rc 3
expect_eq "$gate_err" "$(err)" "gate and pack messages"
case $gate_err in *"missing required key 'metadata'"*) ;; *) fail "message: $gate_err" ;; esac
exit 0
