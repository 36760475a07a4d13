#!/usr/bin/env bash
# One round of the hold benchmark on a node with embedded Redis/PostgreSQL (no outside servers needed), for
# paired before/after runs on one machine (docs/performance.md, "The box office"):
#   scripts/bench/holds-embedded.sh LABEL JAR [CAP]   → appends "LABEL cap=CAP holds/s p99 time redis-µs node-µs" to
#   target/bench/holds.tsv (the last two: CPU time, user + sys, per request measured, of the embedded Redis from
#   INFO cpu and of the node's JVM from /proc; less sensitive to a busy machine than holds/s)
# A fresh node in a fresh data dir, 10 s of holds to warm up, then 15 s of wrk -t1 -c256 (wrk-hold.lua) on a fresh
# 100,000-seat event (maxSeatsPerUser 100); with CAP=1 that event has maxTicketsPerUser 10000. Alternate the
# builds: for r in 1 2 3; do holds-embedded.sh before before.jar; holds-embedded.sh after after.jar; done
set -u
LABEL=$1 JAR=$(realpath "$2") CAP=${3:-0}
cd "$(dirname "$0")/../.."
REPO=$PWD PORT=${PORT:-18291}
URL=http://127.0.0.1:$PORT OUT=$REPO/target/bench; mkdir -p $OUT
D=$(mktemp -d); cd $D
TICKETRUSH_HTTP_PORT=$PORT TICKETRUSH_DATA_DIR=$D TICKETRUSH_JWT_SECRET=bench-secret-bench-secret-bench-secret \
TICKETRUSH_RATE_LIMIT_USER=0 TICKETRUSH_RATE_LIMIT_IP=0 TICKETRUSH_MAX_CONNECTIONS_PER_IP=0 TICKETRUSH_DEMO_EVENT=false \
  ${JAVA:-java} -jar "$JAR" > $D/node.log 2>&1 &
NODE=$!
for i in $(seq 1 600); do curl -sf $URL/health/ready >/dev/null && break; sleep 0.2; done
TOKENS=$D/tokens.txt   # signed offline with the node's secret: no minting through (and warming) the node
python3 $REPO/scripts/bench/mint-hs256.py 2000 bench bench-secret-bench-secret-bench-secret > $TOKENS
ADMIN=$(curl -fsS -X POST $URL/api/dev/tokens -H 'Content-Type: application/json' -d '{"sub":"bench-admin","roles":["admin"]}' | sed -nE 's/.*"token":"([^"]+)".*/\1/p')
mk() { curl -fsS -X POST $URL/api/events -H 'Content-Type: application/json' -H "Authorization: Bearer $ADMIN" \
  -d "{\"name\":\"bench\",\"sections\":[{\"name\":\"A\",\"rows\":100,\"seatsPerRow\":1000}],\"maxSeatsPerUser\":100,\"holdTtlMs\":3600000$1}" | sed -nE 's/.*"id":([0-9]+).*/\1/p'; }
WARM=$(mk "")
if [ "$CAP" = 1 ]; then EV=$(mk ',"maxTicketsPerUser":10000'); else EV=$(mk ""); fi
EVENT_ID=$WARM TOKENS=$TOKENS wrk -t1 -c256 -d10s -s $REPO/scripts/bench/wrk-hold.lua $URL > /dev/null
RPORT=$(sed -nE 's/.*embedded Redis started on port ([0-9]+).*/\1/p' $D/node.log)
rcpu() { redis-cli -p $RPORT INFO cpu | tr -d '\r' | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.6f", s}'; }
ncpu() { awk '{print $14 + $15}' /proc/$NODE/stat; }   # clock ticks
C0=$(rcpu) J0=$(ncpu)
r=$(EVENT_ID=$EV TOKENS=$TOKENS wrk -t1 -c256 -d15s -s $REPO/scripts/bench/wrk-hold.lua $URL)
C1=$(rcpu) J1=$(ncpu) N=$(echo "$r" | awk '/requests in/ {print $1}')
printf '%s\tcap=%s\t%s\t%s\t%s\t%s\t%s\n' "$LABEL" "$CAP" "$(echo "$r" | awk '/Requests\/sec/ {print $2}')" \
  "$(echo "$r" | sed -nE 's/.*p99 ([0-9.]+) ms.*/\1/p')" "$(date +%T)" \
  "$(awk -v a=$C0 -v b=$C1 -v n=$N 'BEGIN {printf "%.1f", (n > 0 ? (b - a) * 1e6 / n : 0)}')" \
  "$(awk -v a=$J0 -v b=$J1 -v n=$N -v hz=$(getconf CLK_TCK) 'BEGIN {printf "%.1f", (n > 0 ? (b - a) * 1e6 / hz / n : 0)}')" | tee -a $OUT/holds.tsv
kill -TERM $NODE; wait $NODE 2>/dev/null
rm -rf $D
