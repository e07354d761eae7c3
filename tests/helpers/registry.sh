# tests/helpers/registry.sh — a real Debian docker-registry on loopback, for tests.
#
#   . "$TESTS_DIR/helpers/registry.sh"
#   reg_start plain|basic|tls|token [NAME] [ISSUER_OPTION...]
#
# Starts /usr/bin/docker-registry on a free 127.0.0.1 port with its storage in a
# fresh directory ($T/NAME, NAME defaults to "reg"), waits until /v2/ answers, and
# registers an EXIT trap that stops it by PID (also when the test fails). Sets, for
# the last one started:
#   REG_ADDR   127.0.0.1:PORT
#   REG_DIR    its directory (config.yml, data/, registry.log)
#   REG_PID    its process id
#   REG_USER, REG_PASS   basic and token mode credentials
#   REG_CA     tls mode: the throwaway CA/server certificate to trust
# With REG_DATA_DIR set, the registry stores its content there instead of in
# $T/NAME/data, and it survives the registry (the demo keeps its champion so).
# Several registries may run at once; reg_stop_all stops them all (token issuers
# included). REG_PIDS lists every process started.
#
# Token mode (bearer-token auth, plain HTTP): generates an EC P-256 key and
# certificate, starts tests/helpers/token_issuer.py (see its header for the HTTP
# interface and log format) on its own free port, configures the registry's
# `auth.token` (realm http://REG_TOKEN_ADDR/token, service test-registry, issuer
# test-issuer, rootcertbundle = the certificate), and waits until /v2/ answers 401
# with `Www-Authenticate: Bearer realm=...`. ISSUER_OPTIONs go to
# `token_issuer.py serve`, e.g. `reg_start token tok --expires-in 5 --expired 1
# --limit reader=pull --anonymous pull`. Also sets:
#   REG_TOKEN_ADDR     the issuer, 127.0.0.1:PORT (realm = http://$REG_TOKEN_ADDR/token)
#   REG_TOKEN_PID      its process id (also in REG_PIDS)
#   REG_TOKEN_LOG      its request log, one line per token request:
#                      `STATUS GRANT USER EXPIRED SCOPE...`, e.g.
#                      `200 basic tester 0 repository:team/model:pull,push`
#   REG_TOKEN_KEY, REG_TOKEN_CERT   the signing key and certificate
#   REG_TOKEN_SERVICE=test-registry  REG_TOKEN_ISSUER=test-issuer
# and offers:
#   reg_token SCOPE...        prints a token for REG_USER (curl; no password on argv)
#   reg_token_mint [OPT...]   prints a token signed with REG_TOKEN_KEY without asking
#                             the issuer: --scope S, --sub NAME, --expired,
#                             --expires-in N, --key/--cert (another key: a forgery)
#   reg_token_ctl K=V...      changes the running issuer: expires_in=N, expired=N
#                             (next N tokens already expired, -1 all), fail=N
#                             fail_status=S (next N token requests answer S); prints
#                             the resulting state as JSON
# The registry logs why it rejected a token at level info in $REG_DIR/registry.log.
#
# Independent client (any mode; credentials REG_USER/REG_PASS when set, TLS not
# verified):
#   reg_skopeo_push REF [LAYOUT:TAG]   skopeo copies an OCI layout to docker://REF
#                             (default: a minimal image umoci makes in $T/sample);
#                             prints the source manifest's digest
#   reg_skopeo_digest REF     the manifest digest skopeo reads from docker://REF

_REG_HELPERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$_REG_HELPERS/cleanup.sh"

REG_PIDS=${REG_PIDS:-}

reg_free_port() {
	"$XP_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

reg_stop_all() {
	# shellcheck disable=SC2086
	xp_stop_pids $REG_PIDS
	REG_PIDS=
}

_reg_trap_installed=${_reg_trap_installed:-0}
_reg_install_trap() {
	[ "$_reg_trap_installed" = 1 ] && return
	_reg_trap_installed=1
	xp_on_exit reg_stop_all
}

# reg_write_config DIR PORT MODE [TOKEN_REALM]: writes DIR/config.yml (and
# credentials, certs)
reg_write_config() {
	local dir=$1 port=$2 mode=$3 realm=${4:-} data=${REG_DATA_DIR:-$1/data}
	mkdir -p "$data"
	{
		echo "version: 0.1"
		echo "log: {level: info, accesslog: {disabled: true}}"
		echo "storage:"
		echo "  filesystem: {rootdirectory: $data}"
		echo "  delete: {enabled: true}"
		echo "http:"
		echo "  addr: 127.0.0.1:$port"
		echo "  secret: xpship-test-secret"
		if [ "$mode" = tls ]; then
			echo "  tls: {certificate: $dir/server.crt, key: $dir/server.key}"
		fi
		if [ "$mode" = basic ]; then
			echo "auth:"
			echo "  htpasswd: {realm: test-realm, path: $dir/htpasswd}"
		fi
		if [ "$mode" = token ]; then
			echo "auth:"
			echo "  token:"
			echo "    realm: $realm"
			echo "    service: test-registry"
			echo "    issuer: test-issuer"
			echo "    rootcertbundle: $dir/auth/ec.crt"
		fi
	} >"$dir/config.yml"
	case "$mode" in
	basic)
		REG_USER=tester
		REG_PASS="s3cret-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
		htpasswd -Bbn "$REG_USER" "$REG_PASS" >"$dir/htpasswd" 2>/dev/null
		;;
	tls)
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout "$dir/server.key" \
			-out "$dir/server.crt" -subj "/CN=127.0.0.1" \
			-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >/dev/null 2>&1
		REG_CA="$dir/server.crt"
		;;
	esac
}

# _reg_start_issuer DIR ISSUER_OPTION...: key, certificate, credentials, then the
# token issuer; sets REG_USER, REG_PASS, REG_TOKEN_*.
_reg_start_issuer() {
	local dir=$1 wrapper pid
	shift
	mkdir -p "$dir/auth"
	openssl ecparam -name prime256v1 -genkey -noout -out "$dir/auth/ec.key" 2>/dev/null &&
		openssl req -new -x509 -key "$dir/auth/ec.key" -out "$dir/auth/ec.crt" -days 2 \
			-subj /CN=test-issuer 2>/dev/null || return 1
	REG_USER=tester
	REG_PASS="s3cret-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
	(umask 077 && printf '%s:%s\n' "$REG_USER" "$REG_PASS" >"$dir/auth/credentials")
	"$XP_PYTHON" "$_REG_HELPERS/token_issuer.py" serve --key "$dir/auth/ec.key" \
		--cert "$dir/auth/ec.crt" --credentials "$dir/auth/credentials" \
		--port-file "$dir/auth/issuer.port" --pid-file "$dir/auth/issuer.pid" \
		--log "$dir/token.log" --watch-pid $$ "$@" >"$dir/issuer.log" 2>&1 &
	wrapper=$!
	REG_PIDS="$REG_PIDS $wrapper"
	if ! xp_wait_file "$dir/auth/issuer.port" 100 "$wrapper" ||
		! xp_wait_file "$dir/auth/issuer.pid" 10 "$wrapper"; then
		echo "token issuer did not start:" >&2
		tail -n 20 "$dir/issuer.log" >&2
		return 1
	fi
	pid=$(cat "$dir/auth/issuer.pid")
	[ "$pid" = "$wrapper" ] || REG_PIDS="$REG_PIDS $pid"
	REG_TOKEN_ADDR="127.0.0.1:$(cat "$dir/auth/issuer.port")"
	REG_TOKEN_PID=$pid
	REG_TOKEN_LOG="$dir/token.log"
	REG_TOKEN_KEY="$dir/auth/ec.key"
	REG_TOKEN_CERT="$dir/auth/ec.crt"
	REG_TOKEN_SERVICE=test-registry
	REG_TOKEN_ISSUER=test-issuer
	: >"$REG_TOKEN_LOG"
	export REG_TOKEN_ADDR REG_TOKEN_PID REG_TOKEN_LOG REG_TOKEN_KEY REG_TOKEN_CERT \
		REG_TOKEN_SERVICE REG_TOKEN_ISSUER
}

reg_start() {
	local mode=${1:-plain} name=${2:-reg} dir port pid i url curlopts attempt code realm
	shift 2 2>/dev/null || shift $#
	case "$mode" in
	plain|basic|tls|token) ;;
	*) echo "reg_start: unknown mode '$mode'" >&2; return 2 ;;
	esac
	_reg_install_trap
	for attempt in 1 2 3; do
		dir="${T:-$(mktemp -d)}/$name"
		rm -rf "$dir"
		mkdir -p "$dir"
		realm=
		if [ "$mode" = token ]; then
			_reg_start_issuer "$dir" "$@" || return 1
			realm="http://$REG_TOKEN_ADDR/token"
		fi
		port=$(reg_free_port)
		reg_write_config "$dir" "$port" "$mode" "$realm"
		/usr/bin/docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
		pid=$!
		REG_PIDS="$REG_PIDS $pid"
		url="http://127.0.0.1:$port/v2/"
		curlopts=()
		if [ "$mode" = tls ]; then
			url="https://127.0.0.1:$port/v2/"
			curlopts=(--cacert "$dir/server.crt")
		fi
		for i in $(seq 1 100); do
			if ! kill -0 "$pid" 2>/dev/null; then break; fi
			code=$(curl -s -o /dev/null -D "$dir/.ready" -w '%{http_code}' \
				"${curlopts[@]}" "$url" 2>/dev/null)
			if [ "$mode" = token ] && [ "$code" = 401 ] &&
				! grep -qiF "www-authenticate: bearer realm=\"$realm\"" "$dir/.ready"; then
				code=unexpected-challenge
			fi
			case "$code" in
			200|401)
				rm -f "$dir/.ready"
				REG_ADDR="127.0.0.1:$port"
				REG_DIR=$dir
				REG_PID=$pid
				export REG_ADDR REG_DIR REG_PID
				return 0
				;;
			esac
			sleep 0.1
		done
		kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
		if [ "$mode" = token ]; then
			xp_stop_pids "$REG_TOKEN_PID"
		fi
		echo "registry did not start (attempt $attempt):" >&2
		tail -n 20 "$dir/registry.log" >&2
	done
	return 1
}

# reg_token SCOPE...: a token for REG_USER from the last token issuer started.
reg_token() {
	local args=() s
	for s in "$@"; do args+=(--data-urlencode "scope=$s"); done
	printf 'user = "%s:%s"\n' "$REG_USER" "$REG_PASS" |
		curl -sf -K - -G "${args[@]}" --data-urlencode "service=$REG_TOKEN_SERVICE" \
			"http://$REG_TOKEN_ADDR/token" |
		"$XP_PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# reg_token_mint [--scope S]... [--sub N] [--expired] [--expires-in N] [--key K --cert C]
reg_token_mint() {
	"$XP_PYTHON" "$_REG_HELPERS/token_issuer.py" mint --key "$REG_TOKEN_KEY" \
		--cert "$REG_TOKEN_CERT" --issuer "$REG_TOKEN_ISSUER" \
		--service "$REG_TOKEN_SERVICE" "$@"
}

# reg_token_ctl KEY=VALUE...: see token_issuer.py (POST /_control).
reg_token_ctl() {
	local q
	q=$(IFS='&'; echo "$*")
	curl -sf -X POST "http://$REG_TOKEN_ADDR/_control?$q"
}

_reg_skopeo_creds() { # OPTION: --creds/--dest-creds with REG_USER:REG_PASS, if set
	[ -n "${REG_USER:-}" ] && printf '%s\n%s\n' "$1" "$REG_USER:$REG_PASS"
}

# reg_skopeo_push REF [LAYOUT:TAG]
reg_skopeo_push() {
	local ref=$1 src=${2:-} creds
	if [ -z "$src" ]; then
		src="${T:-$(mktemp -d)}/sample:t"
		if [ ! -d "${src%:t}" ]; then
			umoci init --layout "${src%:t}" && umoci new --image "$src" || return 1
		fi
	fi
	mapfile -t creds < <(_reg_skopeo_creds --dest-creds)
	skopeo copy --quiet "${creds[@]}" --dest-tls-verify=false "oci:$src" "docker://$ref" >&2 &&
		skopeo inspect --format '{{.Digest}}' "oci:$src"
}

# reg_skopeo_digest REF
reg_skopeo_digest() {
	local creds
	mapfile -t creds < <(_reg_skopeo_creds --creds)
	skopeo inspect "${creds[@]}" --tls-verify=false --format '{{.Digest}}' "docker://$1"
}
