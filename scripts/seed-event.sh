#!/usr/bin/env bash
# Seeds a 10,000-seat event with fixed labels through the public API and prints its id:
# sections A..J, 20 rows x 50 seats each (labels A-01-001 .. J-20-050).
# Usage: scripts/seed-event.sh [name]        env: TICKETRUSH_URL (default http://127.0.0.1:8080),
#   optional HOLD_TTL_MS and MAX_SEATS_PER_USER (the event's holdTtlMs / maxSeatsPerUser; service defaults otherwise)
# Needs dev tokens on (the default with embedded Redis/PostgreSQL). Loopback targets only.
set -euo pipefail
url=${TICKETRUSH_URL:-http://127.0.0.1:8080}
url=${url%/}
name=${1:-Seeded 10k event}

rest=${url#*://}; hostport=${rest%%/*}; hostport=${hostport##*@}
if [[ "$hostport" == \[* ]]; then host=${hostport#[}; host=${host%%]*}; else host=${hostport%%:*}; fi
case "$host" in
  localhost|::1|127.*) ;;
  *) echo "seed-event: refusing $url: only loopback targets (127.0.0.0/8, localhost, ::1) are allowed" >&2; exit 2 ;;
esac
if [[ "$host" == 127.* ]] && ! [[ "$host" =~ ^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]]; then
  echo "seed-event: refusing $url: '$host' is not a loopback address" >&2; exit 2
fi

json_field() { sed -nE "s/.*\"$1\":\"?([^\",}]+)\"?.*/\1/p"; }

admin=$(curl -fsS -X POST "$url/api/dev/tokens" -H 'Content-Type: application/json' \
  -d '{"sub":"seed-admin","roles":["admin"]}' | json_field token)
[ -n "$admin" ] || { echo "seed-event: no admin token (are dev tokens on?)" >&2; exit 1; }

sections=""
for s in A B C D E F G H I J; do
  sections+="{\"name\":\"$s\",\"rows\":20,\"seatsPerRow\":50},"
done
extra=""
if [ -n "${HOLD_TTL_MS:-}" ]; then
  [[ "$HOLD_TTL_MS" =~ ^[0-9]+$ ]] || { echo "seed-event: HOLD_TTL_MS must be a number" >&2; exit 2; }
  extra+=",\"holdTtlMs\":$HOLD_TTL_MS"
fi
if [ -n "${MAX_SEATS_PER_USER:-}" ]; then
  [[ "$MAX_SEATS_PER_USER" =~ ^[0-9]+$ ]] || { echo "seed-event: MAX_SEATS_PER_USER must be a number" >&2; exit 2; }
  extra+=",\"maxSeatsPerUser\":$MAX_SEATS_PER_USER"
fi
body="{\"name\":\"${name//\"/}\",\"sections\":[${sections%,}]$extra}"
answer=$(curl -fsS -X POST "$url/api/events" -H 'Content-Type: application/json' \
  -H "Authorization: Bearer $admin" -d "$body")
id=$(printf '%s' "$answer" | json_field id)
count=$(printf '%s' "$answer" | json_field seatCount)
[ "$count" = 10000 ] || { echo "seed-event: unexpected answer: $answer" >&2; exit 1; }
echo "$id"
