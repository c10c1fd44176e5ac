// contracts.mjs — paired timing of pages against a running razem: BASE=http://HOST:PORT node bench/contracts.mjs LOGIN PATH…
// each round times 50 sequential requests of each path; the median of three rounds is printed (docs/BENCHMARKS.md)
import { Client } from '../tests/http/lib.mjs';
const base = process.env.BASE || 'http://127.0.0.1:8080';
const [login, ...paths] = process.argv.slice(2);
const c = new Client(base);
await c.apiSignIn(login);
const N = 50;
const time = async (p) => {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const r = await fetch(base + p, { headers: { cookie: c.cookieHeader() } });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
  }
  return Number(process.hrtime.bigint() - t0) / 1e6 / N;
};
const res = Object.fromEntries(paths.map((p) => [p, []]));
for (let round = 0; round < 3; round++) for (const p of paths) res[p].push(await time(p));
for (const p of paths) { const v = res[p].sort((a, b) => a - b); console.log(`${p}: median ${v[1].toFixed(2)} ms/request (rounds ${v.map((x) => x.toFixed(2)).join(', ')})`); }
