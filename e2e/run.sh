#!/usr/bin/env bash
# Runs the browser test of the seat map page and the JS client tests against a service that is ALREADY running at
# TICKETRUSH_URL (default http://127.0.0.1:8080). Needs node >= 20 and Debian's chromium
# (apt-get install chromium; or set CHROMIUM). No browser is downloaded: playwright-core only drives it.
set -euo pipefail
cd "$(dirname "$0")"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
exec node --test seatmap.test.mjs tickets.test.mjs client.test.mjs ticket-codes.test.mjs
