// Tests of the JS client module (src/main/resources/webroot/js/ticketrush-client.js) in Node, against a
// running Ticket Rush service at TICKETRUSH_URL (dev tokens on). Run by JsClientTest from `mvn verify`, or
// by hand: cd e2e && npm ci && TICKETRUSH_URL=http://127.0.0.1:8080 node --test client.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import {
  connect, createClient, backoffDelay, TicketRushError, AVAILABLE, HELD, SOLD,
} from '../src/main/resources/webroot/js/ticketrush-client.js';

const BASE = (process.env.TICKETRUSH_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Waits for `cond()` to be truthy, polling, until the deadline; fails with `what` and the last value. */
async function until(what, cond, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await cond();
    if (last) return last;
    if (Date.now() > deadline) assert.fail(`${what}: not true within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await new Promise((ok) => setTimeout(ok, 25));
  }
}

let eventId, alice, bob;
const feeds = [];
const watch = (o = {}) => {
  const f = connect({ baseUrl: BASE, eventId, WebSocket, ...o });
  feeds.push(f);
  return f;
};

before(async () => {
  const admin = createClient({ baseUrl: BASE });
  await admin.devToken(`client-admin-${run}`, ['admin']);
  const ev = await admin.request('POST', '/api/events', {
    auth: true,
    body: { name: `JS client ${run}`, sections: [{ name: 'A', rows: 4, seatsPerRow: 10 }], maxSeatsPerUser: 10 },
  });
  eventId = ev.id;
  alice = createClient({ baseUrl: BASE, eventId });
  bob = createClient({ baseUrl: BASE, eventId });
  await alice.devToken(`alice-${run}`);
  await bob.devToken(`bob-${run}`);
});

after(() => { for (const f of feeds) f.close(); });

/** The feed shows exactly what GET /seats says, at the same version. */
async function assertConverges(feed, label) {
  const truth = await alice.seats();
  await until(`${label}: feed reaches version ${truth.version}`, () => feed.version >= truth.version);
  assert.equal(feed.version, truth.version, `${label}: no change after the truth was read`);
  assert.deepEqual(feed.held(), [...truth.held].sort((a, b) => a - b), `${label}: held seats`);
  assert.deepEqual(feed.sold(), [...truth.sold].sort((a, b) => a - b), `${label}: sold seats`);
}

test('problems surface as a typed TicketRushError', async () => {
  await alice.hold([1]);
  const refused = await bob.hold([1, 2]).catch((e) => e);
  assert.ok(refused instanceof TicketRushError, `expected a TicketRushError, got ${refused}`);
  assert.equal(refused.status, 409);
  assert.equal(refused.code, 'seat_unavailable');
  assert.deepEqual(refused.problem.seats, [1]);
  const anonymous = await createClient({ baseUrl: BASE, eventId }).hold([3]).catch((e) => e);
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.code, 'unauthorized');
  await alice.release(1);
});

test('the feed converges after changes made while its socket was cut, resuming with ?since', async () => {
  const feed = watch();
  const connections = [];
  feed.on('connection', (c) => connections.push(c));
  await feed.ready();
  await assertConverges(feed, 'first snapshot');
  assert.equal(feed.stats.snapshots, 1);

  feed.suspend();
  const cutAt = feed.version;
  await alice.hold([5, 6, 7]);
  await alice.release(6);
  await bob.hold([20]);
  assert.equal(feed.seat(5), AVAILABLE, 'a suspended feed must not see changes (else the test proves nothing)');

  const patchesBefore = feed.stats.patches;
  feed.resume();
  await assertConverges(feed, 'after the cut');
  assert.equal(feed.seat(5), HELD);
  assert.equal(feed.seat(6), AVAILABLE);
  assert.equal(feed.seat(20), HELD);
  const last = connections.at(-1);
  assert.equal(last.since, cutAt, 'the reconnect asked for the changes after the last version');
  assert.match(last.url, new RegExp(`\\?since=${cutAt}$`));
  assert.equal(feed.stats.snapshots, 1, 'the missing changes came as patches, not a second snapshot');
  assert.ok(feed.stats.patches > patchesBefore, 'patches were applied');
  await Promise.all([alice.release(5), alice.release(7), bob.release(20)]);
});

test('after a dropped connection the feed reconnects by itself (backoff) with ?since and keeps up', async () => {
  const feed = watch();
  await feed.ready();
  const connections = [];
  feed.on('connection', (c) => connections.push(c));
  const states = [];
  feed.on('state', ({ state }) => states.push(state));
  const changes = [];
  feed.onChange((c) => changes.push(...c.changes));

  const dropAt = feed.version;
  feed.dropConnection();
  await bob.hold([30, 31]);
  await until('reconnected and live', () => connections.length >= 1 && feed.live);
  await bob.release(31);
  await assertConverges(feed, 'after the drop');
  assert.equal(connections[0].since, dropAt, 'first reconnect resumed from the last version');
  assert.ok(states.includes('reconnecting'), `states seen: ${states}`);
  assert.equal(feed.stats.snapshots, 1, 'no snapshot after the reconnect');
  assert.deepEqual(changes.map((c) => [c.seat, c.status]).filter(([s]) => s === 30 || s === 31),
    [[30, HELD], [31, HELD], [31, AVAILABLE]], 'every change seen once, in order');
  await bob.release(30);
});

test('a purchase whose answer was lost is retried with the same Idempotency-Key and charges once', async () => {
  const calls = [];
  let dropNext = true;
  // A network that delivers the request but loses the first answer of POST /orders.
  const lossyFetch = async (url, init) => {
    const res = await fetch(url, init);
    if (init.method === 'POST' && /\/orders$/.test(url)) {
      calls.push({ key: init.headers['Idempotency-Key'], status: res.status, replayed: res.headers.get('Idempotent-Replayed') });
      if (dropNext) {
        dropNext = false;
        await res.arrayBuffer();
        throw new TypeError('fetch failed: connection reset');
      }
    }
    return res;
  };
  const carol = createClient({ baseUrl: BASE, eventId, fetch: lossyFetch });
  await carol.devToken(`carol-${run}`);
  await carol.hold([11, 12]);

  const order = await carol.order({ seats: [11, 12], paymentToken: 'tok_ok' });
  assert.equal(order.status, 'CONFIRMED');
  assert.deepEqual(order.seats, [11, 12]);
  assert.equal(calls.length, 2, 'sent once, retried once');
  assert.equal(calls[0].status, 201);
  assert.equal(calls[1].key, calls[0].key, 'the retry reused the Idempotency-Key');
  assert.match(calls[0].key, /^[0-9a-f-]{36}$/);
  assert.equal(calls[1].replayed, 'true', 'the retry was answered by replay');
  const mine = await carol.myOrders();
  assert.equal(mine.orders.length, 1, `one order: ${JSON.stringify(mine.orders)}`);
  assert.equal(mine.orders[0].orderId, order.orderId);

  // A new purchase gets a new key.
  await carol.hold([13]);
  await carol.order({ seats: [13], paymentToken: 'tok_ok' });
  assert.notEqual(calls.at(-1).key, calls[0].key);
  const feed = watch();
  await feed.ready();
  assert.deepEqual([feed.seat(11), feed.seat(12), feed.seat(13)], [SOLD, SOLD, SOLD]);
});

test('tickets, transfer and check-in: the typed helpers against the real service', async () => {
  const dave = createClient({ baseUrl: BASE, eventId });
  const erin = createClient({ baseUrl: BASE, eventId });
  const door = createClient({ baseUrl: BASE, eventId, maxRetries: 0 });
  await dave.devToken(`dave-${run}`);
  await erin.devToken(`erin-${run}`);
  await door.devToken(`door-${run}`, ['scanner']);
  await dave.hold([21, 22]);
  const order = await dave.order({ seats: [21, 22], paymentToken: 'tok_ok' });

  const { tickets } = await dave.tickets();
  assert.deepEqual(tickets.map((t) => [t.seat, t.status, t.orderId]), [[21, 'VALID', order.orderId], [22, 'VALID', order.orderId]]);
  for (const t of tickets) assert.match(t.code, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'a compact JWS');
  assert.deepEqual((await dave.tickets(eventId)).tickets.map((t) => t.id), tickets.map((t) => t.id), 'tickets(eventId) = tickets()');
  const [keep, give] = tickets;

  // Transfer: a new ticket for erin, dave's old one VOID.
  const moved = await dave.transfer(order.orderId, give.id, `erin-${run}`);
  assert.equal(moved.status, 'VALID');
  assert.equal(moved.seat, 22);
  assert.notEqual(moved.id, give.id);
  assert.notEqual(moved.code, give.code);
  assert.deepEqual((await erin.tickets()).tickets.map((t) => [t.id, t.status]), [[moved.id, 'VALID']]);
  assert.equal((await dave.tickets()).tickets.find((t) => t.id === give.id).status, 'VOID');
  const again = await dave.transfer(order.orderId, give.id, `erin-${run}`).catch((e) => e);
  assert.ok(again instanceof TicketRushError);
  assert.deepEqual([again.status, again.code], [409, 'ticket_void']);

  // Check-in: one admit, then already_checked_in with when; the old code is void; garbage is invalid.
  const admitted = await door.checkIn(eventId, keep.code);
  assert.equal(admitted.ticket.id, keep.id);
  assert.equal(admitted.ticket.status, 'USED');
  assert.ok(Date.parse(admitted.checkedInAt) > 0);
  const twice = await door.checkIn(eventId, keep.code).catch((e) => e);
  assert.ok(twice instanceof TicketRushError);
  assert.deepEqual([twice.status, twice.code, twice.problem.checkedInAt], [409, 'already_checked_in', admitted.checkedInAt]);
  const old = await door.checkIn(eventId, give.code).catch((e) => e);
  assert.deepEqual([old.status, old.code], [409, 'ticket_void']);
  const junk = await door.checkIn(eventId, 'not.a.ticket').catch((e) => e);
  assert.deepEqual([junk.status, junk.code], [400, 'ticket_invalid']);
  assert.equal((await door.checkIn(eventId, moved.code)).ticket.id, moved.id, "erin's new code admits");

  // A fan without the scanner role cannot check in; a checked-in ticket cannot move.
  const fan = await dave.checkIn(eventId, keep.code).catch((e) => e);
  assert.deepEqual([fan.status, fan.code], [403, 'forbidden']);
  const used = await dave.transfer(order.orderId, keep.id, `erin-${run}`).catch((e) => e);
  assert.deepEqual([used.status, used.code], [409, 'ticket_used']);
});

// A scripted server: answers in order, recording when each request came.
function scripted(answers) {
  const seen = [];
  const f = async (url, init) => {
    seen.push({ at: Date.now(), url, init });
    const [status, body, headers = {}] = answers[Math.min(seen.length - 1, answers.length - 1)];
    return new Response(body === null ? null : JSON.stringify(body), {
      status, headers: { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json', ...headers },
    });
  };
  return { f, seen };
}

test('Retry-After is honoured on 429, 503 and 409 request_in_progress, with bounded retries', async () => {
  const { f, seen } = scripted([
    [429, { status: 429, code: 'rate_limited' }, { 'Retry-After': '1' }],
    [409, { status: 409, code: 'request_in_progress' }, { 'Retry-After': '0' }],
    [201, { orderId: 'o-1', status: 'CONFIRMED', seats: [1] }],
  ]);
  const c = createClient({ baseUrl: 'http://x.invalid', eventId: 9, token: 't', fetch: f });
  const order = await c.order({ seats: [1], paymentToken: 'tok_ok' });
  assert.equal(order.orderId, 'o-1');
  assert.equal(seen.length, 3);
  assert.ok(seen[1].at - seen[0].at >= 950, `waited ${seen[1].at - seen[0].at} ms for Retry-After: 1`);
  const keys = seen.map((s) => s.init.headers['Idempotency-Key']);
  assert.equal(new Set(keys).size, 1, 'one key for every attempt');

  const down = scripted([[503, { status: 503, code: 'unavailable', detail: 'try later' }, { 'Retry-After': '0' }]]);
  const d = createClient({ baseUrl: 'http://x.invalid', eventId: 9, token: 't', fetch: down.f, maxRetries: 2 });
  const err = await d.hold([1]).catch((e) => e);
  assert.ok(err instanceof TicketRushError);
  assert.equal(err.status, 503);
  assert.equal(err.detail, 'try later');
  assert.equal(down.seen.length, 3, 'one call and two retries, then the error');

  const conflict = scripted([[409, { status: 409, code: 'seat_unavailable', seats: [1] }]]);
  const e = createClient({ baseUrl: 'http://x.invalid', eventId: 9, token: 't', fetch: conflict.f });
  assert.equal((await e.hold([1]).catch((x) => x)).code, 'seat_unavailable');
  assert.equal(conflict.seen.length, 1, 'a definite refusal is not retried');
});

test('cancel: one Idempotency-Key for every attempt, 202 CANCELLING then CANCELLED on replay', async () => {
  const { f, seen } = scripted([
    [202, { orderId: 'o-9', status: 'CANCELLING' }],
    [200, { orderId: 'o-9', status: 'CANCELLED' }],
  ]);
  const c = createClient({ baseUrl: 'http://x.invalid', token: 't', fetch: f });
  const first = await c.cancel('o-9');
  assert.equal(first.status, 'CANCELLING');
  const key = seen[0].init.headers['Idempotency-Key'];
  assert.match(key, /^[0-9a-f-]{36}$/);
  assert.equal(seen[0].init.method, 'POST');
  assert.equal(seen[0].url, 'http://x.invalid/api/orders/o-9/cancel');
  assert.equal(seen[0].init.headers.Authorization, 'Bearer t');
  assert.equal((await c.cancel('o-9', { idempotencyKey: key })).status, 'CANCELLED');
  assert.equal(seen[1].init.headers['Idempotency-Key'], key);

  // A lost answer is retried with the same key; a refusal carries the key and the problem.
  let calls = 0;
  const keys = [];
  const lossy = async (url, init) => {
    keys.push(init.headers['Idempotency-Key']);
    if (calls++ === 0) throw new TypeError('fetch failed: connection reset');
    return new Response(JSON.stringify({ status: 409, code: 'not_refundable', detail: 'too late' }),
      { status: 409, headers: { 'Content-Type': 'application/problem+json' } });
  };
  const l = createClient({ baseUrl: 'http://x.invalid', token: 't', fetch: lossy });
  const err = await l.cancel('o-7').catch((e) => e);
  assert.ok(err instanceof TicketRushError);
  assert.deepEqual([err.status, err.code, err.detail], [409, 'not_refundable', 'too late']);
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], 'the retry after a network error reused the key');
  assert.equal(err.idempotencyKey, keys[0]);
});

test('transfer and checkIn send what the contract names, and are not resent after a network error', async () => {
  const { f, seen } = scripted([[200, { id: 't-2', seat: 5, status: 'VALID', code: 'x.y.z' }]]);
  const c = createClient({ baseUrl: 'http://x.invalid', eventId: 9, token: 't', fetch: f });
  assert.equal((await c.transfer('o/1', 't-1', 'zoe')).id, 't-2');
  assert.equal(seen[0].url, 'http://x.invalid/api/orders/o%2F1/tickets/t-1/transfer');
  assert.deepEqual(JSON.parse(seen[0].init.body), { to: 'zoe' });
  const door = scripted([[200, { ticket: { id: 't-2' }, checkedInAt: '2030-01-01T00:00:00Z' }]]);
  const d = createClient({ baseUrl: 'http://x.invalid', eventId: 9, token: 't', fetch: door.f });
  await d.checkIn(12, 'a.b.c');
  assert.equal(door.seen[0].url, 'http://x.invalid/api/events/12/checkins');
  assert.deepEqual(JSON.parse(door.seen[0].init.body), { code: 'a.b.c' });
  await d.tickets();
  assert.equal(door.seen[1].url, 'http://x.invalid/api/events/9/tickets/me');

  let sent = 0;
  const down = async () => { sent++; throw new TypeError('fetch failed'); };
  const n = createClient({ baseUrl: 'http://x.invalid', eventId: 9, token: 't', fetch: down });
  assert.equal((await n.checkIn(9, 'a.b.c').catch((e) => e)).code, 'network_error');
  assert.equal((await n.transfer('o', 't', 'z').catch((e) => e)).code, 'network_error');
  assert.equal(sent, 2, 'each sent once');
});

test('holdBest sends {count, section} to /holds/best', async () => {
  const { f, seen } = scripted([[201, { seats: [4, 5], expiresAt: '2030-01-01T00:00:00Z' }]]);
  const c = createClient({ baseUrl: 'http://x.invalid', eventId: 9, token: 't', fetch: f });
  assert.deepEqual((await c.holdBest({ count: 2, section: 'B' })).seats, [4, 5]);
  assert.equal(seen[0].url, 'http://x.invalid/api/events/9/holds/best');
  assert.deepEqual(JSON.parse(seen[0].init.body), { count: 2, section: 'B' });
  assert.equal(seen[0].init.headers.Authorization, 'Bearer t');
});

test('reconnect delays: exponential with full jitter, 250 ms base, 10 s cap', () => {
  assert.equal(backoffDelay(0, 250, 10_000, () => 0), 0);
  assert.equal(backoffDelay(0, 250, 10_000, () => 0.999), 249);
  assert.equal(backoffDelay(3, 250, 10_000, () => 0.5), 1000);
  assert.equal(backoffDelay(20, 250, 10_000, () => 0.999), 9990);
});

test('a presale code goes with holds as X-Access-Code and works for its first user only', async () => {
  const admin = createClient({ baseUrl: BASE });
  await admin.devToken(`presale-admin-${run}`, ['admin']);
  const releaseAt = new Date(Date.now() + 3_600_000).toISOString();
  const ev = await admin.request('POST', '/api/events', {
    auth: true,
    body: {
      name: `Presale ${run}`,
      sections: [{ name: 'A', rows: 1, seatsPerRow: 10 }, { name: 'B', rows: 1, seatsPerRow: 10 }],
      allocations: [{ id: 'fanclub', sections: ['A'], releaseAt }],
    },
  });
  const { codes } = await admin.request('POST', `/api/events/${ev.id}/access-codes`, { auth: true, body: { allocation: 'fanclub', count: 1 } });
  const fan = createClient({ baseUrl: BASE, eventId: ev.id, accessCode: codes[0] });
  const other = createClient({ baseUrl: BASE, eventId: ev.id });
  await fan.devToken(`fan-${run}`);
  await other.devToken(`other-${run}`);
  await assert.rejects(other.hold([1]), (e) => e.code === 'seat_reserved');
  assert.deepEqual((await fan.hold([1])).seats, [1]);
  assert.ok((await fan.holdBest({ count: 1, section: 'A' })).seats[0] <= 10);
  other.accessCode = codes[0];
  await assert.rejects(other.hold([11]), (e) => e.status === 403 && e.code === 'access_code_invalid');
});
