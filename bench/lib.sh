# bench/lib.sh — what the registry benchmarks share (sourced by bench/*/run.sh
# after setting `name`): the tool check, a scratch directory $T with the test
# helpers' registry functions and cleanup, and the bundle they read or write.

# bench_init TOOL...: fail unless every TOOL is there; make $T; load the
# registry helpers; stop registries and remove $T on exit or interrupt.
bench_init() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null || { echo "bench $name: $tool is missing (make deps)"; exit 1; }
	done
	T=$(mktemp -d "${TMPDIR:-/tmp}/xpship-bench-$name.XXXXXX")
	TESTS_DIR="$here/../../tests"
	XP_PYTHON=${XP_PYTHON:-python3}
	export T TESTS_DIR XP_PYTHON
	# shellcheck disable=SC1091
	. "$TESTS_DIR/helpers/registry.sh"
	# through the helpers' shared EXIT trap (reg_start installs it: a trap of
	# our own would be replaced and $T left behind)
	xp_on_exit bench_cleanup
}

bench_cleanup() {
	reg_stop_all
	rm -rf "$T"
}

# bench_bundle SIZE_MB DIR: an OCI layout at DIR tagged v1 whose one
# uncompressed tar layer holds SIZE_MB MiB of random bytes; sets $layer (hex)
# and $lsize.
bench_bundle() {
	local mb=$1 dir=$2
	mkdir -p "$T/src" "$dir/blobs/sha256"
	head -c "$((mb * 1024 * 1024))" /dev/urandom >"$T/src/weights.bin"
	tar -C "$T/src" --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$T/layer.tar" weights.bin
	rm -f "$T/src/weights.bin"
	layer=$(openssl dgst -sha256 -r "$T/layer.tar" | cut -d' ' -f1)
	lsize=$(stat -c %s "$T/layer.tar")
	mv "$T/layer.tar" "$dir/blobs/sha256/$layer"
	"$XP_PYTHON" - "$dir" "$layer" "$lsize" <<'PY'
import hashlib, json, os, sys
d, layer, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
def put(data, mt):
    h = hashlib.sha256(data).hexdigest()
    open(os.path.join(d, "blobs", "sha256", h), "wb").write(data)
    return {"mediaType": mt, "digest": "sha256:" + h, "size": len(data)}
cfg = put(json.dumps({"architecture": "amd64", "os": "linux",
                      "rootfs": {"type": "layers", "diff_ids": ["sha256:" + layer]}}).encode(),
          "application/vnd.oci.image.config.v1+json")
m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
     "config": cfg, "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                                "digest": "sha256:" + layer, "size": size}]}
md = put(json.dumps(m).encode(), m["mediaType"])
md["annotations"] = {"org.opencontainers.image.ref.name": "v1"}
open(os.path.join(d, "index.json"), "w").write(json.dumps(
    {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [md]}))
open(os.path.join(d, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')
PY
}
