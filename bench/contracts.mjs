// contracts.mjs — paired timing of pages against a running razem: BASE=http://HOST:PORT node bench/contracts.mjs LOGIN PATH…
// each round times N (50) sequential requests of each path; the median of three rounds is printed (docs/BENCHMARKS.md)
// GAP_MS=1100 waits that long before each request (not timed): the start page keeps a user's reminders 1 s
// (FRAGMENT_USER_PANELS), so with the gap every request of `/` computes them, as the first one of a second does
import { Client } from '../tests/http/lib.mjs';
const base = process.env.BASE || 'http://127.0.0.1:8080';
const [login, ...paths] = process.argv.slice(2);
const c = new Client(base);
await c.apiSignIn(login);
const N = Number(process.env.N || 50);
const gap = Number(process.env.GAP_MS || 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const time = async (p) => {
  let ns = 0n;
  for (let i = 0; i < N; i++) {
    if (gap > 0) await sleep(gap);
    const t0 = process.hrtime.bigint();
    const r = await fetch(base + p, { headers: { cookie: c.cookieHeader() } });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
    ns += process.hrtime.bigint() - t0;
  }
  return Number(ns) / 1e6 / N;
};
const res = Object.fromEntries(paths.map((p) => [p, []]));
for (let round = 0; round < 3; round++) for (const p of paths) res[p].push(await time(p));
for (const p of paths) { const v = res[p].sort((a, b) => a - b); console.log(`${p}: median ${v[1].toFixed(2)} ms/request (rounds ${v.map((x) => x.toFixed(2)).join(', ')})`); }
