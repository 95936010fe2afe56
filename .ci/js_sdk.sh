#!/usr/bin/env bash
# The official JavaScript SDK (npm `seam`, pinned) against `seam-fake serve` on 127.0.0.1.
# Runs where node and npm are on the machine; says plainly that it did not run otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
SEAM_JS_VERSION=1.245.0

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "JavaScript SDK check NOT RUN: node and npm are not on this machine"
  exit 0
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund "seam@$SEAM_JS_VERSION")
cp .ci/js_sdk_check.mjs "$work/"

port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
key=seam_test_js_sdk_check
.venv/bin/seam-fake serve --host 127.0.0.1 --port "$port" --api-key "$key" >"$work/server.log" 2>&1 &
server_pid=$!
.venv/bin/python - "$port" <<'PY'
import sys, time, urllib.request

for _ in range(200):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=1)
        break
    except OSError:
        time.sleep(0.05)
else:
    sys.exit("seam-fake serve did not answer /health")
PY

(cd "$work" && SEAM_ENDPOINT="http://127.0.0.1:$port" SEAM_API_KEY="$key" node js_sdk_check.mjs)
