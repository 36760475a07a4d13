#!/usr/bin/env bash
# Run by `mvn verify` before the slow test lane (pre-integration-test). Fails with one line naming what is missing
# among the programs a build cannot install, then installs the e2e npm packages when node_modules is missing or
# older than package-lock.json. Debian: .ci/run installs the programs.
set -euo pipefail
cd "$(dirname "$0")"

has() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ]; }
missing=()
has node || missing+=("node (apt-get install nodejs)")
has npm || missing+=("npm (apt-get install npm)")
chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || missing+=("chromium at $chromium (apt-get install chromium, or set CHROMIUM)")
has redis-server || missing+=("redis-server (apt-get install redis-server)")
has redis-cli || missing+=("redis-cli (apt-get install redis-tools)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "[e2e] the integration tests need programs a build cannot install; missing: ${missing[*]}" >&2
  exit 1
fi

# npm ci writes node_modules/.package-lock.json; older than package-lock.json means stale.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[e2e] npm ci (node_modules missing or stale)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
