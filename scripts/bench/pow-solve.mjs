#!/usr/bin/env node
// Median time to solve a queue-join proof of work with the JS client's solver (WebCrypto SHA-256), in Node.
//   node scripts/bench/pow-solve.mjs [difficulty=16] [runs=25]
// Each run solves a fresh random challenge; prints median, p90 and the hash rate.
import { randomBytes } from 'node:crypto';
import { solveChallenge } from '../../src/main/resources/webroot/js/ticketrush-client.js';

const difficulty = Number(process.argv[2] ?? 16);
const runs = Number(process.argv[3] ?? 25);
const times = [];
let hashes = 0;
for (let i = 0; i < runs; i++) {
  const challenge = randomBytes(16).toString('hex');
  const t0 = performance.now();
  const nonce = await solveChallenge({ challenge, difficulty }, { worker: false });
  times.push(performance.now() - t0);
  hashes += Number(nonce) + 1;
}
times.sort((a, b) => a - b);
const total = times.reduce((a, b) => a + b, 0);
console.log(`difficulty ${difficulty}, ${runs} runs: median ${times[runs >> 1].toFixed(0)} ms, p90 ${times[Math.floor(runs * 0.9)].toFixed(0)} ms, `
  + `${Math.round(hashes / total)} k hashes/s (node ${process.version})`);
