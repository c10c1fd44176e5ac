// agreements.test.mjs — partnership agreements and the cooperation report:
// the pages (list, one agreement with its computed state, new/edit/terminate
// with CSRF and Polish messages naming the field), the API (201 / 403 / 422,
// GET, PUT), the report as a page, JSON, CSV and XLSX, the start-page panel
// of agreements to renew, and the demo's shape (one OPS without any agreement).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { freshDatabase, start, Client } from './lib.mjs';

const PG = (process.env.RAZEM_TEST_DB || 'sqlite') !== 'sqlite';

function sql(db, text) {
  const out = PG
    ? execFileSync('psql', [db.url, '-qAtX', '-v', 'ON_ERROR_STOP=1', '-c', text], { stdio: 'pipe' })
    : execFileSync('sqlite3', [db.url, text], { stdio: 'pipe' });
  return out.toString().trim();
}

let db, srv, coord, worker, admin, PUP, MOPS, ZIEL, KAL;
const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

before(async () => {
  db = freshDatabase();
  const one = (q) => Number(sql(db, q));
  PUP = one("SELECT id FROM institution WHERE kind = 'pup'");
  MOPS = one("SELECT id FROM institution WHERE kind = 'mops'");
  ZIEL = one("SELECT id FROM institution WHERE kind = 'ops' AND city = 'Zielonka Mała'");
  KAL = one("SELECT id FROM institution WHERE kind = 'ops' AND city = 'Kalinowo'");
  srv = await start(db);
  const signIn = async (login) => {
    const c = new Client(srv.base);
    await c.signIn(login);
    c.csrf = c.formToken;
    return c;
  };
  coord = await signIn('koordynator');
  worker = await signIn('pracownik');
  admin = await signIn('admin');
});
after(async () => { await srv?.stop(); db?.cleanup(); });

test('demo: agreements in several states, and exactly one OPS without any agreement', () => {
  assert.equal(sql(db, "SELECT COUNT(*) FROM agreement WHERE status = 'negotiating'"), '1');
  assert.equal(sql(db, "SELECT COUNT(*) FROM agreement WHERE status = 'terminated'"), '1');
  assert.equal(sql(db, "SELECT COUNT(DISTINCT duration) FROM agreement WHERE status = 'signed'"), '3');
  assert.equal(sql(db, `SELECT COUNT(*) FROM institution i WHERE i.kind IN ('ops', 'mops')
    AND NOT EXISTS (SELECT 1 FROM agreement_party p WHERE p.institution_id = i.id)`), '1');
  assert.equal(sql(db, `SELECT COUNT(*) FROM agreement_party WHERE institution_id = ${ZIEL}`), '0');
});

test('list and page: every signed-in user reads them; the state is computed', async () => {
  let r = await worker.get('/agreements');
  assert.equal(r.status, 200);
  assert.match(r.text, /Porozumienia o współpracy/);
  assert.doesNotMatch(r.text, /Dodaj porozumienie/, 'a social worker may not add');
  r = await coord.get('/agreements?in_force=1');
  assert.equal(r.status, 200);
  assert.match(r.text, /Dodaj porozumienie/);
  assert.doesNotMatch(r.text, /poprzednie, rozwiązane/);
  const api = await worker.get('/api/v1/agreements?in_force=1');
  assert.equal(api.status, 200);
  assert.equal(api.json.total, 10);
  const neg = await worker.get(`/api/v1/agreements?status=negotiating&party=${KAL}`);
  assert.equal(neg.json.total, 1);
  const byForm = await worker.get('/api/v1/agreements?form=shared_premises');
  assert.equal(byForm.json.total, 2);
  const id = sql(db, "SELECT id FROM agreement WHERE status = 'terminated'");
  r = await worker.get(`/agreements/${id}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<p class="status">Rozwiązane<\/p>/);
  assert.doesNotMatch(r.text, /Rozwiąż</, 'no terminate button for a social worker');
  r = await worker.get('/agreements/999999');
  assert.equal(r.status, 404);
});

test('API: 201 for a coordinator, 403 for others, 422 naming the field', async () => {
  const body = { institutions: [ZIEL, PUP], subject: 'Porozumienie GOPS w Zielonce Małej i PUP', signed_on: day(-1),
    valid_from: day(0), valid_to: null, status: 'signed', forms: ['information_exchange', 'job_offers'] };
  let r = await worker.json('POST', '/api/v1/agreements', body);
  assert.equal(r.status, 403);
  r = await coord.json('POST', '/api/v1/agreements', { ...body, institutions: [ZIEL, ZIEL] });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'institutions');
  assert.match(r.json.message, /Strony: każda instytucja może być stroną tylko raz/);
  r = await coord.json('POST', '/api/v1/agreements', { ...body, institutions: [ZIEL] });
  assert.equal(r.status, 422);
  assert.match(r.json.message, /co najmniej dwóch instytucji/);
  r = await coord.json('POST', '/api/v1/agreements', { ...body, signed_on: null });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'signed_on');
  r = await coord.json('POST', '/api/v1/agreements', { ...body, valid_to: day(-10) });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'valid_to');
  assert.match(r.json.message, /Obowiązuje do: koniec nie może być przed początkiem/);
  r = await coord.json('POST', '/api/v1/agreements', { ...body, forms: ['referrals'] });
  assert.equal(r.status, 422, 'art. 50 ust. 2 u.p.z. ended on 2025-05-31');
  assert.equal(r.json.field, 'forms');
  r = await coord.json('POST', '/api/v1/agreements', { ...body, forms: ['teleportation'] });
  assert.equal(r.status, 422);
  assert.equal(sql(db, `SELECT COUNT(*) FROM agreement_party WHERE institution_id = ${ZIEL}`), '0');
  r = await coord.json('POST', '/api/v1/agreements', body);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const id = r.json.id;
  assert.equal(r.headers.get('location'), `/api/v1/agreements/${id}`);
  assert.equal(r.json.duration, 'indefinite');
  assert.equal(r.json.in_force, true);
  assert.deepEqual(r.json.forms, ['information_exchange', 'job_offers']);
  assert.equal(sql(db, `SELECT COUNT(*) FROM audit_log WHERE action = 'agreement.create' AND entity_id = '${id}'`), '1');
  // PUT: a fixed end makes it one-year; other members keep their values
  r = await coord.json('PUT', `/api/v1/agreements/${id}`, { valid_to: day(200) });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.duration, 'one_year');
  assert.equal(r.json.subject, body.subject);
  assert.equal(r.json.institutions.length, 2);
  r = await worker.json('PUT', `/api/v1/agreements/${id}`, { subject: 'x' });
  assert.equal(r.status, 403);
  r = await coord.json('PUT', `/api/v1/agreements/${id}`, { status: 'terminated' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'terminated_on');
  r = await worker.get(`/api/v1/agreements/${id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.valid_to, day(200));
  // back to indefinite through null
  r = await coord.json('PUT', `/api/v1/agreements/${id}`, { valid_to: null });
  assert.equal(r.status, 200);
  assert.equal(r.json.duration, 'indefinite');
  sql(db, `DELETE FROM agreement_form WHERE agreement_id = ${id}`);
  sql(db, `DELETE FROM agreement_party WHERE agreement_id = ${id}`);
  sql(db, `DELETE FROM agreement_data WHERE agreement_id = ${id}`);
  sql(db, `DELETE FROM agreement WHERE id = ${id}`);
});

test('pages: new, edit and terminate with CSRF and Polish validation', async () => {
  let r = await worker.get('/agreements/new');
  assert.equal(r.status, 403);
  r = await admin.page('/agreements/new');
  assert.equal(r.status, 200);
  assert.match(r.text, /name="institutions"/);
  r = await admin.form('/agreements/new', { subject: 'Test', institutions: [String(MOPS), String(KAL)], valid_from: day(0), status: 'signed', _csrf: null });
  assert.equal(r.status, 403);
  r = await admin.form('/agreements/new', { subject: '', institutions: [String(MOPS), String(KAL)], valid_from: '2026-02-30', status: 'signed' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Przedmiot: podaj, czego dotyczy porozumienie/);
  assert.match(r.text, /Obowiązuje od: podaj prawdziwą datę/);
  assert.match(r.text, /Data podpisania: podpisane porozumienie wymaga daty podpisania/);
  r = await admin.form('/agreements/new', { subject: 'Porozumienie MOPS i GOPS w Kalinowie', institutions: [String(MOPS), String(KAL)],
    valid_from: day(-10), valid_to: day(20), signed_on: day(-11), status: 'signed', forms: ['information_exchange'], data: ['identity'] });
  assert.equal(r.status, 303, r.text);
  const id = r.headers.get('location').split('/').pop();
  r = await admin.page(`/agreements/${id}`);
  assert.match(r.text, /<p class="status">Obowiązuje<\/p>/);
  assert.match(r.text, /Tożsamość/);
  // the start page's panel: ends within 60 days
  r = await coord.get('/');
  assert.match(r.text, /Porozumienia do odnowienia/);
  assert.match(r.text, /Porozumienie MOPS i GOPS w Kalinowie/);
  r = await worker.get('/');
  assert.doesNotMatch(r.text, /Porozumienia do odnowienia/);
  r = await admin.page(`/agreements/${id}/edit`);
  assert.equal(r.status, 200);
  r = await admin.form(`/agreements/${id}/edit`, { subject: 'Porozumienie MOPS i GOPS w Kalinowie (zmienione)', institutions: [String(MOPS), String(KAL)],
    valid_from: day(-10), valid_to: day(20), signed_on: day(-11), status: 'signed', duration: 'indefinite' });
  assert.equal(r.status, 422);
  assert.match(r.text, /porozumienie na czas nieokreślony nie ma daty końca/);
  // terminate: a confirmation, then the agreement is no longer in force
  r = await admin.page(`/agreements/${id}/terminate`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Rozwiązać porozumienie\?/);
  r = await admin.form(`/agreements/${id}/terminate`, { confirm: '1' });
  assert.equal(r.status, 303);
  assert.equal(sql(db, `SELECT status FROM agreement WHERE id = ${id}`), 'terminated');
  assert.equal(sql(db, `SELECT COUNT(*) FROM audit_log WHERE action = 'agreement.terminate' AND entity_id = '${id}'`), '1');
  r = await admin.get(`/api/v1/agreements/${id}`);
  assert.equal(r.json.in_force, false);
  r = await admin.page(`/agreements/${id}/terminate`);
  r = await admin.form(`/agreements/${id}/terminate`, { confirm: '1' });
  assert.equal(r.status, 409);
});

test('report: JSON counts per powiat and voivodeship, CSV, XLSX, the printable page', async () => {
  let r = await worker.get('/api/v1/reports/cooperation?terc=3050');
  assert.equal(r.status, 200);
  const ops = r.json.rows.find((x) => x.terc === '3050' && x.group === 'ops');
  // 9 GOPS/MGOPS and the MOPS: 8 signed, Kalinowo in negotiation, Zielonka Mała none
  assert.deepEqual([ops.total, ops.signed, ops.negotiating, ops.none], [10, 8, 1, 1]);
  assert.equal(ops.by_duration.one_year + ops.by_duration.multi_year + ops.by_duration.indefinite, 8);
  assert.equal(ops.by_form.information_exchange, 8);
  assert.equal(ops.by_form.socially_useful_work, 4);
  const pcpr = r.json.rows.find((x) => x.terc === '3050' && x.group === 'pcpr');
  assert.deepEqual([pcpr.total, pcpr.signed], [1, 1]);
  const woj = r.json.rows.find((x) => x.terc === '30' && x.group === 'ops');
  assert.equal(woj.level, 'voivodeship');
  assert.equal(woj.signed, 8);
  r = await worker.get('/api/v1/reports/cooperation?terc=x1');
  assert.equal(r.status, 400);
  r = await worker.get('/reports/cooperation?terc=3050&format=csv');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  assert.match(r.text, /3050;przykładowy;OPS\/MOPS;10;8;1;1;/);
  const x = await fetch(srv.base + '/api/v1/reports/cooperation?format=xlsx', { headers: { cookie: worker.cookieHeader() } });
  assert.equal(x.status, 200);
  const bytes = Buffer.from(await x.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  r = await worker.get('/reports/cooperation');
  assert.equal(r.status, 200);
  assert.match(r.text, /Raport o współpracy/);
  assert.match(r.text, /Według powiatów/);
  assert.match(r.text, /window\.print/);
});
