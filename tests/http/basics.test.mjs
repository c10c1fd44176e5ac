// basics.test.mjs — health, headers, static files, errors, language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, start, Client } from './lib.mjs';

let db, srv;
before(async () => { db = freshDatabase(); srv = await start(db); });
after(async () => { await srv.stop(); db.cleanup(); });

test('GET /healthz answers {"status":"ok"}', async () => {
  const r = await new Client(srv.base).get('/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'ok');
  assert.match(r.headers.get('content-type'), /^application\/json/);
});

test('every response carries the security headers', async () => {
  const r = await new Client(srv.base).get('/login');
  assert.equal(r.status, 200);
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('referrer-policy'), 'same-origin');
  assert.equal(r.headers.get('cache-control'), 'no-store');
});

test('pages are Polish by default and English on request', async () => {
  const c = new Client(srv.base);
  let r = await c.get('/login');
  assert.match(r.text, /<html lang="pl">/);
  assert.match(r.text, /Zaloguj się/);
  r = await c.get('/login', { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
  assert.match(r.text, /<html lang="en">/);
  assert.match(r.text, /<h1>Sign in<\/h1>/);
  r = await c.get('/language?set=en&next=/login');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login');
  r = await c.get('/login');
  assert.match(r.text, /<html lang="en">/);
});

test('the language switch refuses foreign redirect targets', async () => {
  const r = await new Client(srv.base).get('/language?set=pl&next=//evil.example/');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/');
  // browsers drop tabs and newlines and read \ as /: "/\t/evil" would be "//evil"
  for (const next of ['/%09/evil.example', '/%0A/evil.example', '/%5C/evil.example', '/%5Cevil.example']) {
    const x = await new Client(srv.base).get(`/language?set=pl&next=${next}`);
    assert.equal(x.headers.get('location'), '/', next);
  }
  const ok = await new Client(srv.base).get('/language?set=pl&next=/admin/users%3Fq%3Dx');
  assert.equal(ok.headers.get('location'), '/admin/users?q=x');
});

test('the demo database says so on every page', async () => {
  const r = await new Client(srv.base).get('/login');
  assert.match(r.text, /class="demo-band"/);
});

test('static assets are served from memory with long caching and ETag', async () => {
  const c = new Client(srv.base);
  const page = await c.get('/login');
  const href = page.text.match(/href="(\/static\/style\.css\?v=[0-9a-f]+)"/)[1];
  const r = await c.get(href);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/css/);
  assert.match(r.headers.get('cache-control'), /immutable/);
  const etag = r.headers.get('etag');
  assert.ok(etag);
  const again = await c.get(href, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal((await c.get('/static/nope.css')).status, 404);
});

test('responses are gzip-compressed when the client accepts it', async () => {
  const res = await fetch(srv.base + '/login', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(res.headers.get('content-encoding'), 'gzip');
  assert.match(await res.text(), /Zaloguj/);
});

test('unknown pages answer 404 in HTML, unknown API paths in JSON', async () => {
  const c = new Client(srv.base);
  let r = await c.get('/no/such/page');
  assert.equal(r.status, 404);
  assert.match(r.text, /<h1>/);
  r = await c.get('/api/v1/nothing');
  assert.equal(r.status, 404);
  assert.equal(r.json.code, 'not_found');
});

test('a known path with the wrong method answers 405', async () => {
  const r = await new Client(srv.base).request('DELETE', '/login');
  assert.equal(r.status, 405);
});

test('HEAD is answered like GET without a body', async () => {
  const res = await fetch(srv.base + '/login', { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), '');
});

test('signed-out visitors are sent to the sign-in page with the way back', async () => {
  const r = await new Client(srv.base).get('/admin/users?active=1');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login?next=%2Fadmin%2Fusers%3Factive%3D1');
});

test('signed-out API calls answer 401 with a JSON error', async () => {
  const r = await new Client(srv.base).get('/api/v1/me');
  assert.equal(r.status, 401);
  assert.equal(r.json.code, 'unauthenticated');
  assert.ok(r.json.message);
});
