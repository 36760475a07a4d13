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

record() { printf '%s\t%s\t%s\t%s\n' "$LABEL" "$1" "$2" "$3" | tee -a $OUT/results.tsv; }
fivexx() { sed -nE 's/.*5xx ([0-9]+).*/\1/p'; }
rps() { awk '/Requests\/sec/ {print $2}'; }
p99() { sed -nE 's/.*p99 ([0-9.]+) ms.*/\1/p'; }
source scripts/bench/node.sh   # start_node, new_event, hold_for_buyers, pgstat

# The users' tokens (24 h, the node's bench secret), signed offline so that no round's node is warmed by minting,
# and shared by every call within 12 hours so that paired runs send the same requests.
TOKENS=$OUT/tokens-5000.txt
if [ -z "$(find "$TOKENS" -mmin -720 2>/dev/null)" ]; then
  python3 scripts/bench/mint-hs256.py 5000 bench $BENCH_SECRET > "$TOKENS.tmp" && mv "$TOKENS.tmp" "$TOKENS"
fi

for round in $(seq 1 "$ROUNDS"); do
  start_node "$JAR" $OUT/node-$LABEL.log
  HOLDS_EV=$(new_event); WARM_EV=$(new_event); ORDERS_EV=$(new_event)
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
  hold_for_buyers $ORDERS_EV $OUT/buyers.txt
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
