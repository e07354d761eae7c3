"""oci_layout.py — build OCI layouts with hand-crafted layers, independently of
xpship, for the unpack tests (python3 tarfile only).

    python3 oci_layout.py OUT CASE [OUTSIDE]

writes the layout OUT with tag CASE whose layers are the crafted tars below,
and prints the digest of the last layer.
OUTSIDE (an absolute directory) is where the malicious cases aim.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

out, case = sys.argv[1], sys.argv[2]
outside = sys.argv[3] if len(sys.argv) > 3 else "/nonexistent"


def entry(name, kind="file", data=b"", target=None, mode=0o644):
    return (name, kind, data, target, mode)


def tar(entries, pad=True):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, kind, data, target, mode in entries:
            i = tarfile.TarInfo(name)
            i.mode = mode
            if kind == "file":
                i.size = len(data)
                t.addfile(i, io.BytesIO(data))
                continue
            i.type = {"dir": tarfile.DIRTYPE, "sym": tarfile.SYMTYPE, "hard": tarfile.LNKTYPE,
                      "fifo": tarfile.FIFOTYPE, "chr": tarfile.CHRTYPE}[kind]
            if target is not None:
                i.linkname = target
            t.addfile(i)
    raw = buf.getvalue()
    if not pad:  # cut after the last entry's data, as some writers do
        raw = raw[: 512 + len(entries[-1][2])]
    return raw


CASES = {
    "dotdot": [[entry("../escaped.txt", data=b"pwned\n")]],
    "nested-dotdot": [[entry("a/", "dir"), entry("a/../../escaped.txt", data=b"pwned\n")]],
    "absolute": [[entry(outside + "/escaped.txt", data=b"pwned\n")]],
    "symlink-out": [[entry("link", "sym", target="../outside")]],
    "symlink-absolute": [[entry("link", "sym", target=outside)]],
    "through-symlink": [[entry("sub/", "dir"), entry("link", "sym", target="sub"),
                         entry("link/file.txt", data=b"via link\n")]],
    "symlink-then-file": [[entry("link", "sym", target="sub")],
                          [entry("link/escaped.txt", data=b"pwned\n")]],
    "hardlink-out": [[entry("hl", "hard", target="../outside/secret.txt")]],
    "hardlink-absolute": [[entry("hl", "hard", target=outside + "/secret.txt")]],
    "fifo": [[entry("pipe", "fifo")]],
    "device": [[entry("null", "chr")]],
    "good": [[entry("models/", "dir", mode=0o755), entry("models/a.txt", data=b"A\n"),
              entry("models/b.txt", data=b"B\n"), entry("models/dir/", "dir", mode=0o755),
              entry("models/dir/c.txt", data=b"C\n"), entry("models/link", "sym", target="a.txt"),
              entry("models/hard", "hard", target="models/b.txt")],
             [entry("models/.wh.a.txt"), entry("models/.wh.dir"), entry("models/.wh.link"),
              entry("models/d.txt", data=b"D\n")]],
    "whiteout-through-link": [[entry("keep/", "dir", mode=0o755), entry("keep/x.txt", data=b"x\n"),
                               entry("lnk", "sym", target="keep")],
                              [entry("lnk/.wh.x.txt")]],
    "unpadded": [[entry("only.txt", data=b"no padding after me\n")]],
    # compressed layers that expand far beyond their size (gzip, see GZIP)
    "bomb": [[entry("models/", "dir", mode=0o755), entry("models/small.txt", data=b"small\n"),
              entry("models/zeros.bin", data=bytes(8 << 20))]],
    "bomb-layers": [[entry("a.bin", data=bytes(3 << 20))], [entry("b.bin", data=bytes(3 << 20))]],
    # a header claiming 3 GiB that the (cut) layer never delivers
    "bomb-claim": [[entry("huge.bin", data=b"x" * 1024)]],
    # whiteouts that name no entry of their directory
    "whiteout-dotdot": [[entry("kept.txt", data=b"kept\n")], [entry(".wh...")]],
    "whiteout-nested-dotdot": [[entry("a/", "dir"), entry("a/b.txt", data=b"b\n")],
                               [entry("a/.wh...")]],
    "whiteout-dot": [[entry("kept.txt", data=b"kept\n")], [entry(".wh..")]],
    "whiteout-nested-dot": [[entry("a/", "dir"), entry("a/b.txt", data=b"b\n")],
                            [entry("a/.wh..")]],
    "whiteout-empty": [[entry("a/", "dir"), entry("a/.wh.")]],
    "opaque-through-link": [[entry("keep/", "dir", mode=0o755), entry("keep/x.txt", data=b"x\n"),
                             entry("lnk", "sym", target="keep")],
                            [entry("lnk/.wh..wh..opq")]],
    # the second layer replaces d, writing d/mine.txt: d/old.txt goes
    "whiteout-same-layer": [[entry("d/", "dir", mode=0o755), entry("d/old.txt", data=b"old\n")],
                            [entry("d/mine.txt", data=b"mine\n"), entry(".wh.d")]],
    # entries that cannot be created as they claim
    "hardlink-dir": [[entry("d/", "dir", mode=0o755), entry("hl", "hard", target="d")]],
    "hardlink-missing": [[entry("hl", "hard", target="nothere")]],
    "file-then-deep-child": [[entry("f", data=b"file\n"), entry("f/a/b.txt", data=b"child\n")]],
    "file-over-dir": [[entry("d/", "dir", mode=0o755), entry("d/sub/", "dir", mode=0o755),
                       entry("d/sub/x.txt", data=b"x\n")],
                      [entry("d", data=b"now a file\n")]],
    "file-then-child": [[entry("f", data=b"file\n"), entry("f/child", data=b"child\n")]],
    "file-then-child-layers": [[entry("f", data=b"file\n")], [entry("f/child", data=b"child\n")]],
    # permission bits pack never writes
    "modes": [[entry("sticky/", "dir", mode=0o1777), entry("setgid/", "dir", mode=0o2775),
               entry("setuid", data=b"#!/bin/sh\n", mode=0o4755),
               entry("setgid/tool", data=b"#!/bin/sh\n", mode=0o2711),
               entry("world", data=b"w\n", mode=0o666), entry("private", data=b"p\n", mode=0o600),
               entry("plain", data=b"p\n", mode=0o644), entry("exec", data=b"x\n", mode=0o100),
               entry("hl", "hard", target="setuid", mode=0o6777)]],
    # opaque directory: what earlier layers put in "d" is hidden
    "opaque": [[entry("d/", "dir", mode=0o755), entry("d/old.txt", data=b"old\n"),
                entry("d/sub/", "dir", mode=0o755), entry("d/sub/deep.txt", data=b"deep\n"),
                entry("other.txt", data=b"other\n")],
               [entry("d/", "dir", mode=0o755), entry("d/new.txt", data=b"new\n"),
                entry("d/.wh..wh..opq"), entry("d/sub2/", "dir", mode=0o755),
                entry("d/sub2/x.txt", data=b"x\n")]],
}

GZIP = {"bomb", "bomb-layers", "bomb-claim"}

os.makedirs(out + "/blobs/sha256", exist_ok=True)


def put(data):
    d = hashlib.sha256(data).hexdigest()
    with open(out + "/blobs/sha256/" + d, "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + d, "size": len(data)}


layers, diff_ids = [], []
for i, es in enumerate(CASES[case]):
    data = tar(es, pad=(case != "unpadded"))
    mt = "application/vnd.oci.image.layer.v1.tar"
    if case == "bomb-claim":  # size field of the first header: 3 GiB, in octal
        data = data[:124] + b"%011o\0" % (3 << 30) + data[136:]
        chk = sum(data[:148]) + 8 * 32 + sum(data[156:512])
        data = data[:148] + b"%06o\0 " % chk + data[156:]
    if case in GZIP:
        data = gzip.compress(data, mtime=0)
        mt += "+gzip"
    layers.append(dict(mediaType=mt, **put(data)))
    diff_ids.append(layers[-1]["digest"])
config = json.dumps({"architecture": "amd64", "os": "linux",
                     "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": dict(mediaType="application/vnd.oci.image.config.v1+json", **put(config)),
                       "layers": layers}).encode()
m = put(manifest)
index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": []}
if os.path.exists(out + "/index.json"):
    index = json.load(open(out + "/index.json"))
index["manifests"].append(dict(mediaType="application/vnd.oci.image.manifest.v1+json",
                               annotations={"org.opencontainers.image.ref.name": case}, **m))
json.dump(index, open(out + "/index.json", "w"))
open(out + "/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
print(layers[-1]["digest"])
