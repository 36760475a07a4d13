#!/usr/bin/env bash
# Reconnect storm (docs/performance.md): N WebSocket seat feeds on one node, the node restarts (SIGTERM, start
# again), and we measure the time until every feed is live again, snapshots served vs resumes, and the node's
# peak CPU while they come back. Redis and PostgreSQL must outlive the node, so they are external here:
#   TICKETRUSH_REDIS_URL=redis://127.0.0.1:6379 TICKETRUSH_PG_URL=postgresql://u:p@127.0.0.1:5432/db \
#     scripts/bench/reconnect-storm.sh 2000 [--no-jitter]
# Loopback only. Needs target/ticket-rush.jar, node and e2e/node_modules (cd e2e && npm ci).
set -euo pipefail
cd "$(dirname "$0")/../.."
FEEDS=${1:-2000}
JITTER=${2:-}
PORT=${PORT:-18090}
: "${TICKETRUSH_REDIS_URL:?set TICKETRUSH_REDIS_URL}" "${TICKETRUSH_PG_URL:?set TICKETRUSH_PG_URL}"
export TICKETRUSH_HTTP_PORT=$PORT TICKETRUSH_DEV_TOKENS=true TICKETRUSH_DEMO_EVENT=true
export TICKETRUSH_JWT_SECRET=${TICKETRUSH_JWT_SECRET:-storm-bench-secret-storm-bench-secret}
if [ -z "${TICKETRUSH_TICKET_SIGNING_KEY:-}" ]; then   # production mode needs one (PEM key pair)
  TICKETRUSH_TICKET_SIGNING_KEY=$(k=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null); \
    printf '%s\n' "$k"; printf '%s\n' "$k" | openssl pkey -pubout)
  export TICKETRUSH_TICKET_SIGNING_KEY
fi
export TICKETRUSH_PAYMENT_GATEWAY=fake TICKETRUSH_MAX_CONNECTIONS_PER_IP=0   # 2,000 sockets from one address

start_node() {
  java -jar target/ticket-rush.jar > "target/storm-node.log" 2>&1 &
  NODE=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && return 0; sleep 0.2; done
  echo "node did not start" >&2; exit 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

start_node
EVENT=$(curl -s "http://127.0.0.1:$PORT/api/events/1" >/dev/null && echo 1)
node e2e/storm.mjs --base "http://127.0.0.1:$PORT" --event "$EVENT" --feeds "$FEEDS" $JITTER > target/storm.out &
STORM=$!
until grep -q "all live" target/storm.out 2>/dev/null; do sleep 0.2; kill -0 $STORM 2>/dev/null || { cat target/storm.out; exit 1; }; done
kill -TERM $NODE; wait $NODE || true
start_node
HZ=$(getconf CLK_TCK); PEAK=0; PREV=$(cpu_ticks $NODE)
while kill -0 $STORM 2>/dev/null; do
  sleep 0.5; NOW=$(cpu_ticks $NODE)
  PCT=$(( (NOW - PREV) * 100 * 2 / HZ )); PREV=$NOW   # % of one core over the 0.5 s sample
  [ "$PCT" -gt "$PEAK" ] && PEAK=$PCT
done
tail -1 target/storm.out
echo "{\"peakNodeCpuPercentOfOneCore\": $PEAK}"
kill -TERM $NODE; wait $NODE || true
