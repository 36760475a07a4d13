// Browser test of the after-sale pages: headless Debian Chromium buys a seat on the seat map, follows "My tickets",
// reads the ticket's QR code back off the canvas (jsQR decodes the pixels; it must be the ticket's signed code),
// gives a ticket away and cancels an order there, then checks the decoded code in on the door scanner page:
// admitted once, "already checked in" with the time on the second scan, the given-away code void, garbage invalid.
// Both pages run under a strict Content-Security-Policy added by the test (no inline script or style allowed).
// Run: TICKETRUSH_URL=http://127.0.0.1:8080 node e2e/tickets.test.mjs   (run by BrowserTicketsTest in mvn verify)
// Screenshots: docs/tickets-desktop.png and docs/scanner-desktop.png, or SCREENSHOT_DIR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '../src/main/resources/webroot/js/ticketrush-client.js';

const BASE = (process.env.TICKETRUSH_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHOTS = process.env.SCREENSHOT_DIR ? resolve(process.env.SCREENSHOT_DIR) : join(REPO, 'docs');
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
// What the service sends on every page (web/PageHeaders): scripts and styles from our origin only, no inline anything.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
  + "frame-ancestors 'none'";

const noChromium = existsSync(CHROMIUM)
  ? false
  : `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM=/path/to/chromium)`;

/** The QR code a canvas shows, decoded from its pixels by jsQR (an independent reader), and its dark share. */
async function readQr(page, selector, jsQR) {
  const img = await page.evaluate((sel) => {
    const c = document.querySelector(sel);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    return { width: d.width, height: d.height, data: Array.from(d.data) };
  }, selector);
  const data = Uint8ClampedArray.from(img.data);
  let dark = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark++;
  const found = jsQR(data, img.width, img.height);
  return { text: found ? found.data : null, darkShare: dark / (img.width * img.height), width: img.width };
}

test('my tickets shows a readable QR code; the scanner admits it once', { skip: noChromium, timeout: 240_000 }, async (t) => {
  let chromium, jsQR;
  try {
    ({ chromium } = await import('playwright-core'));
    jsQR = (await import('jsqr')).default;
  } catch (e) {
    assert.fail(`e2e packages missing: run e2e/run.sh or npm ci in e2e/ (${e.message})`);
  }
  const live = await fetch(`${BASE}/health/live`).catch((e) => e);
  assert.ok(live instanceof Response, `no Ticket Rush service answers at ${BASE}: ${live.message || live}`);

  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const admin = createClient({ baseUrl: BASE });
  await admin.devToken(`tickets-admin-${run}`, ['admin']);
  const { id: eventId } = await admin.request('POST', '/api/events', {
    auth: true, body: { name: `Night of ${run}`, sections: [{ name: 'A', rows: 2, seatsPerRow: 8 }], maxSeatsPerUser: 4,
      refundableUntil: new Date(Date.now() + 86_400_000).toISOString() },
  });
  const me = `fan-${run}`;
  const fan = createClient({ baseUrl: BASE, eventId });
  await fan.devToken(me);
  const friend = createClient({ baseUrl: BASE, eventId });
  await friend.devToken(`friend-${run}`);
  // Two more orders bought over the API: one to give a ticket away from, one to cancel.
  await fan.hold([5, 6]);
  const giving = await fan.order({ seats: [5, 6], paymentToken: 'tok_ok' });
  await fan.hold([9]);
  const cancelling = await fan.order({ seats: [9], paymentToken: 'tok_ok' });

  const userDataDir = mkdtempSync(join(tmpdir(), 'ticketrush-e2e-tickets-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 900 }, args: LAUNCH_ARGS,
  });
  const pageErrors = [], cspViolations = [];
  const watch = (page) => {
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      t.diagnostic(`browser console: ${m.text()}`);
    });
  };
  // The service itself sends the strict policy on every page (web/PageHeaders): the seat map, My tickets and
  // the scanner all run under it, and any violation fails this test.
  for (const path of ['/', '/tickets.html', '/scanner.html']) {
    const res = await fetch(`${BASE}${path}`);
    assert.equal(res.headers.get('content-security-policy'), CSP, `${path} is served with the strict policy`);
  }
  try {
    // 1. Buy seat 4 on the seat map, signed in as the fan.
    const page = context.pages()[0] || (await context.newPage());
    watch(page);
    await page.goto(`${BASE}/?event=${eventId}&transport=websocket`);
    await page.waitForFunction(() => window.ticketRush && window.ticketRush.ready(), null, { timeout: 30_000 });
    await page.fill('#login-name', me);
    await page.click('#login-btn');
    await page.waitForFunction((name) => window.ticketRush.user() === name, me, { timeout: 10_000 });
    const c = await page.evaluate(() => window.ticketRush.revealSeat(4));
    await page.locator('#seatmap').scrollIntoViewIfNeeded();
    const box = await page.locator('#seatmap').boundingBox();
    await page.mouse.click(box.x + c.x, box.y + c.y);
    await page.waitForFunction(() => window.ticketRush.seatStatus(4) === 'MINE', null, { timeout: 10_000 });
    await page.click('#buy-btn');
    await page.waitForFunction(() => /CONFIRMED/.test(document.getElementById('order-result').textContent), null, { timeout: 20_000 });

    // 2. "My tickets", through the header link (same tab: the sign-in carries over).
    await page.evaluate(() => window.scrollTo(0, 0));
    await Promise.all([page.waitForURL(/tickets\.html\?event=/), page.click('#tickets-link')]);
    await page.waitForSelector('li.ticket[data-status="VALID"] canvas.qr', { timeout: 15_000 });
    const api = (await fan.tickets()).tickets;
    assert.deepEqual(api.map((x) => x.seat), [4, 5, 6, 9], `the fan's tickets: ${JSON.stringify(api)}`);
    const bySeat = new Map(api.map((x) => [x.seat, x]));
    assert.equal(await page.locator('li.ticket').count(), 4, 'one card per ticket');
    for (const seat of [4, 5]) {
      const tk = bySeat.get(seat);
      const qr = await readQr(page, `li.ticket[data-ticket-id="${tk.id}"] canvas.qr`, jsQR);
      t.diagnostic(`seat ${seat}: QR ${qr.width} px, ${(qr.darkShare * 100).toFixed(0)} % dark, decoded ${qr.text ? qr.text.length : 0} chars`);
      assert.ok(qr.darkShare > 0.15 && qr.darkShare < 0.6, `the QR canvas has content (${qr.darkShare})`);
      assert.equal(qr.text, tk.code, `the QR code of seat ${seat} reads back as its signed code`);
    }
    const scanned = (await readQr(page, `li.ticket[data-ticket-id="${bySeat.get(4).id}"] canvas.qr`, jsQR)).text;
    assert.equal(await page.locator(`[data-order-id="${cancelling.orderId}"] .cancel-btn`).count(), 1, 'a confirmed order offers cancel');

    // 3. Give seat 6 to the friend: the old card turns void, the friend holds a new ticket.
    const six = bySeat.get(6);
    const loads = async () => Number(await page.locator('main').getAttribute('data-loads'));
    let before = await loads();
    await page.fill(`#to-${six.id}`, `friend-${run}`);
    await page.click(`li.ticket[data-ticket-id="${six.id}"] form.transfer button`);
    await page.waitForFunction((n) => Number(document.querySelector('main').dataset.loads) > n, before, { timeout: 10_000 });
    assert.equal(await page.locator(`li.ticket[data-ticket-id="${six.id}"]`).getAttribute('data-status'), 'VOID');
    assert.equal(await page.locator(`li.ticket[data-ticket-id="${six.id}"] canvas`).count(), 0, 'a void ticket shows no QR code');
    const given = (await friend.tickets()).tickets;
    assert.deepEqual(given.map((x) => [x.seat, x.status]), [[6, 'VALID']]);
    assert.notEqual(given[0].code, six.code);

    // 4. Cancel the seat-9 order (contract: 200 CANCELLED or 202 CANCELLING, then the tickets are VOID).
    before = await loads();
    await page.click(`[data-order-id="${cancelling.orderId}"] .cancel-btn`);
    const outcome = await page.waitForFunction(([id, n]) => {
      const err = document.querySelector(`[data-order-id="${id}"] .order-note.error`);
      if (err && err.textContent) return { error: err.textContent };
      return Number(document.querySelector('main').dataset.loads) > n ? { reloaded: true } : null;
    }, [cancelling.orderId, before], { timeout: 60_000 }).then((h) => h.jsonValue());
    assert.ok(outcome.reloaded, `the cancellation went through: ${JSON.stringify(outcome)}`);
    assert.equal(await page.locator(`li.ticket[data-ticket-id="${bySeat.get(9).id}"]`).getAttribute('data-status'), 'VOID');
    // The seat turns AVAILABLE after the cancellation commits: poll with a deadline.
    const deadline = Date.now() + 15_000;
    let seats;
    while ((seats = await fan.seats()).sold.includes(9) || seats.held.includes(9)) {
      assert.ok(Date.now() < deadline, `seat 9 back on sale within 15 s: ${JSON.stringify(seats)}`);
      await new Promise((ok) => setTimeout(ok, 100));
    }

    // 5. The door: a scanner page in another tab, its own sign-in with the scanner role.
    const door = await context.newPage();
    watch(door);
    await door.goto(`${BASE}/scanner.html?event=${eventId}`);
    await door.fill('#login-name', `door-${run}`);
    await door.click('#login-btn');
    await door.waitForSelector('#scan-btn:not([disabled])', { timeout: 10_000 });
    const scan = async (code, n) => {
      await door.fill('#scan-code', code);
      await door.click('#scan-btn');
      await door.waitForSelector(`#scan-result[data-scans="${n}"]`, { timeout: 10_000 });
      return {
        outcome: await door.getAttribute('#scan-result', 'data-outcome'),
        verdict: await door.textContent('#scan-verdict'),
        detail: await door.textContent('#scan-detail'),
      };
    };
    const first = await scan(scanned, 1);
    assert.equal(first.outcome, 'admitted', JSON.stringify(first));
    assert.equal(first.verdict, 'Admitted');
    assert.match(first.detail, new RegExp(bySeat.get(4).label));
    const second = await scan(scanned, 2);
    assert.equal(second.outcome, 'already_checked_in', JSON.stringify(second));
    assert.equal(second.verdict, 'Already checked in');
    assert.match(second.detail, /checked in at .*\d.*Do not admit/);
    await door.evaluate(() => window.scrollTo(0, 0));
    mkdirSync(SHOTS, { recursive: true });
    await door.screenshot({ path: join(SHOTS, 'scanner-desktop.png') });
    const voided = await scan(six.code, 3);
    assert.equal(voided.outcome, 'ticket_void', JSON.stringify(voided));
    const junk = await scan(`${scanned.slice(0, -4)}AAAA`, 4);
    assert.equal(junk.outcome, 'ticket_invalid', JSON.stringify(junk));
    assert.equal(await door.locator('#scan-log li').count(), 4, 'every scan is in the log');

    // 6. Back on My tickets: the scanned ticket shows checked in, and its order no longer offers cancel.
    await page.bringToFront();
    await page.reload();
    await page.waitForSelector(`li.ticket[data-ticket-id="${bySeat.get(4).id}"][data-status="USED"]`, { timeout: 10_000 });
    assert.match(await page.textContent(`li.ticket[data-ticket-id="${bySeat.get(4).id}"]`), /Checked in/);
    const four = await page.locator(`li.ticket[data-ticket-id="${bySeat.get(4).id}"]`).evaluate((li) => li.closest('[data-order-id]').dataset.orderId);
    assert.equal(await page.locator(`[data-order-id="${four}"] .cancel-btn`).count(), 0, 'a checked-in order offers no cancel');
    assert.equal(await page.locator(`[data-order-id="${giving.orderId}"] .cancel-btn`).count(), 0,
      'an order with a ticket given away offers no cancel to its owner (only an admin may cancel it)');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'tickets-desktop.png'), fullPage: true });
    t.diagnostic(`screenshots in ${SHOTS}`);

    // 7. Phone width: neither page scrolls sideways, and the QR code fits the screen.
    for (const [p, sel] of [[page, 'canvas.qr'], [door, '#scan-form']]) {
      await p.setViewportSize({ width: 390, height: 844 });
      const w = await p.evaluate((s) => ({
        page: document.documentElement.scrollWidth, viewport: window.innerWidth,
        right: Math.max(...Array.from(document.querySelectorAll(s), (e) => e.getBoundingClientRect().right)),
      }), sel);
      assert.ok(w.page <= w.viewport && w.right <= w.viewport, `${p.url()} fits 390 px: ${JSON.stringify(w)}`);
    }

    assert.deepEqual(cspViolations, [], 'the pages run under a strict CSP');
    assert.deepEqual(pageErrors, [], 'uncaught errors in the pages');
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
});
