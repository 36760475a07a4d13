// Median time to solve a queue-join proof of work in headless Chromium, with the JS client's Web Worker solver.
//   cd e2e && node pow-bench.mjs [difficulty=16] [runs=15]
// Serves the client module and a blank page on 127.0.0.1 (a secure context, so WebCrypto works).
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const difficulty = Number(process.argv[2] ?? 16);
const runs = Number(process.argv[3] ?? 15);
const client = await readFile(new URL('../src/main/resources/webroot/js/ticketrush-client.js', import.meta.url));
const server = http.createServer((req, res) => {
  if (req.url === '/js/ticketrush-client.js') {
    res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(client);
  } else {
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>pow</title>');
  }
}).listen(0, '127.0.0.1');
await new Promise((ok) => server.once('listening', ok));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const times = await page.evaluate(async ({ difficulty, runs }) => {
    const { solveChallenge, checkSolution } = await import('/js/ticketrush-client.js');
    const out = [];
    for (let i = 0; i < runs; i++) {
      const challenge = Array.from(crypto.getRandomValues(new Uint8Array(16)), (x) => x.toString(16).padStart(2, '0')).join('');
      const t0 = performance.now();
      const nonce = await solveChallenge({ challenge, difficulty });
      out.push(performance.now() - t0);
      if (!(await checkSolution(challenge, nonce, difficulty))) throw new Error('wrong solution');
    }
    return out;
  }, { difficulty, runs });
  times.sort((a, b) => a - b);
  console.log(`chromium ${browser.version()}, difficulty ${difficulty}, ${runs} runs (Web Worker): median ${times[runs >> 1].toFixed(0)} ms, p90 ${times[Math.floor(runs * 0.9)].toFixed(0)} ms`);
} finally {
  await browser.close();
  server.close();
}
