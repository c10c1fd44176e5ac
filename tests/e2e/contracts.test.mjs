// contracts.test.mjs — a family contract in a real browser (issue 11): the
// family's guardian (an MGI member working at the PCPR) drafts a family
// contract for a PCPR household with the family's consent, adds an action for
// every member and submits it; the coordinator of the county's PZKW finds it
// on the start page and returns it with a comment; the guardian sees the
// comment, adds the missing action and submits again; the coordinator approves
// it at the PZKW's recorded meeting; the decision is on the meeting's page;
// the PDF downloads.
// Screenshots go to build/e2e/.
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

let db, srv, browser, family, members, guardianMember, cis, proAction, sportAction, meeting;
const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  db = freshDatabase();
  const cut = `${Number(day(0).slice(0, 4)) - 18}${day(0).slice(4)}`;
  // a PCPR household with an adult applicant and a child
  const [f, applicant] = sql(db, `SELECT f.id || '|' || f.applicant_id FROM family f JOIN institution i ON i.id = f.institution_id
    WHERE i.kind = 'pcpr' AND f.deleted_at IS NULL
    AND EXISTS (SELECT 1 FROM family_member m JOIN person p ON p.id = m.person_id WHERE m.family_id = f.id
      AND m.member_to IS NULL AND p.birth_date > '${cut}')
    AND EXISTS (SELECT 1 FROM person p WHERE p.id = f.applicant_id AND p.birth_date < '${cut}')
    ORDER BY f.id LIMIT 1`).split('|').map(Number);
  family = { id: f, applicant };
  members = sql(db, `SELECT p.id || '|' || p.birth_date || '|' || p.first_names || ' ' || p.surname FROM family_member m
    JOIN person p ON p.id = m.person_id WHERE m.family_id = ${f} AND m.member_to IS NULL ORDER BY m.id`)
    .split('\n').map((r) => { const [id, b, name] = r.split('|'); return { id, child: b > cut, name }; });
  guardianMember = sql(db, `SELECT m.id FROM team_member m JOIN app_user u ON u.id = m.user_id WHERE u.login = 'opiekun'`);
  cis = sql(db, "SELECT id FROM institution WHERE kind = 'cis'");
  proAction = sql(db, "SELECT a.id FROM lpiw_action a JOIN lpiw l ON l.id = a.lpiw_id WHERE l.state = 'adopted' AND a.module = 'pro_employment'");
  sportAction = sql(db, "SELECT a.id FROM lpiw_action a JOIN lpiw l ON l.id = a.lpiw_id WHERE l.state = 'adopted' AND a.module = 'sport_culture'");
  meeting = sql(db, 'SELECT MAX(id) FROM meeting');
  srv = await start(db);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  db?.cleanup();
});

async function session(login) {
  const ctx = await browser.newContext({ locale: 'pl-PL', acceptDownloads: true });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (403|409|422)/.test(m.text())) errors.push(m.text()); });
  await page.goto(srv.base + '/');
  await page.waitForURL(/\/login/);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel(/^Hasło/).fill('demo');
  await page.getByRole('button', { name: 'Zaloguj się' }).click();
  await page.waitForURL(srv.base + '/');
  return { ctx, page, errors };
}

async function addAction(page, { title, module, member, performer, institution, lpiw }) {
  const form = page.locator('form[action$="/actions"]');
  await form.locator('[name=title]').fill(title);
  await form.locator('[name=module]').selectOption(module);
  if (member) await form.locator('[name=member_person_id]').selectOption(member);
  await form.locator('[name=performer]').selectOption(performer);
  if (institution) await form.locator('[name=institution_id]').selectOption(String(institution));
  if (lpiw) await form.locator('[name=lpiw_action_id]').selectOption(String(lpiw));
  await form.locator('[name=deadline]').fill(day(60));
  await form.locator('[name=cost]').fill('15000');
  await form.getByRole('button', { name: 'Dodaj' }).click();
  await page.waitForLoadState();
}

test('guardian drafts → submits → coordinator returns with a comment → guardian fixes → coordinator approves at a meeting', async () => {
  assert.ok(family.id > 0, 'the demo has a PCPR household with a child');
  // 1. the guardian drafts the family contract with the family's consent
  const g = await session('opiekun');
  await g.page.getByRole('link', { name: 'Kontrakty socjalne' }).first().click();
  await g.page.getByRole('link', { name: 'Przygotuj kontrakt' }).click();
  const f = g.page.locator('form[action="/contracts/new"]');
  await f.locator('[name=kind]').selectOption('family');
  await f.locator('[name=person_id]').fill(String(family.applicant));
  await f.locator('[name=family_id]').fill(String(family.id));
  await f.locator('[name=guardian_member_id]').selectOption(String(guardianMember));
  await f.locator('[name=consent_form]').selectOption('written');
  await f.locator('[name=valid_from]').fill(day(0));
  await f.locator('[name=valid_to]').fill(day(180));
  await f.locator('[name=lpiw_id]').selectOption({ index: 1 });
  await f.locator('[name=causes]').fill('Długotrwałe bezrobocie, zadłużenie');
  await f.locator('[name=main_goal]').fill('Podjęcie pracy przez dorosłych członków rodziny');
  await f.locator('[name=specific_goals]').fill('Regularna nauka dzieci');
  await f.getByRole('button', { name: 'Zapisz projekt' }).click();
  await g.page.waitForURL(/\/contracts\/\d+$/);
  const url = g.page.url();
  const id = url.match(/(\d+)$/)[1];
  assert.match(await g.page.textContent('body'), /Projekt został zapisany/);
  // 2. an action for every member: adults a pro-employment one, children a sport one
  for (const m of members) {
    await addAction(g.page, m.child
      ? { title: `Zajęcia sportowe: ${m.name}`, module: 'sport_culture', member: m.id, performer: 'client' }
      : { title: `Szkolenie zawodowe: ${m.name}`, module: 'pro_employment', member: m.id, performer: 'institution',
          institution: cis, lpiw: proAction });
  }
  for (const m of members) assert.match(await g.page.textContent('main'), new RegExp(m.name));
  await g.page.screenshot({ path: `${SHOTS}/contract-draft.png`, fullPage: true });
  await g.page.getByRole('button', { name: 'Złóż do PZKW' }).click();
  await g.page.waitForURL(url);
  assert.match(await g.page.textContent('.status'), /Złożony do PZKW/);

  // 3. the coordinator sees it waiting on the start page and returns it with a comment
  const k = await session('koordynator');
  assert.match(await k.page.textContent('main'), /Kontrakty czekające na decyzję PZKW: \d+/);
  await k.page.goto(url);
  const ret = k.page.locator('form[action$="/return"]');
  await ret.locator('[name=comment]').fill('Proszę dodać działanie z modułu rodzinnego.');
  await ret.getByRole('button', { name: 'Zwróć z uwagami' }).click();
  await k.page.waitForURL(url);
  assert.match(await k.page.textContent('.status'), /Zwrócony/);

  // 4. the guardian reads the comment, adds the family action and submits again
  await g.page.goto(url);
  assert.match(await g.page.textContent('main'), /Zwrócony przez PZKW: Proszę dodać działanie z modułu rodzinnego/);
  await addAction(g.page, { title: 'Spotkania z asystentem rodziny', module: 'family', performer: 'worker' });
  assert.match(await g.page.textContent('main'), /Moduł: Rodzina/);
  await g.page.getByRole('button', { name: 'Złóż do PZKW' }).click();
  await g.page.waitForURL(url);
  assert.match(await g.page.textContent('.status'), /Złożony do PZKW/);

  // 5. the coordinator approves it at the PZKW's recorded meeting
  await k.page.goto(url);
  const ap = k.page.locator('form[action$="/approve"]');
  await ap.locator('[name=meeting_id]').selectOption(meeting);
  await ap.locator('[name=comment]').fill('Zatwierdzono jednogłośnie.');
  await ap.getByRole('button', { name: 'Zatwierdź' }).click();
  await k.page.waitForURL(url);
  assert.match(await k.page.textContent('.status'), /Zatwierdzony/);
  assert.match(await k.page.textContent('main'), /Zatwierdzono jednogłośnie/);
  await k.page.screenshot({ path: `${SHOTS}/contract-approved.png`, fullPage: true });
  // 6. the PDF downloads
  const [dl] = await Promise.all([k.page.waitForEvent('download'),
    k.page.getByRole('link', { name: 'Pobierz kontrakt (PDF)' }).click()]);
  assert.match(dl.suggestedFilename(), /^kontrakt-\d+-v1\.pdf$/);
  const pdf = `${SHOTS}/contract.pdf`;
  await dl.saveAs(pdf);
  const txt = execFileSync('pdftotext', [pdf, '-']).toString();
  assert.match(txt, /RODZINNY KONTRAKT SOCJALNY/);
  assert.ok(txt.includes(members[0].name));
  await k.page.goto(`${srv.base}/meetings/${meeting}`);
  assert.match(await k.page.textContent('main'), new RegExp(`Zatwierdzenie kontraktu \\(kontrakt nr ${id}, wersja 1\\)`));
  assert.equal(sql(db, `SELECT state FROM contract WHERE id = ${id}`), 'approved');
  assert.deepEqual(g.errors, []);
  assert.deepEqual(k.errors, []);
  void sportAction;
});
