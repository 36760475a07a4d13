// hold-conflicts: many users race for very few seats.
//
// Run:   k6 run -e BASE_URL=http://127.0.0.1:8080 k6/hold-conflicts.js
//        optional: -e VUS=256 -e SEATS=50 -e DURATION=30s
// Needs: the service with dev tokens enabled (TICKETRUSH_DEV_TOKENS=true) and, so that the race
//        is measured rather than the abuse limits, TICKETRUSH_RATE_LIMIT_USER=0 TICKETRUSH_RATE_LIMIT_IP=0.
// Java mirror: java -jar target/ticket-rush.jar loadtest --scenario hold-race
//
// setup() creates a fresh SEATS-seat event. Each VU is its own user and loops: hold one random
// seat; on 201 keep it briefly and release it (204), otherwise expect 409 seat_unavailable or
// hold_limit. teardown() reads /seats: no seat twice, held+sold <= seats, nothing sold.
import { check, sleep } from 'k6';
import { Counter } from 'k6/metrics';
import {
  BASE_THRESHOLDS, DURATION, int, code, devToken, createEvent, section, hold, release,
  seatMap, checkSeatMap, invariantViolations, randomInt,
} from './lib.js';

const VUS = int('VUS', 256);
const SEATS = int('SEATS', 50);

const wins = new Counter('hold_wins');
const conflicts = new Counter('hold_conflicts');

export const options = {
  scenarios: {
    hold_race: { executor: 'constant-vus', vus: VUS, duration: DURATION, gracefulStop: '5s' },
  },
  thresholds: Object.assign({}, BASE_THRESHOLDS, {
    checks: ['rate>0.99'],
    hold_wins: ['count>0'],
  }),
};

export function setup() {
  const admin = devToken('k6-admin', ['admin']);
  const event = createEvent(admin, [section('A', SEATS)]);
  return { eventId: event.id, seatCount: event.seatCount };
}

let token; // one user per VU, minted on its first iteration (no HTTP in the init context)

export default function (data) {
  if (!token) token = devToken(`k6-race-${__VU}`, []);
  const seat = randomInt(1, data.seatCount);
  const res = hold(token, data.eventId, [seat]);
  const c = code(res);
  check(res, {
    'hold: 201 or 409 seat_unavailable/hold_limit': (r) =>
      r.status === 201 || (r.status === 409 && (c === 'seat_unavailable' || c === 'hold_limit')),
    'hold: never 5xx': (r) => r.status < 500,
  });
  if (res.status === 201) {
    wins.add(1);
    sleep(Math.random() * 0.2); // "think", then give the seat back to the crowd
    check(release(token, data.eventId, seat), { 'release own hold: 204': (r) => r.status === 204 });
  } else if (res.status === 409) {
    conflicts.add(1);
  }
}

export function teardown(data) {
  const map = seatMap(data.eventId);
  checkSeatMap(map);
  const ok = check(map, {
    'teardown: held count <= seats': (m) => m.held.length <= data.seatCount,
    'teardown: nothing sold': (m) => m.sold.length === 0,
  });
  if (!ok) invariantViolations.add(1);
}
