# tests/helpers/sign.sh — sourced by the signing tests (400-449).
#
# make_bundle DIR TAG   an OCI layout built by umoci, independently of xpship:
#                       an image TAG with one layer holding model/weights.bin
# keyid PUB             the first 12 hex digits of xpship's key id (SHA-256 of
#                       the DER SubjectPublicKeyInfo), computed with openssl
# sig_tag DIR TAG       the cosign signature tag of TAG's manifest
# att_tag DIR TAG       the attestation tag
# oci_edit ...          tests/helpers/oci_edit.py (forgeries)
# dsse_verify ...       tests/helpers/dsse_verify.py (independent DSSE check)

make_bundle() {
	local dir=$1 tag=$2 root
	root=$(mktemp -d "$T/.rootfs.XXXXXX")
	mkdir -p "$root/model"
	printf 'weights of %s\n' "$tag" >"$root/model/weights.bin"
	[ -d "$dir" ] || umoci init --layout "$dir" || return 1
	umoci new --image "$dir:$tag" || return 1
	umoci insert --rootless --image "$dir:$tag" "$root/model" /model >/dev/null || return 1
	rm -rf "$root"
}

keyid() {
	openssl pkey -pubin -in "$1" -outform DER | openssl dgst -sha256 -r | cut -c1-12
}

oci_edit() { /usr/bin/python3 "$TESTS_DIR/helpers/oci_edit.py" "$@"; }
dsse_verify() { /usr/bin/python3 "$TESTS_DIR/helpers/dsse_verify.py" "$@"; }

sig_tag() { echo "sha256-$(oci_edit digest "$1" "$2" | cut -d: -f2).sig"; }
att_tag() { echo "sha256-$(oci_edit digest "$1" "$2" | cut -d: -f2).att"; }
