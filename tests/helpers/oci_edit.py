#!/usr/bin/python3
"""Forge or damage an OCI image layout, for the signing tests.

  oci_edit.py flip DIR DIGEST        flip one bit in the middle of a blob, in place
                                     (its digest no longer matches)
  oci_edit.py manifest DIR TAG CODE  run CODE (Python) on m, the manifest TAG names,
                                     store the result under its new digest and point
                                     TAG at it: a consistent forgery, every digest right
  oci_edit.py blob DIR TAG N CODE    run CODE on b, a bytearray of layer N's blob
                                     (N = -1: the config), store it under its new
                                     digest and update the manifest and TAG likewise
  oci_edit.py digest DIR TAG         print the digest TAG names

Written independently of xpship (standard library only).
"""
import hashlib
import json
import os
import sys


def blob_path(d, digest):
    return os.path.join(d, "blobs", "sha256", digest.split(":", 1)[1])


def put(d, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with open(blob_path(d, digest), "wb") as f:
        f.write(data)
    return digest


def load_index(d):
    with open(os.path.join(d, "index.json")) as f:
        return json.load(f)


def entry(ix, tag):
    for e in ix["manifests"]:
        if e.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag:
            return e
    sys.exit("oci_edit: no tag %s" % tag)


def retag(d, tag, m):
    data = json.dumps(m, separators=(",", ":")).encode()
    ix = load_index(d)
    e = entry(ix, tag)
    e["digest"] = put(d, data)
    e["size"] = len(data)
    with open(os.path.join(d, "index.json"), "w") as f:
        json.dump(ix, f, separators=(",", ":"))


def manifest(d, tag):
    e = entry(load_index(d), tag)
    with open(blob_path(d, e["digest"]), "rb") as f:
        return json.load(f)


def main(argv):
    cmd, d = argv[1], argv[2]
    if cmd == "flip":
        p = blob_path(d, argv[3])
        b = bytearray(open(p, "rb").read())
        b[len(b) // 2] ^= 0x01
        open(p, "wb").write(bytes(b))
    elif cmd == "digest":
        print(entry(load_index(d), argv[3])["digest"])
    elif cmd == "manifest":
        m = manifest(d, argv[3])
        exec(argv[4], {"m": m, "json": json})
        retag(d, argv[3], m)
    elif cmd == "blob":
        m = manifest(d, argv[3])
        n = int(argv[4])
        desc = m["config"] if n < 0 else m["layers"][n]
        b = bytearray(open(blob_path(d, desc["digest"]), "rb").read())
        env = {"b": b, "json": json}
        exec(argv[5], env)
        data = bytes(env["b"])
        desc["digest"] = put(d, data)
        desc["size"] = len(data)
        retag(d, argv[3], m)
    else:
        sys.exit("oci_edit: unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
