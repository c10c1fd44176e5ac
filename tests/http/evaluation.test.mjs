// evaluation.test.mjs — outcomes of social contracts and the evaluation against
// a matched comparison group over HTTP (both databases): recording an outcome
// (API and page form with CSRF), corrections kept as history, each refusal
// (403 role, 404 not visible, 409 state and follow-up not due, 422 naming the
// field), the outcomes on the contract's page, the six-month follow-up on the
// start page; the evaluation page (printable, no script), its CSV and XLSX,
// GET /api/v1/evaluation with the balance table and the comparison per county
// and overall, small counts suppressed, and the roles refused (403).
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

let db, srv, worker, coord, analyst, adviser, other, admin, guardian;
let ENDED, PARTY, DUE, DUE_END, ACTIVE, ADULT, CHILD;
const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

before(async () => {
  db = freshDatabase();
  const one = (q) => Number(sql(db, q));
  // a demo contract completed today (its outcomes at completion recorded by the demo)
  ENDED = one("SELECT MIN(id) FROM contract WHERE state = 'completed' AND kind = 'family' AND ended_on >= '" + day(-1) + "'");
  PARTY = one(`SELECT person_id FROM contract WHERE id = ${ENDED}`);
  // a cohort contract whose follow-up is due and not recorded
  DUE = one("SELECT MIN(c.id) FROM contract c WHERE c.state = 'completed' AND NOT EXISTS (SELECT 1 FROM contract_outcome o " +
    "WHERE o.contract_id = c.id AND o.point = 'follow_up') AND c.ended_on < '" + day(-200) + "'");
  DUE_END = sql(db, `SELECT ended_on FROM contract WHERE id = ${DUE}`);
  ACTIVE = one("SELECT MIN(id) FROM contract WHERE state = 'active'");
  const cut = `${Number(day(0).slice(0, 4)) - 18}${day(0).slice(4)}`;
  ADULT = one(`SELECT MIN(m.person_id) FROM contract_member m JOIN contract_version v ON v.id = m.version_id
    JOIN person p ON p.id = m.person_id WHERE v.contract_id = ${ENDED} AND p.birth_date < '${cut}'`);
  CHILD = one(`SELECT MIN(m.person_id) FROM contract_member m JOIN contract_version v ON v.id = m.version_id
    JOIN person p ON p.id = m.person_id WHERE v.contract_id = ${ENDED} AND p.birth_date > '${cut}'`);
  srv = await start(db);
  const api = async (login) => { const c = new Client(srv.base); await c.apiSignIn(login); return c; };
  worker = await api('pracownik');
  guardian = await api('opiekun');
  coord = await api('koordynator');
  analyst = await api('analityk');
  adviser = await api('doradca');
  other = await api('brzozowo');
  admin = await api('admin');
});
after(async () => { await srv?.stop(); db?.cleanup(); });

test('the demo: outcomes of the ended contracts and an earlier cohort', () => {
  assert.ok(ENDED > 0 && DUE > 0 && ACTIVE > 0 && ADULT > 0 && CHILD > 0);
  assert.ok(Number(sql(db, "SELECT COUNT(DISTINCT contract_id) FROM contract_outcome WHERE point = 'follow_up'")) >= 50);
  assert.ok(Number(sql(db, `SELECT COUNT(*) FROM contract_outcome WHERE contract_id = ${ENDED}`)) >= 2);
  assert.equal(sql(db, 'SELECT COUNT(*) FROM outcome_kind'), '4');
});

test('record an outcome through the API; a correction keeps the history', async () => {
  let r = await worker.json('POST', `/api/v1/contracts/${ENDED}/outcomes`,
    { point: 'completion', kind: 'employment', person_id: ADULT, achieved: true, observed_on: day(0), note: 'umowa o pracę' });
  assert.equal(r.status, 201, r.text);
  const first = r.json.id;
  assert.ok(r.json.outcomes.some((o) => o.id === first && o.achieved === true && o.person_id === ADULT));
  r = await worker.json('POST', `/api/v1/contracts/${ENDED}/outcomes`,
    { point: 'completion', kind: 'employment', person_id: ADULT, achieved: false, observed_on: day(0) });
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.outcomes.some((o) => o.id === r.json.id && o.achieved === false));
  assert.ok(!r.json.outcomes.some((o) => o.id === first));
  const old = r.json.history.find((o) => o.id === first);
  assert.equal(old.superseded_by, r.json.id);
  assert.ok(old.superseded_at);
  r = await coord.get(`/api/v1/contracts/${ENDED}/outcomes`);
  assert.equal(r.status, 200);
  assert.ok(r.json.history.some((o) => o.id === first));
  assert.ok(Number(sql(db, `SELECT COUNT(*) FROM audit_log WHERE action = 'contract.outcome' AND entity_id = '${ENDED}'`)) >= 2);
  // a family outcome, and a child's school attendance
  r = await coord.json('POST', `/api/v1/contracts/${ENDED}/outcomes`,
    { point: 'completion', kind: 'left_benefits', achieved: true, observed_on: day(0) });
  assert.equal(r.status, 201, r.text);
  r = await worker.json('POST', `/api/v1/contracts/${ENDED}/outcomes`,
    { point: 'completion', kind: 'school_attendance', person_id: CHILD, achieved: true, observed_on: day(0) });
  assert.equal(r.status, 201, r.text);
});

test('bad outcomes: 422 naming the field, nothing written', async () => {
  const before = sql(db, 'SELECT COUNT(*) FROM contract_outcome');
  const post = (body) => worker.json('POST', `/api/v1/contracts/${ENDED}/outcomes`,
    { point: 'completion', kind: 'employment', person_id: ADULT, achieved: true, observed_on: day(0), ...body });
  const field = async (body, name, code) => {
    const r = await post(body);
    assert.equal(r.status, 422, r.text);
    assert.ok(r.json.errors.some((e) => e.field === name && (!code || e.code === code)), `${name}: ${r.text}`);
  };
  await field({ kind: 'happiness' }, 'kind');
  await field({ kind: 'school_attendance' }, 'person_id', 'not_child');
  await field({ kind: 'left_benefits' }, 'person_id');
  await field({ person_id: undefined }, 'person_id', 'required');
  await field({ person_id: 999999 }, 'person_id', 'not_member');
  await field({ observed_on: day(3) }, 'observed_on', 'future');
  await field({ observed_on: '2026-02-30' }, 'observed_on');
  await field({ observed_on: '2001-01-01' }, 'observed_on', 'before_start');
  await field({ point: 'later' }, 'point');
  await field({ achieved: undefined }, 'achieved');
  await field({ note: 'x'.repeat(2001) }, 'note');
  assert.equal(sql(db, 'SELECT COUNT(*) FROM contract_outcome'), before);
});

test('refusals: role 403, not visible 404, state and follow-up not due 409', async () => {
  const body = { point: 'completion', kind: 'employment', person_id: PARTY, achieved: true, observed_on: day(0) };
  let r = await other.json('POST', `/api/v1/contracts/${ENDED}/outcomes`, body);
  assert.equal(r.status, 404);
  assert.equal((await other.get(`/api/v1/contracts/${ENDED}/outcomes`)).status, 404);
  r = await admin.json('POST', `/api/v1/contracts/${ENDED}/outcomes`, body);
  assert.equal(r.status, 403);
  r = await worker.json('POST', `/api/v1/contracts/${ACTIVE}/outcomes`, body);
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'state');
  r = await worker.json('POST', `/api/v1/contracts/${ENDED}/outcomes`, { ...body, point: 'follow_up' });
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'not_due');
  // the cohort's due follow-up: not before six months after the end, then accepted
  r = await (async () => { const c = new Client(srv.base); await c.apiSignIn('jarzebin'); return c; })()
    .then((c) => c.json('POST', `/api/v1/contracts/${DUE}/outcomes`,
    { point: 'follow_up', kind: 'left_benefits', achieved: false, observed_on: DUE_END }));
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].code, 'before_follow_up');
});

test('the contract page shows the outcomes and records one through its form', async () => {
  const w = new Client(srv.base);
  await w.signIn('pracownik');
  let r = await w.page(`/contracts/${ENDED}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<h2 id="outcomes">Rezultaty<\/h2>/);
  assert.match(r.text, /podjęcie zatrudnienia/);
  assert.match(r.text, /Poprawione wpisy: \d/);
  assert.match(r.text, /action="\/contracts\/\d+\/outcomes"/);
  r = await w.form(`/contracts/${ENDED}/outcomes`, { _csrf: null, point: 'completion', kind: 'housing', achieved: '1', observed_on: day(0) });
  assert.equal(r.status, 403); // no CSRF token
  r = await w.form(`/contracts/${ENDED}/outcomes`, { point: 'completion', kind: 'housing', achieved: '1', observed_on: day(0) });
  assert.equal(r.status, 303, r.text);
  r = await w.page(`/contracts/${ENDED}`);
  assert.match(r.text, /poprawa sytuacji mieszkaniowej/);
  r = await w.form(`/contracts/${ENDED}/outcomes`, { point: 'completion', kind: 'housing', achieved: '1', observed_on: day(5) });
  assert.equal(r.status, 422);
  assert.match(r.text, /nie może być w przyszłości/);
  // an active contract's page has no outcome form
  r = await w.page(`/contracts/${ACTIVE}`);
  assert.doesNotMatch(r.text, /\/outcomes"/);
});

test('the start page reminds the guardian and the social worker of the follow-up due', async () => {
  // the cohort's due follow-up on its social worker's page
  const j = new Client(srv.base);
  await j.signIn('jarzebin');
  assert.match((await j.page('/')).text, new RegExp(`/contracts/${DUE}#outcomes`));
  // a demo contract guarded by opiekun with the family's consent, as if it had ended seven months ago
  const id = Number(sql(db, `SELECT MIN(c.id) FROM contract c JOIN team_member m ON m.id = c.guardian_member_id
    JOIN app_user u ON u.id = m.user_id WHERE u.login = 'opiekun' AND c.consent_id IS NOT NULL
    AND c.state = 'completed' AND c.id <> ${ENDED}`));
  assert.ok(id > 0);
  const page = async (login) => { const c = new Client(srv.base); await c.signIn(login); return (await c.page('/')).text; };
  assert.doesNotMatch(await page('opiekun'), new RegExp(`/contracts/${id}#outcomes`), 'not due yet');
  sql(db, `UPDATE contract SET ended_on = '${day(-215)}' WHERE id = ${id}`);
  for (const login of ['opiekun', 'pracownik']) {
    const text = await page(login);
    assert.match(text, /Ocena po sześciu miesiącach/, login);
    assert.match(text, new RegExp(`/contracts/${id}#outcomes`), login);
    assert.doesNotMatch(text, new RegExp(`/contracts/${DUE}#outcomes`), `${login}: not their contract`);
  }
  // once recorded, the reminder goes
  const r = await guardian.json('POST', `/api/v1/contracts/${id}/outcomes`,
    { point: 'follow_up', kind: 'left_benefits', achieved: true, observed_on: day(0) });
  assert.equal(r.status, 201, r.text);
  assert.doesNotMatch(await page('opiekun'), new RegExp(`/contracts/${id}#outcomes`));
  assert.doesNotMatch(await page('analityk'), /Ocena po sześciu miesiącach/);
});

test('the evaluation API: balance, pairs per county and overall, suppression', async () => {
  const r = await analyst.get('/api/v1/evaluation?terc=3050');
  assert.equal(r.status, 200, r.text);
  const j = r.json;
  assert.equal(j.point, 'follow_up');
  assert.equal(j.threshold, 5);
  assert.ok(j.treated >= 50, `treated ${j.treated}`);
  assert.ok(j.controls > j.treated);
  assert.ok(j.matched > 0 && j.matched + j.unmatched === j.treated);
  assert.equal(j.model.fitted, true);
  assert.ok(j.model.caliper > 0);
  assert.ok('household_size' in j.model.coefficients && 'intercept' in j.model.coefficients);
  assert.equal(j.balance.length, 9);
  for (const b of j.balance) {
    assert.ok(Number.isFinite(b.before.smd) && Number.isFinite(b.after.smd), b.covariate);
    assert.ok(Math.abs(b.after.smd) < 0.5, `${b.covariate} after matching ${b.after.smd}`);
  }
  // the gmina kind is matched exactly in effect: no difference left where there was a large one
  for (const k of ['rural', 'urban_rural']) {
    const b = j.balance.find((x) => x.covariate === k);
    assert.ok(Math.abs(b.after.smd) <= Math.abs(b.before.smd) && Math.abs(b.after.smd) < 0.1, k);
  }
  assert.deepEqual(j.outcomes.map((o) => `${o.county}:${o.outcome}`),
    ['3050:employment', '3050:left_benefits', 'null:employment', 'null:left_benefits']);
  const shown = j.outcomes.filter((o) => !o.suppressed);
  assert.ok(shown.length >= 1);
  for (const o of shown) {
    for (const n of [o.pairs, o.treated_yes, o.pairs - o.treated_yes, o.comparison_yes, o.pairs - o.comparison_yes])
      assert.ok(n === 0 || n >= 5, `a small count shown: ${JSON.stringify(o)}`);
    assert.ok(o.ci_low <= o.difference && o.difference <= o.ci_high);
    assert.ok(Math.abs(o.difference - (o.treated_yes - o.comparison_yes) / o.pairs) < 1e-9);
  }
  for (const o of j.outcomes.filter((x) => x.suppressed)) assert.equal(o.pairs, undefined);
  assert.ok(j.contract_only.some((p) => p.kind === 'school_attendance'));
  // at completion, and an area without contracts
  assert.equal((await coord.get('/api/v1/evaluation?point=completion')).json.point, 'completion');
  const none = await coord.get('/api/v1/evaluation?terc=02');
  assert.equal(none.status, 200);
  assert.equal(none.json.treated, 0);
  assert.deepEqual(none.json.outcomes, []);
  assert.equal((await coord.get('/api/v1/evaluation?terc=30x')).status, 422);
  assert.equal((await coord.get('/api/v1/evaluation?point=never')).status, 422);
  assert.equal((await coord.get('/api/v1/evaluation?format=pdf')).status, 422);
});

test('a higher threshold suppresses the county rows', async () => {
  const s = await start(db, ['--small-count', '100']);
  try {
    const c = new Client(s.base);
    await c.apiSignIn('analityk');
    const r = await c.get('/api/v1/evaluation?terc=3050');
    assert.equal(r.status, 200);
    assert.ok(r.json.outcomes.every((o) => o.suppressed && o.pairs === undefined));
    assert.ok(r.json.balance.every((b) => b.before === undefined));
  } finally { await s.stop(); }
});

test('the evaluation page (printable, no script) and its exports', async () => {
  const k = new Client(srv.base);
  await k.signIn('koordynator');
  let r = await k.page('/evaluation?terc=3050');
  assert.equal(r.status, 200);
  assert.match(r.text, /Ewaluacja kontraktów socjalnych względem grupy porównawczej/);
  assert.match(r.text, /Zbilansowanie przed doborem i po nim/);
  assert.match(r.text, /Liczba osób w gospodarstwie/);
  assert.match(r.text, /podjęcie zatrudnienia/);
  assert.match(r.text, /ogółem/);
  assert.match(r.text, /95% przedział ufności/);
  assert.doesNotMatch(r.text, /<script>/); // no inline script: the layout's deferred enhancement only
  assert.match(r.text, /<form method="get" action="\/evaluation"/);
  // a Polish page writes decimals with a comma (shares, differences, the balance table), never a dot
  assert.match(r.text, /<td[^>]*>-?\d+,\d+<\/td>/);
  assert.doesNotMatch(r.text, /<td[^>]*>-?\d+\.\d+<\/td>/);
  r = await k.get('/evaluation?terc=3050&format=csv');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  assert.match(r.headers.get('content-disposition'), /evaluation-3050\.csv/);
  assert.match(r.text, /Dobrane pary/);
  assert.match(r.text, /ogółem/);
  // the export keeps the dot (the convention of razem's CSV/XLSX, see sheet.h)
  assert.match(r.text, /;-?\d+\.\d;/);
  assert.doesNotMatch(r.text, /;-?\d+,\d;/);
  const x = await fetch(`${srv.base}/evaluation?terc=3050&format=xlsx`, { headers: { cookie: k.cookieHeader() } });
  assert.equal(x.status, 200);
  const buf = Buffer.from(await x.arrayBuffer());
  assert.equal(buf.subarray(0, 2).toString(), 'PK');
  r = await analyst.get('/api/v1/evaluation?terc=3050&format=csv');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
});

test('roles without the evaluation are refused (403)', async () => {
  for (const c of [worker, guardian, adviser, admin]) {
    assert.equal((await c.get('/api/v1/evaluation')).status, 403);
    assert.equal((await c.get('/evaluation')).status, 403);
    assert.equal((await c.get('/evaluation?format=csv')).status, 403);
  }
});
