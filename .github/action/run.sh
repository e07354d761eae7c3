#!/usr/bin/env bash
# .github/action/run.sh — the composite action's main step (action.yml).
#
# Builds xpship's argument list from the typed inputs (XP_* variables, set by
# the step's env:; nothing here is ever evaluated by a shell), runs the command
# with its stdout and stderr shown live, and then:
#   - sets the step outputs: verdict (gate), digest (pack, push, promote),
#     ref (push, promote);
#   - appends a line per bundle operation to the job summary (gate and
#     evaluate write their own reports there);
#   - turns a failure that xpship did not already annotate into one ::error
#     annotation, so the run's summary page says why the step failed.
# Secrets (key PEM, passphrase, registry password) are masked before anything
# is printed; a PEM key reaches xpship as env://XPSHIP_SIGNING_KEY, never argv.
# The exit code is xpship's own (2 when a required input is missing).
set -uo pipefail
: "${GITHUB_OUTPUT:?not running as a GitHub action}"

read -r -a cmdv <<<"${XP_COMMAND:-}"
cmd=${cmdv[0]:-}
read -r -a extra <<<"${XP_ARGS:-}"
read -r -a paths <<<"${XP_PATHS:-}"

# Workflow-command data escaping: % CR LF.
gh_escape() {
	local s=$1
	s=${s//'%'/'%25'}
	s=${s//$'\r'/'%0D'}
	s=${s//$'\n'/'%0A'}
	printf '%s' "$s"
}
annotate_error() {
	echo "::error title=xpship ${cmd:-action}::$(gh_escape "$1")"
}
mask() { # mask every non-empty line of a secret (PEM armour lines stay visible)
	local line
	while IFS= read -r line; do
		case "$line" in "" | "-----BEGIN "* | "-----END "*) continue ;; esac
		echo "::add-mask::$(gh_escape "$line")"
	done <<<"$1"
}

if [ -z "$cmd" ]; then
	annotate_error "the input 'command' is required"
	exit 2
fi
for s in "${XPSHIP_REGISTRY_PASSWORD:-}" "${XPSHIP_KEY_PASSWORD:-}" "${XP_KEY:-}"; do
	[ -n "$s" ] && mask "$s"
done

# Keys given as PEM text reach xpship through env:// references.
key="" pub=""
case "${XP_KEY:-}" in
"") ;;
*"-----BEGIN"*) export XPSHIP_SIGNING_KEY="$XP_KEY"; key="env://XPSHIP_SIGNING_KEY" ;;
*) key=$XP_KEY ;;
esac
case "${XP_PUBLIC_KEY:-}" in
"") ;;
*"-----BEGIN"*) export XPSHIP_PUBLIC_KEY="$XP_PUBLIC_KEY"; pub="env://XPSHIP_PUBLIC_KEY" ;;
*) pub=$XP_PUBLIC_KEY ;;
esac
unset XP_KEY XP_PUBLIC_KEY
[ -n "${XPSHIP_KEY_PASSWORD:-}" ] || unset XPSHIP_KEY_PASSWORD
[ -n "${XPSHIP_REGISTRY_USERNAME:-}${XPSHIP_REGISTRY_PASSWORD:-}" ] ||
	unset XPSHIP_REGISTRY_USERNAME XPSHIP_REGISTRY_PASSWORD

need() { # INPUT VALUE
	if [ -z "$2" ]; then
		annotate_error "the input '$1' is required for '$cmd'"
		exit 2
	fi
}

# With `registry`, the credentials go to that host only, through xpship login.
if [ -n "${XP_REGISTRY:-}" ] && [ -n "${XPSHIP_REGISTRY_PASSWORD:-}" ]; then
	user=${XPSHIP_REGISTRY_USERNAME:-}
	pass=$XPSHIP_REGISTRY_PASSWORD
	unset XPSHIP_REGISTRY_USERNAME XPSHIP_REGISTRY_PASSWORD
	if ! xpship login "$XP_REGISTRY" -u "$user" --password-stdin <<<"$pass"; then
		annotate_error "cannot log in to '$XP_REGISTRY'"
		exit 5
	fi
	unset pass
fi

sarif=()
case "$cmd" in
evaluate)
	need predictions "${XP_PREDICTIONS:-}"
	args=(evaluate --predictions "$XP_PREDICTIONS")
	[ -n "${XP_METRICS:-}" ] && args+=(-o "$XP_METRICS")
	args+=("${extra[@]}")
	;;
validate)
	need experiment "${XP_EXPERIMENT:-}"
	args=(validate "${extra[@]}" "$XP_EXPERIMENT")
	[ -n "${XP_SARIF:-}" ] && sarif=(validate "${extra[@]}" --format sarif "$XP_EXPERIMENT")
	;;
gate)
	need policy "${XP_POLICY:-}"
	args=(gate --policy "$XP_POLICY")
	if [ -n "${XP_METRICS:-}" ]; then
		args+=(--metrics "$XP_METRICS")
	else
		need "experiment' or 'metrics" "${XP_EXPERIMENT:-}"
		args+=(--experiment "$XP_EXPERIMENT")
	fi
	[ -n "${XP_BASELINE:-}" ] && args+=(--baseline "$XP_BASELINE")
	[ -n "${XP_DECISION:-}" ] && args+=(--decision "$XP_DECISION")
	read -ra waivers <<<"${XP_WAIVERS:-}"
	for w in "${waivers[@]}"; do args+=(--waivers "$w"); done
	[ -n "${XP_APPROVERS:-}" ] && args+=(--approvers "$XP_APPROVERS")
	args+=("${extra[@]}")
	;;
pack)
	need bundle "${XP_BUNDLE:-}"; need tag "${XP_TAG:-}"; need paths "${XP_PATHS:-}"
	args=(pack -o "$XP_BUNDLE" -t "$XP_TAG")
	[ -n "${XP_EXPERIMENT:-}" ] && args+=(--experiment "$XP_EXPERIMENT")
	[ -n "${XP_DECISION:-}" ] && args+=(--decision "$XP_DECISION")
	args+=("${extra[@]}" "${paths[@]}")
	;;
sign)
	need key "$key"; need bundle "${XP_BUNDLE:-}"
	args=(sign --key "$key" "${extra[@]}" "$XP_BUNDLE")
	;;
attest)
	need key "$key"; need bundle "${XP_BUNDLE:-}"
	args=(attest --key "$key")
	[ -n "${XP_EXPERIMENT:-}" ] && args+=(--experiment "$XP_EXPERIMENT")
	[ -n "${XP_DECISION:-}" ] && args+=(--decision "$XP_DECISION")
	args+=("${extra[@]}" "$XP_BUNDLE")
	;;
verify)
	need public-key "$pub"; need bundle "${XP_BUNDLE:-}"
	args=(verify --key "$pub" "${extra[@]}" "$XP_BUNDLE")
	;;
push)
	need bundle "${XP_BUNDLE:-}"; need ref "${XP_REF:-}"
	args=(push "${extra[@]}" "$XP_BUNDLE" "$XP_REF")
	;;
approve)
	need key "$key"; need "ref' or 'bundle" "${XP_REF:-${XP_BUNDLE:-}}"
	args=(approve --key "$key")
	[ -n "${XP_IDENTITY:-}" ] && args+=(--identity "$XP_IDENTITY")
	[ -n "${XP_REASON:-}" ] && args+=(--reason "$XP_REASON")
	args+=("${extra[@]}" "${XP_REF:-$XP_BUNDLE}")
	;;
promote)
	need ref "${XP_REF:-}"; need tag "${XP_TAG:-}"
	args=(promote)
	[ -n "$pub" ] && args+=(--key "$pub")
	[ -n "${XP_APPROVERS:-}" ] && args+=(--approvers "$XP_APPROVERS")
	[ -n "$key" ] && args+=(--sign-key "$key")
	args+=(--to "$XP_TAG" "${extra[@]}" "$XP_REF")
	;;
*)
	args=("${cmdv[@]}" "${extra[@]}")
	;;
esac

out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
echo "+ xpship ${args[*]}"
# stdout and stderr go to the log as they come and are kept for the outputs:
# xpship's stderr through the inner pipe, its stdout through fd 3. With
# pipefail the group's status, PIPESTATUS[0], is xpship's own.
{ xpship "${args[@]}" 2>&1 1>&3 3>&- | tee "$err" 1>&2 3>&-; } 3>&1 | tee "$out"
rc=${PIPESTATUS[0]}

if [ ${#sarif[@]} -gt 0 ]; then
	xpship "${sarif[@]}" >"$XP_SARIF" 2>>"$err"
	src=$?
	if [ "$src" -gt 1 ]; then
		annotate_error "cannot write the SARIF report '$XP_SARIF' (xpship exit $src)"
		[ "$rc" -ne 0 ] || rc=$src
	fi
fi

# A failure xpship did not annotate itself (errors without a file position)
# becomes one annotation with its last error line.
if [ "$rc" -ne 0 ] && ! grep -q '^::error' "$out"; then
	msg=$(grep -E '(^xpship|: error): ' "$err" | tail -n 1)
	msg=${msg#xpship: error: }
	annotate_error "${msg:-xpship $cmd failed} (exit $rc)"
fi

# The last manifest digest and HOST/REPO@digest reference on stdout.
digest=$(grep -v '^::' "$out" | grep -oE 'sha256:[0-9a-f]{64}' | tail -n 1)
ref=$(grep -v '^::' "$out" | grep -oE '[^[:space:]]+@sha256:[0-9a-f]{64}' | tail -n 1)
summary() { [ -z "${GITHUB_STEP_SUMMARY:-}" ] || printf '%s\n' "$@" >>"$GITHUB_STEP_SUMMARY"; }
case "$cmd" in
gate)
	# gate sets verdict (and failed) itself under GitHub Actions; this covers
	# an older xpship that does not.
	if ! grep -q '^verdict=' "$GITHUB_OUTPUT"; then
		case $rc in
		0) echo "verdict=pass" >>"$GITHUB_OUTPUT" ;;
		1) echo "verdict=fail" >>"$GITHUB_OUTPUT" ;;
		esac
	fi
	;;
pack)
	if [ "$rc" -eq 0 ] && [ -n "$digest" ]; then
		echo "digest=$digest" >>"$GITHUB_OUTPUT"
		summary "**xpship pack**: \`$XP_BUNDLE\` tag \`$XP_TAG\` = \`$digest\`" ""
	fi
	;;
verify)
	[ "$rc" -eq 0 ] && summary "**xpship verify**: \`$XP_BUNDLE\` verified" ""
	;;
push | promote)
	if [ "$rc" -eq 0 ] && [ -n "$digest" ]; then
		echo "digest=$digest" >>"$GITHUB_OUTPUT"
		[ -n "$ref" ] && echo "ref=$ref" >>"$GITHUB_OUTPUT"
		if [ "$cmd" = push ]; then
			summary "**xpship push**: \`${ref:-$XP_REF}\`" ""
		else
			summary "**xpship promote**: \`$XP_TAG\` → \`${ref:-$digest}\`" ""
		fi
	fi
	;;
esac
exit "$rc"
