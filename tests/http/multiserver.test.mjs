// multiserver.test.mjs — two razem servers on one PostgreSQL database, as
// behind a load balancer: sessions, locks, password and role changes seen
// on the other server within the session cache's one second, throttling
// counted across both, and concurrent duplicate creations.
// PostgreSQL only (two servers cannot share one SQLite file safely over a network).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, start, Client } from './lib.mjs';

const PG = /^postgres(ql)?:\/\//.test(process.env.RAZEM_TEST_DB || '');
const skip = PG ? false : 'needs PostgreSQL: RAZEM_TEST_DB is not a postgresql:// URL';

let db, a, b, adminA;
let addr = 0;
const from = () => ({ 'x-forwarded-for': `10.8.${Math.floor(addr / 250)}.${(addr++ % 250) + 1}` });
const flags = ['--login-max-failures', '3', '--login-max-failures-address', '100', '--login-lock', '10m',
  '--trust-proxy', 'on'];

before(async () => {
  if (!PG) return;
  db = freshDatabase();
  a = await start(db, flags);
  b = await start(db, flags);
  adminA = new Client(a.base);
  assert.equal((await adminA.apiSignIn('admin')).status, 200);
});
after(async () => {
  if (!PG) return;
  await a.stop();
  await b.stop();
  db.cleanup();
});

// poll() retries check() until it is true or ms have passed; returns the time it took.
async function poll(check, ms = 1500) {
  const t0 = Date.now();
  for (;;) {
    if (await check()) return Date.now() - t0;
    if (Date.now() - t0 > ms) return -1;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// on() is a client of server s that carries the session cookie of c.
function on(s, c) {
  const x = new Client(s.base);
  for (const [k, v] of c.cookies) x.cookies.set(k, v);
  x.csrf = c.csrf;
  return x;
}

async function userId(login) {
  const r = await adminA.get(`/api/v1/users?q=${encodeURIComponent(login)}`);
  return r.json.items.find((x) => x.login === login).id;
}

const signIn = (s, login, password = 'demo') =>
  new Client(s.base).json('POST', '/api/v1/session', { login, password }, from());

test('a sign-out on A ends the session on B within the second', { skip }, async () => {
  const c = new Client(a.base);
  assert.equal((await c.apiSignIn('opiekun')).status, 200);
  const onB = on(b, c);
  assert.equal((await onB.get('/api/v1/me')).status, 200); // now in B's cache
  assert.equal((await c.json('DELETE', '/api/v1/session')).status, 204);
  const took = await poll(async () => (await onB.get('/api/v1/me')).status === 401);
  assert.ok(took >= 0, 'the session still works on B after 1.5 s');
});

test('an account locked through failures on A is refused on B', { skip }, async () => {
  for (let i = 0; i < 3; i++) assert.equal((await signIn(a, 'analityk', `zle${i}`)).status, 401);
  const r = await signIn(b, 'analityk');
  assert.equal(r.status, 429);
  assert.match(r.json.message, /Zbyt wiele nieudanych prób/);
});

test('throttling counts across both servers: locked after exactly the limit', { skip }, async () => {
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push((await signIn(i % 2 ? b : a, 'biuro', `zle${i}`)).status);
  assert.deepEqual(codes, [401, 401, 401, 429, 429]);
  // and in parallel, half on each server
  const id = await userId('koordynator');
  assert.equal((await adminA.json('POST', `/api/v1/users/${id}/unlock`)).status, 200);
  const par = await Promise.all(Array.from({ length: 10 }, (_, i) => signIn(i % 2 ? b : a, 'koordynator', `x${i}`)));
  // exactly three are checked and fail; the others are refused: locked (429) when the three
  // had failed already, busy (503) while they were still in flight
  const st = par.map((r) => r.status);
  assert.equal(st.filter((x) => x === 401).length, 3, st.join(' '));
  assert.ok(st.every((x) => x === 401 || x === 429 || x === 503), st.join(' '));
  assert.equal((await signIn(b, 'koordynator')).status, 429);
});

test('a password change on A invalidates the old password on B and the other sessions', { skip }, async () => {
  const c = new Client(a.base);
  assert.equal((await c.apiSignIn('pracownik')).status, 200);
  const other = new Client(b.base);
  assert.equal((await other.json('POST', '/api/v1/session', { login: 'pracownik', password: 'demo' }, from())).status, 200);
  assert.equal((await other.get('/api/v1/me')).status, 200);
  const r = await c.json('POST', '/api/v1/me/password', { current_password: 'demo', new_password: 'inne-haslo-7' });
  assert.equal(r.status, 204);
  assert.equal((await signIn(b, 'pracownik', 'demo')).status, 401);
  assert.equal((await signIn(b, 'pracownik', 'inne-haslo-7')).status, 200);
  const took = await poll(async () => (await other.get('/api/v1/me')).status === 401);
  assert.ok(took >= 0, 'the other session still works on B after 1.5 s');
  assert.equal((await c.get('/api/v1/me')).status, 200, 'the session that changed it stays');
});

test('a role change by the admin on A takes effect on B within the second', { skip }, async () => {
  const c = new Client(b.base);
  assert.equal((await c.json('POST', '/api/v1/session', { login: 'doradca', password: 'demo' }, from())).status, 200);
  assert.deepEqual((await c.get('/api/v1/me')).json.roles, ['labour_adviser']);
  const id = await userId('doradca');
  const u = (await adminA.get(`/api/v1/users/${id}`)).json;
  const put = await adminA.json('PUT', `/api/v1/users/${id}`, { full_name: u.full_name, institution_id: u.institution.id, roles: ['labour_adviser', 'analyst'] });
  assert.equal(put.status, 200);
  const took = await poll(async () => (await c.get('/api/v1/me')).json.roles.includes('analyst'));
  assert.ok(took >= 0, 'B still shows the old roles after 1.5 s');
});

test('a duplicate institution created concurrently on A and B: exactly one succeeds', { skip }, async () => {
  const adminB = new Client(b.base);
  assert.equal((await adminB.apiSignIn('admin')).status, 200);
  const body = { kind: 'ngo', name: 'Stowarzyszenie Równoległe', regon: '123456785', terc: '3050011' };
  const [r1, r2] = await Promise.all([adminA.json('POST', '/api/v1/institutions', body),
    adminB.json('POST', '/api/v1/institutions', body)]);
  const codes = [r1.status, r2.status].sort();
  assert.equal(codes[0], 201);
  assert.ok(codes[1] === 409 || codes[1] === 422, `the second got ${codes[1]}`);
});
