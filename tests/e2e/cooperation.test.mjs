// cooperation.test.mjs — cooperation between institutions in a real
// browser (issue 8): the adviser of the labour office (PUP) searches a
// client of the MOPS and finds nothing, opens the MOPS's record named in a
// referral and is told why it is closed, sends a request by PESEL to every
// partner; the MOPS's social worker sees it on the start page and accepts
// it with the person's consent; the adviser now sees the person (the
// sections the agreement lets flow, the MOPS's course among the support
// received), takes the person over and plans a vocational training — and the form warns of the
// course the MOPS already funds. Screenshots go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { freshDatabase, start, Client } from '../http/lib.mjs';

const CHROMIUM = process.env.CHROMIUM || ['/usr/bin/chromium', '/usr/bin/chromium-browser']
  .find((p) => existsSync(p));
const SHOTS = 'build/e2e';
const PG = (process.env.RAZEM_TEST_DB || 'sqlite') !== 'sqlite';
const sql = (db, text) => (PG
  ? execFileSync('psql', [db.url, '-qAtX', '-c', text], { stdio: 'pipe' })
  : execFileSync('sqlite3', [db.url, text], { stdio: 'pipe' })).toString().trim();

let db, srv, browser, MOPS, PUP, target, named;
const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  db = freshDatabase();
  MOPS = Number(sql(db, "SELECT id FROM institution WHERE kind = 'mops'"));
  PUP = Number(sql(db, "SELECT id FROM institution WHERE kind = 'pup'"));
  // a MOPS client nobody has asked about yet, and the record the MOPS itself referred to the PUP
  const [id, pesel, first, sur] = sql(db, `SELECT p.id || '|' || p.pesel || '|' || p.first_names || '|' || p.surname
    FROM person p WHERE p.institution_id = ${MOPS} AND p.pesel IS NOT NULL AND p.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.person_id = p.id OR r.pesel = p.pesel)
    AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.person_id = p.id) ORDER BY p.id LIMIT 1`).split('|');
  target = { id: Number(id), pesel, name: `${first} ${sur}` };
  // another client without a consent, that the MOPS refers to the PUP by its record (below)
  named = Number(sql(db, `SELECT p.id FROM person p WHERE p.institution_id = ${MOPS} AND p.deleted_at IS NULL
    AND p.id <> ${target.id} AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.person_id = p.id) ORDER BY p.id LIMIT 1`));
  srv = await start(db);
  // the MOPS already funds a vocational course for the person, running now
  const api = new Client(srv.base);
  await api.apiSignIn('pracownik');
  const r = await api.json('POST', '/api/v1/episodes', { person_id: target.id, instrument: 'social_vocational_course',
    institution_id: MOPS, start: day(-10), planned_end: day(50), cost_grosze: 250000 });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const ref = await api.json('POST', '/api/v1/referrals', { person_id: named, to_institution_id: PUP,
    purpose: 'labour_market_activation', message: 'Prosimy o ofertę pracy.' });
  assert.equal(ref.status, 201, JSON.stringify(ref.json));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  db?.cleanup();
});

async function signIn(page, login) {
  await page.goto(srv.base + '/');
  await page.waitForURL(/\/login/);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel(/^Hasło/).fill('demo');
  await page.getByRole('button', { name: 'Zaloguj się' }).click();
  await page.waitForURL(srv.base + '/');
}

async function session(login) {
  const ctx = await browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (403|409)/.test(m.text())) errors.push(m.text()); });
  await signIn(page, login);
  return { ctx, page, errors };
}

test('search → denial with its reason → referral by PESEL → accepted with consent → the person → training → duplicate warning', async () => {
  // 1. the adviser searches the MOPS client by PESEL: nothing of the MOPS's records
  const adv = await session('doradca');
  let page = adv.page;
  await page.getByRole('link', { name: 'Osoby', exact: true }).click();
  await page.getByLabel('Szukaj', { exact: true }).fill(target.pesel);
  await page.getByRole('button', { name: 'Szukaj' }).click();
  await page.waitForURL(/\/persons\?/);
  assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(target.name.split(' ').pop()));
  await page.screenshot({ path: `${SHOTS}/coop-search-nothing.png`, fullPage: true });

  // 2. a record opened by its id, from a referral the MOPS sent: closed, and why
  await page.getByRole('link', { name: 'Skierowania', exact: true }).click();
  await page.waitForURL(/\/referrals$/);
  const received = await page.locator('main table.list').innerText();
  assert.match(received, /Miejski Ośrodek Pomocy Społecznej/);
  const res = await page.goto(`${srv.base}/persons/${named}`);
  assert.equal(res.status(), 403);
  assert.match(await page.locator('main').innerText(), /zgod|porozumieni/i, 'the reason names what would allow it');
  await page.screenshot({ path: `${SHOTS}/coop-denied.png`, fullPage: true });

  // 3. a request by PESEL to every partner
  await page.goto(`${srv.base}/referrals`);
  await page.getByRole('link', { name: 'Nowe zapytanie po numerze PESEL' }).click();
  await page.waitForURL(/\/referrals\/new$/);
  await page.getByLabel('PESEL').fill(target.pesel);
  await page.getByLabel(/^Cel/).selectOption('labour_market_activation');
  await page.getByLabel('Wiadomość').fill('Osoba zarejestrowała się jako bezrobotna. Czy możemy wspólnie zaplanować szkolenie?');
  await page.getByRole('button', { name: 'Wyślij' }).click();
  await page.waitForURL(/\/referrals\?box=sent$/);
  assert.match(await page.locator('main').innerText(), /Zapytanie wysłano do \d+ instytucji partnersk/);
  await page.screenshot({ path: `${SHOTS}/coop-sent.png`, fullPage: true });
  const rid = Number(sql(db, `SELECT id FROM referral WHERE pesel = '${target.pesel}' AND to_institution_id = ${MOPS}`));
  assert.ok(rid > 0);

  // 4. the MOPS's social worker: the start page lists it; accepts it with the consent
  const sw = await session('pracownik');
  await sw.page.locator('#panel-referrals').getByRole('link', { name: `Skierowanie nr ${rid}` }).click();
  await sw.page.waitForURL(new RegExp(`/referrals/${rid}$`));
  assert.match(await sw.page.locator('main').innerText(), new RegExp(`Twoja instytucja ma tę osobę: rekord nr ${target.id}\\.`));
  await sw.page.getByLabel('Osoba zgadza się na udostępnienie rekordu nadawcy w tym celu').check();
  await sw.page.getByRole('button', { name: 'Przyjmij' }).click();
  await sw.page.waitForURL(new RegExp(`/referrals/${rid}$`));
  assert.match(await sw.page.locator('main').innerText(), /Skierowanie zostało przyjęte, a zgoda zapisana\./);
  await sw.page.screenshot({ path: `${SHOTS}/coop-accepted.png`, fullPage: true });

  // 5. the adviser sees the person now, from the referral's answer
  await page.goto(`${srv.base}/referrals/${rid}`);
  assert.match(await page.locator('main').innerText(), /przyjęte/);
  await page.locator('main dl').getByRole('link', { name: new RegExp(`rekord nr ${target.id}`) }).click();
  await page.waitForURL(new RegExp(`/persons/${target.id}$`));
  assert.equal(await page.locator('h1').innerText(), target.name);
  // the partner's view: the sections of the agreement's categories, the MOPS's running course among the support
  const view = await page.locator('main').innerText();
  assert.match(view, /Porozumienie pozwala przekazywać: Tożsamość/);
  assert.match(view, /Status na rynku pracy/);
  const support = page.locator('section.episodes');
  assert.match(await support.innerText(), /Miejski Ośrodek Pomocy Społecznej w Przykładowie\s+Kurs zawodowy finansowany przez OPS/);
  await page.screenshot({ path: `${SHOTS}/coop-person.png`, fullPage: true });

  // 6. takes the person over and plans a vocational training: the form warns of the MOPS's course
  await page.getByRole('button', { name: /Przejmij|Take over/ }).click();
  await page.waitForURL(/\/persons\/\d+$/);
  assert.notEqual(page.url(), `${srv.base}/persons/${target.id}`, 'the PUP has its own record now');
  await page.getByRole('link', { name: 'Dodaj wsparcie' }).click();
  await page.waitForURL(/\/episodes\/new$/);
  await page.getByLabel(/^Instrument/).selectOption('training');
  await page.locator('#f-start').fill(day(0));
  await page.getByLabel('Planowane zakończenie').fill(day(30));
  await page.getByRole('button', { name: 'Zapisz', exact: true }).click();
  const warning = page.locator('section.duplicate');
  await warning.waitFor();
  assert.match(await warning.innerText(), /Powielone wsparcie/);
  // what the PUP is told of the MOPS's course follows the sharing rule (the institution, or only that a partner reports it)
  assert.match(await warning.innerText(), /Miejski Ośrodek Pomocy Społecznej|Instytucja partnerska odnotowuje nakładające się wsparcie/);
  await page.screenshot({ path: `${SHOTS}/coop-duplicate.png`, fullPage: true });
  assert.deepEqual(adv.errors, []);
  assert.deepEqual(sw.errors, []);
  await adv.ctx.close();
  await sw.ctx.close();
});
