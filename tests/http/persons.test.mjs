// persons.test.mjs — the registry's pages and API (src/web/persons.c,
// families.c, worklists.c): search folding, creating with the duplicate
// look-up (the no-JavaScript two steps and the API's 409 → confirm_new),
// validation (422 naming the fields), the access policy (another
// institution's person, the administrator, CSRF), bad input, the history
// of both changes, households (add, move with confirmation, end), the
// work lists and that every read is audited.
//
// The demo database may hold generated people: every assertion here is
// about records this file creates (unusual birth dates make them unique).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, start, Client } from './lib.mjs';

let db, srv, worker, api, adviser, admin, adminApi;

// pesel() builds a valid PESEL for a date and sex (serial 3 digits).
function pesel(y, m, d, serial, sex) {
  const mm = m + (y >= 2000 ? 20 : 0);
  const s = String(y % 100).padStart(2, '0') + String(mm).padStart(2, '0') + String(d).padStart(2, '0') +
    String(serial).padStart(3, '0') + (sex === 'K' ? '2' : '1');
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = [...s].reduce((a, c, i) => a + Number(c) * w[i], 0);
  return s + String((10 - (sum % 10)) % 10);
}

before(async () => {
  db = freshDatabase();
  srv = await start(db);
  worker = new Client(srv.base);
  await worker.signIn('pracownik');       // social worker of the MOPS
  api = new Client(srv.base);
  await api.apiSignIn('pracownik');
  adviser = new Client(srv.base);
  await adviser.apiSignIn('doradca');     // labour adviser of the PUP: another institution
  admin = new Client(srv.base);
  await admin.signIn('admin');
  adminApi = new Client(srv.base);
  await adminApi.apiSignIn('admin');
});
after(async () => { await srv.stop(); db.cleanup(); });

async function createApi(body) {
  const r = await api.json('POST', '/api/v1/persons', { confirm_new: true, ...body });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}

test('search folds case and Polish letters, matches prefixes, ranks and pages', async () => {
  const lukasz = await createApi({ first_names: 'Łukasz', surname: 'Kowalski', birth_date: '1931-02-03', sex: 'M' });
  const anna = await createApi({ first_names: 'Anna', surname: 'Kowalska', birth_date: '1931-02-03', sex: 'K' });
  await createApi({ first_names: 'Anna', surname: 'Nowak', birth_date: '1931-02-03', sex: 'K' });

  let r = await api.get('/api/v1/persons?q=kowal&birth_date=1931-02-03');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.map((h) => h.id).sort(), [lukasz.id, anna.id].sort(), '"kowal" finds Kowalski and Kowalska');
  assert.ok(r.json.items.every((h) => h.matched === 'surname'));
  r = await api.get('/api/v1/persons?q=LUKASZ&birth_date=1931-02-03');
  assert.deepEqual(r.json.items.map((h) => h.id), [lukasz.id], 'LUKASZ finds Łukasz');
  assert.equal(r.json.items[0].matched, 'first_names');
  r = await api.get('/api/v1/persons?q=kowal');
  assert.ok(r.json.total >= 2);
  for (const h of r.json.items) assert.match(h.surname.toLowerCase(), /^kowal/);
  r = await api.get('/api/v1/persons?q=kowalska&birth_date=1931-02-03');
  assert.equal(r.json.items[0].id, anna.id, 'the whole surname ranks first');
  assert.equal(r.json.items[0].rank, 0);
  r = await api.get('/api/v1/persons?q=kowal&birth_date=1931-02-03&limit=1&offset=1');
  assert.equal(r.json.total, 2);
  assert.equal(r.json.items.length, 1);
  assert.equal(r.json.offset, 1);

  // the page: the matched field is shown, Polish labels
  r = await worker.get('/persons?q=%C5%82ukasz&birth_date=1931-02-03');
  assert.equal(r.status, 200);
  assert.match(r.text, /Znaleziono 1 osobę/);
  assert.match(r.text, new RegExp(`<a href="/persons/${lukasz.id}">Łukasz Kowalski</a>`));
  assert.match(r.text, /<td>imię<\/td>/);
  r = await worker.get('/persons?q=zzyzx-nikt&birth_date=1931-02-03');
  assert.equal(r.status, 200);
  assert.match(r.text, /Znaleziono 0 osób/);
  assert.match(r.text, /<a class="btn primary" href="\/persons\/new\?birth_date=1931-02-03&amp;surname=zzyzx-nikt">Dodaj nową osobę<\/a>/);
});

test('the new-person form without JavaScript: candidates first, then "to jednak nowa osoba"', async () => {
  const p = pesel(1942, 7, 8, 123, 'K');
  const first = await createApi({ pesel: p, first_names: 'Zofia', surname: 'Wiśniewska' });
  assert.equal(first.birth_date, '1942-07-08', 'derived from the PESEL');
  assert.equal(first.sex, 'K');

  let r = await worker.page('/persons/new');
  assert.equal(r.status, 200);
  assert.match(r.text, /<label for="f-pesel">PESEL<\/label>/);
  assert.match(r.text, /data-lookup="\/api\/v1\/persons\/candidates"/);
  assert.match(r.text, /<script src="\/static\/registry\.js\?v=[0-9a-f]+" defer><\/script>/);
  const fields = { first_names: 'Zofia', surname: 'WISNIEWSKA', birth_date: '1942-07-08', sex: 'K' };
  r = await worker.form('/persons/new', fields);
  assert.equal(r.status, 200, 'a first step, not an error');
  assert.match(r.text, /<h1>Czy ta osoba jest już zarejestrowana\?<\/h1>/);
  assert.match(r.text, new RegExp(`<a href="/persons/${first.id}">Zofia Wiśniewska</a>`));
  assert.match(r.text, /to samo imię, nazwisko i data urodzenia/);
  assert.match(r.text, /<input type="hidden" name="surname" value="WISNIEWSKA">/);
  assert.match(r.text, /<input type="hidden" name="confirm_new" value="1"><button type="submit" class="btn primary">To jednak nowa osoba<\/button>/);
  // the confirm step needs its CSRF token like any form
  r = await worker.form('/persons/new', { ...fields, confirm_new: '1', _csrf: null });
  assert.equal(r.status, 403);
  r = await worker.form('/persons/new', { ...fields, confirm_new: '1' });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/persons\/\d+$/);
  r = await worker.get(r.headers.get('location'));
  assert.match(r.text, /Zarejestrowano: Zofia WISNIEWSKA\./);

  // the same PESEL is a candidate too; "correct the data" returns to the form with the values
  r = await worker.form('/persons/new', { pesel: p, first_names: 'Inna', surname: 'Osoba' });
  assert.match(r.text, /ten sam PESEL/);
  r = await worker.form('/persons/new', { pesel: p, first_names: 'Inna', surname: 'Osoba', correct: '1' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Nowa osoba<\/h1>/);
  assert.match(r.text, new RegExp(`id="f-pesel" name="pesel" value="${p}"`));
  // confirmed anyway: the PESEL is unique within the institution
  r = await worker.form('/persons/new', { pesel: p, first_names: 'Inna', surname: 'Osoba', confirm_new: '1' });
  assert.equal(r.status, 422);
  assert.match(r.text, /href="#f-pesel"/);

  // the live look-up the script calls
  r = await api.get(`/api/v1/persons/candidates?pesel=${p}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.map((c) => [c.id, c.why]), [[first.id, 'pesel']]);
  r = await api.get('/api/v1/persons/candidates?surname=Wi%C5%9Bniewska&first_names=zofia&birth_date=1942-07-08');
  assert.ok(r.json.items.some((c) => c.id === first.id && c.why === 'pesel' || c.why === 'name_birth'));
  r = await api.get('/api/v1/persons/candidates?surname=Wi');
  assert.deepEqual(r.json.items, [], 'not enough to look up');
});

test('API create: 409 possible_duplicate with candidates, then confirm_new 201 with Location', async () => {
  const body = { first_names: 'Marek', surname: 'Zieliński', birth_date: '1933-03-04' };
  let r = await api.json('POST', '/api/v1/persons', body);
  assert.equal(r.status, 201);
  const id = r.json.id;
  assert.equal(r.headers.get('location'), `/api/v1/persons/${id}`);
  assert.equal(r.json.lead_worker.name, 'Paulina Pracownik', 'the creator leads the case');
  r = await api.json('POST', '/api/v1/persons', { ...body, surname: 'ZIELINSKI' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error, 'possible_duplicate');
  assert.equal(r.json.code, 'possible_duplicate');
  assert.deepEqual(r.json.candidates.map((c) => c.id), [id]);
  assert.equal(r.json.candidates[0].why, 'name_birth');
  r = await api.json('POST', '/api/v1/persons', { ...body, surname: 'ZIELINSKI', confirm_new: true });
  assert.equal(r.status, 201);
  assert.notEqual(r.json.id, id);
});

test('422 names the fields: the API body and the form with its error summary', async () => {
  let r = await api.json('POST', '/api/v1/persons', { pesel: '12345678901', surname: 'x'.repeat(201), email: 'nie-adres', phone: '1'.repeat(41) });
  assert.equal(r.status, 422);
  const by = Object.fromEntries(r.json.errors.map((e) => [e.field, e.code]));
  assert.equal(by.first_names, 'required');
  assert.equal(by.surname, 'too_long');
  assert.equal(by.phone, 'too_long');
  assert.ok(by.pesel, 'a wrong PESEL check digit');
  assert.ok(by.email);
  assert.match(r.json.errors.find((e) => e.field === 'first_names').message, /^Imiona: to pole jest wymagane\.$/);
  r = await api.json('POST', '/api/v1/persons', { first_names: 'A', surname: 'B', birth_date: '1950-01-01', nickname: 'x' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), [['nickname', 'unknown_field']]);
  r = await api.json('POST', '/api/v1/persons', { first_names: 'A', surname: 'B', birth_date: '2999-01-01' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'birth_date');

  await worker.page('/persons/new');
  r = await worker.form('/persons/new', { first_names: '', surname: 'Kowalczyk', postcode: '99300' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<div class="error-summary" role="alert"/);
  assert.match(r.text, /<li><a href="#f-first_names">Imiona: to pole jest wymagane\.<\/a><\/li>/);
  assert.match(r.text, /id="f-first_names-err"/);
  assert.match(r.text, /aria-invalid="true"/);
  assert.match(r.text, /name="surname" value="Kowalczyk"/, 'what was typed is kept');
});

test('another institution\'s person: 403 with the reason (page and API), the denial audited', async () => {
  const p = await createApi({ first_names: 'Teresa', surname: 'Mopsowa', birth_date: '1934-04-05' });
  let r = await adviser.get(`/api/v1/persons/${p.id}`);
  assert.equal(r.status, 403);
  // the sharing rule (docs/COOPERATION.md): no consent covers the adviser's institution
  assert.match(r.json.code, /^no_(agreement|consent)$/);
  assert.match(r.json.message, /Nie można pokazać danych: brak (porozumienia|zgody)/);
  const page = new Client(srv.base);
  await page.signIn('doradca');
  r = await page.get(`/persons/${p.id}`);
  assert.equal(r.status, 403);
  assert.match(r.text, /<h1>Brak dostępu<\/h1>/);
  assert.match(r.text, /Nie można pokazać danych: brak (porozumienia|zgody)/);
  r = await page.get(`/persons/${p.id}/edit`);
  assert.equal(r.status, 403);
  r = await adviser.json('PUT', `/api/v1/persons/${p.id}`, { first_names: 'X', surname: 'Y' });
  assert.equal(r.status, 403);
  // the adviser's own search does not find it
  r = await adviser.get('/api/v1/persons?q=mopsowa&birth_date=1934-04-05');
  assert.equal(r.status, 200);
  assert.equal(r.json.total, 0);
  r = await adminApi.get(`/api/v1/audit?action=person.read_denied&entity_id=${p.id}`);
  assert.equal(r.status, 200);
  assert.ok(r.json.total >= 1, 'the refused read is in the audit log');
});

test('the administrator is refused persons with the policy\'s reason and has no registry links', async () => {
  let r = await admin.get('/persons');
  assert.equal(r.status, 403);
  assert.match(r.text, /Administratorzy zarządzają kontami i instytucjami, nie danymi osób/);
  assert.doesNotMatch(r.text, /href="\/persons"/);
  r = await adminApi.get('/api/v1/persons?q=kowal');
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'admin_not_casework');
  r = await adminApi.json('POST', '/api/v1/persons', { first_names: 'A', surname: 'B', confirm_new: true });
  assert.equal(r.status, 403);
  r = await admin.get('/registry');
  assert.equal(r.status, 403);
  r = await worker.get('/');
  assert.match(r.text, /<li><a href="\/persons">Osoby<\/a><\/li>/);
  assert.match(r.text, /<li><a href="\/my">Moje sprawy<\/a><\/li>/);
});

test('CSRF: a form or an API call without its token is refused and changes nothing', async () => {
  const p = await createApi({ first_names: 'Csrf', surname: 'Testowa', birth_date: '1935-05-06' });
  let r = await worker.form(`/persons/${p.id}/edit`, { first_names: 'Zmieniona', surname: 'Testowa', _csrf: null });
  assert.equal(r.status, 403);
  assert.match(r.text, /Formularz wygasł/);
  r = await api.json('PUT', `/api/v1/persons/${p.id}`, { first_names: 'Zmieniona', surname: 'Testowa' }, { 'x-csrf-token': null });
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'csrf');
  r = await api.json('POST', '/api/v1/persons', { first_names: 'A', surname: 'B' }, { 'x-csrf-token': 'wrong' });
  assert.equal(r.status, 403);
  r = await api.get(`/api/v1/persons/${p.id}`);
  assert.equal(r.json.first_names, 'Csrf');
});

test('bad input: ids that are not numbers, missing records, bad parameters, overlong text', async () => {
  for (const path of ['/persons/abc', '/persons/0', '/persons/12x/edit', '/families/abc', '/api/v1/persons/abc', '/api/v1/families/-1']) {
    const r = await worker.get(path);
    assert.equal(r.status, 404, path);
  }
  let r = await worker.get('/persons/999999');
  assert.equal(r.status, 404);
  assert.match(r.text, /W rejestrze Twojej instytucji nie ma osoby o tym numerze\./);
  r = await api.get('/api/v1/persons/999999');
  assert.equal(r.status, 404);
  assert.equal(r.json.code, 'not_found');
  r = await api.get('/api/v1/persons?birth_date=1990-02-30');
  assert.equal(r.status, 400);
  assert.equal(r.json.field, 'birth_date');
  r = await api.get('/api/v1/persons?q=kowal&limit=1000');
  assert.equal(r.status, 400);
  assert.equal(r.json.field, 'limit');
  r = await api.get(`/api/v1/persons?q=${'a'.repeat(201)}`);
  assert.equal(r.status, 400);
  assert.equal(r.json.field, 'q');
  r = await worker.get('/persons?pesel=abc');
  assert.equal(r.status, 400);
  assert.match(r.text, /PESEL: tylko cyfry\./);
  r = await api.json('POST', '/api/v1/persons', { first_names: 'A'.repeat(201), surname: 'B', birth_date: '1950-01-01', town: 'T'.repeat(101), confirm_new: true });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), [['first_names', 'too_long'], ['town', 'too_long']]);
  r = await api.json('POST', '/api/v1/persons', { first_names: 7, surname: 'B', birth_date: '1950-01-01' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'first_names');
});

test('edit (page and PUT) keeps a history of both changes: who, what, before and after', async () => {
  const p = await createApi({ first_names: 'Halina', surname: 'Historyczna', birth_date: '1936-06-07', town: 'Dębina' });
  await worker.page(`/persons/${p.id}/edit`);
  let r = await worker.form(`/persons/${p.id}/edit`, { first_names: 'Halina', surname: 'Historyczna', birth_date: '1936-06-07', town: 'Lipnica' });
  assert.equal(r.status, 303);
  r = await api.json('PUT', `/api/v1/persons/${p.id}`, { first_names: 'Halina', surname: 'Historyczna', birth_date: '1936-06-07', town: 'Lipnica', phone: '+48 600 100 200' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.phone, '+48 600 100 200');
  assert.equal(r.json.lead_worker.name, 'Paulina Pracownik', 'PUT without lead_worker_id keeps the lead worker');
  r = await api.get(`/api/v1/persons/${p.id}/history`);
  assert.equal(r.status, 200);
  const changes = r.json.items.filter((h) => h.change === 'update').map((h) => [h.field, h.old_value, h.new_value]);
  assert.deepEqual(changes.sort(), [['phone', null, '+48 600 100 200'], ['town', 'Dębina', 'Lipnica']]);
  assert.ok(r.json.items.every((h) => h.actor === 'pracownik'));
  r = await worker.get(`/persons/${p.id}`);
  assert.match(r.text, /<h2>Historia zmian<\/h2>/);
  assert.match(r.text, /<td>pracownik<\/td><td>osoba: zmiana<\/td><td>Miejscowość<\/td><td>Dębina<\/td><td>Lipnica<\/td>/);
  assert.match(r.text, /<td>osoba: zmiana<\/td><td>Telefon<\/td><td>—<\/td><td>\+48 600 100 200<\/td>/);
  assert.match(r.text, /<td>osoba: utworzenie<\/td>/);
  // PUT replaces the record: a field left out is cleared
  r = await api.json('PUT', `/api/v1/persons/${p.id}`, { first_names: 'Halina', surname: 'Historyczna', birth_date: '1936-06-07' });
  assert.equal(r.status, 200);
  assert.equal(r.json.town, null);
});

test('households: set up, add a member, move with confirmation (history kept), end membership', async () => {
  const mother = await createApi({ first_names: 'Maria', surname: 'Domowa', birth_date: '1937-07-08', town: 'Olszyny' });
  const child = await createApi({ first_names: 'Kacper', surname: 'Domowy', birth_date: '2015-08-09' });
  const aunt = await createApi({ first_names: 'Irena', surname: 'Ciotka', birth_date: '1938-08-09' });

  // the page flow: from the person, set up the household
  let r = await worker.page(`/persons/${mother.id}`);
  assert.match(r.text, new RegExp(`href="/families/new\\?applicant_id=${mother.id}">Załóż gospodarstwo</a>`));
  r = await worker.page(`/families/new?applicant_id=${mother.id}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /name="town" value="Olszyny"/, 'the applicant\'s address is offered');
  r = await worker.form('/families/new', { applicant_id: String(mother.id), town: 'Olszyny' });
  assert.equal(r.status, 303);
  const fam = Number(r.headers.get('location').split('/').pop());
  r = await worker.page(`/families/${fam}/add?q=domowy&_=1`);
  assert.match(r.text, new RegExp(`href="/families/${fam}/add\\?person_id=${child.id}">Kacper Domowy</a>`));
  r = await worker.page(`/families/${fam}/add?person_id=${child.id}`);
  assert.match(r.text, /<select id="f-relation" name="relation" required/);
  r = await worker.form(`/families/${fam}/members`, { person_id: String(child.id), relation: '' });
  assert.equal(r.status, 422);
  r = await worker.form(`/families/${fam}/members`, { person_id: String(child.id), relation: 'child' });
  assert.equal(r.status, 303);
  r = await worker.get(`/families/${fam}`);
  assert.match(r.text, new RegExp(`<a href="/persons/${child.id}">Kacper Domowy</a></th><td>[^<]+</td>`));
  assert.match(r.text, /Dodano do gospodarstwa: Kacper Domowy\./);

  // the API: a second household, the child moved into it
  r = await api.json('POST', '/api/v1/families', { applicant_id: aunt.id, town: 'Lipnica' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const fam2 = r.json.id;
  assert.equal(r.headers.get('location'), `/api/v1/families/${fam2}`);
  assert.deepEqual(r.json.members.map((m) => [m.person_id, m.relation]), [[aunt.id, 'applicant']]);
  r = await api.json('POST', `/api/v1/families/${fam2}/members`, { person_id: child.id, relation: 'relative' });
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].code, 'in_household');
  // the page asks first, then moves
  await worker.page(`/families/${fam2}/add?person_id=${child.id}`);
  r = await worker.form(`/families/${fam2}/members`, { person_id: String(child.id), relation: 'relative' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Przenieść do tego gospodarstwa\?<\/h1>/);
  assert.match(r.text, /<input type="hidden" name="move" value="1">/);
  r = await worker.form(`/families/${fam2}/members`, { person_id: String(child.id), relation: 'relative', move: '1' });
  assert.equal(r.status, 303);
  r = await api.get(`/api/v1/persons/${child.id}`);
  assert.equal(r.json.family_id, fam2);
  r = await api.get(`/api/v1/families/${fam}/members`);
  const old = r.json.items.find((m) => m.person_id === child.id);
  assert.ok(old.member_to, 'the old membership ended, and is kept');
  r = await api.get(`/api/v1/persons/${child.id}/history`);
  assert.ok(r.json.items.some((h) => h.change === 'move'), 'the move is in the history');
  r = await worker.get(`/persons/${child.id}`);
  assert.match(r.text, /członkostwo: przeniesienie/);
  assert.match(r.text, new RegExp(`href="/families/${fam2}">Gospodarstwo domowe nr ${fam2}</a>`));

  // end the aunt's... no: end the child's membership through the API, the mother's through the page
  r = await api.get(`/api/v1/families/${fam2}`);
  const mem = r.json.members.find((m) => m.person_id === child.id && !m.member_to);
  r = await api.json('DELETE', `/api/v1/families/${fam2}/members/${mem.id}`);
  assert.equal(r.status, 200);
  assert.ok(r.json.members.find((m) => m.id === mem.id).member_to);
  r = await api.json('DELETE', `/api/v1/families/${fam2}/members/${mem.id}`);
  assert.equal(r.status, 404, 'already ended');
  r = await api.get(`/api/v1/families/${fam}`);
  const mm = r.json.members.find((m) => m.person_id === mother.id);
  r = await worker.page(`/families/${fam}/members/${mm.id}/end`);
  assert.match(r.text, /<h1>Zakończyć członkostwo\?<\/h1>/);
  r = await worker.form(`/families/${fam}/members/${mm.id}/end`, { confirm: '1' });
  assert.equal(r.status, 303);
  r = await api.get(`/api/v1/persons/${mother.id}`);
  assert.equal(r.json.family_id, null);

  // PUT the address; another institution may not read it
  r = await api.json('PUT', `/api/v1/families/${fam2}`, { street: 'ul. Długa', house_no: '5', town: 'Lipnica', postcode: '99-350' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.street, 'ul. Długa');
  r = await adviser.get(`/api/v1/families/${fam2}`);
  assert.equal(r.status, 403);
  r = await api.get(`/api/v1/families/${fam2}/history`);
  assert.ok(r.json.items.some((h) => h.field === 'street' && h.new_value === 'ul. Długa'));
});

test('delete asks first, then the person is gone from the pages; the card prints', async () => {
  const p = await createApi({ first_names: 'Usuwana', surname: 'Osoba', birth_date: '1939-09-10' });
  let r = await worker.page(`/persons/${p.id}/card`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Karta osoby: Usuwana Osoba<\/h1>/);
  assert.match(r.text, /Zawiera dane osobowe/);
  r = await worker.page(`/persons/${p.id}/delete`);
  assert.match(r.text, /<h1>Usunąć osobę\?<\/h1>/);
  r = await worker.form(`/persons/${p.id}/delete`, {});
  assert.equal(r.status, 200, 'without confirm=1 the question again');
  r = await worker.form(`/persons/${p.id}/delete`, { confirm: '1' });
  assert.equal(r.status, 303);
  r = await worker.get(`/persons/${p.id}`);
  assert.equal(r.status, 404);
  r = await api.get('/api/v1/persons?q=usuwana&birth_date=1939-09-10');
  assert.equal(r.json.total, 0);
});

test('work lists: my cases, the register with its filter and export; every read is audited', async () => {
  const p = await createApi({ first_names: 'Bogna', surname: 'Bezdomowa', birth_date: '1940-10-11' });
  let r = await worker.get('/my');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Moje sprawy<\/h1>/);
  assert.match(r.text, new RegExp(`<a href="/persons/${p.id}">Bogna Bezdomowa</a></th><td class="nowrap">11\\.10\\.1940</td><td>—</td><td class="attention">brak obecnego gospodarstwa</td>`));
  assert.match(r.text, /<h2>Moje gospodarstwa domowe<\/h2>/);
  r = await worker.get('/registry?lead_worker_id=2&sort=surname');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Rejestr osób<\/h1>/);
  r = await worker.get('/registry?format=csv');
  assert.equal(r.status, 200);
  assert.match(r.text, /Bezdomowa/);
  r = await worker.get('/registry/families');
  assert.equal(r.status, 200);
  r = await api.get('/api/v1/families?limit=5');
  assert.equal(r.status, 200);
  assert.ok('total' in r.json);
  await api.get(`/api/v1/persons/${p.id}`);
  r = await adminApi.get(`/api/v1/audit?action=person.read&entity_id=${p.id}`);
  assert.ok(r.json.total >= 1, 'the person read is in the audit log');
  r = await adminApi.get('/api/v1/audit?action=person.export');
  assert.ok(r.json.total >= 1, 'the export is in the audit log');
});

test('a lead worker no longer active stays chosen in the edit form', async () => {
  const p = await createApi({ first_names: 'Wiesława', surname: 'Prowadzona', birth_date: '1941-11-12' });
  let r = await adminApi.json('POST', '/api/v1/users', { login: 'odchodzaca', full_name: 'Olga Odchodząca',
    institution_id: 3, roles: ['social_worker'] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const uid = r.json.id;
  r = await api.json('PUT', `/api/v1/persons/${p.id}`, { first_names: 'Wiesława', surname: 'Prowadzona',
    birth_date: '1941-11-12', lead_worker_id: uid });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.lead_worker.name, 'Olga Odchodząca');
  r = await adminApi.json('PUT', `/api/v1/users/${uid}`, { full_name: 'Olga Odchodząca', institution_id: 3,
    roles: ['social_worker'], active: false });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  r = await worker.page(`/persons/${p.id}/edit`);
  assert.match(r.text, new RegExp(`<option value="${uid}" selected>Olga Odchodząca</option>`));
});
