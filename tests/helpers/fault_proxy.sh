# tests/helpers/fault_proxy.sh — a fault-injecting proxy in front of a test registry.
#
#   . "$TESTS_DIR/helpers/registry.sh"; . "$TESTS_DIR/helpers/fault_proxy.sh"
#   reg_start token tok
#   fp_start "$REG_ADDR" [PLAN] [NAME]
#   fp_plan '{"rules":[{"method":"PUT","path":"/blobs/uploads/","action":"drop","after_bytes":4096}]}'
#   xp push --plain-http bundle "$FP_ADDR/team/model:v1"   # the client talks to FP_ADDR
#   fp_count PUT '/blobs/uploads/' -              # -> 1 (the dropped PUT)
#
# fp_start starts tests/helpers/fault_proxy.py (its header documents the plan
# format, the actions, the request log and the control endpoint) on a free
# 127.0.0.1 port, forwarding to UPSTREAM_ADDR (HOST:PORT, plain HTTP), and registers
# the shared EXIT trap (tests/helpers/cleanup.sh) that stops it by PID, also when
# the test fails. PLAN is a plan file the proxy re-reads before every request (it
# stays the live plan: fp_plan rewrites it), or inline JSON, or nothing (no
# faults: a plain passthrough). NAME (default "fp") names its directory $T/NAME.
# Sets, for the last one started:
#   FP_ADDR   127.0.0.1:PORT (use it in place of the registry address)
#   FP_PID    its process id;  FP_PIDS lists every proxy started
#   FP_DIR    its directory (proxy.log holds its own errors)
#   FP_PLAN   the live plan file
#   FP_LOG    the request log, one line per proxied request, written before the
#             client sees the outcome: `METHOD TARGET STATUS ACTION AUTH`, e.g.
#             `PUT /v2/team/model/manifests/v1 201 pass bearer`, STATUS `-` when
#             nothing was answered (drop)
# Functions (they act on the last proxy started unless FP_ADDR/FP_PLAN/FP_LOG are
# set for the call):
#   fp_plan JSON | fp_plan <FILE   replace the plan (atomic rename; counters restart);
#                                  fails, printing the reason, if the proxy rejects it
#   fp_clear                       no faults from now on
#   fp_count METHOD TARGET_ERE [STATUS [ACTION]]   how many log lines match (METHOD
#                                  `*` = any; TARGET_ERE an awk regex on path+query)
#   fp_reset                       restart the counters and empty the request log
#   fp_stop_all                    stop every proxy started (the trap does it too)

_FP_HELPERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$_FP_HELPERS/cleanup.sh"

FP_PIDS=${FP_PIDS:-}

fp_stop_all() {
	# shellcheck disable=SC2086
	xp_stop_pids $FP_PIDS
	FP_PIDS=
}

fp_start() {
	local upstream=${1:?fp_start UPSTREAM_ADDR [PLAN] [NAME]} plan=${2:-} name=${3:-fp}
	local dir wrapper pid
	xp_on_exit fp_stop_all
	dir="${T:-$(mktemp -d)}/$name"
	rm -rf "$dir"
	mkdir -p "$dir"
	case "$plan" in
	'') echo '{"rules": []}' >"$dir/plan.json"; plan="$dir/plan.json" ;;
	'{'*|'['*) printf '%s\n' "$plan" >"$dir/plan.json"; plan="$dir/plan.json" ;;
	*) [ -f "$plan" ] || { echo "fp_start: no plan file '$plan'" >&2; return 1; } ;;
	esac
	"$XP_PYTHON" "$_FP_HELPERS/fault_proxy.py" --upstream "$upstream" --plan "$plan" \
		--log "$dir/requests.log" --port-file "$dir/port" --pid-file "$dir/pid" \
		--watch-pid $$ >"$dir/proxy.log" 2>&1 &
	wrapper=$!
	FP_PIDS="$FP_PIDS $wrapper"
	if ! xp_wait_file "$dir/port" 100 "$wrapper" || ! xp_wait_file "$dir/pid" 10 "$wrapper"; then
		echo "fault proxy did not start:" >&2
		tail -n 20 "$dir/proxy.log" >&2
		return 1
	fi
	pid=$(cat "$dir/pid")
	[ "$pid" = "$wrapper" ] || FP_PIDS="$FP_PIDS $pid"
	FP_ADDR="127.0.0.1:$(cat "$dir/port")"
	FP_PID=$pid
	FP_DIR=$dir
	FP_PLAN=$plan
	FP_LOG="$dir/requests.log"
	export FP_ADDR FP_PID FP_DIR FP_PLAN FP_LOG
}

fp_plan() {
	local tmp="$FP_PLAN.tmp.$$"
	if [ $# -gt 0 ]; then printf '%s\n' "$1" >"$tmp"; else cat >"$tmp"; fi
	mv -f "$tmp" "$FP_PLAN"
	if ! curl -s -f -o /dev/null "http://$FP_ADDR/_fault/plan"; then
		echo "fp_plan: the proxy rejected the plan: $(curl -s "http://$FP_ADDR/_fault/plan")" >&2
		return 1
	fi
}

fp_clear() { fp_plan '{"rules": []}'; }

fp_reset() { curl -s -f -X POST "http://$FP_ADDR/_fault/reset" >/dev/null; }

fp_count() {
	awk -v m="$1" -v re="$2" -v st="${3:-}" -v act="${4:-}" '
		(m == "*" || $1 == m) && $2 ~ re && (st == "" || $3 == st) &&
		(act == "" || $4 == act) { n++ }
		END { print n + 0 }' "$FP_LOG"
}
