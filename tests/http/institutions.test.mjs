// institutions.test.mjs — duplicates refused by the database under
// concurrency, the gmina field by name, the list's gmina column (page and
// exports), and the list page's wording (bad addresses, empty results,
// one confirmation style).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, start, Client } from './lib.mjs';

let db, srv, admin, api, api2;
before(async () => {
  db = freshDatabase();
  srv = await start(db);
  admin = new Client(srv.base);
  await admin.signIn('admin');
  api = new Client(srv.base);
  await api.apiSignIn('admin');
  api2 = new Client(srv.base);
  await api2.apiSignIn('admin');
});
after(async () => { await srv.stop(); db.cleanup(); });

test('two simultaneous creates of the same institution: exactly one is saved', async () => {
  for (let round = 0; round < 5; round++) {
    const body = { kind: 'ngo', name: `Fundacja Współbieżna ${round}`, terc: '3050032' };
    const twin = { ...body, name: body.name.toUpperCase().replace('Ó', 'O') }; // same up to case
    const rs = await Promise.all([api.json('POST', '/api/v1/institutions', body),
      api2.json('POST', '/api/v1/institutions', twin)]);
    assert.deepEqual(rs.map((r) => r.status).sort(), [201, 422], `round ${round}`);
    const refused = rs.find((r) => r.status === 422);
    assert.equal(refused.json.field, 'name');
    assert.equal(refused.json.errors[0].code, 'taken');
    assert.match(refused.json.message, /already registered in this gmina|już zarejestrowana w tej gminie/);
  }
  // the same REGON, under different names
  const rs = await Promise.all(['A', 'B'].map((n, i) => (i ? api2 : api).json('POST', '/api/v1/institutions',
    { kind: 'ngo', name: `Stowarzyszenie ${n}`, regon: '123456785' })));
  assert.deepEqual(rs.map((r) => r.status).sort(), [201, 422]);
  assert.equal(rs.find((r) => r.status === 422).json.field, 'regon');
});

test('two simultaneous form posts of the same institution: one 303, one 422 with the Polish message', async () => {
  const other = new Client(srv.base);
  await other.signIn('admin');
  await admin.page('/admin/institutions/new');
  await other.page('/admin/institutions/new');
  const fields = { kind: 'ops', name: 'Ośrodek Formularzowy', terc: '3050052' };
  const rs = await Promise.all([admin.form('/admin/institutions/new', fields),
    other.form('/admin/institutions/new', { ...fields, name: 'ośrodek formularzowy' })]);
  assert.deepEqual(rs.map((r) => r.status).sort(), [303, 422]);
  assert.match(rs.find((r) => r.status === 422).text,
    /Instytucja o tej nazwie jest już zarejestrowana w tej gminie \(numer \d+\)\./);
});

test('the gmina field takes a unique name; an ambiguous one lists the kinds; the code still works', async () => {
  let r = await api.json('POST', '/api/v1/institutions', { kind: 'ngo', name: 'Koło Gospodyń', terc: 'brzozowo' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.terc, '3050022');
  r = await api.json('POST', '/api/v1/institutions', { kind: 'ngo', name: 'Klub Seniora', terc: 'Zielonka mała' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.terc, '3050102', 'diacritics and case do not matter');
  r = await api.json('POST', '/api/v1/institutions', { kind: 'ngo', name: 'Klub Sportowy', terc: '3050062' });
  assert.equal(r.status, 201);
  assert.equal(r.json.terc, '3050062');
  await admin.page('/admin/institutions/new');
  r = await admin.form('/admin/institutions/new', { kind: 'ngo', name: 'Stowarzyszenie Dwuznaczne', terc: 'Przykładowo' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Kilka gmin nazywa się „Przykładowo”: Przykładowo \(gmina miejska, 3050011\); Przykładowo \(gmina wiejska, 3050082\)\./);
  assert.match(r.text, /id="f-terc-err"/);
  r = await admin.form('/admin/institutions/new', { kind: 'ngo', name: 'Stowarzyszenie Dwuznaczne', terc: 'Przykładowo (gmina wiejska)' });
  assert.equal(r.status, 303, 'the kind as the list shows it tells them apart');
  r = await admin.form('/admin/institutions/new', { kind: 'ngo', name: 'Nigdzie', terc: 'Atlantyda' });
  assert.equal(r.status, 422);
  assert.match(r.text, /W rejestrze TERYT nie ma gminy o nazwie „Atlantyda”/);
});

test('the list shows the gmina by name with its code; the exports have both', async () => {
  let r = await admin.get('/admin/institutions?q=kalinowie');
  assert.equal(r.status, 200);
  assert.match(r.text, /<td>Kalinowo <span class="sub">3050052<\/span><\/td>/);
  assert.match(r.text, /<th scope="col"><a href="[^"]*sort=gmina[^"]*">Gmina<span class="sub">Kod TERC<\/span><\/a><\/th>/);
  assert.match(r.text, /<td class="break">gops@<wbr>kalinowo<wbr>\.example<\/td>/);
  r = await admin.get('/admin/institutions?q=kalinowie&format=csv');
  const lines = r.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.match(lines[0], /;Gmina;Kod TERC;REGON;NIP;/);
  assert.match(lines[1], /;Kalinowo;3050052;/);
});

test('a bad list address names the field as the page shows it; an empty list offers no downloads', async () => {
  let r = await admin.get('/admin/audit?at_from=wczoraj');
  assert.equal(r.status, 400);
  assert.match(r.text, /<p class="lead">Pole „Kiedy — Od \(data\)”: podaj datę w formacie RRRR-MM-DD\.<\/p>/);
  assert.doesNotMatch(r.text, /Parametr/);
  r = await api.get('/api/v1/audit?at_from=wczoraj');
  if (r.status === 400) assert.equal(r.json.field, 'at_from', 'the API keeps the parameter name');
  r = await admin.get('/admin/institutions?q=nie-ma-takiej-instytucji');
  assert.equal(r.status, 200);
  assert.match(r.text, /Znaleziono 0 wyników/);
  assert.doesNotMatch(r.text, /format=csv|format=xlsx/);
  r = await admin.get('/admin/institutions');
  assert.match(r.text, /format=csv/);
});

test('a confirmation after a redirect looks the same everywhere (success notice)', async () => {
  await admin.page('/admin/institutions/new');
  let r = await admin.form('/admin/institutions/new', { kind: 'school', name: 'Szkoła Potwierdzeń' });
  assert.equal(r.status, 303);
  r = await admin.get(r.headers.get('location'));
  assert.match(r.text, /<div class="notice success" role="status">Zapisano instytucję/);
  await admin.page('/account');
  r = await admin.form('/account', { lang: 'pl' });
  if (r.status === 303) {
    r = await admin.get(r.headers.get('location'));
    assert.match(r.text, /<div class="notice success" role="status">/);
  }
});
