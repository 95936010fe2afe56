#!/usr/bin/env bash
# Differential tests: seam-fake against Seam's official fake (@seamapi/fake-seam-connect,
# pinned), on 127.0.0.1. Runs where node and npm are on the machine; says plainly that it
# did not run otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
OFFICIAL_FAKE_VERSION=1.86.0
source .ci/node_lib.sh
require_node "Differential tests against the official fake"

npm_install "@seamapi/fake-seam-connect@$OFFICIAL_FAKE_VERSION"
cp .ci/official_fake.mjs .ci/loopback.cjs "$work/"

port=$(free_port)
(cd "$work" && PORT="$port" NODE_ENV=production exec node -r ./loopback.cjs official_fake.mjs) >"$work/fake.log" 2>&1 &
background_pid=$!
wait_for_health "$port" "the official fake"

SEAM_FAKE_OFFICIAL_ENDPOINT="http://127.0.0.1:$port" .venv/bin/python -m pytest -q -s -p no:randomly \
  -p no:cacheprovider differential
