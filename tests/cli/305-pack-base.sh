# `pack --base`: a serving image keeps the base's layers (blobs copied into a
# different output store) and its config (Env, Cmd, Entrypoint, WorkingDir),
# and appends the model layers, diff_ids and history; wrong bases are refused.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

# a base image made by an independent tool
umoci init --layout base >/dev/null && umoci new --image base:latest >/dev/null || fail "umoci new"
umoci config --image base:latest --config.env FOO=bar --config.cmd serve \
	--config.entrypoint /bin/sh --config.workingdir /srv >/dev/null || fail "umoci config"
mkdir app && echo 'echo serving' >app/serve.sh
umoci insert --image base:latest app /srv/app >/dev/null || fail "umoci insert"
base_layers=$(oci_layers base latest)
base_ids=$(oci_json base latest 'c["rootfs"]["diff_ids"]')

pack_model model
run xp pack -o out -t v1 --base oci:base:latest model
expect_rc 0
expect_err_empty
skopeo inspect oci:out:v1 >/dev/null 2>skopeo.err || { cat skopeo.err; fail "skopeo"; }
set -- $(oci_layers out v1)
expect_eq 3 $# "layer count"
expect_eq "$base_layers" "$1" "base layer first"
# the base blob is now in the output store, byte for byte
cmp "$(oci_blob base "$1")" "$(oci_blob out "$1")" || fail "base blob copy"
expect_eq '{"Cmd": ["serve"], "Entrypoint": ["/bin/sh"], "Env": ["FOO=bar"], "WorkingDir": "/srv"}' \
	"$(oci_json out v1 '{k: c["config"][k] for k in ("Env", "Cmd", "Entrypoint", "WorkingDir")}')" "config kept"
expect_eq "amd64 linux" "$(oci_json out v1 'c["architecture"] + " " + c["os"]')"
expect_eq "$(python3 -c "import json,sys;print(json.dumps(json.loads(sys.argv[1]) + [sys.argv[2], sys.argv[3]]))" "$base_ids" "$2" "$3")" \
	"$(oci_json out v1 'c["rootfs"]["diff_ids"]')" "diff_ids appended"
expect_eq '["umoci config", "umoci insert", "xpship pack", "xpship pack"]' \
	"$(oci_json out v1 '[h["created_by"] for h in c["history"]]')" "history appended"
umoci unpack --rootless --image out:v1 bundle >umoci.log 2>&1 || { cat umoci.log; fail "umoci unpack"; }
expect_file_same app/serve.sh bundle/rootfs/srv/app/serve.sh
diff -r model bundle/rootfs/models/model || fail "model files"

# into the base's own layout (nothing to copy) and into an archive
run xp pack -o base -t served --base oci:base:latest model
expect_rc 0
v1=$(oci_manifest out v1 | sha256sum | cut -d' ' -f1)
expect_eq "sha256:$v1" "$(out)" "same image in the base layout"
run xp pack -o served.tar -t v1 --base base:latest model
expect_rc 2
expect_err <<'END'
xpship: error: no such bundle 'base:latest': expected oci:DIR[:TAG], oci-archive:FILE[:TAG], an existing path or HOST/REPO[:TAG]
Run 'xpship pack --help' for usage.
END
run xp pack -o served.tar -t v1 --base oci:base:latest model
expect_rc 0
expect_out <<END
sha256:$v1
END
skopeo inspect oci-archive:served.tar:v1 >/dev/null 2>&1 || fail "skopeo archive"
# a bare path names its only tag, and the base layout now has two
run xp pack -o x -t v1 --base base model
expect_rc 2
expect_err <<'END'
xpship: error: 'oci:base' has several tags (latest, served): name one, as in 'oci:base:TAG'
END

# wrong bases
run xp pack -o x -t v1 --base oci:base:nope model
expect_rc 1
expect_err <<'END'
xpship: error: no tag 'nope' in 'oci:base' (tags: latest, served)
END
run xp pack -o x -t v1 --base oci:base:latest --platform linux/arm64 model
expect_rc 2
expect_err <<'END'
xpship: error: base 'oci:base' is for linux/amd64, not linux/arm64
END
run xp pack -o mp -t v1 --format modelpack model
expect_rc 0
run xp pack -o x -t v1 --base oci:mp:v1 model
expect_rc 2
expect_err <<'END'
xpship: error: base 'oci:mp' is not a container image (config media type 'application/vnd.cncf.model.config.v1+json')
END
[ ! -e x ] || fail "a refused pack created the output"
exit 0
