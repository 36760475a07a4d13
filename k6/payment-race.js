// payment-race: users hold seats and buy them; idempotent retries, duplicate purchases, no oversell.
//
// Run:   k6 run -e BASE_URL=http://127.0.0.1:8080 k6/payment-race.js
//        optional: -e VUS=100 -e SEATS=2000 -e DURATION=30s
// Needs: the service with dev tokens enabled (TICKETRUSH_DEV_TOKENS=true), the built-in fake payment
//        gateway (accepts "tok_ok"), and TICKETRUSH_RATE_LIMIT_USER=0 TICKETRUSH_RATE_LIMIT_IP=0.
// Java mirror: java -jar target/ticket-rush.jar loadtest --scenario payment-race
//
// Each iteration: hold 1-2 random seats; POST /orders with an Idempotency-Key, sent twice at once
// (exactly one fresh 201, the twin is a replay or 409 request_in_progress); retry with the same key
// (identical status and body, Idempotent-Replayed: true); buy the same seats under a new key (409).
// Every confirmed seat a client sees is added to the Counter seat_ledger; teardown() subtracts the
// number of sold seats in /seats, so the threshold seat_ledger==0 means sold == confirmed (no oversell,
// no lost sale), and checks /seats.sold has no duplicates.
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Counter } from 'k6/metrics';
import {
  BASE_URL, BASE_THRESHOLDS, DURATION, int, code, json, uuid, headers, track, devToken, createEvent,
  section, hold, release, seatMap, checkSeatMap, invariantViolations, randomInt,
} from './lib.js';

const VUS = int('VUS', 100);
const SEATS = int('SEATS', 2000);

const confirmedSeats = new Counter('confirmed_seats'); // seats of confirmed orders seen by clients
const seatLedger = new Counter('seat_ledger'); // +confirmed seats seen, -sold seats in teardown
const doubleSales = new Counter('double_sales'); // a second order for already bought seats succeeded

export const options = {
  scenarios: {
    buyers: { executor: 'constant-vus', vus: VUS, duration: DURATION, gracefulStop: '10s' },
  },
  thresholds: Object.assign({}, BASE_THRESHOLDS, {
    checks: ['rate>0.99'],
    seat_ledger: ['count==0'],
    double_sales: ['count==0'],
  }),
};

export function setup() {
  const admin = devToken('k6-admin', ['admin']);
  const event = createEvent(admin, [section('A', SEATS)]);
  return { eventId: event.id, seatCount: event.seatCount };
}

let token;

function orderRequest(eventId, key, body) {
  return {
    method: 'POST',
    url: `${BASE_URL}/api/events/${eventId}/orders`,
    body,
    params: { headers: headers(token, { 'Idempotency-Key': key }), tags: { op: 'order' } },
  };
}

function confirmed(res) {
  const o = res.status === 201 ? json(res) : undefined;
  return o && o.status === 'CONFIRMED' ? o : undefined;
}

export default function (data) {
  if (!token) token = devToken(`k6-buyer-${__VU}`, []);
  const a = randomInt(1, data.seatCount);
  const seats = Math.random() < 0.5 || a === data.seatCount ? [a] : [a, a + 1];

  const h = hold(token, data.eventId, seats);
  check(h, { 'hold: 201 or 409': (r) => r.status === 201 || r.status === 409 });
  if (h.status !== 201) { sleep(Math.random() * 0.5); return; }

  const key = uuid();
  const body = JSON.stringify({ seats, paymentToken: 'tok_ok' });
  const req = orderRequest(data.eventId, key, body);

  // The same purchase submitted twice at once (double click / client retry while in flight).
  const [x, y] = http.batch([req, req]).map(track);
  const fresh = [x, y].filter((r) => r.status === 201 && r.headers['Idempotent-Replayed'] !== 'true');
  const first = fresh[0] || x;
  const twin = first === x ? y : x;
  check(twin, {
    'order twins: exactly one fresh 201': () => fresh.length === 1,
    'order twin: replay of the first or 409 request_in_progress': (r) =>
      (r.status === first.status && r.body === first.body) || (r.status === 409 && code(r) === 'request_in_progress'),
  });
  const order = confirmed(first);
  if (!order) {
    // e.g. 409 hold_missing when the hold expired; give back whatever we still hold.
    seats.forEach((s) => release(token, data.eventId, s, { responseCallback: http.expectedStatuses(204, 404) }));
    return;
  }
  check(order, { 'order: seats as requested': (o) => JSON.stringify(o.seats) === JSON.stringify(seats) });
  confirmedSeats.add(order.seats.length);
  seatLedger.add(order.seats.length);

  // Retry with the same key: the stored answer, marked as a replay, no second charge.
  const again = track(http.post(req.url, body, req.params));
  check(again, {
    'retry same key: same status': (r) => r.status === first.status,
    'retry same key: identical body': (r) => r.body === first.body,
    'retry same key: Idempotent-Replayed: true': (r) => r.headers['Idempotent-Replayed'] === 'true',
  });

  // The same seats under a different key: they are sold, so it must be refused.
  const dup = track(http.post(req.url, body, orderRequest(data.eventId, uuid(), body).params));
  check(dup, { 'duplicate with new key: 409': (r) => r.status === 409 });
  const stolen = confirmed(dup);
  if (stolen) {
    doubleSales.add(1);
    seatLedger.add(stolen.seats.length);
  }
  sleep(Math.random() * 0.5);
}

export function teardown(data) {
  const map = seatMap(data.eventId);
  checkSeatMap(map);
  const unique = new Set(map.sold).size === map.sold.length;
  if (!check(map, { 'teardown: /seats.sold has no duplicates': () => unique })) invariantViolations.add(1);
  seatLedger.add(-map.sold.length);
  console.log(`sold seats in /seats: ${map.sold.length} (seat_ledger must end at 0 = confirmed seats seen - sold)`);
}
