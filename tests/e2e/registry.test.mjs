// registry.test.mjs — the registry in a real browser: a social worker
// searches, does not find the person, starts a new record, the look-up
// offers the existing one (live with JavaScript, and as a first step
// without it), opens it, sets up the household, adds a family member, and
// the history shows both changes. Screenshots go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { freshDatabase, start, Client } from '../http/lib.mjs';

const CHROMIUM = process.env.CHROMIUM || ['/usr/bin/chromium', '/usr/bin/chromium-browser']
  .find((p) => existsSync(p));
const SHOTS = 'build/e2e';

let db, srv, browser, existing, son;
before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  db = freshDatabase();
  srv = await start(db);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const api = new Client(srv.base);
  await api.apiSignIn('pracownik');
  let r = await api.json('POST', '/api/v1/persons', { first_names: 'Grażyna', surname: 'Przykładna',
    birth_date: '1951-05-06', sex: 'K', town: 'Lipnica', confirm_new: true });
  existing = r.json;
  r = await api.json('POST', '/api/v1/persons', { first_names: 'Tomasz', surname: 'Przykładny',
    birth_date: '1980-01-02', sex: 'M', town: 'Lipnica', confirm_new: true });
  son = r.json;
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

test('search → not found → new person → the look-up offers the existing record → household → history', async () => {
  const ctx = await browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await signIn(page, 'pracownik');
  await page.getByRole('link', { name: 'Osoby', exact: true }).click();
  await page.getByLabel('Szukaj', { exact: true }).fill('przykladna');
  await page.getByLabel('Miejscowość lub ulica').fill('Dębina'); // she lives in Lipnica
  await page.getByRole('button', { name: 'Szukaj' }).click();
  await page.waitForURL(/\/persons\?/);
  assert.match(await page.locator('.count').innerText(), /Znaleziono 0 osób/);
  await page.screenshot({ path: `${SHOTS}/persons-not-found.png`, fullPage: true });

  await page.locator('main .empty').getByRole('link', { name: 'Dodaj nową osobę' }).click();
  await page.waitForURL(/\/persons\/new/);
  assert.equal(await page.locator('#f-surname').inputValue(), 'przykladna', 'the search carried over');
  await page.locator('#f-surname').fill('Przykladna');
  await page.locator('#f-first_names').fill('grazyna');
  await page.getByLabel('Data urodzenia').fill('1951-05-06');
  const offer = page.locator('#candidates a');
  await offer.waitFor();
  assert.equal(await offer.innerText(), 'Grażyna Przykładna');
  assert.match(await page.locator('#candidates').innerText(), /Być może już zarejestrowana/);
  await page.screenshot({ path: `${SHOTS}/person-lookup.png`, fullPage: true });
  await offer.click();
  await page.waitForURL(new RegExp(`/persons/${existing.id}$`));
  assert.equal(await page.locator('h1').innerText(), 'Grażyna Przykładna');

  // change 1: the household, with Grażyna as the applicant
  await page.getByRole('link', { name: 'Załóż gospodarstwo' }).click();
  assert.equal(await page.getByLabel('Miejscowość').inputValue(), 'Lipnica');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await page.waitForURL(/\/families\/\d+$/);
  assert.match(await page.locator('.notice').innerText(), /Założono gospodarstwo domowe nr \d+/);

  // change 2: her son, found in the register
  await page.getByRole('link', { name: 'Dodaj członka' }).click();
  await page.getByLabel('Znajdź osobę w rejestrze swojej instytucji').fill('przykładny tomasz');
  await page.getByRole('button', { name: 'Szukaj' }).click();
  await page.getByRole('link', { name: 'Tomasz Przykładny' }).click();
  await page.getByLabel(/^Stopień pokrewieństwa/).selectOption('child');
  await page.getByRole('button', { name: 'Dodaj do gospodarstwa' }).click();
  await page.waitForURL(/\/families\/\d+$/);
  assert.match(await page.locator('.notice').innerText(), /Dodano do gospodarstwa: Tomasz Przykładny/);
  const members = await page.locator('table.members tbody').innerText();
  assert.match(members, /Grażyna Przykładna/);
  assert.match(members, /Tomasz Przykładny/);
  const history = page.locator('#history tbody tr');
  assert.equal(await history.count(), 3, 'household set up, the applicant and the son');
  assert.match(await history.nth(0).innerText(), /pracownik\s+członkostwo: utworzenie\s+Stopień pokrewieństwa z wnioskodawcą\s+—\s+Dziecko/i);
  assert.match(await history.nth(1).innerText(), /członkostwo: utworzenie.*Wnioskodawca/is);
  await page.screenshot({ path: `${SHOTS}/household.png`, fullPage: true });

  // the son's own page shows his household and his change too
  await page.getByRole('link', { name: 'Tomasz Przykładny' }).first().click();
  await page.waitForURL(new RegExp(`/persons/${son.id}$`));
  assert.match(await page.locator('.household').innerText(), /Gospodarstwo domowe nr \d+/);
  assert.match(await page.locator('#history').innerText(), /członkostwo: utworzenie/);
  assert.deepEqual(errors, [], 'no script errors (CSP included)');
  await ctx.close();
});

test('without JavaScript the look-up is a first step with the candidates and a confirm button', async () => {
  const ctx = await browser.newContext({ locale: 'pl-PL', javaScriptEnabled: false });
  const page = await ctx.newPage();
  await signIn(page, 'pracownik');
  await page.goto(srv.base + '/persons/new');
  await page.locator('#f-first_names').fill('Grażyna');
  await page.locator('#f-surname').fill('PRZYKŁADNA');
  await page.getByLabel('Data urodzenia').fill('1951-05-06');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Czy ta osoba jest już zarejestrowana?');
  assert.equal(await page.locator('table.candidates-found tbody tr').count(), 1);
  await page.screenshot({ path: `${SHOTS}/person-candidates.png`, fullPage: true });
  await page.getByRole('button', { name: 'To jednak nowa osoba' }).click();
  await page.waitForURL(/\/persons\/\d+$/);
  assert.match(await page.locator('.notice').innerText(), /Zarejestrowano: Grażyna PRZYKŁADNA/);
  await ctx.close();
});
