// links.test.mjs — record linkage over HTTP on the demo database (which the
// demo links at the end, with PUP records of MOPS persons written
// differently and data-quality bases for both): the review queue page
// (the pair side by side, differing fields marked, the explanation, the
// three buttons with CSRF), decisions by form and API with their refusals
// (CSRF, bad input, decided already, another institution, a role that does
// not review, a pair the sharing rule does not open for data quality), the
// person page and API of links with unlink, paging, merge and unmerge,
// the API create linking a new record, and `razem link --db`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { freshDatabase, start, Client, BIN } from './lib.mjs';

const PG = (process.env.RAZEM_TEST_DB || 'sqlite') !== 'sqlite';

function sql(db, text) {
  const out = PG
    ? execFileSync('psql', [db.url, '-qAtX', '-v', 'ON_ERROR_STOP=1', '-c', text], { stdio: 'pipe' })
    : execFileSync('sqlite3', [db.url, text], { stdio: 'pipe' });
  return out.toString().trim();
}

let db, srv, worker, adviser, coordinator, gops, MOPS, PUP;

before(async () => {
  db = freshDatabase();
  MOPS = Number(sql(db, "SELECT id FROM institution WHERE kind = 'mops'"));
  PUP = Number(sql(db, "SELECT id FROM institution WHERE kind = 'pup'"));
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
  gops = await signIn('brzozowo');
});
after(async () => { await srv?.stop(); db?.cleanup(); });

const openPairs = () => Number(sql(db, `SELECT COUNT(*) FROM link_candidate WHERE state = 'open'`));

test('the demo is linked: exact PESEL links and pairs waiting for review', () => {
  assert.ok(Number(sql(db, "SELECT COUNT(*) FROM person_link WHERE method = 'pesel'")) > 100);
  assert.ok(Number(sql(db, "SELECT COUNT(*) FROM person_link WHERE method = 'score'")) >= 3);
  assert.ok(openPairs() >= 1);
});

test('review page: the pair side by side, differences marked, the score explained, three buttons', async () => {
  const r = await worker.page('/links/review');
  assert.equal(r.status, 200);
  assert.match(r.text, /Uzgadnianie rekordów/);
  assert.match(r.text, /czeka|czekają|czeka na decyzję/);
  assert.match(r.text, /class="differs"/);
  assert.match(r.text, /Prawdopodobieństwo/);
  // the weight is a decimal: a comma on a Polish page, never a dot
  assert.match(r.text, /\(waga -?\d+,\d\)/);
  assert.doesNotMatch(r.text, /\(waga -?\d+\.\d\)/);
  assert.match(r.text, />[+-]\d+,\d</, 'the weight of each field with a comma');
  assert.doesNotMatch(r.text, />[+-]\d+\.\d</);
  for (const b of ['To ta sama osoba', 'Różne osoby', 'Pomiń']) assert.ok(r.text.includes(b), b);
  assert.match(r.text, /name="_csrf"/);
  // identity and address only: no phone, no disability, no free text
  assert.doesNotMatch(r.text, /Telefon|Niepełnosprawność|Notatka/);
  const home = await worker.page('/');
  assert.match(home.text, /href="\/links\/review"/);
});

test('decisions by form: CSRF, bad input, then "skip"', async () => {
  // a pair this worker may review (the queue holds pairs of other
  // institutions too, and which one has the lowest id is not fixed)
  const q = await worker.json('GET', '/api/v1/link-candidates?limit=1');
  assert.equal(q.status, 200);
  const id = q.json.items[0].id;
  await worker.page('/links/review');
  let r = await worker.form(`/links/candidates/${id}/decision`, { decision: 'same', _csrf: 'wrong' });
  assert.equal(r.status, 403);
  r = await worker.form(`/links/candidates/${id}/decision`, { decision: 'perhaps' });
  assert.equal(r.status, 422);
  assert.match(r.text, /ta sama osoba|Wybierz/);
  r = await worker.form(`/links/candidates/${id}/decision`, {});
  assert.equal(r.status, 422);
  r = await worker.form(`/links/candidates/${id}/decision`, { decision: 'skip' });
  assert.equal(r.status, 303);
  assert.equal(sql(db, `SELECT state FROM link_candidate WHERE id = ${id}`), 'skipped');
});

test('API: paged queue with explanations; decision "same" links, again is refused', async () => {
  let r = await worker.json('GET', '/api/v1/link-candidates?limit=1');
  assert.equal(r.status, 200);
  assert.equal(r.json.limit, 1);
  assert.equal(r.json.offset, 0);
  assert.ok(r.json.total >= 1);
  assert.equal(r.json.items.length, 1);
  const c = r.json.items[0];
  assert.ok(c.score > 0 && c.score < 1);
  assert.ok(c.explanation.length > 0 && 'weight' in c.explanation[0]);
  // a pair of two institutions is a link; one institution's two records would be a duplicate
  assert.equal(c.kind, c.institution_a === c.institution_b ? 'duplicate' : 'link');
  assert.notEqual(c.institution_a, c.institution_b);
  for (const bad of ['limit=0', 'limit=1001', 'offset=-1', 'offset=x']) {
    r = await worker.json('GET', `/api/v1/link-candidates?${bad}`);
    assert.equal(r.status, 400, bad);
    assert.equal(r.json.code, 'invalid_parameter');
  }
  r = await worker.json('POST', `/api/v1/link-candidates/${c.id}/decision`, { decision: 'same' }, { 'x-csrf-token': null });
  assert.equal(r.status, 403);
  r = await worker.json('POST', `/api/v1/link-candidates/${c.id}/decision`, { decision: 'same', extra: 1 });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'extra');
  r = await worker.json('POST', `/api/v1/link-candidates/${c.id}/decision`, { decision: 'same' });
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'decided');
  const [a, b] = [c.person_a, c.person_b];
  assert.equal(sql(db, `SELECT state FROM person_link WHERE person_a = ${a} AND person_b = ${b}`), 'confirmed');
  r = await adviser.json('POST', `/api/v1/link-candidates/${c.id}/decision`, { decision: 'different' });
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'decided');
  assert.equal(r.json.field, 'decision');
  // the person page of the MOPS's record shows the PUP's, and the links API too
  const mine = c.institution_a === MOPS ? a : b, theirs = mine === a ? b : a;
  const page = await worker.page(`/persons/${mine}`);
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`data-link="\\d+"`));
  assert.match(page.text, /Rozłącz/);
  r = await worker.json('GET', `/api/v1/persons/${mine}/links`);
  assert.equal(r.status, 200);
  assert.ok(r.json.items.some((l) => l.person_id === theirs && l.state === 'confirmed' && l.institution_id === PUP));
});

test('who may review: a coordinator is refused, another institution gets 404', async () => {
  const id = Number(sql(db, `SELECT MIN(id) FROM link_candidate`));
  let r = await coordinator.get('/links/review');
  assert.equal(r.status, 403);
  r = await coordinator.json('GET', '/api/v1/link-candidates');
  assert.equal(r.status, 403);
  r = await gops.json('POST', `/api/v1/link-candidates/${id}/decision`, { decision: 'different' });
  assert.equal(r.status, 404);
  r = await gops.get(`/links/review?id=${id}`);
  assert.equal(r.status, 404);
  r = await worker.get('/links/review?id=abc');
  assert.equal(r.status, 400);
  r = await worker.json('POST', '/api/v1/link-candidates/999999/decision', { decision: 'same' });
  assert.equal(r.status, 404);
});

test('a duplicate pair in the queue: the page says so, the API says kind duplicate, "same" merges', async () => {
  const make = async (first) => {
    const r = await worker.json('POST', '/api/v1/persons', { first_names: first, surname: 'Zdublowana', birth_date: '1969-02-03', sex: 'K', confirm_new: true });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const kept = await make('Zofia'), merged = await make('Zosia');
  sql(db, `DELETE FROM link_candidate WHERE person_a = ${kept} AND person_b = ${merged}`);
  sql(db, `INSERT INTO link_candidate (person_a, person_b, institution_a, institution_b, score, weight, levels, state, created_at)
    VALUES (${kept}, ${merged}, ${MOPS}, ${MOPS}, 0.99, 9.0, '0000000000000000', 'open', '2026-01-01T00:00:00Z')`);
  const id = Number(sql(db, `SELECT id FROM link_candidate WHERE person_a = ${kept} AND person_b = ${merged}`));
  let r = await worker.page(`/links/review?id=${id}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /możliwy duplikat/);
  r = await worker.json('GET', '/api/v1/link-candidates?limit=1');
  assert.equal(r.json.items[0].id, id);
  assert.equal(r.json.items[0].kind, 'duplicate');
  r = await worker.json('POST', `/api/v1/link-candidates/${id}/decision`, { decision: 'same' });
  assert.equal(r.status, 200, r.text);
  assert.notEqual(sql(db, `SELECT deleted_at FROM person WHERE id = ${merged}`), '');
  const merge = Number(sql(db, `SELECT id FROM person_merge WHERE kept_id = ${kept} AND merged_id = ${merged}`));
  assert.ok(merge > 0);
  r = await worker.json('POST', `/api/v1/merges/${merge}/undo`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(sql(db, `SELECT deleted_at FROM person WHERE id = ${merged}`), '');
});

test('the sharing rule decides: a pair without a data-quality basis is not shown', async () => {
  const a = Number(sql(db, `SELECT MIN(id) FROM person p WHERE institution_id = ${MOPS} AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.person_id = p.id)`));
  const b = Number(sql(db, `SELECT MIN(id) FROM person p WHERE institution_id = ${PUP} AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.person_id = p.id) AND id > ${a}`));
  sql(db, `INSERT INTO link_candidate (person_a, person_b, institution_a, institution_b, score, weight, levels, state, created_at)
    VALUES (${a}, ${b}, ${MOPS}, ${PUP}, 0.5, 0.0, '0000000000000000', 'open', '2026-01-01T00:00:00Z')`);
  const id = Number(sql(db, `SELECT id FROM link_candidate WHERE person_a = ${a} AND person_b = ${b}`));
  let r = await worker.get(`/links/review?id=${id}`);
  assert.equal(r.status, 403);
  assert.match(r.text, /zgody|porozumienia/);
  r = await worker.json('POST', `/api/v1/link-candidates/${id}/decision`, { decision: 'same' });
  assert.equal(r.status, 403);
  assert.equal(sql(db, `SELECT state FROM link_candidate WHERE id = ${id}`), 'open');
  sql(db, `DELETE FROM link_candidate WHERE id = ${id}`);
});

test('unlink: audited, a cannot-link; a rerun of the linker keeps it; again is 409', async () => {
  const l = sql(db, `SELECT l.id, l.person_a, l.person_b FROM person_link l JOIN person a ON a.id = l.person_a
    WHERE l.method = 'pesel' AND a.institution_id IN (${MOPS}, ${PUP}) ORDER BY l.id LIMIT 1`).split('|').map(Number);
  let r = await worker.json('POST', `/api/v1/links/${l[0]}/unlink`, {});
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'unlinked');
  r = await worker.json('POST', `/api/v1/links/${l[0]}/unlink`, {});
  assert.equal(r.status, 409);
  r = await gops.json('POST', `/api/v1/links/${l[0]}/unlink`, {});
  assert.equal(r.status, 404);
  assert.equal(sql(db, `SELECT COUNT(*) FROM audit_log WHERE action = 'link.unlink'`), '1');
  const out = execFileSync(BIN, ['link', '--db', db.url, '--full'], { stdio: 'pipe' }).toString();
  assert.match(out, /full run \d+: \d+ records, \d+ pairs scored, \d+ linked, \d+ queued/);
  assert.equal(sql(db, `SELECT state FROM person_link WHERE id = ${l[0]}`), 'unlinked');
  const again = execFileSync(BIN, ['link', '--db', db.url], { stdio: 'pipe' }).toString();
  assert.match(again, /incremental run/);
});

test('razem link --db: wrong usage exits 2', () => {
  let r = spawnSync(BIN, ['link', '--db', db.url, '--institution', 'x'], { stdio: 'pipe' });
  assert.equal(r.status, 2);
  assert.match(r.stderr.toString(), /--institution/);
  r = spawnSync(BIN, ['link', '--db', db.url, '--institution', String(MOPS)], { stdio: 'pipe' });
  assert.equal(r.status, 0);
});

test('the API create links a new record against the register', async () => {
  const before = Number(sql(db, 'SELECT COUNT(*) FROM person_link') ) + Number(sql(db, 'SELECT COUNT(*) FROM link_candidate'));
  const o = sql(db, `SELECT first_names, surname, birth_date, pesel, street, house_no, postcode, town FROM person
    WHERE institution_id = ${MOPS} AND pesel IS NOT NULL AND street IS NOT NULL AND NOT EXISTS
    (SELECT 1 FROM person x WHERE x.pesel = person.pesel AND x.institution_id = ${PUP}) ORDER BY id LIMIT 1`).split('|');
  const r = await adviser.json('POST', '/api/v1/persons', {
    first_names: o[0], surname: o[1], birth_date: o[2], pesel: o[3], street: o[4], house_no: o[5], postcode: o[6], town: o[7],
  });
  assert.equal(r.status, 201, r.text);
  const after = Number(sql(db, 'SELECT COUNT(*) FROM person_link') ) + Number(sql(db, 'SELECT COUNT(*) FROM link_candidate'));
  assert.ok(after > before);
  assert.equal(sql(db, `SELECT COUNT(*) FROM person_link WHERE (person_a = ${r.json.id} OR person_b = ${r.json.id}) AND method = 'pesel'`), '1');
});

test('merge two records of one institution and undo it', async () => {
  const make = async (first) => {
    const r = await worker.json('POST', '/api/v1/persons', { first_names: first, surname: 'Duplikat', birth_date: '1970-03-04', sex: 'K', confirm_new: true });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const kept = await make('Maria'), merged = await make('Marysia');
  sql(db, `INSERT INTO labour_status (institution_id, person_id, status, from_date, created_at)
    VALUES (${MOPS}, ${merged}, 'job_seeker', '2025-01-01', '2025-01-01T00:00:00Z')`);
  const status = Number(sql(db, `SELECT COUNT(*) FROM labour_status WHERE person_id = ${merged}`));
  let r = await worker.json('POST', `/api/v1/persons/${kept}/merge`, { merged_id: kept });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'merged_id');
  r = await worker.json('POST', `/api/v1/persons/${kept}/merge`, { merged_id: 'x' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'merged_id');
  r = await worker.json('POST', `/api/v1/persons/${kept}/merge`, { merged_id: merged });
  assert.equal(r.status, 201);
  const merge = r.json.id;
  assert.equal(sql(db, `SELECT deleted_at IS NOT NULL FROM person WHERE id = ${merged}`), PG ? 't' : '1');
  assert.equal(Number(sql(db, `SELECT COUNT(*) FROM labour_status WHERE person_id = ${kept}`)), status);
  r = await worker.get(`/persons/${merged}`);
  assert.equal(r.status, 404);
  r = await gops.json('POST', `/api/v1/merges/${merge}/undo`, {});
  assert.equal(r.status, 404);
  r = await worker.json('POST', `/api/v1/merges/${merge}/undo`, {});
  assert.equal(r.status, 200);
  assert.equal(Number(sql(db, `SELECT COUNT(*) FROM labour_status WHERE person_id = ${merged}`)), status);
  r = await worker.get(`/persons/${merged}`);
  assert.equal(r.status, 200);
  r = await worker.json('POST', `/api/v1/merges/${merge}/undo`, {});
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'undone');
});

test('merge and undo through the person page (forms with CSRF)', async () => {
  const make = async (first) => {
    const r = await worker.json('POST', '/api/v1/persons', { first_names: first, surname: 'Podwójna', birth_date: '1971-04-05', sex: 'K', confirm_new: true });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const kept = await make('Janina'), merged = await make('Janka');
  let r = await worker.page(`/persons/${kept}`);
  assert.match(r.text, /Duplikaty w Twojej instytucji/);
  assert.match(r.text, new RegExp(`action="/persons/${kept}/merge"`));
  r = await worker.form(`/persons/${kept}/merge`, { merged_id: String(merged), _csrf: 'bad' });
  assert.equal(r.status, 403);
  r = await worker.form(`/persons/${kept}/merge`, { merged_id: String(kept) });
  assert.equal(r.status, 422);
  r = await worker.form(`/persons/${kept}/merge`, { merged_id: String(merged) });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/persons/${kept}`);
  r = await worker.page(`/persons/${kept}`);
  const m = r.text.match(/data-merge="(\d+)"/);
  assert.ok(m, 'the merge is listed');
  assert.match(r.text, /Cofnij scalenie/);
  // a partner's worker cannot see the section's form
  r = await adviser.get(`/persons/${kept}`);
  assert.doesNotMatch(r.text, /Duplikaty w Twojej instytucji/);
  r = await worker.form(`/merges/${m[1]}/undo`, {});
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/persons/${kept}`);
  r = await worker.get(`/persons/${merged}`);
  assert.equal(r.status, 200);
  assert.ok(Number(sql(db, `SELECT COUNT(*) FROM audit_log WHERE action IN ('person.merge', 'person.unmerge')`)) >= 4);
});
