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
import { execFileSync } from 'node:child_process';
import { freshDatabase, start, Client } from './lib.mjs';

const PG = (process.env.RAZEM_TEST_DB || 'sqlite') !== 'sqlite';

function sql(db, text) {
  const out = PG
    ? execFileSync('psql', [db.url, '-qAtX', '-v', 'ON_ERROR_STOP=1', '-c', text], { stdio: 'pipe' })
    : execFileSync('sqlite3', [db.url, text], { stdio: 'pipe' });
  return out.toString().trim();
}

const NOW = "'2026-01-01T00:00:00Z'";
const PESEL = '44051401458';
let db, srv, worker, adviser, coordinator, MOPS, PUP, P1, P2;

before(async () => {
  db = freshDatabase();
  MOPS = Number(sql(db, "SELECT id FROM institution WHERE kind = 'mops'"));
  PUP = Number(sql(db, "SELECT id FROM institution WHERE kind = 'pup'"));
  // the same human (same PESEL) known to the MOPS and to the PUP
  for (const inst of [MOPS, PUP]) {
    sql(db, `INSERT INTO person (institution_id, pesel, first_names, surname, surname_fold, first_fold, birth_date, sex, created_at, updated_at)
      VALUES (${inst}, '${PESEL}', 'Jan', 'Dwojak', 'dwojak', 'jan', '1944-05-14', 'M', ${NOW}, ${NOW})`);
  }
  P1 = Number(sql(db, `SELECT id FROM person WHERE surname = 'Dwojak' AND institution_id = ${MOPS}`));
  P2 = Number(sql(db, `SELECT id FROM person WHERE surname = 'Dwojak' AND institution_id = ${PUP}`));
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
  let r = await adviser.json('POST', '/api/v1/episodes', training(P2, PUP, '2026-03-01', '2026-05-31'));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.kind, 'training');
  assert.equal(r.headers.get('location'), `/api/v1/episodes/${r.json.id}`);
  r = await adviser.get(`/api/v1/episodes/${r.json.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.cost_grosze, 250000);
  r = await worker.json('POST', '/api/v1/episodes', { ...training(P1, MOPS, '2026-01-01', '2026-01-31'), instrument: 'social_vocational_course' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(sql(db, 'SELECT COUNT(*) FROM support_overlap'), '0');
});

test('duplicated support: 409, acknowledged → 201 and an alert on both sides; resolved with history; report', async (t) => {
  const ag = await coordinator.json('POST', '/api/v1/agreements', {
    institutions: [MOPS, PUP], subject: 'Współpraca MOPS–PUP', signed_on: '2026-01-01', valid_from: '2026-01-01',
    valid_to: null, status: 'signed', forms: ['information_exchange'],
  });
  if (ag.status === 404 || ag.status === 405) { t.skip('the agreements API is not built in yet'); return; }
  assert.equal(ag.status, 201, JSON.stringify(ag.json));
  const body = { ...training(P1, MOPS, '2026-05-01', '2026-06-30'), instrument: 'social_vocational_course' };
  let r = await worker.json('POST', '/api/v1/episodes', body);
  assert.equal(r.status, 409, JSON.stringify(r.json));
  assert.equal(r.json.code, 'duplicated_support');
  assert.equal(r.json.overlaps.length, 1);
  assert.equal(r.json.overlaps[0].kind, 'training');
  if (!r.json.overlaps[0].disclosed) {
    assert.match(r.json.overlaps[0].message, /partnerska odnotowuje nakładające się wsparcie rodzaju „training”/);
    assert.equal(r.json.overlaps[0].institution_id, undefined);
  }
  assert.equal(sql(db, `SELECT COUNT(*) FROM episode WHERE person_id = ${P1} AND start_date = '2026-05-01'`), '0');
  r = await worker.json('POST', '/api/v1/episodes', { ...body, acknowledge_duplicate: true });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(sql(db, "SELECT COUNT(*) FROM support_overlap WHERE overlap_from = '2026-05-01' AND overlap_to = '2026-05-31'"), '1');
  let a = await worker.get('/api/v1/alerts?state=open');
  assert.equal(a.json.items.length, 1);
  a = await adviser.get('/api/v1/alerts?state=open');
  assert.equal(a.json.items.length, 1);
  const alertId = a.json.items[0].id;
  // the form: a first submit warns with "zapisz mimo to" carrying the data
  await worker.page(`/persons/${P1}/episodes/new`);
  r = await worker.form(`/persons/${P1}/episodes/new`, { instrument: 'social_vocational_course', start: '2026-04-01', planned_end: '2026-04-30', cost: '100' });
  assert.equal(r.status, 409);
  assert.match(r.text, /Powielone wsparcie/);
  assert.match(r.text, /Zapisz mimo to/);
  assert.match(r.text, /name="acknowledge_duplicate" value="1"/);
  assert.match(r.text, /value="2026-04-01"/);
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
  r = await worker.get('/api/v1/reports/duplicated-support?year=2026');
  assert.equal(r.status, 200);
  assert.equal(r.json.items[0].kind, 'training');
  assert.equal(r.json.items[0].overlaps, 2);
  r = await coordinator.get('/api/v1/reports/duplicated-support?year=2026');
  assert.equal(r.json.items[0].suppressed, true);
  assert.equal(r.json.items[0].overlaps, null);
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
