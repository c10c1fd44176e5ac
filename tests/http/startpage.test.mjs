// startpage.test.mjs — the start page's cards come from per-worker caches
// (session_cache.h): an institution's card shared by its staff, the
// sign-in history kept with the session. A change made on this server
// shows at once; the history is the session's own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, start, Client } from './lib.mjs';

let db, srv;
before(async () => {
  db = freshDatabase();
  srv = await start(db);
});
after(async () => { await srv.stop(); db.cleanup(); });

test('an institution changed by an administrator shows on its staff\'s start pages at once', async () => {
  const a = new Client(srv.base), b = new Client(srv.base), admin = new Client(srv.base);
  await a.signIn('opiekun');
  await b.signIn('koordynator');
  await admin.apiSignIn('admin');
  // both pages, several times, so each worker has the card cached
  for (let i = 0; i < 6; i++) {
    for (const c of [a, b]) {
      const r = await c.get('/');
      assert.equal(r.status, 200);
      assert.match(r.text, /Twoja instytucja/);
      assert.ok(r.text.includes('Powiatowe Centrum Pomocy Rodzinie'), 'the card names PCPR');
    }
  }
  const list = await admin.get('/api/v1/institutions?limit=100');
  const pcpr = list.json.items.find((x) => x.name.startsWith('Powiatowe Centrum Pomocy Rodzinie'));
  assert.ok(pcpr, 'PCPR listed');
  const got = await admin.get(`/api/v1/institutions/${pcpr.id}`);
  const body = { ...got.json, phone: '+48 11 999 88 77' };
  for (const k of ['id', 'created_at', 'updated_at', 'terc_name']) delete body[k];
  const put = await admin.json('PUT', `/api/v1/institutions/${pcpr.id}`, body);
  assert.equal(put.status, 200, put.text);
  for (let i = 0; i < 6; i++) {
    for (const c of [a, b]) {
      const r = await c.get('/');
      assert.equal(r.status, 200);
      assert.ok(r.text.includes('+48 11 999 88 77'), 'the new phone at once');
      assert.ok(!r.text.includes(got.json.phone), 'the old phone gone');
    }
  }
});

test('each session shows its own previous sign-in, the same on every reload', async () => {
  const first = new Client(srv.base), second = new Client(srv.base);
  await first.signIn('biuro');
  await second.signIn('biuro');
  for (let i = 0; i < 6; i++) {
    const r1 = await first.get('/'), r2 = await second.get('/');
    assert.equal(r1.status, 200);
    assert.match(r1.text, /To Twoje pierwsze logowanie\./);
    assert.doesNotMatch(r1.text, /Poprzednie logowanie/);
    assert.match(r2.text, /Poprzednie logowanie: .* z adresu 127\.0\.0\.1\./);
    assert.doesNotMatch(r2.text, /To Twoje pierwsze logowanie/);
  }
});
