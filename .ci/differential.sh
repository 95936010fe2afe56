#!/usr/bin/env bash
# Differential tests: seam-fake against Seam's official fake (@seamapi/fake-seam-connect,
# pinned), on 127.0.0.1. Runs where node and npm are on the machine; says plainly that it
# did not run otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
OFFICIAL_FAKE_VERSION=1.86.0

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Differential tests against the official fake NOT RUN: node and npm are not on this machine"
  exit 0
fi

work=$(mktemp -d)
fake_pid=""
cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund "@seamapi/fake-seam-connect@$OFFICIAL_FAKE_VERSION")
cp .ci/official_fake.mjs .ci/loopback.cjs "$work/"

port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$work" && PORT="$port" NODE_ENV=production exec node -r ./loopback.cjs official_fake.mjs) >"$work/fake.log" 2>&1 &
fake_pid=$!
.venv/bin/python - "$port" <<'PY'
import sys, time, urllib.request

for _ in range(400):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=1)
        break
    except OSError:
        time.sleep(0.05)
else:
    sys.exit("the official fake did not answer /health")
PY

SEAM_FAKE_OFFICIAL_ENDPOINT="http://127.0.0.1:$port" .venv/bin/python -m pytest -q -s -p no:randomly \
  -p no:cacheprovider differential
