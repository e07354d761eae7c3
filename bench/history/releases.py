#!/usr/bin/env python3
"""bench/history/releases.py HOST:PORT REPO N — N releases of a model in a
registry, as `xpship pack` and `push` would leave them: one shared model layer,
and per release an image config and a manifest with the xpship annotations
(created, experiment id, objective, metrics, parameters, verdict), tagged
r1..rN. Plain HTTP, one kept-alive connection; standard library only."""
import hashlib
import http.client
import json
import random
import sys

host, repo, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = http.client.HTTPConnection(host)


def req(method, path, body=None, headers=None):
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    if r.status >= 300:
        sys.exit("%s %s: %d %s" % (method, path, r.status, data[:200]))
    return r, data


def blob(data):
    d = "sha256:" + hashlib.sha256(data).hexdigest()
    r, _ = req("POST", "/v2/%s/blobs/uploads/" % repo)
    loc = r.getheader("Location")
    sep = "&" if "?" in loc else "?"
    if loc.startswith("http"):
        loc = "/" + loc.split("/", 3)[3]
    req("PUT", loc + sep + "digest=" + d, data,
        {"Content-Type": "application/octet-stream", "Content-Length": str(len(data))})
    return {"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": d, "size": len(data)}


rnd = random.Random(7)
layer = blob(bytes(rnd.getrandbits(8) for _ in range(64 * 1024)))
for i in range(1, n + 1):
    created = "2026-%02d-%02dT%02d:00:00Z" % (1 + i // 300 % 12, 1 + i // 12 % 28, i % 24)
    metrics = {"accuracy": round(0.8 + rnd.random() / 10, 4), "latency_ms": rnd.randint(50, 120)}
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "created": created,
                      "config": {"Labels": {"dev.xpship.model": "bench"}},
                      "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}).encode()
    cd = blob(cfg)
    cd["mediaType"] = "application/vnd.oci.image.config.v1+json"
    m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "config": cd, "layers": [layer],
         "annotations": {"org.opencontainers.image.created": created,
                         "dev.xpship.experiment.id": "exp-%d" % i,
                         "dev.xpship.objective": "accuracy:maximize",
                         "dev.xpship.metrics": json.dumps(metrics, separators=(",", ":")),
                         "dev.xpship.parameters": json.dumps({"lr": rnd.choice([0.1, 0.01, 0.001])}),
                         "dev.xpship.gate.verdict": rnd.choice(["pass", "fail"])}}
    body = json.dumps(m).encode()
    req("PUT", "/v2/%s/manifests/r%d" % (repo, i), body,
        {"Content-Type": m["mediaType"]})
