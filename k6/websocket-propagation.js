// websocket-propagation: how fast does a seat change reach WebSocket watchers?
//
// Run:   k6 run -e BASE_URL=http://127.0.0.1:8080 k6/websocket-propagation.js
//        optional: -e WATCHERS=50 -e DURATION=30s (>= 15s) -e HOLD_EVERY_MS=1000 -e WRITER_RATE=20
// Needs: the service with dev tokens enabled (TICKETRUSH_DEV_TOKENS=true); rate limits generous
//        enough for one hold per second per watcher (or TICKETRUSH_RATE_LIMIT_IP=0).
// Java mirror: java -jar target/ticket-rush.jar loadtest --scenario ws-propagation
//
// k6 VUs share no memory, so each watcher measures its own changes: it keeps ws://.../ws/events/{id}
// open and, every HOLD_EVERY_MS, holds a free seat of its private seat block, noting the time just
// before sending the request. propagation_ms = arrival of the patch carrying that seat as HELD minus
// that send time (an upper bound: it includes the hold request itself). Not seen within 5 s ->
// missed_deliveries. Seen seats are released again. Watchers also check that patch versions are
// gap-free (version_gaps). A "writer" VU adds background churn (hold + release) on its own block.
import http from 'k6/http';
import ws from 'k6/ws';
import { check, sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import {
  WS_URL, BASE_THRESHOLDS, DURATION, durationSeconds, int, devToken, createEvent, section, hold,
  release, randomInt,
} from './lib.js';

const WATCHERS = int('WATCHERS', 50);
const HOLD_EVERY_MS = int('HOLD_EVERY_MS', 1000);
const WRITER_RATE = int('WRITER_RATE', 20); // writer hold+release pairs per second
const BLOCK = int('SEATS_PER_VU', 20); // private seats per VU, so only the owner changes them
const WATCH_MS = durationSeconds(DURATION) * 1000;
const DEADLINE_MS = 5000; // a change not seen within this is a missed delivery
const STOP_HOLDING_MS = DEADLINE_MS + 2000; // stop holding this long before closing

const propagation = new Trend('propagation_ms', true);
const missed = new Counter('missed_deliveries');
const gaps = new Counter('version_gaps');
const wsErrors = new Counter('ws_errors'); // failed upgrade, socket error, early close, bad frame

export const options = {
  scenarios: {
    watchers: {
      executor: 'per-vu-iterations', exec: 'watch', vus: WATCHERS, iterations: 1,
      maxDuration: `${Math.ceil(WATCH_MS / 1000) + 30}s`,
    },
    writer: { executor: 'constant-vus', exec: 'write', vus: 1, duration: DURATION, gracefulStop: '5s' },
  },
  thresholds: Object.assign({}, BASE_THRESHOLDS, {
    propagation_ms: ['p(99)<100'],
    missed_deliveries: ['count==0'],
    version_gaps: ['count==0'],
    ws_errors: ['count==0'],
    checks: ['rate>0.99'],
  }),
};

export function setup() {
  if (WATCH_MS < 2 * STOP_HOLDING_MS) throw new Error(`DURATION must be at least ${2 * STOP_HOLDING_MS / 1000}s`);
  const admin = devToken('k6-admin', ['admin']);
  const event = createEvent(admin, [section('A', (WATCHERS + 1) * BLOCK)]);
  return { eventId: event.id };
}

// Seat ids [lo, hi] owned by this VU (VU ids are unique across both scenarios).
function myBlock() {
  const lo = ((__VU - 1) % (WATCHERS + 1)) * BLOCK + 1;
  return [lo, lo + BLOCK - 1];
}

let token;
const anyStatus = { responseCallback: http.expectedStatuses(204, 404) };

export function watch(data) {
  if (!token) token = devToken(`k6-watcher-${__VU}`, []);
  const [lo, hi] = myBlock();
  const status = {}; // seat -> last status seen on the socket (our block only matters)
  const pending = {}; // seat -> send time of our hold, until the patch is seen
  const toRelease = [];
  let version = null;
  const started = Date.now();
  let closing = false;

  const res = ws.connect(`${WS_URL}/ws/events/${data.eventId}`, { tags: { op: 'ws' } }, (socket) => {
    socket.on('message', (raw) => {
      const now = Date.now();
      let m;
      try { m = JSON.parse(raw); } catch (e) { wsErrors.add(1); return; }
      if (m.type === 'snapshot') {
        version = m.version;
        m.held.forEach((s) => { status[s] = 'HELD'; });
        m.sold.forEach((s) => { status[s] = 'SOLD'; });
      } else if (m.type === 'patch') {
        if (version !== null && m.fromVersion !== version + 1) gaps.add(1);
        version = m.toVersion;
        for (const c of m.changes) {
          status[c.seat] = c.status;
          if (c.status === 'HELD' && pending[c.seat] !== undefined) {
            propagation.add(now - pending[c.seat]);
            delete pending[c.seat];
            toRelease.push(c.seat);
          }
        }
      }
    });

    socket.setInterval(() => {
      const now = Date.now();
      for (const s of Object.keys(pending)) {
        if (now - pending[s] > DEADLINE_MS) { missed.add(1); delete pending[s]; toRelease.push(Number(s)); }
      }
      while (toRelease.length) release(token, data.eventId, toRelease.shift(), anyStatus);
      if (version === null || now - started > WATCH_MS - STOP_HOLDING_MS) return;

      const free = [];
      for (let s = lo; s <= hi; s++) if ((status[s] || 'AVAILABLE') === 'AVAILABLE' && !(s in pending)) free.push(s);
      if (!free.length) return;
      const seat = free[randomInt(0, free.length - 1)];
      const sent = Date.now();
      const r = hold(token, data.eventId, [seat]);
      check(r, { 'watcher hold of a free own seat: 201': (x) => x.status === 201 });
      if (r.status === 201) pending[seat] = sent;
    }, HOLD_EVERY_MS);

    socket.on('error', (e) => { wsErrors.add(1); console.error(`ws error: ${e.error ? e.error() : e}`); });
    socket.on('close', () => { if (!closing) wsErrors.add(1); });
    socket.setTimeout(() => { closing = true; socket.close(); }, WATCH_MS);
  });

  if (!check(res, { 'ws upgrade: 101': (r) => r && r.status === 101 })) wsErrors.add(1);
  // Whatever is still pending at the end had more than DEADLINE_MS to arrive.
  Object.keys(pending).forEach((s) => { missed.add(1); release(token, data.eventId, Number(s), anyStatus); });
}

export function write(data) {
  if (!token) token = devToken(`k6-writer-${__VU}`, []);
  const [lo, hi] = myBlock();
  const seat = randomInt(lo, hi);
  const r = hold(token, data.eventId, [seat]);
  check(r, { 'writer hold: 201': (x) => x.status === 201 });
  if (r.status === 201) release(token, data.eventId, seat, anyStatus);
  sleep(1 / WRITER_RATE);
}
