#!/usr/bin/python3
"""check_action_use.py ACTION_YML WORKFLOW... — what actionlint checks for a
local action when it can read it: every step that uses the action (`uses: ./`
or `uses: <owner>/xpship@<ref>`) passes only declared inputs, all required
inputs, and later references only declared outputs (steps.<id>.outputs.<name>).
Also checks the action itself: composite, every run step has a shell, every
output has a value, and no run script splices a ${{ }} expression.
Prints file: message per problem; exits 1 when there is any."""
import re
import sys

import yaml


def main():
    problems = []
    with open(sys.argv[1]) as f:
        action = yaml.safe_load(f)
    inputs = action.get("inputs", {})
    outputs = action.get("outputs", {})
    runs = action.get("runs", {})
    if runs.get("using") != "composite":
        problems.append(f"{sys.argv[1]}: runs.using is not composite")
    for i, step in enumerate(runs.get("steps", [])):
        if "run" in step:
            if "shell" not in step:
                problems.append(f"{sys.argv[1]}: step {i} has no shell")
            if "${{" in step["run"]:
                problems.append(f"{sys.argv[1]}: step {i} splices an expression into its script")
    for name, o in outputs.items():
        if "value" not in o:
            problems.append(f"{sys.argv[1]}: output '{name}' has no value")
    for wf in sys.argv[2:]:
        with open(wf) as f:
            doc = yaml.safe_load(f)
        for job_id, job in (doc.get("jobs") or {}).items():
            ids = {}
            for step in job.get("steps", []):
                uses = step.get("uses", "")
                if not (uses == "./" or re.fullmatch(r"[\w.-]+/xpship@[\w.-]+", uses)):
                    continue
                given = step.get("with") or {}
                for k in given:
                    if k not in inputs:
                        problems.append(f"{wf}: job {job_id}: unknown input '{k}' for {uses}")
                for k, spec in inputs.items():
                    if spec.get("required") and k not in given:
                        problems.append(f"{wf}: job {job_id}: missing required input '{k}'")
                if "id" in step:
                    ids[step["id"]] = True
            text = yaml.safe_dump(job)
            for sid, name in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", text):
                if sid in ids and name not in outputs:
                    problems.append(f"{wf}: job {job_id}: output '{name}' of step '{sid}' is not declared")
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
