#!/usr/bin/env python3
"""tests/helpers/fault_proxy.py: a fault-injecting HTTP/1.1 reverse proxy for registry tests.

Sits on 127.0.0.1 in front of one upstream (a plain-HTTP registry) and forwards
every request to it, except those a rule in the fault plan picks: those get
dropped, refused, answered 500/429/401, or stalled. Python standard library only;
one thread per client connection; bodies are streamed in both directions (64 KiB
at a time, never held whole); client keep-alive is kept; chunked bodies are relayed
with their framing; `Expect: 100-continue` is answered by the proxy itself (the
upstream never sees it). tests/helpers/fault_proxy.sh starts it (fp_start).

Usage
  fault_proxy.py --upstream HOST:PORT [--plan FILE] [--rule JSON]... [--log FILE]
                 [--port 0] [--port-file F] [--pid-file F] [--watch-pid PID]

Forwarding
  Each request goes to the upstream on a new connection with `Host: UPSTREAM` and
  `Connection: close`; hop-by-hop headers are dropped. A `Location` header that
  points at the upstream (http://UPSTREAM/...) is rewritten to the address the
  client used (its Host header), so upload sessions stay on the proxy; relative
  Locations pass unchanged. `WWW-Authenticate` and every other header pass through
  (the token realm still points at the issuer, not at the proxy). Upstream down:
  502. TLS upstreams are not supported.

Fault plan
  A JSON object {"rules": [RULE, ...]} (a bare list is accepted too). --rule adds
  rules given on the command line (they come first); --plan names a file that is
  re-read before every request, so a test rewrites it between commands (write a
  temporary file and rename it over; fp_plan does). When the plan's content changes,
  every rule's counters restart. While the file holds invalid JSON or an invalid
  rule, every proxied request is answered 502 with the reason (loud, never
  silently ignored).
  RULE fields:
    method   "PUT", "PUT|PATCH" or "*" (default: any)
    path     regular expression searched in the request path (default: any), e.g.
             "^/v2/.+/blobs/uploads/" or "/manifests/v1$"
    query    regular expression searched in the query string (default: any), e.g.
             "digest=" for the closing PUT of an upload
    nth      fire on the nth request (1-based) that matches method/path/query
             (default 1)
    times    how many consecutive matching requests it fires on, from the nth
             (default 1; 0 = every one from the nth on)
    response_headers {name: value}   on a forwarded request (every action that
             relays the registry's answer: pass, stall, drop with
             after_response_bytes): set these headers in the answer the client
             gets, replacing any the upstream sent under the same name (any
             case); a null value removes the header (Content-Length,
             Transfer-Encoding and Connection cannot be set). E.g. "OCI-Subject" on a
             manifest PUT, as an OCI 1.1 registry with the referrers API answers
             (the upstream still stores the manifest).
    action   one of:
      "pass"          forward normally (counts, logs)
      "drop"          close the client connection at once, nothing forwarded (the
                      client sees an empty reply or a reset)
        + "after_bytes": N   forward the request head and the first N bytes of its
                      body to the upstream, then close both connections (an upload
                      dropped mid-body; the upstream keeps what it received). If
                      the body is N bytes or shorter, the whole request reaches the
                      upstream, which answers, and the answer is discarded (a lost
                      response: the client cannot know it succeeded).
        + "after_response_bytes": N   forward the request, relay the response head
                      and the first N bytes of its body, then close (a download
                      dropped mid-body)
      "status"        answer "status" (e.g. 500, 503, 429, 200) without
                      forwarding; optional "retry_after" (seconds: a Retry-After
                      header), "headers" {name: value} (they replace the default
                      Content-Type `application/json; charset=utf-8` and any
                      other header of the same name), "body" (a string sent as
                      is, or a JSON object/list sent as compact JSON; default: a
                      registry-style JSON error), "close": true (Connection:
                      close). E.g. a referrers API answer:
                      {"method": "GET", "path": "/referrers/sha256:", "action":
                       "status", "status": 200, "headers": {"Content-Type":
                       "application/vnd.oci.image.index.v1+json"}, "body":
                       {"schemaVersion": 2, "mediaType": "...", "manifests": []}}
                      Misbehaving bodies (for "status"): "endless": true sends
                      the body over and over with chunked framing
                      and never the last chunk; "content_length": N announces N
                      bytes, sends the body, then waits "seconds" (default 30)
                      and closes (a lying length that stalls).
      "unauthorized"  answer 401 with `WWW-Authenticate: Bearer realm=..,
                      service=..,scope="repository:NAME:pull[,push]",
                      error="invalid_token"`, as the registry does for an expired
                      token; realm and service come from the last Bearer challenge
                      the upstream sent (GET /v2/ is asked once if none was seen);
                      "challenge" overrides the whole header value
      "stall"         wait "seconds" (default 30), then continue ("then": "pass",
                      the default) or close the connection ("then": "close").
                      "phase": "request" (default) waits before reading the request
                      body or sending anything back; "body" forwards the request,
                      sends the response head, then waits before the body.
    rate     bytes per second at which the answer's body goes out (a trickle),
             on "status" answers and forwarded ones alike; e.g. {"method":
             "GET", "path": "/manifests/", "action": "pass", "rate": 1}
  A request is counted by every rule it matches; the first rule whose window
  (nth .. nth+times-1) contains its count fires. A request with a body that is
  answered without forwarding ("status", "unauthorized") has its body read and
  discarded first, so the connection stays usable; when the client sent `Expect:
  100-continue` the answer comes at once instead, with Connection: close.
  Example: {"rules": [
    {"method": "PUT", "path": "/blobs/uploads/", "action": "drop", "after_bytes": 4096},
    {"method": "PUT", "path": "/manifests/", "action": "status", "status": 429,
     "retry_after": 1, "times": 2},
    {"method": "HEAD", "path": "/blobs/", "nth": 2, "action": "unauthorized"},
    {"method": "GET", "path": "/blobs/", "action": "stall", "seconds": 5,
     "phase": "body"},
    {"method": "PUT", "path": "/manifests/sha256:", "action": "pass", "times": 0,
     "response_headers": {"OCI-Subject": "sha256:..."}}]}

Request log (--log FILE): one line per proxied request, written before the
client can see any of the outcome (so a finished client always finds its line):
  METHOD TARGET STATUS ACTION AUTH
  e.g. `PUT /v2/team/model/manifests/v1 201 pass bearer`
TARGET is the request target as sent (path and query); STATUS the status the
client was sent, `-` when none (a drop, or a stall of phase "request": that line
is written when the stall begins); ACTION the action
applied (pass, drop, status, unauthorized, stall, plan-error); AUTH the scheme of
the client's Authorization header in lower case, `-` when none.

Control endpoint (never forwarded, never logged):
  GET  /_fault/plan    re-reads the plan file; 200 with the rules and their
                       counters ({"rules": [...], "error": null}), or 400 with the
                       plan error
  POST /_fault/plan    replaces the rules with the JSON body (until the plan file
                       changes again); 400 if invalid
  GET  /_fault/log     the request log
  POST /_fault/reset   restarts the counters and empties the log

Process: binds 127.0.0.1 (port 0 = a free port from the kernel), writes
--port-file and --pid-file atomically, exits 0 on SIGTERM/SIGINT or when the
--watch-pid process is gone.
"""

import argparse
import json
import os
import re
import socket
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import loopback_server

BUF = 64 * 1024
MAXLINE = 64 * 1024
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate",
              "proxy-authorization", "te", "trailer", "upgrade"}
FRAMING = {"content-length", "transfer-encoding", "connection"}
ACTIONS = {"pass", "drop", "status", "unauthorized", "stall"}
RULE_KEYS = {"method", "path", "query", "nth", "times", "action", "after_bytes",
             "after_response_bytes", "status", "retry_after", "headers", "body", "close",
             "challenge", "seconds", "phase", "then", "comment", "response_headers",
             "endless", "content_length", "rate"}
REASONS = {200: "OK", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class PlanError(Exception):
    pass


class Rule:
    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise PlanError("a rule must be an object: %r" % (spec,))
        unknown = set(spec) - RULE_KEYS
        if unknown:
            raise PlanError("unknown rule field(s): %s" % ", ".join(sorted(unknown)))
        self.spec = spec
        method = spec.get("method", "*")
        self.methods = None if method == "*" else set(method.upper().split("|"))
        try:
            self.path = re.compile(spec.get("path", ""))
            self.query = re.compile(spec.get("query", ""))
        except re.error as e:
            raise PlanError("bad regular expression: %s" % e) from e
        self.nth = self._int("nth", 1, 1)
        self.times = self._int("times", 1, 0)
        self.action = spec.get("action")
        if self.action not in ACTIONS:
            raise PlanError("action must be one of %s, not %r" %
                            (", ".join(sorted(ACTIONS)), self.action))
        if self.action == "status":
            self.status = self._int("status", None, 100)
            if self.status is None or self.status > 599:
                raise PlanError("status rule needs \"status\": 100..599")
        self.after_bytes = self._int("after_bytes", None, 0)
        self.after_response_bytes = self._int("after_response_bytes", None, 0)
        self.seconds = float(spec.get("seconds", 30))
        self.phase = spec.get("phase", "request")
        self.then = spec.get("then", "pass")
        if self.phase not in ("request", "body") or self.then not in ("pass", "close"):
            raise PlanError("stall: phase is request|body, then is pass|close")
        self.headers = self._headers("headers", False)
        self.response_headers = self._headers("response_headers", True)
        body = spec.get("body")
        if body is not None and not isinstance(body, (str, dict, list)):
            raise PlanError("body must be a string or a JSON object or list")
        self.endless = bool(spec.get("endless", False))
        self.content_length = self._int("content_length", None, 0)
        self.rate = self._int("rate", None, 1)
        if (self.endless or self.content_length is not None) and self.action != "status":
            raise PlanError("endless and content_length go with action \"status\"")
        if self.endless and self.content_length is not None:
            raise PlanError("a body is endless or has a content_length, not both")
        self.seen = self.fired = 0

    def _headers(self, key, nulls):
        v = self.spec.get(key) or {}
        if not isinstance(v, dict) or not all(
                isinstance(k, str) and k and (isinstance(x, str) or (nulls and x is None))
                for k, x in v.items()):
            raise PlanError("%s must be an object of header names to %s" %
                            (key, "strings or null" if nulls else "strings"))
        fixed = {k for k in v if k.lower() in FRAMING}
        if fixed:
            raise PlanError("%s cannot set %s" % (key, ", ".join(sorted(fixed))))
        return v

    def _int(self, key, default, minimum):
        v = self.spec.get(key, default)
        if v is None:
            return None
        if not isinstance(v, int) or isinstance(v, bool) or v < minimum:
            raise PlanError("%s must be an integer >= %d" % (key, minimum))
        return v

    def matches(self, method, path, query):
        return ((self.methods is None or method in self.methods) and
                self.path.search(path) is not None and self.query.search(query) is not None)

    def state(self):
        return dict(self.spec, seen=self.seen, fired=self.fired)


def parse_plan(data):
    try:
        doc = json.loads(data.decode("utf-8") if isinstance(data, bytes) else data)
    except (ValueError, UnicodeDecodeError) as e:
        raise PlanError("invalid JSON: %s" % e) from e
    if isinstance(doc, dict):
        doc = doc.get("rules", [])
    if not isinstance(doc, list):
        raise PlanError("a plan is {\"rules\": [...]} or a list of rules")
    return [Rule(r) for r in doc]


class Plan:
    def __init__(self, cli_rules, path):
        self.lock = threading.Lock()
        self.cli_specs = cli_rules
        self.path = path
        self.loaded = None       # bytes of the plan file last read
        self.error = None
        self.rules = [Rule(r) for r in cli_rules]
        self.file_rules = []
        self.refresh()

    def _set(self, file_rules):
        self.file_rules = file_rules
        self.rules = [Rule(r) for r in self.cli_specs] + file_rules
        self.error = None

    def refresh(self):
        """Re-read the plan file if it changed (call with or without the lock)."""
        if not self.path:
            return
        try:
            with open(self.path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            data = b""
        except OSError as e:
            self.error = "cannot read plan '%s': %s" % (self.path, e)
            return
        if data == self.loaded:
            return
        self.loaded = data
        try:
            self._set(parse_plan(data) if data.strip() else [])
        except PlanError as e:
            self.error = "plan '%s': %s" % (self.path, e)

    def replace(self, data):
        with self.lock:
            self._set(parse_plan(data))

    def reset(self):
        with self.lock:
            for r in self.rules:
                r.seen = r.fired = 0

    def pick(self, method, path, query):
        """-> (rule or None, error or None); counts the request."""
        with self.lock:
            self.refresh()
            if self.error:
                return None, self.error
            chosen = None
            for r in self.rules:
                if not r.matches(method, path, query):
                    continue
                r.seen += 1
                in_window = r.seen >= r.nth and (r.times == 0 or r.seen < r.nth + r.times)
                if chosen is None and in_window:
                    r.fired += 1
                    chosen = r
            return chosen, None

    def state(self):
        with self.lock:
            self.refresh()
            return {"rules": [r.state() for r in self.rules], "error": self.error}


class Body:
    """Framing of a message body: ('length', n) | ('chunked', None) | ('close', None)
    | ('none', None)."""

    @staticmethod
    def of_request(headers):
        if "chunked" in headers.get("Transfer-Encoding", "").lower():
            return ("chunked", None)
        n = headers.get("Content-Length")
        if n is not None and n.strip().isdigit() and int(n) > 0:
            return ("length", int(n))
        return ("none", None)

    @staticmethod
    def of_response(method, status, headers):
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return ("none", None)
        if "chunked" in header(headers, "Transfer-Encoding").lower():
            return ("chunked", None)
        n = header(headers, "Content-Length")
        if n.strip().isdigit():
            return ("length", int(n))
        return ("close", None)


def header(pairs, name):
    for k, v in pairs:
        if k.lower() == name.lower():
            return v
    return ""


def set_headers(pairs, changes):
    """pairs with each header named in changes {name: value or None} replaced
    (any case; None removes it), new ones appended."""
    lower = {k.lower() for k in changes}
    out = [(k, v) for k, v in pairs if k.lower() not in lower]
    out += [(k, v) for k, v in changes.items() if v is not None]
    return out


def relay(src, send, framing, limit=None):
    """Copy a body from src (a buffered reader) to send(bytes) (None: discard),
    keeping chunked framing. Stops after `limit` data bytes if given.
    Returns True when the limit cut the body short."""
    kind, n = framing
    budget = limit

    def copy(count):
        nonlocal budget
        while count > 0:
            want = min(BUF, count)
            if budget is not None:
                if budget == 0:
                    return True
                want = min(want, budget)
            data = src.read1(want)
            if not data:
                raise ConnectionError("unexpected end of body")
            if send:
                send(data)
            count -= len(data)
            if budget is not None:
                budget -= len(data)
        return False

    if kind == "length":
        return copy(n)
    if kind == "close":
        while True:
            if budget == 0:
                return True
            data = src.read1(BUF if budget is None else min(BUF, budget))
            if not data:
                return False
            if send:
                send(data)
            if budget is not None:
                budget -= len(data)
    if kind == "chunked":
        while True:
            line = src.readline(MAXLINE)
            if not line.endswith(b"\n"):
                raise ConnectionError("bad chunk header")
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size > 0 and budget == 0:
                return True
            if send:
                send(line)
            if size == 0:
                while True:      # trailers, up to the empty line
                    t = src.readline(MAXLINE)
                    if send:
                        send(t)
                    if t in (b"\r\n", b"\n", b""):
                        return False
            if copy(size):
                return True
            crlf = src.readline(MAXLINE)
            if send:
                send(crlf)
    return False


def read_response_head(reader):
    """-> (status, reason, [(name, value)]) of the next non-1xx response."""
    while True:
        line = reader.readline(MAXLINE)
        if not line:
            raise ConnectionError("upstream closed the connection")
        parts = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            raise ConnectionError("bad status line from upstream: %r" % line[:80])
        status = int(parts[1])
        reason = parts[2] if len(parts) > 2 else ""
        headers = []
        while True:
            h = reader.readline(MAXLINE).decode("latin-1")
            if h in ("\r\n", "\n", ""):
                break
            if h[0] in " \t" and headers:       # obsolete line folding
                headers[-1] = (headers[-1][0], headers[-1][1] + " " + h.strip())
                continue
            k, _, v = h.partition(":")
            headers.append((k.strip(), v.strip()))
        if 100 <= status < 200:
            continue
        return status, reason, headers


class Proxy(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, addr, upstream, plan, log_path):
        super().__init__(addr, Handler)
        self.upstream = upstream
        self.plan = plan
        self.log_path = log_path
        self.log_lock = threading.Lock()
        self.stopping = threading.Event()
        self.challenge = None            # (scheme, realm, service) last seen upstream

    def log(self, method, target, status, action, auth):
        if not self.log_path:
            return
        line = "%s %s %s %s %s\n" % (method, target, status, action, auth)
        with self.log_lock:
            with open(self.log_path, "a", encoding="latin-1") as f:
                f.write(line)

    def note_challenge(self, headers):
        for k, v in headers:
            if k.lower() != "www-authenticate":
                continue
            scheme = v.split(" ", 1)[0].lower()
            params = dict(re.findall(r'(\w+)="([^"]*)"', v))
            self.challenge = (scheme, params.get("realm", ""), params.get("service", ""))

    def upstream_challenge(self):
        if self.challenge is None:
            try:
                s = socket.create_connection(self.upstream, timeout=10)
                with s, s.makefile("rb") as r:
                    s.sendall(b"GET /v2/ HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n"
                              % (self.upstream[0].encode(), self.upstream[1]))
                    _, _, headers = read_response_head(r)
                    self.note_challenge(headers)
            except (OSError, ValueError):
                pass
        return self.challenge


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "xpship-test-fault-proxy"

    def log_message(self, fmt, *args):
        pass

    # Expect: 100-continue is answered only when the body is actually wanted.
    def parse_request(self):
        self.expect_continue = False
        return super().parse_request()

    def handle_expect_100(self):
        self.expect_continue = True
        return True

    def send_continue(self):
        if self.expect_continue:
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.expect_continue = False

    def do_request(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path.startswith("/_fault/"):
            return self.control(url.path)
        srv = self.server
        method = self.command
        auth = self.headers.get("Authorization", "").split(" ", 1)[0].lower() or "-"
        self.req_body = Body.of_request(self.headers)
        rule, error = srv.plan.pick(method, url.path, url.query)
        self.logged = lambda status, action: srv.log(method, self.path, status, action, auth)
        try:
            if error:
                return self.answer(502, "plan-error", {"X-Fault-Plan-Error": error[:200]},
                                   json.dumps({"errors": [{"code": "UNKNOWN",
                                                           "message": error}]}))
            action = rule.action if rule else "pass"
            if action == "status":
                return self.inject_status(rule)
            if action == "unauthorized":
                return self.inject_unauthorized(rule, url.path)
            if action == "drop" and rule.after_bytes is None and \
                    rule.after_response_bytes is None:
                self.logged("-", "drop")
                return self.hang_up()
            if action == "stall" and rule.phase == "request":
                self.logged("-", "stall")
                srv.stopping.wait(rule.seconds)
                if rule.then == "close":
                    return self.hang_up()
                self.logged = lambda status, action: None    # already logged
            return self.forward(rule, action)
        except (ConnectionError, OSError, ValueError):
            self.close_connection = True
            return None

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_request

    def hang_up(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def write_head(self, status, reason, headers, close):
        lines = ["HTTP/1.1 %d %s" % (status, reason or REASONS.get(status, "Status"))]
        lines += ["%s: %s" % (k, v) for k, v in headers]
        if close:
            lines.append("Connection: close")
            self.close_connection = True
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def sender(self, rate):
        """A function writing bytes to the client, at `rate` bytes/s if given."""
        if not rate:
            return self.wfile.write
        stopping = self.server.stopping
        step = max(1, min(rate // 4, BUF))

        def send(data):
            for i in range(0, len(data), step):
                if stopping.is_set():
                    raise ConnectionError("proxy stopping")
                self.wfile.write(data[i:i + step])
                stopping.wait(len(data[i:i + step]) / rate)
        return send

    def answer(self, status, action, extra, body, close=False, rule=None):
        """Answer without forwarding: log, dispose of the request body, reply."""
        if self.req_body[0] != "none":
            if self.expect_continue:
                close = True               # the client has not sent the body
            else:
                relay(self.rfile, None, self.req_body)
        self.logged(status, action)
        data = body.encode("utf-8")
        headers = set_headers([("Content-Type", "application/json; charset=utf-8"),
                               ("Docker-Distribution-Api-Version", "registry/2.0")], extra)
        endless = rule is not None and rule.endless
        if endless:
            headers.append(("Transfer-Encoding", "chunked"))
        elif rule is not None and rule.content_length is not None:
            headers.append(("Content-Length", str(rule.content_length)))
        else:
            headers.append(("Content-Length", str(len(data))))
        self.write_head(status, None, headers, close)
        if self.command == "HEAD":
            return None
        send = self.sender(rule.rate if rule is not None else None)
        if endless:
            piece = (data or b"x") * max(1, 4096 // max(1, len(data)))
            chunk = b"%x\r\n%s\r\n" % (len(piece), piece)
            while not self.server.stopping.is_set():
                send(chunk)          # until the client hangs up (an OSError)
            return self.hang_up()
        send(data)
        if rule is not None and rule.content_length is not None and \
                rule.content_length != len(data):
            self.server.stopping.wait(rule.seconds)
            return self.hang_up()
        return None

    def inject_status(self, rule):
        extra = {}
        if rule.spec.get("retry_after") is not None:
            extra["Retry-After"] = str(rule.spec["retry_after"])
        extra.update(rule.headers)
        code = {429: "TOOMANYREQUESTS", 503: "UNAVAILABLE"}.get(rule.status, "UNKNOWN")
        body = rule.spec.get("body")
        if isinstance(body, (dict, list)):
            body = json.dumps(body, separators=(",", ":"))
        elif body is None:
            body = json.dumps({"errors": [{"code": code, "message": "injected fault",
                                           "detail": None}]})
        return self.answer(rule.status, "status", extra, body, bool(rule.spec.get("close")),
                           rule)

    def inject_unauthorized(self, rule, path):
        value = rule.spec.get("challenge")
        if value is None:
            scheme, realm, service = self.server.upstream_challenge() or ("bearer", "", "")
            m = re.match(r"^/v2/(.+?)/(blobs|manifests|tags|referrers)/", path)
            actions = "pull" if self.command in ("GET", "HEAD") else "pull,push"
            if scheme == "basic":
                value = 'Basic realm="%s"' % realm
            else:
                value = 'Bearer realm="%s",service="%s"' % (realm, service)
                if m:
                    value += ',scope="repository:%s:%s"' % (m.group(1), actions)
                value += ',error="invalid_token"'
        body = json.dumps({"errors": [{"code": "UNAUTHORIZED",
                                       "message": "authentication required",
                                       "detail": None}]})
        return self.answer(401, "unauthorized", {"WWW-Authenticate": value}, body)

    def rewrite_location(self, value):
        try:
            u = urllib.parse.urlsplit(value)
            if u.scheme not in ("http", "https") or not u.netloc:
                return value
            host, port = self.server.upstream
            uport = u.port or (80 if u.scheme == "http" else 443)
            if port != uport or u.hostname not in (host, "127.0.0.1", "localhost"):
                return value
        except ValueError:
            return value
        mine = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
        return urllib.parse.urlunsplit(("http", mine, u.path, u.query, u.fragment))

    def forward(self, rule, action):
        srv = self.server
        try:
            up = socket.create_connection(srv.upstream, timeout=300)
        except OSError as e:
            return self.answer(502, action, {}, json.dumps(
                {"errors": [{"code": "UNKNOWN", "message": "upstream: %s" % e}]}))
        with up, up.makefile("rb") as upr:
            return self.exchange(rule, action, up, upr)

    def exchange(self, rule, action, up, upr):
        srv = self.server
        head = ["%s %s HTTP/1.1" % (self.command, self.path),
                "Host: %s:%d" % srv.upstream]
        for k, v in self.headers.items():
            lk = k.lower()
            if lk in HOP_BY_HOP or lk in ("host", "expect"):
                continue
            if lk == "content-length" and self.req_body[0] == "chunked":
                continue
            head.append("%s: %s" % (k, v))
        head.append("Connection: close")
        up.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))

        drop_req = action == "drop" and rule.after_bytes is not None
        if self.req_body[0] != "none":
            self.send_continue()
            try:
                cut = relay(self.rfile, up.sendall, self.req_body,
                            rule.after_bytes if drop_req else None)
            except (BrokenPipeError, ConnectionResetError):
                # the upstream answered early and closed: relay its answer, then
                # close (the rest of the client's body was not read)
                cut = False
                self.close_connection = True
            if drop_req and cut:
                self.logged("-", "drop")
                up.shutdown(socket.SHUT_RDWR)
                return self.hang_up()

        status, reason, headers = read_response_head(upr)
        srv.note_challenge(headers)
        if drop_req:                     # the whole request went through: lose the answer
            self.logged(status, "drop")
            return self.hang_up()
        framing = Body.of_response(self.command, status, headers)
        out = []
        for k, v in headers:
            lk = k.lower()
            if lk in HOP_BY_HOP:
                continue
            if lk == "location":
                v = self.rewrite_location(v)
            out.append((k, v))
        if rule is not None:
            out = set_headers(out, rule.response_headers)
        close = framing[0] == "close" or self.close_connection
        self.logged(status, action)
        self.write_head(status, reason, out, close)
        if action == "stall" and rule.phase == "body":
            srv.stopping.wait(rule.seconds)
            if rule.then == "close":
                return self.hang_up()
        limit = rule.after_response_bytes if action == "drop" else None
        cut = relay(upr, self.sender(rule.rate if rule is not None else None), framing, limit)
        if cut:
            return self.hang_up()
        if framing[0] == "close":
            self.close_connection = True
        return None

    def control(self, path):
        srv = self.server
        body = b""
        if self.req_body_len():
            body = self.rfile.read(self.req_body_len())
        status, data, ctype = 200, b"", "application/json"
        if path == "/_fault/plan" and self.command == "GET":
            state = srv.plan.state()
            status = 400 if state["error"] else 200
            data = json.dumps(state).encode()
        elif path == "/_fault/plan" and self.command in ("POST", "PUT"):
            try:
                srv.plan.replace(body)
                data = json.dumps(srv.plan.state()).encode()
            except PlanError as e:
                status, data = 400, json.dumps({"error": str(e)}).encode()
        elif path == "/_fault/log" and self.command == "GET":
            ctype = "text/plain"
            try:
                with open(srv.log_path or os.devnull, "rb") as f:
                    data = f.read()
            except FileNotFoundError:
                data = b""
        elif path == "/_fault/reset" and self.command == "POST":
            srv.plan.reset()
            if srv.log_path:
                with srv.log_lock:
                    open(srv.log_path, "w").close()
            data = b"{}"
        else:
            status, data = 404, b'{"error":"unknown control path"}'
        self.write_head(status, None, [("Content-Type", ctype),
                                       ("Content-Length", str(len(data)))], False)
        self.wfile.write(data)

    def req_body_len(self):
        n = self.headers.get("Content-Length", "0").strip()
        return int(n) if n.isdigit() else 0


def main(argv):
    p = argparse.ArgumentParser(prog="fault_proxy.py",
                                description="Fault-injecting reverse proxy for registry tests.")
    p.add_argument("--upstream", required=True, help="HOST:PORT of the plain-HTTP upstream")
    p.add_argument("--plan", help="fault plan file, re-read before every request")
    p.add_argument("--rule", action="append", default=[], help="one rule as JSON")
    p.add_argument("--log", help="request log file")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--pid-file")
    p.add_argument("--watch-pid", type=int)
    args = p.parse_args(argv)

    host, _, port = args.upstream.rpartition(":")
    if not host or not port.isdigit():
        p.error("--upstream must be HOST:PORT")
    try:
        cli = [json.loads(r) for r in args.rule]
        plan = Plan(cli, args.plan)
    except (ValueError, PlanError) as e:
        p.error("bad rule: %s" % e)
    if plan.error:
        p.error(plan.error)
    server = Proxy(("127.0.0.1", args.port), (host, int(port)), plan, args.log)
    if args.log:
        open(args.log, "a").close()

    return loopback_server.serve(server, args.port_file, args.pid_file, args.watch_pid,
                                 server.stopping.set)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
