// admin.test.mjs — institutions, users and the audit log, in the browser
// (forms) and through the API; lists, exports, validation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, start, Client } from './lib.mjs';

let db, srv, admin, api;
before(async () => {
  db = freshDatabase();
  srv = await start(db);
  admin = new Client(srv.base);
  await admin.signIn('admin');
  api = new Client(srv.base);
  await api.apiSignIn('admin');
});
after(async () => { await srv.stop(); db.cleanup(); });

const goodInstitution = {
  kind: 'ngo', name: 'Fundacja „Łódź” & Przyjaciele', regon: '123456785', nip: 'PL 123-456-32-18',
  street: 'ul. Próbna 1', postcode: '00-950', city: 'Przykładowo', terc: '3050011',
  phone: '+48 11 222 33 44', email: 'fundacja@example.org', website: 'https://example.org',
};

test('create an institution through the form; the list and details show it', async () => {
  await admin.page('/admin/institutions/new');
  const r = await admin.form('/admin/institutions/new', goodInstitution);
  assert.equal(r.status, 303);
  const loc = r.headers.get('location');
  assert.match(loc, /^\/admin\/institutions\/\d+$/);
  const show = await admin.get(loc);
  assert.equal(show.status, 200);
  assert.match(show.text, /Zapisano instytucję/);
  assert.ok(show.text.includes('Fundacja „Łódź” &amp; Przyjaciele'), 'name escaped');
  assert.match(show.text, /1234563218/, 'NIP normalised');
  const list = await admin.get('/admin/institutions?q=lodz');
  assert.ok(list.text.includes('Fundacja „Łódź” &amp; Przyjaciele'), 'search is accent-insensitive');
});

test('invalid fields are refused with a message next to each field; typed values are kept', async () => {
  await admin.page('/admin/institutions/new');
  const r = await admin.form('/admin/institutions/new', {
    kind: 'ngo', name: 'Błędna', regon: '123456786', nip: '1234563219', postcode: '0095',
    terc: '0201016', email: 'nie-email', website: 'ftp://example.org', phone: 'abc',
  });
  assert.equal(r.status, 422);
  for (const f of ['regon', 'nip', 'postcode', 'terc', 'email', 'website', 'phone']) {
    assert.match(r.text, new RegExp(`id="f-${f}-err"`), `error shown for ${f}`);
    assert.match(r.text, new RegExp(`href="#f-${f}"`), `summary links to ${f}`);
  }
  assert.match(r.text, /value="123456786"/, 'typed REGON kept');
  assert.match(r.text, /cyfra kontrolna/i, 'says which rule failed');
  assert.match(r.text, /aria-invalid="true"/);
});

test('a well-formed TERC code must name a gmina of the TERYT register; typed shortcuts are tidied', async () => {
  await admin.page('/admin/institutions/new');
  let r = await admin.form('/admin/institutions/new', { kind: 'ngo', name: 'Bez gminy', terc: '3050999' });
  assert.equal(r.status, 422);
  assert.match(r.text, /W rejestrze TERYT nie ma gminy o kodzie TERC 3050999/);
  r = await api.json('POST', '/api/v1/institutions', { kind: 'ngo', name: 'Skróty', terc: '3050022',
    postcode: '99310', website: 'www.skroty.example' });
  assert.equal(r.status, 201);
  assert.equal(r.json.postcode, '99-310');
  assert.equal(r.json.website, 'https://www.skroty.example');
});

test('the same institution entered twice (same name, same gmina) is refused with a pointer to the first', async () => {
  await admin.page('/admin/institutions/new');
  const r = await admin.form('/admin/institutions/new', { kind: 'pup', name: 'powiatowy urzad pracy w przykladowie', terc: '3050011' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Instytucja o tej nazwie jest już zarejestrowana w tej gminie \(numer \d+\)/);
});

test('a second institution with the same REGON is refused', async () => {
  await admin.page('/admin/institutions/new');
  const r = await admin.form('/admin/institutions/new', { ...goodInstitution, name: 'Kopia' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="f-regon-err"/);
});

test('edit, deactivate (after confirmation) and reactivate an institution', async () => {
  const created = await api.json('POST', '/api/v1/institutions', { kind: 'cis', name: 'CIS Do Zmiany' });
  assert.equal(created.status, 201);
  const id = created.json.id;
  await admin.page(`/admin/institutions/${id}/edit`);
  let r = await admin.form(`/admin/institutions/${id}/edit`, { kind: 'cis', name: 'CIS Zmieniony', city: 'Dębina' });
  assert.equal(r.status, 303);
  r = await admin.page(`/admin/institutions/${id}/deactivate`);
  assert.equal(r.status, 200);
  assert.match(r.text, /name="confirm" value="1"/);
  r = await admin.form(`/admin/institutions/${id}/deactivate`, {});
  assert.equal(r.status, 200, 'without confirm=1 the question is asked again');
  r = await admin.form(`/admin/institutions/${id}/deactivate`, { confirm: '1' });
  assert.equal(r.status, 303);
  const got = await api.get(`/api/v1/institutions/${id}`);
  assert.equal(got.json.active, false);
  assert.equal(got.json.name, 'CIS Zmieniony');
  await admin.page(`/admin/institutions/${id}`);
  r = await admin.form(`/admin/institutions/${id}/reactivate`, {});
  assert.equal(r.status, 303);
  assert.equal((await api.get(`/api/v1/institutions/${id}`)).json.active, true);
});

test('institution list: filter, sort, page, and a bad parameter names itself', async () => {
  let r = await api.get('/api/v1/institutions?kind=ops&sort=name&dir=desc&limit=3');
  assert.equal(r.status, 200);
  assert.equal(r.json.total, 9);
  assert.equal(r.json.items.length, 3);
  const names = r.json.items.map((x) => x.name);
  assert.deepEqual([...names].sort((a, b) => b.localeCompare(a, 'pl')).length, 3);
  assert.ok(r.json.items.every((x) => x.kind === 'ops'));
  r = await api.get('/api/v1/institutions?terc=3050074');
  assert.ok(r.json.items.length >= 2 && r.json.items.every((x) => x.terc === '3050074'));
  r = await api.get('/api/v1/institutions?kind=bank');
  assert.equal(r.status, 400);
  assert.equal(r.json.field, 'kind');
  r = await api.get('/api/v1/institutions?sort=password');
  assert.equal(r.status, 400);
  assert.equal(r.json.field, 'sort');
  r = await admin.get('/admin/institutions?per_page=10&page=2');
  assert.equal(r.status, 200);
  assert.match(r.text, /Strona 2 z \d/);
  r = await admin.get('/admin/institutions?page=abc');
  assert.equal(r.status, 400);
  assert.match(r.text, /href="\/admin\/institutions"/, 'a way back to the plain list');
  r = await admin.get('/admin/institutions?per_page=10&page=99');
  assert.equal(r.status, 303, 'past the end goes to the last page');
  assert.equal(r.headers.get('location'), '/admin/institutions?per_page=10&page=3');
  r = await admin.get('/admin/institutions?sort=city&dir=desc');
  assert.match(r.text, /<th scope="col" aria-sort="descending">/);
  assert.match(r.text, /<input type="hidden" name="sort" value="city"><input type="hidden" name="dir" value="desc">/,
    'the filter form keeps the order');
});

test('institution exports: CSV (Polish Excel conventions) and XLSX with the visible rows', async () => {
  let r = await admin.get('/admin/institutions?kind=pup&format=csv');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="razem-institutions-\d{8}\.csv"/);
  // fetch's text() drops a leading BOM, so look at the bytes
  const csv = await fetch(srv.base + '/admin/institutions?kind=pup&format=csv', { headers: { cookie: admin.cookieHeader() } });
  const bytes = Buffer.from(await csv.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
  assert.equal(lines.length, 2, 'header + one PUP');
  assert.match(lines[0], /^Nazwa;Rodzaj;/);
  assert.match(lines[1], /Powiatowy Urząd Pracy w Przykładowie/);
  const res = await fetch(srv.base + '/admin/institutions?format=xlsx', { headers: { cookie: admin.cookieHeader() } });
  assert.equal(res.status, 200);
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(buf.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004');
});

test('institution API: create, read, update, validation errors as JSON', async () => {
  let r = await api.json('POST', '/api/v1/institutions', { kind: 'school', name: 'Szkoła API', postcode: '1234' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'postcode');
  assert.ok(r.json.message.length > 10);
  assert.ok(Array.isArray(r.json.errors));
  r = await api.json('POST', '/api/v1/institutions', { kind: 'school', name: 'Szkoła API', postcode: '12-345' });
  assert.equal(r.status, 201);
  assert.match(r.headers.get('location'), /^\/api\/v1\/institutions\/\d+$/);
  const id = r.json.id;
  r = await api.json('PUT', `/api/v1/institutions/${id}`, { kind: 'school', name: 'Szkoła API 2', active: false });
  assert.equal(r.status, 200);
  assert.equal(r.json.name, 'Szkoła API 2');
  assert.equal(r.json.active, false);
  assert.equal(r.json.postcode, null, 'PUT replaces the whole record');
  r = await api.get('/api/v1/institutions/999999');
  assert.equal(r.status, 404);
});

let newUserId;
test('create a user: a temporary password is shown once; the person must change it', async () => {
  await admin.page('/admin/users/new');
  const r = await admin.form('/admin/users/new', {
    login: 'Nowa.Osoba', full_name: 'Nowa Osoba', email: 'nowa@example.org',
    institution_id: '3', roles: ['social_worker', 'guardian'],
  });
  assert.equal(r.status, 200);
  const temp = r.text.match(/<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/code>/)[1];
  newUserId = Number(r.text.match(/href="\/admin\/users\/(\d+)"/)[1]);
  const person = new Client(srv.base);
  await person.page('/login');
  const s = await person.form('/login', { login: 'nowa.osoba', password: temp });
  assert.equal(s.status, 303);
  let home = await person.get('/');
  assert.equal(home.status, 303);
  assert.equal(home.headers.get('location'), '/account/password');
  await person.page('/account/password');
  let ch = await person.form('/account/password', { current_password: temp, new_password: 'x', new_password2: 'y' });
  assert.equal(ch.status, 422);
  assert.match(ch.text, /id="f-new_password2-err"/);
  ch = await person.form('/account/password', { current_password: temp, new_password: 'nowe-haslo-2026', new_password2: 'nowe-haslo-2026' });
  assert.equal(ch.status, 303);
  home = await person.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text, /Nowa Osoba/);
});

test('a taken login is refused next to the field', async () => {
  await admin.page('/admin/users/new');
  const r = await admin.form('/admin/users/new', { login: 'pracownik', full_name: 'X', institution_id: '1', roles: ['analyst'] });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="f-login-err"/);
  assert.match(r.text, /value="X"/);
});

test('a user form without roles is refused', async () => {
  await admin.page('/admin/users/new');
  const r = await admin.form('/admin/users/new', { login: 'bezrol', full_name: 'Bez Ról', institution_id: '1' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="f-roles-err"/);
});

test('the error summary lists problems in the order of the form', async () => {
  await admin.page('/admin/users/new');
  const r = await admin.form('/admin/users/new', { login: 'Zła Nazwa', full_name: '', email: 'zle@', institution_id: '' });
  assert.equal(r.status, 422);
  const summary = r.text.match(/<div class="error-summary"[\s\S]*?<\/div>/)[0];
  const order = [...summary.matchAll(/href="#f-([a-z_]+)"/g)].map((m) => m[1]);
  assert.deepEqual(order, ['login', 'full_name', 'email', 'institution_id', 'roles']);
  assert.match(r.text, /niedozwolony znak: „ł” \(2\. znak\)/, 'names the character and where it is');
  assert.match(r.text, /name="login" value="Zła Nazwa"/, 'the login is kept as typed');
});

test('viewing a user is audited; deactivation signs them out and blocks sign-in', async () => {
  const person = new Client(srv.base);
  await person.signIn('nowa.osoba', 'nowe-haslo-2026');
  const before = (await api.get(`/api/v1/audit?action=user.read&entity_id=${newUserId}`)).json.total;
  const show = await admin.page(`/admin/users/${newUserId}`);
  assert.equal(show.status, 200);
  for (const p of ['edit', 'disable', 'reset-password']) { // every page showing the person
    assert.equal((await admin.get(`/admin/users/${newUserId}/${p}`)).status, 200);
  }
  const audit = await api.get(`/api/v1/audit?action=user.read&entity_id=${newUserId}`);
  assert.equal(audit.json.total, before + 4, 'one user.read per page showing the account');
  const r = await admin.form(`/admin/users/${newUserId}/disable`, { confirm: '1' });
  assert.equal(r.status, 303);
  assert.equal((await person.get('/')).status, 303, 'signed out at once');
  const again = new Client(srv.base);
  await again.page('/login');
  assert.equal((await again.form('/login', { login: 'nowa.osoba', password: 'nowe-haslo-2026' })).status, 401);
  await admin.page(`/admin/users/${newUserId}`);
  assert.equal((await admin.form(`/admin/users/${newUserId}/enable`, {})).status, 303);
});

test('password reset gives a new temporary password and ends the old one', async () => {
  await admin.page(`/admin/users/${newUserId}/reset-password`);
  const r = await admin.form(`/admin/users/${newUserId}/reset-password`, { confirm: '1' });
  assert.equal(r.status, 200);
  const temp = r.text.match(/<code>([a-z2-9-]{19})<\/code>/)[1];
  const c = new Client(srv.base);
  await c.page('/login');
  assert.equal((await c.form('/login', { login: 'nowa.osoba', password: 'nowe-haslo-2026' })).status, 401);
  await c.page('/login');
  assert.equal((await c.form('/login', { login: 'nowa.osoba', password: temp })).status, 303);
});

test('an administrator cannot deactivate their own account or drop their own admin role', async () => {
  const me = (await api.get('/api/v1/me')).json;
  let r = await admin.form(`/admin/users/${me.id}/disable`, { confirm: '1' });
  assert.equal(r.status, 409);
  r = await api.json('PUT', `/api/v1/users/${me.id}`, { full_name: me.full_name, institution_id: me.institution.id, roles: ['analyst'] });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'roles');
});

test('an administrator cannot deactivate their own institution', async () => {
  const me = (await api.get('/api/v1/me')).json;
  const home = me.institution.id;
  assert.equal((await admin.get(`/admin/institutions/${home}/deactivate`)).status, 409);
  await admin.page(`/admin/institutions/${home}`);
  assert.equal((await admin.form(`/admin/institutions/${home}/deactivate`, { confirm: '1' })).status, 409);
  const r = await api.json('PUT', `/api/v1/institutions/${home}`, { kind: 'other', name: me.institution.name, active: false });
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'own_institution');
  assert.equal((await api.get('/api/v1/me')).status, 200, 'still signed in');
});

test('user API: create with a given password, list by role, update, reset', async () => {
  let r = await api.json('POST', '/api/v1/users', { login: 'api.user', full_name: 'Api User', institution_id: 2, roles: ['labour_adviser'], password: 'demo' });
  assert.equal(r.status, 422); // a new account in a demo database follows the password policy
  assert.equal(r.json.field, 'password');
  r = await api.json('POST', '/api/v1/users', { login: 'api.user', full_name: 'Api User', institution_id: 2, roles: ['labour_adviser'], password: 'Kasztan-zielony-42' });
  assert.equal(r.status, 201);
  assert.equal(r.json.must_change_password, false);
  assert.equal(r.json.temporary_password, undefined);
  const id = r.json.id;
  r = await api.json('POST', '/api/v1/users', { login: 'api.user2', full_name: 'Api User 2', institution_id: 2, roles: ['nobody'] });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'roles');
  r = await api.get('/api/v1/users?role=labour_adviser');
  assert.deepEqual(r.json.items.map((x) => x.login).sort(), ['api.user', 'doradca']);
  assert.ok(Array.isArray(r.json.items[0].role));
  r = await api.json('PUT', `/api/v1/users/${id}`, { full_name: 'Api User Zmieniony', institution_id: 2, roles: ['labour_adviser', 'analyst'], active: false });
  assert.equal(r.status, 200);
  assert.equal(r.json.active, false);
  assert.deepEqual(r.json.roles, ['labour_adviser', 'analyst']);
  r = await api.json('POST', `/api/v1/users/${id}/password-reset`);
  assert.equal(r.status, 200);
  assert.match(r.json.temporary_password, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
});

test('the audit log lists changes with who, what, which record and where; it filters and exports', async () => {
  let r = await api.get('/api/v1/audit?action=institution.create&limit=100');
  assert.equal(r.status, 200);
  assert.ok(r.json.total >= 2);
  const row = r.json.items[0];
  assert.equal(row.login, 'admin');
  assert.equal(row.entity, 'institution');
  assert.ok(row.entity_id);
  assert.equal(row.ip, '127.0.0.1');
  assert.match(row.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  r = await api.get('/api/v1/audit?action=session.');
  assert.ok(r.json.items.every((x) => x.action.startsWith('session.')));
  // dates filter by the day in Europe/Warsaw, as the list shows them (not the UTC date)
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Warsaw' }).format(new Date());
  r = await api.get(`/api/v1/audit?at_from=${today}&at_to=${today}&login=admin`);
  assert.ok(r.json.total >= 1);
  r = await api.get('/api/v1/audit?at_from=2026-13-01');
  assert.equal(r.status, 400);
  assert.equal(r.json.field, 'at_from');
  const page = await admin.get('/admin/audit?action=user.create');
  assert.equal(page.status, 200);
  assert.match(page.text, /Utworzono konto użytkownika/);
  const csv = await admin.get('/admin/audit?format=csv&login=admin');
  assert.equal(csv.status, 200);
  assert.match(csv.text, /Kiedy;Login;Działanie/);
  r = await api.get('/api/v1/audit?action=audit.export');
  assert.ok(r.json.total >= 1, 'exporting the log is itself logged');
});

test('fixed phrases of audit details are shown in the reader\'s language, on the page and in exports', async () => {
  const c = new Client(srv.base);
  const r = await c.json('POST', '/api/v1/session', { login: 'biuro', password: 'not-this-one' });
  assert.equal(r.status, 401);
  const page = await admin.get('/admin/audit?action=session.login_failed');
  assert.equal(page.status, 200);
  assert.match(page.text, /błędne hasło/);
  assert.doesNotMatch(page.text, /wrong password/);
  const csv = await admin.get("/admin/audit?action=session.login_failed&format=csv");
  assert.match(csv.text, /błędne hasło/, "the export shows what the page shows");
});
