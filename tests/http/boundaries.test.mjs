// boundaries.test.mjs — razem import boundaries on the command line and the
// neighbours on the unit page: the demo county's generated boundaries, a
// GeoJSON and a Shapefile (EPSG:2180 with its .prj) replacing them, unknown
// codes reported by name, broken files refused naming the feature with
// nothing stored, and the real register with the real gmina boundaries of
// ../shared/data when they are there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshDatabase, start, Client, BIN } from './lib.mjs';

let db, srv, worker;
before(async () => {
  db = freshDatabase();
  srv = await start(db);
  worker = new Client(srv.base);
  await worker.signIn('pracownik');
});
after(async () => { await srv.stop(); db.cleanup(); });

function razem(...args) {
  const r = spawnSync(BIN, [...args, '--db', db.url], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const square = (code, name, x0, x1, y0 = 52.4, y1 = 52.5) => ({
  type: 'Feature',
  properties: { terc: code, name },
  geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] },
});

function geojson(name, features) {
  const f = path.join(db.dir, name);
  writeFileSync(f, typeof features === 'string' ? features : JSON.stringify({ type: 'FeatureCollection', features }));
  return f;
}

const neighbours = async (code) => (await worker.get(`/api/v1/territory/${code}`)).json.neighbours.map((u) => u.code);

test('the demo county has boundaries: the town is an enclave, the page lists neighbours', async () => {
  assert.deepEqual(await neighbours('3050011'), ['3050082']);
  const around = await neighbours('3050082');
  assert.ok(around.length >= 6, around.join());
  assert.ok(around.includes('3050011'));
  const r = await worker.get('/territory/3050011');
  assert.equal(r.status, 200);
  assert.match(r.text, /<caption>Sąsiedzi \(wspólna granica\)<\/caption>/);
  assert.match(r.text, /<a href="\/territory\/3050082">Przykładowo<\/a><\/th><td>gmina wiejska<\/td>/);
  // a town part has no boundary of its own, so no neighbours section
  const part = await worker.get('/territory/3050044');
  assert.doesNotMatch(part.text, /Sąsiedzi/);
});

test('a GeoJSON replaces the boundaries it brings; unknown codes are reported by name', () => {
  const f = geojson('two.json', [square('3050022', 'Brzozowo', 17.0, 17.1), square('3050032', 'Dębina', 17.1, 17.2),
    square('3050999', 'Nibylandia', 17.2, 17.3)]);
  const r = razem('import', 'boundaries', f);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^gmina boundaries: 2 of 3 features imported \(0 matched by 6 digits\), 1 not matched, 8 units without a boundary; 3 arcs, points by scale 10\/10\/10\/10; lon\/lat\n$/);
  assert.match(r.err, /razem import boundaries: feature 3 \(3050999 Nibylandia\): no open gmina of the register has this code; not imported\n/);
  assert.match(r.err, /razem import boundaries: 3050043 Jarzębin: no boundary in the file\n/);
});

test('the imported squares are neighbours of each other only', async () => {
  assert.deepEqual(await neighbours('3050022'), ['3050032']);
  assert.deepEqual(await neighbours('3050032'), ['3050022']);
});

test('--strict refuses a file with an unknown code, and nothing changes', async () => {
  const f = geojson('strict.json', [square('3050022', 'Brzozowo', 17.0, 17.1), square('3050999', 'Nibylandia', 17.1, 17.2)]);
  const r = razem('import', 'boundaries', f, '--strict');
  assert.equal(r.status, 1);
  assert.match(r.err, /feature 2 \(3050999 Nibylandia\): no open gmina/);
  assert.match(r.err, /refused, nothing imported: 1 features match no unit \(--strict\)\n/);
  assert.deepEqual(await neighbours('3050022'), ['3050032']);
});

test('broken GeoJSON is refused naming the feature; the previous boundaries stay', async () => {
  const cases = [
    ['bad.json', '{"type":"FeatureCollection","features":[', /refused, nothing imported: not valid JSON: /],
    ['short.json', [square('3050022', 'Brzozowo', 17.0, 17.1), { type: 'Feature', properties: { terc: '3050092', name: 'Wierzbno' },
      geometry: { type: 'Polygon', coordinates: [[[17, 52], [17.1, 52], [17, 52]]] } }],
    /refused, nothing imported: feature 2 \(3050092 Wierzbno\), ring 1: a ring has 3 points \(at least 4 are needed\)\n/],
    ['open.json', [{ type: 'Feature', properties: { terc: '3050092', name: 'Wierzbno' },
      geometry: { type: 'Polygon', coordinates: [[[17, 52], [17.1, 52], [17.1, 52.1], [17, 52.1]]] } }],
    /feature 1 \(3050092 Wierzbno\), ring 1: a ring is not closed/],
    ['point.json', [{ type: 'Feature', properties: { terc: '3050092', name: 'Wierzbno' },
      geometry: { type: 'LineString', coordinates: [[17, 52], [17.1, 52]] } }],
    /feature 1 \(3050092 Wierzbno\): geometry type "LineString" is not Polygon or MultiPolygon/],
  ];
  for (const [name, body, message] of cases) {
    const r = razem('import', 'boundaries', geojson(name, body));
    assert.equal(r.status, 1, name);
    assert.match(r.err, message, name);
    assert.equal(r.out, '', name);
  }
  assert.deepEqual(await neighbours('3050022'), ['3050032']);
  assert.ok((await neighbours('3050092')).length >= 2, 'the demo boundary of Wierzbno is still there');
});

const SHP = 'tests/data/boundaries/squares';

test('a Shapefile in EPSG:2180 with its .prj imports, the shared edge stored once', async () => {
  const r = razem('import', 'boundaries', `${SHP}.shp`);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^gmina boundaries: 2 of 2 features imported .* 3 arcs, /);
  assert.deepEqual(await neighbours('3050022'), ['3050032']);
});

test('a truncated Shapefile is refused naming the feature; nothing changes', async () => {
  const base = path.join(db.dir, 'cut');
  for (const ext of ['shp', 'shx', 'dbf', 'prj']) copyFileSync(`${SHP}.${ext}`, `${base}.${ext}`);
  truncateSync(`${base}.shp`, 250);
  const r = razem('import', 'boundaries', `${base}.shp`);
  assert.equal(r.status, 1);
  assert.match(r.err, /refused, nothing imported: feature 2 \(3050032 Debina\): its shape record cannot be read \(corrupt \.shp/);
  const garbage = path.join(db.dir, 'junk.shp');
  writeFileSync(garbage, 'not a shapefile at all');
  const g = razem('import', 'boundaries', garbage);
  assert.equal(g.status, 1);
  assert.match(g.err, /cannot open it as a Shapefile/);
  assert.deepEqual(await neighbours('3050022'), ['3050032']);
});

test('usage errors', () => {
  assert.equal(razem('import', 'boundaries').status, 2);
  const r = razem('import', 'boundaries', 'x.json', '--level', 'county');
  assert.equal(r.status, 2);
  assert.match(r.err, /--level must be voivodeship, powiat or gmina/);
  const m = razem('import', 'boundaries', path.join(db.dir, 'missing.json'));
  assert.equal(m.status, 1);
  assert.match(m.err, /missing\.json: refused, nothing imported: cannot read it/);
});

const DATA = '../shared/data';
const GMINY = `${DATA}/boundaries/jusuff_PolandGeoJson/poland.municipalities.json`;
const TERC = `${DATA}/teryt/TERC_urzedowy_2020-01-01.csv`;

test('the real register and the real gmina, powiat and voivodeship boundaries', async (t) => {
  if (!existsSync(GMINY) || !existsSync(TERC)) {
    t.skip(`${DATA} is not there`);
    return;
  }
  assert.equal(razem('import', 'teryt', TERC).status, 0);
  const r = razem('import', 'boundaries', GMINY);
  assert.equal(r.status, 0, r.err);
  // the demo county's gminas have no boundary in the file (their demo ones stay)
  assert.match(r.out, /^gmina boundaries: 2477 of 2477 features imported \(4 matched by 6 digits\), 0 not matched, 10 units without a boundary; \d+ arcs/);
  assert.match(r.err, /feature \d+ \(1004062 Piątek\): matched to 1004063 Piątek by its first 6 digits/);
  const p = razem('import', 'boundaries', `${DATA}/boundaries/jusuff_PolandGeoJson/poland.counties.json`);
  assert.match(p.out, /^powiat boundaries: 380 of 380 features imported/);
  const v = razem('import', 'boundaries', `${DATA}/boundaries/jusuff_PolandGeoJson/poland.voivodeships.json`, '--level', 'voivodeship');
  assert.match(v.out, /^voivodeship boundaries: 16 of 16 features imported/);
  // Bolesławiec (town) lies inside the rural gmina of the same name
  assert.deepEqual(await neighbours('0201011'), ['0201022']);
  // lubuskie, opolskie, wielkopolskie (the real 30 replaced the demo's outline)
  assert.deepEqual(await neighbours('02'), ['08', '16', '30']);
  assert.deepEqual(await neighbours('3050011'), ['3050082'], 'the demo county keeps its boundaries');
});

test('the real gminas as a PUWG 1992 Shapefile made with ogr2ogr give the same topology', async (t) => {
  const probe = spawnSync('ogr2ogr', ['--version'], { encoding: 'utf8' });
  if (!existsSync(GMINY) || probe.status !== 0) {
    t.skip(!existsSync(GMINY) ? `${DATA} is not there` : 'ogr2ogr (gdal-bin) is not installed');
    return;
  }
  const shp = path.join(db.dir, 'gminy.shp');
  const conv = spawnSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:2180', '-lco', 'ENCODING=UTF-8', shp, GMINY],
    { encoding: 'utf8' });
  assert.equal(conv.status, 0, conv.stderr);
  const geo = razem('import', 'boundaries', GMINY);
  const arcs = geo.out.match(/; (\d+) arcs, points by scale ([\d/]+);/);
  assert.ok(arcs, geo.out);
  const r = razem('import', 'boundaries', shp);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^gmina boundaries: 2477 of 2477 features imported \(4 matched by 6 digits\), 0 not matched/);
  // there and back through EPSG:2180: the same borders, shared alike
  assert.match(r.out, new RegExp(`; ${arcs[1]} arcs, points by scale ${arcs[2]}; named in the file\\n$`));
  assert.deepEqual(await neighbours('0201011'), ['0201022']);
});
