#!/usr/bin/env bash
# templates/demo/demo.sh [XPSHIP] — the shipped example end to end:
#
#   evaluate + validate → gate against the champion → pack → sign + attest → verify →
#   push → verify in the registry → promote to the production tag (recorded
#   as a signed promotion statement)
#
# and, when the gate rejects a candidate: history of the releases, diff of
# the last two champions, and rollback of the production tag to the previous
# champion (verified).
#
# against a docker-registry the demo starts on loopback and stops when it ends
# (its storage persists in $XPSHIP_DEMO_DIR/registry-data, so the next run finds
# the champion this run promoted), or, when no registry can run, against a
# local OCI layout store ($XPSHIP_DEMO_DIR/store).
#
# The first run copies templates/experiment.yaml and templates/example/ to
# $XPSHIP_DEMO_DIR/work/. Change the selected run's metrics there (the
# predictions in example/predictions.csv, and the accuracy the record states
# for run-2, which must agree with what they evaluate to) and run the demo
# again: the gate compares the new candidate with the champion promoted before,
# and only a passing candidate replaces it.
#
# Environment:
#   XPSHIP_DEMO_DIR        state directory (default: ./demo-out in the checkout)
#   XPSHIP_DEMO_REGISTRY   'local' (default: start docker-registry on loopback,
#                          falling back to the layout store) or 'layout' (the
#                          layout store only)
#   XPSHIP_DEMO_WAIVE      1: when the gate fails, a person (alice, ml-lead)
#                          waives the failed checks, the release goes on with
#                          the verdict pass-with-waivers, and promotion needs
#                          two approvals (alice and bob) — see docs/approvals.md
#
# Exit: 0 promoted, 1 the gate or a verification said no (the champion stays),
# other codes as the failing xpship command.
set -euo pipefail
xp=${1:-xpship}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${XPSHIP_DEMO_DIR:-$root/demo-out}
mode=${XPSHIP_DEMO_REGISTRY:-local}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$out/work
run=$out/run
T=$out # the registry helper keeps its configuration and log under $T/registry
. "$root/tests/helpers/registry.sh"

bold() { if [ -t 1 ]; then printf '\033[1m%s\033[0m\n' "$*"; else printf '%s\n' "$*"; fi; }
step() { printf '\n'; bold "== $*"; }
# show CMD...: print the command as a user would type it, then run it
show() {
	local a line='$ xpship'
	for a in "${@:2}"; do
		case $a in
		*[[:space:]]*) line="$line '$a'" ;;
		*) line="$line $a" ;;
		esac
	done
	printf '%s\n' "${line//$out\//}"
	"$@"
}

# decision FIELD: a value from the decision record (verdict, baseline digest)
decision() {
	"$XP_PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1]))
b = d.get("baseline") or {}
print({"verdict": d["verdict"], "baseline": b.get("digest", "")}[sys.argv[2]])' run/decision.json "$1"
}

# --- people in the loop (XPSHIP_DEMO_WAIVE=1, docs/approvals.md) -------------
# Two approvers with their own keys (not the release key), listed in
# keys/approvers.yaml; alice holds the role ml-lead.
verdict=pass
approvers_setup() {
	local who
	for who in alice bob; do
		[ -f "keys/$who.key" ] || "$xp" keygen -t ed25519 -o "keys/$who" >/dev/null
	done
	printf 'approvers:\n  - name: alice\n    key: alice.pub\n    roles: [ml-lead]\n  - name: bob\n    key: bob.pub\n' \
		>keys/approvers.yaml
}
# The gate failed: alice waives each failed check of this candidate and
# policy, and the gate runs again with her waivers.
waive_failed() {
	local check n=0 waivers=()
	approvers_setup
	step "2b. a person waives the failed check (alice, ml-lead)"
	for check in $("$XP_PYTHON" -c 'import json, sys
for r in json.load(open(sys.argv[1]))["rules"]:
    if r["outcome"] == "fail": print(r["metric"] + "." + r["check"])' run/decision.json); do
		n=$((n + 1))
		show "$xp" waive --key keys/alice.key --identity alice@example.com --rule "$check" \
			--reason "accepted for this release: known shift in the evaluation set" --expires 7d \
			--experiment work/experiment.yaml --policy work/gate.yaml -o "run/waiver-$n.json"
		waivers+=(--waivers "run/waiver-$n.json")
	done
	show "$xp" gate "${net[@]}" --policy work/gate.yaml \
		--experiment work/experiment.yaml --baseline "$champion" "${waivers[@]}" \
		--approvers keys/approvers.yaml \
		--decision run/decision.json --junit run/gate.junit.xml --summary run/gate.md
	verdict=$(decision verdict)
}
# A waived release: 'pass' is refused, 'pass-with-waivers' needs two approvals.
promote_approved() {
	set +e
	show "$xp" promote "${net[@]}" --key keys/demo.pub --require-verdict pass \
		--identity "$identity" "$candidate" --to prod
	[ $? = 1 ] || exit 1
	set -e
	echo "(refused, as it should be: the checks were waived, not passed)"
	show "$xp" approve "${net[@]}" --key keys/alice.key --identity alice@example.com \
		--role ml-lead --reason "waiver reviewed, ship it" "$candidate"
	show "$xp" approve "${net[@]}" --key keys/bob.key --identity bob@example.com \
		--reason "serving checks fine" "$candidate"
	XPSHIP_KEY_PASSWORD=$(cat keys/demo.pass) show "$xp" promote "${net[@]}" --key keys/demo.pub \
		--require-verdict pass-with-waivers --approvers keys/approvers.yaml \
		--require-approvals 2 --require-role ml-lead --identity "$identity" \
		--sign-key keys/demo.key "$candidate" --to prod
}

# --- history, diff and rollback (docs/history.md) --------------------------
# Shown after a rejected candidate: every release so far with the chain of
# champions from the signed promotion log; with two champions or more, what
# changed from the previous champion to the current one, and 'prod' rolled
# back to the previous champion, verified.
history_part() {
	local champs
	step "history: the releases of $repo"
	show "$xp" history "${net[@]}" --key keys/demo.pub --metric accuracy "$repo"
	mapfile -t champs < <("$xp" history "${net[@]}" --key keys/demo.pub --format json \
		"$repo" | "$XP_PYTHON" -c 'import json, sys
print("\n".join(c["digest"] for c in json.load(sys.stdin)["chain"]))')
	[ ${#champs[@]} -ge 2 ] || return 0
	step "diff: the previous champion against the current one"
	show "$xp" diff "${net[@]}" "$repo@${champs[1]}" "$repo@${champs[0]}"
	step "rollback: prod back to the previous champion, verified and recorded"
	XPSHIP_KEY_PASSWORD=$(cat keys/demo.pass) show "$xp" rollback "${net[@]}" \
		--key keys/demo.pub --sign-key keys/demo.key "$repo"
	show "$xp" verify "${net[@]}" --key keys/demo.pub --require-verdict pass "$champion"
	echo "rolled back  $champion -> ${champs[1]} (from ${champs[0]})"
}

case $mode in
local | layout) ;;
*)
	echo "demo: XPSHIP_DEMO_REGISTRY must be 'local' or 'layout', not '$mode'" >&2
	exit 2
	;;
esac

# --- the working copy of the example (kept between runs) -------------------
if [ ! -f "$work/experiment.yaml" ]; then
	mkdir -p "$work"
	cp "$root/templates/experiment.yaml" "$work/experiment.yaml"
	cp -R "$root/templates/example" "$work/example"
	cp "$root/templates/gate.yaml" "$work/gate.yaml"
	first_copy=1
else
	first_copy=0
fi
rm -rf "$run"
mkdir -p "$run" "$out/keys"
cd "$out"

# --- where the champion lives ---------------------------------------------
net=()
if [ "$mode" = local ] && [ -x /usr/bin/docker-registry ] &&
	REG_DATA_DIR=$out/registry-data reg_start plain registry 2>"$run/registry-start.log"; then
	repo=$REG_ADDR/demo/churn-classifier
	identity=$repo
	net=(--plain-http)
	where="docker-registry on $REG_ADDR (storage: registry-data/)"
else
	if [ "$mode" = local ]; then
		echo "demo: no docker-registry could start; using a local OCI layout store" >&2
		[ -s "$run/registry-start.log" ] && sed 's/^/  /' "$run/registry-start.log" >&2
	fi
	repo=oci:$out/store
	identity=localhost/demo/churn-classifier # where it would be pushed
	where="OCI layout store store/"
fi
champion=$repo:prod
# lowercase: podman load refuses uppercase archive tags; to the millisecond:
# a release tag is never moved (push and copy refuse), so each run needs its own
tag=rc-$(date -u +%Y%m%dt%H%M%S%3Nz)
bundle=oci:$out/bundle:$tag
step "champion store: $where"
[ "$first_copy" = 1 ] && echo "working copy of the example: work/ (experiment.yaml, gate.yaml, example/)"

step "1. evaluate the candidate's predictions, validate the experiment record"
# the selected run's metrics file is what evaluate computes from the model's
# predictions on the evaluation set (per sex, with bootstrap intervals)
show "$xp" evaluate --predictions work/example/predictions.csv --score score \
	--group sex --bootstrap 1000 -o work/example/metrics/run-2.json
show "$xp" validate work/experiment.yaml

step "2. gate the candidate against the champion ($champion)"
set +e
show "$xp" gate "${net[@]}" --policy work/gate.yaml \
	--experiment work/experiment.yaml --baseline "$champion" \
	--decision run/decision.json --junit run/gate.junit.xml --summary run/gate.md
gate_rc=$?
set -e
if [ "$gate_rc" = 1 ] && [ "${XPSHIP_DEMO_WAIVE:-}" = 1 ]; then
	waive_failed && gate_rc=0
fi
if [ "$gate_rc" = 1 ]; then
	printf '\n'
	bold "demo: the gate failed: the candidate is not released; the champion stays"
	echo "champion     $champion ($(decision baseline))"
	echo "decision     run/decision.json (JUnit: run/gate.junit.xml, report: run/gate.md)"
	history_part
	exit 1
fi
[ "$gate_rc" = 0 ] || exit "$gate_rc"

step "3. pack the model into an OCI bundle"
show "$xp" pack --quiet -o bundle -t "$tag" --experiment work/experiment.yaml \
	--decision run/decision.json --label org.opencontainers.image.vendor=example \
	work/example/model | tee run/pack.out
digest=$(tail -n 1 run/pack.out)

step "4. sign and attest"
if [ ! -f keys/demo.key ]; then
	# the demo's key pair, kept for the next run; its passphrase in a 0600 file
	(umask 077 && od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >keys/demo.pass)
	show "$xp" keygen --password-stdin -o keys/demo <keys/demo.pass
fi
show "$xp" sign --key keys/demo.key --password-stdin --identity "$identity" \
	"$bundle" <keys/demo.pass
show "$xp" attest --key keys/demo.key --password-stdin --experiment work/experiment.yaml \
	--decision run/decision.json --output run/attestations.intoto.jsonl "$bundle" <keys/demo.pass

step "5. verify the bundle before it leaves"
show "$xp" verify --key keys/demo.pub --require-attestation --require-verdict "$verdict" "$bundle"

step "6. push the bundle with its signature and attestations"
if [ ${#net[@]} -gt 0 ]; then
	show "$xp" push "${net[@]}" "$bundle" "$repo:$tag" | tee run/push.out
	pushed=$(tail -n 1 run/push.out)
	candidate=$repo@${pushed##*@}
else
	show "$xp" copy "$bundle" "$repo:$tag"
	candidate=$repo:$tag
fi

step "7. promote: verify what the store holds, then move 'prod'"
if [ "$verdict" = pass-with-waivers ]; then
	promote_approved
else
	XPSHIP_KEY_PASSWORD=$(cat keys/demo.pass) show "$xp" promote "${net[@]}" \
		--key keys/demo.pub --require-verdict pass --identity "$identity" \
		--sign-key keys/demo.key "$candidate" --to prod
fi

previous=$(decision baseline)
printf '\n'
bold "== summary"
echo "experiment   $(sed -n 's/^  id: *\([^ ]*\).*/\1/p' work/experiment.yaml | head -n 1)"
echo "gate         $(decision verdict) (report: run/gate.md)"
echo "bundle       $tag  $digest"
echo "signed by    keys/demo.pub (cosign-compatible signature, SLSA provenance, gate decision)"
echo "champion     ${previous:-none (first release)}"
echo "promoted     $champion -> $digest"
echo
echo "Run 'make demo' again to gate the next candidate against this champion"
echo "(change the predictions in $work/example/predictions.csv and the accuracy of"
echo "the selected run in $work/experiment.yaml first)."

# --- 8. monitoring: production samples against the training data's profile --
# (in CI the reference is the champion itself, packed with --profile:
# templates/github/model-monitor.yml, templates/jenkins/Jenkinsfile.monitor)
step "8. monitor production data: drift against the training data's profile"
features=tenure_months,monthly_charges,contract,support_calls
show "$xp" profile --columns "$features" -o run/train-profile.json work/example/data/train.csv
monitor() { # SAMPLE NAME: drift, then the monitoring policy
	show "$xp" drift --reference run/train-profile.json --current "$1" \
		-o "run/drift-$2.json" --html "run/drift-$2.html" &&
		show "$xp" gate --policy "$root/templates/monitor.yaml" --metrics "run/drift-$2.json" \
			--summary "run/monitor-$2.md"
}
set +e
monitor "$root/templates/example/data/production.csv" ok
ok_rc=$?
monitor "$root/templates/example/data/production-shifted.csv" shifted
shifted_rc=$?
set -e
printf '\n'
if [ "$ok_rc" != 0 ] || [ "$shifted_rc" != 1 ]; then
	bold "demo: the monitor did not tell the samples apart (exit $ok_rc and $shifted_rc)"
	exit 1
fi
echo "monitor      production.csv passes; production-shifted.csv fails: monthly_charges drifted"
echo "             (report: run/drift-shifted.html, policy: templates/monitor.yaml)"
