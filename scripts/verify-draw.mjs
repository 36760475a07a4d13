#!/usr/bin/env node
// Checks an event's published pre-queue draw and finds one fan's rank in it (Node >= 20, no dependencies).
//   node scripts/verify-draw.mjs http://localhost:8080 42 alice    # fetches GET /api/events/42/queue/draw
//   node scripts/verify-draw.mjs draw.json alice                   # or a saved copy of that answer
// Exit status 0 when the draw checks out (and the user, if given, is in it), 1 otherwise.
import { readFile } from 'node:fs/promises';
import { verifyDraw } from '../src/main/resources/webroot/js/ticketrush-client.js';

const args = process.argv.slice(2);
let draw, userId;
if (args[0] && /^https?:/.test(args[0])) {
  const res = await fetch(`${args[0].replace(/\/+$/, '')}/api/events/${args[1]}/queue/draw`);
  draw = await res.json();
  userId = args[2];
} else if (args[0]) {
  draw = JSON.parse(await readFile(args[0], 'utf8'));
  userId = args[1];
} else {
  console.error('usage: verify-draw.mjs <baseUrl> <eventId> [userId] | <draw.json> [userId]');
  process.exit(2);
}
const r = await verifyDraw(draw, userId);
console.log(`commitment ${draw.commitment}`);
console.log(`secret     ${draw.secret ?? '(not revealed yet)'}`);
console.log(`entrants   ${draw.entrants ?? '-'}`);
for (const p of r.problems) console.log(`PROBLEM    ${p}`);
if (userId != null && r.value) {
  console.log(`${userId}: value ${r.value}, ${r.rank >= 0 ? `pre-queue rank ${r.rank} (0 = first)` : 'NOT in the draw'}`);
}
console.log(r.ok ? 'draw verified' : 'draw NOT verified');
process.exit(r.ok && (userId == null || r.rank >= 0) ? 0 : 1);
