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
LABEL=$1 JAR=$(realpath "$2") OUT=$(realpath -m "${3:-$repo/target/bench/profile}")
PORT=${PORT:-18181} REDIS_PORT=${REDIS_PORT:-6390} DB=bench URL=http://127.0.0.1:${PORT:-18181}
mkdir -p "$OUT"; cd "$repo"
SIM=
if [ "${GATEWAY:-fake}" = sim ]; then
  java -jar "$JAR" gateway-sim --port 12111 > "$OUT/sim-$LABEL.log" 2>&1 & SIM=$!
  until curl -s -o /dev/null http://127.0.0.1:12111/; do sleep 0.2; done
  export TICKETRUSH_PAYMENT_GATEWAY=stripe TICKETRUSH_STRIPE_API_BASE=http://127.0.0.1:12111 TICKETRUSH_STRIPE_SECRET_KEY=sk_test_bench
fi
source scripts/bench/node.sh   # start_node, new_event, hold_for_buyers, pgstat
start_node "$JAR" "$OUT/node-$LABEL.log"
export NODE
trap 'kill -TERM $NODE $SIM 2>/dev/null || true' EXIT

# user i holds seats i*100+1 .. i*100+100 of the orders' event; holds on a second event warm the node first
TOK=$OUT/buyers.txt; python3 scripts/bench/mint-hs256.py 256 prof $BENCH_SECRET > "$TOK"
EV=$(new_event) WEV=$(new_event)
hold_for_buyers $EV "$TOK"
python3 scripts/bench/mint-hs256.py 5000 profw $BENCH_SECRET > "$OUT/holders.txt"
EVENT_ID=$WEV TOKENS=$OUT/holders.txt wrk -t1 -c256 -d25s -s "$repo/scripts/bench/wrk-hold.lua" $URL | sed -n 's/^/warm-up holds: /p' | grep -E 'Requests/sec|p99'
n=0
for i in 1 2 3 4; do
  r=$(EVENT_ID=$EV TOKENS=$TOK wrk -t1 -c256 -d4s -s "$repo/scripts/bench/wrk-order.lua" $URL -- $n)
  n=$((n + $(echo "$r" | awk '/requests in/ {print $1}')))
  echo "warm-up orders $i: $(echo "$r" | awk '/Requests\/sec/ {print $2}')/s, $(echo "$r" | grep p99)"
done

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
