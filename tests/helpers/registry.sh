# tests/helpers/registry.sh — a real Debian docker-registry on loopback, for tests.
#
#   . "$TESTS_DIR/helpers/registry.sh"
#   reg_start plain|basic|tls [NAME]
#
# Starts /usr/bin/docker-registry on a free 127.0.0.1 port with its storage in a
# fresh directory, waits until /v2/ answers, and registers an EXIT trap that stops
# it by PID (also when the test fails). Sets, for the last one started:
#   REG_ADDR   127.0.0.1:PORT
#   REG_DIR    its directory (config, data, log)
#   REG_PID    its process id
#   REG_USER, REG_PASS   basic mode credentials
#   REG_CA     tls mode: the throwaway CA/server certificate to trust
# Several registries may run at once; reg_stop_all stops them all.

REG_PIDS=${REG_PIDS:-}

reg_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

reg_stop_all() {
	local pid
	for pid in $REG_PIDS; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in $REG_PIDS; do
		local i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	REG_PIDS=
}

_reg_trap_installed=${_reg_trap_installed:-0}
_reg_install_trap() {
	[ "$_reg_trap_installed" = 1 ] && return
	_reg_trap_installed=1
	trap 'reg_stop_all' EXIT
	trap 'reg_stop_all; exit 130' INT TERM
}

# reg_write_config DIR PORT MODE: writes DIR/config.yml (and credentials, certs)
reg_write_config() {
	local dir=$1 port=$2 mode=$3
	mkdir -p "$dir/data"
	{
		echo "version: 0.1"
		echo "log: {level: info, accesslog: {disabled: true}}"
		echo "storage:"
		echo "  filesystem: {rootdirectory: $dir/data}"
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

reg_start() {
	local mode=${1:-plain} name=${2:-reg} dir port pid i url curlopts attempt
	_reg_install_trap
	for attempt in 1 2 3; do
		dir="${T:-$(mktemp -d)}/$name"
		rm -rf "$dir"
		port=$(reg_free_port)
		reg_write_config "$dir" "$port" "$mode"
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
			code=$(curl -s -o /dev/null -w '%{http_code}' "${curlopts[@]}" "$url" 2>/dev/null)
			case "$code" in
			200|401)
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
		echo "registry did not start (attempt $attempt):" >&2
		tail -n 20 "$dir/registry.log" >&2
	done
	return 1
}
