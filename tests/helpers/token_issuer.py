#!/usr/bin/env python3
"""tests/helpers/token_issuer.py: a bearer-token server for registry tests.

The Debian docker-registry (distribution 2.8) with `auth.token` configured sends
clients here: `WWW-Authenticate: Bearer realm="http://127.0.0.1:PORT/token",
service="test-registry",scope="repository:NAME:pull,push"`. This server checks the
client's Basic credentials, grants the requested scopes and answers with an ES256
JWT the registry accepts. Only the Python standard library and the `openssl` CLI
(for the ECDSA signature) are used. tests/helpers/registry.sh (`reg_start token`)
starts it; run it by hand only to debug.

Subcommands
  serve  --key EC.KEY --cert EC.CRT (--credentials FILE | --user U --password-file F
         | --user U --password P) [--issuer test-issuer] [--service test-registry]
         [--expires-in SECONDS] [--expired N] [--limit USER=ACTIONS]...
         [--anonymous ACTIONS] [--port 0] [--port-file F] [--pid-file F] [--log F]
         [--watch-pid PID]
  mint   --key K --cert C [--issuer I] [--service S] [--sub NAME] [--scope SCOPE]...
         [--expires-in SECONDS] [--expired]   prints one JWT (forgery/expiry tests)
  kid    --cert C                             prints the libtrust key id

Credentials: a file with `user:password` lines (the password is everything after
the first colon), or --user with --password-file / --password. Passwords are never
written to the log or to stderr. `--limit reader=pull` caps what a user is granted
(default: every requested action). `--anonymous pull` issues tokens without
credentials (default: a request without credentials gets 401).

HTTP interface (loopback only)
  GET  /token?service=S&scope=SCOPE[&scope=...][&offline_token=true]
       Basic credentials -> 200 {"token","access_token","expires_in","issued_at"}
       (+ "refresh_token" when offline_token=true); bad or missing credentials ->
       401 with `WWW-Authenticate: Basic realm="test-issuer"`; a `service` other than
       the configured one -> 400. SCOPE is TYPE:NAME:ACTIONS (the name is split off
       at the LAST colon, so `repository:localhost:5000/a:pull` names
       `localhost:5000/a`); a parameter may also hold several scopes separated by
       spaces. Every requested action the user may have is granted.
  POST /token  (OAuth2 form: grant_type=password&username=&password= or
       grant_type=refresh_token&refresh_token=; service, scope, client_id,
       access_type=offline) -> {"access_token","expires_in","issued_at","scope"}
       (+ "refresh_token"); an unknown refresh token or bad password -> 400
       {"error":"invalid_grant"}.
  GET  /_control  -> the current settings and counters as JSON.
  POST /_control?expires_in=N&expired=N&fail=N&fail_status=S  changes settings at
       run time: token lifetime; mint the next N tokens already expired (-1: all);
       answer the next N token requests with status S (default 503).

Expired tokens: the registry allows 60 s of clock leeway, so an "expired" token
here has exp 300 s in the past (nbf/iat 600 s); the response still claims the
configured expires_in, as a token revoked early or a skewed clock would. The
registry answers such a token with 401 `error="invalid_token"`.

Request log (--log F): one line per token request, appended before the response is
sent, so a client that saw the answer also sees the line:
  STATUS GRANT USER EXPIRED SCOPE...
  e.g. `200 basic tester 0 repository:team/model:pull,push`
GRANT is basic | anonymous | password | refresh | - (refused); USER is `-` when
unknown; EXPIRED is 1 when the minted token was already expired. Tests count lines
(`grep -c '^200 '`) to assert that a client caches tokens and refreshes them.

The JWT: header {"typ":"JWT","alg":"ES256","kid":KID}, claims iss, sub, aud (the
service, a plain string), exp, nbf, iat, jti, access [{type,name,actions}]; KID is
libtrust's key id of the certificate's public key (SHA-256 of the DER
SubjectPublicKeyInfo, first 30 bytes, base32, groups of 4 joined by ':').

Process: binds 127.0.0.1 (port 0 = a free port chosen by the kernel, so no race),
then writes --port-file and --pid-file (each written atomically); exits 0 on
SIGTERM/SIGINT, or when the --watch-pid process is gone (no orphan after a killed
test shell).
"""

import argparse
import base64
import hashlib
import hmac
import json
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import loopback_server

ALL_ACTIONS = ("pull", "push", "delete", "*")
EXPIRED_EXP_AGO = 300      # well beyond the registry's 60 s leeway
EXPIRED_IAT_AGO = 600


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def spki_der(cert_path):
    """DER SubjectPublicKeyInfo of a PEM certificate (the -pubkey PEM body)."""
    pem = subprocess.run(["openssl", "x509", "-in", cert_path, "-noout", "-pubkey"],
                         check=True, capture_output=True).stdout.decode("ascii")
    body = "".join(l for l in pem.splitlines() if l and not l.startswith("-----"))
    return base64.b64decode(body)


def libtrust_kid(cert_path):
    digest = hashlib.sha256(spki_der(cert_path)).digest()[:30]
    b32 = base64.b32encode(digest).decode("ascii").rstrip("=")
    return ":".join(b32[i:i + 4] for i in range(0, len(b32), 4))


def der_to_raw_ecdsa(der, size=32):
    """ECDSA-Sig-Value (SEQUENCE of INTEGER r, s) -> r||s, each `size` bytes."""
    def read_len(buf, pos):
        n = buf[pos]
        pos += 1
        if n < 0x80:
            return n, pos
        count = n & 0x7F
        return int.from_bytes(buf[pos:pos + count], "big"), pos + count

    if not der or der[0] != 0x30:
        raise ValueError("signature is not a DER sequence")
    _, pos = read_len(der, 1)
    out = b""
    for _ in range(2):
        if der[pos] != 0x02:
            raise ValueError("signature component is not an INTEGER")
        n, pos = read_len(der, pos + 1)
        value = der[pos:pos + n].lstrip(b"\x00")
        pos += n
        if len(value) > size:
            raise ValueError("signature component too long")
        out += value.rjust(size, b"\x00")
    return out


def parse_scopes(values):
    """['repository:a/b:pull,push', ...] -> [(type, name, [actions]), ...]."""
    out = []
    for value in values:
        for scope in value.split():
            typ, sep, rest = scope.partition(":")
            name, sep2, actions = rest.rpartition(":")
            if not sep or not sep2 or not typ or not name:
                continue
            out.append((typ, name, [a for a in actions.split(",") if a]))
    return out


class Signer:
    def __init__(self, key, cert, issuer, service):
        self.key, self.issuer, self.service = key, issuer, service
        self.kid = libtrust_kid(cert)

    def mint(self, sub, access, lifetime, expired):
        now = int(time.time())
        if expired:
            iat, exp = now - EXPIRED_IAT_AGO, now - EXPIRED_EXP_AGO
        else:
            iat, exp = now, now + lifetime
        header = {"typ": "JWT", "alg": "ES256", "kid": self.kid}
        claims = {"iss": self.issuer, "sub": sub, "aud": self.service, "exp": exp,
                  "nbf": iat, "iat": iat, "jti": secrets.token_hex(16),
                  "access": [{"type": t, "name": n, "actions": a} for t, n, a in access]}
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
                         b64url(json.dumps(claims, separators=(",", ":")).encode()))
        der = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.key],
                             input=signing_input.encode("ascii"), check=True,
                             capture_output=True).stdout
        return signing_input + "." + b64url(der_to_raw_ecdsa(der))


def rfc3339(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


class Issuer:
    """Shared state of the server: credentials, settings, refresh tokens, log."""

    def __init__(self, args, signer, users):
        self.signer, self.users = signer, users
        self.limits = {}
        for item in args.limit or []:
            user, _, acts = item.partition("=")
            self.limits[user] = set(a for a in acts.split(",") if a)
        self.anonymous = set(a for a in (args.anonymous or "").split(",") if a)
        self.expires_in = args.expires_in
        self.expired_left = args.expired       # -1: all
        self.fail_left, self.fail_status = 0, 503
        self.refresh = {}
        self.requests = self.issued = 0
        self.lock = threading.Lock()
        self.log_path = args.log

    def check_password(self, user, password):
        want = self.users.get(user)
        return want is not None and hmac.compare_digest(want.encode(), password.encode())

    def grant(self, user, scopes):
        allowed = self.anonymous if user is None else self.limits.get(user, set(ALL_ACTIONS))
        out = []
        for typ, name, actions in scopes:
            if "*" in allowed:
                got = actions
            else:
                got = [a for a in actions if a in allowed]
            out.append((typ, name, got))
        return out

    def take_expired(self):
        with self.lock:
            if self.expired_left == 0:
                return False
            if self.expired_left > 0:
                self.expired_left -= 1
            return True

    def take_fail(self):
        with self.lock:
            self.requests += 1
            if self.fail_left > 0:
                self.fail_left -= 1
                return self.fail_status
            return 0

    def log(self, status, grant, user, expired, scopes):
        if not self.log_path:
            return
        fields = [str(status), grant or "-", user or "-", "1" if expired else "0"]
        fields += [s for v in scopes for s in v.split()]
        line = " ".join(f.replace("\n", " ") for f in fields) + "\n"
        with self.lock:
            with open(self.log_path, "a", encoding="utf-8") as f:
                f.write(line)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "xpship-test-token-issuer"

    def log_message(self, fmt, *args):   # never log requests (they carry credentials)
        pass

    @property
    def issuer(self):
        return self.server.issuer

    def reply(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def basic_credentials(self):
        auth = self.headers.get("Authorization", "")
        scheme, _, value = auth.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user, sep, password = base64.b64decode(value.strip()).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return ("", "")
        return (user, password) if sep else ("", "")

    def token_response(self, grant, user, scopes, offline, oauth):
        iss = self.issuer
        access = iss.grant(user, parse_scopes(scopes))
        expired = iss.take_expired()
        now = int(time.time())
        token = iss.signer.mint(user or "", access, iss.expires_in, expired)
        body = {"access_token": token, "expires_in": iss.expires_in,
                "issued_at": rfc3339(now)}
        if oauth:
            body["scope"] = " ".join(s for v in scopes for s in v.split())
        else:
            body["token"] = token
        if offline and user is not None:
            refresh = secrets.token_urlsafe(24)
            with iss.lock:
                iss.refresh[refresh] = user
                iss.issued += 1
            body["refresh_token"] = refresh
        else:
            with iss.lock:
                iss.issued += 1
        iss.log(200, grant, user, expired, scopes)
        self.reply(200, body)

    def refuse_basic(self, user, scopes):
        self.issuer.log(401, None, user, False, scopes)
        self.reply(401, {"errors": [{"code": "UNAUTHORIZED",
                                     "message": "authentication required"}]},
                   {"WWW-Authenticate": 'Basic realm="%s"' % self.issuer.signer.issuer})

    def bad_service(self, service, scopes):
        self.issuer.log(400, None, None, False, scopes)
        self.reply(400, {"errors": [{"code": "INVALID_SERVICE",
                                     "message": "unknown service '%s'" % service}]})

    def injected_failure(self, scopes):
        status = self.issuer.take_fail()
        if status:
            self.issuer.log(status, None, None, False, scopes)
            self.reply(status, {"errors": [{"code": "UNAVAILABLE",
                                            "message": "injected failure"}]})
        return status

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        if url.path == "/_control":
            return self.control_state()
        if url.path != "/token":
            return self.reply(404, {"errors": [{"code": "NOT_FOUND", "message": url.path}]})
        scopes = q.get("scope", [])
        if self.injected_failure(scopes):
            return None
        service = q.get("service", [None])[0]
        if service is not None and service != self.issuer.signer.service:
            return self.bad_service(service, scopes)
        creds = self.basic_credentials()
        if creds is None:
            if not self.issuer.anonymous:
                return self.refuse_basic(None, scopes)
            return self.token_response("anonymous", None, scopes, False, False)
        user, password = creds
        if not self.issuer.check_password(user, password):
            return self.refuse_basic(user or None, scopes)
        offline = q.get("offline_token", ["false"])[0].lower() == "true"
        return self.token_response("basic", user, scopes, offline, False)

    do_HEAD = do_GET

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        body = self.read_body()
        if url.path == "/_control":
            return self.control_update(urllib.parse.parse_qs(url.query) or
                                       urllib.parse.parse_qs(body.decode("utf-8", "replace")))
        if url.path != "/token":
            return self.reply(404, {"errors": [{"code": "NOT_FOUND", "message": url.path}]})
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        one = lambda k: form.get(k, [""])[0]
        scopes = form.get("scope", [])
        if self.injected_failure(scopes):
            return None
        if one("service") and one("service") != self.issuer.signer.service:
            return self.bad_service(one("service"), scopes)
        offline = one("access_type") == "offline"
        grant = one("grant_type")
        if grant == "password":
            user = one("username")
            if self.issuer.check_password(user, one("password")):
                return self.token_response("password", user, scopes, offline, True)
        elif grant == "refresh_token":
            with self.issuer.lock:
                user = self.issuer.refresh.get(one("refresh_token"))
            if user is not None:
                return self.token_response("refresh", user, scopes, True, True)
        self.issuer.log(400, None, None, False, scopes)
        return self.reply(400, {"error": "invalid_grant"})

    def control_state(self):
        iss = self.issuer
        with iss.lock:
            state = {"expires_in": iss.expires_in, "expired": iss.expired_left,
                     "fail": iss.fail_left, "fail_status": iss.fail_status,
                     "requests": iss.requests, "issued": iss.issued,
                     "kid": iss.signer.kid}
        self.reply(200, state)

    def control_update(self, q):
        iss = self.issuer
        try:
            with iss.lock:
                if "expires_in" in q:
                    iss.expires_in = int(q["expires_in"][0])
                if "expired" in q:
                    iss.expired_left = int(q["expired"][0])
                if "fail" in q:
                    iss.fail_left = int(q["fail"][0])
                if "fail_status" in q:
                    iss.fail_status = int(q["fail_status"][0])
        except ValueError as e:
            return self.reply(400, {"error": str(e)})
        return self.control_state()


def load_users(args):
    users = {}
    if args.credentials:
        with open(args.credentials, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\r\n")
                if line and not line.startswith("#"):
                    user, _, password = line.partition(":")
                    users[user] = password
    if args.user:
        if args.password_file:
            with open(args.password_file, encoding="utf-8") as f:
                users[args.user] = f.read().rstrip("\r\n")
        elif args.password is not None:
            users[args.user] = args.password
        else:
            sys.exit("token_issuer: --user needs --password-file or --password")
    return users


def serve(args):
    users = load_users(args)
    if not users and not args.anonymous:
        sys.exit("token_issuer: no credentials (--credentials, --user) and no --anonymous")
    signer = Signer(args.key, args.cert, args.issuer, args.service)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.issuer = Issuer(args, signer, users)
    return loopback_server.serve(server, args.port_file, args.pid_file, args.watch_pid)


def mint(args):
    signer = Signer(args.key, args.cert, args.issuer, args.service)
    access = parse_scopes(args.scope or [])
    print(signer.mint(args.sub, access, args.expires_in, args.expired))
    return 0


def main(argv):
    p = argparse.ArgumentParser(prog="token_issuer.py",
                                description="Bearer-token server for registry tests.")
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(sp):
        sp.add_argument("--key", required=True, help="EC P-256 private key (PEM)")
        sp.add_argument("--cert", required=True, help="its certificate (PEM), for the kid")
        sp.add_argument("--issuer", default="test-issuer", help="JWT iss")
        sp.add_argument("--service", default="test-registry", help="JWT aud")
        sp.add_argument("--expires-in", type=int, default=300, help="token lifetime, s")

    s = sub.add_parser("serve", help="run the token server")
    common(s)
    s.add_argument("--credentials", help="file of user:password lines")
    s.add_argument("--user")
    s.add_argument("--password-file")
    s.add_argument("--password")
    s.add_argument("--limit", action="append", metavar="USER=ACTIONS")
    s.add_argument("--anonymous", metavar="ACTIONS")
    s.add_argument("--expired", type=int, default=0, metavar="N",
                   help="mint the first N tokens already expired (-1: all)")
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--port-file")
    s.add_argument("--pid-file")
    s.add_argument("--log", help="request log (see the file header)")
    s.add_argument("--watch-pid", type=int, help="exit when this process is gone")

    m = sub.add_parser("mint", help="print one token")
    common(m)
    m.add_argument("--sub", default="tester")
    m.add_argument("--scope", action="append", help="TYPE:NAME:ACTIONS")
    m.add_argument("--expired", action="store_true")

    k = sub.add_parser("kid", help="print the libtrust key id of a certificate")
    k.add_argument("--cert", required=True)

    args = p.parse_args(argv)
    if args.cmd == "serve":
        return serve(args)
    if args.cmd == "mint":
        return mint(args)
    print(libtrust_kid(args.cert))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
