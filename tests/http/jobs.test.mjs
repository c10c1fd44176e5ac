// jobs.test.mjs — background jobs: a list export above export_inline_rows
// becomes a job (page: 303 to the job; API: 202 with its URL); the job page
// works without JavaScript (meta refresh, <progress>, a cancel form), the
// download holds exactly the list's rows and columns and is streamed from
// the job's file; another user gets 404; cancelling works; exports at or
// below the threshold stay immediate.
//
// Two servers share the database: `idle` runs no job threads (so its jobs
// stay queued and can be looked at and cancelled), `busy` runs them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freshDatabase, start, Client, BIN } from './lib.mjs';

let db, idle, busy, admin, api, other, flags;

before(async () => {
  db = freshDatabase();
  flags = ['--export-inline-rows', '5', '--job-dir', `${db.dir}/jobs`];
  idle = await start(db, [...flags, '--job-workers', '0']);
  admin = new Client(idle.base);
  await admin.signIn('admin');
  api = new Client(idle.base);
  await api.apiSignIn('admin');
  other = new Client(idle.base);
  await other.signIn('pracownik');
});
after(async () => {
  await idle.stop();
  if (busy) await busy.stop();
  db.cleanup();
});

// waitDone() polls the job through the API of base until it has ended.
async function waitDone(client, base, id) {
  const c = new Client(base);
  c.cookies = client.cookies;
  for (let i = 0; i < 200; i++) {
    const r = await c.get(`/api/v1/jobs/${id}`);
    assert.equal(r.status, 200);
    if (['done', 'failed', 'cancelled'].includes(r.json.state)) return r.json;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`job ${id} did not end`);
}

// (fetch's text() drops the byte-order mark; the bytes are checked where it matters)
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') { row.push(field); field = ''; }
    else if (c === '\r' && s[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

let pageJob, apiJob, usersJob;

test('an export over export_inline_rows becomes a job; its page works without JavaScript', async () => {
  const r = await admin.get('/admin/institutions?format=csv&sort=city&dir=desc&active=1');
  assert.equal(r.status, 303);
  const loc = r.headers.get('location');
  assert.match(loc, /^\/jobs\/\d+$/);
  pageJob = Number(loc.split('/')[2]);
  const page = await admin.get(loc);
  assert.equal(page.status, 200);
  assert.match(page.text, /Lista jest długa: eksport trwa w tle/, 'the flash says why');
  assert.match(page.text, /<head>.*<noscript><meta http-equiv="refresh" content="2"><\/noscript>.*<\/head>/s,
    'reloads itself without JS (and only without)');
  assert.match(page.text, /<progress id="job-bar">/);
  assert.match(page.text, /W kolejce/);
  assert.match(page.text, /<form method="post" action="\/jobs\/\d+\/cancel"/, 'a cancel button');
  assert.match(page.text, /<script src="\/static\/jobs\.js\?v=[0-9a-f]+" defer><\/script>/);
  assert.doesNotMatch(page.text, /<script>/, 'no inline script');
  const js = await admin.get(page.text.match(/src="(\/static\/jobs\.js[^"]*)"/)[1]);
  assert.equal(js.status, 200);
  assert.match(js.text, /\/api\/v1\/jobs\//);
  // the job row keeps the query, not the page
  const api1 = await admin.get(`/api/v1/jobs/${pageJob}`);
  assert.equal(api1.json.state, 'queued');
  assert.equal(api1.json.kind, 'export');
});

test('the API answers 202 with the job URL; small exports stay immediate', async () => {
  const r = await api.get('/api/v1/users?format=csv');
  assert.equal(r.status, 202);
  assert.match(r.headers.get('location'), /^\/api\/v1\/jobs\/\d+$/);
  assert.equal(r.json.state, 'queued');
  assert.equal(r.json.url, r.headers.get('location'));
  usersJob = r.json.id;
  const x = await api.get('/api/v1/institutions?format=xlsx&kind=ops');
  assert.equal(x.status, 202);
  apiJob = x.json.id;
  // five rows or fewer: the file at once
  const small = await admin.get('/admin/institutions?format=csv&kind=pup');
  assert.equal(small.status, 200);
  assert.match(small.headers.get('content-type'), /^text\/csv/);
});

test('another user gets 404 for the job, its result and its cancel; /jobs lists only their own', async () => {
  for (const p of [`/jobs/${pageJob}`, `/jobs/${pageJob}/result`]) {
    const r = await other.get(p);
    assert.equal(r.status, 404, p);
  }
  let r = await other.get(`/api/v1/jobs/${pageJob}`);
  assert.equal(r.status, 404);
  assert.equal(r.json.code, 'not_found');
  await other.page('/jobs');
  r = await other.form(`/jobs/${pageJob}/cancel`);
  assert.equal(r.status, 404);
  r = await other.get('/api/v1/jobs');
  assert.equal(r.json.total, 0);
  const mine = await admin.get('/jobs');
  assert.equal(mine.status, 200);
  assert.ok(mine.text.includes(`href="/jobs/${pageJob}"`));
  assert.match(mine.text, /Eksport listy/);
});

test('cancel a queued job with the form (CSRF checked)', async () => {
  const r0 = await admin.get('/admin/audit?format=csv');
  const id = Number(r0.headers.get('location').split('/')[2]);
  await admin.page(`/jobs/${id}`);
  let r = await admin.form(`/jobs/${id}/cancel`, { _csrf: 'wrong' });
  assert.equal(r.status, 403);
  r = await admin.form(`/jobs/${id}/cancel`);
  assert.equal(r.status, 303);
  const page = await admin.get(`/jobs/${id}`);
  assert.match(page.text, /Anulowane/);
  assert.doesNotMatch(page.text, /http-equiv="refresh"/, 'an ended job does not reload');
  assert.doesNotMatch(page.text, /\/cancel"/);
  r = await api.json('POST', `/api/v1/jobs/${id}/cancel`);
  assert.equal(r.status, 409);
  const log = await api.get(`/api/v1/audit?action=job.cancel&entity_id=${id}`);
  assert.equal(log.json.total, 1);
});

test('a server with job threads runs the queued jobs; the download has exactly the list', async () => {
  busy = await start(db, flags);
  const j = await waitDone(admin, busy.base, pageJob);
  assert.equal(j.state, 'done');
  assert.equal(j.done, j.total);
  assert.ok(j.total > 5);
  const page = await admin.get(`/jobs/${pageJob}`);
  assert.match(page.text, /Gotowe/);
  assert.match(page.text, /<progress id="job-bar" max="(\d+)" value="\1">/);
  assert.doesNotMatch(page.text, /http-equiv="refresh"/);
  assert.match(page.text, /href="\/jobs\/\d+\/result"/);

  const r = await admin.get(`/jobs/${pageJob}/result`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="razem-institutions-\d{8}\.csv"/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  const rows = parseCsv(r.text);
  const raw = await fetch(busy.base + `/jobs/${pageJob}/result`, { headers: { cookie: admin.cookieHeader() } });
  const bytes = Buffer.from(await raw.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Polish Excel');
  assert.equal(bytes.length, j.result.size, 'the whole file');
  // the same columns as the page and the immediate export
  const small = parseCsv((await admin.get('/admin/institutions?format=csv&kind=pup')).text);
  assert.deepEqual(rows[0], small[0]);
  assert.deepEqual(rows[0].slice(0, 4), ['Nazwa', 'Rodzaj', 'Miejscowość', 'Gmina']);
  // the same rows, in the same order, as the list with the same query
  const list = await api.get('/api/v1/institutions?sort=city&dir=desc&active=1&limit=1000');
  assert.equal(rows.length - 1, list.json.total);
  assert.equal(j.total, list.json.total);
  assert.deepEqual(rows.slice(1).map((x) => x[0]), list.json.items.map((i) => i.name));
  // the download is recorded as a read of the export
  const log = await api.get('/api/v1/audit?action=institution.export');
  assert.ok(log.json.items.some((i) => i.detail === `job ${pageJob}`), 'download audited');
  const done = await api.get(`/api/v1/audit?action=job.done&entity_id=${pageJob}`);
  assert.equal(done.json.total, 1);
});

test('XLSX and users exports through jobs; API download', async () => {
  let j = await waitDone(api, busy.base, apiJob);
  assert.equal(j.state, 'done');
  assert.equal(j.result.url, `/api/v1/jobs/${apiJob}/result`);
  const list = await api.get('/api/v1/institutions?kind=ops');
  assert.equal(j.total, list.json.total);
  const res = await fetch(busy.base + j.result.url, { headers: { cookie: api.cookieHeader() } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  assert.equal(bytes.length, j.result.size);

  j = await waitDone(api, busy.base, usersJob);
  assert.equal(j.state, 'done');
  const r = await api.get(`/api/v1/jobs/${usersJob}/result`);
  const rows = parseCsv(r.text);
  const users = await api.get('/api/v1/users?limit=1000');
  assert.equal(rows.length - 1, users.json.total);
  assert.ok(!r.text.includes('argon2'), 'no password hashes');
});

test('the job list under the API is newest first and scoped to the user', async () => {
  const r = await admin.get('/api/v1/jobs');
  assert.equal(r.status, 200);
  const ids = r.json.items.map((i) => i.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  assert.ok(ids.includes(pageJob) && ids.includes(apiJob));
  assert.ok(!('user_id' in r.json.items[0]), 'the owner filter is not exposed');
});

test('razem export runs the same job in the process: the list as a file, audited as (cli:USER)', async () => {
  const out = `${db.dir}/cli-users.csv`;
  const r = spawnSync(BIN, ['export', 'users', '--format', 'csv', '--output', out, '--db', db.url,
    '--job-dir', `${db.dir}/jobs`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.replace(/^.*applied migration.*\n/gm, ''), '', 'no progress line when stderr is not a terminal');
  const users = await api.get('/api/v1/users?limit=1000');
  assert.match(r.stdout, new RegExp(`^Exported ${users.json.total} rows to `));
  const rows = parseCsv(readFileSync(out, 'utf8'));
  assert.equal(rows.length - 1, users.json.total);
  const viaWeb = parseCsv((await api.get(`/api/v1/jobs/${usersJob}/result`)).text);
  assert.deepEqual(rows, viaWeb, 'the same file as the web export of the same list');
  const log = await api.get('/api/v1/audit?action=job.create&limit=1000');
  assert.ok(log.json.items.some((i) => /^\(cli:.+\)$/.test(i.login)), 'job.create by (cli:USER)');
  const exp = await api.get('/api/v1/audit?action=user.export&limit=1000');
  assert.ok(exp.json.items.some((i) => /^\(cli:.+\)$/.test(i.login) && i.detail.endsWith(out)));
  // wrong usage: exit status 2 with one line
  const bad = spawnSync(BIN, ['export', 'people', '--format', 'csv', '--output', out, '--db', db.url], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /name the list: institutions, users or audit/);
});

test('an export longer than export_max_rows is refused with the count, never cut short', async () => {
  const s = await start(db, [...flags, '--job-workers', '0', '--export-max-rows', '3']);
  try {
    const c = new Client(s.base);
    await c.signIn('admin');
    const page = await c.get('/admin/institutions?format=csv');
    assert.equal(page.status, 422);
    assert.match(page.text, /Lista jest zbyt długa do eksportu/);
    assert.match(page.text, /Lista ma \d+ wiersz\w*, a eksport obejmuje najwyżej 3\./);
    const a = new Client(s.base);
    await a.apiSignIn('admin');
    const r = await a.get('/api/v1/institutions?format=xlsx');
    assert.equal(r.status, 422);
    assert.equal(r.json.code, "export_too_long");
    // a list that fits is exported
    const ok = await c.get('/admin/institutions?format=csv&kind=pup');
    assert.equal(ok.status, 200);
  } finally {
    await s.stop();
  }
});

test('HEAD on an export has no side effects: no job, no audit row, no file built', async () => {
  const before = await api.get('/api/v1/jobs');
  const auditBefore = (await api.get('/api/v1/audit?action=institution.export&limit=1')).json.total;
  const r = await admin.request('HEAD', '/admin/institutions?format=csv');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  const after = await api.get('/api/v1/jobs');
  assert.equal(after.json.total, before.json.total, 'no job queued');
  assert.equal((await api.get('/api/v1/audit?action=institution.export&limit=1')).json.total, auditBefore);
});

test('razem export of a list longer than export_max_rows fails saying so, and writes no file', () => {
  const out = `${db.dir}/too-long.csv`;
  const r = spawnSync(BIN, ['export', 'institutions', '--format', 'csv', '--output', out, '--db', db.url,
    '--export-max-rows', '3', '--job-dir', `${db.dir}/jobs`], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /grown past the most rows an export holds/);
  assert.throws(() => readFileSync(out));
});
