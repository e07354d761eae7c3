# tests/helpers/history.sh — model releases for the history tests: a small
# experiment per release, gated against the repository's champion, packed,
# pushed, signed and attested on a real registry.
#
#   . "$TESTS_DIR/helpers/history.sh"
#   hist_init                          keys k.key/k.pub, the gate policy, a model dir
#   hist_release REPO TAG ACC [LR]     a release with accuracy ACC (learning rate LR)
#                                      gated against REPO:prod; pushed to REPO:TAG,
#                                      signed and attested with k.key. Sets HR_DIGEST,
#                                      HR_VERDICT (pass|fail); returns 0 either way
#   hist_promote REPO TAG [ARGS...]    promote REPO:TAG to prod, verified, with a
#                                      promotion statement signed by k.key
#   hist_tag REPO TAG                  the digest REPO:TAG names, or "none"
# Needs REG_ADDR-style plain-http registries (pass the address in REPO).
hist_init() {
	xp keygen -t ed25519 -o k >/dev/null || fail "keygen"
	cat >policy.yaml <<'YAML'
version: 1
rules:
  - metric: accuracy
    min: 0.5
    max_abs_regression: 0
YAML
	mkdir -p model && printf 'weights v0\n' >model/model.bin
}

hist_release() {
	local repo=$1 tag=$2 acc=$3 lr=${4:-0.1} d=rel-$2
	mkdir -p "$d"
	printf 'weights %s\n' "$tag" >model/model.bin
	cat >"$d/experiment.yaml" <<YAML
apiVersion: xpship/v1
kind: Experiment
metadata: {name: churn, id: exp-$tag}
objective: {metric: accuracy, direction: maximize}
runs:
  - id: run-1
    parameters: {lr: $lr}
    metrics: {accuracy: $acc, latency_ms: 80}
selected: run-1
YAML
	xp gate --plain-http --policy policy.yaml --experiment "$d/experiment.yaml" \
		--baseline "$repo:prod" --decision "$d/decision.json" >/dev/null 2>&1
	case $? in 0) HR_VERDICT=pass ;; 1) HR_VERDICT=fail ;; *) fail "gate $tag" ;; esac
	xp pack -o "oci:$d/b" -t "$tag" --experiment "$d/experiment.yaml" \
		--decision "$d/decision.json" model >/dev/null 2>&1 || fail "pack $tag"
	xp push --plain-http "oci:$d/b:$tag" "$repo:$tag" >/dev/null || fail "push $tag"
	xp sign --plain-http --key k.key "$repo:$tag" >/dev/null || fail "sign $tag"
	xp attest --plain-http --key k.key --decision "$d/decision.json" "$repo:$tag" \
		>/dev/null || fail "attest $tag"
	HR_DIGEST=$(hist_tag "$repo" "$tag")
}

hist_promote() {
	local repo=$1 tag=$2
	shift 2
	xp promote --plain-http --verify-key k.pub --require-verdict pass --sign-key k.key \
		"$@" "$repo:$tag" --to prod
}

hist_tag() {
	local code
	code=$(curl -s -o /dev/null -w '%{http_code}' \
		-H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		-H 'Accept: application/vnd.oci.image.index.v1+json' \
		"http://${1%%/*}/v2/${1#*/}/manifests/$2")
	[ "$code" = 200 ] || { echo none; return; }
	curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		-H 'Accept: application/vnd.oci.image.index.v1+json' \
		"http://${1%%/*}/v2/${1#*/}/manifests/$2" | sha256sum | sed 's/^/sha256:/; s/ .*//'
}
