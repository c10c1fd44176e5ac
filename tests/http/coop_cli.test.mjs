// coop_cli.test.mjs — `razem agreement list|show` and `razem report
// cooperation|duplicated-support` on the demo county: the agreements with
// their data categories, the state computed from the dates, the reports as
// text and CSV (the demo's duplicated support in 3050), usage errors (exit
// 2) and a missing agreement (exit 1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { BIN, freshDatabase } from './lib.mjs';

let db;
before(() => { db = freshDatabase(); });
after(() => db.cleanup());

function razem(args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RAZEM_')));
  const r = spawnSync(path.resolve(BIN), [...args, '--db', db.url], { env, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('agreement list and show: parties, state today, forms, data categories', () => {
  let r = razem(['agreement', 'list']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^ID +STATUS/);
  assert.match(r.out, /12 agreements\n$/);
  r = razem(['agreement', 'list', '--status', 'negotiating', '--format', 'csv']);
  assert.equal(r.status, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.equal(lines[0], 'id,status,duration,signed_on,valid_from,valid_to,parties,forms,subject');
  assert.equal(lines.length, 2);
  assert.match(lines[1], /,negotiating,.*Kalinowie/);
  r = razem(['agreement', 'show', '1']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /Status +signed \(in force today\)/);
  assert.match(r.out, /Data +.*identity/);
  assert.match(r.out, /Forms +information_exchange/);
  r = razem(['agreement', 'show', '999999']);
  assert.equal(r.status, 1);
  assert.match(r.err, /no agreement with that number/);
  for (const bad of [['agreement', 'show'], ['agreement', 'show', 'x'], ['agreement', 'list', '--status', 'expired'],
    ['agreement', 'list', '--format', 'xml'], ['agreement', 'list', '--party', '-1']]) {
    assert.equal(razem(bad).status, 2, bad.join(' '));
  }
  r = razem(['agreement', 'list', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.out, /--status/);
});

test('report cooperation: the county\'s centres with and without an agreement', () => {
  let r = razem(['report', 'cooperation', '--terc', '3050']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^3050 +ops +\d+ +\d+ +1 +1 /m, 'Kalinowo in negotiation, Zielonka Mała none');
  r = razem(['report', 'cooperation', '--format', 'csv']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^terc,unit,group,total,signed,negotiating,none,one_year,multi_year,indefinite\n/);
  assert.match(r.out, /^3050,[^,]*,ops,/m);
  assert.equal(razem(['report', 'cooperation', '--terc', '30x']).status, 2);
});

test('report duplicated-support: the year\'s overlaps by kind, small counts suppressed', () => {
  let r = razem(['report', 'duplicated-support', '--terc', '30', '--format', 'csv']);
  assert.equal(r.status, 0, r.err);
  const [head, ...rows] = r.out.trim().split('\n');
  assert.equal(head, 'terc,powiat,kind,overlaps,persons,cost_pln,suppressed');
  assert.ok(rows.length > 0, 'the demo has duplicated support this year');
  for (const row of rows) assert.match(row, /^3050,[^,]*,[a-z_]+,(\d+,\d+,\d+\.\d\d,0|,,,1)$/);
  r = razem(['report', 'duplicated-support', '--year', '2001']);
  assert.equal(r.status, 0);
  assert.match(r.out, /No duplicated support found in 2001/);
  assert.equal(razem(['report', 'duplicated-support', '--year', 'dwa']).status, 2);
  assert.equal(razem(['report', 'duplicated-support', 'extra']).status, 2);
});

test('evaluation: the table, csv, xlsx and json of the same call; suppression; usage', () => {
  let r = razem(['evaluation', '--terc', '3050']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^Evaluation of social contracts, TERC 3050, outcomes at follow_up \(counts under 5 suppressed\)/);
  const pairs = Number(/matched pairs: (\d+)/.exec(r.out)[1]);
  assert.ok(pairs >= 5, `the demo's earlier cohort is matched (${pairs} pairs)`);
  assert.match(r.out, /Balance of the covariates/);
  assert.match(r.out, /household_size +[\d.]+ +[\d.]+ +-?[\d.]+ +[\d.]+/);
  assert.match(r.out, /overall +employment +\d+ +\d+ +[\d.]+ +\d+ +[\d.]+ +-?[\d.]+ +\[-?[\d.]+, -?[\d.]+\]/);
  assert.match(r.out, /without a registry equivalent/);
  r = razem(['evaluation', '--terc', '3050', '--format', 'json']);
  assert.equal(r.status, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.matched, pairs);
  assert.equal(j.threshold, 5);
  const overall = j.outcomes.find((o) => o.county === null && o.outcome === 'employment');
  assert.equal(overall.pairs, pairs);
  assert.ok(overall.ci_low <= overall.difference && overall.difference <= overall.ci_high);
  r = razem(['evaluation', '--terc', '3050', '--format', 'csv']);
  assert.equal(r.status, 0, r.err);
  const lines = r.out.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'terc;outcome;pairs;treated_yes;treated_pct;comparison_yes;comparison_pct;difference_pp;ci_low_pp;ci_high_pp');
  assert.ok(lines.some((l) => l.startsWith(`overall;employment;${pairs};${overall.treated_yes};`)), lines.join('\n'));
  const file = path.join(db.dir, 'ev.xlsx');
  r = razem(['evaluation', '--terc', '3050', '--format', 'xlsx', '--out', file]);
  assert.equal(r.status, 0, r.err);
  assert.equal(readFileSync(file).subarray(0, 2).toString(), 'PK');
  // a threshold above every count: nothing but "suppressed" leaves
  r = razem(['evaluation', '--terc', '3050', '--small_count', '100']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /withheld: the matched pairs or the pool are fewer than 100/);
  assert.doesNotMatch(r.out, /overall +employment +\d/);
  assert.match(r.out, /overall +employment +fewer than the threshold/);
  r = razem(['evaluation', '--terc', '3050', '--small_count', '100', '--format', 'json']);
  assert.ok(JSON.parse(r.out).outcomes.every((o) => o.suppressed && o.pairs === undefined));
  // usage: exit 2
  assert.equal(razem(['evaluation', '--format', 'pdf']).status, 2);
  assert.equal(razem(['evaluation', '--terc', '30x']).status, 2);
  assert.equal(razem(['evaluation', '--point', 'later']).status, 2);
  assert.equal(razem(['evaluation', '--format', 'xlsx']).status, 2);
  assert.equal(razem(['evaluation', 'extra']).status, 2);
  r = razem(['evaluation', '--out', '/nonexistent/dir/x.txt']);
  assert.equal(r.status, 1);
});
