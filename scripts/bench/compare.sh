#!/usr/bin/env bash
# Side-by-side benchmark of two builds on the same Redis and PostgreSQL (docs/performance.md, "Before and after").
#   scripts/bench/compare.sh LABEL JAR [ROUNDS]   → appends one line per figure to target/bench/results.tsv
# Each round: a fresh database and Redis, the node started cold, then (all wrk -t1 -c256, loopback only):
#   holds in the first 15 s of the fresh node, the HTTP floor (GET /health/live, 10 s), warm holds (15 s, on a
#   second fresh event), confirmed orders (pre-held seats, fresh keys, 0 ms fake payment, 10 s), and the load
#   tool's ws-propagation (1,000 watchers x 200 changes/s, 20 s). Holds come from 5,000 users (minted once per
#   call), so maxSeatsPerUser (100) rarely decides an answer. Needs Debian redis-server on $REDIS_PORT and
#   PostgreSQL (user/db bench). JAVA picks the JVM (default: java on PATH); JAVA_OPTS is passed to the node.
# Env: PORT (HTTP, 18181), REDIS_PORT (6390), BENCH_DB (the database, dropped and made anew each round: bench),
#   FIGURES=cold (only a fresh node's readiness, ready_ms from the launch, and its first 15 s of holds).
set -euo pipefail
cd "$(dirname "$0")/../.."
LABEL=$1 JAR=$2 ROUNDS=${3:-1}
PORT=${PORT:-18181} REDIS_PORT=${REDIS_PORT:-6390} DB=${BENCH_DB:-bench}
OUT=target/bench; mkdir -p $OUT
URL=http://127.0.0.1:$PORT
export TICKETRUSH_URL=$URL
FIGURES=${FIGURES:-all}

redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 || redis-server --port $REDIS_PORT --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --logfile $OUT/redis.log
record() { printf '%s\t%s\t%s\t%s\n' "$LABEL" "$1" "$2" "$3" | tee -a $OUT/results.tsv; }
fivexx() { sed -nE 's/.*5xx ([0-9]+).*/\1/p'; }
pgstat() { su postgres -c "psql -tAc \"SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = '$DB'), (SELECT wal_sync FROM pg_stat_wal)\""; }
rps() { awk '/Requests\/sec/ {print $2}'; }
p99() { sed -nE 's/.*p99 ([0-9.]+) ms.*/\1/p'; }

# Production mode needs a ticket signing key pair (PEM); one per run is enough for a benchmark.
if [ -z "${TICKETRUSH_TICKET_SIGNING_KEY:-}" ]; then
  TICKETRUSH_TICKET_SIGNING_KEY=$(k=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null); \
    printf '%s\n' "$k"; printf '%s\n' "$k" | openssl pkey -pubout)
  export TICKETRUSH_TICKET_SIGNING_KEY
fi

start_node() {   # a fresh database and Redis, then the node, until it is ready
  redis-cli -p $REDIS_PORT flushall >/dev/null
  su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS $DB WITH (FORCE)' -c 'CREATE DATABASE $DB OWNER bench'" >/dev/null
  TICKETRUSH_HTTP_PORT=$PORT TICKETRUSH_REDIS_URL=redis://127.0.0.1:$REDIS_PORT \
  TICKETRUSH_PG_URL=postgresql://bench:bench@127.0.0.1:5432/$DB \
  TICKETRUSH_JWT_SECRET=bench-secret-bench-secret-bench-secret TICKETRUSH_DEV_TOKENS=true \
  TICKETRUSH_PAYMENT_GATEWAY=fake TICKETRUSH_PAYMENT_LATENCY_MS=0 TICKETRUSH_RATE_LIMIT_USER=0 TICKETRUSH_RATE_LIMIT_IP=0 \
  TICKETRUSH_MAX_CONNECTIONS_PER_IP=0 TICKETRUSH_DEMO_EVENT=false \
    ${JAVA:-java} ${JAVA_OPTS:-} -jar "$1" > $OUT/node-$LABEL.log 2>&1 &
  NODE=$!
  local launched; launched=$(date +%s%N)
  until curl -sf $URL/health/ready >/dev/null; do sleep 0.1; done
  READY_MS=$(( ($(date +%s%N) - launched) / 1000000 ))
}

# The users' tokens (24 h, the node's bench secret), signed offline so that no round's node is warmed by minting,
# and shared by every call within 12 hours so that paired runs send the same requests.
TOKENS=$OUT/tokens-5000.txt
if [ -z "$(find "$TOKENS" -mmin -720 2>/dev/null)" ]; then
  python3 scripts/bench/mint-hs256.py 5000 bench bench-secret-bench-secret-bench-secret > "$TOKENS.tmp" && mv "$TOKENS.tmp" "$TOKENS"
fi

for round in $(seq 1 "$ROUNDS"); do
  start_node "$JAR"
  ADMIN=$(curl -fsS -X POST $URL/api/dev/tokens -H 'Content-Type: application/json' -d '{"sub":"bench-admin","roles":["admin"]}' | sed -nE 's/.*"token":"([^"]+)".*/\1/p')
  mk() { curl -fsS -X POST $URL/api/events -H 'Content-Type: application/json' -H "Authorization: Bearer $ADMIN" \
    -d '{"name":"bench","sections":[{"name":"A","rows":100,"seatsPerRow":1000}],"maxSeatsPerUser":100,"holdTtlMs":3600000}' | sed -nE 's/.*"id":([0-9]+).*/\1/p'; }
  HOLDS_EV=$(mk); WARM_EV=$(mk); ORDERS_EV=$(mk)
  record ready_ms "$READY_MS" -
  # holds in the first 15 s of the fresh node
  r=$(EVENT_ID=$HOLDS_EV TOKENS=$TOKENS wrk -t1 -c256 -d15s -s scripts/bench/wrk-hold.lua $URL)
  record holds_cold_rps "$(echo "$r" | rps)" "$(echo "$r" | p99)"; record holds_cold_5xx "$(echo "$r" | fivexx)" -
  if [ "$FIGURES" = cold ]; then kill -TERM $NODE; wait $NODE 2>/dev/null || true; continue; fi
  r=$(wrk -t1 -c256 -d10s -s scripts/bench/wrk-health.lua $URL)
  record health_rps "$(echo "$r" | rps)" "$(echo "$r" | p99)"
  r=$(EVENT_ID=$WARM_EV TOKENS=$TOKENS wrk -t1 -c256 -d15s -s scripts/bench/wrk-hold.lua $URL)
  record holds_warm_rps "$(echo "$r" | rps)" "$(echo "$r" | p99)"; record holds_warm_5xx "$(echo "$r" | fivexx)" -
  # orders: user i holds seats i*100+1 .. i*100+100 of ORDERS_EV (256 users), then fresh keys buy them
  head -256 $TOKENS > $OUT/buyers.txt
  awk '{print NR - 1, $0}' $OUT/buyers.txt | xargs -P 32 -n 2 sh -c \
    'curl -fsS -o /dev/null -X POST "$0/api/events/$1/holds" -H "Authorization: Bearer $3" -H "Content-Type: application/json" \
       -d "{\"seats\":[$(seq -s, $(($2 * 100 + 1)) $(($2 * 100 + 100)))]}"' "$URL" "$ORDERS_EV"
  before=$(pgstat)
  r=$(EVENT_ID=$ORDERS_EV TOKENS=$OUT/buyers.txt wrk -t1 -c256 -d10s -s scripts/bench/wrk-order.lua $URL -- 0)
  after=$(pgstat)
  record orders_rps "$(echo "$r" | rps)" "$(echo "$r" | p99)"; record orders_5xx "$(echo "$r" | fivexx)" -
  # PostgreSQL's own counters over the run: commits per confirmed order and confirmed orders per WAL fsync.
  created=$(echo "$r" | sed -nE 's/^201 ([0-9]+).*/\1/p')
  record orders_commits_per_order "$(python3 -c "a='$before'.split('|'); b='$after'.split('|'); print(round((int(b[0]) - int(a[0])) / max(1, $created), 2))")" -
  record orders_per_fsync "$(python3 -c "a='$before'.split('|'); b='$after'.split('|'); print(round($created / max(1, int(b[1]) - int(a[1])), 2))")" -
  # The money and the seats agree: the audit of the orders' event (oversold seats, charges without an order).
  # (The Redis mirror follows each commit by a moment, so the audit is read until it agrees, for up to 10 s.)
  for i in $(seq 1 20); do
    audit=$(curl -fsS $URL/api/events/$ORDERS_EV/audit -H "Authorization: Bearer $ADMIN" | tr -d '\n')
    case "$audit" in *'"ok":true'*) break ;; esac; sleep 0.5
  done
  record orders_audit_ok "$(echo "$audit" | sed -nE 's/.*"ok":(true|false).*/\1/p')" "$(echo "$audit" | sed -nE 's/.*"confirmedOrders":([0-9]+).*/\1/p') orders"
  java -jar "$JAR" loadtest --scenario ws-propagation --base-url $URL --ws-clients 1000 --changes-per-second 200 \
    --duration 20s --out $OUT/ws-$LABEL-$round > $OUT/ws-$LABEL-$round.txt 2>&1 || true
  record ws_report "$OUT/ws-$LABEL-$round/report.json" "-"
  kill -TERM $NODE; wait $NODE 2>/dev/null || true
done
