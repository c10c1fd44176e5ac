// signin.test.mjs — signing in and out, on pages and through the API,
// throttling, session expiry and the forced password change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, start, Client } from './lib.mjs';

let db, srv;
before(async () => {
  db = freshDatabase();
  // behind a "proxy" so each test can sign in from its own address
  srv = await start(db, ['--login-max-failures', '3', '--login-max-failures-address', '6',
    '--login-lock', '10m', '--trust-proxy', 'on']);
});
after(async () => { await srv.stop(); db.cleanup(); });

test('sign-in page: success redirects to the start page with a safe session cookie', async () => {
  const c = new Client(srv.base);
  await c.page('/login');
  const r = await c.form('/login', { login: 'pracownik', password: 'demo', next: '/account' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/account');
  const cookie = r.headers.getSetCookie().find((x) => x.startsWith('razem_session='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(cookie, /^razem_session=[A-Za-z0-9_-]{43};/);
  const home = await c.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text, /Paulina Pracownik/);
  assert.match(home.text, /Miejski Ośrodek Pomocy Społecznej w Przykładowie/);
  assert.match(home.text, /Pracownik socjalny/);
});

test('sign-in page: a foreign "next" is ignored', async () => {
  const c = new Client(srv.base);
  await c.page('/login');
  const r = await c.form('/login', { login: 'analityk', password: 'demo', next: '//evil.example/x' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/');
  const t = new Client(srv.base);
  await t.page('/login');
  const r2 = await t.form('/login', { login: 'analityk', password: 'demo', next: '/\t/evil.example' });
  assert.equal(r2.headers.get('location'), '/');
});

test('sign-in page: a wrong password is refused with a message, the login is kept', async () => {
  const c = new Client(srv.base);
  await c.page('/login');
  const r = await c.form('/login', { login: 'opiekun', password: 'wrong' });
  assert.equal(r.status, 401);
  assert.match(r.text, /Nieprawidłowy login lub hasło/);
  assert.match(r.text, /value="opiekun"/);
  assert.ok(!c.cookies.has('razem_session'));
});

test('sign-in page: an empty form is refused', async () => {
  const c = new Client(srv.base);
  await c.page('/login');
  const r = await c.form('/login', { login: '', password: '' });
  assert.equal(r.status, 400);
});

test('sign-in page without the pre-session token is refused (login CSRF)', async () => {
  const c = new Client(srv.base);
  const r = await c.form('/login', { login: 'admin', password: 'demo', _csrf: null });
  assert.equal(r.status, 403);
});

test('API sign-in returns the user and a CSRF token; /me answers; sign-out ends the session', async () => {
  const c = new Client(srv.base);
  const r = await c.apiSignIn('koordynator');
  assert.equal(r.status, 200);
  assert.equal(r.json.user.login, 'koordynator');
  assert.deepEqual(r.json.user.roles, ['coordinator']);
  assert.equal(r.json.user.institution.name, 'Powiatowe Centrum Pomocy Rodzinie w Przykładowie');
  assert.equal(r.json.csrf_token.length, 43);
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.full_name, 'Karol Koordynator');
  const out = await c.json('DELETE', '/api/v1/session');
  assert.equal(out.status, 204);
  assert.equal((await c.get('/api/v1/me')).status, 401);
});

test('API sign-in: wrong password 401, missing field 422 naming it, bad JSON 400, wrong type 415', async () => {
  const c = new Client(srv.base);
  let r = await c.json('POST', '/api/v1/session', { login: 'opiekun', password: 'nope' });
  assert.equal(r.status, 401);
  assert.equal(r.json.code, 'invalid_credentials');
  r = await c.json('POST', '/api/v1/session', { login: 'opiekun' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'password');
  assert.equal(r.json.code, 'required');
  r = await c.json('POST', '/api/v1/session', { login: 'opiekun', password: 'demo', extra: 1 });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'extra');
  r = await c.request('POST', '/api/v1/session', { body: '{"login": "x",', type: 'application/json' });
  assert.equal(r.status, 400);
  assert.equal(r.json.code, 'malformed_json');
  r = await c.request('POST', '/api/v1/session', { body: 'login=admin&password=demo', type: 'application/x-www-form-urlencoded' });
  assert.equal(r.status, 415);
  r = await c.json('POST', '/api/v1/session', { login: 5, password: 'demo' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'login');
});

test('sign-out through the page ends the session and says so', async () => {
  const c = new Client(srv.base);
  await c.signIn('analityk');
  const r = await c.form('/logout');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login');
  const login = await c.get('/login');
  assert.match(login.text, /Wylogowano/);
  assert.equal((await c.get('/')).status, 303);
});

test('an account is locked after repeated failures, from any address', async () => {
  const c = new Client(srv.base);
  for (let i = 0; i < 3; i++) {
    const r = await c.json('POST', '/api/v1/session', { login: 'doradca', password: `bad${i}` }, { 'x-forwarded-for': `10.0.1.${i}` });
    assert.equal(r.status, 401);
  }
  const locked = await c.json('POST', '/api/v1/session', { login: 'doradca', password: 'demo' }, { 'x-forwarded-for': '10.0.1.99' });
  assert.equal(locked.status, 429);
  assert.equal(locked.json.code, 'throttled');
  assert.ok(Number(locked.headers.get('retry-after')) > 0);
  // the page says so too, in Polish
  await c.page('/login');
  const page = await c.form('/login', { login: 'doradca', password: 'demo' });
  assert.equal(page.status, 429);
  assert.match(page.text, /Zbyt wiele nieudanych prób/);
});

test('an address is locked after repeated failures on any accounts', async () => {
  const c = new Client(srv.base);
  const from = { 'x-forwarded-for': '10.0.2.1' };
  const logins = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
  for (const login of logins) {
    const r = await c.json('POST', '/api/v1/session', { login, password: 'x' }, from);
    assert.equal(r.status, 401);
  }
  const locked = await c.json('POST', '/api/v1/session', { login: 'biuro', password: 'demo' }, from);
  assert.equal(locked.status, 429);
  // the same account from another address is fine
  const other = await c.json('POST', '/api/v1/session', { login: 'biuro', password: 'demo' }, { 'x-forwarded-for': '10.0.2.2' });
  assert.equal(other.status, 200);
});

test('the audit log records failed and throttled sign-ins', async () => {
  const a = new Client(srv.base);
  await a.apiSignIn('admin');
  const r = await a.get('/api/v1/audit?login=doradca&limit=50');
  assert.equal(r.status, 200);
  const actions = r.json.items.map((x) => x.action);
  assert.ok(actions.includes('session.login_failed'));
  assert.ok(actions.includes('session.login_throttled'));
});

// The tests below start their own server on a fresh database. On PostgreSQL
// every fresh database is the one shared database reset, so they come last.
test('behind a proxy the address is the entry the proxy appended, not what the client sent', async () => {
  const db2 = freshDatabase();
  const s2 = await start(db2, ['--trust-proxy', 'on']);
  try {
    const c = new Client(s2.base);
    const r = await c.json('POST', '/api/v1/session', { login: 'analityk', password: 'wrong' },
      { 'x-forwarded-for': '10.9.9.7, 192.0.2.10' });
    assert.equal(r.status, 401);
    const a = new Client(s2.base);
    await a.apiSignIn('admin');
    const log = await a.get('/api/v1/audit?action=session.login_failed');
    assert.equal(log.json.items[0].ip, '192.0.2.10');
  } finally {
    await s2.stop();
    db2.cleanup();
  }
});

test('parallel wrong passwords on one account lock it after exactly the allowed number', async () => {
  const db2 = freshDatabase();
  const s2 = await start(db2, ['--login-max-failures', '3']);
  try {
    const tries = Array.from({ length: 10 }, (_, i) =>
      new Client(s2.base).json('POST', '/api/v1/session', { login: 'biuro', password: `zle${i}` }));
    const codes = (await Promise.all(tries)).map((r) => r.status);
    // three are checked and fail; the others are locked (429), or busy (503) while the
    // three were still being checked: never a fourth failure
    assert.equal(codes.filter((x) => x === 401).length, 3, codes.join(' '));
    assert.ok(codes.every((x) => x === 401 || x === 429 || x === 503), codes.join(' '));
    const after = await new Client(s2.base).json('POST', '/api/v1/session', { login: 'biuro', password: 'demo' });
    assert.equal(after.status, 429);
  } finally {
    await s2.stop();
    db2.cleanup();
  }
});

test('a session ends after the idle time', async () => {
  const db2 = freshDatabase();
  // 5 s, not less: on a loaded machine sign-in and the first page take a
  // second or more, and the session must still be alive for them
  const s2 = await start(db2, ['--session-idle', '5s']);
  try {
    const c = new Client(s2.base);
    await c.signIn('pracownik');
    assert.equal((await c.get('/')).status, 200);
    await new Promise((r) => setTimeout(r, 5600));
    const r = await c.get('/');
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location'), /^\/login/);
    const api = await c.get('/api/v1/me');
    assert.equal(api.status, 401);
  } finally {
    await s2.stop();
    db2.cleanup();
  }
});

test('a session ends at its absolute limit however active it is', async () => {
  const db2 = freshDatabase();
  const s2 = await start(db2, ['--session-idle', '1h', '--session-max', '5s']);
  try {
    const c = new Client(s2.base);
    const signedIn = Date.now();
    await c.signIn('pracownik');
    for (let i = 0; i < 4; i++) { // active every 0.5 s, so never idle
      assert.equal((await c.get('/')).status, 200);
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, Math.max(0, signedIn + 5600 - Date.now())));
    const r = await c.get('/');
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location'), /^\/login/);
  } finally {
    await s2.stop();
    db2.cleanup();
  }
});

test('an unknown or forged session cookie is treated as signed out', async () => {
  const c = new Client(srv.base);
  c.cookies.set('razem_session', 'A'.repeat(43));
  const r = await c.get('/');
  assert.equal(r.status, 303);
});
