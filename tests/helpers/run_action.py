#!/usr/bin/python3
"""run_action.py ACTION_DIR INPUTS_JSON — run a composite action's steps the way
the GitHub Actions runner does, for tests (no runner exists here).

For each step: `uses:` steps are reported and skipped (the only one is the
build cache, an optimisation); `run:` steps get their `env:` and
`working-directory:` with ${{ ... }} expressions evaluated (inputs.*,
github.action_path, github.action_ref, github.sha, runner.os/arch/temp,
steps.<id>.outputs.<name>, `a || b`), and run as the runner runs
`shell: bash`: `bash --noprofile --norc -eo pipefail` with GITHUB_ACTIONS=true,
GITHUB_ACTION_PATH, RUNNER_TEMP, a fresh GITHUB_OUTPUT file per step, the
caller's GITHUB_STEP_SUMMARY, and GITHUB_PATH / GITHUB_ENV files whose lines
apply to later steps (PATH prepended; name=value or name<<DELIM blocks).
A `run:` script that contains a ${{ }} expression, or a `run:` step without
`shell:`, fails the run (inputs must go through env:, never be spliced into a
script). Steps run in the current directory (the job's workspace).

Prints {"outputs": {...}, "exit": N} as JSON on the last line; the process
exits with the failing step's exit code. Also importable: run_action().
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class ActionError(Exception):
    pass


def parse_kv_file(path):
    """name=value lines and name<<DELIM multi-line blocks, as the runner reads
    GITHUB_OUTPUT and GITHUB_ENV."""
    res = {}
    with open(path) as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        m = re.match(r"^([\w-]+)<<(.+)$", line)
        if m:
            body = []
            while i < len(lines) and lines[i] != m.group(2):
                body.append(lines[i])
                i += 1
            if i >= len(lines):
                raise ActionError(f"unterminated multi-line value '{m.group(1)}' in {path}")
            i += 1
            res[m.group(1)] = "\n".join(body)
        elif "=" in line:
            k, v = line.split("=", 1)
            res[k] = v
        else:
            raise ActionError(f"malformed line '{line}' in {path}")
    return res


def run_action(action_dir, inputs, env, ctx=None, log=print):
    """Runs the composite action in action_dir with the given inputs (a dict of
    strings) in the current directory. env: the job's environment (PATH
    additions and GITHUB_ENV values are applied to it in place, as the runner
    does for the rest of the job). ctx: extra expression values
    (github.sha, ...). Returns (exit code, outputs dict)."""
    with open(os.path.join(action_dir, "action.yml")) as f:
        action = yaml.safe_load(f)
    if action["runs"]["using"] != "composite":
        raise ActionError("not a composite action")
    declared = action.get("inputs", {})
    for name in inputs:
        if name not in declared:
            raise ActionError(f"undeclared input '{name}'")
    values = {k: str(v.get("default", "")) for k, v in declared.items()}
    values.update({k: str(v) for k, v in inputs.items()})
    for k, v in declared.items():
        if v.get("required") and not values.get(k):
            raise ActionError(f"required input '{k}' missing")
    steps_out = {}
    temp = env.get("RUNNER_TEMP") or tempfile.gettempdir()
    context = {
        "github.action_path": action_dir,
        "github.action_ref": "",
        "github.sha": "0" * 40,
        "runner.os": "Linux",
        "runner.arch": "X64",
        "runner.temp": temp,
    }
    context.update(ctx or {})

    def lookup(name):
        name = name.strip()
        if name.startswith("inputs."):
            return values.get(name[7:], "")
        m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", name)
        if m:
            return steps_out.get(m.group(1), {}).get(m.group(2), "")
        if name in context:
            return context[name]
        raise ActionError(f"unsupported expression '{name}'")

    def evaluate(expr):
        for alt in expr.split("||"):
            v = lookup(alt)
            if v:
                return v
        return ""

    def render(text):
        return EXPR.sub(lambda m: evaluate(m.group(1)), str(text))

    code = 0
    for i, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {i}")
        if "uses" in step:
            log(f"run_action: skip '{name}' (uses {step['uses']})")
            continue
        script = step["run"]
        if EXPR.search(script):
            raise ActionError(f"step '{name}' splices an expression into its script")
        if step.get("shell") != "bash":
            raise ActionError(f"step '{name}' has no 'shell: bash'")
        files = {}
        for var in ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV"):
            fd, files[var] = tempfile.mkstemp(prefix=var.lower() + "-", dir=temp)
            os.close(fd)
        step_env = dict(env)
        step_env.update({
            "GITHUB_ACTIONS": "true",
            "CI": "true",
            "GITHUB_ACTION_PATH": action_dir,
            "RUNNER_TEMP": temp,
        })
        step_env.update(files)
        step_env.update({k: render(v) for k, v in (step.get("env") or {}).items()})
        cwd = render(step.get("working-directory", "."))
        log(f"run_action: run '{name}'")
        sys.stdout.flush()
        code = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                               env=step_env, cwd=cwd)
        try:
            parsed = parse_kv_file(files["GITHUB_OUTPUT"])
            with open(files["GITHUB_PATH"]) as f:
                for line in f.read().splitlines():
                    if line:
                        env["PATH"] = line + os.pathsep + env.get("PATH", "")
            env.update(parse_kv_file(files["GITHUB_ENV"]))
        finally:
            for p in files.values():
                os.unlink(p)
        if "id" in step:
            steps_out[step["id"]] = parsed
        if code != 0:
            log(f"run_action: step '{name}' failed with exit {code}")
            break
    outputs = {k: render(v["value"]) for k, v in action.get("outputs", {}).items()}
    return code, outputs


def main():
    env = dict(os.environ)
    try:
        code, outputs = run_action(os.path.abspath(sys.argv[1]), json.loads(sys.argv[2]), env,
                                   log=lambda m: print(m, flush=True))
    except ActionError as e:
        sys.exit(f"run_action: {e}")
    print(json.dumps({"outputs": outputs, "exit": code}, sort_keys=True))
    sys.exit(code)


if __name__ == "__main__":
    main()
