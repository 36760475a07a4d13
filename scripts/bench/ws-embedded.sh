#!/usr/bin/env bash
# One round of the WebSocket propagation benchmark on a node with embedded Redis/PostgreSQL, for paired
# before/after runs on one machine (docs/performance.md, "WebSocket fan-out"):
#   scripts/bench/ws-embedded.sh LABEL JAR   → appends one line (watchers, changes, propagation p50/p99 from the
#   write's answer and from its send, missed, version gaps, frames, the node's CPU ms during the run, load) to target/bench/ws.tsv
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
cpu() { awk '{print $14 + $15}' /proc/$NODE/stat; }   # the node's user + system CPU, in clock ticks
C0=$(cpu)
java -jar "$JAR" loadtest --scenario ws-propagation --base-url $URL --ws-clients 1000 --changes-per-second 200 \
  --duration 20s --out $RUN > $RUN.txt 2>&1
C1=$(cpu)
python3 - "$RUN/report.json" "$LABEL" "$(( (C1 - C0) * 1000 / $(getconf CLK_TCK) ))" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY' | tee -a $OUT/ws.tsv
import json, sys
s = json.load(open(sys.argv[1]))["scenarios"][0]
p, ops = s["propagation"], s["operations"]
a, w = ops.get("propagation_from_answer", {}), ops.get("propagation_from_send", {})
print("\t".join(str(x) for x in [sys.argv[2], "watchers=%s" % s["watchersConnected"], "changes=%s" % p["changesMade"],
    "p50=%s" % a.get("p50Ms"), "p99=%s" % a.get("p99Ms"), "send_p50=%s" % w.get("p50Ms"), "send_p99=%s" % w.get("p99Ms"),
    "missed=%s" % p["missedDeliveries"], "gaps=%s" % p["versionGaps"], "frames=%s" % p["framesReceived"],
    "node_cpu_ms=%s" % sys.argv[3], "load=%s" % sys.argv[4], s["oversell"]["oversold"], sys.argv[1]]))
PY
kill -TERM $NODE; wait $NODE 2>/dev/null
rm -rf $D
