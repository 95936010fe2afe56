#!/usr/bin/env bash
# The official JavaScript SDK (npm `seam`, pinned) against `seam-fake serve` on 127.0.0.1.
# Runs where node and npm are on the machine; says plainly that it did not run otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
SEAM_JS_VERSION=1.245.0
source .ci/node_lib.sh
require_node "JavaScript SDK check"

npm_install "seam@$SEAM_JS_VERSION"
cp .ci/js_sdk_check.mjs "$work/"

port=$(free_port)
key=seam_test_js_sdk_check
.venv/bin/seam-fake serve --host 127.0.0.1 --port "$port" --api-key "$key" >"$work/server.log" 2>&1 &
background_pid=$!
wait_for_health "$port" "seam-fake serve"

(cd "$work" && SEAM_ENDPOINT="http://127.0.0.1:$port" SEAM_API_KEY="$key" node js_sdk_check.mjs)
