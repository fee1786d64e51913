# Shared by the bench scripts that load the server jar with wrk: sourced, not run. Each function says what it
# needs; the caller keeps the server's pid and log.

# Installs wrk with apt-get when it is missing.
ensure_wrk() {
  if ! command -v wrk >/dev/null; then
    echo "installing wrk" >&2
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  fi
}

# Builds the server jar ($1) when it is missing.
ensure_jar() {
  if [[ ! -f "$1" ]]; then
    echo "building $1" >&2
    mvn -B -q -DskipTests -pl http-api -am package
  fi
}

# Prints a port free on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Stops the process group led by $1 (a server started with setsid): SIGTERM, up to 15 s, then SIGKILL.
stop_group() {
  local pid="$1"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
}

# Waits up to 60 s until $1/ready answers; exits 1 with the end of the log ($3) when the server ($2) stops or
# is not ready by then.
await_ready() {
  local base="$1" pid="$2" log="$3"
  for _ in $(seq 1 600); do
    if curl -sf "$base/ready" >/dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the server stopped during start-up:" >&2
      tail -20 "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "the server was not ready within 60 s" >&2
  tail -20 "$log" >&2
  exit 1
}
