// map_cli.test.mjs — `razem map` on the demo county's boundaries: the
// boundaries alone, a values file with decimal commas, a header and a BOM,
// bad lines and unknown codes reported with their line numbers, classes
// and methods, --png's signature, usage errors (exit 2), and a database
// without boundaries (exit 1, saying how to get them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, freshDatabase } from './lib.mjs';

let db, dir;
before(() => {
  db = freshDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'razem-map-'));
});
after(() => { db.cleanup(); rmSync(dir, { recursive: true, force: true }); });

function razem(args, { binary = false } = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RAZEM_')));
  const r = spawnSync(path.resolve(BIN), args, { cwd: dir, env, encoding: binary ? 'buffer' : 'utf8' });
  return { status: r.status, out: r.stdout, err: binary ? r.stderr.toString('utf8') : r.stderr };
}

function file(name, text) {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

test('the boundaries alone: an SVG of the ten gminas, in Polish', () => {
  const r = razem(['map', '--level', 'gmina', '--within', '3050', '--db', db.url]);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.err, '');
  assert.match(r.out, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal([...r.out.matchAll(/<path d="M[^"]*"><title>[^<]+<\/title><\/path>/g)].length, 10);
  assert.match(r.out, /<title>gminy<\/title>/);
  assert.doesNotMatch(r.out, /class="legend"/);
});

test('--timing says how long reading and drawing took, on standard error only', () => {
  const plain = razem(['map', '--level', 'gmina', '--within', '3050', '--db', db.url]);
  const r = razem(['map', '--level', 'gmina', '--within', '3050', '--timing', '--db', db.url]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.err, /^razem map: 10 units: boundaries read in \d+\.\d\d ms, map drawn in \d+\.\d\d ms, \d+ bytes of SVG\n$/);
  assert.equal(r.out, plain.out);
});

test('a values file: decimal commas, a header and a BOM, "no data", the legend', () => {
  const v = file('v.csv', '\ufeffkod;wartość\r\n3050011;12,5\r\n3050022;3\r\n3050032;\r\n3050043;1 234,5\r\n');
  const r = razem(['map', '--level', 'gmina', '--within', '3050', '--values', v, '--classes', '3',
    '--title', 'Wskaźnik testowy', '--period', 'stan na 01.12.2026', '--db', db.url]);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.err, '');
  assert.match(r.out, /<title>Przykładowo: 12,5<\/title>/);
  assert.match(r.out, /<title>Jarzębin: 1234,5<\/title>/);
  assert.match(r.out, /<title>Dębina: brak danych<\/title>/);
  assert.match(r.out, /<title>Lipnica: brak danych<\/title>/, 'a gmina missing from the file has no data');
  assert.match(r.out, />brak danych \(7\)<\/text>/);
  assert.match(r.out, /font-weight="bold" fill="#111">Wskaźnik testowy<\/text>/);
  assert.match(r.out, />stan na 01.12.2026<\/text>/);
  assert.match(r.out, />Dane: .*v\.csv<\/text>/);
});

test('bad lines and unknown codes are reported with their line numbers; the rest is drawn', () => {
  const v = file('bad.csv', '3050011;2\n3050022;dużo\nabc;1\n3050032,7\n3050043,1,5\n9999999;4\n3050011;8\n30;5\n');
  const r = razem(['map', '--level', 'gmina', '--within', '3050', '--values', v, '--db', db.url]);
  assert.equal(r.status, 0, r.err);
  const lines = r.err.trim().split('\n');
  assert.deepEqual(lines, [
    `razem map: ${v}: line 2: 'dużo' is not a number`,
    `razem map: ${v}: line 3: 'abc' is not a TERC code (2, 4 or 7 digits)`,
    `razem map: ${v}: line 5: two commas and no semicolon: write code;value (a decimal comma needs ';' as the separator)`,
    `razem map: ${v}: line 6: unknown code 9999999 (no gmina unit of this map has it)`,
    `razem map: ${v}: line 7: code 3050011 already given on line 1; this line is ignored`,
    `razem map: ${v}: line 8: unknown code 30 (no gmina unit of this map has it)`,
  ]);
  assert.match(r.out, /<title>Przykładowo: 2<\/title>/);
  assert.match(r.out, /<title>Dębina: 7<\/title>/, "',' accepted as the separator when unambiguous");
});

test('no value matching the map fails (exit 1)', () => {
  const v = file('none.csv', '9999999;1\n');
  const r = razem(['map', '--level', 'gmina', '--within', '3050', '--values', v, '--db', db.url]);
  assert.equal(r.status, 1);
  assert.match(r.err, /no value matches a unit of the map\n$/);
  assert.equal(r.out, '');
});

test('methods: equal, jenks, manual breaks', () => {
  const v = file('m.csv', '3050011;1\n3050022;2\n3050032;3\n3050043;10\n3050052;11\n3050062;12\n');
  let r = razem(['map', '--level', 'gmina', '--within', '3050', '--values', v, '--method', 'jenks', '--classes', '2', '--db', db.url]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, />1 – 3 \(3\)<\/text>/);
  assert.match(r.out, />4 – 12 \(3\)<\/text>/);
  r = razem(['map', '--level', 'gmina', '--within', '3050', '--values', v, '--method', 'manual', '--breaks', '2,10', '--db', db.url]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, />1 – 2 \(2\)<\/text>/);
  assert.match(r.out, />3 – 10 \(2\)<\/text>/);
  assert.match(r.out, />11 – 12 \(2\)<\/text>/);
  r = razem(['map', '--level', 'gmina', '--within', '3050', '--values', v, '--method', 'equal', '--classes', '1', '--db', db.url]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, />1 – 12 \(6\)<\/text>/);
});

test('--png writes a PNG', () => {
  const r = razem(['map', '--level', 'powiat', '--png', '--db', db.url], { binary: true });
  assert.equal(r.status, 0, r.err);
  assert.deepEqual([...r.out.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test('usage errors exit 2 before the database is opened', () => {
  const cases = [
    [['map', '--db', 'x.db'], /give --level/],
    [['map', '--level', 'county', '--db', 'x.db'], /unknown level 'county'/],
    [['map', '--level', 'voivodeship', '--within', '30', '--db', 'x.db'], /cannot hold voivodeship units/],
    [['map', '--level', 'gmina', '--within', '305', '--db', 'x.db'], /cannot hold gmina units/],
    [['map', '--level', 'gmina', '--values', 'v.csv', '--classes', '9', '--db', 'x.db'], /--classes takes a number from 1 to 7/],
    [['map', '--level', 'gmina', '--values', 'v.csv', '--method', 'kmeans', '--db', 'x.db'], /unknown method 'kmeans'/],
    [['map', '--level', 'gmina', '--values', 'v.csv', '--method', 'manual', '--db', 'x.db'], /--method manual needs --breaks/],
    [['map', '--level', 'gmina', '--values', 'v.csv', '--method', 'manual', '--breaks', '5,2', '--db', 'x.db'], /--breaks takes 1 to 6 increasing numbers/],
    [['map', '--level', 'gmina', '--breaks', '5', '--db', 'x.db'], /--breaks goes with --method manual/],
    [['map', '--level', 'gmina', '--classes', '3', '--db', 'x.db'], /give --values FILE.csv/],
    [['map', '--level', 'gmina', 'extra', '--db', 'x.db'], /./],
  ];
  for (const [args, re] of cases) {
    const r = razem(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.err, re, args.join(' '));
  }
  const r = razem(['map', '--level', 'gmina', '--values', path.join(dir, 'missing.csv'), '--db', db.url]);
  assert.equal(r.status, 1);
  assert.match(r.err, /cannot read .*missing\.csv/);
});

test('a database without boundaries: exit 1, saying how to get them', () => {
  const empty = path.join(dir, 'empty.db');
  const r = razem(['map', '--level', 'voivodeship', '--db', empty]);
  assert.equal(r.status, 1);
  assert.match(r.err, /razem map: no boundaries of voivodeship in the database: import them with razem import boundaries FILE, or create the demo county with razem demo\n$/);
});

test('razem institution add takes a position within Poland, both coordinates or none', () => {
  let r = razem(['institution', 'add', '--kind', 'ngo', '--name', 'Fundacja Pozycja', '--terc', '3050022',
    '--latitude', '60', '--longitude', '20', '--db', db.url]);
  assert.equal(r.status, 2);
  assert.equal(r.err, 'razem institution add: --latitude: The latitude of a place in Poland lies between 49 and 55 degrees.\n');
  r = razem(['institution', 'add', '--kind', 'ngo', '--name', 'Fundacja Pozycja', '--terc', '3050022',
    '--latitude', '52,3', '--db', db.url]);
  assert.equal(r.status, 2);
  assert.equal(r.err, 'razem institution add: --longitude: Give both the latitude and the longitude, or neither.\n');
  r = razem(['institution', 'add', '--kind', 'ngo', '--name', 'Fundacja Pozycja', '--terc', '3050022',
    '--latitude', '52,3', '--longitude', '16.9', '--db', db.url]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^Created institution Fundacja Pozycja \(number \d+\)\.\n$/);
});

const DATA = '../shared/data';
const GEO = `${DATA}/boundaries/jusuff_PolandGeoJson`;
const TERC = `${DATA}/teryt/TERC_urzedowy_2020-01-01.csv`;

test('the real data: the national gmina map under 1 MB, every gmina drawn, a values file for all of them', (t) => {
  if (!existsSync(`${GEO}/poland.municipalities.json`) || !existsSync(TERC)) {
    t.skip(`${DATA} is not there`);
    return;
  }
  const real = path.join(dir, 'real.db');
  assert.equal(razem(['import', 'teryt', path.resolve(TERC), '--db', real]).status, 0);
  const g = razem(['import', 'boundaries', path.resolve(`${GEO}/poland.municipalities.json`), '--db', real]);
  assert.equal(g.status, 0, g.err);
  const r = razem(['map', '--level', 'gmina', '--db', real]);
  assert.equal(r.status, 0, r.err);
  const bytes = Buffer.byteLength(r.out);
  assert.ok(bytes < 1024 * 1024, `national gmina map ${bytes} bytes`);
  const titles = [...r.out.matchAll(/<path d="M[^"]+"><title>([^<]+)<\/title><\/path>/g)];
  assert.equal(titles.length, 2477);
  // a value for every gmina of the register (RODZ 1-3), in five Jenks classes: the legend counts every unit
  const rows = readFileSync(TERC, 'utf8').split(/\r?\n/).map((l) => l.split(';'))
    .filter((f) => f[2] && /^[123]$/.test(f[3]));
  const csv = rows.map((f, i) => `${f[0]}${f[1]}${f[2]}${f[3]};${(i % 97) / 10}`.replace('.', ',')).join('\n');
  const v = razem(['map', '--level', 'gmina', '--values', file('all.csv', csv), '--method', 'jenks', '--db', real]);
  assert.equal(v.status, 0, v.err);
  const counts = [...v.out.matchAll(/<text x="\d+" y="\d+">[^<]* \((\d+)\)<\/text>/g)].map((m) => Number(m[1]));
  assert.equal(counts.length, 6, 'five classes and "no data"');
  assert.equal(counts.reduce((x, y) => x + y, 0), 2477);
  assert.ok(counts[5] < 10, `few gminas without a value: ${counts[5]}`);
  const list = razem(['map', '--level', 'powiat', '--within', '02', '--db', real]);
  assert.equal(list.status, 1, 'no powiat boundaries imported yet');
  assert.match(list.err, /no boundaries of powiat within 02/);
});
