// access.test.mjs — CSRF on every state change, roles on every admin page
// and call, a start page for every role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, start, Client } from './lib.mjs';

let db, srv;
before(async () => { db = freshDatabase(); srv = await start(db); });
after(async () => { await srv.stop(); db.cleanup(); });

const roles = [
  ['admin', 'Administrator', 'Starostwo Powiatowe w Przykładowie'],
  ['pracownik', 'Pracownik socjalny', 'Miejski Ośrodek Pomocy Społecznej w Przykładowie'],
  ['doradca', 'Doradca urzędu pracy', 'Powiatowy Urząd Pracy w Przykładowie'],
  ['opiekun', 'Opiekun rodziny (MGI)', 'Powiatowe Centrum Pomocy Rodzinie w Przykładowie'],
  ['koordynator', 'Koordynator (PZKW)', 'Powiatowe Centrum Pomocy Rodzinie w Przykładowie'],
  ['analityk', 'Analityk', 'Powiatowe Centrum Pomocy Rodzinie w Przykładowie'],
  ['biuro', 'Biuro projektu', 'Powiatowe Centrum Pomocy Rodzinie w Przykładowie'],
];

for (const [login, role, inst] of roles) {
  test(`${login} signs in and sees a start page with the role and institution`, async () => {
    const c = new Client(srv.base);
    await c.signIn(login);
    const r = await c.get('/');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(role), `role label "${role}" on the start page`);
    assert.ok(r.text.includes(inst), 'institution on the start page');
    assert.equal((r.text.match(/<h1>/g) || []).length, 1, 'exactly one h1');
    const hasAdminNav = r.text.includes('href="/admin/users"');
    assert.equal(hasAdminNav, login === 'admin', 'admin menu only for admins');
  });
}

test('non-admins get 403 with an explanation on admin pages and API calls', async () => {
  const c = new Client(srv.base);
  await c.signIn('doradca');
  for (const p of ['/admin/users', '/admin/institutions', '/admin/audit', '/admin/users/1',
    '/admin/institutions/new']) {
    const r = await c.get(p);
    assert.equal(r.status, 403, p);
    assert.match(r.text, /Administrator/, 'names the role that would allow it');
  }
  await c.apiSignIn('doradca');
  for (const p of ['/api/v1/users', '/api/v1/institutions', '/api/v1/audit']) {
    const r = await c.get(p);
    assert.equal(r.status, 403, p);
    assert.equal(r.json.code, 'forbidden');
  }
  const r = await c.json('POST', '/api/v1/institutions', { kind: 'ngo', name: 'X' });
  assert.equal(r.status, 403);
});

test('a form post without the CSRF token is refused and changes nothing', async () => {
  const c = new Client(srv.base);
  await c.signIn('admin');
  const r = await c.form('/admin/institutions/new', { _csrf: null, kind: 'ngo', name: 'Fundacja Bez Tokenu' });
  assert.equal(r.status, 403);
  assert.match(r.text, /token/i);
  const list = await c.get('/admin/institutions?q=bez+tokenu');
  assert.doesNotMatch(list.text, /Fundacja Bez Tokenu/);
});

test('a CSRF token of another session is refused', async () => {
  const a = new Client(srv.base);
  const b = new Client(srv.base);
  await a.signIn('admin');
  await b.signIn('admin');
  const r = await a.form('/admin/institutions/new', { _csrf: b.formToken, kind: 'ngo', name: 'Obcy token' });
  assert.equal(r.status, 403);
});

test('sign-out without the token is refused', async () => {
  const c = new Client(srv.base);
  await c.signIn('analityk');
  const r = await c.form('/logout', { _csrf: 'x'.repeat(43) });
  assert.equal(r.status, 403);
  assert.equal((await c.get('/')).status, 200);
});

test('API state changes need the X-CSRF-Token header', async () => {
  const c = new Client(srv.base);
  await c.apiSignIn('admin');
  let r = await c.json('POST', '/api/v1/institutions', { kind: 'ngo', name: 'Bez nagłówka' }, { 'x-csrf-token': null });
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'csrf');
  r = await c.json('POST', '/api/v1/institutions', { kind: 'ngo', name: 'Z nagłówkiem' });
  assert.equal(r.status, 201);
});
