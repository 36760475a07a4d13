#!/usr/bin/env bash
# Mints a dev token (the service must run with dev tokens on, the default with embedded services).
# Usage: scripts/token.sh [user] [role...]      e.g. scripts/token.sh alice admin
set -euo pipefail
url=${TICKETRUSH_URL:-http://127.0.0.1:8080}
sub=${1:-alice}
shift || true
roles=$(printf '"%s",' "$@"); roles="[${roles%,}]"
[ "$roles" = '[""]' ] && roles='[]'
curl -fsS -X POST "$url/api/dev/tokens" -H 'Content-Type: application/json' \
  -d "{\"sub\":\"$sub\",\"roles\":$roles}" | sed -E 's/.*"token":"([^"]+)".*/\1/'
echo
