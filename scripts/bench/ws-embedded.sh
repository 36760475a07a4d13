#!/usr/bin/env bash
# One round of the WebSocket propagation benchmark on a node with embedded Redis/PostgreSQL, for paired
# before/after runs on one machine (docs/performance.md, "WebSocket fan-out"):
#   scripts/bench/ws-embedded.sh LABEL JAR   → appends "LABEL p50 p99 missed gaps frames time" to target/bench/ws.tsv
# A fresh node in a fresh data dir, 10 s of ws-propagation (200 watchers) to warm up, then the measured run:
# 1,000 watchers x 200 changes/s for 20 s. Alternate the builds:
#   for r in 1 2 3; do ws-embedded.sh before before.jar; ws-embedded.sh after after.jar; done
set -u
LABEL=$1 JAR=$(realpath "$2")
cd "$(dirname "$0")/../.."
REPO=$PWD PORT=${PORT:-18425}
URL=http://127.0.0.1:$PORT OUT=$REPO/target/bench; mkdir -p $OUT
D=$(mktemp -d); cd $D
TICKETRUSH_HTTP_PORT=$PORT TICKETRUSH_DATA_DIR=$D TICKETRUSH_JWT_SECRET=bench-secret-bench-secret-bench-secret \
TICKETRUSH_RATE_LIMIT_USER=0 TICKETRUSH_RATE_LIMIT_IP=0 TICKETRUSH_MAX_CONNECTIONS_PER_IP=0 TICKETRUSH_DEMO_EVENT=false \
  ${JAVA:-java} -jar "$JAR" > $D/node.log 2>&1 &
NODE=$!
for i in $(seq 1 600); do curl -sf $URL/health/ready >/dev/null && break; sleep 0.2; done
java -jar "$JAR" loadtest --scenario ws-propagation --base-url $URL --ws-clients 200 --changes-per-second 200 \
  --duration 10s --out $D/warm > /dev/null 2>&1
RUN=$OUT/ws-$LABEL-$(date +%H%M%S)
java -jar "$JAR" loadtest --scenario ws-propagation --base-url $URL --ws-clients 1000 --changes-per-second 200 \
  --duration 20s --out $RUN > $RUN.txt 2>&1
printf '%s\t%s\t%s\t%s\n' "$LABEL" "$(python3 - "$RUN/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
def find(o, k):
    if isinstance(o, dict):
        if k in o: return o[k]
        for v in o.values():
            x = find(v, k)
            if x is not None: return x
    return None
p = find(r, "propagation") or {}
print(json.dumps(p)[:400])
PY
)" "$(uptime | sed 's/.*average: //')" "$(date +%T)" | tee -a $OUT/ws.tsv
kill -TERM $NODE; wait $NODE 2>/dev/null
rm -rf $D
