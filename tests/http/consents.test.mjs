// consents.test.mjs — the sharing rule over HTTP: a labour-office adviser
// reading a MOPS client is denied without an agreement (no_agreement),
// denied without the person's consent (no_consent), allowed with both and
// never shown a special category, denied again right after the consent is
// withdrawn; a search finds nothing of the MOPS's records without access;
// the take-over (201, then 409 with the existing record); the consent
// pages and the printable form; CSRF and bad input; every decision audited.
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

function pesel(body) {
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const s = [...body].reduce((a, d, i) => a + Number(d) * w[i], 0);
  return body + String((10 - (s % 10)) % 10);
}

const NOW = "'2026-01-01T00:00:00Z'";
const PESEL = pesel('9005171234');
let db, srv, admin, worker, adviser, mops, pup, P, AGR;

before(async () => {
  db = freshDatabase();
  mops = Number(sql(db, "SELECT institution_id FROM app_user WHERE login = 'pracownik'"));
  sql(db, `INSERT INTO institution (kind, name, name_fold, created_at, updated_at)
    VALUES ('pup', 'PUP Testowo', 'pup testowo', ${NOW}, ${NOW})`);
  pup = Number(sql(db, "SELECT id FROM institution WHERE name = 'PUP Testowo'"));
  srv = await start(db);
  admin = new Client(srv.base);
  await admin.apiSignIn('admin');
  const r = await admin.json('POST', '/api/v1/users', { login: 'doradca.pup', full_name: 'Doradca PUP', institution_id: pup, roles: ['labour_adviser'], password: 'Kasztan-zielony-42' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const signIn = async (login, password) => {
    const c = new Client(srv.base);
    await c.signIn(login, password);
    c.csrf = c.formToken;
    return c;
  };
  worker = await signIn('pracownik');
  adviser = await signIn('doradca.pup', 'Kasztan-zielony-42');
  const p = await worker.json('POST', '/api/v1/persons', {
    pesel: PESEL, first_names: 'Alicja', surname: 'Zgodna', birth_date: '1990-05-17', sex: 'K',
    town: 'Testowo', disability: 'moderate', disability_from: '2020-01-01', confirm_new: true,
  });
  assert.equal(p.status, 201, JSON.stringify(p.json));
  P = p.json.id;
});
after(async () => { await srv?.stop(); db?.cleanup(); });

const today = () => new Date().toISOString().slice(0, 10);
const audits = (detail) => Number(sql(db, `SELECT COUNT(*) FROM audit_log WHERE entity_id = '${P}' AND detail = '${detail}'`));

test('without an agreement: 403 no_agreement naming both institutions; the search shows nothing', async () => {
  const r = await adviser.json('GET', `/api/v1/persons/${P}`);
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'no_agreement');
  assert.match(r.json.message, /brak porozumienia między .+ a PUP Testowo/);
  assert.match(r.json.message, /„aktywizacja zawodowa”/);
  assert.equal(r.json.surname, undefined);
  const s = await adviser.json('GET', `/api/v1/persons?q=${PESEL}`);
  assert.equal(s.status, 200);
  assert.equal(s.json.total, 0);
  assert.equal(audits('reason=no_agreement purpose=cooperation:labour_market_activation'), 1);
  const page = await adviser.get(`/persons/${P}`);
  assert.equal(page.status, 403);
  assert.match(page.text, /brak porozumienia między/);
});

test('the consent form of an institution without an agreement in force says why its list is empty', async () => {
  const c = new Client(srv.base);
  await c.signIn('zielonka'); // the demo GOPS in Zielonka Mała is party to no agreement
  c.csrf = c.formToken;
  const p = await c.json('POST', '/api/v1/persons', { first_names: 'Bez', surname: 'Porozumienia', birth_date: '1980-01-01', confirm_new: true });
  assert.equal(p.status, 201, JSON.stringify(p.json));
  const form = await c.page(`/persons/${p.json.id}/consents`);
  assert.equal(form.status, 200);
  assert.match(form.text, /name="agreement_id"[^>]*><option value=""><\/option><\/select>/);
  assert.match(form.text, /Żadne porozumienie tej instytucji nie obowiązuje dziś\./);
});

test('with an agreement but no consent: 403 no_consent', async () => {
  sql(db, `INSERT INTO agreement (subject, signed_on, valid_from, valid_to, duration, status, created_at, updated_at)
    VALUES ('Porozumienie testowe', '2024-01-01', '2024-01-01', NULL, 'indefinite', 'signed', ${NOW}, ${NOW})`);
  const agr = Number(sql(db, "SELECT id FROM agreement WHERE subject = 'Porozumienie testowe'"));
  sql(db, `INSERT INTO agreement_party (agreement_id, institution_id) VALUES (${agr}, ${mops}), (${agr}, ${pup})`);
  sql(db, `INSERT INTO agreement_data (agreement_id, category) VALUES (${agr}, 'contact')`);
  AGR = agr;
  // the consent form offers the agreements in force of the person's institution instead of a number to type
  const form = await worker.page(`/persons/${P}/consents`);
  assert.equal(form.status, 200);
  assert.match(form.text, new RegExp(`name="agreement_id"[^>]*>[\\s\\S]*?<option value="${agr}">Nr ${agr} — Porozumienie testowe \\(od 01\\.01\\.2024\\)</option>`));
  const r = await adviser.json('GET', `/api/v1/persons/${P}`);
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'no_consent');
  assert.match(r.json.message, /brak zgody osoby na cel „aktywizacja zawodowa” obejmującej PUP Testowo/);
  const s = await adviser.json('GET', `/api/v1/persons?q=${PESEL}`);
  assert.equal(s.json.total, 0);
});

test('consents: bad input, CSRF, only the owner records them', async () => {
  const body = { person_id: P, recipient_institution_id: pup, purpose: 'labour_market_activation', basis: 'consent', given_form: 'written', valid_from: '2026-01-01', valid_to: null };
  let r = await worker.json('POST', '/api/v1/consents', { ...body, purpose: 'nonsense' });
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].field, 'purpose');
  r = await worker.json('POST', '/api/v1/consents', { ...body, basis: 'statute' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'statute_article');
  assert.match(r.json.message, /artyku/i);
  r = await worker.json('POST', '/api/v1/consents', { ...body, valid_from: '2026-13-01' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'valid_from');
  r = await worker.json('POST', '/api/v1/consents', { ...body, extra: 1 });
  assert.equal(r.status, 422);
  r = await worker.json('POST', '/api/v1/consents', body, { 'x-csrf-token': null });
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'csrf');
  r = await adviser.json('POST', '/api/v1/consents', body);
  assert.equal(r.status, 403, 'a partner does not record the owner\'s consents');
  assert.equal(Number(sql(db, `SELECT COUNT(*) FROM consent WHERE person_id = ${P}`)), 0);
  const f = await worker.form(`/persons/${P}/consents`, { purpose: 'labour_market_activation', basis: 'consent', given_form: 'written', valid_from: '2026-01-01', _csrf: null });
  assert.equal(f.status, 403);
});

test('with both: 200 without special categories; withdrawn: 403 at the next request', async () => {
  let r = await worker.json('POST', '/api/v1/consents', { person_id: P, recipient_institution_id: pup, purpose: 'labour_market_activation', basis: 'consent', given_form: 'written', valid_from: '2026-01-01', valid_to: null });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const C = r.json.id;
  assert.equal(r.json.recipient_institution_id, pup);
  assert.equal(r.json.institution_id, mops);
  // the agreement lets only contact details flow: without identity nothing can be shown
  r = await adviser.json('GET', `/api/v1/persons/${P}`);
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'not_in_agreement');
  assert.match(r.json.message, /nie wymienia danych identyfikacyjnych/);
  assert.equal(audits('reason=not_in_agreement purpose=cooperation:labour_market_activation'), 1);
  sql(db, `INSERT INTO agreement_data (agreement_id, category) VALUES (${AGR}, 'identity'), (${AGR}, 'labour_status')`);
  r = await adviser.json('GET', `/api/v1/persons/${P}`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.surname, 'Zgodna');
  assert.equal(r.json.pesel, PESEL);
  assert.equal(r.json.town, 'Testowo');
  assert.equal('disability' in r.json, false, 'health never reaches a labour office');
  assert.equal('disability_from' in r.json, false);
  assert.equal('lead_worker' in r.json, false);
  assert.equal('household' in r.json, false, 'social is not among the agreement\'s categories');
  assert.equal('support' in r.json, false);
  assert.deepEqual(r.json.shared.sections, ['identity', 'contact', 'labour_status']);
  assert.deepEqual(r.json.labour_status.periods, []);
  assert.equal(r.json.labour_status.long_term_unemployed, false);
  assert.equal(audits('purpose=cooperation:labour_market_activation sections=identity,contact,labour_status'), 1);
  // the support category: the person's episodes at the MOPS, with institution, instrument, period
  sql(db, `INSERT INTO agreement_data (agreement_id, category) VALUES (${AGR}, 'support'), (${AGR}, 'social')`);
  let e = await worker.json('POST', '/api/v1/episodes', { person_id: P, instrument: 'social_counselling', start: '2026-01-05', planned_end: '2026-03-31', cost_grosze: 0 });
  assert.equal(e.status, 201, JSON.stringify(e.json));
  r = await adviser.json('GET', `/api/v1/persons/${P}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.support.length, 1);
  assert.equal(r.json.support[0].institution.id, mops);
  assert.equal(r.json.support[0].from, '2026-01-05');
  assert.equal(r.json.support[0].to, '2026-03-31');
  assert.equal('cost_grosze' in r.json.support[0], false);
  assert.deepEqual(r.json.household, []);
  let pg = await adviser.get(`/persons/${P}`);
  assert.match(pg.text, /Status na rynku pracy/);
  assert.match(pg.text, /Otrzymywane wsparcie/);
  assert.match(pg.text, /Gospodarstwo domowe/);
  sql(db, `DELETE FROM agreement_data WHERE agreement_id = ${AGR} AND category IN ('support', 'social')`);
  // another purpose is not covered by this consent
  r = await adviser.json('GET', `/api/v1/persons/${P}?purpose=social_contract`);
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'no_consent');
  assert.match(r.json.message, /„kontrakt socjalny”/);
  // the owner sees the health data
  r = await worker.json('GET', `/api/v1/persons/${P}`);
  assert.equal(r.json.disability, 'moderate');
  let s = await adviser.json('GET', `/api/v1/persons?q=${PESEL}`);
  assert.equal(s.json.total, 1);
  assert.equal(s.json.items[0].id, P);
  assert.equal(s.json.items[0].town, 'Testowo');
  // the search shows the address only while the agreement lets contact details flow
  sql(db, `DELETE FROM agreement_data WHERE agreement_id = ${AGR} AND category = 'contact'`);
  s = await adviser.json('GET', `/api/v1/persons?q=${PESEL}`);
  assert.equal(s.json.total, 1);
  assert.ok(s.json.items[0].town == null, JSON.stringify(s.json.items[0]));
  r = await adviser.json('GET', `/api/v1/persons/${P}`);
  assert.equal('town' in r.json, false);
  sql(db, `INSERT INTO agreement_data (agreement_id, category) VALUES (${AGR}, 'contact')`);
  const page = await adviser.get(`/persons/${P}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /take-over/);
  assert.doesNotMatch(page.text, /moderate|umiarkowany/i);
  r = await worker.json('GET', `/api/v1/persons/${P}/consents`);
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 1);
  r = await adviser.json('GET', `/api/v1/persons/${P}/consents`);
  assert.equal(r.status, 403);
  // withdraw: the next request is denied
  r = await adviser.json('POST', `/api/v1/consents/${C}/withdraw`, {});
  assert.equal(r.status, 404);
  r = await worker.json('POST', `/api/v1/consents/${C}/withdraw`, {}, { 'x-csrf-token': null });
  assert.equal(r.status, 403);
  r = await worker.json('POST', `/api/v1/consents/${C}/withdraw`, {});
  assert.equal(r.status, 200);
  assert.equal(r.json.withdrawn_on, today());
  r = await worker.json('POST', `/api/v1/consents/${C}/withdraw`, {});
  assert.equal(r.status, 422);
  r = await adviser.json('GET', `/api/v1/persons/${P}`);
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'no_consent');
  s = await adviser.json('GET', `/api/v1/persons?q=${PESEL}`);
  assert.equal(s.json.total, 0);
});

test('pages: the consents list, the add form, withdrawal, the printable form with the RODO clause', async () => {
  let r = await worker.page(`/persons/${P}/consents`);
  assert.equal(r.status, 200);
  assert.match(r.text, /wycofana|wycofano/i);
  r = await worker.form(`/persons/${P}/consents`, { purpose: 'labour_market_activation', recipient_institution_id: String(pup), basis: 'statute', statute_article: '', given_form: '', valid_from: '2026-01-01', valid_to: '' });
  assert.equal(r.status, 422);
  r = await worker.form(`/persons/${P}/consents`, { purpose: 'labour_market_activation', recipient_institution_id: String(pup), basis: 'consent', given_form: 'written', valid_from: '2026-01-01', valid_to: '2099-12-31' });
  assert.equal(r.status, 303, r.text);
  const C = Number(sql(db, `SELECT MAX(id) FROM consent WHERE person_id = ${P}`));
  r = await worker.page(`/consents/${C}/print`);
  assert.equal(r.status, 200);
  assert.match(r.text, /art\. 13 RODO/);
  assert.match(r.text, /art\. 6 ust\. 1 lit\. a/);
  assert.match(r.text, /IOD/);
  assert.match(r.text, /PUP Testowo/);
  r = await adviser.get(`/consents/${C}/print`);
  assert.equal(r.status, 404);
  r = await worker.page(`/consents/${C}/withdraw`);
  assert.equal(r.status, 200);
  r = await adviser.json('GET', `/api/v1/persons/${P}`);
  assert.equal(r.status, 200);
});

test('take-over: 201 with the new record of the PUP, then 409 naming it', async () => {
  let r = await adviser.json('POST', `/api/v1/persons/${P}/take-over`, {}, { 'x-csrf-token': null });
  assert.equal(r.status, 403);
  r = await adviser.json('POST', `/api/v1/persons/${P}/take-over`, {});
  assert.equal(r.status, 201, r.text);
  const N = r.json.id;
  assert.notEqual(N, P);
  assert.equal(r.json.institution_id, pup);
  assert.equal(r.json.pesel, PESEL);
  assert.equal(sql(db, `SELECT institution_id || ' ' || surname || ' ' || COALESCE(disability, '-') FROM person WHERE id = ${N}`), `${pup} Zgodna -`);
  assert.match(sql(db, `SELECT new_value FROM record_history WHERE entity = 'person' AND entity_id = ${N} AND field = 'source'`), new RegExp(`take-over of person ${P}`));
  r = await adviser.json('POST', `/api/v1/persons/${P}/take-over`, {});
  assert.equal(r.status, 409);
  assert.equal(r.json.id, N);
  r = await adviser.json('GET', `/api/v1/persons/${N}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.lead_worker.name, 'Doradca PUP');
  // the owner's worker cannot take over its own record
  r = await worker.json('POST', `/api/v1/persons/${P}/take-over`, {});
  assert.equal(r.status, 409);
});

test('the start page lists consents ending within 30 days', async () => {
  const soon = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
  const r = await worker.json('POST', '/api/v1/consents', { person_id: P, recipient_institution_id: pup, purpose: 'social_contract', basis: 'statute', statute_article: 'art. 50 ust. 2 u.p.z.', valid_from: '2026-01-01', valid_to: soon });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const before = Number(sql(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.list' AND detail LIKE '%consents ending%'"));
  // the start page counts them and names nobody (it is often on screen)
  const h = await worker.get('/');
  assert.match(h.text, /Zgody kończące się w ciągu 30 dni/);
  assert.match(h.text, /<a href="\/consents\/expiring">[0-9]+ zg/);
  assert.doesNotMatch(h.text, /Alicja Zgodna/);
  // their list names the persons: a read of personal data, recorded with the ids shown
  const l = await worker.get('/consents/expiring');
  assert.equal(l.status, 200);
  assert.match(l.text, /Alicja Zgodna/);
  const detail = sql(db, "SELECT detail FROM audit_log WHERE action = 'person.list' AND detail LIKE '%consents ending%' ORDER BY id DESC LIMIT 1");
  assert.equal(Number(sql(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.list' AND detail LIKE '%consents ending%'")), before + 1);
  assert.match(detail, new RegExp(`ids=([0-9]+,)*${P}(,|\\b)`));
  // an administrator is not a caseworker: refused, in Polish
  const a = await admin.get('/consents/expiring');
  assert.equal(a.status, 403);
});

test('the partner\'s view of a household: a member\'s name only with the member\'s consent; the member\'s data-subject report lists the read', async () => {
  sql(db, `INSERT INTO agreement_data (agreement_id, category) VALUES (${AGR}, 'social')`);
  const mk = async (first, body) => {
    const r = await worker.json('POST', '/api/v1/persons', { pesel: pesel(body), first_names: first, surname: 'Rodzinna', birth_date: '1985-02-02', sex: 'K', town: 'Testowo', confirm_new: true });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    return r.json.id;
  };
  const A = await mk('Beata', '8502021234'), S = await mk('Celina', '8502021244'), K = await mk('Dorota', '8502021266');
  let r = await worker.json('POST', '/api/v1/families', { applicant_id: A, town: 'Testowo' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const F = r.json.id;
  for (const [p, rel] of [[S, 'spouse'], [K, 'child']]) {
    r = await worker.json('POST', `/api/v1/families/${F}/members`, { person_id: p, relation: rel });
    assert.ok(r.status < 300, JSON.stringify(r.json));
  }
  for (const p of [A, S]) {
    r = await worker.json('POST', '/api/v1/consents', { person_id: p, recipient_institution_id: pup, purpose: 'labour_market_activation', basis: 'consent', given_form: 'written', valid_from: '2026-01-01' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  r = await adviser.json('GET', `/api/v1/persons/${A}`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.household_relation, 'applicant');
  const byRel = Object.fromEntries(r.json.household.map((m) => [m.relation, m]));
  assert.equal(byRel.spouse.shared, true);
  assert.equal(byRel.spouse.first_names, 'Celina');
  assert.equal(byRel.child.shared, false);
  assert.equal(byRel.child.first_names, undefined, 'no consent of the child: only the relation');
  assert.equal(JSON.stringify(r.json).includes('Dorota'), false);
  // the spouse's report (art. 15 RODO) names the PUP's read of her data
  const d = await worker.get(`/persons/${S}/dataprot`);
  assert.equal(d.status, 200);
  const row = sql(db, `SELECT detail FROM audit_log WHERE action = 'person.read' AND entity_id IS NULL AND detail LIKE 'ids=%' ORDER BY id DESC LIMIT 1`);
  assert.equal(row, `ids=${S} of=${A} purpose=cooperation:labour_market_activation`);
  assert.match(d.text, /doradca\.pup/);
  sql(db, `DELETE FROM agreement_data WHERE agreement_id = ${AGR} AND category = 'social'`);
});
