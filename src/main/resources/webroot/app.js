// Ticket Rush demo page: a venue seat map (js/venue-map.js) kept live through the Vert.x event-bus bridge
// (SockJS), with the plain WebSocket as fallback. No framework and no build step: the service serves these
// files as they are. All protocol work (the live feed, retries, idempotency keys, problem JSON) is
// js/ticketrush-client.js; this file only handles the UI.
import { connect, createClient } from './js/ticketrush-client.js';
import { VenueMap, KIND } from './js/venue-map.js';
import { showDrawProof } from './js/draw-proof.js';

const $ = (id) => document.getElementById(id);
const query = new URLSearchParams(location.search);
const eventId = /^[1-9]\d*$/.test(query.get('event') || '') ? Number(query.get('event')) : 1;

// Seat status as mirrored per seat from the feed; MINE is derived (HELD and in `mine`): patches don't say who holds.
const AVAILABLE = 0, HELD = 1, SOLD = 2;
const CODE = { AVAILABLE, HELD, SOLD };
const KIND_NAMES = ['AVAILABLE', 'HELD', 'MINE', 'SOLD'];
const KIND_TEXT = ['available', 'held by someone else', 'held by you', 'sold'];

// ---- state ----
let event = null, statuses = new Uint8Array(1), seatChangedAt = new Float64Array(1);
let feed = null;
// What our own finished requests say a seat now is, until the feed reports that seat again; a seat the feed
// reported after the request started is left alone (the feed is newer). Makes clicks feel instant.
const expected = new Map();
let soldCount = 0, holdsSeen = 0;
const rateWindow = [];

let session = null; // { user, token }, kept in sessionStorage so a reload stays signed in
try { session = JSON.parse(sessionStorage.getItem('ticketrush.session') || 'null'); } catch { /* ignore */ }
let entryToken = null, queueTimer = 0;
const mine = new Set(), inflight = new Set();
const holdExpiry = new Map(); // seat id -> expiry (ms since epoch)
let holdsGen = 0, holdsRefreshTimer = 0, orderAttempt = null;
let lastBest = null, bestCount = 0; // the last best-available answer { status, code, seats }, and how many (test hooks)

const client = createClient({
  eventId,
  onUnauthorized: () => signOut('Your sign-in is no longer valid; please sign in again.'),
});

// The after-sale pages (tickets.html, scanner.html) for this event.
for (const id of ['tickets-link', 'scanner-link']) $(id).search = `?event=${eventId}`;

const canvas = $('seatmap');
const statusOf = (id) => (expected.has(id) ? expected.get(id) : statuses[id]);
const kindOf = (id) => {
  const st = statusOf(id);
  return st === SOLD ? KIND.SOLD : st === HELD ? (mine.has(id) ? KIND.MINE : KIND.HELD) : KIND.AVAILABLE;
};
const map = new VenueMap(canvas, { kindOf, onViewChange: () => { if (tipId) placeTooltip(tipId); } });
const known = (id) => map.known(id);
const label = (id) => map.seatLabel[id];
let focusId = 0, tipId = 0;

// ---- small helpers ----
function setText(id, value) {
  const node = $(id), text = String(value);
  if (node.textContent !== text) node.textContent = text;
}
function say(message, kind = '') {
  $('status').textContent = message;
  $('status').className = `status ${kind}`;
}
function el(tag, props, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}
function problemText(e) {
  const p = e.problem || {};
  if (p.code || p.detail || p.title) return `${p.detail || p.title || 'Request failed'} (${p.code || e.status})`;
  return e.status ? `Request failed with HTTP ${e.status}` : `Network error: ${e.cause ? e.cause.message : e.message}`;
}
function setEntryToken(token) {
  entryToken = token || null;
  client.entryToken = entryToken;
}
function seatName(id) {
  const i = map.info(id);
  return i.standing ? `${i.section}, standing place` : `Section ${i.section}, row ${i.row}, seat ${i.number}`;
}

// ---- prices: the event's categories, in its currency (minor units on the wire) ----
let moneyFormat = null, minorDigits = 2;
function money(minor) {
  if (!moneyFormat) {
    try {
      moneyFormat = new Intl.NumberFormat(undefined, { style: 'currency', currency: (event && event.currency) || 'USD' });
    } catch { moneyFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
    minorDigits = moneyFormat.resolvedOptions().maximumFractionDigits;
  }
  return moneyFormat.format(minor / 10 ** minorDigits);
}
function categories() { return (event && event.categories) || []; }
function categoryName(id) { const c = categories().find((x) => x.id === id); return c ? c.name : id; }
function priceText(id) {
  const i = map.info(id);
  return `${categoryName(i.category)} ${money(i.price)}`;
}
function renderPriceLegend() {
  const ul = $('price-legend');
  ul.textContent = '';
  categories().forEach((c, index) => {
    const swatch = el('span', { className: 'swatch', ariaHidden: 'true' });
    swatch.style.background = VenueMap.categoryColor(index);
    const li = el('li', {}, swatch, `${c.name} ${money(c.price)}`);
    li.dataset.category = c.id;
    ul.append(li);
  });
  map.setCategoryOrder(categories().map((c) => c.id));
}
// "Sale opens in …" before salesStartAt; paused and ended sales say so.
function renderSaleBanner() {
  const banner = $('sale-banner');
  if (!event) return;
  const opens = Date.parse(event.salesStartAt || ''), ends = Date.parse(event.salesEndAt || '');
  let text = '';
  if (opens && opens > Date.now()) {
    const s = Math.ceil((opens - Date.now()) / 1000);
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    text = `Sale opens in ${d ? `${d} d ` : ''}${d || h ? `${h} h ` : ''}${m} min ${d || h ? '' : `${s % 60} s`}`.trim();
  } else if (ends && ends <= Date.now()) {
    text = 'The sale has ended.';
  } else if (event.onSale === false) {
    text = 'The sale is paused.';
  }
  banner.textContent = text;
  banner.hidden = !text;
}

// ---- seat status mirrored from the feed ----
function setStatus(id, code) {
  if (!known(id)) return;
  const old = statuses[id];
  if (old === code) return;
  if (old === SOLD) soldCount--;
  if (code === SOLD) soldCount++;
  statuses[id] = code;
  // Our hold expired or was sold elsewhere: ask the server what we still hold.
  if (code !== HELD && mine.has(id)) scheduleHoldsRefresh();
}

// Our own request finished: show its result now unless the feed already reported the seat since `sinceVersion`.
function expect(id, code, sinceVersion) {
  if (!known(id) || seatChangedAt[id] > sinceVersion || statuses[id] === code) return;
  expected.set(id, code);
}

function seatsChanged() {
  map.invalidate();
  setText('sold-count', soldCount.toLocaleString());
  setText('version', !feed || feed.version < 0 ? '–' : feed.version);
  if (tipId) showTooltip(tipId);
}

function startFeed() {
  // ?transport=websocket skips the bridge (to try the fallback path by hand).
  const transport = query.get('transport') === 'websocket' ? 'websocket' : 'eventbus';
  feed = connect({ eventId, transport, watchQueue: Boolean(event.queue && event.queue.enabled) });
  feed.onChange(({ changes, cause, version }) => {
    if (cause === 'snapshot') expected.clear();
    for (const c of changes) {
      if (!known(c.seat)) continue;
      if (cause === 'patch' && c.status === 'HELD') holdsSeen++;
      expected.delete(c.seat);
      seatChangedAt[c.seat] = version;
      setStatus(c.seat, CODE[c.status]);
    }
    if (cause === 'snapshot') for (const id of mine) if (statuses[id] !== HELD) scheduleHoldsRefresh();
    seatsChanged();
  });
  feed.on('presence', ({ active }) => setText('watchers', active));
  feed.on('queue', ({ serving }) => setText('queue-serving', serving));
  feed.on('state', ({ state, transport: t }) => {
    const name = t === 'eventbus' ? 'event-bus bridge' : 'WebSocket';
    setText('transport', state === 'live' ? name : `${name} (${state}…)`);
  });
  feed.on('fallback', ({ reason }) => console.warn(`event-bus bridge unusable (${reason}); using the WebSocket instead`));
}

// ---- tooltip: section, row and seat of the hovered or focused seat ----
function showTooltip(id) {
  const tip = $('tooltip');
  tipId = id;
  tip.textContent = `${seatName(id)} · ${priceText(id)} · ${KIND_TEXT[kindOf(id)]}`;
  tip.hidden = false;
  placeTooltip(id);
}
function placeTooltip(id) {
  const tip = $('tooltip'), wrap = $('map-wrap'), p = map.seatScreen(id);
  if (!p || p.x < 0 || p.y < 0 || p.x > map.width || p.y > map.height) { tip.style.visibility = 'hidden'; return; }
  tip.style.visibility = '';
  // Kept inside the map box: centred above the seat, below it near the top edge.
  const w = tip.offsetWidth, h = tip.offsetHeight;
  const left = Math.min(Math.max(canvas.offsetLeft + p.x - w / 2, 2), wrap.clientWidth - w - 2);
  let top = canvas.offsetTop + p.y - p.size / 2 - h - 6;
  if (top < 2) top = canvas.offsetTop + p.y + p.size / 2 + 6;
  tip.style.left = `${Math.max(2, left)}px`;
  tip.style.top = `${top}px`;
}
function hideTooltip() { tipId = 0; $('tooltip').hidden = true; }

// ---- sign-in: one state at a time in the header ----
function entryKey() { return `ticketrush.entry.${eventId}.${session ? session.user : ''}`; }

function renderSession() {
  $('login-form').hidden = Boolean(session);
  $('session-box').hidden = !session;
  setText('login-state', session ? session.user : '');
}

function onSignedIn() {
  mine.clear(); holdExpiry.clear(); expected.clear();
  orderAttempt = null;
  client.token = session ? session.token : null;
  setEntryToken(session ? sessionStorage.getItem(entryKey()) : null);
  renderSession();
  holdsChanged();
  map.invalidate();
  refreshHolds();
  if (event && event.queue && event.queue.enabled) pollQueue(true);
}

function signOut(message) {
  const wasIn = Boolean(session);
  session = null;
  setEntryToken(null);
  clearTimeout(queueTimer);
  sessionStorage.removeItem('ticketrush.session');
  onSignedIn();
  if (message) say(message, 'error');
  if (wasIn) $('login-name').focus();
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const name = $('login-name').value.trim();
  if (!name) return;
  try {
    const token = await client.devToken(name);
    session = { user: name, token };
    sessionStorage.setItem('ticketrush.session', JSON.stringify(session));
    onSignedIn();
    say(`Signed in as ${name}. Pick seats on the map or use Best available.`, 'ok');
    $('logout-btn').focus();
  } catch (err) {
    if (err.status === 404) say('Sign-in needs dev tokens on the server (TICKETRUSH_DEV_TOKENS=true).', 'error');
    else say(`Sign-in failed: ${problemText(err)}`, 'error');
  }
});
$('logout-btn').addEventListener('click', () => { signOut(); say('Signed out.'); });

// ---- holds ----
function needSession() {
  if (session) return true;
  say('Sign in first to hold seats.', 'error');
  $('login-name').focus();
  return false;
}

async function toggle(id) {
  if (!known(id) || inflight.has(id) || !needSession()) return;
  const st = seatStatus(id);
  if (st === 'SOLD') { say(`${label(id)} is already sold.`, 'error'); return; }
  if (st === 'HELD') { say(`${label(id)} is held by someone else right now.`, 'error'); return; }
  inflight.add(id);
  const before = feed.version;
  try {
    if (st === 'MINE') {
      await client.release(id);
      mine.delete(id); holdExpiry.delete(id);
      expect(id, AVAILABLE, before);
      say(`Released ${label(id)}.`, 'ok');
    } else {
      const r = await client.hold([id]);
      const exp = Date.parse(r && r.expiresAt);
      for (const s of (r && r.seats) || [id]) { mine.add(s); if (exp) holdExpiry.set(s, exp); expect(s, HELD, before); }
      say(`Holding ${seatName(id)}${exp ? ` until ${new Date(exp).toLocaleTimeString()}` : ''}.`, 'ok');
    }
    holdsChanged();
    seatsChanged();
  } catch (e) {
    say(problemText(e), 'error');
    if (e.problem && e.problem.code === 'admission_required') showQueueJoin();
    if (st === 'MINE') refreshHolds();
  } finally {
    inflight.delete(id);
  }
}

// ---- best available ----
function fillBestControls() {
  const max = Math.max(1, Math.min(10, (event && event.maxSeatsPerUser) || 4));
  const count = $('best-count');
  count.textContent = '';
  for (let n = 1; n <= max; n++) count.append(el('option', { value: n, selected: n === Math.min(2, max) }, String(n)));
  const sec = $('best-section');
  sec.textContent = '';
  sec.append(el('option', { value: '' }, 'Any section'));
  for (const s of map.sections) sec.append(el('option', { value: s.name }, s.standing ? `${s.name} (standing)` : `Section ${s.name}`));
  const cat = $('best-category');
  cat.textContent = '';
  cat.append(el('option', { value: '' }, 'Any category'));
  for (const c of categories()) cat.append(el('option', { value: c.id }, `${c.name} (${money(c.price)})`));
}
function maxPriceMinor() {
  const v = $('best-max-price').value.trim();
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 10 ** minorDigits) : undefined;
}

$('best-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!needSession()) return;
  const count = Number($('best-count').value), section = $('best-section').value || undefined;
  const category = $('best-category').value || undefined, maxPrice = maxPriceMinor();
  const out = $('best-result'), btn = $('best-btn');
  btn.disabled = true;
  Object.assign(out, { className: 'best-result', textContent: 'Finding seats…' });
  const before = feed.version;
  try {
    const r = await client.holdBest({ count, section, category, maxPrice });
    const seats = (r && r.seats) || [];
    const exp = Date.parse(r && r.expiresAt);
    for (const s of seats) { mine.add(s); if (exp) holdExpiry.set(s, exp); expect(s, HELD, before); }
    lastBest = { status: 201, seats };
    bestCount++;
    holdsChanged();
    seatsChanged();
    map.reveal(seats, 16);
    out.className = 'best-result ok';
    out.textContent = '';
    out.append(el('strong', {}, `${seats.length} seat${seats.length === 1 ? '' : 's'} held for you: `),
      seats.map(label).join(', '), ' — ', countdown(exp));
    say(`Best available: ${seats.map(label).join(', ')}. Buy before the hold expires.`, 'ok');
  } catch (err) {
    lastBest = { status: err.status, code: err.code, seats: [] };
    bestCount++;
    out.className = 'best-result error';
    if (err.status === 404 && err.code !== 'event_not_found' || err.status === 405 || err.status === 501) {
      out.textContent = 'Best available is not offered by this server yet: pick seats on the map instead.';
    } else if (err.code === 'seats_not_available') {
      const priced = `${category ? ` in ${categoryName(category)}` : ''}${maxPrice !== undefined ? ` at ${money(maxPrice)} or less` : ''}`;
      out.textContent = `No ${count} seats together${section ? ` in section ${section}` : ''}${priced} right now. Try fewer seats, another section or price.`;
    } else if (err.code === 'hold_limit') {
      out.textContent = `That would be more than ${event.maxSeatsPerUser} seats for you; release some first.`;
    } else {
      out.textContent = problemText(err);
      if (err.code === 'admission_required') showQueueJoin();
    }
  } finally {
    btn.disabled = false;
  }
});

function countdown(exp) {
  const span = el('span', { className: 'countdown' });
  if (exp) span.dataset.expires = exp;
  return span;
}

function scheduleHoldsRefresh() {
  if (!session || holdsRefreshTimer) return;
  holdsRefreshTimer = setTimeout(() => { holdsRefreshTimer = 0; refreshHolds(); }, 300);
}

async function refreshHolds() {
  if (!session) return;
  const gen = holdsGen;
  let r;
  try {
    r = await client.myHolds();
  } catch (e) {
    if (e.status !== 401) console.warn('holds/me failed', e);
    return;
  }
  // A hold or release finished while we were asking: this answer may predate it, so ask again.
  if (gen !== holdsGen) { scheduleHoldsRefresh(); return; }
  const now = new Set((r && r.seats) || []);
  const exp = Date.parse(r && r.expiresAt) || 0;
  for (const id of mine) if (!now.has(id)) { mine.delete(id); holdExpiry.delete(id); }
  for (const id of now) {
    mine.add(id);
    if (!holdExpiry.has(id) && exp) holdExpiry.set(id, exp); // holds/me gives the earliest expiry only
  }
  renderHolds();
  map.invalidate();
}

function holdsChanged() { holdsGen++; renderHolds(); }

// Rebuilt only when the set changes (keeps keyboard focus on the Release buttons); the clock ticks separately.
function renderHolds() {
  const ul = $('my-holds');
  ul.textContent = '';
  const ids = [...mine].filter((id) => statusOf(id) !== SOLD).sort((a, b) => a - b);
  if (!ids.length) ul.append(el('li', { className: 'muted' }, session ? 'No seats held.' : 'Sign in and pick a seat.'));
  for (const id of ids) {
    const release = el('button', { type: 'button', className: 'link', ariaLabel: `Release ${label(id)}`, onclick: () => toggle(id) }, 'Release');
    const show = el('button', { type: 'button', className: 'link', ariaLabel: `Show ${label(id)} on the map`, onclick: () => { map.reveal(id); setFocus(id); } }, label(id));
    ul.append(el('li', {}, show, ` ${money(map.info(id).price)} `, countdown(holdExpiry.get(id)), release));
  }
  // The total before Buy: what the order will charge (the server computes it from the same prices).
  const total = ids.reduce((sum, id) => sum + map.info(id).price, 0);
  setText('order-total', ids.length ? `Total: ${money(total)} for ${ids.length} ${ids.length === 1 ? 'place' : 'places'}` : '');
  $('order-total').dataset.total = ids.length ? String(total) : '';
  $('buy-btn').disabled = !ids.length;
  tickCountdowns();
}

function tickCountdowns() {
  let expired = false;
  for (const span of document.querySelectorAll('.countdown')) {
    const exp = Number(span.dataset.expires) || 0;
    const secs = exp ? Math.ceil((exp - Date.now()) / 1000) : null;
    span.textContent = secs === null ? '' : secs > 0 ? `${secs} s left` : 'expired';
    span.classList.toggle('urgent', secs !== null && secs <= 15);
    if (secs !== null && secs < -2 && span.closest('#my-holds')) expired = true;
  }
  if (expired) scheduleHoldsRefresh();
}

// ---- checkout ----
async function buy() {
  if (!session) { say('Sign in first.', 'error'); return; }
  const seats = [...mine].filter((id) => statusOf(id) === HELD).sort((a, b) => a - b);
  if (!seats.length) { say('Hold at least one seat first.', 'error'); return; }
  const body = { seats, paymentToken: $('payment-token').value };
  const bodyKey = JSON.stringify(body);
  // Same body after an unanswered attempt reuses its key: the server then replays instead of charging twice.
  // The client itself retries (same key) on lost answers, 409 request_in_progress, 429 and 503.
  if (!orderAttempt || orderAttempt.body !== bodyKey) orderAttempt = { key: null, body: bodyKey };
  const result = $('order-result'), btn = $('buy-btn');
  btn.disabled = true;
  Object.assign(result, { className: 'order-result', textContent: 'Paying…' });
  const before = feed.version;
  try {
    let order;
    try {
      order = await client.order({ ...body, idempotencyKey: orderAttempt.key || undefined });
    } catch (e) {
      // No definite answer yet: the next click continues this purchase (same key); otherwise it is a new one.
      const open = !e.status || e.status >= 500 || e.code === 'request_in_progress' || e.code === 'rate_limited';
      orderAttempt = open ? { key: e.idempotencyKey, body: bodyKey } : null;
      throw e;
    }
    orderAttempt = null;
    for (const s of order.seats || seats) { mine.delete(s); holdExpiry.delete(s); expect(s, SOLD, before); }
    holdsChanged();
    seatsChanged();
    result.className = 'order-result ok';
    const paid = typeof order.total === 'number' ? ` — ${order.total ? `${money(order.total)} charged` : 'free, nothing charged'}` : '';
    result.textContent = `Order ${order.orderId}: ${order.status} — ${(order.seats || seats).map(label).join(', ')}${paid}`;
    say(`Order ${order.status.toLowerCase()}.`, 'ok');
  } catch (e) {
    Object.assign(result, { className: 'order-result error', textContent: `Not bought: ${problemText(e)}` });
    say(problemText(e), 'error');
    if (e.problem && e.problem.code === 'admission_required') showQueueJoin();
    refreshHolds();
  } finally {
    btn.disabled = ![...mine].length;
  }
}
$('buy-btn').addEventListener('click', buy);

// ---- waiting room ----
function showQueueJoin() {
  setEntryToken(null);
  if (session) sessionStorage.removeItem(entryKey());
  $('queue-panel').hidden = false;
  $('queue-btn').hidden = false;
}

let proofShown = false;
function onQueueState(r) {
  clearTimeout(queueTimer);
  if (!proofShown && session) {
    proofShown = true;
    showDrawProof($('queue-proof'), { client, eventId, userId: session.user });
  }
  if (r.admitted) {
    setEntryToken(r.entryToken);
    sessionStorage.setItem(entryKey(), entryToken);
    $('queue-btn').hidden = true;
    const until = Date.parse(r.expiresAt);
    setText('queue-state', `You are in${until ? ` until ${new Date(until).toLocaleTimeString()}` : ''}: pick your seats.`);
    // Admitted users must be seen every 20 s or their slot goes to the next person: keep polling gently.
    if (r.tokenRequired !== false) queueTimer = setTimeout(() => pollQueue(true), 10000);
  } else {
    $('queue-btn').hidden = true;
    setText('queue-state', `In line: ${r.position} ${r.position === 1 ? 'person' : 'people'} ahead, about ${r.etaSeconds} s.`);
    queueTimer = setTimeout(() => pollQueue(false), 2000);
  }
}

async function pollQueue(quiet) {
  if (!session) return;
  try {
    onQueueState(await client.queuePoll());
  } catch (e) {
    if (!quiet) say(problemText(e), 'error');
    $('queue-btn').hidden = false; // not in line (or the server lost us): offer to join
  }
}

$('queue-btn').addEventListener('click', async () => {
  if (!session) { say('Sign in first to join the queue.', 'error'); return; }
  try { onQueueState(await client.queueJoin()); } catch (e) { say(problemText(e), 'error'); }
});

// ---- presale: an access code opens the seats reserved for its allocation until its release ----
function showPresale() {
  const open = (event.allocations || []).filter((a) => Date.parse(a.releaseAt) > Date.now());
  if (open.length === 0) return;
  $('presale-panel').hidden = false;
  setText('presale-state', open.map((a) => `${a.id}: sections ${a.sections.join(', ')} until ${new Date(a.releaseAt).toLocaleString()}`).join('; '));
}

$('presale-form').addEventListener('submit', (e) => {
  e.preventDefault();
  client.accessCode = $('presale-code').value;
  say(client.accessCode ? 'Code set: your next hold uses it (it binds to you).' : 'Code cleared.');
});

// ---- zoom and pan: wheel, buttons, keys, drag, pinch ----
const ZOOM_STEP = 1.5;
$('zoom-in').addEventListener('click', () => map.zoomBy(ZOOM_STEP));
$('zoom-out').addEventListener('click', () => map.zoomBy(1 / ZOOM_STEP));
$('zoom-fit').addEventListener('click', () => map.fit());

const canvasPoint = (e) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };

canvas.addEventListener('wheel', (e) => {
  e.preventDefault(); // the page does not scroll under the map
  const [x, y] = canvasPoint(e);
  const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
  map.zoomBy(Math.exp(-delta * 0.0015), x, y);
}, { passive: false });

// Pointer events cover mouse, pen and touch: one pointer drags (or clicks, if it barely moved), two pinch.
const pointers = new Map();
let gesture = null; // { moved, dist, mid }
canvas.addEventListener('pointerdown', (e) => {
  canvas.setPointerCapture(e.pointerId);
  pointers.set(e.pointerId, canvasPoint(e));
  gesture = { moved: pointers.size > 1, ...pinchState() };
});
canvas.addEventListener('pointermove', (e) => {
  const p = canvasPoint(e);
  if (!pointers.has(e.pointerId)) { // hover
    if (e.pointerType === 'mouse') {
      const id = map.seatAt(...p);
      if (id && id !== tipId) showTooltip(id); else if (!id && tipId && tipId !== focusId) hideTooltip();
    }
    return;
  }
  const prev = pointers.get(e.pointerId);
  pointers.set(e.pointerId, p);
  if (pointers.size === 1) {
    const dx = p[0] - prev[0], dy = p[1] - prev[1];
    gesture.travel = (gesture.travel || 0) + Math.hypot(dx, dy);
    if (gesture.travel > 6) gesture.moved = true;
    if (gesture.moved) { map.panBy(dx, dy); canvas.classList.add('dragging'); }
  } else if (pointers.size === 2) {
    const now = pinchState();
    if (gesture.dist && now.dist) map.zoomBy(now.dist / gesture.dist, now.mid[0], now.mid[1]);
    if (gesture.mid) map.panBy(now.mid[0] - gesture.mid[0], now.mid[1] - gesture.mid[1]);
    Object.assign(gesture, now, { moved: true });
  }
});
function pointerEnd(e) {
  if (!pointers.has(e.pointerId)) return;
  const p = pointers.get(e.pointerId);
  pointers.delete(e.pointerId);
  canvas.classList.remove('dragging');
  if (e.type === 'pointerup' && pointers.size === 0 && gesture && !gesture.moved) {
    const id = map.seatAt(...p);
    if (id) { setFocus(id, { scroll: false }); toggle(id); }
  }
  if (pointers.size === 0) gesture = null;
  else gesture = { moved: true, ...pinchState() };
}
canvas.addEventListener('pointerup', pointerEnd);
canvas.addEventListener('pointercancel', pointerEnd);
function pinchState() {
  if (pointers.size !== 2) return { dist: 0, mid: null };
  const [a, b] = [...pointers.values()];
  return { dist: Math.hypot(a[0] - b[0], a[1] - b[1]), mid: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] };
}
canvas.addEventListener('pointerleave', (e) => {
  if (e.pointerType === 'mouse' && !pointers.size) { if (document.activeElement === canvas && focusId) showTooltip(focusId); else hideTooltip(); }
});

// Focus from a click or tap must not move the map under the pointer; the seat pressed gets focus on release.
let pressedAt = -1e9;
canvas.addEventListener('pointerdown', () => { pressedAt = performance.now(); }, true);
canvas.addEventListener('focus', () => {
  if (performance.now() - pressedAt < 1000) return;
  if (!focusId) {
    const id = map.seatAt(map.width / 2, map.height / 2) || map.seatIds()[0];
    if (id) setFocus(id);
  } else showTooltip(focusId);
});
canvas.addEventListener('blur', hideTooltip);
canvas.addEventListener('keydown', (e) => {
  const zoomKeys = { '+': ZOOM_STEP, '=': ZOOM_STEP, '-': 1 / ZOOM_STEP, _: 1 / ZOOM_STEP };
  if (zoomKeys[e.key]) { e.preventDefault(); map.zoomBy(zoomKeys[e.key]); return; }
  if (e.key === '0') { e.preventDefault(); map.fit(); return; }
  if (!focusId) return;
  const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
  if (e.key === 'Escape') hideTooltip();
  if (!moves[e.key] && e.key !== 'Enter' && e.key !== ' ') return;
  e.preventDefault(); // no page scrolling while moving over seats
  if (moves[e.key]) setFocus(map.neighbour(focusId, ...moves[e.key])); else toggle(focusId);
});

function setFocus(id, { scroll = true } = {}) {
  if (!known(id)) return;
  focusId = map.focusId = id;
  if (scroll) map.reveal(id, 12); // keyboard users get the seat on screen and big enough to see
  map.invalidate();
  showTooltip(id);
  $('seat-focus').textContent = `${seatName(id)}, ${KIND_TEXT[kindOf(id)]}`;
}

function seatStatus(id) { return known(id) ? KIND_NAMES[kindOf(id)] : null; }

new ResizeObserver(() => {
  const wrap = $('map-wrap');
  map.resize(wrap.clientWidth, wrap.clientHeight);
}).observe($('map-wrap'));

function tick() {
  rateWindow.push(holdsSeen); // holds/s over the last 5 seconds
  holdsSeen = 0;
  if (rateWindow.length > 5) rateWindow.shift();
  const rate = rateWindow.reduce((a, b) => a + b, 0) / rateWindow.length;
  setText('holds-rate', rate < 10 ? rate.toFixed(1) : Math.round(rate));
  tickCountdowns();
  renderSaleBanner();
}

// ---- test hooks (used by e2e/seatmap.test.mjs) ----
window.ticketRush = {
  seatStatus,
  seatCenter: (id) => map.seatScreen(id),
  revealSeat: (id, px = 16) => { map.reveal(id, px); return map.seatScreen(id); },
  scale: () => map.seatPx, // seat size on screen in CSS pixels
  version: () => (feed ? feed.version : -1),
  seatCount: () => map.seatIds().length,
  ready: () => Boolean(feed && feed.live), // snapshot loaded and the live channel subscribed
  transport: () => (feed ? (feed.transport === 'eventbus' ? 'bridge' : 'ws') : 'none'),
  user: () => (session ? session.user : null),
  admitted: () => Boolean(entryToken),
  lastBest: () => lastBest,
  bestCount: () => bestCount,
  legend: () => [...document.querySelectorAll('#price-legend li')].map((li) => ({ category: li.dataset.category, text: li.textContent })),
  total: () => ({ text: $('order-total').textContent, minor: Number($('order-total').dataset.total || 0) }),
  seatPrice: (id) => (known(id) ? map.info(id).price : null),
  standing: (id) => known(id) && map.info(id).standing,
};

async function boot() {
  renderSession();
  let layout;
  try {
    [event, layout] = await Promise.all([client.event(), client.layout()]);
  } catch (e) {
    say(`Could not load event ${eventId}: ${problemText(e)}`, 'error');
    return;
  }
  $('event-name').textContent = event.name;
  document.title = `${event.name} — Ticket Rush`;
  if (event.maxSeatsPerUser) setText('hold-limit', `(up to ${event.maxSeatsPerUser})`);
  if (event.queue && event.queue.enabled) $('queue-panel').hidden = false;
  showPresale();
  map.setLayout((layout && layout.seats) || []);
  const n = map.seatSec.length;
  statuses = new Uint8Array(n);
  seatChangedAt = new Float64Array(n);
  const wrap = $('map-wrap');
  map.resize(wrap.clientWidth, wrap.clientHeight);
  renderPriceLegend();
  renderSaleBanner();
  fillBestControls();
  startFeed();
  setInterval(tick, 1000);
  if (session) onSignedIn();
  say(`${map.seatIds().length.toLocaleString()} seats. ${session ? 'Pick seats on the map or use Best available.' : 'Sign in to hold seats.'}`);
}

boot();
