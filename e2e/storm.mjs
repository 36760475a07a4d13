// Reconnect storm: N seat feeds on one node; when the node restarts, how long until every feed is live again,
// how many came back with ?since (a resume) and how many needed a snapshot. Run by scripts/bench/reconnect-storm.sh,
// which restarts the node once this prints "all live". Loopback only; bounded by --timeout-ms.
//   node storm.mjs --base http://127.0.0.1:8080 --event 1 --feeds 2000 [--no-jitter] [--timeout-ms 120000]
import WebSocket from 'ws';
import { connect } from '../src/main/resources/webroot/js/ticketrush-client.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const base = opt('--base', 'http://127.0.0.1:8080');
if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(base)) throw new Error('loopback only');
const eventId = Number(opt('--event', '1'));
const n = Math.min(10_000, Number(opt('--feeds', '2000')));
const jitter = !args.includes('--no-jitter');
const timeoutMs = Number(opt('--timeout-ms', '120000'));

const feeds = [];
for (let i = 0; i < n; i++) {
  feeds.push(connect({ baseUrl: base, eventId, transport: 'websocket', WebSocket, jitter }));
  if (i % 200 === 199) await new Promise((r) => setTimeout(r, 50)); // a ramp, not the storm itself
}
const allLive = () => feeds.every((f) => f.live);
const deadline = Date.now() + timeoutMs;
while (!allLive()) {
  if (Date.now() > deadline) { console.log(JSON.stringify({ error: 'not all live at start' })); process.exit(1); }
  await new Promise((r) => setTimeout(r, 100));
}
const before = feeds.map((f) => ({ ...f.stats }));
console.log('all live');

let droppedAt = 0;
while (!droppedAt) {
  if (Date.now() > deadline) { console.log(JSON.stringify({ error: 'the node never restarted' })); process.exit(1); }
  if (feeds.some((f) => !f.live)) droppedAt = Date.now();
  else await new Promise((r) => setTimeout(r, 5));
}
// Wait until the restart happened (everyone dropped) and everyone is back.
let sawAllDown = false;
while (true) {
  if (Date.now() > deadline) break;
  if (!sawAllDown && feeds.every((f) => !f.live || f.stats.connections > before[feeds.indexOf(f)].connections)) sawAllDown = true;
  if (sawAllDown && allLive()) break;
  await new Promise((r) => setTimeout(r, 20));
}
const liveAgainMs = Date.now() - droppedAt;
let snapshots = 0, connections = 0, resumed = 0;
feeds.forEach((f, i) => {
  const s = f.stats.snapshots - before[i].snapshots;
  snapshots += s;
  if (s === 0) resumed++;
  connections += f.stats.connections - before[i].connections;
});
console.log(JSON.stringify({ feeds: n, jitter, liveAgainMs, allLive: allLive(), connectionAttempts: connections,
  snapshotsServed: snapshots, feedsResumedWithoutSnapshot: resumed }));
feeds.forEach((f) => f.close());
process.exit(0);
