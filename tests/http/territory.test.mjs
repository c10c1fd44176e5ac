// territory.test.mjs — the territorial unit pages and their JSON twins:
// signed-in users only, the voivodeships, a unit with its parent, the units
// in it and its institutions (an urban-rural gmina with its parts), 404s,
// and a unit closed by a later register (razem import teryt) still shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshDatabase, start, Client, BIN } from './lib.mjs';

let db, srv, worker, admin;
before(async () => {
  db = freshDatabase();
  srv = await start(db);
  worker = new Client(srv.base);
  await worker.signIn('pracownik');
  admin = new Client(srv.base);
  await admin.signIn('admin');
});
after(async () => { await srv.stop(); db.cleanup(); });

test('the pages are for signed-in users only', async () => {
  const anon = new Client(srv.base);
  const r = await anon.get('/territory/3050');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/login/);
  assert.equal((await anon.get('/api/v1/territory/3050')).status, 401);
});

test('/territory lists the voivodeships, in Polish, with a nav entry', async () => {
  const r = await worker.get('/territory');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1[^>]*>Jednostki terytorialne<\/h1>/);
  assert.match(r.text, /<a href="\/territory" aria-current="page">Jednostki terytorialne<\/a>/);
  assert.match(r.text, /<caption>Województwa<\/caption>/);
  assert.match(r.text, /<th scope="row"><a href="\/territory\/30">WIELKOPOLSKIE<\/a><\/th><td>województwo<\/td>/);
});

test('a powiat: its parent, its gminas and its institutions', async () => {
  const r = await worker.get('/territory/3050');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1[^>]*>przykładowy<\/h1>/);
  assert.match(r.text, /Fikcyjna jednostka danych demonstracyjnych/);
  assert.match(r.text, /<dt>Jednostka nadrzędna<\/dt><dd><a href="\/territory\/30">WIELKOPOLSKIE<\/a> \(województwo\)<\/dd>/);
  assert.match(r.text, /<a href="\/territory\/3050022">Brzozowo<\/a><\/th><td>gmina wiejska<\/td><td>3050022<\/td>/);
  assert.match(r.text, /<li>Powiatowy Urząd Pracy w Przykładowie — /);
  assert.doesNotMatch(r.text, /href="\/admin\/institutions\//, 'no admin links for a worker');
  const a = await admin.get('/territory/3050');
  assert.match(a.text, /<li><a href="\/admin\/institutions\/\d+">Powiatowy Urząd Pracy w Przykładowie<\/a>/);
});

test('an urban-rural gmina lists the institutions of its town and rural parts', async () => {
  const r = await worker.get('/territory/3050043');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1[^>]*>Jarzębin<\/h1>/);
  assert.match(r.text, /<dd>gmina miejsko-wiejska<\/dd>/);
  const api = await worker.get('/api/v1/territory/3050043');
  assert.equal(api.status, 200);
  assert.ok(api.json.institutions.some((i) => i.name.includes('Jarzębin')), JSON.stringify(api.json.institutions));
  const part = await worker.get('/api/v1/territory/3050044');
  assert.equal(part.json.kind, 'town_part');
  assert.equal(part.json.parent.code, '3050');
});

test('the JSON twin: unit, parent, children, institutions', async () => {
  const r = await worker.get('/api/v1/territory/3050');
  assert.equal(r.status, 200);
  assert.equal(r.json.code, '3050');
  assert.equal(r.json.kind, 'powiat');
  assert.equal(r.json.fictional, true);
  assert.equal(r.json.valid_to, null);
  assert.equal(r.json.parent.code, '30');
  assert.equal(r.json.parent.name, 'WIELKOPOLSKIE');
  assert.deepEqual(r.json.children.map((c) => c.code).slice(0, 3), ['3050011', '3050022', '3050032']);
  assert.ok(r.json.institutions.length >= 4);
  const v = await worker.get('/api/v1/territory');
  assert.deepEqual(v.json.units.map((u) => u.code), ['30']);
  const w = await worker.get('/territory/30');
  assert.match(w.text, /<dt>Jednostka nadrzędna<\/dt><dd>Polska<\/dd>/);
});

test('unknown codes are 404 in Polish; malformed ones do not match a route', async () => {
  let r = await worker.get('/territory/3099');
  assert.equal(r.status, 404);
  assert.match(r.text, /Nie ma takiej jednostki terytorialnej/);
  r = await worker.get('/api/v1/territory/3099');
  assert.equal(r.status, 404);
  assert.equal(r.json.code, 'not_found');
  assert.match(r.json.message, /W rejestrze TERYT nie ma jednostki o tym kodzie TERC/);
  assert.equal((await worker.get('/territory/305')).status, 404);
  assert.equal((await worker.get('/territory/30a')).status, 404);
});

test('a unit a later register closed stays readable, marked closed, and leaves its parent\'s list', async () => {
  const head = 'WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n';
  const f1 = path.join(db.dir, 'terc1.csv'), f2 = path.join(db.dir, 'terc2.csv');
  writeFileSync(f1, head + '30;;;;WIELKOPOLSKIE;województwo;2020-01-01\n30;01;;;chodzieski;powiat;2020-01-01\n'
    + '30;01;01;1;Chodzież;gmina miejska;2020-01-01\n30;01;02;2;Chodzież;gmina wiejska;2020-01-01\n');
  writeFileSync(f2, head + '30;;;;WIELKOPOLSKIE;województwo;2021-01-01\n30;01;;;chodzieski;powiat;2021-01-01\n'
    + '30;01;01;1;Chodzież;gmina miejska;2021-01-01\n');
  let out = execFileSync(BIN, ['import', 'teryt', f1, '--db', db.url], { encoding: 'utf8' });
  assert.match(out, /TERC register of 2020-01-01: 4 units: 3 new, 0 closed, 1 unchanged/);
  out = execFileSync(BIN, ['import', 'teryt', f2, '--db', db.url], { encoding: 'utf8' });
  assert.match(out, /TERC register of 2021-01-01: 3 units: 0 new, 1 closed, 3 unchanged/);
  const r = await worker.get('/territory/3001022');
  assert.equal(r.status, 200);
  assert.match(r.text, /Ta jednostka została zamknięta w rejestrze TERYT ze stanem na 2021-01-01\./);
  const p = await worker.get('/api/v1/territory/3001');
  assert.deepEqual(p.json.children.map((c) => c.code), ['3001011']);
  assert.equal((await worker.get('/api/v1/territory/3001022')).json.valid_to, '2021-01-01');
  const d = await worker.get('/api/v1/territory/3050');
  assert.equal(d.json.valid_to, null, 'the demo county stays open');
});
