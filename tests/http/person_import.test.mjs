// person_import.test.mjs — importing a client register: `razem import
// persons` (UTF-8 with BOM and ';', Windows-1250 made with iconv and ',',
// quoted fields with separators and line breaks, the TERC code from the
// town, households, refused rows and the exact rejects file, duplicates,
// --update with history, every exit status, a killed import leaving no
// persons) and the import page (upload → preview → confirm → result, CSRF,
// roles, another institution's rejects, the audited download).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { BIN, freshDatabase, start, Client } from './lib.mjs';

let db, srv;
before(async () => {
  db = freshDatabase();
  srv = await start(db);
});
after(async () => {
  await srv?.stop();
  db?.cleanup();
});

const BOM = '\uFEFF';
const GOPS_BRZOZOWO = 6; // demo institution, gmina 3050022 (rural) whose seat is Brzozowo
const GOPS_DEBINA = 7;

// sql() asks the test database (sqlite3 or psql), rows as "a|b" lines.
function sql(q) {
  if (db.url.startsWith('postgres')) {
    return execFileSync('psql', [db.url, '-AtqF', '|', '-c', q], { encoding: 'utf8' }).trim();
  }
  return execFileSync('sqlite3', [db.url, q], { encoding: 'utf8' }).trim();
}

// pesel() builds a valid PESEL for a birth date, a serial and a sex.
function pesel(y, m, d, serial, female) {
  const mm = m + (y >= 2000 ? 20 : 0);
  const s = String(y % 100).padStart(2, '0') + String(mm).padStart(2, '0') + String(d).padStart(2, '0') +
    String(serial).padStart(3, '0') + String(female ? (serial % 5) * 2 : (serial % 5) * 2 + 1);
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = [...s].reduce((a, c, i) => a + Number(c) * w[i], 0);
  return s + String((10 - (sum % 10)) % 10);
}

function file(name, content) {
  const p = path.join(db.dir, name);
  writeFileSync(p, content);
  return p;
}

function razem(args) {
  const r = spawnSync(path.resolve(BIN), [...args, '--db', db.url], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const P = {
  lucja: pesel(1931, 2, 1, 101, true),
  jan: pesel(1930, 5, 7, 102, false),
  anna: pesel(1931, 3, 3, 103, true),
  jozef: pesel(1932, 4, 4, 104, false),
  zofia: pesel(1933, 5, 5, 105, true),
  ewa: pesel(1934, 6, 6, 106, true),
  ola: pesel(1935, 7, 7, 107, true),
};

const FIRST = BOM + 'PESEL;Imię;Nazwisko;Data urodzenia;Płeć;Kod pocztowy;Miejscowość;Ulica;Nr domu;Nr gospodarstwa;Uwagi\r\n' +
  `${P.lucja};Łucja;Żółkiewska;01.02.1931;K;99-310;Brzozowo;ul. Leśna;1;R1;\r\n` +
  `${P.jan};Jan;Żółkiewski;;M;99310;Brzozowo;ul. Leśna;1;R1;mąż\r\n` +
  `${P.anna};Anna;Nowak;;;99-310;Kalinowo;;2;;\r\n`;

test('UTF-8 with a BOM and ";": every row imported, the TERC code from the town, a household, history', () => {
  const f = file('first.csv', FIRST);
  const r = razem(['import', 'persons', f, '--institution', String(GOPS_BRZOZOWO)]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, new RegExp(`^${f.replace(/[.]/g, '\\.')}: read 3, imported 3, refused 0, duplicates 0, updated 0, ` +
    'households 1, warnings 0, [0-9.]+ s \\(UTF-8, separator ;\\)\nignored columns: Uwagi\n$'));
  assert.equal(r.err, '');
  assert.equal(sql(`SELECT pesel, first_names, surname, birth_date, sex, postcode, terc, surname_fold FROM person ` +
    `WHERE institution_id = ${GOPS_BRZOZOWO} AND pesel IN ('${P.lucja}', '${P.jan}', '${P.anna}') ORDER BY pesel`),
  [`${P.jan}|Jan|Żółkiewski|1930-05-07|M|99-310|3050022|zolkiewski`,
    `${P.lucja}|Łucja|Żółkiewska|1931-02-01|K|99-310|3050022|zolkiewska`,
    `${P.anna}|Anna|Nowak|1931-03-03|K|99-310|3050052|nowak`].join('\n'));
  // the household: Łucja (first row) the applicant, Jan a member; the family's address is hers
  assert.equal(sql(`SELECT p.first_names, m.relation, f.street, f.terc FROM family f JOIN family_member m ON m.family_id = f.id ` +
    `JOIN person p ON p.id = m.person_id WHERE f.institution_id = ${GOPS_BRZOZOWO} AND f.applicant_id = ` +
    `(SELECT id FROM person WHERE pesel = '${P.lucja}' AND institution_id = ${GOPS_BRZOZOWO}) ORDER BY m.relation`),
  'Łucja|applicant|ul. Leśna|3050022\nJan|other|ul. Leśna|3050022');
  // the creation's history is the import's own row: every record it created points at it, none has a row of its own
  const imp = sql('SELECT MAX(id) FROM person_import');
  assert.equal(sql(`SELECT (SELECT COUNT(*) FROM person WHERE import_id = ${imp}) || '/' || (SELECT COUNT(*) FROM family ` +
    `WHERE import_id = ${imp}) || '/' || (SELECT COUNT(*) FROM family_member WHERE import_id = ${imp})`), '3/1/2');
  assert.equal(sql(`SELECT COUNT(*) FROM record_history WHERE institution_id = ${GOPS_BRZOZOWO} AND actor LIKE '(cli:%'`), '0');
  assert.equal(sql(`SELECT file_name, encoding, separator, rows_read, imported, refused, duplicates, households, unmapped, ` +
    `CASE WHEN rejects IS NULL THEN 1 ELSE 0 END FROM person_import ORDER BY id DESC LIMIT 1`), 'first.csv|UTF-8|;|3|3|0|0|1|Uwagi|1');
  assert.match(sql(`SELECT detail FROM audit_log WHERE action = 'person.import' ORDER BY id DESC LIMIT 1`),
    /^file=first\.csv read=3 imported=3 updated=0 refused=0 duplicates=0 households=1$/);
});

test('Windows-1250 (made with iconv) with "," and quoted fields holding the separator and line breaks', () => {
  const text = 'PESEL,Imię,Nazwisko,Ulica,Miejscowość,Uwagi\n' +
    `${P.jozef},Józef,Wójcik,"Aleja 3 Maja, boczna",Dębina,"pierwsza linia\ndruga linia"\n` +
    `${P.zofia},Zofia,"Wójcik ""Zosia""",,Dębina,x\n\n`;
  const f = path.join(db.dir, 'cp1250.csv');
  writeFileSync(f, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP1250'], { input: text }));
  assert.equal(readFileSync(f).includes(Buffer.from('Józef')), false, 'the file is not UTF-8');
  const r = razem(['import', 'persons', f, '--institution', String(GOPS_DEBINA)]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /: read 2, imported 2, refused 0, duplicates 0, updated 0, households 0, warnings 0, [0-9.]+ s \(Windows-1250, separator ,\)\nignored columns: Uwagi\n$/);
  assert.equal(sql(`SELECT first_names, surname, street, terc FROM person WHERE institution_id = ${GOPS_DEBINA} AND ` +
    `pesel IN ('${P.jozef}', '${P.zofia}') ORDER BY pesel`),
  'Józef|Wójcik|Aleja 3 Maja, boczna|3050032\nZofia|Wójcik "Zosia"||3050032');
  // --encoding forces: read as UTF-8, the same bytes are refused at their line
  const again = razem(['import', 'persons', f, '--institution', String(GOPS_DEBINA), '--encoding', 'utf-8']);
  assert.equal(again.status, 1);
  assert.equal(again.err, `razem import persons: ${f}: nothing imported: the header cannot be read: line 1: bytes that are not UTF-8 text ` +
    '(is the file in another encoding?)\n');
});

test('refused rows: the rest imported (exit 3), the rejects file holds each row and every reason in Polish', () => {
  const text = 'PESEL;Imię;Nazwisko;Data urodzenia;Miejscowość\n' +
    `${P.ewa};Ewa;Kos;;Brzozowo\n` +
    '44051401358;Adam;Kos;;Brzozowo\n' +
    `${P.ola};;Kos;12.13.1990;Brzozowo\n` +
    `${P.ola};Ola;Kos;;Brzozowo;nadmiar\n` +
    ';Piotr;"Kos\nNowy";;Nibylandia\n';
  const f = file('bad.csv', text);
  const rej = path.join(db.dir, 'bad-rejects.csv');
  const r = razem(['import', 'persons', f, '--institution', String(GOPS_BRZOZOWO), '--rejects', rej]);
  assert.equal(r.status, 3, r.err);
  assert.match(r.out, /: read 5, imported 1, refused 4, duplicates 0, updated 0, households 0, warnings 0, /);
  assert.match(r.out, new RegExp(`refused rows and duplicates: ${rej.replace(/[.]/g, '\\.')} \\(import no\\. \\d+\\)\n$`));
  assert.equal(readFileSync(rej, 'utf8'), BOM +
    'PESEL;Imię;Nazwisko;Data urodzenia;Miejscowość;Przyczyny odrzucenia\r\n' +
    '44051401358;Adam;Kos;;Brzozowo;wiersz 3: PESEL: Cyfra kontrolna PESEL (11. cyfra) powinna wynosić 9, a wynosi 8.\r\n' +
    `${P.ola};;Kos;12.13.1990;Brzozowo;"wiersz 4: Data urodzenia: „12.13.1990” nie jest datą (DD.MM.RRRR lub RRRR-MM-DD); ` +
    'Imiona: Wpisz imię."\r\n' +
    `${P.ola};Ola;Kos;;Brzozowo;nadmiar;wiersz 5: wiersz ma 6 pól, a nagłówek 5\r\n` +
    ';Piotr;"Kos\nNowy";;Nibylandia;"wiersz 6: Nazwisko: To pole zawiera niewidoczne znaki sterujące; wpisz je jeszcze raz.; ' +
    'PESEL: Wpisz numer PESEL; dla osoby bez numeru PESEL podaj dokument (rodzaj i numer) albo przynajmniej datę urodzenia."\r\n');
  assert.equal(sql(`SELECT surname FROM person WHERE pesel = '${P.ewa}' AND institution_id = ${GOPS_BRZOZOWO}`), 'Kos');
  // the stored rejects are the same bytes
  assert.equal(sql(`SELECT refused, length(rejects) FROM person_import ORDER BY id DESC LIMIT 1`),
    `4|${readFileSync(rej).length}`);
});

test('a file of several reader batches: refusals, a PESEL repeated far apart and a household keep the file\'s order', () => {
  // the reader thread hands rows over in batches of 2,000: what depends on earlier rows must still see them
  const rows = [];
  const name = (i) => 'Osoba' + [...String(i)].map((c) => 'abcdefghij'[c]).join(''); // names have no digits
  for (let i = 0; i < 4500; i++) {
    const id = pesel(1950 + Math.floor(i / 336), 1 + (i % 12), 1 + (Math.floor(i / 12) % 28), 500, i % 2 === 0);
    rows.push(`${id};${name(i)};Partia;;Brzozowo;${i >= 1998 && i <= 2003 ? 'B1' : ''}`);
  }
  const repeated = rows[9].split(';')[0];
  rows[3999] = `${repeated};Powtórka;Partia;;Brzozowo;`; // line 4001 repeats line 11
  rows[2000] = ';Bez;Numeru;;Brzozowo;'; // line 2002: no PESEL, no document, no birth date
  const f = file('batches.csv', 'PESEL;Imię;Nazwisko;Data urodzenia;Miejscowość;Nr gospodarstwa\n' + rows.join('\n') + '\n');
  const rej = path.join(db.dir, 'batches-rejects.csv');
  const r = razem(['import', 'persons', f, '--institution', String(GOPS_DEBINA), '--rejects', rej]);
  assert.equal(r.status, 3, r.err);
  assert.match(r.out, /: read 4500, imported 4498, refused 2, duplicates 0, updated 0, households 1, /);
  const lines = readFileSync(rej, 'utf8').split('\r\n');
  assert.match(lines[1], /^;Bez;Numeru;;Brzozowo;;"?wiersz 2002: /);
  assert.equal(lines[2], `${repeated};Powtórka;Partia;;Brzozowo;;wiersz 4001: PESEL: ten sam PESEL co w wierszu 11 pliku`);
  // the household spans the batches' boundary: its members, the first row its applicant
  assert.equal(sql(`SELECT p.first_names, m.relation FROM family_member m JOIN person p ON p.id = m.person_id JOIN family f ` +
    `ON f.id = m.family_id WHERE f.institution_id = ${GOPS_DEBINA} AND f.import_id = (SELECT MAX(id) FROM person_import) ` +
    `ORDER BY p.id`), [1998, 1999, 2001, 2002, 2003].map((i) => `${name(i)}|${i === 1998 ? 'applicant' : 'other'}`).join('\n'));
});

test('a PESEL already registered is a duplicate: reported, nothing changed; every row one: exit 1', () => {
  const f = file('first-again.csv', FIRST);
  const rej = path.join(db.dir, 'dup.csv');
  const before = sql(`SELECT COUNT(*) FROM record_history WHERE institution_id = ${GOPS_BRZOZOWO}`);
  const r = razem(['import', 'persons', f, '--institution', String(GOPS_BRZOZOWO), '--rejects', rej]);
  assert.equal(r.status, 1, r.err);
  assert.match(r.out, /: read 3, imported 0, refused 0, duplicates 3, updated 0, households 0, /);
  const lines = readFileSync(rej, 'utf8').split('\r\n');
  assert.equal(lines.length, 5);
  assert.match(lines[1], new RegExp(`;"wiersz 2: PESEL ${P.lucja} jest już w rejestrze \\(osoba nr \\d+\\); niczego nie zmieniono"$`));
  assert.equal(sql(`SELECT COUNT(*) FROM record_history WHERE institution_id = ${GOPS_BRZOZOWO}`), before);
  // another institution holds its own records of the same people
  const other = razem(['import', 'persons', f, '--institution', '8']);
  assert.equal(other.status, 0, other.err);
  assert.match(other.out, /: read 3, imported 3, refused 0, duplicates 0/);
});

test('--update changes the registered person and keeps the history of each changed field', () => {
  const f = file('update.csv', `PESEL;Imię;Nazwisko;Miejscowość\n${P.anna};Anna;Nowak-Kowalska;Kalinowo\n${P.ola};Ola;Kos;Brzozowo\n`);
  const r = razem(['import', 'persons', f, '--institution', String(GOPS_BRZOZOWO), '--update']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /: read 2, imported 1, refused 0, duplicates 0, updated 1, households 0, /);
  assert.equal(sql(`SELECT surname, postcode FROM person WHERE pesel = '${P.anna}' AND institution_id = ${GOPS_BRZOZOWO}`),
    'Nowak-Kowalska|99-310');
  assert.equal(sql(`SELECT h.field, h.old_value, h.new_value FROM record_history h JOIN person p ON p.id = h.person_id ` +
    `WHERE p.pesel = '${P.anna}' AND p.institution_id = ${GOPS_BRZOZOWO} AND h.change = 'update'`), 'surname|Nowak|Nowak-Kowalska');
});

test('exit statuses: wrong usage 2; unreadable file, bad mapping, unknown institution, every row refused 1', () => {
  let r = razem(['import', 'persons', 'x.csv']);
  assert.equal(r.status, 2);
  assert.match(r.err, /--institution ID is required/);
  r = razem(['import', 'persons', 'x.csv', '--institution', '6', '--encoding', 'ebcdic']);
  assert.equal(r.status, 2);
  r = razem(['import', 'persons', path.join(db.dir, 'missing.csv'), '--institution', '6']);
  assert.equal(r.status, 1);
  assert.match(r.err, /nothing imported: cannot read it: No such file or directory\n$/);
  const f = file('noname.csv', 'PESEL;Name;Nazwisko\n1;2;3\n');
  r = razem(['import', 'persons', f, '--institution', '6']);
  assert.equal(r.status, 1);
  assert.equal(r.err, `razem import persons: ${f}: nothing imported: the file has no column for the field "First names" ` +
    '(its columns: PESEL; Name; Nazwisko); name it in a mapping file\n');
  const map = file('map.txt', '# ours\nfirst_names = Name\nsurname = Nazwiskoo\n');
  r = razem(['import', 'persons', f, '--institution', '6', '--mapping', map]);
  assert.equal(r.status, 1);
  assert.match(r.err, /nothing imported: mapping line 3: the file has no column "Nazwiskoo"\n$/);
  r = razem(['import', 'persons', f, '--institution', '999']);
  assert.equal(r.status, 1);
  assert.match(r.err, /nothing imported: there is no institution no\. 999\n$/);
  const bad = file('allbad.csv', 'PESEL;Imię;Nazwisko\n12345678901;A;B\n;;\n');
  r = razem(['import', 'persons', bad, '--institution', '6']);
  assert.equal(r.status, 1);
  assert.match(r.out, /: read 1, imported 0, refused 1, /);
  // a mapping file names the columns of an export with its own headers
  const own = file('own.csv', `NR_EWID|IMIE_1|NAZW\n`.replaceAll('|', ';') + `${pesel(1940, 1, 1, 201, false)};Marek;Mapowany\n`);
  const ownMap = file('own-map.txt', 'pesel = NR_EWID\nfirst_names = IMIE_1\nsurname = NAZW\n');
  r = razem(['import', 'persons', own, '--institution', '6', '--mapping', ownMap]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /: read 1, imported 1, /);
});

test('an import killed mid-way leaves no person, family or history behind', async () => {
  const big = path.join(db.dir, 'big.csv');
  execFileSync(path.resolve(BIN), ['demo', '--csv', big, '--persons', '200000', '--seed', '7'], { stdio: 'pipe' });
  const count = () => sql(`SELECT (SELECT COUNT(*) FROM person WHERE institution_id = 9) || '/' || ` +
    `(SELECT COUNT(*) FROM family WHERE institution_id = 9) || '/' || (SELECT COUNT(*) FROM record_history WHERE institution_id = 9)`);
  const before = count();
  const child = spawn(path.resolve(BIN), ['import', 'persons', big, '--institution', '9', '--db', db.url], { stdio: 'ignore' });
  const ended = new Promise((resolve) => child.on('exit', (code, sig) => resolve(sig ?? code)));
  await new Promise((r) => setTimeout(r, 1500));
  child.kill('SIGKILL');
  assert.equal(await ended, 'SIGKILL', 'the import was still running when killed');
  assert.equal(count(), before);
  assert.equal(existsSync(big), true);
  // a load this large rebuilds the indexes on SQLite: the kill left every one of them
  if (!db.url.startsWith('postgres')) assert.equal(indexes(), indexesBefore);
});

// indexes() lists the SQLite schema's indexes with their definitions.
function indexes() {
  return sql("SELECT name || ' ' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name");
}
let indexesBefore;
before(() => { if (!db.url.startsWith('postgres')) indexesBefore = indexes(); });

// ---- the import page ----

const MOPS = 3; // the demo social worker "pracownik" works there

// upload() posts a file as the browser's form does (multipart), with the page's CSRF token unless csrf is null.
async function upload(c, name, content, fields = {}) {
  const fd = new FormData();
  const token = 'csrf' in fields ? fields.csrf : c.formToken;
  if (token !== null) fd.append('_csrf', token);
  for (const [k, v] of Object.entries(fields)) if (k !== 'csrf') fd.append(k, v);
  fd.append('file', new Blob([content], { type: 'text/csv' }), name);
  return c.request('POST', '/persons/import', { body: fd });
}

function hidden(html, name) {
  const m = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
  return m ? m[1].replaceAll('&quot;', '"').replaceAll('&amp;', '&') : null;
}

const WEB = {
  marta: pesel(1950, 1, 2, 301, true),
  piotr: pesel(1951, 2, 3, 302, false),
};

test('the import page: upload → preview of the first rows → confirm → result, rejects downloaded and audited', async () => {
  const c = new Client(srv.base);
  await c.signIn('pracownik');
  let r = await c.page('/persons/import');
  assert.equal(r.status, 200);
  assert.match(r.text, /enctype="multipart\/form-data"/);
  const text = 'PESEL;Imię;Nazwisko;Miejscowość;Notatka\r\n' +
    `${WEB.marta};Marta;Wiśniewska;Przykładowo;"wiele\r\nlinii"\r\n` +
    `${WEB.piotr};Piotr;;Przykładowo;\r\n`;
  r = await upload(c, 'rejestr.csv', execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP1250'], { input: text }));
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /<h1[^>]*>Podgląd importu<\/h1>/);
  assert.match(r.text, /<dt>Kodowanie<\/dt><dd>Windows-1250<\/dd>/);
  assert.match(r.text, /<dt>Nazwisko<\/dt><dd>Nazwisko<\/dd>/);
  assert.match(r.text, /<dt>Pominięte kolumny<\/dt><dd>Notatka<\/dd>/);
  assert.match(r.text, new RegExp(`<tr><td>2</td><td>${WEB.marta}</td><td>Marta</td><td>Wiśniewska</td><td>1950-01-02</td><td>Przykładowo</td><td></td><td>poprawny</td></tr>`));
  assert.match(r.text, /<tr><td>4<\/td>.*<span class="error">Nazwisko: /);
  // nothing saved by the preview
  assert.equal(sql(`SELECT COUNT(*) FROM person WHERE pesel = '${WEB.marta}'`), '0');
  const fields = {};
  for (const k of ['token', 'name', 'encoding', 'update', 'mapping']) fields[k] = hidden(r.text.slice(r.text.indexOf('/persons/import/confirm')), k);
  assert.equal(fields.name, 'rejestr.csv');
  // the confirm form needs its CSRF token too
  r = await c.form('/persons/import/confirm', { ...fields, _csrf: null });
  assert.equal(r.status, 403);
  r = await c.form('/persons/import/confirm', fields);
  assert.equal(r.status, 303);
  // the import runs as a background job of the user; its page follows it
  const job = r.headers.get('location');
  assert.match(job, /^\/jobs\/\d+$/);
  let state = '';
  for (let i = 0; i < 200 && state !== 'done' && state !== 'failed'; i++) {
    await new Promise((res) => setTimeout(res, 50));
    state = sql(`SELECT state FROM job WHERE id = ${job.split('/').pop()}`);
  }
  assert.equal(state, 'done', sql(`SELECT error FROM job WHERE id = ${job.split('/').pop()}`) + srv.log.text.slice(-2000));
  r = await c.page(job);
  assert.match(r.text, /Import osób/);
  const id = sql(`SELECT MAX(id) FROM person_import WHERE institution_id = ${MOPS}`);
  const loc = `/persons/imports/${id}`;
  r = await c.page(loc);
  assert.equal(r.status, 200);
  assert.match(r.text, /<dt>Zaimportowane osoby<\/dt><dd>1<\/dd>/);
  assert.match(r.text, /<dt>Odrzucone wiersze<\/dt><dd>1<\/dd>/);
  assert.equal(sql(`SELECT terc, CASE WHEN created_by IS NOT NULL THEN 1 ELSE 0 END FROM person WHERE pesel = '${WEB.marta}' AND institution_id = ${MOPS}`),
    '3050011|1'); // Przykładowo names two gminas, but it is the seat of the MOPS's own
  // the person's history shows the creation by the import: who imported, when (the import's row), then later changes
  const pid = sql(`SELECT id FROM person WHERE pesel = '${WEB.marta}' AND institution_id = ${MOPS}`);
  r = await c.form(`/persons/${pid}/edit`, { pesel: WEB.marta, first_names: 'Marta', surname: 'Importowana', birth_date: '1950-01-02', town: 'Przykładowo' });
  assert.equal(r.status, 303);
  r = await c.get(`/api/v1/persons/${pid}/history`);
  assert.equal(r.status, 200);
  const hist = JSON.parse(r.text).items;
  assert.deepEqual(hist.map((h) => [h.entity, h.change, h.actor]).at(-1), ['person', 'create', 'pracownik']);
  assert.equal(hist.at(-1).at, sql(`SELECT at FROM person_import WHERE id = ${sql(`SELECT MAX(id) FROM person_import WHERE institution_id = ${MOPS}`)}`));
  assert.equal(hist[0].change, 'update');
  r = await c.page(`/persons/${pid}`);
  assert.match(r.text, /<td>pracownik<\/td><td>osoba: utworzenie<\/td>/);
  // the import form lists it among the institution's imports
  r = await c.page('/persons/import');
  assert.match(r.text, new RegExp(`<a href="/persons/imports/${id}">[^<]+</a></td><td>rejestr\\.csv</td><td>pracownik</td><td>1</td><td>1</td><td>0</td>`));
  // the same preview cannot be confirmed twice: its file went with the import
  r = await c.form('/persons/import/confirm', fields);
  assert.equal(r.status, 422);
  // the rejects, as stored, for this institution only; each download audited
  r = await c.get(`/persons/imports/${id}/rejects`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  // (fetch's text() drops the byte-order mark; the stored file begins with it)
  assert.equal(sql(`SELECT ${db.url.startsWith('postgres') ? "encode(substr(rejects, 1, 3), 'hex')" : 'lower(hex(substr(rejects, 1, 3)))'} ` +
    `FROM person_import WHERE id = ${id}`), 'efbbbf');
  assert.equal(r.text, 'PESEL;Imię;Nazwisko;Miejscowość;Notatka;Przyczyny odrzucenia\r\n' +
    `${WEB.piotr};Piotr;;Przykładowo;;wiersz 4: Nazwisko: Wpisz nazwisko.\r\n`);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'person_import.rejects' AND entity_id = '${id}'`), '1');
  const other = new Client(srv.base);
  await other.signIn('brzozowo');
  assert.equal((await other.get(`/persons/imports/${id}`)).status, 404);
  assert.equal((await other.page('/persons/import')).text.includes(`/persons/imports/${id}"`), false);
  assert.equal((await other.get(`/persons/imports/${id}/rejects`)).status, 404);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'person_import.rejects' AND entity_id = '${id}'`), '1');
});

test('the import page refuses an upload without its CSRF token, a bad mapping, and administrators', async () => {
  const c = new Client(srv.base);
  await c.signIn('pracownik');
  await c.page('/persons/import');
  let r = await upload(c, 'x.csv', 'PESEL;Imię;Nazwisko\n', { csrf: null });
  assert.equal(r.status, 403);
  r = await upload(c, 'x.csv', 'PESEL;Name;Nazwisko\n1;2;3\n');
  assert.equal(r.status, 422);
  assert.match(r.text, /plik nie ma kolumny z polem „Imiona” \(jego kolumny: PESEL; Name; Nazwisko\)/);
  r = await upload(c, 'x.csv', 'PESEL;Name;Nazwisko\n1;2;3\n', { mapping: 'first_names = Name\nsurname = Nazwisko\n' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<dt>Imiona<\/dt><dd>Name<\/dd>/);
  assert.match((await c.page('/')).text, /<li><a href="\/persons\/import">Import osób<\/a><\/li>/);
  const admin = new Client(srv.base);
  await admin.signIn('admin');
  assert.equal((await admin.page('/')).text.includes('href="/persons/import"'), false);
  r = await admin.page('/persons/import');
  assert.equal(r.status, 403);
  r = await upload(admin, 'x.csv', 'PESEL;Imię;Nazwisko\n');
  assert.equal(r.status, 403);
  // an analyst imports into their own institution
  const an = new Client(srv.base);
  await an.signIn('analityk');
  assert.equal((await an.page('/persons/import')).status, 200);
});

// last: it talks to no server for several seconds (idle keep-alive connections would be closed under the others)
test('a large load (the indexes rebuilt once on SQLite) ends with the same schema and finds its persons', async (t) => {
  if (db.url.startsWith('postgres')) return t.skip('PostgreSQL loads with COPY and keeps its indexes');
  const big = path.join(db.dir, 'large.csv');
  execFileSync(path.resolve(BIN), ['demo', '--csv', big, '--persons', '200000', '--seed', '11'], { stdio: 'pipe' });
  const r = spawnSync(path.resolve(BIN), ['import', 'persons', big, '--institution', '10', '--db', db.url], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 3, r.stderr); // 3: a few generated PESELs meet the demo's
  assert.ok(Number(r.stdout.match(/read 200000, imported (\d+)/)[1]) > 190000, r.stdout);
  assert.equal(indexes(), indexesBefore);
  assert.equal(sql('PRAGMA integrity_check'), 'ok');
  // the rebuilt surname index answers a search
  const s = spawnSync(path.resolve(BIN), ['person', 'search', '--institution', '10', 'kowalska', '--db', db.url], { encoding: 'utf8' });
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, /Kowalska/);
});
