// "My tickets": each ticket of the signed-in fan for one event, with its QR code (the signed code a door
// scanner reads), cancelling an order where the owner may, and giving a ticket to another user. Protocol work is
// js/ticketrush-client.js; this file is the UI only.
import { createClient, newIdempotencyKey } from './ticketrush-client.js';
import { qrCanvas } from './qr-canvas.js';
import { $, el, eventFromAddress, problemText, say, signIn, when } from './page-kit.js';

const eventId = eventFromAddress();
let auth = null;
const client = createClient({ eventId, onUnauthorized: () => auth && auth.signOut('Your sign-in is no longer valid; please sign in again.') });
let event = null;
let loads = 0; // finished loads, for tests (data-loads on <main>)
const cancelKeys = new Map(); // orderId -> the Idempotency-Key of its cancellation (one refund, whatever the retries)

for (const [id, page] of [['map-link', '/'], ['scanner-link', 'scanner.html']]) $(id).href = `${page}?event=${eventId}`;

const STATUS_TEXT = { VALID: 'Valid', USED: 'Checked in', VOID: 'Void' };
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Whether the owner may still cancel: the event has a refundableUntil and it is ahead (without one only an admin may). The server decides. */
function refundOpen() {
  return Boolean(event && event.refundableUntil) && Date.parse(event.refundableUntil) > Date.now();
}

async function load() {
  if (!client.token) {
    $('orders').replaceChildren(el('p', { className: 'muted' }, 'Sign in to see your tickets.'));
    return;
  }
  try {
    const [{ tickets }, { orders }] = await Promise.all([client.tickets(), client.myOrders()]);
    render(tickets, new Map(orders.map((o) => [o.orderId, o])));
    say(tickets.length ? `${tickets.filter((t) => t.status === 'VALID').length} valid ticket(s).` : 'No tickets for this event yet.', 'ok');
  } catch (err) {
    say(`Could not load your tickets: ${problemText(err)}`, 'error');
  } finally {
    document.querySelector('main').dataset.loads = String(++loads);
  }
}

function render(tickets, myOrders) {
  // Group by order, in the order the tickets come (by seat); a received ticket's order is not the caller's.
  const groups = new Map();
  for (const t of tickets) {
    if (!groups.has(t.orderId)) groups.set(t.orderId, []);
    groups.get(t.orderId).push(t);
  }
  const nodes = [];
  for (const [orderId, list] of groups) nodes.push(orderCard(orderId, list, myOrders.get(orderId)));
  $('orders').replaceChildren(...(nodes.length ? nodes : [el('p', { className: 'muted' }, 'You hold no tickets for this event.')]));
}

function orderCard(orderId, tickets, order) {
  const title = order ? `Order ${orderId.slice(0, 8)} · ${order.status}` : 'Given to you';
  const card = el('section', { className: 'card order' }, el('h2', {}, title));
  card.dataset.orderId = orderId;
  // A checked-in ticket blocks it, and so does one given away (the new holder's ticket is not the owner's to void).
  const cancellable = order && order.status === 'CONFIRMED' && !tickets.some((t) => t.status === 'USED' || t.status === 'VOID')
    && refundOpen();
  if (cancellable) {
    const result = el('p', { className: 'order-note', role: 'status' });
    const btn = el('button', { type: 'button', className: 'secondary cancel-btn', textContent: 'Cancel order and refund' });
    btn.addEventListener('click', () => cancel(orderId, btn, result));
    card.append(el('div', { className: 'order-tools' }, btn, result));
  }
  card.append(el('ul', { className: 'tickets' }, ...tickets.map(ticketItem)));
  return card;
}

function ticketItem(t) {
  const li = el('li', { className: `ticket ${t.status.toLowerCase()}` });
  li.dataset.ticketId = t.id;
  li.dataset.status = t.status;
  const head = el('div', { className: 'ticket-head' },
    el('strong', {}, t.label || `Seat ${t.seat}`),
    el('span', { className: `badge ${t.status.toLowerCase()}` }, STATUS_TEXT[t.status] || t.status));
  li.append(head);
  if (t.status === 'USED' && t.checkedInAt) li.append(el('p', { className: 'muted' }, `Checked in ${when(t.checkedInAt)}`));
  if (t.status === 'VOID') {
    li.append(el('p', { className: 'muted' }, 'This code no longer opens the door (cancelled or given away).'));
    return li;
  }
  if (t.code) {
    const qr = qrCanvas(t.code);
    qr.className = 'qr';
    qr.setAttribute('role', 'img');
    qr.setAttribute('aria-label', `QR code of ticket ${t.label || t.seat}`);
    const code = el('textarea', { className: 'code', readOnly: true, rows: 3, value: t.code });
    code.setAttribute('aria-label', `Code of ticket ${t.label || t.seat}`);
    li.append(qr, el('details', {}, el('summary', {}, 'Show the code as text'), code));
  }
  if (t.status === 'VALID') li.append(transferForm(t));
  return li;
}

function transferForm(t) {
  const input = el('input', { name: 'to', maxLength: 128, required: true, autocomplete: 'off', placeholder: 'user id' });
  input.id = `to-${t.id}`;
  const note = el('p', { className: 'order-note', role: 'status' });
  const form = el('form', { className: 'transfer' },
    el('label', { htmlFor: input.id }, 'Give to'), input,
    el('button', { type: 'submit', className: 'secondary', textContent: 'Transfer' }), note);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const to = input.value.trim();
    if (!to) return;
    form.querySelector('button').disabled = true;
    try {
      const fresh = await client.transfer(t.orderId, t.id, to);
      await load();
      say(`Ticket ${fresh.label || fresh.seat} now belongs to ${to}; your old code is void.`, 'ok');
    } catch (err) {
      note.textContent = problemText(err);
      note.className = 'order-note error';
      form.querySelector('button').disabled = false;
    }
  });
  return form;
}

async function cancel(orderId, btn, note) {
  btn.disabled = true;
  if (!cancelKeys.has(orderId)) cancelKeys.set(orderId, newIdempotencyKey());
  const idempotencyKey = cancelKeys.get(orderId);
  note.textContent = 'Cancelling…';
  note.className = 'order-note';
  try {
    let order = await client.cancel(orderId, { idempotencyKey });
    // 202 CANCELLING: the refund is under way; the same key answers the newer state.
    for (let i = 0; order.status === 'CANCELLING' && i < 20; i++) {
      note.textContent = 'Refund under way…';
      await sleep(Math.min(5000, 500 * 2 ** Math.min(i, 3)));
      order = await client.cancel(orderId, { idempotencyKey });
    }
    if (order.status === 'CANCELLED') {
      await load();
      say(`Order ${orderId.slice(0, 8)} cancelled and refunded; its seats are back on sale.`, 'ok');
    } else {
      note.textContent = `The refund is still under way (${order.status}); this page shows the result when you reload.`;
    }
  } catch (err) {
    note.textContent = problemText(err);
    note.className = 'order-note error';
    btn.disabled = false;
  }
}

async function start() {
  try {
    event = await client.event();
    $('event-name').textContent = `— ${event.name}`;
    if (event.refundableUntil) {
      $('refund-note').textContent = refundOpen()
        ? `Orders can be cancelled and refunded until ${when(event.refundableUntil)}.`
        : `Cancelling closed at ${when(event.refundableUntil)}.`;
    }
  } catch (err) {
    say(`Could not load event ${eventId}: ${problemText(err)}`, 'error');
    return;
  }
  auth = signIn(client, { changed: () => load() });
  if (!auth.session) say('Sign in with the name you bought with.');
}

start();
