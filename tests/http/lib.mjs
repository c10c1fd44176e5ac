// lib.mjs — helpers for the HTTP integration tests: start the real razem
// binary on a free loopback port with a fresh demo database, and a small
// client with a cookie jar that speaks forms, JSON and raw bytes.
//
// Environment: RAZEM_BIN (default build/razem), RAZEM_TEST_DB ("sqlite"
// or a postgresql:// URL whose public schema the tests may wipe).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const BIN = process.env.RAZEM_BIN || 'build/razem';
const DB_KIND = process.env.RAZEM_TEST_DB || 'sqlite';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitUp(base, proc, log) {
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`razem exited early:\n${log.text}`);
    try {
      const r = await fetch(base + '/healthz');
      if (r.status === 200) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`razem did not come up:\n${log.text}`);
}

// fetchRetrying() sends a request once more when an idempotent one met a
// kept-alive connection the server had closed while idle (its keep-alive
// timeout): the request never reached the server, so sending it again is
// what a browser does. Other methods are never repeated.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
async function fetchRetrying(url, init) {
  try {
    return await fetch(url, init);
  } catch (e) {
    const code = e?.cause?.code || '';
    const closed = code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || /other side closed/.test(String(e?.cause?.message));
    if (!closed || !IDEMPOTENT.has(init.method)) throw e;
    return fetch(url, init);
  }
}

// A database for one test file: a temp SQLite file, or the shared
// PostgreSQL database reset to a fresh demo state. `demo --reset` deletes
// only a demo (or empty) database, and the unit tests leave theirs behind,
// so the schema is emptied with psql first.
export function freshDatabase() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'razem-http-'));
  const url = DB_KIND === 'sqlite' ? path.join(dir, 'test.db') : DB_KIND;
  const args = ['demo', '--db', url];
  if (DB_KIND !== 'sqlite') {
    execFileSync('psql', [url, '-qc', 'DROP SCHEMA public CASCADE; CREATE SCHEMA public'],
      { stdio: 'pipe', env: { ...process.env, PGOPTIONS: '--client-min-messages=warning' } });
  }
  execFileSync(BIN, args, { stdio: 'pipe' });
  return { url, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// start() runs `razem serve` on a free port; extra flags override settings.
export async function start(db, flags = []) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = { text: '' };
  const proc = spawn(BIN, ['serve', '--db', db.url, '--listen', `127.0.0.1:${port}`,
    '--threads', '2', '--access-log', 'off', ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => { log.text += d; });
  proc.stderr.on('data', (d) => { log.text += d; });
  await waitUp(base, proc, log);
  return {
    base, port, proc, log,
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      const done = new Promise((r) => proc.on('exit', (code, sig) => r(code ?? sig)));
      proc.kill('SIGTERM');
      return done;
    },
  };
}

// A browser-like client: keeps cookies, never follows redirects.
export class Client {
  constructor(base) { this.base = base; this.cookies = new Map(); this.csrf = null; }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  remember(res) {
    const all = typeof res.headers.getSetCookie === 'function'
      ? res.headers.getSetCookie()
      : (res.headers.get('set-cookie') || '').split(/, (?=[^;=]+=)/).filter(Boolean);
    for (const c of all) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim(), value = pair.slice(i + 1).trim();
      const maxAge = attrs.map((a) => a.trim().toLowerCase()).find((a) => a.startsWith('max-age='));
      if (value === '' || maxAge === 'max-age=0') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method, p, { body, type, headers = {} } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    if (type) h['content-type'] = type;
    const res = await fetchRetrying(this.base + p, { method, headers: h, body, redirect: 'manual' });
    this.remember(res);
    const text = await res.text();
    let json = null;
    if ((res.headers.get('content-type') || '').startsWith('application/json') && text) json = JSON.parse(text);
    return { status: res.status, headers: res.headers, text, json };
  }

  get(p, opts) { return this.request('GET', p, opts); }

  // form() posts fields as a browser would; the CSRF token is added
  // unless the test passes _csrf itself (or null to leave it out).
  async form(p, fields = {}) {
    const f = { ...fields };
    if (!('_csrf' in f)) f._csrf = this.formToken ?? '';
    if (f._csrf === null) delete f._csrf;
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) {
      if (Array.isArray(v)) v.forEach((x) => body.append(k, x)); else body.append(k, v);
    }
    return this.request('POST', p, { body: body.toString(), type: 'application/x-www-form-urlencoded' });
  }

  // json() calls the API with the session's CSRF header.
  json(method, p, obj, headers = {}) {
    const h = { ...headers };
    if (this.csrf && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    for (const k of Object.keys(h)) if (h[k] === null) delete h[k];
    return this.request(method, p, { body: obj === undefined ? undefined : JSON.stringify(obj), type: 'application/json', headers: h });
  }

  // The token of the forms on the last page fetched with page().
  async page(p) {
    const r = await this.get(p);
    const m = r.text.match(/name="_csrf" value="([^"]*)"/);
    if (m) this.formToken = m[1];
    return r;
  }

  // Sign in through the page, as a person would.
  async signIn(login, password = 'demo') {
    await this.page('/login');
    const r = await this.form('/login', { login, password, next: '/' });
    if (r.status !== 303) throw new Error(`sign-in as ${login} failed: ${r.status}`);
    await this.page('/');
    return r;
  }

  // Sign in through the API; keeps the CSRF token for later calls.
  async apiSignIn(login, password = 'demo') {
    const r = await this.json('POST', '/api/v1/session', { login, password });
    if (r.status === 200) this.csrf = r.json.csrf_token;
    return r;
  }
}

// raw() sends bytes over a socket and returns the response text (for malformed requests).
export function raw(port, bytes, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let out = '';
    const done = () => { sock.destroy(); resolve(out); };
    sock.setTimeout(timeoutMs, done);
    sock.on('data', (d) => { out += d.toString('latin1'); });
    sock.on('end', done);
    sock.on('error', done);
    sock.on('connect', () => sock.write(bytes));
  });
}

export function statusOf(rawText) {
  const m = rawText.match(/^HTTP\/1\.[01] (\d{3})/);
  return m ? Number(m[1]) : 0;
}
