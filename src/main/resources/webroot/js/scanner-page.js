// The door: a text box a hand scanner types the ticket code into (or staff paste it), one POST /checkins per
// scan, and a verdict big enough to read at arm's length. The server decides (exactly one scan admits a ticket);
// this page only shows what it said. Camera scanning is left out on purpose: a USB/Bluetooth scanner types.
import { createClient } from './ticketrush-client.js';
import { $, el, eventFromAddress, problemText, say, signIn, when } from './page-kit.js';

const eventId = eventFromAddress();
let auth = null;
const client = createClient({ eventId, maxRetries: 0, onUnauthorized: () => auth && auth.signOut('Your sign-in is no longer valid; please sign in again.') });
let scans = 0; // finished scans, for tests (data-scans on the result)

for (const [id, page] of [['map-link', '/'], ['tickets-link', 'tickets.html']]) $(id).href = `${page}?event=${eventId}`;

/** What the server's answer means at the door: outcome (a CSS class and test hook), headline, detail. */
function verdict(result, err) {
  if (result) {
    const t = result.ticket || {};
    return ['admitted', 'Admitted', `${t.label || `Seat ${t.seat}`} · checked in ${when(result.checkedInAt)}`];
  }
  const p = err.problem || {};
  switch (err.code) {
    case 'already_checked_in':
      return ['already_checked_in', 'Already checked in', `This ticket was checked in at ${when(p.checkedInAt)}. Do not admit.`];
    case 'ticket_void':
      return ['ticket_void', 'Void ticket', `${p.detail || 'The ticket was cancelled or given away.'} Do not admit.`];
    case 'ticket_invalid':
      return ['ticket_invalid', 'Not a valid ticket', `${p.detail || 'The code does not verify.'} Do not admit.`];
    case 'forbidden':
      return ['error', 'Not allowed', 'This sign-in may not check tickets in (it needs the scanner role).'];
    default:
      return ['error', 'No answer', `${problemText(err)}. Try the scan again.`];
  }
}

function show([outcome, headline, detail]) {
  const box = $('scan-result');
  box.hidden = false;
  box.className = `scan-result ${outcome}`;
  box.dataset.outcome = outcome;
  box.dataset.scans = String(++scans);
  $('scan-verdict').textContent = headline;
  $('scan-detail').textContent = detail;
  const log = $('scan-log');
  log.prepend(el('li', { className: outcome }, `${new Date().toLocaleTimeString()} · ${headline} · ${detail}`));
  while (log.children.length > 50) log.lastChild.remove();
}

$('scan-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const box = $('scan-code');
  const code = box.value.trim();
  if (!code || !client.token) return;
  $('scan-btn').disabled = true;
  try {
    show(verdict(await client.checkIn(eventId, code)));
  } catch (err) {
    show(verdict(null, err));
  } finally {
    $('scan-btn').disabled = !client.token;
    box.value = '';
    box.focus(); // ready for the next scan
  }
});

// Hand scanners type the code and press Enter: Enter submits (Shift+Enter still breaks a line).
$('scan-code').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    $('scan-form').requestSubmit();
  }
});

async function start() {
  try {
    const event = await client.event();
    $('event-name').textContent = `— ${event.name}`;
  } catch (err) {
    say(`Could not load event ${eventId}: ${problemText(err)}`, 'error');
    return;
  }
  // Door staff sign in with the scanner role; a separate session from a fan's on the same browser.
  auth = signIn(client, {
    key: 'ticketrush.door',
    roles: ['scanner'],
    changed: (session) => {
      $('scan-btn').disabled = !session;
      if (session) {
        say(`Scanning for event ${eventId}. Scan or paste a code.`, 'ok');
        $('scan-code').focus();
      } else {
        say('Sign in as door staff to check tickets in.');
      }
    },
  });
}

start();
