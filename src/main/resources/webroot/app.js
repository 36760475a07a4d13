// Ticket Rush demo page: a canvas seat map kept live through the Vert.x event-bus bridge (SockJS),
// with the plain WebSocket as fallback. No framework and no build step: the service serves this file as is.
// All protocol work (the live feed, retries, idempotency keys, problem JSON) is js/ticketrush-client.js;
// this file only draws and handles the UI.
import { connect, createClient } from './js/ticketrush-client.js';

(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const query = new URLSearchParams(location.search);
  const eventId = /^[1-9]\d*$/.test(query.get('event') || '') ? Number(query.get('event')) : 1;

  // Seat status as stored per seat; MINE is derived (HELD and in `mine`), because patches don't say who holds.
  const AVAILABLE = 0, HELD = 1, SOLD = 2;
  const CODE = { AVAILABLE, HELD, SOLD };
  const KIND_NAMES = ['AVAILABLE', 'HELD', 'MINE', 'SOLD'];
  const KIND_TEXT = ['available', 'held by someone else', 'held by you', 'sold'];
  // Same values as app.css; every kind also gets its own pattern so the map reads without colour.
  const COLORS = {
    available: '#1a7f37', held: '#c2570c', hatch: '#2b1400', mine: '#1d4ed8', dot: '#ffffff',
    sold: '#262626', cross: '#d4d4d4', focus: '#c2185b', label: '#1b1b1b',
  };
  const LABEL_H = 18, GAP = 14, MIN_CELL = 7, MAX_CELL = 18;

  // ---- state ----
  let event = null, seatCount = 0, statuses = new Uint8Array(1);
  let seatLabel = [], seatSec = new Int32Array(1), seatRow = new Int32Array(1), seatNum = new Int32Array(1);
  let sections = []; // { name, index, rows, cols, grid: Int32Array(rows*cols) of seat ids, x, y }
  let cell = 10, mapW = 0, mapH = 0;

  let feed = null;
  // What our own finished requests say a seat now is, until the feed reports that seat again; a seat the
  // feed reported after the request started is left alone (the feed is newer). Makes clicks feel instant.
  const expected = new Map();
  let seatChangedAt = new Float64Array(1); // feed version of each seat's last reported change
  let soldCount = 0, holdsSeen = 0;
  const rateWindow = [];

  let session = null; // { user, token }, kept in sessionStorage so a reload stays signed in
  try { session = JSON.parse(sessionStorage.getItem('ticketrush.session') || 'null'); } catch { /* ignore */ }
  let entryToken = null, queueTimer = 0;
  const mine = new Set(), inflight = new Set();
  const holdExpiry = new Map(); // seat id -> expiry (ms since epoch)
  let holdsGen = 0, holdsRefreshTimer = 0, orderAttempt = null;

  const canvas = $('seatmap'), ctx = canvas.getContext('2d');
  let focusId = 0, tipId = 0, fullRedraw = false, frameQueued = false;
  const dirty = new Set();
  const client = createClient({
    eventId,
    onUnauthorized: () => signOut('Your sign-in is no longer valid; please sign in again.'),
  });

  // ---- small helpers ----
  function setText(id, value) {
    const el = $(id), text = String(value);
    if (el.textContent !== text) el.textContent = text;
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

  // ---- layout ----
  function buildLayout(seats) {
    let maxId = 0;
    for (const s of seats) if (s.id > maxId) maxId = s.id;
    const n = maxId + 1;
    seatCount = maxId;
    [seatLabel, seatSec, seatRow, seatNum, statuses] = [new Array(n), new Int32Array(n).fill(-1), new Int32Array(n), new Int32Array(n), new Uint8Array(n)];
    seatChangedAt = new Float64Array(n);
    sections = [];
    const byName = new Map();
    for (const s of seats) {
      let sec = byName.get(s.section);
      if (!sec) {
        sec = { name: s.section, index: sections.length, rows: 0, cols: 0, ids: [], x: 0, y: 0 };
        byName.set(s.section, sec);
        sections.push(sec);
      }
      const row = Math.max(1, s.row | 0), num = Math.max(1, s.number | 0);
      sec.rows = Math.max(sec.rows, row);
      sec.cols = Math.max(sec.cols, num);
      sec.ids.push(s.id);
      seatLabel[s.id] = s.label || `${s.section}-${row}-${num}`;
      [seatSec[s.id], seatRow[s.id], seatNum[s.id]] = [sec.index, row, num];
    }
    for (const sec of sections) {
      sec.grid = new Int32Array(sec.rows * sec.cols);
      for (const id of sec.ids) sec.grid[(seatRow[id] - 1) * sec.cols + seatNum[id] - 1] = id;
      delete sec.ids;
    }
  }

  // Sections flow left to right and wrap like words; returns the size of the result for one cell size.
  function pack(size, width) {
    let x = 0, y = 0, bandH = 0, maxW = 0, fits = true;
    for (const sec of sections) {
      const w = sec.cols * size, h = LABEL_H + sec.rows * size;
      if (w > width) fits = false;
      if (x > 0 && x + w > width) { y += bandH + GAP; x = 0; bandH = 0; }
      sec.x = x; sec.y = y;
      x += w + GAP;
      bandH = Math.max(bandH, h);
      maxW = Math.max(maxW, sec.x + w);
    }
    return { fits, width: maxW, height: y + bandH };
  }

  // Biggest seats that fit the window; below MIN_CELL patterns stop being legible, so the page scrolls instead.
  function placeSections() {
    const wrap = $('map-wrap');
    const width = Math.max(200, wrap.clientWidth - 16);
    const maxH = Math.max(320, window.innerHeight - wrap.getBoundingClientRect().top - 24);
    const fits = (size) => { const r = pack(size, width); return r.fits && r.height <= maxH; };
    let size = MAX_CELL;
    while (size > MIN_CELL && !fits(size)) size--;
    const r = pack(size, width);
    cell = size; mapW = Math.ceil(r.width); mapH = Math.ceil(r.height);
    const dpr = window.devicePixelRatio || 1;
    Object.assign(canvas.style, { width: `${mapW}px`, height: `${mapH}px` });
    Object.assign(canvas, { width: Math.round(mapW * dpr), height: Math.round(mapH * dpr) }); // crisp on HiDPI
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    fullRedraw = true; queueFrame();
  }

  const known = (id) => Number.isInteger(id) && id > 0 && id < statuses.length && seatSec[id] >= 0;
  const seatX = (id) => sections[seatSec[id]].x + (seatNum[id] - 1) * cell;
  const seatY = (id) => sections[seatSec[id]].y + LABEL_H + (seatRow[id] - 1) * cell;
  const statusOf = (id) => (expected.has(id) ? expected.get(id) : statuses[id]);
  const kindOf = (id) => { const st = statusOf(id); return st === SOLD ? 3 : st === HELD ? (mine.has(id) ? 2 : 1) : 0; };
  function seatStatus(id) { return known(id) ? KIND_NAMES[kindOf(id)] : null; }
  function seatCenter(id) { return known(id) ? { x: seatX(id) + cell / 2, y: seatY(id) + cell / 2 } : null; }

  function seatAt(x, y) {
    for (const sec of sections) {
      const col = Math.floor((x - sec.x) / cell), row = Math.floor((y - sec.y - LABEL_H) / cell);
      if (col >= 0 && col < sec.cols && row >= 0 && row < sec.rows) return sec.grid[row * sec.cols + col];
    }
    return 0;
  }
  function seatAtEvent(e) {
    const r = canvas.getBoundingClientRect();
    return seatAt(e.clientX - r.left, e.clientY - r.top);
  }

  // ---- drawing: changes only mark seats dirty; one animation frame paints them all ----
  function markDirty(id) { dirty.add(id); queueFrame(); }
  function queueFrame() {
    if (!frameQueued) { frameQueued = true; requestAnimationFrame(frame); }
  }
  function frame() {
    frameQueued = false;
    if (fullRedraw) {
      fullRedraw = false; dirty.clear();
      paintAll();
    } else if (dirty.size) {
      const ids = [...dirty].filter(known);
      if (tipId && dirty.has(tipId)) showTooltip(tipId);
      dirty.clear();
      for (const id of ids) ctx.clearRect(seatX(id), seatY(id), cell, cell);
      paintSeats(ids);
    }
    setText('sold-count', soldCount.toLocaleString());
    setText('version', !feed || feed.version < 0 ? '–' : feed.version);
  }

  function paintAll() {
    ctx.clearRect(0, 0, mapW, mapH);
    ctx.fillStyle = COLORS.label;
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    for (const sec of sections) ctx.fillText(`Section ${sec.name}`, sec.x, sec.y + 2);
    const ids = [];
    for (let id = 1; id < statuses.length; id++) if (seatSec[id] >= 0) ids.push(id);
    paintSeats(ids);
  }

  // One path per kind keeps a 10,000-seat repaint to a handful of fill/stroke calls.
  function paintSeats(ids) {
    const inset = cell >= 12 ? 2 : 1, w = cell - 2 * inset;
    const groups = [[], [], [], []];
    for (const id of ids) groups[kindOf(id)].push(id);
    const fills = [COLORS.available, COLORS.held, COLORS.mine, COLORS.sold];
    groups.forEach((list, k) => {
      if (!list.length) return;
      ctx.fillStyle = fills[k];
      ctx.beginPath();
      for (const id of list) ctx.rect(seatX(id) + inset, seatY(id) + inset, w, w);
      ctx.fill();
    });
    ctx.lineWidth = 1;
    if (groups[1].length) { // held by others: "/" hatch
      const cuts = w >= 8 ? [w / 2, w, 1.5 * w] : [w];
      ctx.strokeStyle = COLORS.hatch;
      ctx.beginPath();
      for (const id of groups[1]) {
        const x0 = seatX(id) + inset, y0 = seatY(id) + inset;
        for (const c of cuts) {
          if (c <= w) { ctx.moveTo(x0, y0 + c); ctx.lineTo(x0 + c, y0); } else { ctx.moveTo(x0 + c - w, y0 + w); ctx.lineTo(x0 + w, y0 + c - w); }
        }
      }
      ctx.stroke();
    }
    if (groups[2].length) { // mine: white centre dot
      const d = Math.max(2, Math.round(w * 0.4)), off = inset + (w - d) / 2;
      ctx.fillStyle = COLORS.dot;
      ctx.beginPath();
      for (const id of groups[2]) ctx.rect(seatX(id) + off, seatY(id) + off, d, d);
      ctx.fill();
    }
    if (groups[3].length) { // sold: light cross on dark
      ctx.strokeStyle = COLORS.cross;
      ctx.beginPath();
      for (const id of groups[3]) {
        const x0 = seatX(id) + inset, y0 = seatY(id) + inset;
        ctx.moveTo(x0, y0); ctx.lineTo(x0 + w, y0 + w);
        ctx.moveTo(x0 + w, y0); ctx.lineTo(x0, y0 + w);
      }
      ctx.stroke();
    }
    if (focusId && ids.includes(focusId)) {
      ctx.strokeStyle = COLORS.focus;
      ctx.lineWidth = 2;
      ctx.strokeRect(seatX(focusId) + 1, seatY(focusId) + 1, cell - 2, cell - 2);
    }
  }

  function showTooltip(id) {
    const tip = $('tooltip'), wrap = $('map-wrap');
    tipId = id;
    tip.textContent = `${seatLabel[id]} · ${KIND_TEXT[kindOf(id)]}`;
    tip.hidden = false;
    // Kept inside the map box (it clips overflow): centred above the seat, below it on the top rows.
    const w = tip.offsetWidth, h = tip.offsetHeight;
    const cx = canvas.offsetLeft + seatX(id) + cell / 2 - wrap.scrollLeft;
    const left = Math.min(Math.max(cx - w / 2, 2), wrap.clientWidth - w - 2);
    let top = canvas.offsetTop + seatY(id) - h - 6;
    if (top < 2) top = canvas.offsetTop + seatY(id) + cell + 6;
    tip.style.left = `${left}px`;
    tip.style.top = `${top}px`;
  }
  function hideTooltip() { tipId = 0; $('tooltip').hidden = true; }

  // ---- seat status, patches and snapshots ----
  function setStatus(id, code) {
    if (!known(id)) return;
    const old = statuses[id];
    if (old !== code) {
      if (old === SOLD) soldCount--;
      if (code === SOLD) soldCount++;
      statuses[id] = code;
      // Our hold expired or was sold elsewhere: ask the server what we still hold.
      if (code !== HELD && mine.has(id)) scheduleHoldsRefresh();
    }
    markDirty(id);
  }

  // Our own request finished: show its result now unless the feed already reported the seat since `sinceVersion`.
  function expect(id, code, sinceVersion) {
    if (!known(id) || seatChangedAt[id] > sinceVersion || statuses[id] === code) return;
    expected.set(id, code);
    markDirty(id);
  }

  // ---- live channel: the client module keeps the true map; the page mirrors it for drawing ----
  function startFeed() {
    // ?transport=websocket skips the bridge (to try the fallback path by hand).
    const transport = query.get('transport') === 'websocket' ? 'websocket' : 'eventbus';
    feed = connect({ eventId, transport, watchQueue: Boolean(event.queue && event.queue.enabled) });
    feed.onChange(({ changes, cause, version }) => {
      if (cause === 'snapshot') { expected.clear(); fullRedraw = true; queueFrame(); }
      for (const c of changes) {
        if (!known(c.seat)) continue;
        if (cause === 'patch' && c.status === 'HELD') holdsSeen++;
        expected.delete(c.seat);
        seatChangedAt[c.seat] = version;
        setStatus(c.seat, CODE[c.status]);
      }
      if (cause === 'snapshot') for (const id of mine) if (statuses[id] !== HELD) scheduleHoldsRefresh();
      queueFrame(); // the version shown
    });
    feed.on('presence', ({ active }) => setText('watchers', active));
    feed.on('queue', ({ serving }) => setText('queue-serving', serving));
    feed.on('state', ({ state, transport }) => {
      const name = transport === 'eventbus' ? 'event-bus bridge' : 'WebSocket';
      setText('transport', state === 'live' ? name : `${name} (${state}…)`);
    });
    feed.on('fallback', ({ reason }) => console.warn(`event-bus bridge unusable (${reason}); using the WebSocket instead`));
  }

  // ---- sign-in ----
  function entryKey() { return `ticketrush.entry.${eventId}.${session ? session.user : ''}`; }

  function renderSession() {
    $('login-state').textContent = session ? `Signed in as ${session.user}` : '';
    $('logout-btn').hidden = !session;
    if (session && !$('login-name').value) $('login-name').value = session.user;
  }

  function onSignedIn() {
    mine.clear(); holdExpiry.clear();
    orderAttempt = null;
    client.token = session ? session.token : null;
    setEntryToken(session ? sessionStorage.getItem(entryKey()) : null);
    renderSession();
    holdsChanged();
    fullRedraw = true; queueFrame();
    refreshHolds();
    if (event && event.queue && event.queue.enabled) pollQueue(true);
  }

  function signOut(message) {
    session = null;
    setEntryToken(null);
    clearTimeout(queueTimer);
    sessionStorage.removeItem('ticketrush.session');
    onSignedIn();
    if (message) say(message, 'error');
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
      say(`Signed in as ${name}.`, 'ok');
    } catch (err) {
      if (err.status === 404) say('Sign-in needs dev tokens on the server (TICKETRUSH_DEV_TOKENS=true).', 'error');
      else say(`Sign-in failed: ${problemText(err)}`, 'error');
    }
  });
  $('logout-btn').addEventListener('click', () => { signOut(); say('Signed out.'); });

  // ---- holds ----
  async function toggle(id) {
    if (!known(id) || inflight.has(id)) return;
    if (!session) { say('Sign in first to hold seats.', 'error'); $('login-name').focus(); return; }
    const st = seatStatus(id);
    if (st === 'SOLD') { say(`${seatLabel[id]} is already sold.`, 'error'); return; }
    if (st === 'HELD') { say(`${seatLabel[id]} is held by someone else right now.`, 'error'); return; }
    inflight.add(id);
    const before = feed.version;
    try {
      if (st === 'MINE') {
        await client.release(id);
        mine.delete(id); holdExpiry.delete(id);
        expect(id, AVAILABLE, before);
        say(`Released ${seatLabel[id]}.`, 'ok');
      } else {
        const r = await client.hold([id]);
        const exp = Date.parse(r && r.expiresAt);
        for (const s of (r && r.seats) || [id]) { mine.add(s); if (exp) holdExpiry.set(s, exp); expect(s, HELD, before); markDirty(s); }
        say(`Holding ${seatLabel[id]}${exp ? ` until ${new Date(exp).toLocaleTimeString()}` : ''}.`, 'ok');
      }
      holdsChanged();
    } catch (e) {
      say(problemText(e), 'error');
      if (e.problem && e.problem.code === 'admission_required') showQueueJoin();
      if (st === 'MINE') refreshHolds();
    } finally {
      inflight.delete(id);
    }
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
    for (const id of mine) if (!now.has(id)) { mine.delete(id); holdExpiry.delete(id); markDirty(id); }
    for (const id of now) {
      if (!mine.has(id)) { mine.add(id); markDirty(id); }
      if (!holdExpiry.has(id) && exp) holdExpiry.set(id, exp); // holds/me gives the earliest expiry only
    }
    renderHolds();
  }

  function holdsChanged() { holdsGen++; renderHolds(); }

  // Rebuilt only when the set changes (keeps keyboard focus on the Release buttons); the clock ticks separately.
  function renderHolds() {
    const ul = $('my-holds');
    ul.textContent = '';
    const ids = [...mine].filter((id) => statusOf(id) !== SOLD).sort((a, b) => a - b);
    if (!ids.length) ul.append(el('li', { className: 'muted' }, session ? 'No seats held.' : 'Sign in and pick a seat.'));
    for (const id of ids) {
      const left = el('span', { className: 'muted' });
      left.dataset.seat = id;
      const release = el('button', { type: 'button', className: 'link', ariaLabel: `Release ${seatLabel[id]}`, onclick: () => toggle(id) }, 'Release');
      ul.append(el('li', {}, el('span', {}, seatLabel[id]), left, release));
    }
    tickCountdowns();
  }

  function tickCountdowns() {
    let expired = false;
    for (const span of $('my-holds').querySelectorAll('[data-seat]')) {
      const exp = holdExpiry.get(Number(span.dataset.seat));
      const secs = exp ? Math.ceil((exp - Date.now()) / 1000) : null;
      span.textContent = secs === null ? '' : secs > 0 ? `${secs} s left` : 'expiring…';
      if (secs !== null && secs < -2) expired = true;
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
    // The client retries (same key) on lost answers, 409 request_in_progress, 429 and 503 by itself.
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
      result.className = 'order-result ok';
      result.textContent = `Order ${order.orderId}: ${order.status} — ${(order.seats || seats).map((s) => seatLabel[s]).join(', ')}`;
      say(`Order ${order.status.toLowerCase()}.`, 'ok');
    } catch (e) {
      Object.assign(result, { className: 'order-result error', textContent: `Not bought: ${problemText(e)}` });
      say(problemText(e), 'error');
      if (e.problem && e.problem.code === 'admission_required') showQueueJoin();
      refreshHolds();
    } finally {
      btn.disabled = false;
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

  function onQueueState(r) {
    clearTimeout(queueTimer);
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

  // ---- pointer and keyboard ----
  canvas.addEventListener('mousemove', (e) => {
    const id = seatAtEvent(e);
    if (id && id !== tipId) showTooltip(id);
    else if (!id && tipId) hideTooltip();
  });
  canvas.addEventListener('mouseleave', () => {
    if (document.activeElement === canvas && focusId) showTooltip(focusId); else hideTooltip();
  });
  canvas.addEventListener('click', (e) => {
    const id = seatAtEvent(e);
    if (id) { setFocus(id); toggle(id); }
  });
  canvas.addEventListener('focus', () => {
    if (!focusId) {
      for (let id = 1; id < statuses.length; id++) if (known(id)) { setFocus(id); return; }
    } else showTooltip(focusId);
  });
  canvas.addEventListener('blur', hideTooltip);
  canvas.addEventListener('keydown', (e) => {
    if (!focusId) return;
    const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    if (e.key === 'Escape') hideTooltip();
    if (!moves[e.key] && e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault(); // no page scrolling while moving over seats
    if (moves[e.key]) setFocus(neighbour(focusId, ...moves[e.key])); else toggle(focusId);
  });

  // Moves within a section; left/right past its edge continue in the previous/next section.
  function neighbour(id, dRow, dCol) {
    let sec = sections[seatSec[id]];
    let r = seatRow[id] - 1, c = seatNum[id] - 1;
    for (let step = 0; step < 1000; step++) { // skips holes in ragged layouts
      r += dRow; c += dCol;
      if (c < 0 || c >= sec.cols) {
        sec = sections[sec.index + dCol];
        if (!sec) return id;
        c = dCol > 0 ? 0 : sec.cols - 1;
        r = Math.min(r, sec.rows - 1);
      }
      if (r < 0 || r >= sec.rows) return id;
      const hit = sec.grid[r * sec.cols + c];
      if (hit) return hit;
    }
    return id;
  }

  function setFocus(id) {
    if (!known(id)) return;
    if (focusId) markDirty(focusId);
    markDirty(focusId = id);
    showTooltip(id);
    $('seat-focus').textContent = `${seatLabel[id]}, ${KIND_TEXT[kindOf(id)]}`;
    const y = canvas.getBoundingClientRect().top + seatY(id);
    if (y < 40 || y > window.innerHeight - 40) window.scrollBy(0, y - window.innerHeight / 2);
  }

  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (sections.length) placeSections(); }, 150);
  });

  function tick() {
    rateWindow.push(holdsSeen); // holds/s over the last 5 seconds
    holdsSeen = 0;
    if (rateWindow.length > 5) rateWindow.shift();
    const rate = rateWindow.reduce((a, b) => a + b, 0) / rateWindow.length;
    setText('holds-rate', rate < 10 ? rate.toFixed(1) : Math.round(rate));
    tickCountdowns();
  }

  // ---- test hooks (used by e2e/seatmap.test.mjs) ----
  window.ticketRush = {
    seatStatus, seatCenter,
    version: () => (feed ? feed.version : -1),
    seatCount: () => seatCount,
    ready: () => Boolean(feed && feed.live), // snapshot loaded and the live channel subscribed
    transport: () => (feed ? (feed.transport === 'eventbus' ? 'bridge' : 'ws') : 'none'),
    user: () => (session ? session.user : null),
    admitted: () => Boolean(entryToken),
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
    $('event-name').textContent = `— ${event.name}`;
    document.title = `${event.name} — Ticket Rush`;
    if (event.maxSeatsPerUser) setText('hold-limit', `(up to ${event.maxSeatsPerUser})`);
    if (event.queue && event.queue.enabled) $('queue-panel').hidden = false;
    buildLayout((layout && layout.seats) || []);
    placeSections();
    startFeed();
    setInterval(tick, 1000);
    if (session) onSignedIn();
    say(`${seatCount.toLocaleString()} seats. ${session ? 'Pick a seat.' : 'Sign in to hold seats.'}`);
  }

  boot();
})();
