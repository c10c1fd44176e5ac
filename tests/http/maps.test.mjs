// maps.test.mjs — the map pages on the demo county's generated boundaries:
// /maps at each level with drill-down links and breadcrumbs, the table
// beside the map, the SVG (content type, gzip, ETag and 304, a new ETag
// after an institution changes), the PNG's signature, the resource layer,
// the map on the unit page, and bad parameters (400/404 in Polish).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { freshDatabase, start, Client } from './lib.mjs';

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

// rawGet() fetches without decoding the body (fetch() would gunzip it).
function rawGet(client, p, headers = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(srv.base + p);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET',
      headers: { cookie: client.cookieHeader(), ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the map pages are for signed-in users only', async () => {
  const anon = new Client(srv.base);
  const r = await anon.get('/maps');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/login/);
  assert.equal((await anon.get('/maps/map.svg')).status, 303);
});

test('/maps: the voivodeships, a GET form, a nav entry, links down to the voivodeship', async () => {
  const r = await worker.get('/maps');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1[^>]*>Mapy<\/h1>/);
  assert.match(r.text, /<a href="\/maps" aria-current="page">Mapy<\/a>/);
  assert.match(r.text, /<form method="get" action="\/maps"/);
  assert.match(r.text, /<select[^>]*name="layer"/);
  assert.match(r.text, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="map"[^>]* role="group" aria-label="Liczba instytucji — województwa, Polska"/);
  assert.match(r.text, /<a href="\/maps\?layer=institutions&amp;within=30"><path d="M/);
  assert.match(r.text, /<title>WIELKOPOLSKIE: \d+<\/title>/);
  assert.match(r.text, /<caption>Wartości na mapie<\/caption>/);
  assert.match(r.text, /<th scope="row"><a href="\/maps\?layer=institutions&amp;within=30">WIELKOPOLSKIE<\/a><\/th><td>30<\/td>/);
  assert.match(r.text, /href="\/maps\/map.svg\?layer=institutions&amp;level=voivodeship" download>Pobierz SVG<\/a>/);
  assert.match(r.text, /href="\/maps\/map.png\?layer=institutions&amp;level=voivodeship" download>Pobierz PNG<\/a>/);
});

test('drill-down: voivodeship → powiat → gminas, breadcrumbs, values in the table', async () => {
  const v = await worker.get('/maps?layer=institutions&within=30');
  assert.equal(v.status, 200);
  assert.match(v.text, /<h1[^>]*>Mapy: WIELKOPOLSKIE<\/h1>/);
  assert.match(v.text, /<nav class="crumbs"[^>]*><ol><li><a href="\/maps">Mapy<\/a><\/li><li[^>]*>WIELKOPOLSKIE/);
  assert.match(v.text, /<a href="\/maps\?layer=institutions&amp;within=3050"><path/);
  const p = await worker.get('/maps?layer=institutions&within=3050');
  assert.equal(p.status, 200);
  assert.match(p.text, /<a href="\/maps\?layer=institutions&amp;within=30">WIELKOPOLSKIE<\/a>/, 'the voivodeship in the breadcrumbs');
  assert.match(p.text, /<h1[^>]*>Mapy: przykładowy<\/h1>/);
  assert.match(p.text, /<a href="\/territory\/3050022"><path d="M[^"]+"><title>Brzozowo: \d+<\/title><\/path><\/a>/);
  // the table: every gmina, its code, its count and class
  const rows = [...p.text.matchAll(/<tr><th scope="row"><a href="\/territory\/(\d{7})">([^<]+)<\/a><\/th><td>\d{7}<\/td><td class="num">(\d+)<\/td><td>(\d) \(/g)];
  assert.equal(rows.length, 10, 'ten gminas in the demo county');
  const town = rows.find((m) => m[1] === '3050011');
  assert.ok(town && Number(town[3]) >= 1, 'the county town has institutions');
  assert.match(p.text, /<text[^>]*>brak danych \(0\)<\/text>/, 'counts are data: no unit without data');
});

test('the national gmina map and a level given explicitly', async () => {
  const r = await worker.get('/maps?level=gmina');
  assert.equal(r.status, 200);
  assert.match(r.text, /Liczba instytucji — gminy, Polska/);
  assert.equal([...r.text.matchAll(/<a href="\/territory\/\d{7}"><path/g)].length, 10);
  const pw = await worker.get('/maps?level=powiat');
  assert.equal(pw.status, 200);
  assert.match(pw.text, /<a href="\/maps\?layer=institutions&amp;within=3050"><path/);
});

test('classification parameters: equal intervals, 3 classes, manual breaks with decimal commas', async () => {
  const r = await worker.get('/maps?within=3050&method=equal&classes=3&palette=purples');
  assert.equal(r.status, 200);
  assert.match(r.text, /równe przedziały/);
  assert.match(r.text, /<option value="equal" selected>/);
  const m = await worker.get('/maps?within=3050&method=manual&breaks=' + encodeURIComponent('0,5;1,5'));
  assert.equal(m.status, 200);
  assert.match(m.text, /własne granice przedziałów/);
});

test('bad parameters: 400 and 404 with a Polish message', async () => {
  for (const q of ['level=county', 'within=3', 'within=30x', 'layer=nope', 'method=kmeans', 'classes=9',
    'classes=0', 'palette=rainbow', 'method=manual', 'method=manual&breaks=5,3', 'level=voivodeship&within=30']) {
    const r = await worker.get('/maps?' + q);
    assert.equal(r.status, 400, q);
    assert.match(r.text, /Błędne parametry mapy/, q);
    const s = await worker.get('/maps/map.svg?' + q);
    assert.equal(s.status, 400, 'svg ' + q);
  }
  const r = await worker.get('/maps?within=99');
  assert.equal(r.status, 404);
  assert.match(r.text, /W rejestrze TERYT nie ma jednostki o tym kodzie TERC/);
  assert.equal((await worker.get('/maps/map.svg?within=9999')).status, 404);
});

test('/maps/map.svg: SVG, gzip once, ETag and 304, a new ETag after a change', async () => {
  const r = await rawGet(worker, '/maps/map.svg?within=3050', { 'accept-encoding': 'gzip' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'image/svg+xml');
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.equal(r.headers['cache-control'], 'private, no-cache');
  assert.match(r.headers.vary, /accept-encoding/i);
  const { gunzipSync } = await import('node:zlib');
  const svg = gunzipSync(r.body).toString('utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<title>Brzozowo: \d+<\/title>/);
  const etag = r.headers.etag;
  assert.match(etag, /^W\/"svg-\d+-[0-9a-f]{16}"$/);
  const plain = await rawGet(worker, '/maps/map.svg?within=3050');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.toString('utf8'), svg, 'the same drawing uncompressed');
  const again = await rawGet(worker, '/maps/map.svg?within=3050', { 'if-none-match': etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  // an institution is added in Brzozowo: the generation moves, the old ETag no longer matches
  const before = svg.match(/<title>Brzozowo: (\d+)<\/title>/)[1];
  await admin.page('/admin/institutions/new');
  const c = await admin.form('/admin/institutions/new', { kind: 'ngo', name: 'Stowarzyszenie Etag', terc: '3050022' });
  assert.equal(c.status, 303);
  const after = await rawGet(worker, '/maps/map.svg?within=3050', { 'if-none-match': etag });
  assert.equal(after.status, 200);
  assert.notEqual(after.headers.etag, etag);
  assert.match(after.body.toString('utf8'), new RegExp(`<title>Brzozowo: ${Number(before) + 1}</title>`));
});

test('/maps/map.png is a PNG with its own ETag', async () => {
  const r = await rawGet(worker, '/maps/map.png?within=3050');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'image/png');
  assert.deepEqual([...r.body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.match(r.headers.etag, /^W\/"png-/);
  const again = await rawGet(worker, '/maps/map.png?within=3050', { 'if-none-match': r.headers.etag });
  assert.equal(again.status, 304);
});

test('the resource layer: institutions as points by kind, a legend and a list', async () => {
  const r = await worker.get('/maps?within=3050&layer=resources');
  assert.equal(r.status, 200);
  assert.match(r.text, /<g class="points"/);
  assert.match(r.text, /<title>Powiatowy Urząd Pracy w Przykładowie \(PUP\)<\/title>/);
  assert.match(r.text, /<text[^>]*>Instytucje<\/text>/);
  assert.match(r.text, /<caption>Instytucje na mapie<\/caption>/);
  assert.match(r.text, /<th scope="row">Powiatowy Urząd Pracy w Przykładowie<\/th><td>Powiatowy urząd pracy \(PUP\)<\/td>/);
});

test('the unit page shows the map of its units', async () => {
  const r = await worker.get('/territory/3050');
  assert.equal(r.status, 200);
  assert.match(r.text, /<section class="card map-card"><h2>Mapa<\/h2><figure class="map"><svg /);
  assert.match(r.text, /<a href="\/territory\/3050022"><path/);
  assert.match(r.text, /<a href="\/maps\?layer=institutions&amp;within=3050">Więcej map tej jednostki, z tabelą wartości<\/a>/);
});

test('an institution position: validated within Poland, in Polish, stored and shown', async () => {
  await admin.page('/admin/institutions/new');
  const bad = await admin.form('/admin/institutions/new', { kind: 'ngo', name: 'Fundacja Mapa', terc: '3050022',
    latitude: '12,5', longitude: '' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /Podaj szerokość i długość geograficzną albo żadnej z nich/);
  const far = await admin.form('/admin/institutions/new', { kind: 'ngo', name: 'Fundacja Mapa', terc: '3050022',
    latitude: '60', longitude: '21' });
  assert.equal(far.status, 422);
  assert.match(far.text, /Szerokość geograficzna miejsca w Polsce wynosi od 49 do 55 stopni/);
  const ok = await admin.form('/admin/institutions/new', { kind: 'ngo', name: 'Fundacja Mapa', terc: '3050022',
    latitude: '52,41', longitude: '16,93' });
  assert.equal(ok.status, 303);
  const page = await admin.get(ok.headers.get('location'));
  assert.match(page.text, /52\.410000, 16\.930000/);
  const api = await admin.apiSignIn('admin');
  assert.equal(api.status, 200);
  const id = ok.headers.get('location').match(/(\d+)$/)[1];
  const j = await admin.get(`/api/v1/institutions/${id}`);
  assert.equal(j.json.latitude, '52.410000');
  assert.equal(j.json.longitude, '16.930000');
  const map = await worker.get('/maps?within=3050&layer=resources');
  assert.match(map.text, /<td>w swoim położeniu<\/td>/);
});
