// referrals.test.mjs — referrals between institutions: the API and the
// pages (inbox and outbox, new from a person's page or by PESEL, the
// referral's page with its forms, the printable letter, the start-page
// panel), CSRF, Polish validation messages, the transitions allowed and
// refused (accept twice, refuse without a reason, link before accepting),
// a PESEL sent to every partner, and privacy: an institution that is not a
// party gets 404 and never reads a message; an accepted referral with the
// person's consent opens the record to the sender.
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

let db, srv, worker, adviser, outsider, analyst, MOPS, PUP, GOPS, P1, PESEL1, P2, PESEL2, P3, PESEL3;
const NOBODY = '02070803628'; // a valid PESEL nobody in the demo holds

before(async () => {
  db = freshDatabase();
  const one = (q) => sql(db, q);
  MOPS = Number(one("SELECT id FROM institution WHERE kind = 'mops'"));
  PUP = Number(one("SELECT id FROM institution WHERE kind = 'pup'"));
  GOPS = Number(one("SELECT institution_id FROM app_user WHERE login = 'brzozowo'"));
  // an agreement MOPS–PUP in force (the demo may hold others: counts are read from the database)
  sql(db, `INSERT INTO agreement (subject, signed_on, valid_from, valid_to, duration, status, created_at, updated_at)
    VALUES ('test referrals', '2025-01-01', '2025-01-01', NULL, 'indefinite', 'signed', 'x', 'x')`);
  const AG = Number(one("SELECT id FROM agreement WHERE subject = 'test referrals'"));
  sql(db, `INSERT INTO agreement_party (agreement_id, institution_id) VALUES (${AG}, ${MOPS}), (${AG}, ${PUP})`);
  const rows = one(`SELECT id || ':' || pesel FROM person WHERE institution_id = ${MOPS} AND pesel IS NOT NULL AND deleted_at IS NULL ORDER BY id LIMIT 2`).split('\n');
  [[P1, PESEL1], [P2, PESEL2]] = rows.map((r) => { const [i, p] = r.split(':'); return [Number(i), p]; });
  // one nobody has a consent for, nor a referral about (the demo has some of both)
  [P3, PESEL3] = one(`SELECT p.id || ':' || p.pesel FROM person p WHERE p.institution_id = ${MOPS} AND p.pesel IS NOT NULL
    AND p.deleted_at IS NULL AND p.id > ${P2} AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.person_id = p.id)
    AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.person_id = p.id OR r.pesel = p.pesel) ORDER BY p.id LIMIT 1`)
    .split(':').map((x, i) => (i === 0 ? Number(x) : x));
  srv = await start(db);
  const signIn = async (login) => {
    const c = new Client(srv.base);
    await c.signIn(login);
    c.csrf = c.formToken;
    return c;
  };
  worker = await signIn('pracownik');
  adviser = await signIn('doradca');
  outsider = await signIn('brzozowo');
  analyst = await signIn('analityk');
});
after(async () => { await srv?.stop(); db?.cleanup(); });

const partnersOf = (inst) => Number(sql(db, `SELECT count(DISTINCT o.institution_id) FROM agreement_party s
  JOIN agreement g ON g.id = s.agreement_id JOIN agreement_party o ON o.agreement_id = g.id AND o.institution_id <> s.institution_id
  JOIN institution i ON i.id = o.institution_id AND i.active = 1
  WHERE s.institution_id = ${inst} AND g.status = 'signed' AND g.valid_from <= '${new Date().toISOString().slice(0, 10)}'
  AND (g.valid_to IS NULL OR g.valid_to >= '${new Date().toISOString().slice(0, 10)}')`));

test('API: a PESEL to every partner is one referral per partner, in one batch; each decides alone', async () => {
  const r = await adviser.json('POST', '/api/v1/referrals', { pesel: PESEL1, purpose: 'labour_market_activation', message: 'Czy pani korzysta z pomocy?' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const n = partnersOf(PUP);
  assert.ok(n >= 1);
  assert.equal(r.json.ids.length, n);
  assert.equal(Number(sql(db, `SELECT count(*) FROM referral WHERE batch = ${r.json.id}`)), n > 1 ? n : 0);
  const toMops = Number(sql(db, `SELECT id FROM referral WHERE pesel = '${PESEL1}' AND to_institution_id = ${MOPS}`));
  // the sender sees it waiting, without the person: nothing about MOPS's records yet
  let g = await adviser.json('GET', `/api/v1/referrals/${toMops}`);
  assert.equal(g.status, 200);
  assert.equal(g.json.state, 'requested');
  assert.equal(g.json.person_id, null);
  assert.equal(g.json.person, undefined);
  assert.equal(g.json.message, 'Czy pani korzysta z pomocy?');
  // the MOPS sees it in its inbox; accepts: the record with the PESEL is the one named
  const inbox = await worker.json('GET', '/api/v1/referrals?state=requested');
  assert.equal(inbox.status, 200);
  assert.ok(inbox.json.items.some((x) => x.id === toMops));
  const acc = await worker.json('POST', `/api/v1/referrals/${toMops}/accept`, {});
  assert.equal(acc.status, 200, JSON.stringify(acc.json));
  assert.equal(acc.json.state, 'accepted');
  assert.equal(acc.json.person_id, P1);
  // twice: 409 with the reason
  const again = await worker.json('POST', `/api/v1/referrals/${toMops}/accept`, {});
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'state');
  assert.equal(again.json.message, 'Na to skierowanie już odpowiedziano.');
  // the sender sees the record's number, never its names
  g = await adviser.json('GET', `/api/v1/referrals/${toMops}`);
  assert.equal(g.json.person_id, P1);
  assert.equal(g.json.person, undefined);
  // link: the sender links it to what followed; twice is refused
  // to an episode: the linker's own only (a MOPS episode is not the PUP's to name)
  const mopsEpisode = Number(sql(db, `SELECT COALESCE(MIN(id), 0) FROM episode WHERE institution_id = ${MOPS}`));
  if (mopsEpisode > 0) {
    const l0 = await adviser.json('POST', `/api/v1/referrals/${toMops}/link`, { kind: 'episode', linked_id: mopsEpisode });
    assert.equal(l0.status, 422);
    assert.equal(l0.json.field, 'linked_id');
  }
  let l = await adviser.json('POST', `/api/v1/referrals/${toMops}/link`, { kind: 'contract', linked_id: 5 });
  assert.equal(l.status, 200, JSON.stringify(l.json));
  assert.deepEqual(l.json.linked, { kind: 'contract', id: 5 });
  l = await adviser.json('POST', `/api/v1/referrals/${toMops}/link`, { kind: 'contract', linked_id: 6 });
  assert.equal(l.status, 409);
  // audit rows of every step
  assert.equal(sql(db, `SELECT action FROM audit_log WHERE entity = 'referral' AND entity_id = '${toMops}' AND action NOT LIKE '%.read' ORDER BY id`),
    'referral.create\nreferral.accept\nreferral.link');
  assert.equal(Number(sql(db, `SELECT count(*) FROM audit_log WHERE action LIKE 'referral.%' AND detail LIKE '%korzysta%'`)), 0, 'no message in the audit log');
});

test('API: bad input and transitions refused, in Polish, naming the field', async () => {
  let r = await adviser.json('POST', '/api/v1/referrals', { pesel: '44051401459', purpose: 'labour_market_activation' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'pesel');
  assert.equal(r.json.message, 'To nie jest poprawny numer PESEL: sprawdź cyfry.');
  r = await adviser.json('POST', '/api/v1/referrals', { pesel: NOBODY, purpose: 'gossip' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'purpose');
  r = await adviser.json('POST', '/api/v1/referrals', { pesel: NOBODY, purpose: 'statistics', colour: 'red' });
  assert.equal(r.status, 422, 'an unknown member is refused');
  // a record the adviser may not name (MOPS's, never named between them): the same answer as none
  r = await adviser.json('POST', '/api/v1/referrals', { person_id: P3, to_institution_id: MOPS, purpose: 'social_contract' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'person_id');
  const same = await adviser.json('POST', '/api/v1/referrals', { person_id: 99999999, to_institution_id: MOPS, purpose: 'social_contract' });
  assert.equal(same.json.message, r.json.message);
  // CSRF
  r = await adviser.json('POST', '/api/v1/referrals', { pesel: NOBODY, purpose: 'statistics' }, { 'x-csrf-token': null });
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'csrf');
  // a referral to refuse: without a reason, by the sender, before accepting link
  r = await adviser.json('POST', '/api/v1/referrals', { pesel: NOBODY, to_institution_id: MOPS, purpose: 'statistics', message: 'Poufne' });
  assert.equal(r.status, 201);
  const id = r.json.id;
  let t = await worker.json('POST', `/api/v1/referrals/${id}/link`, { kind: 'person', linked_id: P1 });
  assert.equal(t.status, 409);
  assert.equal(t.json.message, 'Z udzielonym wsparciem wiąże się tylko przyjęte skierowanie.');
  t = await adviser.json('POST', `/api/v1/referrals/${id}/accept`, {});
  assert.equal(t.status, 403);
  assert.equal(t.json.code, 'forbidden');
  t = await worker.json('POST', `/api/v1/referrals/${id}/refuse`, { reason: '  ' });
  assert.equal(t.status, 422);
  assert.equal(t.json.field, 'reason');
  assert.equal(t.json.message, 'Podaj powód odmowy (na przykład: nie jest naszym klientem).');
  t = await worker.json('POST', `/api/v1/referrals/${id}/refuse`, { reason: 'Nie jest naszym klientem.' });
  assert.equal(t.status, 200);
  assert.equal(t.json.state, 'refused');
  assert.equal(t.json.refusal_reason, 'Nie jest naszym klientem.');
  // a non-party: 404 for the referral, its transitions and its page; nothing in its lists
  for (const p of [`/api/v1/referrals/${id}`]) assert.equal((await outsider.json('GET', p)).status, 404);
  assert.equal((await outsider.json('POST', `/api/v1/referrals/${id}/accept`, {})).status, 404);
  assert.equal((await outsider.page(`/referrals/${id}`)).status, 404);
  assert.equal((await outsider.page(`/referrals/${id}/print`)).status, 404);
  for (const box of ['received', 'sent']) {
    const l = await outsider.json('GET', `/api/v1/referrals?box=${box}`);
    assert.equal(l.status, 200);
    assert.ok(!JSON.stringify(l.json).includes('Poufne'));
    assert.ok(!l.json.items.some((x) => x.id === id));
  }
  // roles without casework: 403 with the reason
  const a = await analyst.json('GET', '/api/v1/referrals');
  assert.equal(a.status, 403);
  assert.equal(a.json.code, 'role');
  assert.equal((await adviser.json('GET', '/api/v1/referrals?box=nowhere')).status, 422);
});

test('pages: from the person page, by record; the inbox, the panel, accept with consent opens the record', async () => {
  let r = await worker.page(`/persons/${P2}`);
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`href="/referrals/new\\?person_id=${P2}"[^>]*>Wyślij zapytanie / skierowanie<`));
  r = await worker.page(`/referrals/new?person_id=${P2}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1[^>]*>Wyślij zapytanie \/ skierowanie<\/h1>/);
  assert.match(r.text, new RegExp(`<option value="${PUP}">Powiatowy Urząd Pracy`));
  // errors in Polish, the form kept
  r = await worker.form('/referrals/new', { person_id: P2, to_institution_id: PUP, purpose: '', message: 'Proszę o ofertę' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Cel: to pole jest wymagane\./);
  assert.match(r.text, />Proszę o ofertę<\/textarea>/);
  // CSRF
  r = await worker.form('/referrals/new', { person_id: P2, to_institution_id: PUP, purpose: 'labour_market_activation', _csrf: null });
  assert.equal(r.status, 403);
  r = await worker.form('/referrals/new', { person_id: P2, to_institution_id: PUP, purpose: 'labour_market_activation', message: 'Proszę o ofertę szkolenia.' });
  assert.equal(r.status, 303);
  const id = Number(r.headers.get('location').match(/^\/referrals\/(\d+)$/)[1]);
  // the adviser's start page: waiting for an answer, with its link
  r = await adviser.page('/');
  assert.match(r.text, /<section class="card" id="panel-referrals"><h2>Skierowania<\/h2>/);
  assert.match(r.text, new RegExp(`<h3>Otrzymane, do decyzji</h3><ul><li><a href="/referrals/${id}">Skierowanie nr ${id}</a> — Miejski Ośrodek`));
  r = await worker.page('/');
  assert.match(r.text, new RegExp(`Wysłane, czekają na odpowiedź</h3><ul><li><a href="/referrals/${id}">`));
  // the inbox and the page: the sender disclosed its record, so the adviser reads the name
  r = await adviser.page('/referrals');
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`<a href="/referrals/${id}">${id}</a>`));
  r = await adviser.page(`/referrals/${id}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Proszę o ofertę szkolenia\./);
  assert.match(r.text, /action="\/referrals\/\d+\/accept"/);
  assert.match(r.text, /action="\/referrals\/\d+\/refuse"/);
  // refusing without a reason: the page again with the error
  r = await adviser.form(`/referrals/${id}/refuse`, { reason: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Podaj powód odmowy/);
  r = await adviser.form(`/referrals/${id}/accept`, {});
  assert.equal(r.status, 303);
  r = await adviser.page(`/referrals/${id}`);
  assert.match(r.text, /Skierowanie zostało przyjęte\./);
  assert.match(r.text, /action="\/referrals\/\d+\/link"/);
  // the printed letter: both institutions with their addresses, the purpose, the message, signatures
  r = await adviser.page(`/referrals/${id}/print`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Miejski Ośrodek Pomocy Społecznej w Przykładowie<\/strong><br>ul\. Rynek 12<br>99-300 Przykładowo/);
  assert.match(r.text, /Powiatowy Urząd Pracy w Przykładowie<\/strong><br>ul\. Kolejowa 5/);
  assert.match(r.text, /aktywizacja zawodowa/);
  assert.match(r.text, /podpis pracownika kierującego/);
  assert.equal(Number(sql(db, `SELECT count(*) FROM audit_log WHERE action = 'referral.read' AND entity_id = '${id}'`)) >= 2, true);
});

test('pages: by PESEL; accepting with the consent opens the record to the sender for the purpose', async () => {
  let r = await adviser.page('/referrals/new');
  assert.equal(r.status, 200);
  assert.match(r.text, /wszystkie instytucje partnerskie/);
  r = await adviser.form('/referrals/new', { pesel: '123', purpose: 'labour_market_activation' });
  assert.equal(r.status, 422);
  assert.match(r.text, /To nie jest poprawny numer PESEL/);
  const before = (await adviser.json('GET', `/api/v1/persons/${P3}`));
  assert.equal(before.status, 403, 'no consent yet');
  r = await adviser.form('/referrals/new', { pesel: PESEL3, to_institution_id: MOPS, purpose: 'labour_market_activation', message: 'Proszę o zgodę.' });
  assert.equal(r.status, 303);
  const id = Number(r.headers.get('location').match(/(\d+)$/)[1]);
  r = await worker.page(`/referrals/${id}`);
  assert.match(r.text, new RegExp(`Twoja instytucja ma tę osobę: rekord nr ${P3}\\.`));
  r = await worker.form(`/referrals/${id}/accept`, { person_id: P3, consent: '1', consent_form: 'written', consent_valid_to: '' });
  assert.equal(r.status, 303, r.text.slice(0, 2000));
  assert.equal(sql(db, `SELECT recipient_institution_id || ' ' || purpose || ' ' || basis FROM consent WHERE person_id = ${P3}`),
    `${PUP} labour_market_activation consent`);
  const after = await adviser.json('GET', `/api/v1/persons/${P3}`);
  assert.equal(after.status, 200, JSON.stringify(after.json));
  assert.equal(after.json.pesel, PESEL3);
});
