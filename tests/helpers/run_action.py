#!/usr/bin/python3
"""run_action.py ACTION_DIR INPUTS_JSON — run a composite action's steps the way
the GitHub Actions runner does, for tests (no runner exists here).

For each step: `uses:` steps are reported and skipped (caches are an
optimisation); `run:` steps get their `env:` and `working-directory:` with
${{ ... }} expressions evaluated (inputs, github.action_path, github.action_ref,
github.sha, runner.os/arch, steps.<id>.outputs.<name>, `a || b`), run as
`bash --noprofile --norc -eo pipefail` with GITHUB_ACTION_PATH, a fresh
GITHUB_OUTPUT per step, the caller's GITHUB_STEP_SUMMARY, and GITHUB_PATH whose
lines are prepended to PATH for later steps. A `run:` script that contains a
${{ }} expression fails the run (inputs must go through env:, never be spliced
into a script). Prints {"outputs": {...}, "exit": N} as JSON on the last line;
the process exits with the failing step's exit code.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def main():
    action_dir, inputs = sys.argv[1], json.loads(sys.argv[2])
    with open(os.path.join(action_dir, "action.yml")) as f:
        action = yaml.safe_load(f)
    assert action["runs"]["using"] == "composite", "not a composite action"
    declared = action.get("inputs", {})
    for name in inputs:
        if name not in declared:
            sys.exit(f"run_action: undeclared input '{name}'")
    values = {k: str(v.get("default", "")) for k, v in declared.items()}
    values.update({k: str(v) for k, v in inputs.items()})
    for k, v in declared.items():
        if v.get("required") and not values.get(k):
            sys.exit(f"run_action: required input '{k}' missing")
    steps_out = {}
    ctx = {
        "github.action_path": action_dir,
        "github.action_ref": "",
        "github.sha": "0" * 40,
        "runner.os": "Linux",
        "runner.arch": "X64",
    }

    def lookup(name):
        name = name.strip()
        if name.startswith("inputs."):
            return values.get(name[7:], "")
        m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", name)
        if m:
            return steps_out.get(m.group(1), {}).get(m.group(2), "")
        if name in ctx:
            return ctx[name]
        sys.exit(f"run_action: unsupported expression '{name}'")

    def evaluate(expr):
        for alt in expr.split("||"):
            v = lookup(alt)
            if v:
                return v
        return ""

    def render(text):
        return EXPR.sub(lambda m: evaluate(m.group(1)), str(text))

    path_extra = []
    env_base = dict(os.environ)
    env_base["GITHUB_ACTIONS"] = "true"
    env_base["GITHUB_ACTION_PATH"] = action_dir
    summary = env_base.get("GITHUB_STEP_SUMMARY")
    gh_path = tempfile.NamedTemporaryFile(delete=False, prefix="gh-path-")
    gh_path.close()
    env_base["GITHUB_PATH"] = gh_path.name
    code = 0
    for i, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {i}")
        if "uses" in step:
            print(f"run_action: skip '{name}' (uses {step['uses']})", flush=True)
            continue
        script = step["run"]
        if EXPR.search(script):
            sys.exit(f"run_action: step '{name}' splices an expression into its script")
        if "shell" not in step:
            sys.exit(f"run_action: step '{name}' has no shell")
        env = dict(env_base)
        env.update({k: render(v) for k, v in (step.get("env") or {}).items()})
        out = tempfile.NamedTemporaryFile(delete=False, prefix="gh-output-")
        out.close()
        env["GITHUB_OUTPUT"] = out.name
        if summary:
            env["GITHUB_STEP_SUMMARY"] = summary
        env["PATH"] = ":".join(path_extra + [env_base["PATH"]])
        cwd = render(step.get("working-directory", "."))
        print(f"run_action: run '{name}'", flush=True)
        code = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                               env=env, cwd=cwd)
        parsed = parse_outputs(out.name)
        os.unlink(out.name)
        if "id" in step:
            steps_out[step["id"]] = parsed
        with open(gh_path.name) as f:
            for line in f.read().splitlines():
                if line and line not in path_extra:
                    path_extra.insert(0, line)
        open(gh_path.name, "w").close()
        if code != 0:
            print(f"run_action: step '{name}' failed with exit {code}", flush=True)
            break
    os.unlink(gh_path.name)
    outputs = {k: render(v["value"]) for k, v in action.get("outputs", {}).items()}
    print(json.dumps({"outputs": outputs, "exit": code}, sort_keys=True))
    sys.exit(code)


def parse_outputs(path):
    """name=value lines and name<<DELIM multi-line blocks, as the runner reads them."""
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
                sys.exit(f"run_action: unterminated multi-line output '{m.group(1)}'")
            i += 1
            res[m.group(1)] = "\n".join(body)
        elif "=" in line:
            k, v = line.split("=", 1)
            res[k] = v
        else:
            sys.exit(f"run_action: malformed output line '{line}'")
    return res


if __name__ == "__main__":
    main()
