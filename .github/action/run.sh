#!/usr/bin/env bash
# .github/action/run.sh — the composite action's one step: builds xpship's
# argument list from the typed inputs (XP_* variables; never evaluated by a
# shell), runs the command and sets the step outputs `verdict`, `digest`, `ref`.
# The exit code is xpship's own.
set -uo pipefail
: "${GITHUB_OUTPUT:?not running as a GitHub action}"
cmd=${XP_COMMAND:?the input 'command' is required}
args=()
extra=()
read -r -a extra <<<"${XP_ARGS:-}"
read -r -a paths <<<"${XP_PATHS:-}"

# Keys given as PEM text reach xpship through env:// references, never argv.
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
for s in "${XPSHIP_REGISTRY_PASSWORD:-}" "${XPSHIP_KEY_PASSWORD:-}"; do
	[ -n "$s" ] && echo "::add-mask::$s"
done

need() { # INPUT VALUE
	if [ -z "$2" ]; then
		echo "::error title=xpship::the input '$1' is required for '$cmd'"
		exit 2
	fi
}

case "$cmd" in
validate)
	need experiment "${XP_EXPERIMENT:-}"
	args=(validate "${extra[@]}" "$XP_EXPERIMENT")
	;;
gate)
	need policy "${XP_POLICY:-}"
	args=(gate --policy "$XP_POLICY")
	if [ -n "${XP_METRICS:-}" ]; then args+=(--metrics "$XP_METRICS")
	else need experiment "${XP_EXPERIMENT:-}"; args+=(--experiment "$XP_EXPERIMENT"); fi
	[ -n "${XP_BASELINE:-}" ] && args+=(--baseline "$XP_BASELINE")
	[ -n "${XP_DECISION:-}" ] && args+=(--decision "$XP_DECISION")
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
promote)
	need ref "${XP_REF:-}"; need tag "${XP_TAG:-}"
	args=(promote)
	[ -n "$pub" ] && args+=(--verify-key "$pub")
	args+=("${extra[@]}" "$XP_REF" --to "$XP_TAG")
	;;
*)
	args=("$cmd" "${extra[@]}")
	;;
esac

out=$(mktemp)
trap 'rm -f "$out"' EXIT
xpship "${args[@]}" >"$out"
rc=$?
cat "$out"

# Outputs: gate writes verdict itself; digests and references come from stdout.
last=$(grep -E 'sha256:[0-9a-f]{64}' "$out" | tail -n 1 || true)
digest=$(grep -oE 'sha256:[0-9a-f]{64}' <<<"$last" | tail -n 1 || true)
case "$cmd" in
pack)
	[ -n "$digest" ] && echo "digest=$digest" >>"$GITHUB_OUTPUT"
	;;
push|promote)
	if [ -n "$digest" ]; then
		echo "digest=$digest" >>"$GITHUB_OUTPUT"
		ref=$(grep -oE '[^[:space:]]+@sha256:[0-9a-f]{64}' <<<"$last" | tail -n 1 || true)
		[ -n "$ref" ] && echo "ref=$ref" >>"$GITHUB_OUTPUT"
		[ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -n "$ref" ] &&
			printf '### xpship %s\n\n`%s`\n' "$cmd" "$ref" >>"$GITHUB_STEP_SUMMARY"
	fi
	;;
esac
exit $rc
