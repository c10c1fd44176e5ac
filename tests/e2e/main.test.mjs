// main.test.mjs — the main flows in a real browser (headless Chromium from
// Debian, driven by playwright-core): sign in, see the start page, manage
// an institution and a user, change the password, sign out. Screenshots
// go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { freshDatabase, start } from '../http/lib.mjs';

const CHROMIUM = process.env.CHROMIUM || ['/usr/bin/chromium', '/usr/bin/chromium-browser']
  .find((p) => existsSync(p));
const SHOTS = 'build/e2e';

let db, srv, browser;
before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  db = freshDatabase();
  srv = await start(db);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  db?.cleanup();
});

async function signIn(page, login, password = 'demo') {
  await page.goto(srv.base + '/');
  await page.waitForURL(/\/login/);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel(/^Hasło/).fill(password);
  await page.getByRole('button', { name: 'Zaloguj się' }).click();
}

test('sign in, see the start page, sign out', async () => {
  const ctx = await browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await signIn(page, 'pracownik');
  await page.waitForURL(srv.base + '/');
  assert.match(await page.locator('h1').innerText(), /Dzień dobry, Paulina Pracownik/);
  assert.match(await page.locator('header .inst').innerText(), /Miejski Ośrodek Pomocy Społecznej/);
  assert.match(await page.locator('.demo-band').innerText(), /DEMO/);
  await page.screenshot({ path: `${SHOTS}/start-page.png`, fullPage: true });
  await page.getByRole('button', { name: 'Wyloguj się' }).click();
  await page.waitForURL(/\/login$/);
  assert.match(await page.locator('.notice').innerText(), /Wylogowano/);
  await page.screenshot({ path: `${SHOTS}/signed-out.png` });
  assert.deepEqual(errors, [], 'no script errors (CSP included)');
  await ctx.close();
});

test('a wrong password shows a message and keeps the login', async () => {
  const ctx = await browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  await signIn(page, 'analityk', 'zle-haslo');
  assert.match(await page.locator('.error-summary').innerText(), /Nieprawidłowy login lub hasło/);
  assert.equal(await page.getByLabel('Login').inputValue(), 'analityk');
  await ctx.close();
});

test('the administrator adds an institution, fixing a wrong REGON on the way', async () => {
  const ctx = await browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Instytucje', exact: true }).click();
  await page.getByRole('link', { name: 'Dodaj instytucję' }).click();
  await page.getByLabel('Rodzaj').selectOption('ngo');
  await page.getByLabel('Nazwa').fill('Stowarzyszenie Testowe');
  await page.getByLabel('REGON').fill('123456786');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /REGON/);
  assert.equal(await page.getByLabel('Nazwa').inputValue(), 'Stowarzyszenie Testowe', 'typed values kept');
  await page.screenshot({ path: `${SHOTS}/institution-error.png`, fullPage: true });
  await page.getByLabel('REGON').fill('123456785');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await page.waitForURL(/\/admin\/institutions\/\d+$/);
  assert.match(await page.locator('.notice').innerText(), /Zapisano instytucję/);
  assert.equal(await page.locator('h1').innerText(), 'Stowarzyszenie Testowe');
  await ctx.close();
});

test('the administrator creates an account; the person signs in and sets a password', async () => {
  const ctx = await browser.newContext({ locale: 'pl-PL' });
  const page = await ctx.newPage();
  await signIn(page, 'admin');
  await page.goto(srv.base + '/admin/users/new');
  await page.getByLabel('Login').fill('jan.kowalski');
  await page.getByLabel('Imię i nazwisko').fill('Jan Kowalski');
  await page.getByLabel('Instytucja').selectOption({ label: 'Powiatowy Urząd Pracy w Przykładowie' });
  await page.getByLabel('Doradca urzędu pracy').check();
  await page.getByRole('button', { name: 'Zapisz' }).click();
  const temp = (await page.locator('.password code').innerText()).trim();
  assert.match(temp, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  await page.screenshot({ path: `${SHOTS}/temporary-password.png` });
  await ctx.close();

  const ctx2 = await browser.newContext({ locale: 'pl-PL' });
  const p2 = await ctx2.newPage();
  await signIn(p2, 'jan.kowalski', temp);
  await p2.waitForURL(/\/account\/password$/);
  await p2.getByLabel(/^Obecne hasło/).fill(temp);
  await p2.locator('#f-new_password').fill('jesienny-spacer-2026');
  await p2.locator('#f-new_password2').fill('jesienny-spacer-2026');
  await p2.getByRole('button', { name: 'Zmień hasło' }).click();
  await p2.waitForURL(srv.base + '/');
  assert.match(await p2.locator('h1').innerText(), /Jan Kowalski/);
  await ctx2.close();
});

test('lists sort and filter without JavaScript', async () => {
  const ctx = await browser.newContext({ locale: 'pl-PL', javaScriptEnabled: false });
  const page = await ctx.newPage();
  await signIn(page, 'admin');
  await page.goto(srv.base + '/admin/institutions');
  await page.getByLabel('Rodzaj').selectOption('ops');
  await page.getByRole('button', { name: 'Filtruj' }).click();
  await page.waitForURL(/kind=ops/);
  const rows = await page.locator('table.list tbody tr').count();
  assert.equal(rows, 9);
  await page.getByRole('link', { name: /^Nazwa/ }).click();
  await page.waitForURL(/sort=name/);
  assert.equal(await page.locator('th[aria-sort]').count(), 1);
  await page.screenshot({ path: `${SHOTS}/institutions.png`, fullPage: true });
  await ctx.close();
});

test('the institution list fits 1280 px with every column; narrower, it scrolls inside its frame', async () => {
  const ctx = await browser.newContext({ locale: 'pl-PL', viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await signIn(page, 'admin');
  // the widest row there can be: 14-digit REGON, NIP, a long name and e-mail; the gmina typed by name
  await page.goto(srv.base + '/admin/institutions/new');
  await page.getByLabel('Rodzaj').selectOption('ngo');
  await page.getByLabel('Nazwa').fill('Fundacja Bardzo Długiej Nazwy Wspierania Rodzin i Osób Wykluczonych');
  await page.getByLabel('REGON').fill('12345678512347');
  await page.getByLabel('NIP').fill('1234563218');
  await page.getByLabel('Miejscowość').fill('Zielonka Mała');
  await page.getByLabel(/^Gmina/).fill('zielonka mała');
  await page.getByLabel('Telefon').fill('+48 11 180 10 00');
  await page.getByLabel('E-mail').fill('kontakt.fundacja@fundacja-dlugiej-nazwy.example');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await page.waitForURL(/\/admin\/institutions\/\d+$/);
  assert.match(await page.locator('.details').innerText(), /3050102/, 'the gmina name became its code');
  await page.goto(srv.base + '/admin/institutions');
  const m = await page.evaluate(() => {
    const last = [...document.querySelectorAll('table.list thead th')].pop();
    const wrap = document.querySelector('.table-wrap');
    return { right: last.getBoundingClientRect().right, vw: window.innerWidth,
      label: last.innerText, scroll: wrap.scrollWidth, client: wrap.clientWidth };
  });
  await page.screenshot({ path: `${SHOTS}/institutions-1280.png` });
  assert.equal(m.label.trim(), 'Aktywne');
  assert.ok(m.right <= m.vw, `last column ends at ${m.right} px, beyond the ${m.vw} px window`);
  assert.ok(m.scroll <= m.client, `the table (${m.scroll} px) is wider than its frame (${m.client} px)`);
  assert.match(await page.locator('table.list tbody').innerText(), /Zielonka Mała\s+3050102/);
  await page.setViewportSize({ width: 700, height: 800 });
  const n = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth, vw: window.innerWidth,
    scroll: document.querySelector('.table-wrap').scrollWidth,
    client: document.querySelector('.table-wrap').clientWidth,
  }));
  assert.ok(n.page <= n.vw, 'the page itself does not scroll sideways');
  assert.ok(n.scroll > n.client, 'the table scrolls inside its frame');
  await ctx.close();
});
