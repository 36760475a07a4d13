#!/usr/bin/env bash
# Where an order's time goes (docs/performance.md, "Issue #25"): a fresh node in production mode on Debian's
# Redis ($REDIS_PORT) and PostgreSQL (user/db bench, dropped and made anew), warmed by 25 s of holds and four 4 s
# order runs, then 8 s of orders (wrk -t1 -c256, 0 ms fake payment) under async-profiler. Prints the run's
# orders/s, the CPU seconds each process used during it (from /proc; wrk's from time(1)), PostgreSQL's
# transactions and WAL syncs, the group-commit batch sizes, and the profile's breakdown (OUT/LABEL.collapsed).
#   scripts/bench/profile/orders.sh LABEL JAR [OUT]
# Env: PORT (HTTP, 18181), REDIS_PORT (6390), JAVA (the node's java), GATEWAY=sim (charges through gateway-sim
# over HTTP, the `stripe` gateway's path, instead of the in-process fake whose ledger shares the database).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../../.." && pwd)
LABEL=$1 JAR=$2 OUT=${3:-$repo/target/bench/profile}
PORT=${PORT:-18181} REDIS_PORT=${REDIS_PORT:-6390} URL=http://127.0.0.1:${PORT:-18181}
mkdir -p "$OUT"
redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 || redis-server --port $REDIS_PORT --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --logfile "$OUT/redis.log"
redis-cli -p $REDIS_PORT flushall >/dev/null
su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS bench WITH (FORCE)' -c 'CREATE DATABASE bench OWNER bench'" >/dev/null
k=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)
export TICKETRUSH_TICKET_SIGNING_KEY="$(printf '%s\n' "$k"; printf '%s\n' "$k" | openssl pkey -pubout)"
SIM=
if [ "${GATEWAY:-fake}" = sim ]; then
  java -jar "$JAR" gateway-sim --port 12111 > "$OUT/sim-$LABEL.log" 2>&1 & SIM=$!
  until curl -s -o /dev/null http://127.0.0.1:12111/; do sleep 0.2; done
  export TICKETRUSH_PAYMENT_GATEWAY=stripe TICKETRUSH_STRIPE_API_BASE=http://127.0.0.1:12111 TICKETRUSH_STRIPE_SECRET_KEY=sk_test_bench
else
  export TICKETRUSH_PAYMENT_GATEWAY=fake TICKETRUSH_PAYMENT_LATENCY_MS=0
fi
TICKETRUSH_HTTP_PORT=$PORT TICKETRUSH_REDIS_URL=redis://127.0.0.1:$REDIS_PORT \
  TICKETRUSH_PG_URL=postgresql://bench:bench@127.0.0.1:5432/bench \
  TICKETRUSH_JWT_SECRET=bench-secret-bench-secret-bench-secret TICKETRUSH_DEV_TOKENS=true \
  TICKETRUSH_RATE_LIMIT_USER=0 TICKETRUSH_RATE_LIMIT_IP=0 TICKETRUSH_MAX_CONNECTIONS_PER_IP=0 TICKETRUSH_DEMO_EVENT=false \
  ${JAVA:-java} -jar "$JAR" > "$OUT/node-$LABEL.log" 2>&1 &
NODE=$!; export NODE
trap 'kill -TERM $NODE $SIM 2>/dev/null || true' EXIT
until curl -sf $URL/health/ready >/dev/null; do sleep 0.1; done

# user i holds seats i*100+1 .. i*100+100 of the orders' event; holds on a second event warm the node first
TOK=$OUT/buyers.txt; python3 "$repo/scripts/bench/mint-hs256.py" 256 prof bench-secret-bench-secret-bench-secret > "$TOK"
ADMIN=$(curl -fsS -X POST $URL/api/dev/tokens -H 'Content-Type: application/json' -d '{"sub":"bench-admin","roles":["admin"]}' | sed -nE 's/.*"token":"([^"]+)".*/\1/p')
mk() { curl -fsS -X POST $URL/api/events -H 'Content-Type: application/json' -H "Authorization: Bearer $ADMIN" \
  -d '{"name":"bench","sections":[{"name":"A","rows":100,"seatsPerRow":1000}],"maxSeatsPerUser":100,"holdTtlMs":3600000}' | sed -nE 's/.*"id":([0-9]+).*/\1/p'; }
EV=$(mk) WEV=$(mk)
awk '{print NR - 1, $0}' "$TOK" | xargs -P 32 -n 2 sh -c \
  'curl -fsS -o /dev/null -X POST "$0/api/events/$1/holds" -H "Authorization: Bearer $3" -H "Content-Type: application/json" \
     -d "{\"seats\":[$(seq -s, $(($2 * 100 + 1)) $(($2 * 100 + 100)))]}"' "$URL" "$EV"
python3 "$repo/scripts/bench/mint-hs256.py" 5000 profw bench-secret-bench-secret-bench-secret > "$OUT/holders.txt"
EVENT_ID=$WEV TOKENS=$OUT/holders.txt wrk -t1 -c256 -d25s -s "$repo/scripts/bench/wrk-hold.lua" $URL | sed -n 's/^/warm-up holds: /p' | grep -E 'Requests/sec|p99'
n=0
for i in 1 2 3 4; do
  r=$(EVENT_ID=$EV TOKENS=$TOK wrk -t1 -c256 -d4s -s "$repo/scripts/bench/wrk-order.lua" $URL -- $n)
  n=$((n + $(echo "$r" | awk '/requests in/ {print $1}')))
  echo "warm-up orders $i: $(echo "$r" | awk '/Requests\/sec/ {print $2}')/s, $(echo "$r" | grep p99)"
done

pgstat() { su postgres -c "psql -tAc \"SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = 'bench'), (SELECT wal_sync FROM pg_stat_wal)\""; }
cpu() { python3 - <<'PY'
import collections, json, os
c = collections.Counter()
for p in filter(str.isdigit, os.listdir('/proc')):
    try:
        s = open(f'/proc/{p}/stat').read()
        f = s[s.rindex(')') + 2:].split()
        name = 'node' if p == os.environ['NODE'] else s[s.index('(') + 1:s.rindex(')')].split()[0][:15]
        c[name] += int(f[11]) + int(f[12])
    except OSError:
        pass
print(json.dumps(c))
PY
}
# (the counters are read inside the profiler's start and stop: attaching runs a JVM of its own)
"$here/profile.sh" start $NODE
pg0=$(pgstat) cpu0=$(cpu)
r=$( { /usr/bin/time -f 'wrk-cpu %U %S' env EVENT_ID=$EV TOKENS=$TOK wrk -t1 -c256 -d8s -s "$repo/scripts/bench/wrk-order.lua" $URL -- $n; } 2>&1)
pg1=$(pgstat) cpu1=$(cpu)
"$here/profile.sh" stop $NODE "$OUT/$LABEL.collapsed"
created=$(echo "$r" | sed -nE 's/^201 ([0-9]+).*/\1/p')
echo "$LABEL: $(echo "$r" | awk '/Requests\/sec/ {print $2}') orders/s, $(echo "$r" | grep p99), $(echo "$r" | grep '^201')"
python3 - "$cpu0" "$cpu1" "$(echo "$r" | sed -nE 's/^wrk-cpu (.*)/\1/p')" "$pg0" "$pg1" "$created" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
used = {k: (b[k] - a.get(k, 0)) / 100 for k in b if b[k] - a.get(k, 0) >= 5}
used['wrk'] = sum(map(float, sys.argv[3].split()))
print('CPU seconds during the 8 s run:', ', '.join(f'{k} {v:.2f}' for k, v in sorted(used.items(), key=lambda kv: -kv[1])))
p0, p1, n = sys.argv[4].split('|'), sys.argv[5].split('|'), max(1, int(sys.argv[6] or 0))
print(f'PostgreSQL: {(int(p1[0]) - int(p0[0])) / n:.2f} transactions and {(int(p1[1]) - int(p0[1])) / n:.2f} WAL syncs per order')
PY
curl -s $URL/metrics | awk '/^ticketrush_purchase_group_commit_size_(count|sum)/ {v[$1] = $2}
  END {for (w in v) if (w ~ /count/) {s = w; sub(/count/, "sum", s); printf "group commit %s: %.1f purchases per batch\n", w, v[s] / v[w]}}'
python3 "$here/breakdown.py" "$OUT/$LABEL.collapsed"
