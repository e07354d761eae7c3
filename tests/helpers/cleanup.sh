# tests/helpers/cleanup.sh — one EXIT trap shared by the helpers that start processes.
#
#   . "$TESTS_DIR/helpers/cleanup.sh"
#   xp_on_exit FUNCTION      # FUNCTION runs when the test exits (also on failure,
#                            # INT, TERM); each name is registered once
#
# registry.sh (reg_stop_all) and fault_proxy.sh (fp_stop_all) register through it,
# so a test may source both and neither replaces the other's trap. Functions run
# in the order registered. A test that sets its own `trap ... EXIT` replaces this
# one and must call the stop functions itself.
# XP_PYTHON is the interpreter the Python helpers run under: /usr/bin/python3 (the
# Debian package the Makefile installs) when present, else python3 from PATH.

_XP_CLEANUPS=${_XP_CLEANUPS:-}
if [ -z "${XP_PYTHON:-}" ]; then
	if [ -x /usr/bin/python3 ]; then XP_PYTHON=/usr/bin/python3; else XP_PYTHON=python3; fi
fi

_xp_run_cleanups() {
	local f
	for f in $_XP_CLEANUPS; do
		"$f" || true
	done
}

xp_on_exit() {
	case " $_XP_CLEANUPS " in *" $1 "*) return 0 ;; esac
	_XP_CLEANUPS="$_XP_CLEANUPS $1"
	trap '_xp_run_cleanups' EXIT
	trap '_xp_run_cleanups; exit 130' INT TERM
}

# xp_stop_pids PID...: SIGTERM each, wait up to 5 s, then SIGKILL (and reap).
xp_stop_pids() {
	local pid i
	for pid in "$@"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "$@"; do
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

# xp_wait_file FILE [TENTHS] PID: wait until FILE is non-empty (default 10 s) while
# PID lives; fails otherwise.
xp_wait_file() {
	local file=$1 tenths=${2:-100} pid=$3 i=0
	while [ ! -s "$file" ]; do
		kill -0 "$pid" 2>/dev/null || return 1
		[ $i -ge "$tenths" ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}
