// Small helpers shared by the after-sale pages (tickets.html, scanner.html): the event in the address, the
// dev-token sign-in kept in sessionStorage (the same key the seat map uses, so following a link stays signed in),
// and readable problem text. No framework, no inline script: the pages work under a strict CSP.

export const $ = (id) => document.getElementById(id);

/** The event of `?event=N` (default 1, the demo event). */
export function eventFromAddress() {
  const q = new URLSearchParams(location.search).get('event') || '';
  return /^[1-9]\d{0,15}$/.test(q) ? Number(q) : 1;
}

/** Builds an element: el('p', {className: 'x'}, 'text', child). */
export function el(tag, props, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c != null));
  return node;
}

export function problemText(e) {
  const p = (e && e.problem) || {};
  if (p.code || p.detail || p.title) return `${p.detail || p.title || 'Request failed'} (${p.code || e.status})`;
  return e && e.status ? `Request failed with HTTP ${e.status}` : `Network error: ${e && (e.cause ? e.cause.message : e.message)}`;
}

export function say(message, kind = '') {
  const s = $('status');
  s.textContent = message;
  s.className = `status ${kind}`;
}

/** A local date and time for an ISO instant ("" when absent). */
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/**
 * Wires the header's sign-in form (#login-form, #login-name, #session-box, #login-state, #logout-btn) to a
 * client. `key` is the sessionStorage key; `roles` the dev-token roles asked for. Calls `changed(session)`
 * after every sign-in or sign-out (session null when signed out).
 */
export function signIn(client, { key = 'ticketrush.session', roles, changed }) {
  let session = null;
  try { session = JSON.parse(sessionStorage.getItem(key) || 'null'); } catch { /* ignore */ }
  const render = () => {
    $('login-form').hidden = Boolean(session);
    $('session-box').hidden = !session;
    $('login-state').textContent = session ? session.user : '';
    client.token = session ? session.token : null;
    changed(session);
  };
  const out = (message) => {
    session = null;
    sessionStorage.removeItem(key);
    render();
    if (message) say(message, 'error');
  };
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = $('login-name').value.trim();
    if (!name) return;
    try {
      const token = await client.devToken(name, roles);
      session = { user: name, token };
      sessionStorage.setItem(key, JSON.stringify(session));
      say(`Signed in as ${name}.`, 'ok');
      render();
    } catch (err) {
      if (err.status === 404) say('Sign-in needs dev tokens on the server (TICKETRUSH_DEV_TOKENS=true).', 'error');
      else say(`Sign-in failed: ${problemText(err)}`, 'error');
    }
  });
  $('logout-btn').addEventListener('click', () => { out(); say('Signed out.'); });
  render();
  return { signOut: out, get session() { return session; } };
}
