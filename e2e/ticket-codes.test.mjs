// Ticket codes checked by an independent implementation: Node's own `crypto` (not the service's JOSE library)
// verifies a ticket's compact JWS against the published JWKS, and codes that should not open a door (a forged
// signature, edited claims, `alg: none`, HS256 keyed with the public key, a key of our own under the service's
// kid, another event's ticket) are shown to be refused by the server's check-in with 400 ticket_invalid.
// Run by JsClientTest from `mvn verify`, or by hand against a running node (dev tokens on):
//   cd e2e && TICKETRUSH_URL=http://127.0.0.1:8080 node --test ticket-codes.test.mjs
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { createClient, TicketRushError } from '../src/main/resources/webroot/js/ticketrush-client.js';

const BASE = (process.env.TICKETRUSH_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const json64 = (obj) => b64u(JSON.stringify(obj));
const parts = (code) => {
  const [h, p, s] = code.split('.');
  return { h, p, s, header: JSON.parse(Buffer.from(h, 'base64url')), claims: JSON.parse(Buffer.from(p, 'base64url')) };
};

let eventId, otherEventId, door, buyer, ticket, otherTicket, jwks;

async function buyOne(client, evId, seat) {
  await client.hold([seat], { eventId: evId });
  const order = await client.order({ eventId: evId, seats: [seat], paymentToken: 'tok_ok' });
  const { tickets } = await client.tickets(evId);
  return tickets.find((t) => t.orderId === order.orderId);
}

before(async () => {
  const admin = createClient({ baseUrl: BASE });
  await admin.devToken(`codes-admin-${run}`, ['admin']);
  const make = async (name) => (await admin.request('POST', '/api/events', {
    auth: true, body: { name: `${name} ${run}`, sections: [{ name: 'A', rows: 2, seatsPerRow: 10 }] },
  })).id;
  eventId = await make('Ticket codes');
  otherEventId = await make('Another night');
  buyer = createClient({ baseUrl: BASE, eventId });
  await buyer.devToken(`codes-buyer-${run}`);
  door = createClient({ baseUrl: BASE, eventId, maxRetries: 0 });
  await door.devToken(`codes-door-${run}`, ['scanner']);
  ticket = await buyOne(buyer, eventId, 3);
  otherTicket = await buyOne(buyer, otherEventId, 3);
  jwks = await buyer.ticketKeys(eventId);
});

/** The server's verdict on a code: the check-in's status and problem code. */
async function scan(code, evId = eventId) {
  try {
    const r = await door.checkIn(evId, code);
    return { status: 200, body: r };
  } catch (e) {
    assert.ok(e instanceof TicketRushError, `expected a TicketRushError, got ${e}`);
    return { status: e.status, code: e.code, problem: e.problem };
  }
}

test('the published JWKS holds public EC P-256 keys only, named by kid', () => {
  assert.ok(Array.isArray(jwks.keys) && jwks.keys.length >= 1, JSON.stringify(jwks));
  for (const k of jwks.keys) {
    assert.equal(k.kty, 'EC');
    assert.equal(k.crv, 'P-256');
    assert.ok(k.kid, 'every key has a kid');
    assert.equal(k.d, undefined, 'no private part is ever published');
    assert.equal(createPublicKey({ key: k, format: 'jwk' }).asymmetricKeyType, 'ec');
  }
});

test("Node's crypto verifies a ticket's ES256 signature with the published key, and the claims name the ticket", () => {
  const { h, p, s, header, claims } = parts(ticket.code);
  assert.equal(header.alg, 'ES256');
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, `the code's kid ${header.kid} is in the JWKS`);
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const sig = Buffer.from(s, 'base64url');
  assert.equal(sig.length, 64, 'ES256 signature is raw r||s (64 bytes), not DER');
  assert.equal(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, sig), true, 'signature verifies');
  assert.equal(claims.tid, ticket.id);
  assert.equal(claims.eid, eventId);
  assert.equal(claims.seat, 3);
  assert.equal(claims.sub, `codes-buyer-${run}`);

  // The same check fails for a changed claim or a changed signature byte.
  const edited = json64({ ...claims, seat: 4 });
  assert.equal(verify('sha256', Buffer.from(`${h}.${edited}`), { key, dsaEncoding: 'ieee-p1363' }, sig), false);
  const flipped = Buffer.from(sig); flipped[10] ^= 1;
  assert.equal(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, flipped), false);
});

test('forged codes and algorithm switches are refused at the door with 400 ticket_invalid', async () => {
  const { h, p, s, header, claims } = parts(ticket.code);
  const sig = Buffer.from(s, 'base64url');
  const flipped = Buffer.from(sig); flipped[sig.length - 1] ^= 0x55;
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  const der = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
  const hs256 = (secret) => {
    const head = json64({ alg: 'HS256', kid: header.kid, typ: 'JWT' });
    return `${head}.${p}.${b64u(createHmac('sha256', secret).update(`${head}.${p}`).digest())}`;
  };
  // A key pair of our own, signing under the service's kid: right algorithm, wrong key.
  const mine = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ownSig = sign('sha256', Buffer.from(`${h}.${p}`), { key: mine.privateKey, dsaEncoding: 'ieee-p1363' });
  const forgeries = {
    'signature with one byte changed': `${h}.${p}.${b64u(flipped)}`,
    'claims edited (another seat), signature kept': `${h}.${json64({ ...claims, seat: 4 })}.${s}`,
    'alg none, no signature': `${json64({ alg: 'none', kid: header.kid, typ: 'JWT' })}.${p}.`,
    'alg none, signature kept': `${json64({ alg: 'none', kid: header.kid, typ: 'JWT' })}.${p}.${s}`,
    'HS256 keyed with the public key (PEM)': hs256(pem),
    'HS256 keyed with the public key (DER)': hs256(der),
    'HS256 keyed with the JWK text': hs256(JSON.stringify(jwk)),
    'ES256 from another key under the same kid': `${h}.${p}.${b64u(ownSig)}`,
    'not a JWS at all': 'ticket-please',
  };
  for (const [what, code] of Object.entries(forgeries)) {
    const r = await scan(code);
    assert.deepEqual([r.status, r.code], [400, 'ticket_invalid'], `${what}: ${JSON.stringify(r)}`);
  }
  // A genuine ticket of another event is refused here too.
  const foreign = await scan(otherTicket.code);
  assert.deepEqual([foreign.status, foreign.code], [400, 'ticket_invalid'], `another event's ticket: ${JSON.stringify(foreign)}`);

  // None of those touched the ticket: the genuine code still admits, once.
  const first = await scan(ticket.code);
  assert.equal(first.status, 200, `the genuine code admits: ${JSON.stringify(first)}`);
  assert.equal(first.body.ticket.id, ticket.id);
  assert.equal(first.body.ticket.status, 'USED');
  const again = await scan(ticket.code);
  assert.deepEqual([again.status, again.code], [409, 'already_checked_in']);
  assert.equal(again.problem.checkedInAt, first.body.checkedInAt);
});
