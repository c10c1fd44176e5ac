// policy.test.mjs — reads of personal data go through the access policy:
// a refused read is a 403 with the policy's reason (and tells nothing about
// whether the record exists); one's own account is readable by everyone
// and not audited; every list read, page, API call and export writes
// exactly one audit row naming the ids it showed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, start, Client } from './lib.mjs';

let db, srv, admin, api;
before(async () => {
  db = freshDatabase();
  srv = await start(db);
  admin = new Client(srv.base);
  await admin.signIn('admin');
  api = new Client(srv.base);
  await api.apiSignIn('admin');
});
after(async () => { await srv.stop(); db.cleanup(); });

// audit() is the audit rows with this action, newest first (read by the admin API).
async function audit(action) {
  const r = await api.get(`/api/v1/audit?action=${encodeURIComponent(action)}&limit=1000`);
  assert.equal(r.status, 200);
  return r.json.items.filter((x) => x.action === action);
}

// idsOf() is the ids a list read's audit detail names ("shown=N total=N ids=1,2,3 query=…").
function idsOf(detail) {
  const m = detail.match(/ids=([0-9,]*)/);
  assert.ok(m, `ids in "${detail}"`);
  return m[1] === '' ? [] : m[1].split(',').map(Number);
}

test('someone else\'s account is refused with the policy\'s reason; one\'s own is readable', async () => {
  const me = new Client(srv.base);
  await me.apiSignIn('doradca');
  const mine = (await me.get('/api/v1/me')).json;
  const adminId = (await api.get('/api/v1/me')).json.id;
  let r = await me.get(`/api/v1/users/${adminId}`);
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'own_account_only');
  assert.equal(r.json.message, 'Możesz odczytać tylko własne konto; inne konta odczytują administratorzy.');
  r = await me.get('/api/v1/users/999999');
  assert.equal(r.status, 403, 'a missing account is refused the same way: existence is not told');
  assert.equal(r.json.code, 'own_account_only');
  r = await me.get(`/api/v1/users/${mine.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.login, 'doradca');
  assert.deepEqual(r.json.roles, ['labour_adviser']);
  // an administrator gets 404 for a missing account
  r = await api.get('/api/v1/users/999999');
  assert.equal(r.status, 404);
  assert.equal(r.json.code, 'not_found');
});

test('the HTML page of someone else\'s account stays closed to non-administrators', async () => {
  const c = new Client(srv.base);
  await c.signIn('pracownik');
  const r = await c.get('/admin/users/1');
  assert.equal(r.status, 403);
});

test('reading one\'s own account writes no audit row; reading someone else\'s writes one', async () => {
  const me = new Client(srv.base);
  await me.apiSignIn('analityk');
  const id = (await me.get('/api/v1/me')).json.id;
  const before = (await audit('user.read')).length;
  assert.equal((await me.get('/account')).status, 200);
  assert.equal((await me.get(`/api/v1/users/${id}`)).status, 200);
  assert.equal((await me.get('/api/v1/me')).status, 200);
  assert.equal((await audit('user.read')).length, before, 'own account: nothing recorded');
  assert.equal((await api.get(`/api/v1/users/${id}`)).status, 200);
  const rows = await audit('user.read');
  assert.equal(rows.length, before + 1);
  assert.equal(rows[0].entity, 'user');
  assert.equal(rows[0].entity_id, String(id));
  assert.equal(rows[0].detail, 'analityk');
  assert.equal(rows[0].login, 'admin');
});

test('an API list read writes one audit row naming the ids it returned', async () => {
  const before = (await audit('user.list')).length;
  const r = await api.get('/api/v1/users?limit=3&sort=login');
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 3);
  const rows = await audit('user.list');
  assert.equal(rows.length, before + 1, 'exactly one row for the read');
  assert.deepEqual(idsOf(rows[0].detail), r.json.items.map((x) => x.id));
  assert.match(rows[0].detail, new RegExp(`^shown=3 total=${r.json.total} ids=`));
  assert.match(rows[0].detail, /query=limit=3&sort=login$/);
  assert.equal(rows[0].entity, 'user');
  assert.equal(rows[0].entity_id, null);
});

test('an HTML list page records the ids of the rows on that page', async () => {
  const page = await admin.get('/admin/users?per_page=10&page=1&sort=login');
  assert.equal(page.status, 200);
  const shown = [...page.text.matchAll(/<th scope="row"><a href="\/admin\/users\/(\d+)">/g)].map((m) => Number(m[1]));
  assert.ok(shown.length >= 7);
  const rows = await audit('user.list');
  assert.deepEqual(idsOf(rows[0].detail), shown);
  assert.equal(rows[0].login, 'admin');
});

test('an export\'s audit row names the rows exported', async () => {
  const before = (await audit('user.export')).length;
  const csv = await admin.get('/admin/users?format=csv&role=labour_adviser');
  assert.equal(csv.status, 200);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines.length - 1, 1, 'one labour-office adviser in the demo');
  assert.match(csv.text, /doradca/);
  const want = (await api.get('/api/v1/users?role=labour_adviser')).json.items.map((x) => x.id);
  const rows = await audit('user.export');
  assert.equal(rows.length, before + 1);
  assert.deepEqual(idsOf(rows[0].detail), want);
  assert.match(rows[0].detail, /^shown=1 total=1 /);
  // XLSX too
  const x = await admin.get('/admin/users?format=xlsx');
  assert.equal(x.status, 200);
  const all = (await api.get('/api/v1/users?limit=1000&sort=login')).json;
  const rows2 = await audit('user.export');
  assert.equal(rows2.length, before + 2);
  assert.deepEqual(idsOf(rows2[0].detail).sort((a, b) => a - b), all.items.map((i) => i.id).sort((a, b) => a - b));
});

test('reading and exporting the audit log records the entries shown', async () => {
  let r = await api.get('/api/v1/audit?action=session.login&limit=5');
  assert.equal(r.status, 200);
  const shown = r.json.items.map((x) => x.id);
  let rows = await audit('audit.list');
  // the newest audit.list row is the one for the call above's successor (audit() itself reads
  // the log); find the row whose query is ours
  const ours = rows.find((x) => /query=action=session\.login&limit=5$/.test(x.detail));
  assert.ok(ours);
  assert.deepEqual(idsOf(ours.detail), shown);
  const csv = await admin.get('/admin/audit?format=csv&action=user.create');
  assert.equal(csv.status, 200);
  const created = (await api.get('/api/v1/audit?action=user.create&limit=1000')).json.items.map((x) => x.id);
  rows = await audit('audit.export');
  assert.ok(rows.length >= 1);
  assert.deepEqual(idsOf(rows[0].detail), created);
  assert.equal(rows[0].entity, 'audit');
});

test('the audit log stays closed to non-administrators', async () => {
  const c = new Client(srv.base);
  await c.apiSignIn('koordynator');
  const r = await c.get('/api/v1/audit');
  assert.equal(r.status, 403);
  const p = await c.get('/api/v1/audit?format=csv');
  assert.equal(p.status, 403);
});
