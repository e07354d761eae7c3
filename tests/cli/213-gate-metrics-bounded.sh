# `gate` reads metric sources up to a cap, whatever they are: /dev/zero, a
# FIFO that never ends, an MLflow metric file that is /dev/zero, an
# experiment's metrics_file. Each is malformed input (exit 3) with the cap in
# the message, fast and in bounded memory; no decision is written.
. "$TESTS_DIR/lib.sh"
cp "$DATA/gate/gate.yaml" "$DATA/gate/candidate.json" "$DATA/gate/champion.json" .

# a regression to an unbounded read fails here instead of filling memory (a
# sanitizer's shadow memory does not fit under such a limit: the time limit
# stays)
limit='ulimit -v 1048576;'
[ "${XPSHIP_SANITIZE:-0}" = 1 ] && limit=
gate() { run bash -c "$limit"' exec timeout 60 "$0" "$@"' "$XPSHIP" gate \
	--policy gate.yaml --decision decision.json "$@"; }
too_big() { # what
	expect_rc 3
	expect_out_empty
	expect_err <<END
xpship: error: cannot read '$1': larger than 67108864 bytes
END
	[ ! -e decision.json ] || fail "decision written for '$1'"
}

gate --metrics /dev/zero
too_big /dev/zero
gate --metrics candidate.json --baseline /dev/zero
too_big /dev/zero

mkfifo endless
(yes '{"accuracy": 0.9,' >endless 2>/dev/null &)
gate --metrics endless
too_big endless

mkdir -p mlruns/1/r/metrics
ln -s /dev/zero mlruns/1/r/metrics/accuracy
gate --metrics candidate.json --baseline mlruns/1/r
expect_rc 3
expect_err_has "xpship: error: cannot read 'mlruns/1/r/metrics/accuracy': larger than "
[ ! -e decision.json ] || fail "decision written for an endless MLflow metric"

ln -s /dev/zero zero.json
sed 's|metrics_file: run-2-metrics.json|metrics_file: zero.json|; /mlflow_run:/d' \
	"$DATA/gate/experiment.yaml" >experiment.yaml
gate --experiment experiment.yaml
expect_rc 3
expect_err_has "zero.json': larger than 67108864 bytes"
[ ! -e decision.json ] || fail "decision written for an endless metrics_file"
exit 0
