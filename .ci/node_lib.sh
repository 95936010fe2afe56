# Shared by the checks that need node: sourced, not run.
# require_node exits 0 saying plainly that the check did not run when node or npm is
# missing; otherwise it makes the work folder $work, removed on exit, and stops the
# process whose pid the check puts in $background_pid.

background_pid=""
cleanup() {
  if [ -n "$background_pid" ]; then kill "$background_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}

require_node() {  # $1: what is not run without node
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "$1 NOT RUN: node and npm are not on this machine"
    exit 0
  fi
  work=$(mktemp -d)
  trap cleanup EXIT
}

npm_install() {  # $@: packages, into the work folder
  (cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund "$@")
}

free_port() {
  .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_health() {  # $1: port on 127.0.0.1, $2: what should answer
  .venv/bin/python - "$1" "$2" <<'PY'
import sys, time, urllib.request

for _ in range(400):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=1)
        break
    except OSError:
        time.sleep(0.05)
else:
    sys.exit(f"{sys.argv[2]} did not answer /health")
PY
}
