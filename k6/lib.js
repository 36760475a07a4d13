// Shared helpers for the Ticket Rush k6 scripts (contract: src/main/resources/openapi.yaml and docs/api.md).
// Not a test by itself; every scenario script imports it.
//
// Env: BASE_URL (default http://127.0.0.1:8080). The service must run with dev tokens
// enabled (TICKETRUSH_DEV_TOKENS=true, the default with embedded Redis/PostgreSQL).
import http from 'k6/http';
import { check, fail } from 'k6';
import { Counter } from 'k6/metrics';

export const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const WS_URL = BASE_URL.replace(/^http/, 'ws');

// 409 (conflicts), 402 (declined payment) and 429 (rate limited) are answers the contract
// promises under contention, not transport failures: keep them out of http_req_failed.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 409, 402, 429));

// Any 5xx or transport error (status 0) anywhere. SLO: none at all.
export const serverErrors = new Counter('server_errors');
// Broken invariants found by teardown() (oversell, duplicate ids, ...). SLO: none at all.
export const invariantViolations = new Counter('invariant_violations');
// 429 answers; the race scripts expect rate limits to be off, so these explain failed checks.
export const rateLimited = new Counter('rate_limited');

// SLO thresholds shared by every script; scripts add their own metrics' thresholds.
export const BASE_THRESHOLDS = {
  http_req_failed: ['rate<0.01'],
  'http_req_duration{op:hold}': ['p(99)<25'],
  server_errors: ['count==0'],
  invariant_violations: ['count==0'],
};

export const DURATION = __ENV.DURATION || '30s';
// "45s", "1m", "1m30s", "500ms" or a bare number of seconds -> seconds.
export function durationSeconds(d) {
  if (/^\d+(\.\d+)?$/.test(d)) return Number(d);
  let total = 0;
  String(d).replace(/(\d+(?:\.\d+)?)(ms|h|m|s)/g, (_, n, u) => {
    total += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[u];
  });
  return total;
}
export const int = (name, dflt) => parseInt(__ENV[name] || String(dflt), 10);

export function track(res) {
  if (res.status === 0 || res.status >= 500) serverErrors.add(1);
  if (res.status === 429) rateLimited.add(1);
  return res;
}

// Stable problem code of an RFC 9457 answer, or undefined.
export function code(res) {
  try { return JSON.parse(res.body).code; } catch (e) { return undefined; }
}

export function json(res) {
  try { return JSON.parse(res.body); } catch (e) { return undefined; }
}

export function uuid() {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

export function headers(token, extra) {
  const h = { 'Content-Type': 'application/json' };
  if (token) h.Authorization = `Bearer ${token}`;
  return Object.assign(h, extra || {});
}

export function devToken(sub, roles) {
  const res = track(http.post(`${BASE_URL}/api/dev/tokens`, JSON.stringify({ sub, roles: roles || [] }),
    { headers: headers(), tags: { op: 'token' } }));
  if (res.status !== 200) fail(`dev token for ${sub}: ${res.status} ${res.body} (is TICKETRUSH_DEV_TOKENS=true?)`);
  return json(res).token;
}

// One section of exactly n seats (rows x seatsPerRow, at most 100 per row when n allows it).
export function section(name, n) {
  let perRow = Math.min(n, 100);
  while (perRow > 1 && n % perRow !== 0) perRow--;
  return { name, rows: n / perRow, seatsPerRow: perRow };
}

// POST /api/events; returns the created event ({id, seatCount, ...}). `extra` may set holdTtlMs etc.
export function createEvent(adminToken, sections, extra) {
  const body = Object.assign({ name: `k6 ${Date.now()}`, sections }, extra || {});
  const res = track(http.post(`${BASE_URL}/api/events`, JSON.stringify(body),
    { headers: headers(adminToken), tags: { op: 'create_event' } }));
  if (res.status !== 201) fail(`create event: ${res.status} ${res.body}`);
  return json(res);
}

export function hold(token, eventId, seats) {
  return track(http.post(`${BASE_URL}/api/events/${eventId}/holds`, JSON.stringify({ seats }),
    { headers: headers(token), tags: { op: 'hold' } }));
}

export function release(token, eventId, seatId, params) {
  return track(http.del(`${BASE_URL}/api/events/${eventId}/holds/${seatId}`, null,
    Object.assign({ headers: headers(token), tags: { op: 'release' } }, params || {})));
}

export function seatMap(eventId) {
  const res = track(http.get(`${BASE_URL}/api/events/${eventId}/seats`, { tags: { op: 'seats' } }));
  if (res.status !== 200) fail(`GET seats: ${res.status} ${res.body}`);
  return json(res);
}

// Common teardown invariants of a seat map; returns the number of violations (also counted).
export function checkSeatMap(map) {
  const all = map.held.concat(map.sold);
  const ok = {
    'seats: no id listed twice in held+sold': new Set(all).size === all.length,
    'seats: every id within 1..seatCount': all.every((s) => Number.isInteger(s) && s >= 1 && s <= map.seatCount),
    'seats: held+sold <= seatCount': all.length <= map.seatCount,
  };
  let bad = 0;
  for (const name of Object.keys(ok)) {
    check(map, { [name]: () => ok[name] });
    if (!ok[name]) bad++;
  }
  if (bad) invariantViolations.add(bad);
  return bad;
}

export function randomInt(lo, hi) { // inclusive
  return lo + Math.floor(Math.random() * (hi - lo + 1));
}
