// locks.test.mjs — address locks: too many failures from one address lock
// everyone behind it; the admin's start page counts them, /admin/locks lists
// and lifts them (POST + CSRF, audited throttle.unlock_address), and so do
// the API (/api/v1/locks) and `razem unlock-address`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { freshDatabase, start, Client, BIN } from './lib.mjs';

let db, srv, admin, api;

before(async () => {
  db = freshDatabase();
  srv = await start(db, ['--login-max-failures', '10', '--login-max-failures-address', '3',
    '--login-lock', '10m', '--trust-proxy', 'on']);
  admin = new Client(srv.base);
  await admin.signIn('admin');
  api = new Client(srv.base);
  await api.apiSignIn('admin');
});
after(async () => { await srv.stop(); db.cleanup(); });

const at = (ip) => ({ 'x-forwarded-for': ip });
const signIn = (login, password, ip) =>
  new Client(srv.base).json('POST', '/api/v1/session', { login, password }, at(ip));

// lockAddress() makes three failures from ip, with three different logins, and checks the lock.
async function lockAddress(ip) {
  for (const login of ['nikt1', 'nikt2', 'nikt3']) assert.equal((await signIn(login, 'zle', ip)).status, 401);
  assert.equal((await signIn('opiekun', 'demo', ip)).status, 429, 'a right password from there is refused too');
}

test('the start page counts locked addresses; the page lists one and unlocks it', async () => {
  await lockAddress('10.9.0.1');
  const home = await admin.page('/');
  assert.match(home.text, /<a href="\/admin\/locks"><strong>1<\/strong> adres IP z zablokowanym logowaniem/);
  assert.match(home.text, /<li class="warn"><a href="\/admin\/locks">/, "the warning class is markup, not escaped text");
  const page = await admin.page('/admin/locks');
  assert.equal(page.status, 200);
  assert.match(page.text, /<th scope="row" class="nowrap">10\.9\.0\.1<\/th><td class="num">3<\/td>/);
  assert.match(page.text, /name="address" value="10\.9\.0\.1"/);
  assert.match(page.text, /Odblokuj/);
  // without the CSRF token: refused, still locked
  assert.equal((await admin.form('/admin/locks/unlock', { address: '10.9.0.1', _csrf: null })).status, 403);
  assert.equal((await signIn('opiekun', 'demo', '10.9.0.1')).status, 429);
  const r = await admin.form('/admin/locks/unlock', { address: '10.9.0.1' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/admin/locks');
  const afterPage = await admin.page('/admin/locks');
  assert.match(afterPage.text, /Odblokowano logowanie z adresu 10\.9\.0\.1\./);
  assert.match(afterPage.text, /Żaden adres nie jest zablokowany\./);
  assert.equal((await signIn('opiekun', 'demo', '10.9.0.1')).status, 200);
  const audit = await api.get('/api/v1/audit?action=throttle.unlock_address&limit=10');
  assert.ok(audit.json.items.some((x) => x.login === 'admin' && x.entity_id === '10.9.0.1'), JSON.stringify(audit.json.items));
  // an address not locked: said so, nothing audited
  const again = await admin.form('/admin/locks/unlock', { address: '10.9.0.1' });
  assert.equal(again.status, 303);
  assert.match((await admin.page('/admin/locks')).text, /Ten adres nie był \(już\) zablokowany\./);
});

test('the API lists address locks and unlocks one; only administrators', async () => {
  await lockAddress('10.9.0.2');
  const list = await api.get('/api/v1/locks');
  assert.equal(list.status, 200);
  const item = list.json.items.find((x) => x.address === '10.9.0.2');
  assert.ok(item, JSON.stringify(list.json));
  assert.equal(item.failures, 3);
  assert.match(item.locked_until, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const other = new Client(srv.base);
  await other.apiSignIn('opiekun');
  assert.equal((await other.get('/api/v1/locks')).status, 403);
  assert.equal((await other.json('POST', '/api/v1/locks/unlock', { address: '10.9.0.2' })).status, 403);
  assert.equal((await api.json('POST', '/api/v1/locks/unlock', {})).status, 422);
  const r = await api.json('POST', '/api/v1/locks/unlock', { address: '10.9.0.2' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { address: '10.9.0.2', locked: false });
  const none = await api.json('POST', '/api/v1/locks/unlock', { address: '10.9.0.2' });
  assert.equal(none.status, 404);
  assert.equal(none.json.code, 'not_locked');
  assert.equal((await api.get('/api/v1/locks')).json.items.length, 0);
  assert.equal((await signIn('opiekun', 'demo', '10.9.0.2')).status, 200);
});

test('razem unlock-address ADDRESS lifts the lock, audited as (cli:USER)', async () => {
  await lockAddress('10.9.0.3');
  let r = spawnSync(BIN, ['unlock-address', '10.9.0.3', '--db', db.url], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'Sign-in from address 10.9.0.3 is unlocked; its failed attempts are forgotten.\n');
  assert.equal((await signIn('opiekun', 'demo', '10.9.0.3')).status, 200);
  const audit = await api.get('/api/v1/audit?action=throttle.unlock_address&limit=10');
  assert.ok(audit.json.items.some((x) => /^\(cli:.+\)$/.test(x.login) && x.entity_id === '10.9.0.3'));
  r = spawnSync(BIN, ['unlock-address', '10.9.0.3', '--db', db.url], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^razem unlock-address: sign-in from address 10\.9\.0\.3 is not locked; nothing was changed\n/);
  r = spawnSync(BIN, ['unlock-address', '--db', db.url], { encoding: 'utf8' });
  assert.equal(r.status, 2);
});
