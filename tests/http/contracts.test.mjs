// contracts.test.mjs — social contracts, county teams and the local programme
// over HTTP: the demo's shape; the API (list by role, the whole contract, each
// rule's message naming the member or action, every transition refused by role
// with 403 and by state with 409, amending an approved contract as a pending
// version, termination for non-cooperation and its task); who sees what (the
// guardian and the PZKW through the family's consent, labour offices without
// the special categories, nobody else); the pages with their forms and CSRF,
// the start-page reminders; teams, meetings and the LPIW; the audit rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { freshDatabase, start, Client } from './lib.mjs';

const PG = (process.env.RAZEM_TEST_DB || 'sqlite') !== 'sqlite';

function sql(db, text) {
  const out = PG
    ? execFileSync('psql', [db.url, '-qAtX', '-v', 'ON_ERROR_STOP=1', '-c', text], { stdio: 'pipe' })
    : execFileSync('sqlite3', [db.url, text], { stdio: 'pipe' });
  return out.toString().trim();
}

let db, srv, worker, guardian, coord, adviser, other, admin;
let FAMILY, APPLICANT, LPIW, ACTION_PRO, ACTION_SPORT, CIS, NGO, MGI_GUARDIAN, MEETING;
const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

before(async () => {
  db = freshDatabase();
  const one = (q) => Number(sql(db, q));
  [FAMILY, APPLICANT] = sql(db, "SELECT family_id || '|' || person_id FROM contract WHERE kind = 'family' ORDER BY id LIMIT 1")
    .split('|').map(Number);
  LPIW = one("SELECT id FROM lpiw WHERE state = 'adopted'");
  ACTION_PRO = one(`SELECT id FROM lpiw_action WHERE lpiw_id = ${LPIW} AND module = 'pro_employment'`);
  ACTION_SPORT = one(`SELECT id FROM lpiw_action WHERE lpiw_id = ${LPIW} AND module = 'sport_culture'`);
  CIS = one("SELECT id FROM institution WHERE kind = 'cis'");
  NGO = one("SELECT id FROM institution WHERE kind = 'police'");
  MGI_GUARDIAN = one(`SELECT m.id FROM team_member m JOIN app_user u ON u.id = m.user_id WHERE u.login = 'opiekun'`);
  MEETING = one("SELECT MAX(id) FROM meeting");
  srv = await start(db);
  const api = async (login) => { const c = new Client(srv.base); await c.apiSignIn(login); return c; };
  worker = await api('pracownik');
  guardian = await api('opiekun');
  coord = await api('koordynator');
  adviser = await api('doradca');
  other = await api('brzozowo');
  admin = await api('admin');
});
after(async () => { await srv?.stop(); db?.cleanup(); });

// A family contract of the demo household meeting every rule (its members from the household).
async function members() {
  const rows = sql(db, `SELECT p.id || '|' || p.birth_date FROM family_member m JOIN person p ON p.id = m.person_id
    WHERE m.family_id = ${FAMILY} AND m.member_to IS NULL ORDER BY m.id`).split('\n');
  const cut = `${Number(day(0).slice(0, 4)) - 18}${day(0).slice(4)}`;
  return rows.map((r) => { const [id, b] = r.split('|'); return { id: Number(id), child: b > cut }; });
}

async function goodFamily() {
  const ms = await members();
  return {
    kind: 'family', person_id: APPLICANT, family_id: FAMILY, guardian_member_id: MGI_GUARDIAN,
    consent_form: 'written', valid_from: day(0), valid_to: day(200), lpiw_id: LPIW,
    causes: 'Bezrobocie', special_notes: 'Leczenie odwykowe',
    goals: [{ kind: 'main', text: 'Praca dla rodziców' }],
    actions: ms.map((m) => m.child
      ? { module: 'sport_culture', title: 'Zajęcia sportowe', member_person_id: m.id, performer: 'client', deadline: day(30) }
      : { module: 'pro_employment', title: 'Szkolenie', member_person_id: m.id, performer: 'institution',
          institution_id: CIS, lpiw_action_id: ACTION_PRO, deadline: day(30), cost: 10000 }),
    budget: [{ line: 'Kurs', source: 'pup', planned: 100000 }],
  };
}

test('demo: a PZKW, an MGI, an adopted LPIW, ten family and twenty individual contracts over every state', () => {
  assert.equal(sql(db, "SELECT COUNT(*) FROM team WHERE kind = 'pzkw'"), '1');
  assert.equal(sql(db, "SELECT COUNT(*) FROM team WHERE kind = 'mgi'"), '1');
  assert.equal(sql(db, "SELECT COUNT(*) FROM lpiw WHERE state = 'adopted' AND decision_id IS NOT NULL"), '1');
  // the contracts demo's own (demo/outcomes.c adds an earlier, completed cohort in another centre)
  const mops = "(SELECT institution_id FROM app_user WHERE login = 'pracownik')";
  assert.equal(sql(db, `SELECT COUNT(*) FROM contract WHERE kind = 'family' AND institution_id = ${mops}`), '10');
  assert.equal(sql(db, `SELECT COUNT(*) FROM contract WHERE kind <> 'family' AND institution_id = ${mops}`), '20');
  assert.equal(sql(db, 'SELECT COUNT(DISTINCT state) FROM contract'), '7');
  assert.ok(Number(sql(db, "SELECT COUNT(*) FROM contract WHERE state = 'submitted'")) >= 2);
  assert.ok(Number(sql(db, 'SELECT COUNT(*) FROM contract WHERE pending_version IS NOT NULL')) >= 1);
  assert.equal(sql(db, "SELECT COUNT(DISTINCT kind) FROM contract"), '4');
});

test('list: each role sees what the rule allows', async () => {
  let r = await worker.get('/api/v1/contracts');
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 30, 'the centre sees its own');
  const withConsent = Number(sql(db, 'SELECT COUNT(*) FROM contract WHERE consent_id IS NOT NULL'));
  r = await coord.get('/api/v1/contracts');
  assert.equal(r.json.items.length, withConsent, 'the PZKW sees those with the family\'s consent');
  r = await guardian.get('/api/v1/contracts?kind=family');
  assert.ok(r.json.items.length > 0 && r.json.items.every((c) => c.kind === 'family'));
  r = await other.get('/api/v1/contracts');
  assert.equal(r.json.items.length, 0, 'another centre sees none');
  r = await worker.get('/api/v1/contracts?state=bogus');
  assert.equal(r.status, 400);
  r = await admin.get('/api/v1/contracts');
  assert.equal(r.status, 403, 'administrators manage accounts, not contracts');
});

test('invalid contract: submitting names each rule and the member or action', async () => {
  const body = await goodFamily();
  const ms = await members();
  body.actions = body.actions.filter((a, i) => i !== 0);           // the first member loses their action
  body.actions.push({ module: 'family', title: 'Terapia', performer: 'institution', institution_id: NGO,
    lpiw_action_id: ACTION_SPORT, deadline: day(400) });           // not a partner; after the end
  body.budget[0].planned = 2000000;                                // above the limit of 8000 zł
  let r = await worker.json('POST', '/api/v1/contracts', body);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const id = r.json.id;
  r = await worker.json('POST', `/api/v1/contracts/${id}/submit`, {});
  assert.equal(r.status, 422);
  const codes = r.json.errors.map((e) => e.code);
  const first = ms[0];
  assert.ok(codes.includes(first.child ? 'child_support' : 'adult_pro_employment'), codes.join());
  const named = r.json.errors.find((e) => e.field === 'members[0].person_id');
  assert.match(named.message, /Członek .+ \((dorosły|dziecko)\)/);
  assert.ok(r.json.errors.some((e) => e.code === 'deadline_outside' && /Działanie \d+ „Terapia”/.test(e.message)));
  assert.ok(r.json.errors.some((e) => e.code === 'not_lpiw_partner' && /„Terapia”/.test(e.message)));
  assert.ok(r.json.errors.some((e) => e.code === 'budget_limit' && /20\u00a0000,00\u00a0zł/.test(e.message) && /8\u00a0000,00\u00a0zł/.test(e.message)));
  // variant B without the vocational data
  r = await worker.json('POST', '/api/v1/contracts', { kind: 'individual_b', person_id: APPLICANT, valid_from: day(0),
    valid_to: day(90), goals: [{ kind: 'main', text: 'Praca' }],
    actions: [{ module: 'pro_employment', title: 'IPD', performer: 'client', deadline: day(10) }] });
  assert.equal(r.status, 201);
  r = await worker.json('POST', `/api/v1/contracts/${r.json.id}/submit`, {});
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.errors.filter((e) => e.code === 'vocational').map((e) => e.field),
    ['education', 'qualifications', 'work_experience', 'employment_barriers']);
  // field errors at saving: 422 naming the path
  r = await worker.json('POST', '/api/v1/contracts', { ...body, actions: [{ module: 'x', title: '', deadline: 'jutro' }] });
  assert.equal(r.status, 422);
  assert.ok(r.json.errors.some((e) => e.field.startsWith('actions[0]')));
});

test('workflow: 403 for the wrong role, 409 for the wrong state, approve at a meeting, amend an approved contract', async () => {
  let r = await worker.json('POST', '/api/v1/contracts', await goodFamily());
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const id = r.json.id;
  assert.equal(r.json.state, 'draft');
  r = await coord.json('POST', `/api/v1/contracts/${id}/approve`, {});
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'state');
  r = await guardian.json('POST', `/api/v1/contracts/${id}/submit`, {});
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.state, 'submitted');
  r = await guardian.json('POST', `/api/v1/contracts/${id}/approve`, { comment: 'ok' });
  assert.equal(r.status, 403, 'a guardian cannot approve');
  assert.equal(r.json.code, 'role');
  r = await coord.json('POST', `/api/v1/contracts/${id}/return`, {});
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'comment_required');
  r = await coord.json('POST', `/api/v1/contracts/${id}/return`, { comment: 'Uzupełnić zasoby', meeting_id: MEETING });
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'returned');
  assert.equal(r.json.content.return_comment, 'Uzupełnić zasoby');
  r = await guardian.json('PUT', `/api/v1/contracts/${id}`, { strengths: 'Wsparcie dziadków' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.content.assessment.strengths, 'Wsparcie dziadków');
  r = await worker.json('POST', `/api/v1/contracts/${id}/submit`, {});
  assert.equal(r.status, 200);
  r = await coord.json('POST', `/api/v1/contracts/${id}/approve`,
    { meeting_id: MEETING, method: 'vote', votes_for: 5, votes_against: 1, votes_abstain: 0 });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.state, 'approved');
  const decision = Number(r.headers.get('x-decision-id'));
  assert.equal(sql(db, `SELECT kind || '|' || subject_id || '|' || meeting_id || '|' || votes_for FROM decision WHERE id = ${decision}`),
    `approve_contract|${id}|${MEETING}|5`);
  r = await worker.json('POST', `/api/v1/contracts/${id}/amend`, {});
  assert.equal(r.status, 409, 'an approved contract is activated before it is amended');
  r = await worker.json('POST', `/api/v1/contracts/${id}/activate`, {});
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'active');
  r = await worker.json('PUT', `/api/v1/contracts/${id}`, { causes: 'x' });
  assert.equal(r.status, 409, 'an active version is changed by an amendment only');
  r = await worker.json('POST', `/api/v1/contracts/${id}/amend`, { comment: 'Nowe szkolenie' });
  assert.equal(r.status, 200);
  assert.equal(r.json.version, 1);
  assert.equal(r.json.pending_version, 2);
  assert.equal(r.json.pending.state, 'draft');
  r = await worker.json('PUT', `/api/v1/contracts/${id}`, { causes: 'Zmiana sytuacji' });
  assert.equal(r.status, 200);
  assert.equal(r.json.content.assessment.causes, 'Bezrobocie', 'the version in force is unchanged');
  assert.equal(r.json.pending.assessment.causes, 'Zmiana sytuacji');
  r = await worker.json('POST', `/api/v1/contracts/${id}/submit`, {});
  assert.equal(r.status, 200);
  assert.equal(r.json.pending.state, 'submitted');
  assert.equal(r.json.state, 'active');
  r = await coord.json('POST', `/api/v1/contracts/${id}/approve`, {});
  assert.equal(r.status, 200);
  assert.equal(r.json.version, 2);
  assert.equal(r.json.pending_version, null);
  assert.equal(r.json.content.assessment.causes, 'Zmiana sytuacji');
  r = await worker.get(`/api/v1/contracts/${id}?version=1`);
  assert.equal(r.json.content.state, 'superseded');
  assert.equal(r.json.content.assessment.causes, 'Bezrobocie');
  // progress, then termination for non-cooperation
  r = await guardian.json('POST', `/api/v1/contracts/${id}/actions/1/progress`, { status: 'dropped' });
  assert.equal(r.status, 422);
  r = await guardian.json('POST', `/api/v1/contracts/${id}/actions/1/progress`, { status: 'done', evidence: 'zaświadczenie' });
  assert.equal(r.status, 200);
  assert.equal(r.json.content.actions[0].status, 'done');
  r = await worker.json('POST', `/api/v1/contracts/${id}/terminate`, { reason: 'non_cooperation' });
  assert.equal(r.status, 403);
  r = await coord.json('POST', `/api/v1/contracts/${id}/terminate`, { reason: 'non_cooperation' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'art11_consequence');
  r = await coord.json('POST', `/api/v1/contracts/${id}/terminate`, { reason: 'non_cooperation', art11_consequence: 'suspend', comment: 'Brak współpracy' });
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'terminated');
  assert.equal(r.json.art11_consequence, 'suspend');
  assert.equal(sql(db, `SELECT COUNT(*) FROM contract_task WHERE contract_id = ${id}`), '1');
  assert.deepEqual(r.json.events.map((e) => e.action),
    ['create', 'submit', 'return', 'update', 'submit', 'approve', 'activate', 'amend', 'update', 'submit', 'approve', 'update', 'terminate']);
  assert.ok(r.json.events.every((e) => e.at && e.by));
  for (const a of ['create', 'submit', 'return', 'approve', 'activate', 'amend', 'terminate', 'progress'])
    assert.ok(Number(sql(db, `SELECT COUNT(*) FROM audit_log WHERE action = 'contract.${a}' AND entity_id = '${id}'`)) >= 1, a);
});

test('visibility: the guardian and the PZKW through the consent; labour offices never see special categories', async () => {
  const r0 = await worker.json('POST', '/api/v1/contracts', await goodFamily());
  const id = r0.json.id;
  let r = await guardian.get(`/api/v1/contracts/${id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.content.assessment.special_notes, 'Leczenie odwykowe');
  r = await adviser.get(`/api/v1/contracts/${id}`);
  assert.equal(r.status, 200, 'the PUP sits on the PZKW');
  assert.equal(r.json.content.assessment.special_notes, null);
  assert.equal(r.json.content.assessment.special_withheld, true);
  r = await other.get(`/api/v1/contracts/${id}`);
  assert.equal(r.status, 404);
  const body = await goodFamily();
  delete body.consent_form;
  const r1 = await worker.json('POST', '/api/v1/contracts', body);
  r = await guardian.get(`/api/v1/contracts/${r1.json.id}`);
  assert.equal(r.status, 404, 'without the family\'s consent the guardian does not see it');
  r = await coord.get(`/api/v1/contracts/${r1.json.id}`);
  assert.equal(r.status, 404);
  assert.ok(Number(sql(db, `SELECT COUNT(*) FROM audit_log WHERE action = 'contract.read' AND entity_id = '${id}'`)) >= 2);
  assert.equal(sql(db, `SELECT purpose FROM consent WHERE id = (SELECT consent_id FROM contract WHERE id = ${id})`), 'social_contract');
});

test('pages: list, a contract with the forms of the role, a transition by form with CSRF, the start page', async () => {
  const page = async (login) => { const c = new Client(srv.base); await c.signIn(login); return c; };
  const w = await page('pracownik'), k = await page('koordynator');
  let r = await w.page('/contracts');
  assert.equal(r.status, 200);
  assert.match(r.text, /Kontrakty socjalne/);
  assert.match(r.text, /Przygotuj kontrakt/);
  const draft = sql(db, "SELECT id FROM contract WHERE state = 'draft' AND consent_id IS NOT NULL ORDER BY id LIMIT 1");
  r = await w.page(`/contracts/${draft}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Kontrakt indywidualny, wariant A/);
  assert.match(r.text, /Moduł: Prozatrudnieniowy/);
  const fam = sql(db, "SELECT id FROM contract WHERE kind = 'family' AND consent_id IS NULL ORDER BY id LIMIT 1");
  assert.match((await w.page(`/contracts/${fam}`)).text, /Rodzinny kontrakt socjalny/);
  assert.equal((await k.page(`/contracts/${fam}`)).status, 404, 'no consent: only the centre sees it');
  assert.match(r.text, /Złóż do PZKW/);
  assert.doesNotMatch(r.text, /Zatwierdź/);
  r = await w.form(`/contracts/${draft}/submit`, { _csrf: null });
  assert.equal(r.status, 403, 'no CSRF token');
  r = await w.form(`/contracts/${draft}/submit`);
  assert.equal(r.status, 303);
  r = await k.page(`/contracts/${draft}`);
  assert.match(r.text, /Zatwierdź/);
  assert.match(r.text, /Zwróć z uwagami/);
  r = await k.form(`/contracts/${draft}/return`, { comment: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /napisz, co trzeba poprawić/);
  r = await k.form(`/contracts/${draft}/approve`, { meeting_id: String(MEETING) });
  assert.equal(r.status, 303);
  assert.equal(sql(db, `SELECT state FROM contract WHERE id = ${draft}`), 'approved');
  // the edit form and adding an action to a draft
  const d2 = sql(db, "SELECT id FROM contract WHERE state = 'draft' AND kind = 'individual_a' ORDER BY id LIMIT 1");
  r = await w.page(`/contracts/${d2}/edit`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Cel główny/);
  r = await w.page(`/contracts/${d2}`);
  // the action's institution and LPIW action are chosen by name, their ids posted
  assert.match(r.text, /<select id="f-institution_id" name="institution_id"/);
  assert.match(r.text, new RegExp(`<select id="f-lpiw_action_id" name="lpiw_action_id"[^>]*><option value="">— wybierz —</option>[^]*<option value="${ACTION_PRO}">\\d+ — `));
  assert.doesNotMatch(r.text, /type="number" id="f-(institution|lpiw_action)_id"/);
  r = await w.form(`/contracts/${d2}/actions`, { title: 'Wizyta w PUP', module: 'pro_employment', performer: 'client', deadline: day(5) });
  assert.equal(r.status, 303);
  r = await w.page(`/contracts/${d2}`);
  assert.match(r.text, /Wizyta w PUP/);
  r = await w.form(`/contracts/${d2}/actions`, { title: 'x', module: 'pro_employment', deadline: 'wczoraj' });
  assert.equal(r.status, 422);
  // versions side by side
  const amended = sql(db, 'SELECT id FROM contract WHERE pending_version IS NOT NULL ORDER BY id LIMIT 1');
  r = await w.page(`/contracts/${amended}/compare?a=1&b=2`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Wersja 1/);
  assert.match(r.text, /Wersja 2/);
  // start pages: overdue actions for the social worker, decisions for the coordinator
  r = await w.page('/');
  assert.match(r.text, /Zaległe działania: \d+/);
  r = await k.page('/');
  assert.match(r.text, /Kontrakty czekające na decyzję PZKW: \d+/);
  r = await (await page('brzozowo')).page(`/contracts/${draft}`);
  assert.equal(r.status, 404);
});

test('teams, meetings, decisions and the LPIW', async () => {
  let r = await worker.get('/api/v1/teams');
  assert.equal(r.status, 200);
  const pzkw = r.json.items.find((t) => t.kind === 'pzkw');
  assert.ok(pzkw.members.some((m) => m.role === 'chair'));
  r = await worker.json('POST', '/api/v1/teams', { kind: 'mgi', terc: '3050', name: 'x' });
  assert.equal(r.status, 403);
  r = await coord.json('POST', '/api/v1/teams', { kind: 'mgi', terc: '9999', name: 'MGI 2' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'terc');
  r = await coord.json('POST', '/api/v1/teams', { kind: 'interdisciplinary', terc: '3050', name: 'ZI Dębina' });
  assert.equal(r.status, 201);
  const team = r.json.id;
  r = await coord.json('POST', `/api/v1/teams/${team}/members`, { institution_id: CIS, role: 'guardian', valid_from: day(0) });
  assert.equal(r.status, 422, 'a guardian is a person');
  r = await coord.json('POST', `/api/v1/teams/${team}/members`, { institution_id: CIS, role: 'member', valid_from: day(0) });
  assert.equal(r.status, 201);
  const mem = r.json.members[0].id;
  r = await coord.json('POST', '/api/v1/meetings', { team_id: team, held_on: day(0), agenda: 'Plan', attendees: [mem] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const meeting = r.json.id;
  r = await coord.json('POST', `/api/v1/meetings/${meeting}/decisions`, { method: 'vote', votes_for: 1, votes_against: 2 });
  assert.equal(r.status, 422);
  r = await coord.json('POST', `/api/v1/meetings/${meeting}/decisions`, { method: 'consensus', text: 'Plan przyjęty' });
  assert.equal(r.status, 201);
  assert.equal(r.json.decisions[0].text, 'Plan przyjęty');
  r = await worker.get('/api/v1/lpiw');
  assert.equal(r.json.items[0].state, 'adopted');
  r = await coord.json('POST', '/api/v1/lpiw', { terc: '3050', title: 'LPIW 2', valid_from: day(0), valid_to: day(700),
    contract_limit: 900000, actions: [{ title: 'Staże', module: 'pro_employment', responsible_institution_id: CIS,
      partners: [CIS], infrastructure: 'warsztat', rules_of_use: 'po uzgodnieniu' }] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.version, 2);
  assert.equal(r.json.state, 'draft');
  const l2 = r.json.id;
  r = await coord.json('POST', `/api/v1/lpiw/${l2}/adopt`, { meeting_id: MEETING, method: 'consensus' });
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'adopted');
  assert.equal(sql(db, `SELECT state FROM lpiw WHERE id = ${LPIW}`), 'superseded');
  r = await coord.json('POST', `/api/v1/lpiw/${l2}/adopt`, {});
  assert.equal(r.status, 409);
  const c = new Client(srv.base);
  await c.signIn('pracownik');
  r = await c.page('/teams');
  assert.match(r.text, /Zespoły powiatowe/);
  r = await c.page(`/lpiw/${l2}`);
  assert.match(r.text, /po uzgodnieniu/);
  r = await c.page(`/meetings/${MEETING}`);
  assert.match(r.text, /Zatwierdzenie kontraktu/);
});

test('PDF: a valid document with the family\'s name, every action and the signature fields (pdftotext)', async () => {
  const id = sql(db, "SELECT id FROM contract WHERE kind = 'family' AND state = 'active' AND consent_id IS NOT NULL ORDER BY id LIMIT 1");
  const get = async (client, path) => {
    const res = await fetch(srv.base + path, { headers: { cookie: client.cookieHeader() } });
    return { status: res.status, type: res.headers.get('content-type'), disp: res.headers.get('content-disposition'),
      bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const r = await get(worker, `/api/v1/contracts/${id}?format=pdf`);
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/pdf');
  assert.match(r.disp, /attachment; filename="kontrakt-\d+-v\d+\.pdf"/);
  assert.equal(r.bytes.subarray(0, 5).toString(), '%PDF-');
  const file = `${db.dir}/k.pdf`;
  writeFileSync(file, r.bytes);
  const txt = execFileSync('pdftotext', ['-layout', file, '-']).toString();
  const party = sql(db, `SELECT p.first_names || ' ' || p.surname FROM contract c JOIN person p ON p.id = c.person_id WHERE c.id = ${id}`);
  assert.match(txt, /RODZINNY KONTRAKT SOCJALNY/);
  assert.ok(txt.includes(party), 'the family\'s name');
  assert.match(txt, /Część I A\. Ocena sytuacji/);
  assert.match(txt, /Część II A\. Ustalenia kontraktu/);
  assert.match(txt, /Moduł prozatrudnieniowy/);
  assert.match(txt, /art\. 11 ust\. 2/);
  assert.match(txt, /podpis i pieczęć pracownika socjalnego/);
  // reading order (not -layout): a wrapped cell stays together
  const flat = execFileSync('pdftotext', [file, '-']).toString().replace(/\s+/g, ' ');
  const actions = sql(db, `SELECT a.title FROM contract_action a JOIN contract_version v ON v.id = a.version_id
    JOIN contract c ON c.id = v.contract_id AND v.version = c.current_version WHERE c.id = ${id} ORDER BY a.number`).split('\n');
  for (const t of new Set(actions)) {
    const want = actions.filter((x) => x === t).length;
    const have = flat.split(t).length - 1;
    assert.ok(have >= want, `action "${t}" ${have}/${want}`);
  }
  const members = sql(db, `SELECT p.first_names || ' ' || p.surname FROM contract_member m JOIN person p ON p.id = m.person_id
    JOIN contract_version v ON v.id = m.version_id JOIN contract c ON c.id = v.contract_id AND v.version = c.current_version
    WHERE c.id = ${id}`).split('\n');
  assert.ok(members.length >= 2, 'a family of several members');
  for (const m of members) assert.ok(flat.includes(m), `member ${m}`);
  const fonts = execFileSync('pdffonts', [file]).toString().split('\n').slice(2).filter(Boolean);
  assert.ok(fonts.length > 0 && fonts.every((l) => /\byes\s+yes\b/.test(l)), fonts.join('\n'));
  // the page's link and 404 for who may not see it
  const c = new Client(srv.base);
  await c.signIn('pracownik');
  assert.match((await c.page(`/contracts/${id}`)).text, new RegExp(`/contracts/${id}/pdf`));
  assert.equal((await get(c, `/contracts/${id}/pdf`)).status, 200);
  assert.equal((await get(other, `/api/v1/contracts/${id}?format=pdf`)).status, 404);
  assert.equal((await get(worker, `/api/v1/contracts/${id}?format=doc`)).status, 400);
});

test('LPIW as a PDF: title, county, partners, every action by module and the adoption (pdftotext)', async () => {
  const get = async (cookie, path) => {
    const res = await fetch(srv.base + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
    return { status: res.status, type: res.headers.get('content-type'), disp: res.headers.get('content-disposition'),
      bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const r = await get(worker.cookieHeader(), `/api/v1/lpiw/${LPIW}?format=pdf`);
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/pdf');
  assert.match(r.disp, /attachment; filename="lpiw-3050-v\d+\.pdf"/);
  assert.equal(r.bytes.subarray(0, 5).toString(), '%PDF-');
  const file = `${db.dir}/lpiw.pdf`;
  writeFileSync(file, r.bytes);
  const flat = execFileSync('pdftotext', [file, '-']).toString().replace(/\s+/g, ' ');
  const title = sql(db, `SELECT title FROM lpiw WHERE id = ${LPIW}`);
  const county = sql(db, "SELECT name FROM territory_unit WHERE code = '3050'");
  assert.match(flat, /LOKALNY PROGRAM INTERDYSCYPLINARNEJ WSPÓŁPRACY/);
  assert.ok(flat.includes(title.replace(/\s+/g, ' ')), 'the title');
  assert.ok(flat.includes(county), `the county ${county}`);
  for (const m of ['Moduł prozatrudnieniowy', 'Moduł społeczny i integracyjny', 'Moduł rodzinny', 'Moduł sport i kultura'])
    assert.ok(flat.includes(m), m);
  const names = sql(db, `SELECT DISTINCT i.name FROM institution i WHERE i.id IN (SELECT responsible_institution_id
    FROM lpiw_action WHERE lpiw_id = ${LPIW}) OR i.id IN (SELECT p.institution_id FROM lpiw_partner p JOIN lpiw_action a
    ON a.id = p.action_id WHERE a.lpiw_id = ${LPIW})`).split('\n');
  assert.ok(names.length >= 2, names.join());
  for (const n of names) assert.ok(flat.includes(n.replace(/\s+/g, ' ')), `partner ${n}`);
  for (const t of sql(db, `SELECT title FROM lpiw_action WHERE lpiw_id = ${LPIW}`).split('\n'))
    assert.ok(flat.includes(t.replace(/\s+/g, ' ')), `action ${t}`);
  assert.match(flat, /Limit środków na jeden rodzinny kontrakt socjalny/);
  assert.match(flat, /Uchwała: nr \d+ z dnia \d{4}-\d\d-\d\d, na posiedzeniu/);
  assert.match(flat, /podpis przewodniczącego PZKW/);
  const fonts = execFileSync('pdffonts', [file]).toString().split('\n').slice(2).filter(Boolean);
  assert.ok(fonts.length > 0 && fonts.every((l) => /\byes\s+yes\b/.test(l)), fonts.join('\n'));
  // the page's link; any signed-in user reads a programme, nobody else; a draft prints too
  assert.match((await worker.page(`/lpiw/${LPIW}`)).text, new RegExp(`/lpiw/${LPIW}/pdf`));
  assert.equal((await get(other.cookieHeader(), `/lpiw/${LPIW}/pdf`)).status, 200);
  assert.notEqual((await get(null, `/api/v1/lpiw/${LPIW}?format=pdf`)).status, 200);
  assert.equal((await get(worker.cookieHeader(), `/api/v1/lpiw/${LPIW}?format=doc`)).status, 400);
  assert.equal((await get(worker.cookieHeader(), '/api/v1/lpiw/999999?format=pdf')).status, 404);
  const draft = sql(db, "SELECT id FROM lpiw WHERE state = 'draft' ORDER BY id LIMIT 1");
  if (draft) {
    const d = await get(worker.cookieHeader(), `/lpiw/${draft}/pdf`);
    assert.equal(d.status, 200);
    writeFileSync(file, d.bytes);
    assert.match(execFileSync('pdftotext', [file, '-']).toString(), /nie został jeszcze przyjęty/);
  }
});

test('LPIW drafted from the page: rows without a title skipped, errors named, writers only', async () => {
  const k = new Client(srv.base);
  await k.signIn('koordynator');
  let r = await k.page('/lpiw');
  assert.match(r.text, /Przygotuj program|Zapisz projekt/);
  // institutions are chosen by name from a list, not typed as numbers
  const cisName = sql(db, `SELECT name FROM institution WHERE id = ${CIS}`);
  assert.match(r.text, /<label for="f-a0_responsible">Instytucja odpowiedzialna/);
  assert.match(r.text, /<select id="f-a0_responsible" name="a0_responsible"/);
  assert.ok(r.text.includes(`<option value="${CIS}">${cisName.replace(/"/g, '&quot;')} (`), 'CIS offered by name');
  assert.match(r.text, /<option value="">— wybierz —<\/option>/);
  assert.ok(r.text.includes(`name="a0_partners" value="${NGO}"`), 'partners as checkboxes');
  assert.doesNotMatch(r.text, /type="number" id="f-a0_responsible"|\(numery\)|\(numer\)/);
  r = await k.form('/lpiw', { terc: '3050', title: 'LPIW z formularza', valid_from: day(0), valid_to: day(300),
    contract_limit: '500000', a0_title: 'Warsztaty', a0_module: 'social_integration', a0_responsible: String(CIS),
    a0_partners: 'x', a1_title: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Działanie 1/);
  r = await k.form('/lpiw', { terc: '3050', title: 'LPIW z formularza', valid_from: day(0), valid_to: day(300),
    contract_limit: '500000', a0_title: 'Warsztaty', a0_module: 'social_integration', a0_responsible: String(CIS),
    a0_partners: [String(CIS), String(NGO)], a0_infrastructure: 'sala', a0_rules: 'wtorki', a1_title: '' });
  assert.equal(r.status, 303);
  const id = r.headers.get('location').match(/(\d+)$/)[1];
  assert.equal(sql(db, `SELECT COUNT(*) FROM lpiw_action WHERE lpiw_id = ${id}`), '1');
  assert.equal(sql(db, `SELECT COUNT(*) FROM lpiw_partner p JOIN lpiw_action a ON a.id = p.action_id WHERE a.lpiw_id = ${id}`), '2');
  // a hostile post of an institution that does not exist is refused, naming the field
  r = await k.form('/lpiw', { terc: '3050', title: 'LPIW z formularza', valid_from: day(0), valid_to: day(300),
    contract_limit: '500000', a0_title: 'Warsztaty', a0_module: 'social_integration', a0_responsible: '999999',
    a1_title: '' });
  assert.equal(r.status, 422);
  // the team page: members chosen from users and institutions, the adoption from meetings
  const team = sql(db, "SELECT id FROM team WHERE kind = 'pzkw' ORDER BY id LIMIT 1");
  r = await k.page(`/teams/${team}`);
  assert.match(r.text, /<select id="f-user_id" name="user_id"/);
  assert.match(r.text, /<select id="f-institution_id" name="institution_id"/);
  assert.doesNotMatch(r.text, /type="number" id="f-(user|institution)_id"/);
  r = await k.page(`/lpiw/${id}`);
  assert.match(r.text, /<select id="f-meeting_id" name="meeting_id"/);
  assert.match(r.text, /<option value="\d+">\d\d\.\d\d\.\d{4} — Powiatowy Zespół/);
  // votes at a meeting cannot exceed its attendance (six members present in the demo)
  r = await coord.json('POST', `/api/v1/meetings/${MEETING}/decisions`, { method: 'vote', votes_for: 6, votes_against: 1, text: 'x' });
  assert.equal(r.status, 422);
  assert.match(JSON.stringify(r.json), /Głosy: liczba oddanych głosów \(7\) przekracza liczbę członków obecnych na posiedzeniu \(6\)/);
  r = await (await (async () => { const w = new Client(srv.base); await w.signIn('pracownik'); return w; })()).form('/lpiw', { title: 'x' });
  assert.equal(r.status, 403);
});
