# Sourced by compare.sh and profile/orders.sh: one way to run a measured node. A production-mode node on Debian's
# Redis ($REDIS_PORT) and PostgreSQL (user bench, database $DB), loopback only, abuse limits and per-address caps
# off (the load generator is one address), the bench JWT secret, dev tokens on for the admin.
# Needs: PORT, REDIS_PORT, DB, URL. Payment: the in-process fake at 0 ms unless TICKETRUSH_PAYMENT_GATEWAY is set.
BENCH_SECRET=bench-secret-bench-secret-bench-secret

# Production mode needs a ticket signing key pair (PEM); one per run is enough for a benchmark.
if [ -z "${TICKETRUSH_TICKET_SIGNING_KEY:-}" ]; then
  TICKETRUSH_TICKET_SIGNING_KEY=$(k=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null); \
    printf '%s\n' "$k"; printf '%s\n' "$k" | openssl pkey -pubout)
  export TICKETRUSH_TICKET_SIGNING_KEY
fi

redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 || redis-server --port $REDIS_PORT --bind 127.0.0.1 --save "" --appendonly no \
  --daemonize yes --logfile "$(pwd)/target/bench-redis-$REDIS_PORT.log"

# start_node JAR LOG: a fresh database and Redis, then the node (NODE, its pid), until it is ready (READY_MS after
# the launch). JAVA picks the JVM, JAVA_OPTS is passed to it.
start_node() {
  redis-cli -p $REDIS_PORT flushall >/dev/null
  su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS $DB WITH (FORCE)' -c 'CREATE DATABASE $DB OWNER bench'" >/dev/null
  TICKETRUSH_HTTP_PORT=$PORT TICKETRUSH_REDIS_URL=redis://127.0.0.1:$REDIS_PORT \
  TICKETRUSH_PG_URL=postgresql://bench:bench@127.0.0.1:5432/$DB \
  TICKETRUSH_JWT_SECRET=$BENCH_SECRET TICKETRUSH_DEV_TOKENS=true \
  TICKETRUSH_PAYMENT_GATEWAY=${TICKETRUSH_PAYMENT_GATEWAY:-fake} TICKETRUSH_PAYMENT_LATENCY_MS=${TICKETRUSH_PAYMENT_LATENCY_MS:-0} \
  TICKETRUSH_RATE_LIMIT_USER=0 TICKETRUSH_RATE_LIMIT_IP=0 TICKETRUSH_MAX_CONNECTIONS_PER_IP=0 TICKETRUSH_DEMO_EVENT=false \
    ${JAVA:-java} ${JAVA_OPTS:-} -jar "$1" > "$2" 2>&1 &
  NODE=$!
  local launched; launched=$(date +%s%N)
  until curl -sf $URL/health/ready >/dev/null; do sleep 0.1; done
  READY_MS=$(( ($(date +%s%N) - launched) / 1000000 ))
  ADMIN=$(curl -fsS -X POST $URL/api/dev/tokens -H 'Content-Type: application/json' \
    -d '{"sub":"bench-admin","roles":["admin"]}' | sed -nE 's/.*"token":"([^"]+)".*/\1/p')
}

# new_event: a fresh 100,000-seat event (maxSeatsPerUser 100, one-hour holds); prints its id.
new_event() {
  curl -fsS -X POST $URL/api/events -H 'Content-Type: application/json' -H "Authorization: Bearer $ADMIN" \
    -d '{"name":"bench","sections":[{"name":"A","rows":100,"seatsPerRow":1000}],"maxSeatsPerUser":100,"holdTtlMs":3600000}' \
    | sed -nE 's/.*"id":([0-9]+).*/\1/p'
}

# hold_for_buyers EVENT TOKENS: user i (token line i, 0-based) holds seats i*100+1 .. i*100+100, as wrk-order.lua expects.
hold_for_buyers() {
  awk '{print NR - 1, $0}' "$2" | xargs -P 32 -n 2 sh -c \
    'curl -fsS -o /dev/null -X POST "$0/api/events/$1/holds" -H "Authorization: Bearer $3" -H "Content-Type: application/json" \
       -d "{\"seats\":[$(seq -s, $(($2 * 100 + 1)) $(($2 * 100 + 100)))]}"' "$URL" "$1"
}

# pgstat: the database's transactions and the server's WAL syncs so far, as "commits|syncs".
pgstat() {
  su postgres -c "psql -tAc \"SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = '$DB'), (SELECT wal_sync FROM pg_stat_wal)\""
}
