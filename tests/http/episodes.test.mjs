// episodes.test.mjs — support episodes and duplicated support: the
// instrument catalogue, the person page's section and the episode form
// (CSRF, Polish messages, history), the API (201, 409 duplicated_support,
// acknowledge → 201 with an alert on both sides), alerts listed and
// resolved with history, the start-page panel, the report (JSON, CSV,
// XLSX; small counts suppressed for a coordinator), another institution's
// episode not reachable. The overlap part needs the agreements API
// (branch agree): without it, only "no agreement → no overlap" is tested.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { freshDatabase, start, Client, BIN } from './lib.mjs';

const PG = (process.env.RAZEM_TEST_DB || 'sqlite') !== 'sqlite';

function sql(db, text) {
  const out = PG
    ? execFileSync('psql', [db.url, '-qAtX', '-v', 'ON_ERROR_STOP=1', '-c', text], { stdio: 'pipe' })
    : execFileSync('sqlite3', [db.url, text], { stdio: 'pipe' });
  return out.toString().trim();
}

const NOW = "'2026-01-01T00:00:00Z'";
const PESEL = '44051401458';
let db, srv, worker, adviser, coordinator, pcpr, MOPS, PUP, PCPR, P1, P2, P3;

before(async () => {
  db = freshDatabase();
  MOPS = Number(sql(db, "SELECT id FROM institution WHERE kind = 'mops'"));
  PUP = Number(sql(db, "SELECT id FROM institution WHERE kind = 'pup'"));
  PCPR = Number(sql(db, "SELECT id FROM institution WHERE kind = 'pcpr'"));
  // the same human (same PESEL) known to the MOPS, the PUP and the PCPR; the demo's
  // agreement MOPS–PUP includes information_exchange, the MOPS and the PCPR have none
  for (const inst of [MOPS, PUP, PCPR]) {
    sql(db, `INSERT INTO person (institution_id, pesel, first_names, surname, surname_fold, first_fold, birth_date, sex, created_at, updated_at)
      VALUES (${inst}, '${PESEL}', 'Jan', 'Dwojak', 'dwojak', 'jan', '1944-05-14', 'M', ${NOW}, ${NOW})`);
  }
  P1 = Number(sql(db, `SELECT id FROM person WHERE surname = 'Dwojak' AND institution_id = ${MOPS}`));
  P2 = Number(sql(db, `SELECT id FROM person WHERE surname = 'Dwojak' AND institution_id = ${PUP}`));
  P3 = Number(sql(db, `SELECT id FROM person WHERE surname = 'Dwojak' AND institution_id = ${PCPR}`));
  srv = await start(db);
  const signIn = async (login) => {
    const c = new Client(srv.base);
    await c.signIn(login);
    c.csrf = c.formToken;
    return c;
  };
  worker = await signIn('pracownik');
  adviser = await signIn('doradca');
  coordinator = await signIn('koordynator');
  pcpr = await signIn('pcpr.pracownik');
});
after(async () => { await srv?.stop(); db?.cleanup(); });

const training = (person, inst, start, end, extra = {}) =>
  ({ person_id: person, instrument: 'training', institution_id: inst, start, planned_end: end, cost_grosze: 250000, ...extra });

test('instruments: the catalogue with codes, kinds, categories and validity', async () => {
  const r = await worker.get('/api/v1/instruments');
  assert.equal(r.status, 200);
  const t = r.json.items.find((x) => x.code === 'training');
  assert.equal(t.kind, 'training');
  assert.equal(t.category, 'labour_market_instrument');
  assert.equal(t.name, 'Szkolenie');
  const ai = r.json.items.find((x) => x.code === 'ai_vocational_course');
  assert.equal(ai.kind, 'training');
  assert.equal(ai.valid_to, '2015-12-31');
});

test('the form: section on the person page, CSRF, Polish messages, saved with history and audit', async () => {
  let r = await worker.page(`/persons/${P1}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Otrzymywane wsparcie/);
  assert.match(r.text, /Nie odnotowano wsparcia\./);
  r = await worker.page(`/persons/${P1}/episodes/new`);
  assert.equal(r.status, 200);
  assert.match(r.text, /value="social_vocational_course"/);
  r = await worker.form(`/persons/${P1}/episodes/new`, { instrument: 'social_counselling', start: '2026-01-10', _csrf: null });
  assert.equal(r.status, 403);
  assert.equal(sql(db, `SELECT COUNT(*) FROM episode WHERE person_id = ${P1}`), '0');
  r = await worker.form(`/persons/${P1}/episodes/new`, { instrument: 'social_counselling', start: '2026-02-30', cost: '-5' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Start: podaj prawdziwą datę w formacie RRRR-MM-DD/);
  assert.match(r.text, /Kwota: nie może być ujemna\./);
  r = await worker.form(`/persons/${P1}/episodes/new`, { instrument: 'ai_vocational_course', start: '2026-01-10' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Instrument: ten instrument nie obowiązywał w dniu rozpoczęcia\./);
  r = await worker.form(`/persons/${P1}/episodes/new`, { instrument: 'social_counselling', start: '2026-01-10', planned_end: '2026-01-31', cost: '1 234,56', status: 'ongoing' });
  assert.equal(r.status, 303, r.text);
  assert.equal(sql(db, `SELECT cost_grosze || ' ' || kind || ' ' || status FROM episode WHERE person_id = ${P1}`), '123456 psych_counselling ongoing');
  assert.equal(sql(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'episode.create'"), '1');
  assert.equal(sql(db, `SELECT COUNT(*) FROM episode WHERE person_id = ${P1} AND created_by IS NOT NULL`), '1');
  assert.equal(sql(db, `SELECT COUNT(*) FROM record_history WHERE entity = 'episode' AND person_id = ${P1}`), '1');
  r = await worker.get(`/persons/${P1}`);
  assert.match(r.text, /Poradnictwo specjalistyczne/);
  const id = Number(sql(db, `SELECT id FROM episode WHERE person_id = ${P1}`));
  r = await worker.page(`/episodes/${id}/edit`);
  assert.equal(r.status, 200);
  r = await worker.form(`/episodes/${id}/edit`, { instrument: 'social_counselling', start: '2026-01-10', actual_end: '2026-01-20', cost: '1 234,56', status: 'completed' });
  assert.equal(r.status, 303, r.text);
  assert.equal(sql(db, `SELECT COUNT(*) FROM record_history WHERE entity = 'episode' AND entity_id = ${id} AND field = 'status'`), '1');
  // another institution's episode is not reachable
  r = await adviser.get(`/episodes/${id}/edit`);
  assert.equal(r.status, 404);
  r = await adviser.json('PUT', `/api/v1/episodes/${id}`, { instrument: 'training', start: '2026-01-10' });
  assert.equal(r.status, 404);
});

test('API: bad input, an unknown member, another institution\'s person, CSRF', async () => {
  let r = await adviser.json('POST', '/api/v1/episodes', training(P2, PUP, '2026-03-01', '2026-02-01'));
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'planned_end');
  r = await adviser.json('POST', '/api/v1/episodes', { ...training(P2, PUP, '2026-03-01', null), colour: 'red' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'colour');
  r = await adviser.json('POST', '/api/v1/episodes', training(P1, PUP, '2026-03-01', null));
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'person_id');
  // the MOPS's record, as the MOPS's: not the adviser's to write, and not told to exist
  r = await adviser.json('POST', '/api/v1/episodes', training(P1, MOPS, '2026-03-01', null));
  assert.equal(r.status, 404);
  r = await adviser.json('POST', '/api/v1/episodes', training(P2, PUP, '2026-03-01', null), { 'x-csrf-token': null });
  assert.equal(r.status, 403);
});

test('without an agreement nothing about the partner is told and no overlap is kept', async () => {
  let r = await pcpr.json('POST', '/api/v1/episodes', { ...training(P3, PCPR, '2027-01-01', '2027-12-31'), instrument: 'social_vocational_course' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await worker.json('POST', '/api/v1/episodes', { ...training(P1, MOPS, '2027-03-01', '2027-03-31'), instrument: 'social_vocational_course' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await adviser.json('POST', '/api/v1/episodes', training(P2, PUP, '2026-03-01', '2026-05-31'));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.kind, 'training');
  assert.equal(r.headers.get('location'), `/api/v1/episodes/${r.json.id}`);
  r = await adviser.get(`/api/v1/episodes/${r.json.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.cost_grosze, 250000);
  assert.equal(sql(db, `SELECT COUNT(*) FROM support_overlap o JOIN episode e ON e.id IN (o.episode_a, o.episode_b) WHERE e.person_id IN (${P1}, ${P2}, ${P3})`), '0');
  assert.equal(sql(db, `SELECT COUNT(*) FROM alert a JOIN episode e ON e.id = a.episode_id WHERE e.person_id IN (${P1}, ${P2}, ${P3})`), '0');
});

test('duplicated support: 409, acknowledged → 201 and an alert on both sides; resolved with history; report', async () => {
  const body = { ...training(P1, MOPS, '2026-05-01', '2026-06-30'), instrument: 'social_vocational_course' };
  let r = await worker.json('POST', '/api/v1/episodes', body);
  assert.equal(r.status, 409, JSON.stringify(r.json));
  assert.equal(r.json.code, 'duplicated_support');
  assert.equal(r.json.overlaps.length, 1);
  assert.equal(r.json.overlaps[0].kind, 'training');
  // no consent: only the kind and that the partner has been notified
  assert.equal(r.json.overlaps[0].disclosed, false);
  assert.match(r.json.overlaps[0].message, /partnerska odnotowuje nakładające się wsparcie rodzaju „training” i została powiadomiona/);
  assert.equal(r.json.overlaps[0].institution_id, undefined);
  assert.doesNotMatch(r.text, /Urząd Pracy|Rodzinny|2026-03-01/);
  assert.equal(sql(db, `SELECT COUNT(*) FROM episode WHERE person_id = ${P1} AND start_date = '2026-05-01'`), '0');
  r = await worker.json('POST', '/api/v1/episodes', { ...body, acknowledge_duplicate: true });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(sql(db, "SELECT COUNT(*) FROM support_overlap WHERE overlap_from = '2026-05-01' AND overlap_to = '2026-05-31'"), '1');
  const mine = (res, p) => res.json.items.filter((x) => x.person_id === p);
  let a = await worker.get('/api/v1/alerts?state=open');
  assert.equal(mine(a, P1).length, 1);
  a = await adviser.get('/api/v1/alerts?state=open');
  assert.equal(mine(a, P2).length, 1);
  const alertId = mine(a, P2)[0].id;
  // the PUP's consent for the MOPS: now the MOPS is told who, what and when
  r = await adviser.json('POST', '/api/v1/consents', { person_id: P2, recipient_institution_id: MOPS, purpose: 'labour_market_activation', basis: 'consent', given_form: 'written', valid_from: '2026-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  // the form: a first submit warns with "zapisz mimo to" carrying the data
  await worker.page(`/persons/${P1}/episodes/new`);
  r = await worker.form(`/persons/${P1}/episodes/new`, { instrument: 'social_vocational_course', start: '2026-04-01', planned_end: '2026-04-30', cost: '100' });
  assert.equal(r.status, 409);
  assert.match(r.text, /Powielone wsparcie/);
  assert.match(r.text, /Zapisz mimo to/);
  assert.match(r.text, /name="acknowledge_duplicate" value="1"/);
  assert.match(r.text, /value="2026-04-01"/);
  assert.match(r.text, /Powiatowy Urząd Pracy w Przykładowie: Szkolenie, /);
  // the agreements MOPS–PUP without the support category: the episode is not told, only its kind
  const support = `SELECT d.agreement_id FROM agreement_data d JOIN agreement_party a ON a.agreement_id = d.agreement_id AND a.institution_id = ${MOPS}
    JOIN agreement_party b ON b.agreement_id = d.agreement_id AND b.institution_id = ${PUP} WHERE d.category = 'support'`;
  const withSupport = sql(db, support).split('\n').filter(Boolean);
  sql(db, `DELETE FROM agreement_data WHERE category = 'support' AND agreement_id IN (${withSupport.join(',')})`);
  let hidden = await worker.json('POST', '/api/v1/episodes', { ...training(P1, MOPS, '2026-04-01', '2026-04-30'), instrument: 'social_vocational_course' });
  assert.equal(hidden.status, 409);
  assert.equal(hidden.json.overlaps[0].disclosed, false);
  assert.doesNotMatch(hidden.text, /Urząd Pracy/);
  for (const id of withSupport) sql(db, `INSERT INTO agreement_data (agreement_id, category) VALUES (${id}, 'support')`);
  r = await worker.form(`/persons/${P1}/episodes/new`, { instrument: 'social_vocational_course', start: '2026-04-01', planned_end: '2026-04-30', cost: '100', acknowledge_duplicate: '1' });
  assert.equal(r.status, 303);
  // start page panel
  r = await adviser.get('/');
  assert.match(r.text, /Powielone wsparcie do rozstrzygnięcia/);
  // resolve
  r = await adviser.json('POST', `/api/v1/alerts/${alertId}/resolve`, { resolution: 'ignored', comment: 'x' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'resolution');
  r = await worker.json('POST', `/api/v1/alerts/${alertId}/resolve`, { resolution: 'coordinated' });
  assert.equal(r.status, 404, 'the other institution\'s alert');
  r = await adviser.json('POST', `/api/v1/alerts/${alertId}/resolve`, { resolution: 'coordinated', comment: 'Uzgodniono z MOPS' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.state, 'coordinated');
  r = await adviser.page(`/alerts/${alertId}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Uzgodniono z MOPS/);
  assert.match(r.text, /Uzgodnione z partnerem/);
  r = await adviser.form(`/alerts/${alertId}/resolve`, { resolution: 'intended', comment: 'oba zostają' });
  assert.equal(r.status, 303);
  assert.equal(sql(db, `SELECT COUNT(*) FROM alert_history WHERE alert_id = ${alertId}`), '3');
  r = await adviser.get('/alerts');
  assert.equal(r.status, 200);
  // report: the MOPS's own, in full; the coordinator across institutions, small counts suppressed
  const own = Number(sql(db, `SELECT COUNT(*) FROM support_overlap o JOIN episode a ON a.id = o.episode_a JOIN episode b ON b.id = o.episode_b
    WHERE o.kind = 'training' AND substr(o.overlap_from, 1, 4) = '2026' AND ${MOPS} IN (a.institution_id, b.institution_id)`));
  r = await worker.get('/api/v1/reports/duplicated-support?year=2026');
  assert.equal(r.status, 200);
  const tr = r.json.items.filter((x) => x.kind === 'training');
  assert.equal(tr.reduce((n, x) => n + x.overlaps, 0), own);
  assert.ok(own >= 2);
  r = await coordinator.get('/api/v1/reports/duplicated-support?year=2026');
  assert.equal(r.status, 200);
  for (const x of r.json.items) {
    if (x.suppressed) assert.equal(x.overlaps, null);
    else assert.ok(x.persons >= 5, JSON.stringify(x));
  }
  r = await worker.get('/reports/duplicated-support?year=2026&format=csv');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  assert.match(r.text, /training/);
  r = await worker.get('/reports/duplicated-support?year=2026&format=xlsx');
  assert.equal(r.status, 200);
  r = await worker.get('/reports/duplicated-support?year=2026');
  assert.match(r.text, /Powielone wsparcie w 2026 r\./);
  r = await worker.get('/api/v1/reports/duplicated-support?year=abc');
  assert.equal(r.status, 422);
});

test('razem import episodes: one transaction, rejects in Polish, overlaps recorded, exit codes', () => {
  const file = path.join(db.dir, 'wsparcie.csv'), rejects = path.join(db.dir, 'odrzucone.csv');
  writeFileSync(file, 'PESEL;Instrument;Początek;Planowany koniec;Faktyczny koniec;Koszt;Status\n' +
    `${PESEL};training;01.06.2026;2026-06-30;;1 200,50;w trakcie\n` +
    '85123101236;training;2026-04-01;;;;\n' +
    `${PESEL};nieznany;2026-13-01;;;-3;\n`);
  const before = Number(sql(db, 'SELECT COUNT(*) FROM episode'));
  let r = spawnSync(BIN, ['import', 'episodes', file, '--institution', String(PUP), '--rejects', rejects, '--db', db.url]);
  assert.equal(r.status, 3, r.stderr.toString());
  assert.match(r.stdout.toString(), /read 3, imported 1, refused 2, overlaps with partners 1/);
  const alerts = Number(sql(db, "SELECT COUNT(*) FROM alert WHERE state = 'open'"));
  assert.equal(Number(sql(db, 'SELECT COUNT(*) FROM episode')), before + 1);
  assert.equal(sql(db, `SELECT cost_grosze || ' ' || status || ' ' || start_date FROM episode WHERE start_date = '2026-06-01' AND institution_id = ${PUP}`), '120050 ongoing 2026-06-01');
  assert.ok(alerts >= 2);
  const rej = readFileSync(rejects, 'utf8');
  assert.match(rej, /PESEL 85123101236: instytucja nie ma aktualnej kartoteki tej osoby\./);
  assert.match(rej, /Instrument: wybierz instrument z listy\./);
  assert.equal(sql(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'episode.import'"), '1');
  // only bad rows: nothing imported, exit 1; no institution: usage, exit 2
  writeFileSync(file, 'PESEL;Instrument;Start\n85123101236;training;2026-04-01\n');
  r = spawnSync(BIN, ['import', 'episodes', file, '--institution', String(PUP), '--db', db.url]);
  assert.equal(r.status, 1);
  r = spawnSync(BIN, ['import', 'episodes', file, '--db', db.url]);
  assert.equal(r.status, 2);
  writeFileSync(file, 'Nazwisko;Imię\nNowak;Jan\n');
  r = spawnSync(BIN, ['import', 'episodes', file, '--institution', String(PUP), '--db', db.url]);
  assert.equal(r.status, 1);
  assert.match(r.stderr.toString(), /PESEL, Instrument/);
  assert.ok(!existsSync(path.join(db.dir, 'none.csv')));
});
