#!/usr/bin/env python3
"""Regenerates the registry test bundles (deterministic bytes, so the CLI tests
can pin digests):

  bundle/   OCI layout, tag v1: an image config, one uncompressed layer with
            model/weights.bin and model/README, annotations
  signed/   the same image, plus the companions cosign-style tooling leaves:
            sha256-<hex>.sig (simple-signing layer) and sha256-<hex>.att (DSSE
            layer), both with `subject` = the image manifest
  index/    an image index (tag multi) over two image manifests

Run from this directory: python3 gen.py
"""
import hashlib, io, json, os, shutil, tarfile

def dump(o):
    return json.dumps(o, separators=(",", ":"), sort_keys=False).encode()

class Layout:
    def __init__(self, path):
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(os.path.join(path, "blobs", "sha256"))
        self.path, self.index = path, []
        with open(os.path.join(path, "oci-layout"), "w") as f:
            f.write('{"imageLayoutVersion":"1.0.0"}')

    def blob(self, data, mt, **extra):
        d = hashlib.sha256(data).hexdigest()
        with open(os.path.join(self.path, "blobs", "sha256", d), "wb") as f:
            f.write(data)
        desc = {"mediaType": mt, "digest": "sha256:" + d, "size": len(data)}
        desc.update(extra)
        return desc

    def tag(self, desc, name):
        e = dict(desc)
        e["annotations"] = {"org.opencontainers.image.ref.name": name}
        self.index.append(e)

    def close(self):
        with open(os.path.join(self.path, "index.json"), "wb") as f:
            f.write(dump({"schemaVersion": 2,
                          "mediaType": "application/vnd.oci.image.index.v1+json",
                          "manifests": self.index}))

def layer(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in files:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode, ti.uid, ti.gid = len(data), 0, 0o644, 0, 0
            t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()

def image(l, weights, version):
    tar = layer([("model/README", b"churn classifier %s\n" % version.encode()),
                 ("model/weights.bin", weights)])
    lay = l.blob(tar, "application/vnd.oci.image.layer.v1.tar")
    cfg = l.blob(dump({"architecture": "amd64", "os": "linux",
                       "config": {"Labels": {"org.opencontainers.image.version": version}},
                       "rootfs": {"type": "layers", "diff_ids": [lay["digest"]]}}),
                 "application/vnd.oci.image.config.v1+json")
    m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "config": cfg, "layers": [lay],
         "annotations": {"org.opencontainers.image.title": "churn-classifier",
                         "org.opencontainers.image.version": version}}
    return l.blob(dump(m), m["mediaType"])

def companion(l, subject, mt, payload, annots):
    cfg = l.blob(b"{}", "application/vnd.oci.image.config.v1+json")
    lay = l.blob(payload, mt, annotations=annots)
    m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "config": cfg, "layers": [lay], "subject": subject}
    return l.blob(dump(m), m["mediaType"])

weights = bytes((i * 7919) % 251 for i in range(20000))

b = Layout("bundle")
b.tag(image(b, weights, "1.4.0"), "v1")
b.close()

s = Layout("signed")
m = image(s, weights, "1.4.0")
s.tag(m, "v1")
hexd = m["digest"][7:]
sig = companion(s, m, "application/vnd.dev.cosign.simplesigning.v1+json",
                dump({"critical": {"identity": {"docker-reference": "x"},
                                   "image": {"docker-manifest-digest": m["digest"]},
                                   "type": "cosign container image signature"}}),
                {"dev.cosignproject.cosign/signature": "TUVVQ0lRRGZha2VzaWduYXR1cmU="})
s.tag(sig, "sha256-%s.sig" % hexd)
att = companion(s, m, "application/vnd.dsse.envelope.v1+json",
                dump({"payloadType": "application/vnd.in-toto+json", "payload": "e30=",
                      "signatures": []}),
                {"predicateType": "https://xpship.dev/gate-decision/v1"})
s.tag(att, "sha256-%s.att" % hexd)
s.close()

x = Layout("index")
m1 = image(x, weights, "1.4.0")
m1["platform"] = {"architecture": "amd64", "os": "linux"}
m2 = image(x, weights[::-1], "1.4.0")
m2["platform"] = {"architecture": "arm64", "os": "linux"}
ix = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
      "manifests": [m1, m2]}
x.tag(x.blob(dump(ix), ix["mediaType"]), "multi")
x.close()
