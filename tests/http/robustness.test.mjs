// robustness.test.mjs — malformed and oversized requests get a clear 4xx
// and the server stays up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, start, Client, raw, statusOf } from './lib.mjs';

let db, srv, admin;
before(async () => {
  db = freshDatabase();
  srv = await start(db, ['--max-form-body', '4096', '--max-fields', '20']);
  admin = new Client(srv.base);
  await admin.signIn('admin');
});
after(async () => {
  const code = await srv.stop();
  db.cleanup();
  assert.equal(code, 0, `clean shutdown, log:\n${srv.log.text}`);
});

async function stillUp() {
  const r = await new Client(srv.base).get('/healthz');
  assert.equal(r.status, 200);
}

test('a form over max_form_body answers 413', async () => {
  const r = await admin.form('/admin/institutions/new', { kind: 'ngo', name: 'x'.repeat(8000) });
  assert.equal(r.status, 413);
  await stillUp();
});

test('too many form fields answer 413', async () => {
  const fields = { kind: 'ngo', name: 'Pola' };
  for (let i = 0; i < 30; i++) fields[`f${i}`] = 'x';
  const r = await admin.form('/admin/institutions/new', fields);
  assert.equal(r.status, 413);
});

test('a malformed form body answers 400', async () => {
  const r = await admin.request('POST', '/admin/institutions/new', { body: `_csrf=${admin.formToken}&name=%zz`, type: 'application/x-www-form-urlencoded' });
  assert.equal(r.status, 400);
  await stillUp();
});

test('invalid UTF-8 in a form answers 400', async () => {
  const r = await admin.request('POST', '/admin/institutions/new', { body: `_csrf=${admin.formToken}&kind=ngo&name=%C3%28`, type: 'application/x-www-form-urlencoded' });
  assert.equal(r.status, 400);
});

test('a malformed query string answers 400; a huge one 414', async () => {
  let r = await admin.get('/admin/institutions?q=%E2%82');
  assert.equal(r.status, 400);
  const many = Array.from({ length: 30 }, (_, i) => `k${i}=1`).join('&');
  r = await admin.get(`/admin/institutions?${many}`);
  assert.equal(r.status, 414);
});

test('JSON: malformed, not an object, too deep, NUL character — all 400, never a crash', async () => {
  const api = new Client(srv.base);
  for (const body of ['{', '[1,2]', '"x"', '{"a":' + '['.repeat(100) + ']'.repeat(100) + '}',
    '{"login":"a\\u0000b","password":"x"}', '{"a":1,"a":2}', '\u00ff\u00fe']) {
    const r = await api.request('POST', '/api/v1/session', { body, type: 'application/json' });
    assert.equal(r.status, 400, body.slice(0, 20));
    assert.equal(r.json.code, 'malformed_json');
  }
  await stillUp();
});

test('garbage on the wire answers 400 and the server stays up', async () => {
  let out = await raw(srv.port, 'THIS IS NOT HTTP\r\n\r\n');
  assert.equal(statusOf(out), 400);
  out = await raw(srv.port, 'GET /login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
  assert.ok([400, 0].includes(statusOf(out)));
  out = await raw(srv.port, 'GET /\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.ok([400, 404].includes(statusOf(out)));
  out = await raw(srv.port, 'GET / HTTP/1.1\r\nHost: x\r\n' + 'X-Long: ' + 'a'.repeat(600000) + '\r\n\r\n');
  assert.ok(statusOf(out) === 0 || statusOf(out) >= 400, 'huge header refused or connection closed');
  await stillUp();
});

test('a half-sent request does not stop others from being served', async () => {
  const pending = raw(srv.port, 'POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc', 500);
  await stillUp();
  await pending;
});

test('unsupported body type answers 415', async () => {
  const r = await admin.request('POST', '/admin/institutions/new', { body: '<x/>', type: 'application/xml' });
  assert.equal(r.status, 415);
});

test('path ids out of range are not found, not errors', async () => {
  assert.equal((await admin.get('/admin/users/0')).status, 404);
  assert.equal((await admin.get('/admin/users/99999999999999999999')).status, 404);
  assert.equal((await admin.get('/admin/users/123456789')).status, 404);
});

test('script in input is shown as text, never run', async () => {
  const api = new Client(srv.base);
  await api.apiSignIn('admin');
  const r = await api.json('POST', '/api/v1/institutions', { kind: 'ngo', name: '<script>alert(1)</script>' });
  assert.equal(r.status, 201);
  const page = await admin.get(`/admin/institutions/${r.json.id}`);
  assert.ok(!page.text.includes('<script>alert(1)</script>'));
  assert.ok(page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test('SIGTERM lets a request in flight finish, then the server exits cleanly', async () => {
  const own = await start(db);
  const net = await import('node:net');
  const body = JSON.stringify({ login: 'admin', password: 'demo' });
  const sock = net.connect(own.port, '127.0.0.1');
  let reply = '';
  sock.on('data', (d) => { reply += d.toString('latin1'); });
  await new Promise((r) => sock.on('connect', r));
  // headers and half of the body, then the signal, then the rest
  sock.write(`POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
  await new Promise((r) => setTimeout(r, 200));
  const exited = own.stop();
  await new Promise((r) => setTimeout(r, 300));
  sock.write(body.slice(10));
  const code = await exited;
  await new Promise((r) => setTimeout(r, 50));
  sock.destroy();
  assert.equal(statusOf(reply), 200, `the request in flight was answered:\n${reply}`);
  assert.equal(code, 0, own.log.text);
  await stillUp(); // the suite's own server is untouched
});

test('a path that is no text (bad UTF-8, an encoded NUL) is refused with 400, and the server stays up', async () => {
  for (const p of ['/%ff', '/%c3', '/static/style.css%00.png', '/admin/users/1%00', '/login%00']) {
    const r = await fetch(srv.base + p);
    assert.equal(r.status, 400, p);
    assert.match(await r.text(), /Nie udało się odczytać adresu lub żądania/, p);
  }
  for (const p of ['/api/v1/%c3', '/api/v1/users/%00']) {
    const r = await fetch(srv.base + p);
    assert.equal(r.status, 400, p);
    assert.equal((await r.json()).code, 'bad_request', p);
  }
  assert.equal((await fetch(srv.base + '/healthz')).status, 200);
});

test('a name with invisible direction controls is refused, naming the field', async () => {
  const api = new Client(srv.base);
  await api.apiSignIn('admin');
  const r = await api.json('POST', '/api/v1/institutions', { kind: 'ngo', name: 'Fundacja \u202eAJCADNUF' });
  assert.equal(r.status, 422);
  const e = r.json.errors.find((x) => x.field === 'name');
  assert.ok(e, JSON.stringify(r.json));
  assert.match(e.message, /niewidoczne znaki sterujące/);
});
