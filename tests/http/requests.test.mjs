// requests.test.mjs — the request pipeline: typed route parameters, body
// limits per route (checked before anything is decoded), translated JSON
// parse errors, the client address behind a proxy (last X-Forwarded-For
// line), and log lines that request text cannot break.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { freshDatabase, start, Client, raw, statusOf } from './lib.mjs';

let db, srv, accessLog;
before(async () => {
  db = freshDatabase();
  accessLog = path.join(db.dir, 'access.log');
  srv = await start(db, ['--trust-proxy', 'on', '--access-log', accessLog, '--login-max-failures', '1']);
});
after(async () => {
  const code = await srv.stop();
  db.cleanup();
  assert.equal(code, 0, `clean shutdown, log:\n${srv.log.text}`);
});

const MB = 1024 * 1024;

test('a 1 MB JSON body to POST /api/v1/session answers 413 too_large, before it is parsed', async () => {
  const c = new Client(srv.base);
  // not even valid JSON: a parse would answer 400, the limit answers first
  const r = await c.request('POST', '/api/v1/session', { body: '{' + ' '.repeat(MB), type: 'application/json' });
  assert.equal(r.status, 413);
  assert.equal(r.json.code, 'too_large');
  assert.equal(r.json.message, 'Przesłane dane są większe, niż przyjmuje ten adres (najwyżej 64 KiB).');
});

test('a 1 MB form to /login answers 413 with the error page; a normal form still works', async () => {
  const c = new Client(srv.base);
  await c.page('/login');
  let r = await c.form('/login', { login: 'admin', password: 'demo', pad: 'x'.repeat(MB) });
  assert.equal(r.status, 413);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.ok(r.text.includes('Za duże żądanie'), r.text.slice(0, 300));
  r = await c.form('/login', { login: 'admin', password: 'demo', next: '/' });
  assert.equal(r.status, 303);
  assert.equal((await c.get('/')).status, 200);
});

test('a body just under the form limit is read; one byte over is refused', async () => {
  const c = new Client(srv.base);
  const base = JSON.stringify({ login: 'nikt', password: 'x' });
  const pad = (n) => base.slice(0, -1) + ' '.repeat(n - base.length) + '}';
  let r = await c.request('POST', '/api/v1/session', { body: pad(64 * 1024), type: 'application/json' });
  assert.equal(r.status, 401);
  r = await c.request('POST', '/api/v1/session', { body: pad(64 * 1024 + 1), type: 'application/json' });
  assert.equal(r.status, 413);
});

test('malformed JSON gets a wholly Polish message with line and column; the parser text is under detail', async () => {
  const c = new Client(srv.base);
  let r = await c.request('POST', '/api/v1/session', { body: '{\n  "login": "a",\n  "password": x\n}', type: 'application/json' });
  assert.equal(r.status, 400);
  assert.equal(r.json.code, 'malformed_json');
  assert.equal(r.json.message, 'Nieprawidłowy JSON w wierszu 3, kolumnie 15: nieoczekiwany znak lub słowo.');
  assert.equal(r.json.line, 3);
  assert.equal(r.json.column, 15);
  assert.match(r.json.detail, /invalid token/);
  r = await c.request('POST', '/api/v1/session', { body: '{"login": "a"', type: 'application/json' });
  assert.match(r.json.message, /^Nieprawidłowy JSON w wierszu 1, kolumnie \d+: dane kończą się za wcześnie/);
  r = await c.request('POST', '/api/v1/session', { body: '[1]', type: 'application/json' });
  assert.equal(r.json.message, 'Nieprawidłowy JSON: oczekiwano obiektu JSON {...} na najwyższym poziomie.');
  r = await c.request('POST', '/api/v1/session', { body: '{"a":1,"a":2}', type: 'application/json' });
  assert.match(r.json.message, /nazwa pola się powtarza/);
  r = await c.request('POST', '/api/v1/session', { body: '{"a":"\\u0000"}', type: 'application/json' });
  assert.match(r.json.message, /znak NUL/);
  for (const m of [r.json.message]) assert.ok(!/[A-Za-z]+ [a-z]+ expected|near/.test(m), m);
  r = await c.request('POST', '/api/v1/session', { body: '{"login":"x","password":"y"}', type: 'application/json' });
  assert.equal(r.status, 401, 'a well-formed body is read');
});

test('typed path parameters: ids without leading zeros, anything else is not found', async () => {
  const c = new Client(srv.base);
  await c.signIn('admin');
  assert.equal((await c.get('/admin/users/1')).status, 200);
  assert.equal((await c.get('/admin/users/01')).status, 404);
  assert.equal((await c.get('/admin/users/1x')).status, 404);
  assert.equal((await c.request('DELETE', '/admin/users/1')).status, 405);
});

// node:http keeps repeated header lines apart when given a flat array of raw headers
function getWithHeaders(path, rawHeaders) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: srv.port, method: 'POST', path, headers: rawHeaders }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ login: 'proxy-one', password: 'x' }));
  });
}

test('behind a proxy the address is the last entry of the LAST X-Forwarded-For line', async () => {
  const r = await getWithHeaders('/api/v1/session', [
    'Content-Type', 'application/json',
    'X-Forwarded-For', '198.51.100.1, 198.51.100.2', // sent by the client
    'X-Forwarded-For', '203.0.113.9, 192.0.2.44',    // appended by our proxy
  ]);
  assert.equal(r.status, 401);
  const a = new Client(srv.base);
  await a.apiSignIn('admin');
  const log = await a.get('/api/v1/audit?action=session.login_failed');
  const rows = log.json.items.filter((i) => i.ip === '192.0.2.44' || i.ip?.startsWith('198.51.100.') || i.ip === '203.0.113.9');
  assert.ok(rows.length >= 1, JSON.stringify(log.json.items.slice(0, 3)));
  assert.equal(rows[0].ip, '192.0.2.44');
});

test('an X-Forwarded-For entry that is not an address falls back to the peer address', async () => {
  const body = JSON.stringify({ login: 'proxy-two', password: 'x' });
  const out = await raw(srv.port, 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    `X-Forwarded-For: 1.2.3.4, evil"host\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
  assert.equal(statusOf(out), 401);
  const a = new Client(srv.base);
  await a.apiSignIn('admin');
  const log = await a.get('/api/v1/audit?action=session.login_failed');
  assert.equal(log.json.items[0].ip, '127.0.0.1');
});

test('request text cannot forge log lines: an encoded newline in the path, quotes in a user agent, a newline in a login', async () => {
  // raw control bytes in a header are refused by the HTTP parser itself
  let out = await raw(srv.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nUser-Agent: a\x1bb\r\nConnection: close\r\n\r\n');
  assert.equal(statusOf(out), 400);
  const before = srv.log.text.split('\n').length;
  const accessBefore = readFileSync(accessLog, 'latin1').split('\n').length;
  out = await raw(srv.port, 'GET /healthz/%0a2026-01-01T00:00:00Z%20forged HTTP/1.1\r\nHost: x\r\n' +
    'User-Agent: evil" 200 0 "forged\u00e9\r\nConnection: close\r\n\r\n');
  assert.equal(statusOf(out), 404);
  const c = new Client(srv.base);
  const forged = 'eve\n2026-01-01T00:00:00Z razem[info] forged line';
  // a login with control characters is refused as a wrong login before anything logs it
  for (const password of ['a', 'b']) {
    const r = await c.json('POST', '/api/v1/session', { login: forged, password });
    assert.equal(r.status, 401);
  }
  await new Promise((r) => setTimeout(r, 300));
  const lines = srv.log.text.split('\n').slice(before - 1);
  const access = readFileSync(accessLog, 'latin1').split('\n').slice(accessBefore - 1);
  const ua = access.filter((l) => l.includes('evil'));
  assert.equal(ua.length, 1, access.join('\n'));
  assert.equal(access.filter((l) => l.startsWith('2026-01-01')).length, 0);
  assert.ok(ua[0].includes('/healthz/%0a2026-01-01T00:00:00Z%20forged'), ua[0]);
  assert.ok(ua[0].includes('evil\\x22 200 0 \\x22forged'), JSON.stringify(ua[0]));
  assert.equal(lines.filter((l) => l.includes('forged line')).length, 0, lines.join('\n'));
  assert.equal(lines.filter((l) => l.startsWith('2026-01-01T00:00:00Z')).length, 0);
});

test('a body over every limit is refused by the HTTP layer, still in razem\'s shape', async () => {
  const db2 = freshDatabase();
  const s2 = await start(db2, ['--max-form-body', '4096', '--max-upload-body', '4096']);
  try {
    const big = 'x'.repeat(100 * 1024);
    let out = await raw(s2.port, 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${big.length}\r\n\r\n${big}`);
    assert.equal(statusOf(out), 413, out.slice(0, 200));
    const body = JSON.parse(Buffer.from(out.slice(out.indexOf('\r\n\r\n') + 4), 'latin1').toString('utf8'));
    assert.equal(body.code, 'too_large');
    assert.equal(body.message, 'Przesłane dane są większe, niż przyjmuje ten adres (najwyżej 4 KiB).');
    out = await raw(s2.port, 'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
      `Content-Length: ${big.length}\r\n\r\n${big}`);
    assert.equal(statusOf(out), 413);
    assert.match(out, /content-type: text\/html/i);
    assert.ok(Buffer.from(out, 'latin1').toString('utf8').includes('Za duże żądanie'));
    // the internal path of that answer is not a page of its own
    assert.equal((await new Client(s2.base).get('/.razem/too-large')).status, 404);
    assert.equal((await new Client(s2.base).get('/healthz')).status, 200);
  } finally {
    await s2.stop();
    db2.cleanup();
  }
});

test('the access log is written in batches and nothing is lost: every request is there after shutdown', async () => {
  const file = path.join(db.dir, 'batched.log');
  const s = await start(db, ['--access-log', file]);
  const paths = [];
  for (let i = 0; i < 40; i++) {
    const p = `/healthz?n=${i}`;
    paths.push(p);
    assert.equal((await fetch(s.base + p)).status, 200);
  }
  assert.equal(await s.stop(), 0);
  const lines = readFileSync(file, 'latin1').split('\n').filter((l) => l.includes('/healthz?n='));
  assert.equal(lines.length, 40, 'one line per request');
  for (const p of paths) assert.ok(lines.some((l) => l.includes(`"GET ${p} HTTP/1.1" 200`)), p);
  assert.ok(lines.every((l) => /^127\.0\.0\.1 - - \[/.test(l)), lines[0]);
});

test('media types are matched whole and without regard to case', async () => {
  const send = (type) => fetch(srv.base + '/api/v1/session', {
    method: 'POST', headers: { 'content-type': type }, body: JSON.stringify({ login: 'nobody', password: 'x' }),
  });
  // read as a sign-in (refused: no such account, or throttled by this file's strict limit)
  assert.ok([401, 429].includes((await send('APPLICATION/JSON; charset=UTF-8')).status), 'JSON in capitals is JSON');
  assert.ok([401, 429].includes((await send('application/json ;charset=utf-8')).status));
  assert.equal((await send('application/jsonx')).status, 415, 'another type is not JSON');
  assert.equal((await send('application/json-seq')).status, 415);
});
