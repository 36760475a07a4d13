#!/usr/bin/env bash
# Prints N user dev tokens, one per line (users lt-user-<run>-1 .. N, no roles).
# Usage: scripts/mint-tokens.sh N [prefix]   env: TICKETRUSH_URL (default http://127.0.0.1:8080)
# Needs dev tokens on (the default with embedded Redis/PostgreSQL). Loopback targets only.
set -euo pipefail
url=${TICKETRUSH_URL:-http://127.0.0.1:8080}
url=${url%/}
n=${1:?usage: mint-tokens.sh N [prefix]}
[[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 100000 ] || { echo "mint-tokens: N must be 1..100000" >&2; exit 2; }
prefix=${2:-lt-user-$(date +%s)}

rest=${url#*://}; hostport=${rest%%/*}; hostport=${hostport##*@}
if [[ "$hostport" == \[* ]]; then host=${hostport#[}; host=${host%%]*}; else host=${hostport%%:*}; fi
case "$host" in
  localhost|::1|127.*) ;;
  *) echo "mint-tokens: refusing $url: only loopback targets (127.0.0.0/8, localhost, ::1) are allowed" >&2; exit 2 ;;
esac
if [[ "$host" == 127.* ]] && ! [[ "$host" =~ ^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]]; then
  echo "mint-tokens: refusing $url: '$host' is not a loopback address" >&2; exit 2
fi

for ((i = 1; i <= n; i++)); do
  token=$(curl -fsS -X POST "$url/api/dev/tokens" -H 'Content-Type: application/json' \
    -d "{\"sub\":\"$prefix-$i\",\"roles\":[]}" | sed -nE 's/.*"token":"([^"]+)".*/\1/p')
  [ -n "$token" ] || { echo "mint-tokens: no token for $prefix-$i (are dev tokens on?)" >&2; exit 1; }
  echo "$token"
done
