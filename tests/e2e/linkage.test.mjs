// linkage.test.mjs — record linkage in a real browser (issue 9): the MOPS's
// social worker imports a register in which a client the PUP already holds
// is written with two letters of the surname swapped and without PESEL;
// the import links it, the pair appears in the review queue (the start
// page counts it), the worker sees both records side by side with the
// differences marked and the score explained, joins them ("To ta sama
// osoba"), and the person page then shows the PUP's record. The PUP's
// record carries a data-quality basis for the MOPS (the sharing rule's
// purpose of reviewing). Screenshots go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { freshDatabase, start } from '../http/lib.mjs';

const CHROMIUM = process.env.CHROMIUM || ['/usr/bin/chromium', '/usr/bin/chromium-browser']
  .find((p) => existsSync(p));
const SHOTS = 'build/e2e';
const PG = (process.env.RAZEM_TEST_DB || 'sqlite') !== 'sqlite';
const sql = (db, text) => (PG
  ? execFileSync('psql', [db.url, '-qAtX', '-c', text], { stdio: 'pipe' })
  : execFileSync('sqlite3', [db.url, text], { stdio: 'pipe' })).toString().trim();

let db, srv, browser, MOPS, PUP, theirs;

// two letters in the middle swapped, as a hurried typist does ("Wójcik" → "Wójcki")
const typo = (s) => {
  const a = [...s], i = a.length - 2;
  [a[i - 1], a[i]] = [a[i], a[i - 1]];
  return a.join('');
};

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  db = freshDatabase();
  MOPS = Number(sql(db, "SELECT id FROM institution WHERE kind = 'mops'"));
  PUP = Number(sql(db, "SELECT id FROM institution WHERE kind = 'pup'"));
  // a PUP client the MOPS does not hold, with an address and a two-name surname-free first name
  const row = sql(db, `SELECT p.id || '|' || p.first_names || '|' || p.surname || '|' || p.birth_date || '|' || p.sex
    || '|' || p.street || '|' || p.house_no FROM person p WHERE p.institution_id = ${PUP} AND p.pesel IS NOT NULL
    AND p.street IS NOT NULL AND length(p.surname) >= 6 AND NOT EXISTS (SELECT 1 FROM person o WHERE o.pesel = p.pesel
    AND o.institution_id = ${MOPS}) ORDER BY p.id LIMIT 1`).split('|');
  theirs = { id: Number(row[0]), first: row[1].split(' ')[0], surname: row[2], birth: row[3], sex: row[4],
    street: row[5], house: row[6] };
  // the PUP's record may be shown to the MOPS for data quality (a statutory basis)
  sql(db, `INSERT INTO consent (person_id, institution_id, recipient_institution_id, purpose, basis, statute_article,
    valid_from, created_at) VALUES (${theirs.id}, ${PUP}, ${MOPS}, 'data_quality', 'statute',
    'art. 6 ust. 1 lit. e RODO', '2026-01-01', '2026-01-01T00:00:00Z')`);
  srv = await start(db);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  db?.cleanup();
});

async function session(login) {
  const ctx = await browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('response', (r) => { if (r.status() === 403) errors.push(r.url()); });
  await page.goto(srv.base + '/');
  await page.waitForURL(/\/login/);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel(/^Hasło/).fill('demo');
  await page.getByRole('button', { name: 'Zaloguj się' }).click();
  await page.waitForURL(srv.base + '/');
  return { ctx, page, errors };
}

test('import with a typo → the pair in the queue → joined → the person page shows both institutions', async () => {
  const { ctx, page, errors } = await session('pracownik');
  const wrong = typo(theirs.surname);
  assert.notEqual(wrong, theirs.surname);
  // 1. the import: the register of the MOPS brings the person without PESEL, the surname mistyped
  const csv = 'Imię;Nazwisko;Data urodzenia;Płeć;Ulica;Nr domu\r\n' +
    `${theirs.first};${wrong};${theirs.birth};${theirs.sex};${theirs.street};${theirs.house}\r\n`;
  await page.goto(srv.base + '/persons/import');
  await page.setInputFiles('#f-file', { name: 'rejestr.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Pokaż pierwsze wiersze' }).click();
  await page.getByRole('button', { name: 'Importuj plik' }).click();
  await page.waitForURL(/\/jobs\/\d+/);
  await page.waitForSelector('.job-progress[data-state="done"]', { timeout: 30000 });
  const mine = Number(sql(db, `SELECT id FROM person WHERE institution_id = ${MOPS} AND surname = '${wrong}'`));
  assert.ok(mine > 0, 'imported');
  // 2. the start page counts the pairs to review and leads to the queue
  await page.goto(srv.base + '/');
  await page.getByRole('link', { name: /par(a|y)? rekordów do uzgodnienia/ }).click();
  await page.waitForURL(/\/links\/review/);
  const id = Number(sql(db, `SELECT id FROM link_candidate WHERE (person_a = ${mine} AND person_b = ${theirs.id})
    OR (person_a = ${theirs.id} AND person_b = ${mine})`));
  assert.ok(id > 0, 'the pair is in the queue');
  await page.goto(`${srv.base}/links/review?id=${id}`);
  const pair = page.locator('table.pair');
  await assert.doesNotReject(pair.getByText(wrong, { exact: true }).waitFor());
  await assert.doesNotReject(pair.getByText(theirs.surname, { exact: true }).waitFor());
  assert.match(await page.locator('tr.differs').first().innerText(), /różni się/);
  assert.ok(await page.locator('table.explain tr').count() > 3, 'the score explained');
  await page.screenshot({ path: `${SHOTS}/linkage-review.png`, fullPage: true });
  // 3. the reviewer joins them
  await page.locator(`form[action="/links/candidates/${id}/decision"]`).getByRole('button', { name: 'To ta sama osoba' }).click();
  await page.waitForURL(/\/links\/review/);
  await assert.doesNotReject(page.getByText('Zapisano decyzję.').waitFor());
  assert.equal(sql(db, `SELECT state FROM person_link WHERE person_a = ${Math.min(mine, theirs.id)} AND person_b = ${Math.max(mine, theirs.id)}`), 'confirmed');
  // 4. the person page shows the PUP's record of the same person
  await page.goto(`${srv.base}/persons/${mine}`);
  const links = page.locator('section#links');
  await assert.doesNotReject(links.getByText('Ta sama osoba w innych instytucjach').waitFor());
  assert.match(await links.innerText(), /Powiatowy Urząd Pracy/);
  assert.match(await links.innerText(), new RegExp(theirs.surname));
  await page.screenshot({ path: `${SHOTS}/linkage-person.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});
