#!/usr/bin/env bash
# Builds an ahead-of-time cache for a fresh node's first seconds (JDK 25+: JEP 483 class loading and linking,
# JEP 515 method profiles). The one training script: the Docker image's build runs it (Dockerfile, stage `aot`)
# and so does a VM deploy (docs/deploy.md). A training run starts JAR in production mode against a THROWAWAY
# Redis and PostgreSQL (it creates events, holds and orders there), with a throwaway JWT secret and ticket
# signing key, drives the load tool's holds, orders and WebSocket traffic for TRAIN_SECONDS, then stops the node;
# the JVM writes the cache as it exits. Run the node with the same java and the same jar at the same path:
#   java -XX:AOTCache=CACHE -jar JAR
# A cache that is missing or made for another jar or JDK is refused with a warning and the node starts without it.
# docs/performance.md ("A fresh node") has what it gives. Loopback only.
#
# Usage: scripts/aot-train.sh JAR CACHE
#   env: TRAIN_REDIS_URL, TRAIN_PG_URL   the throwaway Redis and PostgreSQL (loopback URLs); without both, the
#                                        node runs in dev mode (embedded servers: the full jar, ticket-rush.jar)
#        JAVA (a JDK 25+ java; default java on PATH), JAVA_OPTS (the node's JVM options, e.g. its GC),
#        TRAIN_SECONDS (default 30), PORT (the training node's HTTP port, default 18765)
set -euo pipefail
jar=${1:?usage: aot-train.sh JAR CACHE}
cache=${2:?usage: aot-train.sh JAR CACHE}
java=${JAVA:-java}
port=${PORT:-18765}
seconds=${TRAIN_SECONDS:-30}
redis_url=${TRAIN_REDIS_URL:-}
pg_url=${TRAIN_PG_URL:-}
feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -nE 's/^ *java.specification.version = ([0-9]+).*/\1/p')
if [ -z "$feature" ] || [ "$feature" -lt 25 ]; then
  echo "aot-train: needs a JDK 25 or newer as \$JAVA (found ${feature:-none}); the AOT cache is a JDK 25 feature" >&2
  exit 2
fi
[ -f "$jar" ] || { echo "aot-train: no $jar (build it first: mvn -B package -DskipTests)" >&2; exit 2; }
if [ -n "$redis_url$pg_url" ] && { [ -z "$redis_url" ] || [ -z "$pg_url" ]; }; then
  echo "aot-train: give both TRAIN_REDIS_URL and TRAIN_PG_URL (or neither, for dev mode)" >&2
  exit 2
fi
# The training writes events, holds and orders: never into a Redis or PostgreSQL off this machine.
for u in $redis_url $pg_url; do
  host=$(printf '%s' "$u" | sed -E 's#^[a-z]+://([^@/]*@)?(\[[^]]*\]|[^:/]*).*#\2#')
  case "$host" in
    localhost|127.*|'[::1]') ;;
    *) echo "aot-train: refusing $host: train against a throwaway Redis and PostgreSQL on loopback" >&2; exit 2 ;;
  esac
done
# Whatever TICKETRUSH_* the calling shell has (a node's production settings) must not reach the training node.
for v in $(compgen -e | grep '^TICKETRUSH_' || true); do unset "$v"; done
scratch=$(mktemp -d)
node=
trap '[ -n "$node" ] && kill "$node" 2>/dev/null; rm -rf "$scratch"' EXIT
url=http://127.0.0.1:$port

export TICKETRUSH_HTTP_PORT=$port TICKETRUSH_DATA_DIR=$scratch TICKETRUSH_PAYMENT_LATENCY_MS=0
if [ -n "$redis_url" ]; then
  # Production mode, as the node will run, with throwaway secrets; dev tokens on for the load tool's users.
  export TICKETRUSH_REDIS_URL=$redis_url TICKETRUSH_PG_URL=$pg_url TICKETRUSH_PAYMENT_GATEWAY=fake \
    TICKETRUSH_DEV_TOKENS=true TICKETRUSH_DEMO_EVENT=false \
    TICKETRUSH_JWT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  key=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)
  TICKETRUSH_TICKET_SIGNING_KEY=$(printf '%s\n' "$key"; printf '%s\n' "$key" | openssl pkey -pubout)
  export TICKETRUSH_TICKET_SIGNING_KEY
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
"$java" ${JAVA_OPTS:-} -XX:AOTCacheOutput="$cache" -jar "$jar" > "$scratch/node.log" 2>&1 &
node=$!
for _ in $(seq 1 1200); do
  curl -sf "$url/health/ready" >/dev/null && break
  kill -0 "$node" 2>/dev/null || { cat "$scratch/node.log" >&2; echo "aot-train: the training node exited" >&2; exit 1; }
  sleep 0.1
done
curl -sf "$url/health/ready" >/dev/null || { tail -20 "$scratch/node.log" >&2; echo "aot-train: the node never got ready" >&2; exit 1; }
"$java" -jar "$jar" loadtest --scenario all --base-url "$url" --duration "${seconds}s" --out "$scratch/report" \
  > "$scratch/load.log" 2>&1 || { tail -20 "$scratch/load.log" >&2; echo "aot-train: the load tool failed" >&2; exit 1; }
kill -TERM "$node"
wait "$node" || true
node=
[ -s "$cache" ] || { tail -20 "$scratch/node.log" >&2; echo "aot-train: no cache was written" >&2; exit 1; }
echo "aot-train: wrote $cache ($(du -h "$cache" | cut -f1)); run with: $java -XX:AOTCache=$cache -jar $jar"
