// maps.test.mjs — the maps in a real browser: open /maps from the menu,
// drill down on the map itself from the country to the voivodeship, the
// powiat and a gmina, read that gmina's value in the table beside the map
// and find the same value in the unit's title on the map; then follow the
// breadcrumbs back. Runs on the demo county's generated boundaries.
// Screenshots go to build/e2e/.
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

test('drill down from the country to a gmina on the map and read its value in the table', async () => {
  const ctx = await browser.newContext({ locale: 'pl-PL', viewport: { width: 1280, height: 1000 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(srv.base + '/');
  await page.getByLabel('Login').fill('analityk');
  await page.getByLabel(/^Hasło/).fill('demo');
  await page.getByRole('button', { name: 'Zaloguj się' }).click();
  await page.waitForURL(srv.base + '/');

  await page.getByRole('link', { name: 'Mapy', exact: true }).click();
  await page.waitForURL(/\/maps$/);
  assert.equal(await page.locator('h1').innerText(), 'Mapy');
  await page.screenshot({ path: `${SHOTS}/maps-country.png`, fullPage: true });

  // the country: click the voivodeship on the map
  await page.locator('svg.map a[href="/maps?layer=institutions&within=30"]').first().click();
  await page.waitForURL(/within=30$/);
  assert.equal(await page.locator('h1').innerText(), 'Mapy: WIELKOPOLSKIE');
  // the voivodeship: click the powiat
  await page.locator('svg.map a[href="/maps?layer=institutions&within=3050"]').first().click();
  await page.waitForURL(/within=3050$/);
  assert.equal(await page.locator('h1').innerText(), 'Mapy: przykładowy');
  await page.screenshot({ path: `${SHOTS}/maps-powiat.png`, fullPage: true });

  // the table beside the map: Brzozowo's value, the same as the unit's title on the map
  const row = page.locator('table.map-values tbody tr', { has: page.getByRole('link', { name: 'Brzozowo', exact: true }) });
  assert.equal(await row.count(), 1);
  const value = (await row.locator('td.num').innerText()).trim();
  assert.match(value, /^\d+$/);
  const title = await page.locator('svg.map a[href="/territory/3050022"] title').textContent();
  assert.equal(title, `Brzozowo: ${value}`);
  // a screen reader hears the unit's link by its name and value
  assert.equal(await page.getByRole('link', { name: `Brzozowo: ${value}`, exact: true }).count(), 1);
  assert.equal(await page.getByRole('group', { name: 'Liczba instytucji — gminy, przykładowy' }).count(), 1);

  // the gmina itself: its page, reached from the map
  await page.locator('svg.map a[href="/territory/3050022"]').click();
  await page.waitForURL(/\/territory\/3050022$/);
  assert.equal(await page.locator('h1').innerText(), 'Brzozowo');

  // back up through the breadcrumbs of the map pages
  await page.goBack();
  await page.locator('nav.crumbs').getByRole('link', { name: 'WIELKOPOLSKIE' }).click();
  await page.waitForURL(/within=30$/);
  await page.locator('nav.crumbs').getByRole('link', { name: 'Mapy' }).click();
  await page.waitForURL(/\/maps$/);
  assert.deepEqual(errors, [], 'no script errors (CSP included)');
  await ctx.close();
});

test('the form chooses the level and the layer without JavaScript', async () => {
  const ctx = await browser.newContext({ locale: 'pl-PL', javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(srv.base + '/');
  await page.getByLabel('Login').fill('analityk');
  await page.getByLabel(/^Hasło/).fill('demo');
  await page.getByRole('button', { name: 'Zaloguj się' }).click();
  await page.goto(srv.base + '/maps?within=30');
  assert.equal(await page.getByLabel('Jednostki').inputValue(), '', 'the level follows the area unless chosen');
  await page.getByLabel('Obszar').selectOption('3050');
  await page.getByRole('button', { name: 'Pokaż mapę' }).click();
  await page.waitForURL(/within=3050/);
  assert.equal(await page.locator('h1').innerText(), 'Mapy: przykładowy');
  assert.equal(await page.locator('svg.map a[href^="/territory/"]').count(), 10, 'the gminas of the powiat');
  await page.getByLabel('Obszar').selectOption('');
  await page.getByLabel('Jednostki').selectOption('gmina');
  await page.getByLabel('Warstwa').selectOption('resources');
  await page.getByRole('button', { name: 'Pokaż mapę' }).click();
  await page.waitForURL(/level=gmina/);
  assert.ok(await page.locator('svg.map g.points').count() === 1);
  assert.match(await page.locator('table.map-values caption').innerText(), /Instytucje na mapie/);
  await page.screenshot({ path: `${SHOTS}/maps-resources.png`, fullPage: true });
  await ctx.close();
});
