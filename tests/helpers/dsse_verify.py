#!/usr/bin/python3
"""An independent DSSE verifier for the tests (Debian's python3-cryptography).

  dsse_verify.py PUB.pem FILE [--payload OUT]

FILE holds DSSE envelopes: one JSON object, or JSON lines (.intoto.jsonl).
For each envelope, PAE ("DSSEv1" SP len(type) SP type SP len(body) SP body)
is rebuilt from payloadType and the decoded payload, and at least one
signature must verify with PUB: ECDSA P-256 with SHA-256 (DER), RSA
PKCS#1 v1.5 with SHA-256, or Ed25519 over PAE itself. Exit 0 when every
envelope verifies, 1 otherwise. --payload writes the decoded payloads, one
per line, to OUT.
"""
import base64
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key


def b64(s):
    s = s.replace("-", "+").replace("_", "/")
    return base64.b64decode(s + "=" * (-len(s) % 4), validate=True)


def pae(ptype, body):
    t = ptype.encode()
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(body), body)


def verify(key, msg, sig):
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(sig, msg, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(sig, msg, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(sig, msg)
        else:
            sys.exit("dsse_verify: unsupported key type")
        return True
    except InvalidSignature:
        return False


def main(argv):
    key = load_pem_public_key(open(argv[1], "rb").read())
    text = open(argv[2]).read()
    out = None
    if len(argv) > 4 and argv[3] == "--payload":
        out = open(argv[4], "w")
    try:
        envs = [json.loads(text)]
    except json.JSONDecodeError:
        envs = [json.loads(l) for l in text.splitlines() if l.strip()]
    ok = True
    for i, env in enumerate(envs):
        body = b64(env["payload"])
        msg = pae(env["payloadType"], body)
        good = any(verify(key, msg, b64(s["sig"])) for s in env["signatures"])
        print("envelope %d: %s" % (i + 1, "verified" if good else "BAD SIGNATURE"))
        ok = ok and good
        if out:
            out.write(body.decode() + "\n")
    return 0 if ok and envs else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
