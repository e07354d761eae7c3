#!/usr/bin/python3
"""cosign's encrypted private key files, written and read independently of
xpship, from the format's description (Debian's python3-nacl for the NaCl
secretbox, hashlib.scrypt, python3-cryptography for the keys).

  cosign_key.py encrypt IN.pem OUT.key PASSWORD_FILE [--n N] [--type T]
      IN.pem: an unencrypted PKCS#8 private key; writes OUT.key, a cosign key
      file: PEM type T (default "ENCRYPTED SIGSTORE PRIVATE KEY") around the
      JSON {"kdf":{"name":"scrypt","params":{"N":N,"r":8,"p":1},"salt":B64},
      "cipher":{"name":"nacl/secretbox","nonce":B64},"ciphertext":B64}, the
      ciphertext being secretbox(PKCS#8 DER) under scrypt(password, salt,
      N, 8, 1, 32 bytes), salt 32 random bytes, nonce 24.
  cosign_key.py decrypt KEY PASSWORD_FILE OUT.pem
      the reverse: checks the PEM type, the names and the parameters, then
      writes the PKCS#8 key as unencrypted PEM (exit 1 on a wrong password).

PASSWORD_FILE holds the password without its line end ("-": empty).
"""
import base64
import hashlib
import json
import os
import sys

import nacl.exceptions
import nacl.secret
from cryptography.hazmat.primitives import serialization

TYPES = ("ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY")


def password(path):
    if path == "-":
        return b""
    with open(path, "rb") as f:
        return f.read().rstrip(b"\r\n")


def kdf(pw, salt, n, r, p):
    return hashlib.scrypt(pw, salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)


def pem_wrap(kind, data):
    b = base64.b64encode(data).decode()
    lines = [b[i:i + 64] for i in range(0, len(b), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (kind, "\n".join(lines), kind)


def pem_unwrap(text):
    lines = text.strip().splitlines()
    first, last = lines[0], lines[-1]
    kind = first[len("-----BEGIN "):-len("-----")]
    if not first.startswith("-----BEGIN ") or last != "-----END %s-----" % kind:
        raise SystemExit("not a PEM block")
    if kind not in TYPES:
        raise SystemExit("PEM type %r is not a cosign key" % kind)
    return base64.b64decode("".join(lines[1:-1]), validate=True)


def encrypt(args):
    src, out, pwfile = args[:3]
    n, kind = 65536, TYPES[0]
    rest = args[3:]
    while rest:
        if rest[0] == "--n":
            n = int(rest[1])
        elif rest[0] == "--type":
            kind = rest[1]
        else:
            raise SystemExit("unknown option %s" % rest[0])
        rest = rest[2:]
    with open(src, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    salt, nonce = os.urandom(32), os.urandom(24)
    box = nacl.secret.SecretBox(kdf(password(pwfile), salt, n, 8, 1))
    ct = box.encrypt(der, nonce).ciphertext  # the tag first, then the ciphertext
    doc = {"kdf": {"name": "scrypt", "params": {"N": n, "r": 8, "p": 1},
                   "salt": base64.b64encode(salt).decode()},
           "cipher": {"name": "nacl/secretbox", "nonce": base64.b64encode(nonce).decode()},
           "ciphertext": base64.b64encode(ct).decode()}
    with open(out, "w") as f:
        f.write(pem_wrap(kind, json.dumps(doc, separators=(",", ":")).encode()))


def decrypt(args):
    keyfile, pwfile, out = args
    with open(keyfile) as f:
        doc = json.loads(pem_unwrap(f.read()))
    k, c = doc["kdf"], doc["cipher"]
    assert k["name"] == "scrypt" and c["name"] == "nacl/secretbox", doc
    prm = k["params"]
    assert (prm["N"], prm["r"], prm["p"]) in ((32768, 8, 1), (65536, 8, 1), (131072, 8, 1)), prm
    salt = base64.b64decode(k["salt"], validate=True)
    nonce = base64.b64decode(c["nonce"], validate=True)
    assert len(salt) == 32 and len(nonce) == 24, (len(salt), len(nonce))
    box = nacl.secret.SecretBox(kdf(password(pwfile), salt, prm["N"], prm["r"], prm["p"]))
    try:
        der = box.decrypt(base64.b64decode(doc["ciphertext"], validate=True), nonce)
    except nacl.exceptions.CryptoError:
        print("wrong password", file=sys.stderr)
        sys.exit(1)
    key = serialization.load_der_private_key(der, password=None)
    with open(out, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("encrypt", "decrypt"):
        raise SystemExit(__doc__)
    (encrypt if sys.argv[1] == "encrypt" else decrypt)(sys.argv[2:])
