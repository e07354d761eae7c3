# tests/helpers/action.sh — sourced by the action tests (09x, 9xx) after
# lib.sh: a copy of the composite action with the binary under test as its
# cached build, and `act` to run it through tests/helpers/run_action.py in a
# simulated GitHub Actions job.
#
#   action_setup                 # $T/action: the action and the sources, build/xpship
#   act command=gate policy=gate.yaml ...   # runs it; like `run`, captures
#                                # stdout/stderr/exit; the summary goes to
#                                # $T/summary.md (appended, as the runner does)
#   action_output NAME           # an output of the last act

action_setup() {
	local root
	root=$(cd "$TESTS_DIR/.." && pwd)
	mkdir -p "$T/action/.github" "$T/action/build"
	cp "$root/action.yml" "$root/Makefile" "$T/action/"
	cp -r "$root/.github/action" "$T/action/.github/"
	for d in cmd common pipeline packager; do
		[ ! -d "$root/$d" ] || cp -r "$root/$d" "$T/action/"
	done
	ln -sf "$XPSHIP" "$T/action/build/xpship"
	mkdir -p "$T/runner-temp"
	: >"$T/summary.md"
	# nothing named xpship on the job's PATH before the action installs it
	if command -v xpship >/dev/null 2>&1; then
		fail "xpship is already on PATH: $(command -v xpship)"
	fi
}

act() {
	local json
	json=$(python3 -c 'import json,sys; print(json.dumps(dict(a.split("=",1) for a in sys.argv[1:])))' "$@")
	LAST_CMD="act $*"
	GITHUB_STEP_SUMMARY="$T/summary.md" RUNNER_TEMP="$T/runner-temp" \
		python3 "$TESTS_DIR/helpers/run_action.py" "$T/action" "$json" >"$T/.out" 2>"$T/.err"
	echo $? >"$T/.rc"
}

action_output() {
	tail -n 1 "$T/.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["outputs"][sys.argv[1]])' "$1"
}

# workflow_run KEY=VALUE...: runs a workflow through tests/helpers/run_workflow.py
# with the action of action_setup; like `run`, captures stdout/stderr/exit.
# Keys: workflow, repo, work, event, ref, sha, actor; secrets.NAME=, env.NAME=,
# vars.NAME=, inputs.NAME= go into those maps.
workflow_run() {
	python3 - "$T/action" "$@" >"$T/workflow.json" <<'PY' || fail "workflow config"
import json, sys
cfg = {"action_dir": sys.argv[1]}
for a in sys.argv[2:]:
    k, v = a.split("=", 1)
    if "." in k:
        m, n = k.split(".", 1)
        cfg.setdefault(m, {})[n] = v
    else:
        cfg[k] = v
print(json.dumps(cfg))
PY
	LAST_CMD="workflow_run $*"
	python3 "$TESTS_DIR/helpers/run_workflow.py" "$T/workflow.json" >"$T/.out" 2>"$T/.err"
	echo $? >"$T/.rc"
}

# job_result JOB / job_output JOB NAME: from the last workflow_run
job_result() {
	tail -n 1 "$T/.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][sys.argv[1]]["result"])' "$1"
}
job_output() {
	tail -n 1 "$T/.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][sys.argv[1]]["outputs"].get(sys.argv[2], ""))' "$1" "$2"
}
