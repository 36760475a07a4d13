// seat-change: a user holds seat A, changes their mind (release A), then holds seat B.
//
// Run:   k6 run -e BASE_URL=http://127.0.0.1:8080 k6/seat-change.js
//        optional: -e VUS=100 -e SEATS=2000 -e DURATION=30s
// Needs: the service with dev tokens enabled (TICKETRUSH_DEV_TOKENS=true) and
//        TICKETRUSH_RATE_LIMIT_USER=0 TICKETRUSH_RATE_LIMIT_IP=0.
// Java mirror: java -jar target/ticket-rush.jar loadtest --scenario seat-change
//
// Each iteration: hold A (201, or 409 when someone else has it); DELETE .../holds/A -> 204;
// DELETE it again -> 404 hold_not_found; hold B (201/409); release B. teardown() checks the seat map:
// no seat twice, nothing sold, at most one leftover hold per VU (iterations cut off at the end).
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Counter } from 'k6/metrics';
import {
  BASE_THRESHOLDS, DURATION, int, code, devToken, createEvent, section, hold, release,
  seatMap, checkSeatMap, invariantViolations, randomInt,
} from './lib.js';

const VUS = int('VUS', 100);
const SEATS = int('SEATS', 2000);

const changes = new Counter('seat_changes'); // A released and B held

export const options = {
  scenarios: {
    seat_change: { executor: 'constant-vus', vus: VUS, duration: DURATION, gracefulStop: '5s' },
  },
  thresholds: Object.assign({}, BASE_THRESHOLDS, {
    checks: ['rate>0.99'],
  }),
};

export function setup() {
  const admin = devToken('k6-admin', ['admin']);
  const event = createEvent(admin, [section('A', SEATS)]);
  return { eventId: event.id, seatCount: event.seatCount };
}

let token;

function holdOne(data, seat) {
  const res = hold(token, data.eventId, [seat]);
  check(res, {
    'hold: 201 or 409 seat_unavailable': (r) => r.status === 201 || (r.status === 409 && code(r) === 'seat_unavailable'),
  });
  return res.status === 201;
}

export default function (data) {
  if (!token) token = devToken(`k6-changer-${__VU}`, []);
  const a = randomInt(1, data.seatCount);
  if (!holdOne(data, a)) return;
  sleep(Math.random() * 0.3);

  check(release(token, data.eventId, a), { 'release A: 204': (r) => r.status === 204 });
  const again = release(token, data.eventId, a, { responseCallback: http.expectedStatuses(404) });
  check(again, { 'release A again: 404 hold_not_found': (r) => r.status === 404 && code(r) === 'hold_not_found' });

  const b = randomInt(1, data.seatCount);
  if (!holdOne(data, b)) return;
  changes.add(1);
  sleep(Math.random() * 0.3);
  check(release(token, data.eventId, b), { 'release B: 204': (r) => r.status === 204 });
}

export function teardown(data) {
  const map = seatMap(data.eventId);
  checkSeatMap(map);
  // Every VU releases what it holds; only iterations cut off at the end may leave one seat each.
  const ok = check(map, {
    'teardown: at most one leftover hold per VU': (m) => m.held.length <= VUS,
    'teardown: nothing sold': (m) => m.sold.length === 0,
  });
  if (!ok) invariantViolations.add(1);
}
