// dataprot.test.mjs — the data-protection duties on the demo's generated
// people: the data-subject report of a person (own institution 200, another
// institution's person 403 with the policy's reason, administrators 403, a
// missing person 404; the report and each of its parts audited, and the
// next report lists the previous one), retention (a dry run lists and
// changes nothing, anonymisation blanks identity and writes history and
// audit rows; admins only), and the demo's CSV for import benchmarks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, freshDatabase, start, Client } from './lib.mjs';

const PG = process.env.RAZEM_TEST_DB && process.env.RAZEM_TEST_DB !== 'sqlite';

// sql() is the first column of a query's rows, read with the backend's own client.
function sql(url, q) {
  const out = PG
    ? execFileSync('psql', [url, '-AtXqc', q], { encoding: 'utf8' })
    : execFileSync('sqlite3', [url, q], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '');
}
const one = (url, q) => sql(url, q)[0];

let db, srv, worker, other, admin, api, mine, theirs;
before(async () => {
  db = freshDatabase();
  srv = await start(db);
  worker = new Client(srv.base); // pracownik: a social worker of the MOPS
  await worker.signIn('pracownik');
  other = new Client(srv.base);  // brzozowo: a social worker of the GOPS in Brzozowo
  await other.signIn('brzozowo');
  admin = new Client(srv.base);
  await admin.signIn('admin');
  api = new Client(srv.base);
  await api.apiSignIn('admin');
  mine = Number(one(db.url, "SELECT MIN(p.id) FROM person p JOIN institution i ON i.id = p.institution_id " +
    "WHERE i.kind = 'mops' AND EXISTS (SELECT 1 FROM family_member m WHERE m.person_id = p.id)"));
  theirs = Number(one(db.url, "SELECT MIN(p.id) FROM person p JOIN institution i ON i.id = p.institution_id " +
    "WHERE i.name LIKE '%Brzozowie'"));
});
after(async () => { await srv.stop(); db.cleanup(); });

async function audit(action, entityId) {
  const r = await api.get(`/api/v1/audit?action=${encodeURIComponent(action)}&limit=1000`);
  assert.equal(r.status, 200);
  return r.json.items.filter((x) => x.action === action && (entityId === undefined || x.entity_id === String(entityId)));
}

test('the owning institution gets the whole report, and preparing it is audited', async () => {
  const [surname, pesel] = sql(db.url, `SELECT surname FROM person WHERE id = ${mine} UNION ALL SELECT pesel FROM person WHERE id = ${mine}`);
  const before = (await audit('person.report', mine)).length;
  const r = await worker.get(`/persons/${mine}/dataprot`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Dane osobowe i ich wykorzystanie \(art\. 15 RODO\)<\/h1>/);
  assert.ok(r.text.includes(surname), 'the surname');
  assert.ok(r.text.includes(pesel), 'the PESEL');
  for (const h of ['Tożsamość i kontakt', 'Gospodarstwo domowe', 'Powody udzielenia pomocy', 'Świadczenia przyznane',
    'Historia zmian', 'Kto widział lub zmieniał dane']) assert.ok(r.text.includes(`<h2>${h}</h2>`), h);
  // the household's members are listed with their relation to the applicant
  assert.match(r.text, /Wnioskodawca/);
  const rows = await audit('person.report', mine);
  assert.equal(rows.length, before + 1);
  assert.equal(rows[0].login, 'pracownik');
  assert.match(rows[0].detail, /purpose=casework/);
  // its parts were read through the registry and recorded as reads of the person
  assert.ok((await audit('person.read', mine)).length >= 2);
  // the next report names the previous one among those who saw the record
  const again = await worker.get(`/persons/${mine}/dataprot`);
  assert.equal(again.status, 200);
  assert.match(again.text, /<td>pracownik<\/td><td>Miejski Ośrodek Pomocy Społecznej w Przykładowie<\/td><td>Przygotowano to zestawienie<\/td><td>casework<\/td><td>127\.0\.0\.1<\/td>/);
});

test('another institution\'s person is refused with the policy\'s reason, and the refusal is audited', async () => {
  const before = (await audit('person.read_denied', theirs)).length;
  const r = await worker.get(`/persons/${theirs}/dataprot`);
  assert.equal(r.status, 403);
  assert.match(r.text, /Te dane prowadzi inna instytucja\./);
  assert.equal((await audit('person.read_denied', theirs)).length, before + 1);
  assert.equal((await audit('person.report', theirs)).length, 0, 'no report was prepared');
  // its own worker gets it
  assert.equal((await other.get(`/persons/${theirs}/dataprot`)).status, 200);
});

test('administrators manage accounts, not persons: no report for them; a missing person is 404', async () => {
  const r = await admin.get(`/persons/${mine}/dataprot`);
  assert.equal(r.status, 403);
  assert.equal((await worker.get('/persons/999999/dataprot')).status, 404);
});

async function waitDone(client, id) {
  for (let i = 0; i < 400; i++) {
    const r = await client.get(`/api/v1/jobs/${id}`);
    assert.equal(r.status, 200);
    if (['done', 'failed', 'cancelled'].includes(r.json.state)) return r.json;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`job ${id} did not end`);
}

async function runRetention(fields) {
  await admin.page('/admin/retention');
  const r = await admin.form('/admin/retention', fields);
  assert.equal(r.status, 303);
  const id = Number(r.headers.get('location').match(/^\/jobs\/(\d+)$/)[1]);
  const j = await waitDone(admin, id);
  assert.equal(j.state, 'done', JSON.stringify(j));
  const file = await fetch(srv.base + `/jobs/${id}/result`, { headers: { cookie: admin.cookieHeader() } });
  assert.equal(file.status, 200);
  const bytes = Buffer.from(await file.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter((l) => l !== '');
  assert.equal(lines[0], 'Rodzaj;Numer;Instytucja;Ostatnia aktywność;Termin minął;Stan');
  return lines.slice(1);
}

test('retention: only administrators; a dry run lists the records past their period and changes nothing', async () => {
  assert.equal((await worker.get('/admin/retention')).status, 403);
  const page = await admin.page('/admin/retention');
  assert.equal(page.status, 200);
  assert.match(page.text, /10 lat \(retention_person_years\)/);
  const anonymised = one(db.url, 'SELECT COUNT(*) FROM person WHERE anonymised_at IS NOT NULL');
  const rows = await runRetention({ mode: 'dry_run' });
  assert.ok(rows.length > 10, `found ${rows.length}`);
  for (const l of rows) assert.match(l, /^(osoba|wywiad);\d+;"[^"]+";\d{4}-\d\d-\d\d;\d{4}-\d\d-\d\d;do anonimizacji$/);
  assert.equal(one(db.url, 'SELECT COUNT(*) FROM person WHERE anonymised_at IS NOT NULL'), anonymised);
  assert.equal((await audit('retention.dry_run')).length, 1);
});

test('retention: anonymising asks first, then blanks identity, keeps statistics, writes history and audit rows', async () => {
  const confirm = await admin.form('/admin/retention', { mode: 'apply' });
  assert.equal(confirm.status, 200);
  assert.match(confirm.text, /nie można tego cofnąć/);
  const listed = (await runRetention({ mode: 'dry_run' })).filter((l) => l.startsWith('osoba;')).map((l) => Number(l.split(';')[1]));
  const id = listed[0];
  const [sex, year, terc] = sql(db.url, `SELECT sex FROM person WHERE id = ${id} UNION ALL SELECT substr(birth_date, 1, 4) FROM person WHERE id = ${id} UNION ALL SELECT terc FROM person WHERE id = ${id}`);
  const rows = await runRetention({ mode: 'apply', confirm: '1' });
  assert.ok(rows.filter((l) => l.endsWith(';zanonimizowano')).length >= listed.length);
  const [first, surname, pesel, phone, town, sex2, birth, terc2] = sql(db.url,
    `SELECT first_names || '|' || surname || '|' || COALESCE(pesel, '') || '|' || COALESCE(phone, '') || '|' || COALESCE(town, '') || '|' || sex || '|' || birth_date || '|' || terc FROM person WHERE id = ${id}`)[0].split('|');
  assert.deepEqual([first, surname, pesel, phone, town], ['—', '—', '', '', '']);
  assert.deepEqual([sex2, birth, terc2], [sex, `${year}-01-01`, terc]);
  assert.equal(one(db.url, `SELECT COUNT(*) FROM person WHERE id IN (${listed.join(',')}) AND anonymised_at IS NULL`), '0');
  assert.equal(one(db.url, `SELECT COUNT(*) FROM record_history WHERE entity = 'person' AND entity_id = ${id} AND change = 'anonymise'`), '1');
  assert.equal(one(db.url, `SELECT COUNT(*) FROM record_history WHERE person_id = ${id} AND (old_value IS NOT NULL OR new_value IS NOT NULL)`), '0');
  const a = await audit('person.anonymise', id);
  assert.equal(a.length, 1);
  assert.equal(a[0].login, 'admin');
  assert.match(a[0].detail, /^retention person_years=10 last_activity=\d{4}-\d\d-\d\d$/);
  assert.equal((await audit('retention.apply')).length, 1);
  // nothing is due any more
  assert.deepEqual(await runRetention({ mode: 'dry_run' }), []);
});

test('razem demo --csv writes generated persons as an office exports them: BOM, Polish header, valid PESELs; cp1250 on request', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'razem-csv-'));
  try {
    const f = path.join(dir, 'p.csv');
    let r = spawnSync(BIN, ['demo', '--persons', '1000', '--csv', f], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const bytes = readFileSync(f);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines[0], 'PESEL;Imię;Nazwisko;Data urodzenia;Płeć;Kod pocztowy;Miejscowość;Ulica;Nr domu;Nr lokalu;Telefon;Nr gospodarstwa');
    assert.equal(lines.length, 1001);
    const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    for (const l of lines.slice(1)) {
      const c = l.split(';');
      assert.equal(c.length, 12, l);
      const p = c[0];
      assert.match(p, /^\d{11}$/);
      const sum = w.reduce((s, x, i) => s + x * Number(p[i]), 0);
      assert.equal((10 - (sum % 10)) % 10, Number(p[10]), `check digit of ${p}`);
      const mm = Number(p.slice(2, 4));
      const year = (mm > 20 ? 2000 : 1900) + Number(p.slice(0, 2));
      assert.equal(c[3], `${year}-${String(mm % 20).padStart(2, '0')}-${p.slice(4, 6)}`);
      assert.equal(c[4], Number(p[9]) % 2 === 0 ? 'K' : 'M');
      assert.match(c[5], /^\d\d-\d\d\d$/);
    }
    // the same seed, the same persons
    r = spawnSync(BIN, ['demo', '--persons', '1000', '--csv', '-'], { encoding: 'buffer' });
    assert.equal(r.status, 0);
    assert.ok(r.stdout.equals(bytes));
    // Windows-1250: no BOM, "Imię" with 0xEA
    r = spawnSync(BIN, ['demo', '--persons', '10', '--csv', '-', '--encoding', 'cp1250'], { encoding: 'buffer' });
    assert.equal(r.status, 0);
    assert.deepEqual([...r.stdout.subarray(0, 10)], [...Buffer.from('PESEL;Imi', 'latin1'), 0xea]);
    assert.equal(r.stdout.indexOf(Buffer.from([0xc4])), -1, 'no UTF-8 left');
    r = spawnSync(BIN, ['demo', '--persons', '10', '--csv', '-', '--encoding', 'latin2'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--encoding: expected utf-8 or cp1250/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('razem person report prints the report on behalf of the owning institution, audited as the command line', () => {
  const surname = one(db.url, `SELECT surname FROM person WHERE id = ${theirs}`);
  let r = spawnSync(BIN, ['person', 'report', String(theirs), '--db', db.url], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Dane osobowe i ich wykorzystanie \(art\. 15 RODO\)\n/);
  assert.ok(r.stdout.includes(surname));
  r = spawnSync(BIN, ['person', 'report', String(theirs), '--format', 'html', '--db', db.url], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^<!DOCTYPE html>/);
  assert.equal(Number(one(db.url, `SELECT COUNT(*) FROM audit_log WHERE action = 'person.report' AND entity_id = '${theirs}' AND login LIKE '(cli:%'`)), 2);
  r = spawnSync(BIN, ['person', 'report', '999999', '--db', db.url], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'razem person report: no person 999999\n');
  r = spawnSync(BIN, ['retention', '--db', db.url], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\d+ records are past their retention period \(dry run: nothing changed; --apply anonymises them\)\.\n$/);
});
