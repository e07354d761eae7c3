#!/usr/bin/python3
"""run_workflow.py CONFIG_JSON — run a GitHub Actions workflow's jobs the way
the runner would, for tests (no runner exists here).

CONFIG_JSON names:
  workflow     the workflow file
  repo         a directory with the repository's files: each job starts from
               a fresh copy of it (actions/checkout), as on a fresh runner
  work         a scratch directory (job workspaces, artifacts, outputs)
  action_dir   the xpship action: `uses: ./` and `uses: <owner>/xpship@<ref>`
               run it with run_action.py
  event        push | pull_request | workflow_dispatch (default push)
  ref          github.ref (default refs/heads/main)
  sha, actor   github.sha, github.actor
  secrets      {"NAME": "value"}        vars: {"NAME": "value"}
  inputs       workflow_dispatch inputs
  env          extra environment for every step (e.g. XPSHIP_REGISTRY_PLAIN_HTTP)

Jobs run in `needs` order; `if:` conditions are evaluated (==, !=, &&, ||, !,
parentheses, always(), success(), failure(), cancelled(), hashFiles(),
format(), contains(), startsWith(); contexts github, env, inputs, needs,
steps, secrets, vars, runner); a job whose needs did not all succeed is
skipped unless its `if:` says always(). `environment:` is recorded as an
approval. Steps: `run:` in `bash -eo pipefail` (a ${{ }} in a script is
evaluated, as the runner does: the lint tests forbid untrusted ones);
actions/checkout, actions/upload-artifact, actions/download-artifact and
github/codeql-action/upload-sarif are simulated (the SARIF must be a SARIF
2.1.0 JSON file); the xpship action runs for real; any other `uses:` fails the
run. Each job gets its own RUNNER_TEMP, HOME-like DOCKER_CONFIG, GITHUB_PATH
and GITHUB_ENV handling, and its step summary in WORK/summary-<job>.md.

Prints one "WF <event>" line per job and step, then a JSON line
{"jobs": {"<job>": {"result": "success|failure|skipped", "outputs": {...}}}}.
Exits 0 when no job failed, 1 otherwise.
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_action import ActionError, parse_kv_file, run_action  # noqa: E402

import yaml  # noqa: E402

EXPR = re.compile(r"\$\{\{\s*((?:(?!\}\}).)*?)\s*\}\}", re.S)
TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>'(?:[^']|'')*')|"
                   r"(?P<op>==|!=|&&|\|\||[!()\[\],.])|(?P<id>[A-Za-z_][\w-]*))")


class WorkflowError(Exception):
    pass


def truthy(v):
    return not (v is None or v is False or v == "" or v == 0)


def text(v):
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


class Expr:
    """A small evaluator for GitHub Actions expressions."""

    def __init__(self, src, ctx, funcs):
        self.toks = []
        pos = 0
        src = src.strip()
        while pos < len(src):
            m = TOKEN.match(src, pos)
            if not m or m.end() == pos:
                raise WorkflowError(f"cannot parse expression: {src}")
            pos = m.end()
            kind = m.lastgroup
            self.toks.append((kind, m.group(kind)))
        self.i = 0
        self.ctx = ctx
        self.funcs = funcs
        self.src = src

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self, want=None):
        tok = self.peek()
        if want is not None and tok[1] != want:
            raise WorkflowError(f"expected '{want}' in: {self.src}")
        self.i += 1
        return tok

    def run(self):
        v = self.or_()
        if self.i != len(self.toks):
            raise WorkflowError(f"trailing tokens in: {self.src}")
        return v

    def or_(self):
        v = self.and_()
        while self.peek()[1] == "||":
            self.take()
            r = self.and_()
            v = v if truthy(v) else r
        return v

    def and_(self):
        v = self.cmp()
        while self.peek()[1] == "&&":
            self.take()
            r = self.cmp()
            v = r if truthy(v) else v
        return v

    def cmp(self):
        v = self.unary()
        while self.peek()[1] in ("==", "!="):
            op = self.take()[1]
            r = self.unary()
            same = text(v).lower() == text(r).lower() if isinstance(v, str) or isinstance(r, str) \
                else v == r
            v = same if op == "==" else not same
        return v

    def unary(self):
        if self.peek()[1] == "!":
            self.take()
            return not truthy(self.unary())
        return self.primary()

    def primary(self):
        kind, val = self.take()
        if kind == "num":
            return float(val)
        if kind == "str":
            return val[1:-1].replace("''", "'")
        if val == "(":
            v = self.or_()
            self.take(")")
            return v
        if kind != "id":
            raise WorkflowError(f"unexpected '{val}' in: {self.src}")
        if val in ("true", "false"):
            return val == "true"
        if val == "null":
            return None
        if self.peek()[1] == "(":
            self.take()
            args = []
            while self.peek()[1] != ")":
                args.append(self.or_())
                if self.peek()[1] == ",":
                    self.take()
            self.take(")")
            if val not in self.funcs:
                raise WorkflowError(f"unsupported function {val}()")
            return self.funcs[val](*args)
        if val not in self.ctx:
            raise WorkflowError(f"unknown context '{val}' in: {self.src}")
        v = self.ctx[val]
        while self.peek()[1] == ".":
            self.take()
            key = self.take()[1]
            v = v.get(key) if isinstance(v, dict) else None
        return v


class Runner:
    def __init__(self, cfg):
        self.cfg = cfg
        with open(cfg["workflow"]) as f:
            self.wf = yaml.safe_load(f)
        self.work = os.path.abspath(cfg["work"])
        self.action_dir = os.path.abspath(cfg["action_dir"])
        self.artifacts = os.path.join(self.work, "artifacts")
        os.makedirs(self.artifacts, exist_ok=True)
        self.results = {}
        event = cfg.get("event", "push")
        self.github = {
            "event_name": event,
            "ref": cfg.get("ref", "refs/heads/main"),
            "sha": cfg.get("sha", "0123456789abcdef0123456789abcdef01234567"),
            "actor": cfg.get("actor", "octocat"),
            "repository": "acme/churn",
            "server_url": "https://github.com",
            "run_id": "1",
            "workspace": "",
        }
        self.github["ref_name"] = self.github["ref"].rsplit("/", 1)[-1]
        on = self.wf.get("on", self.wf.get(True))  # PyYAML reads `on` as True
        if event not in (on or {}):
            raise WorkflowError(f"the workflow does not run on {event}")

    def log(self, msg):
        print(f"WF {msg}", flush=True)

    def render(self, value, ctx, funcs):
        if not isinstance(value, str):
            return value
        m = EXPR.fullmatch(value.strip())
        if m and value.strip() == value:
            return Expr(m.group(1), ctx, funcs).run()
        return EXPR.sub(lambda mm: text(Expr(mm.group(1), ctx, funcs).run()), value)

    def condition(self, cond, ctx, funcs):
        if cond is None:
            return truthy(funcs["success"]())
        if isinstance(cond, bool):
            return cond
        cond = cond.strip()
        m = EXPR.fullmatch(cond)
        src = m.group(1) if m else cond
        if not re.search(r"\b(always|success|failure|cancelled)\(\)", src):
            src = f"success() && ({src})"
        return truthy(Expr(src, ctx, funcs).run())

    def order(self):
        jobs = self.wf["jobs"]
        done, order = set(), []
        while len(order) < len(jobs):
            progressed = False
            for name, job in jobs.items():
                needs = job.get("needs", [])
                needs = [needs] if isinstance(needs, str) else needs
                if name not in done and all(n in done for n in needs):
                    order.append(name)
                    done.add(name)
                    progressed = True
            if not progressed:
                raise WorkflowError("cyclic needs")
        return order

    def run(self):
        for name in self.order():
            self.run_job(name, self.wf["jobs"][name])
        print(json.dumps({"jobs": self.results}, sort_keys=True), flush=True)
        return 1 if any(r["result"] == "failure" for r in self.results.values()) else 0

    def run_job(self, name, job):
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        needs_ctx = {n: self.results[n] for n in needs}
        env = {}
        ctx = {
            "github": self.github,
            "env": env,
            "inputs": self.cfg.get("inputs", {}),
            "needs": needs_ctx,
            "secrets": dict(self.cfg.get("secrets", {})),
            "vars": self.cfg.get("vars", {}),
            "runner": {"os": "Linux", "arch": "X64"},
            "steps": {},
        }
        ws = os.path.join(self.work, "jobs", name)
        state = {"failed": False}
        funcs = self.functions(state, ws, needs_ctx)
        env.update({k: text(self.render(v, ctx, funcs)) for k, v in (self.wf.get("env") or {}).items()})
        env.update({k: text(self.render(v, ctx, funcs)) for k, v in (job.get("env") or {}).items()})
        if not self.condition(job.get("if"), ctx, funcs):
            self.log(f"job {name} skipped")
            self.results[name] = {"result": "skipped", "outputs": {}}
            return
        if job.get("environment"):
            envname = job["environment"]
            envname = envname.get("name") if isinstance(envname, dict) else envname
            self.log(f"job {name} waits for approval of environment '{envname}': approved")
        self.log(f"job {name}")
        os.makedirs(ws)
        temp = os.path.join(self.work, "temp", name)
        os.makedirs(temp)
        summary = os.path.join(self.work, f"summary-{name}.md")
        open(summary, "w").close()
        self.github["workspace"] = ws
        job_env = dict(os.environ)
        job_env.update(self.cfg.get("env", {}))
        job_env.update({
            "GITHUB_ACTIONS": "true", "CI": "true", "RUNNER_TEMP": temp,
            "GITHUB_WORKSPACE": ws, "GITHUB_STEP_SUMMARY": summary,
            "GITHUB_SHA": self.github["sha"], "GITHUB_REF": self.github["ref"],
            "GITHUB_EVENT_NAME": self.github["event_name"],
            "GITHUB_ACTOR": self.github["actor"],
            "GITHUB_REPOSITORY": self.github["repository"],
            "GITHUB_SERVER_URL": self.github["server_url"],
            "GITHUB_RUN_ID": self.github["run_id"], "GITHUB_RUN_ATTEMPT": "1",
            "DOCKER_CONFIG": os.path.join(temp, "docker"),
        })
        for i, step in enumerate(job.get("steps", [])):
            sname = step.get("name") or step.get("uses") or f"step {i}"
            if not self.condition(step.get("if"), ctx, funcs):
                self.log(f"step {sname} skipped")
                continue
            step_env = dict(job_env)
            step_env.update(env)
            step_env.update({k: text(self.render(v, ctx, funcs)) for k, v in (step.get("env") or {}).items()})
            self.log(f"step {sname}")
            try:
                code, outputs = self.run_step(step, ctx, funcs, ws, step_env, job_env)
            except (ActionError, WorkflowError) as e:
                self.log(f"step {sname} error: {e}")
                code, outputs = 1, {}
            if "id" in step:
                ctx["steps"][step["id"]] = {"outputs": outputs,
                                            "outcome": "success" if code == 0 else "failure"}
            if code != 0:
                self.log(f"step {sname} failed with exit {code}")
                state["failed"] = True
        outputs = {k: text(self.render(v, ctx, funcs)) for k, v in (job.get("outputs") or {}).items()}
        result = "failure" if state["failed"] else "success"
        self.results[name] = {"result": result, "outputs": outputs}
        self.log(f"job {name} {result}")

    def functions(self, state, ws, needs_ctx):
        def hash_files(*patterns):
            import glob
            import hashlib
            h = hashlib.sha256()
            found = False
            for p in patterns:
                for f in sorted(glob.glob(os.path.join(ws, p), recursive=True)):
                    if os.path.isfile(f):
                        found = True
                        with open(f, "rb") as fh:
                            h.update(hashlib.sha256(fh.read()).digest())
            return h.hexdigest() if found else ""

        def fmt(f, *args):
            return re.sub(r"\{(\d+)\}", lambda m: text(args[int(m.group(1))]), f)

        return {
            "success": lambda: not state["failed"] and all(
                n["result"] == "success" for n in needs_ctx.values()),
            "failure": lambda: state["failed"] or any(
                n["result"] == "failure" for n in needs_ctx.values()),
            "always": lambda: True,
            "cancelled": lambda: False,
            "hashFiles": hash_files,
            "format": fmt,
            "contains": lambda a, b: text(b).lower() in text(a).lower(),
            "startsWith": lambda a, b: text(a).lower().startswith(text(b).lower()),
        }

    def run_step(self, step, ctx, funcs, ws, step_env, job_env):
        with_ = {k: text(self.render(v, ctx, funcs)) for k, v in (step.get("with") or {}).items()}
        uses = step.get("uses")
        if uses is None:
            script = self.render(step["run"], ctx, funcs)
            files = {}
            for var in ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV"):
                files[var] = os.path.join(step_env["RUNNER_TEMP"], var.lower())
                open(files[var], "w").close()
            step_env.update(files)
            cwd = os.path.join(ws, step.get("working-directory", "."))
            code = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                                   env=step_env, cwd=cwd)
            outputs = parse_kv_file(files["GITHUB_OUTPUT"])
            with open(files["GITHUB_PATH"]) as f:
                for line in f.read().splitlines():
                    if line:
                        job_env["PATH"] = line + os.pathsep + job_env["PATH"]
            job_env.update(parse_kv_file(files["GITHUB_ENV"]))
            return code, outputs
        if uses.startswith("actions/checkout@"):
            shutil.copytree(self.cfg["repo"], ws, dirs_exist_ok=True, symlinks=True)
            return 0, {}
        if uses.startswith("actions/upload-artifact@"):
            # `path` is one file, or one per line (files only here)
            dst = os.path.join(self.artifacts, with_["name"])
            srcs = [os.path.join(ws, p.strip()) for p in with_["path"].splitlines() if p.strip()]
            srcs = [p for p in srcs if os.path.exists(p)]
            if not srcs:
                if with_.get("if-no-files-found", "warn") == "error":
                    return 1, {}
                self.log(f"artifact {with_['name']}: no files")
                return 0, {}
            os.makedirs(dst, exist_ok=True)
            for src in srcs:
                shutil.copy2(src, dst)
            return 0, {}
        if uses.startswith("actions/download-artifact@"):
            src = os.path.join(self.artifacts, with_["name"])
            if not os.path.isdir(src):
                self.log(f"artifact {with_['name']} not found")
                return 1, {}
            shutil.copytree(src, os.path.join(ws, with_.get("path", ".")), dirs_exist_ok=True)
            return 0, {}
        if uses.startswith("github/codeql-action/upload-sarif@"):
            with open(os.path.join(ws, with_["sarif_file"])) as f:
                sarif = json.load(f)
            if sarif.get("version") != "2.1.0" or not isinstance(sarif.get("runs"), list):
                self.log("upload-sarif: not a SARIF 2.1.0 log")
                return 1, {}
            self.log(f"upload-sarif {with_['sarif_file']}: {sum(len(r.get('results', [])) for r in sarif['runs'])} results")
            return 0, {}
        if uses == "./" or re.fullmatch(r"[\w.-]+/xpship@[\w.-]+", uses):
            before = dict(step_env)
            prev = os.getcwd()
            os.chdir(ws)
            try:
                code, outputs = run_action(self.action_dir, with_, step_env,
                                           ctx={"github.sha": self.github["sha"]},
                                           log=lambda m: print(m, flush=True))
            finally:
                os.chdir(prev)
            # GITHUB_PATH and GITHUB_ENV written inside the action last for the job
            for k, v in step_env.items():
                if before.get(k) != v:
                    job_env[k] = v
            return code, outputs
        raise WorkflowError(f"no simulation for 'uses: {uses}'")


def main():
    with open(sys.argv[1]) as f:
        cfg = json.load(f)
    try:
        sys.exit(Runner(cfg).run())
    except WorkflowError as e:
        sys.exit(f"run_workflow: {e}")


if __name__ == "__main__":
    main()
