#!/usr/bin/env bash
# Builds an ahead-of-time cache for a fresh node's first seconds (JDK 25+: JEP 483 class loading and linking,
# JEP 515 method profiles). A training run of the service in dev mode (embedded Redis and PostgreSQL, a scratch
# data directory) takes the load tool's holds, orders and WebSocket traffic for TRAIN_SECONDS, then stops; the
# JVM writes the cache as it exits. Run the service with the same JDK and the same jar:
#   java -XX:AOTCache=target/ticket-rush.aot -jar target/ticket-rush.jar
# docs/performance.md ("A fresh node") has what it gives. Loopback only; nothing outside the scratch dir is kept.
# Usage: scripts/aot-train.sh [JAR] [CACHE]   env: JAVA (a JDK 25+ java), TRAIN_SECONDS (default 30), PORT
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${1:-target/ticket-rush.jar}
cache=${2:-target/ticket-rush.aot}
java=${JAVA:-java}
port=${PORT:-18765}
seconds=${TRAIN_SECONDS:-30}
feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -nE 's/^ *java.specification.version = ([0-9]+).*/\1/p')
if [ -z "$feature" ] || [ "$feature" -lt 25 ]; then
  echo "aot-train: needs a JDK 25 or newer as \$JAVA (found ${feature:-none}); the AOT cache is a JDK 25 feature" >&2
  exit 2
fi
[ -f "$jar" ] || { echo "aot-train: no $jar (build it first: mvn -B package -DskipTests)" >&2; exit 2; }
# Dev mode only: whatever TICKETRUSH_* the calling shell has (a node's production settings) must not reach it.
for v in $(compgen -e | grep '^TICKETRUSH_' || true); do unset "$v"; done
scratch=$(mktemp -d)
trap 'kill "$node" 2>/dev/null || true; rm -rf "$scratch"' EXIT
url=http://127.0.0.1:$port

TICKETRUSH_HTTP_PORT=$port TICKETRUSH_DATA_DIR=$scratch TICKETRUSH_PAYMENT_LATENCY_MS=0 \
  "$java" -XX:AOTCacheOutput="$cache" -jar "$jar" > "$scratch/node.log" 2>&1 &
node=$!
for _ in $(seq 1 600); do
  curl -sf "$url/health/ready" >/dev/null && break
  kill -0 "$node" 2>/dev/null || { cat "$scratch/node.log" >&2; echo "aot-train: the training node exited" >&2; exit 1; }
  sleep 0.1
done
"$java" -jar "$jar" loadtest --scenario all --base-url "$url" --duration "${seconds}s" --out "$scratch/report" \
  > "$scratch/load.log" 2>&1 || { tail -20 "$scratch/load.log" >&2; echo "aot-train: the load tool failed" >&2; exit 1; }
kill -TERM "$node"
wait "$node" || true
[ -s "$cache" ] || { tail -20 "$scratch/node.log" >&2; echo "aot-train: no cache was written" >&2; exit 1; }
echo "aot-train: wrote $cache ($(du -h "$cache" | cut -f1)); run with: $java -XX:AOTCache=$cache -jar $jar"
