// Ticket Rush client: the live seat map feed and the HTTP API helpers, in one dependency-free ES module.
// Works in browsers (served at /js/ticketrush-client.js) and in Node >= 20 (pass `WebSocket` from the `ws`
// package where the runtime has none). The wire contract it speaks is /api.md "Real time", "Holds",
// "Best available", "Orders", "After the sale" and "Waiting room".
//
//   import { connect, createClient } from '/js/ticketrush-client.js';
//   const feed = connect({ eventId: 1 });
//   feed.on('change', ({ changes }) => redraw(changes));
//   const api = createClient({ eventId: 1, token });
//   await api.hold([12, 13]);

export const AVAILABLE = 'AVAILABLE', HELD = 'HELD', SOLD = 'SOLD';
const STATUSES = new Set([AVAILABLE, HELD, SOLD]);

/** A refused or failed API call. `problem` is the RFC 9457 body (an empty object when there was none). */
export class TicketRushError extends Error {
  constructor(status, problem = {}, { retryAfterMs = 0, cause } = {}) {
    const p = problem && typeof problem === 'object' ? problem : {};
    const text = p.detail || p.title || (status ? `HTTP ${status}` : `network error: ${cause && cause.message}`);
    super(p.code ? `${text} (${p.code})` : text, cause ? { cause } : undefined);
    this.name = 'TicketRushError';
    this.status = status;          // 0 when no answer arrived (network error)
    this.code = p.code || (status ? `http_${status}` : 'network_error');
    this.detail = p.detail || '';
    this.problem = p;
    this.retryAfterMs = retryAfterMs;
  }
}

// ---------------------------------------------------------------------------------------------------------
// small helpers

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Exponential backoff with full jitter: a random wait in [0, min(cap, base * 2^attempt)). */
export function backoffDelay(attempt, baseMs = 250, capMs = 10_000, random = Math.random) {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30)));
}

// crypto.randomUUID needs a secure context in browsers (https or localhost); getRandomValues does not.
export function newIdempotencyKey() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function defaultBaseUrl() {
  return typeof location !== 'undefined' && location.origin && location.origin !== 'null' ? location.origin : '';
}
const trimBase = (u) => String(u == null ? defaultBaseUrl() : u).replace(/\/+$/, '');

/** Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(value) {
  if (!value) return 0;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : 0;
}

/** The answers worth waiting for: the server says when to come back. */
function waitable(err) {
  return err.status === 429 || err.status === 503 || (err.status === 409 && err.code === 'request_in_progress');
}

// ---------------------------------------------------------------------------------------------------------
// HTTP API

/**
 * createClient({ baseUrl, eventId, token, entryToken, accessCode, fetch, maxRetries, maxWaitMs, onUnauthorized })
 * Every helper resolves with the response body or rejects with a TicketRushError. 409 request_in_progress,
 * 429 and 503 are retried after their Retry-After (at most `maxRetries` times, each wait capped at
 * `maxWaitMs`); network errors are retried with jittered backoff only where repeating the call is safe.
 */
export function createClient(options = {}) {
  const base = trimBase(options.baseUrl);
  const doFetch = options.fetch || globalThis.fetch.bind(globalThis);
  const maxRetries = options.maxRetries ?? 3;
  const maxWaitMs = options.maxWaitMs ?? 10_000;
  const state = { token: options.token || null, entryToken: options.entryToken || null, accessCode: options.accessCode || null };
  const defaultEvent = options.eventId;

  const eventOf = (o) => {
    const id = (o && o.eventId) ?? defaultEvent;
    if (id == null) throw new TypeError('eventId is required (createClient({eventId}) or per call)');
    return id;
  };

  async function once(method, path, { body, headers = {}, auth = false, entry = false, code = false } = {}) {
    const h = { Accept: 'application/json, application/problem+json', ...headers };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    if (auth && state.token) h.Authorization = `Bearer ${state.token}`;
    if (entry && state.entryToken) h['X-Entry-Token'] = state.entryToken;
    // A presale code goes with holds: it opens the seats reserved for its allocation.
    if (code && state.accessCode) h['X-Access-Code'] = state.accessCode;
    let res;
    try {
      res = await doFetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (cause) {
      throw new TicketRushError(0, {}, { cause });
    }
    const text = await res.text().catch(() => '');
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    if (!res.ok) {
      const err = new TicketRushError(res.status, data, { retryAfterMs: retryAfterMs(res.headers.get('Retry-After')) });
      if (res.status === 401 && auth && options.onUnauthorized) options.onUnauthorized(err);
      throw err;
    }
    return data;
  }

  /** `repeatable`: the call may be sent again after a network error (it cannot take effect twice). */
  async function request(method, path, opts = {}) {
    const repeatable = opts.repeatable ?? (method === 'GET');
    for (let attempt = 0; ; attempt++) {
      try {
        return await once(method, path, opts);
      } catch (err) {
        if (attempt >= maxRetries) throw err;
        if (waitable(err)) await sleep(Math.min(maxWaitMs, err.retryAfterMs || backoffDelay(attempt, 500, maxWaitMs)));
        else if (err.status === 0 && repeatable) await sleep(backoffDelay(attempt));
        else throw err;
      }
    }
  }

  const ev = (o) => `/api/events/${encodeURIComponent(eventOf(o))}`;
  // The after-sale helpers take an event id (or {eventId}, or nothing for the client's event).
  const eventArg = (x) => (x != null && typeof x === 'object' ? x : { eventId: x });

  return {
    get token() { return state.token; },
    set token(t) { state.token = t || null; },
    get entryToken() { return state.entryToken; },
    set entryToken(t) { state.entryToken = t || null; },
    /** A presale access code (sent as X-Access-Code on holds; bound to the first user who presents it). */
    get accessCode() { return state.accessCode; },
    set accessCode(c) { state.accessCode = c ? String(c).trim() : null; },
    request,

    /** Dev mode only: POST /api/dev/tokens; also signs this client in. */
    async devToken(sub, roles) {
      const r = await request('POST', '/api/dev/tokens', { body: roles ? { sub, roles } : { sub } });
      state.token = r.token;
      return r.token;
    },
    event: (o) => request('GET', ev(o)),
    layout: (o) => request('GET', `${ev(o)}/layout`),
    seats: (o) => request('GET', `${ev(o)}/seats`),
    presence: (o) => request('GET', `${ev(o)}/presence`),

    /** POST /holds {seats}: all or nothing. Holding a seat you already hold keeps it, so a resend is safe. */
    hold: (seats, o) => request('POST', `${ev(o)}/holds`, { body: { seats }, auth: true, entry: true, code: true, repeatable: true }),
    /** POST /holds/best {count, section?}: the server picks side-by-side seats. Not resent after a network error. */
    /** Best available: `count` seats, optionally of one `section`, one `category` and at most `maxPrice` (minor units) each. */
    holdBest: ({ count, section, category, maxPrice, eventId } = {}) => {
      const body = { count };
      if (section) body.section = section;
      if (category) body.category = category;
      if (Number.isInteger(maxPrice)) body.maxPrice = maxPrice;
      return request('POST', `${ev({ eventId })}/holds/best`, { body, auth: true, entry: true, code: true });
    },
    release: (seat, o) => request('DELETE', `${ev(o)}/holds/${encodeURIComponent(seat)}`, { auth: true, entry: true }),
    myHolds: (o) => request('GET', `${ev(o)}/holds/me`, { auth: true }),

    /**
     * POST /orders. One purchase = one Idempotency-Key (new unless `idempotencyKey` is given), sent again on
     * every retry, so a retry after a lost answer replays the first result instead of charging twice.
     * A rejection carries the key (`err.idempotencyKey`) so the caller can retry the same purchase later.
     */
    async order({ seats, paymentToken, idempotencyKey, eventId } = {}) {
      const key = idempotencyKey || newIdempotencyKey();
      try {
        return await request('POST', `${ev({ eventId })}/orders`, {
          body: { seats, paymentToken }, auth: true, entry: true, repeatable: true,
          headers: { 'Idempotency-Key': key },
        });
      } catch (err) {
        err.idempotencyKey = key;
        throw err;
      }
    },
    myOrders: (o) => request('GET', `${ev(o)}/orders/me`, { auth: true }),

    /**
     * POST /queue (joining twice keeps the first place); an admission's entry token is kept for holds and orders.
     * When the event asks for proof of work (403 challenge_failed), gets a challenge, solves it (in a Web Worker
     * where there is one) and joins with it.
     */
    async queueJoin(o) {
      let r;
      try {
        r = await request('POST', `${ev(o)}/queue`, { auth: true, repeatable: true });
      } catch (err) {
        if (err.code !== 'challenge_failed') throw err;
        const ch = await request('GET', `${ev(o)}/queue/challenge`, { auth: true });
        const nonce = await solveChallenge(ch);
        // Not repeatable: the challenge is spent by the first attempt that arrives.
        r = await request('POST', `${ev(o)}/queue`, { auth: true, repeatable: false, body: { challenge: ch.challenge, nonce } });
      }
      if (r && r.admitted && r.entryToken) state.entryToken = r.entryToken;
      return r;
    },
    /** DELETE /queue/me: leave the line, or free an admitted place for the next fan. */
    async queueLeave(o) {
      await request('DELETE', `${ev(o)}/queue/me`, { auth: true, repeatable: true });
      state.entryToken = null;
    },
    async queuePoll(o) {
      const r = await request('GET', `${ev(o)}/queue/me`, { auth: true });
      if (r && r.admitted && r.entryToken) state.entryToken = r.entryToken;
      return r;
    },

    /** GET /queue/draw: the commitment, and after the draw the secret and sorted values (check with verifyDraw). */
    queueDraw: (o) => request('GET', `${ev(o)}/queue/draw`, {}),

    // ---- after the sale: tickets, cancellation, transfer, the door ----

    /** GET /tickets/me: the caller's tickets for an event, `[{id, orderId, seat, label, status, code}]`. */
    tickets: (eventId) => request('GET', `${ev(eventArg(eventId))}/tickets/me`, { auth: true }),
    /** GET /ticket-keys: the public JWKS ticket codes verify against (offline, by `kid`). */
    ticketKeys: (eventId) => request('GET', `${ev(eventArg(eventId))}/ticket-keys`, {}),
    /** GET /api/orders/{id}: the caller's order with its tickets. */
    getOrder: (orderId) => request('GET', `/api/orders/${encodeURIComponent(orderId)}`, { auth: true }),

    /**
     * POST /api/orders/{id}/cancel. One cancellation = one Idempotency-Key (new unless given), sent again on
     * every retry: the refund happens once. Resolves with the order: status CANCELLED (refunded) or CANCELLING
     * (202, refund pending; call again with the same key for the newer state). A rejection carries the key.
     */
    async cancel(orderId, { idempotencyKey } = {}) {
      const key = idempotencyKey || newIdempotencyKey();
      try {
        return await request('POST', `/api/orders/${encodeURIComponent(orderId)}/cancel`, {
          auth: true, repeatable: true, headers: { 'Idempotency-Key': key },
        });
      } catch (err) {
        err.idempotencyKey = key;
        throw err;
      }
    },

    /**
     * POST .../tickets/{ticketId}/transfer {to}: resolves with the new ticket (new id and code, holder `to`);
     * the old code is void at once. Not resent after a network error (read tickets() to see whether it moved).
     */
    transfer: (orderId, ticketId, to) => request('POST',
      `/api/orders/${encodeURIComponent(orderId)}/tickets/${encodeURIComponent(ticketId)}/transfer`,
      { body: { to }, auth: true }),

    /**
     * POST /checkins {code} (role scanner or admin): resolves with {ticket, checkedInAt} for the one scan that
     * admits; rejects 409 already_checked_in (`err.problem.checkedInAt`), 409 ticket_void, 400 ticket_invalid.
     * Not resent after a network error: a resend would answer already_checked_in for the scan that won.
     */
    checkIn: (eventId, code) => request('POST', `${ev(eventArg(eventId))}/checkins`, { body: { code }, auth: true }),

    /** The live seat map of this client's event (see connect()). */
    connect: (o = {}) => connect({ baseUrl: base, eventId: defaultEvent, fetch: doFetch, ...o }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// proof of work

/** Whether SHA-256 digest bytes `h` start with `bits` zero bits. */
function leadingZeroBits(h, bits) {
  let i = 0;
  for (; bits >= 8; bits -= 8, i++) if (h[i] !== 0) return false;
  return bits === 0 || (h[i] >> (8 - bits)) === 0;
}

/** The solving loop, self-contained so it also runs as a Web Worker's source. Nonces are decimal strings. */
async function solveLoop(challenge, difficulty, start = 0) {
  const enc = new TextEncoder();
  const zeros = (h, bits) => {
    let i = 0;
    for (; bits >= 8; bits -= 8, i++) if (h[i] !== 0) return false;
    return bits === 0 || (h[i] >> (8 - bits)) === 0;
  };
  for (let n = start; ; n++) {
    const h = new Uint8Array(await crypto.subtle.digest('SHA-256', enc.encode(challenge + n)));
    if (zeros(h, difficulty)) return String(n);
  }
}

/**
 * solveChallenge({ challenge, difficulty }) → the nonce for POST /queue. Runs in a Web Worker in browsers
 * (the page stays responsive), inline elsewhere (Node). About 2^difficulty SHA-256 hashes.
 */
export async function solveChallenge({ challenge, difficulty }, { worker = typeof Worker !== 'undefined' } = {}) {
  if (!difficulty) return '0';
  if (!worker) return solveLoop(challenge, difficulty);
  const src = `${solveLoop.toString()}\nonmessage = async (m) => postMessage(await solveLoop(m.data.challenge, m.data.difficulty));`;
  const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  const w = new Worker(url);
  try {
    return await new Promise((ok, fail) => {
      w.onmessage = (m) => ok(m.data);
      w.onerror = (e) => fail(new Error(`proof-of-work worker failed: ${e.message}`));
      w.postMessage({ challenge, difficulty });
    });
  } finally {
    w.terminate();
    URL.revokeObjectURL(url);
  }
}

/** Checks a solution the way the server does. */
export async function checkSolution(challenge, nonce, difficulty) {
  const h = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(challenge + nonce)));
  return leadingZeroBits(h, difficulty);
}

// ---------------------------------------------------------------------------------------------------------
// the verifiable draw

const toHex = (buf) => Array.from(new Uint8Array(buf), (x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (h) => Uint8Array.from(h.match(/../g) || [], (x) => parseInt(x, 16));
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * verifyDraw(draw, userId?) checks a published draw (the body of GET /queue/draw, after the draw) with
 * WebCrypto: SHA-256(secret) equals the commitment, `order` is sorted, distinct and holds `entrants` values;
 * with a userId, that user's value HMAC-SHA256(secret, userId) and its index in `order` (their pre-queue
 * rank, -1 when absent). Answers { ok, problems: [...], value?, rank? }. It cannot tell whether the operator
 * knew the secret before choosing entrants (see docs/api.md, "The verifiable draw").
 */
export async function verifyDraw(draw, userId) {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle) throw new Error('verifyDraw needs WebCrypto (a secure context in browsers, Node >= 20)');
  const problems = [];
  if (!draw || !HEX64.test(draw.commitment || '')) problems.push('no commitment');
  if (!draw || !HEX64.test(draw.secret || '')) {
    problems.push('no secret yet: the draw has not happened');
    return { ok: false, problems };
  }
  const secret = fromHex(draw.secret);
  if (toHex(await subtle.digest('SHA-256', secret)) !== draw.commitment) {
    problems.push('SHA-256(secret) is not the commitment');
  }
  const order = Array.isArray(draw.order) ? draw.order : [];
  if (order.length !== draw.entrants) problems.push(`order has ${order.length} values, entrants says ${draw.entrants}`);
  for (let i = 0; i < order.length; i++) {
    if (!HEX64.test(order[i])) problems.push(`order[${i}] is not a hex SHA-256 value`);
    else if (i > 0 && !(order[i - 1] < order[i])) problems.push(`order[${i}] is not after order[${i - 1}]`);
  }
  const answer = { ok: problems.length === 0, problems };
  if (userId != null) {
    const key = await subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    answer.value = toHex(await subtle.sign('HMAC', key, new TextEncoder().encode(String(userId))));
    answer.rank = order.indexOf(answer.value);
  }
  return answer;
}

// ---------------------------------------------------------------------------------------------------------
// the live seat map

/**
 * connect({ baseUrl, eventId, transport: 'websocket' | 'eventbus', WebSocket, EventBus, fallback, watchQueue })
 * → a SeatFeed that keeps the true seat map of one event: the first snapshot, then patches in version order.
 *
 * websocket: GET /ws/events/{id}?since=V. After a drop it reconnects (exponential backoff, full jitter, 250 ms
 *   base, 10 s cap) with the last version applied, so the server sends only the missed changes.
 * eventbus: the SockJS bridge (`EventBus` from vertx-eventbus.js, global in browsers). Published patches
 *   cannot be replayed, so every (re)subscription and every gap loads GET /seats; patches that arrive
 *   meanwhile are buffered and applied on top. With `fallback` (default true) a bridge that will not open or
 *   refuses the subscription is replaced by the WebSocket.
 *
 * Events (feed.on(type, fn) → unsubscribe; or addEventListener(type, e => e.detail)):
 *   change   { changes: [{seat, status, previous, version}], version, cause: 'patch' | 'snapshot' }
 *   snapshot { version, held, sold }
 *   presence { active }     queue { serving }
 *   state    { state: 'connecting' | 'live' | 'reconnecting' | 'closed', transport }
 *   connection { transport, url, since }   (each connection attempt; `since` null when a snapshot is asked for)
 */
export function connect(options = {}) {
  return new SeatFeed(options);
}

export class SeatFeed extends EventTarget {
  #o; #base; #fetch;
  #status = new Map();           // seat -> HELD | SOLD; every other seat is AVAILABLE
  #version = -1;
  #state = 'connecting';
  #transport;
  #closed = false;
  #suspended = false;
  #attempt = 0;
  #timer = 0;
  #socket = null;                // current WebSocket or EventBus
  #pending = [];                 // bridge patches that arrived during a snapshot load
  #loading = null;               // the running GET /seats, if any
  #presenceTimer = 0;
  #reloadTimer = 0;
  #random;

  /** Counters for monitoring and tests. */
  stats = { connections: 0, snapshots: 0, patches: 0, gaps: 0, resyncs: 0 };

  constructor(options) {
    super();
    if (options.eventId == null) throw new TypeError('connect({eventId}) is required');
    this.#o = { fallback: true, baseMs: 250, capMs: 10_000, presencePollMs: 5000, jitter: true, ...options };
    // jitter: false waits the full exponential step: only for measuring what jitter buys (docs/performance.md).
    this.#random = this.#o.jitter === false ? () => 1 : Math.random;
    this.#base = trimBase(options.baseUrl);
    this.#fetch = options.fetch || globalThis.fetch.bind(globalThis);
    this.#transport = options.transport === 'eventbus' ? 'eventbus' : 'websocket';
    if (this.#transport === 'eventbus' && !this.#eventBusClass()) {
      if (!this.#o.fallback) throw new TypeError('transport "eventbus" needs an EventBus (vertx-eventbus.js)');
      this.#transport = 'websocket';
    }
    if (typeof (this.#o.WebSocket || globalThis.WebSocket) !== 'function' && this.#transport === 'websocket') {
      throw new TypeError('no WebSocket here: pass connect({WebSocket}) (Node 20: the ws package)');
    }
    // Listeners are usually added right after connect() returns: open on the next tick.
    queueMicrotask(() => this.#open());
  }

  get eventId() { return this.#o.eventId; }
  get version() { return this.#version; }
  get state() { return this.#state; }
  get transport() { return this.#transport; }
  /** True once a snapshot was applied and the live channel is up. */
  get live() { return this.#state === 'live'; }

  /** 'AVAILABLE' | 'HELD' | 'SOLD' for a seat id. */
  seat(id) { return this.#status.get(Number(id)) || AVAILABLE; }
  /** The seats that are not available, as in GET /seats. */
  held() { return this.#idsWith(HELD); }
  sold() { return this.#idsWith(SOLD); }
  #idsWith(s) { const out = []; for (const [id, st] of this.#status) if (st === s) out.push(id); return out.sort((a, b) => a - b); }

  on(type, fn) {
    const h = (e) => fn(e.detail);
    this.addEventListener(type, h);
    return () => this.removeEventListener(type, h);
  }
  onChange(fn) { return this.on('change', fn); }

  /** Resolves when the feed is live, or rejects after `timeoutMs`. */
  ready(timeoutMs = 15_000) {
    if (this.live) return Promise.resolve(this);
    return new Promise((ok, fail) => {
      const t = setTimeout(() => { off(); fail(new Error(`seat feed not live after ${timeoutMs} ms (state ${this.#state})`)); }, timeoutMs);
      const off = this.on('state', ({ state }) => {
        if (state === 'live') { clearTimeout(t); off(); ok(this); }
        if (state === 'closed') { clearTimeout(t); off(); fail(new Error('seat feed closed')); }
      });
    });
  }

  /** Stops the live channel but keeps the map; resume() continues from the last version (a page in the background). */
  suspend() {
    if (this.#closed || this.#suspended) return;
    this.#suspended = true;
    clearTimeout(this.#timer);
    this.#drop();
    this.#setState('reconnecting');
  }
  resume() {
    if (this.#closed || !this.#suspended) return;
    this.#suspended = false;
    this.#attempt = 0;
    this.#open();
  }

  /** Closes the current connection as a network failure would; the feed reconnects by itself. */
  dropConnection() { this.#drop(true); }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#presenceTimer);
    clearTimeout(this.#reloadTimer);
    this.#drop();
    this.#setState('closed');
  }

  // ---- connection management ----

  #emit(type, detail) { this.dispatchEvent(new CustomEvent(type, { detail })); }

  #setState(state) {
    if (state === this.#state) return;
    this.#state = state;
    this.#emit('state', { state, transport: this.#transport });
  }

  #eventBusClass() { return this.#o.EventBus || globalThis.EventBus; }

  #open() {
    if (this.#closed || this.#suspended) return;
    this.#setState(this.#version < 0 ? 'connecting' : 'reconnecting');
    if (this.#transport === 'eventbus') this.#openBridge(); else this.#openWebSocket();
  }

  #retryLater() {
    if (this.#closed || this.#suspended) return;
    this.#setState('reconnecting');
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#open(), backoffDelay(this.#attempt++, this.#o.baseMs, this.#o.capMs, this.#random));
  }

  // `asFailure`: let the close handler run (reconnect); otherwise detach first so nothing reconnects.
  #drop(asFailure = false) {
    const s = this.#socket;
    if (!s) return;
    if (!asFailure) this.#socket = null;
    try {
      if (s.kind === 'eventbus') { s.eb.onclose = asFailure ? s.eb.onclose : null; s.eb.close(); }
      else { if (!asFailure) s.ws.onclose = s.ws.onmessage = s.ws.onerror = null; s.ws.close(); }
    } catch { /* already closed */ }
  }

  #openWebSocket() {
    const WS = this.#o.WebSocket || globalThis.WebSocket;
    if (typeof WS !== 'function') { this.close(); return; } // fell back from a bridge where no WebSocket exists
    const since = this.#version >= 0 ? this.#version : null;
    const url = `${this.#base.replace(/^http/, 'ws') || wsOrigin()}/ws/events/${encodeURIComponent(this.#o.eventId)}`
      + (since === null ? '' : `?since=${since}`);
    this.stats.connections++;
    this.#emit('connection', { transport: 'websocket', url, since });
    let ws;
    try { ws = new WS(url); } catch (e) { this.#retryLater(); return; }
    const sock = { kind: 'websocket', ws };
    this.#socket = sock;
    ws.onopen = () => {
      if (this.#socket !== sock) return;
      this.#attempt = 0;
      // With ?since the server sends only what is missing, possibly nothing: the map is already true.
      if (since !== null) this.#setState('live');
    };
    ws.onmessage = (e) => {
      if (this.#socket !== sock) return;
      let f;
      try { f = JSON.parse(typeof e.data === 'string' ? e.data : String(e.data)); } catch { return; }
      if (!f) return;
      if (f.type === 'snapshot') { this.#applySnapshot(f); this.#setState('live'); }
      else if (f.type === 'patch') {
        if (!this.#applyPatch(f)) { // a hole in the stream: reconnect from the last version we have
          this.stats.gaps++;
          this.#drop(true);
        }
      } else if (f.type === 'resync') { this.stats.resyncs++; this.#drop(true); }
      else if (f.type === 'presence') this.#emit('presence', { active: f.active });
      else if (f.type === 'queue') this.#emit('queue', { serving: f.serving });
    };
    ws.onerror = () => { /* a close event follows */ };
    ws.onclose = () => {
      if (this.#socket !== sock) return;
      this.#socket = null;
      this.#retryLater(); // 1013 (too slow), a restart or a network drop: all resume with ?since
    };
  }

  #openBridge() {
    const EB = this.#eventBusClass();
    const url = `${this.#base}/eventbus`;
    this.stats.connections++;
    this.#emit('connection', { transport: 'eventbus', url, since: null });
    let eb;
    try { eb = new EB(url); } catch (e) { this.#bridgeFailed('could not create the EventBus'); return; }
    const sock = { kind: 'eventbus', eb, opened: false };
    this.#socket = sock;
    const openTimer = setTimeout(() => { if (!sock.opened) this.#bridgeFailed('the bridge did not open in time', sock); }, 6000);
    const body = (msg) => {
      try { return typeof msg.body === 'string' ? JSON.parse(msg.body) : msg.body; } catch { return null; }
    };
    eb.onopen = () => {
      if (this.#socket !== sock) return;
      sock.opened = true;
      this.#everOpened = true;
      clearTimeout(openTimer);
      eb.registerHandler(`seats.${this.#o.eventId}`, (err, msg) => {
        if (err || this.#socket !== sock) return;
        const f = body(msg);
        if (f && f.type === 'resync') { this.stats.resyncs++; this.#loadSnapshot(); }
        else if (f && f.type === 'patch') this.#onBridgePatch(f);
      });
      // Only on request: a refused queue.* registration cannot be told apart from a refused seats.* one.
      if (this.#o.watchQueue) {
        eb.registerHandler(`queue.${this.#o.eventId}`, (err, msg) => {
          const f = !err && body(msg);
          if (f && f.type === 'queue') this.#emit('queue', { serving: f.serving });
        });
      }
      // Whatever was published while we were not registered is lost: start from a snapshot.
      this.#loadSnapshot().then(() => {
        if (this.#socket === sock) { this.#attempt = 0; this.#setState('live'); }
      });
      this.#pollPresence();
    };
    eb.onerror = (err) => {
      if (err && (err.body === 'access_denied' || err.message === 'access_denied')) this.#bridgeFailed('subscription refused', sock);
    };
    eb.onclose = () => {
      clearTimeout(openTimer);
      if (this.#socket !== sock) return;
      this.#socket = null;
      if (!sock.opened) this.#bridgeFailed('connection closed before it opened');
      else this.#retryLater();
    };
  }

  #everOpened = false;
  #bridgeFailed(why, sock) {
    if (sock && this.#socket !== sock) return;
    if (this.#o.fallback && !this.#everOpened) {
      if (this.#socket) this.#drop();
      this.#transport = 'websocket';
      this.#emit('fallback', { from: 'eventbus', to: 'websocket', reason: why });
      this.#attempt = 0;
      this.#open();
    } else {
      if (this.#socket) this.#drop();
      this.#retryLater();
    }
  }

  // The bridge carries no presence frames.
  #pollPresence() {
    if (this.#presenceTimer || !(this.#o.presencePollMs > 0)) return;
    const tick = async () => {
      if (this.#closed) return;
      try {
        const r = await this.#get('/presence');
        if (r && typeof r.active === 'number') this.#emit('presence', { active: r.active });
      } catch { /* next time */ }
      if (this.#transport === 'eventbus' && !this.#closed) this.#presenceTimer = setTimeout(tick, this.#o.presencePollMs);
      else this.#presenceTimer = 0;
    };
    tick();
  }

  async #get(suffix) {
    const res = await this.#fetch(`${this.#base}/api/events/${encodeURIComponent(this.#o.eventId)}${suffix}`, { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new TicketRushError(res.status, await res.json().catch(() => ({})));
    return res.json();
  }

  #onBridgePatch(p) {
    if (this.#loading || this.#version < 0) { this.#pending.push(p); return; }
    if (!this.#applyPatch(p)) { // a hole: keep this one and reload
      this.stats.gaps++;
      this.#pending.push(p);
      this.#loadSnapshot();
    }
  }

  /** GET /seats, retried with backoff until it answers; bridge patches that arrive meanwhile are applied on top. */
  #loadSnapshot() {
    if (this.#loading) return this.#loading;
    this.#loading = (async () => {
      for (let attempt = 0; !this.#closed; attempt++) {
        try {
          const s = await this.#get('/seats');
          this.#applySnapshot(s);
          return;
        } catch {
          await sleep(backoffDelay(attempt, this.#o.baseMs, this.#o.capMs));
        }
      }
    })().finally(() => {
      this.#loading = null;
      const buffered = this.#pending.sort((a, b) => a.fromVersion - b.fromVersion);
      this.#pending = [];
      for (let i = 0; i < buffered.length; i++) {
        if (!this.#applyPatch(buffered[i])) { // still missing something: once more
          this.stats.gaps++;
          this.#pending = buffered.slice(i);
          this.#reloadTimer = setTimeout(() => this.#loadSnapshot(), backoffDelay(this.#attempt++, this.#o.baseMs, this.#o.capMs));
          return;
        }
      }
    });
    return this.#loading;
  }

  // ---- the map ----

  #applySnapshot(s) {
    // Versions never go backwards, so a slower, older snapshot is ignored.
    if (this.#version >= 0 && s.version < this.#version) return;
    this.stats.snapshots++;
    const next = new Map();
    for (const id of s.held || []) next.set(id, HELD);
    for (const id of s.sold || []) next.set(id, SOLD);
    const changes = [];
    for (const [id, st] of next) if (this.#status.get(id) !== st) changes.push({ seat: id, status: st, previous: this.#status.get(id) || AVAILABLE, version: s.version });
    for (const [id, st] of this.#status) if (!next.has(id)) changes.push({ seat: id, status: AVAILABLE, previous: st, version: s.version });
    this.#status = next;
    this.#version = s.version;
    this.#emit('snapshot', { version: s.version, held: s.held || [], sold: s.sold || [] });
    this.#emit('change', { changes, version: s.version, cause: 'snapshot' });
  }

  /** false when the patch starts after a hole (nothing applied). */
  #applyPatch(p) {
    if (this.#version < 0) return false;
    if (p.toVersion <= this.#version) return true; // already in the map
    if (p.fromVersion > this.#version + 1) return false;
    this.stats.patches++;
    const changes = [];
    for (const c of p.changes || []) {
      if (c.version <= this.#version || !STATUSES.has(c.status)) continue; // overlap with what we have
      const previous = this.#status.get(c.seat) || AVAILABLE;
      if (c.status === AVAILABLE) this.#status.delete(c.seat); else this.#status.set(c.seat, c.status);
      changes.push({ seat: c.seat, status: c.status, previous, version: c.version });
    }
    this.#version = p.toVersion;
    this.#emit('change', { changes, version: p.toVersion, cause: 'patch' });
    return true;
  }
}

function wsOrigin() {
  if (typeof location === 'undefined') throw new TypeError('connect({baseUrl}) is required outside a browser');
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
}
