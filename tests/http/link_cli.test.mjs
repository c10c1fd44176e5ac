// link_cli.test.mjs — razem link on files: the id_a,id_b,score header and
// pairs (one file: pairs of one cluster; two files: cross pairs, id_a from
// FILE), exit 0 with no pairs, 1 for an unreadable file, 2 for wrong usage;
// CRLF without a final newline, Windows-1250, ';' separators, ", " between
// fields, --review, --model, --stats; and FEBRL 1 from ../shared/data when it
// is there (skipped otherwise, saying so).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from './lib.mjs';

let dir;
const FEBRL = path.resolve('../shared/data/febrl');
const FEBRL_SPEC = 'id=rec_id,given=given_name,surname=surname,birth=date_of_birth:YYYYMMDD,' +
  'street_number=street_number,street=address_1,address2=address_2,city=suburb,postcode=postcode,' +
  'region=state,national_id=soc_sec_id';
const SPEC = 'id=id,given=imie,surname=nazwisko,birth=ur:DD.MM.YYYY,pesel=pesel,city=miasto';

function razem(args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RAZEM_')));
  const r = spawnSync(path.resolve(BIN), args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

function file(name, content) {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

// people(): a register of strangers plus the given rows, so the model has non-matches to learn from
function people(rows, sep = ';', eol = '\n', prefix = 's') {
  const given = ['Anna', 'Piotr', 'Ewa', 'Marek', 'Zofia', 'Adam', 'Maria', 'Tomasz', 'Jan', 'Alicja'];
  const surname = ['Nowak', 'Wójcik', 'Mazur', 'Krawczyk', 'Zając', 'Król', 'Wróbel', 'Dudek', 'Pawlak', 'Sikora'];
  const lines = [['id', 'imie', 'nazwisko', 'ur', 'pesel', 'miasto'].join(sep)];
  for (let i = 0; i < 60; i++) {
    const d = String(1 + (i % 28)).padStart(2, '0'), m = String(1 + (i % 12)).padStart(2, '0');
    lines.push([`${prefix}${i}`, given[i % 10], surname[(i * 7) % 10] + (i > 9 ? 'ski' : ''), `${d}.${m}.${1950 + i}`, '',
      ['Radom', 'Kielce', 'Płock'][i % 3]].join(sep));
  }
  for (const r of rows) lines.push(r.join(sep));
  return lines.join(eol) + eol;
}

function pairs(out) {
  const lines = out.trim().split(/\n/);
  assert.equal(lines[0], 'id_a,id_b,score');
  return lines.slice(1).map((l) => l.split(','));
}

before(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'razem-link-cli-')); });
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

test('one file: the records of one person are a pair with a score from 0 to 1', () => {
  const p = file('one.csv', people([
    ['a1', 'Łukasz', 'Kowalski', '14.05.1944', '44051401458', 'Łódź'],
    ['a2', 'LUKASZ', 'KOWALSKI', '14.05.1944', '44051401358', 'Lodz'], // folded; one PESEL digit
    ['a3', 'Katarzyna', 'Kowalska', '14.05.1944', '44051401441', 'Łódź'], // his twin sister: a family
  ]));
  const r = razem(['link', '--columns', SPEC, p]);
  assert.equal(r.status, 0, r.err);
  const got = pairs(r.out);
  const joined = got.map(([a, b]) => [a, b].sort().join('+'));
  assert.ok(joined.includes('a1+a2'), r.out);
  assert.ok(!joined.some((j) => j.includes('a3')), r.out);
  for (const [, , score] of got) assert.match(score, /^(0\.\d{4}|1\.0000)$/);
});

test('two files: cross pairs only, id_a from the first file; CRLF without a final newline, Windows-1250, ","', () => {
  const a = file('a.csv', people([['x1', 'Kasia', 'Zielińska', '03.02.1990', '', 'Kraków']]));
  const bText = people([['y1', 'Katarzyna', 'Zielinska', '03.02.1990', '', 'Krakow']], ',', '\r\n', 't')
    .replace(/\r\n$/, '');
  const b = file('b.csv', Buffer.from(bText.replace(/ń/g, '\xf1').replace(/ó/g, '\xf3').replace(/ł/g, '\xb3')
    .replace(/Ł/g, '\xa3').replace(/ą/g, '\xb9').replace(/ę/g, '\xea').replace(/ś/g, '\x9c').replace(/ż/g, '\xbf')
    .replace(/ź/g, '\x9f').replace(/ć/g, '\xe6'), 'latin1'));
  const r = razem(['link', '--stats', '--columns', SPEC, a, b]);
  assert.equal(r.status, 0, r.err);
  const got = pairs(r.out);
  assert.ok(got.some(([x, y]) => x === 'x1' && y === 'y1'), r.out);
  for (const [x, y] of got) { // FILE's ids are x… and s…, FILE2's y… and t…
    assert.match(x, /^[xs]\d+$/);
    assert.match(y, /^[yt]\d+$/);
  }
  assert.match(r.err, /stats: records 122, candidate pairs \d+, .*peak RSS \d+ MB/);
});

test('no pairs is success; --review and --model write their files', () => {
  const p = file('none.csv', people([]));
  const review = path.join(dir, 'review.csv'), model = path.join(dir, 'model.txt');
  const r = razem(['link', '--threshold', '1', '--review', review, '--model', model, '--columns', SPEC, p]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^id_a,id_b,score\n/);
  assert.match(readFileSync(review, 'utf8'), /^id_a,id_b,score,comparisons\n/);
  assert.match(readFileSync(model, 'utf8'), /^razem-link-model 2\nprior /);
});

test('an unreadable file exits 1', () => {
  const r = razem(['link', '--columns', SPEC, path.join(dir, 'missing.csv')]);
  assert.equal(r.status, 1);
  assert.match(r.err, /missing\.csv: No such file/);
  const empty = file('empty.csv', '');
  assert.equal(razem(['link', '--columns', SPEC, empty]).status, 1);
});

test('wrong usage exits 2 with the reason', () => {
  const p = file('u.csv', people([]));
  const cases = [
    [['link', p], /--columns SPEC is required/],
    [['link', '--columns', 'given=imie', p], /the id role is required/],
    [['link', '--columns', 'id=id,nick=x', p], /unknown role/],
    [['link', '--columns', 'id=id,birth=ur:DDMMYY', p], /unknown date format/],
    [['link', '--columns', 'id=id,given=imię', p], /has no column 'imię' \(for given\)/],
    [['link', '--columns', SPEC, '--threshold', '2', p], /--threshold: '2' is not a number from 0 to 1/],
    [['link', '--columns', SPEC, p, p, p], /at most two files/],
    [['link', '--columns', SPEC], /give FILE/],
    [['link', '--db', path.join(dir, 'x.db'), '--person', 'abc'], /--person takes the number of a person/],
    [['link', '--db', path.join(dir, 'x.db'), '--repeat', '3'], /--repeat takes 1 to 1000, with --person/],
    [['link', '--columns', SPEC, '--bogus', p], /unknown option/],
  ];
  for (const [args, re] of cases) {
    const r = razem(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
  }
  assert.ok(!existsSync(path.join(dir, 'x.db')), 'a wrong command line creates no database');
});

test('--help documents every role and date format', () => {
  const r = razem(['link', '--help']);
  assert.equal(r.status, 0);
  for (const role of ['id', 'given', 'surname', 'birth_surname', 'sex', 'birth', 'pesel', 'national_id', 'street',
    'street_number', 'address2', 'postcode', 'city', 'region', 'terc'])
    assert.match(r.out, new RegExp(`\\n  ${role} `));
  for (const f of ['YYYYMMDD', 'YYYY-MM-DD', 'DD.MM.YYYY', 'DD/MM/YYYY', 'DD-MM-YYYY']) assert.ok(r.out.includes(f), f);
});

test('FEBRL 1: F1 of 0.98 or better', { skip: existsSync(FEBRL) ? false : `${FEBRL} is absent` }, () => {
  const r = razem(['link', '--columns', FEBRL_SPEC, path.join(FEBRL, 'dataset1.csv')]);
  assert.equal(r.status, 0, r.err);
  const norm = (a, b) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const truth = new Set(readFileSync(path.join(FEBRL, 'truth/febrl1_true_pairs.csv'), 'utf8').trim().split('\n')
    .slice(1).map((l) => l.split(',').map((s) => s.trim())).map(([a, b]) => norm(a, b)));
  const found = new Set(pairs(r.out).map(([a, b]) => norm(a, b)));
  const tp = [...found].filter((p) => truth.has(p)).length;
  const precision = tp / found.size, recall = tp / truth.size;
  const f1 = (2 * precision * recall) / (precision + recall);
  assert.ok(f1 >= 0.98, `F1 ${f1.toFixed(4)} (precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)})`);
});
