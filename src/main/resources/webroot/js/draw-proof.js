// The waiting room's draw, as a fan sees it: a link to the published proof (GET /queue/draw) and, once the
// secret is out, the page's own check of it with verifyDraw (commitment, sorted values, the fan's own rank).
import { verifyDraw } from './ticketrush-client.js';

/**
 * showDrawProof(node, { client, eventId, userId }) fills `node` with the proof link and what the check found.
 * Before the draw only the commitment is published: the link is there, the check waits.
 */
export async function showDrawProof(node, { client, eventId, userId }) {
  const href = `/api/events/${encodeURIComponent(eventId)}/queue/draw`;
  const link = Object.assign(document.createElement('a'), { href, target: '_blank', rel: 'noopener', textContent: 'draw proof' });
  const text = document.createElement('span');
  node.replaceChildren('Pre-queue order: ', link, ' ', text);
  let draw;
  try {
    draw = await client.queueDraw();
  } catch {
    text.textContent = '(not published)';
    return;
  }
  if (!draw || !draw.secret) {
    text.textContent = '(committed; revealed at the draw)';
    return;
  }
  const check = await verifyDraw(draw, userId);
  if (!check.ok) {
    text.textContent = `does not verify: ${check.problems.join('; ')}`;
  } else if (check.rank >= 0) {
    text.textContent = `verified: you drew place ${check.rank + 1} of ${draw.entrants}.`;
  } else {
    text.textContent = `verified (${draw.entrants} entrants; you were not in the draw).`;
  }
}
