// person_cli.test.mjs — razem person search | show: the registry's search and
// read on the command line go through the access policy and the audit log
// like the pages (ranked hits, another institution's person refused with
// its reason, every read recorded), and a wrong command line exits 2.
// SQLite only: the persons are put in with the sqlite3 tool (skipped
// without it, and on PostgreSQL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from './lib.mjs';

const PG = process.env.RAZEM_TEST_DB && process.env.RAZEM_TEST_DB !== 'sqlite';
const SQLITE3 = spawnSync('sqlite3', ['-version']).status === 0;
const skip = PG ? 'the persons are put in with sqlite3: SQLite only'
  : !SQLITE3 ? 'no sqlite3 tool' : false;
let dir, db;

function razem(args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RAZEM_')));
  const r = spawnSync(path.resolve(BIN), args, { cwd: dir, env, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

function sql(text) {
  const r = spawnSync('sqlite3', [db, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

before(() => {
  if (skip) return;
  dir = mkdtempSync(path.join(os.tmpdir(), 'razem-person-cli-'));
  db = path.join(dir, 'p.db');
  assert.equal(razem(['institution', 'add', '--kind', 'mops', '--name', 'MOPS A', '--db', db]).status, 0);
  assert.equal(razem(['institution', 'add', '--kind', 'ops', '--name', 'GOPS B', '--db', db]).status, 0);
  sql(`INSERT INTO person (institution_id, first_names, surname, surname_fold, first_fold, birth_date,
         town, town_fold, created_at, updated_at) VALUES
       (1, 'Anna', 'Kowalska', 'kowalska', 'anna', '1980-01-01', 'Brzozowo', 'brzozowo', 'x', 'x'),
       (1, 'Jan', 'Kowalski', 'kowalski', 'jan', '1981-01-01', NULL, NULL, 'x', 'x'),
       (1, 'Łukasz', 'Kowal', 'kowal', 'lukasz', '1982-01-01', NULL, NULL, 'x', 'x'),
       (2, 'Ewa', 'Kowalczyk', 'kowalczyk', 'ewa', '1983-01-01', NULL, NULL, 'x', 'x')`);
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

test('person search ranks the whole surname first and shows only the institution\'s persons', { skip }, () => {
  const r = razem(['person', 'search', 'kowal', '--institution', '1', '--db', db]);
  assert.equal(r.status, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.match(lines[0], /^RANK\s+MATCHED\s+ID\s+SURNAME/);
  assert.match(lines[1], /^0\s+surname\s+3\s+Kowal\s+Łukasz\s+1982-01-01/);
  assert.match(lines[2], /^1\s+surname\s+1\s+Kowalska\s+Anna\s+1980-01-01\s+Brzozowo/);
  assert.match(lines[3], /^1\s+surname\s+2\s+Kowalski\s+Jan/);
  assert.match(lines[4], /^3 of 3 persons; search [0-9.]+ ms \(best of 1\)/);
  assert.equal(lines.length, 5);
  // folded: LUKASZ finds Łukasz
  const l = razem(['person', 'search', 'LUKASZ', '--institution', '1', '--db', db]);
  assert.match(l.out, /\n2\s+first_names\s+3\s+Kowal\s+Łukasz/);
  // the search is recorded: who (the command line), which ids
  assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'person.list' AND login LIKE '(cli:%' " +
    "AND detail LIKE 'shown=3 total=3 ids=3,1,2%'"), '1');
});

test('person show reads one person under the policy; another institution\'s is refused and recorded', { skip }, () => {
  let r = razem(['person', 'show', '1', '--institution', '1', '--db', db]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^1\tAnna Kowalska\n/);
  assert.match(r.out, /\ninstitution\tMOPS A\n/);
  r = razem(['person', 'show', '4', '--institution', '1', '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.err, /^razem person show: refused \(other_institution\): /);
  r = razem(['person', 'show', '99', '--institution', '1', '--db', db]);
  assert.equal(r.status, 1);
  assert.equal(r.err, 'razem person show: there is no person number 99\n');
  assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'person.read' AND entity_id = '1'"), '1');
  assert.equal(sql("SELECT detail FROM audit_log WHERE action = 'person.read_denied' AND entity_id = '4'"),
    'reason=other_institution purpose=casework');
});

test('a wrong person command line exits 2 before reading anything', { skip }, () => {
  let r = razem(['person', 'search', 'kowal', '--db', db]);
  assert.equal(r.status, 2);
  assert.match(r.err, /^razem person search: needs --institution ID/);
  r = razem(['person', 'search', 'kowal', '--institution', 'x', '--db', db]);
  assert.equal(r.status, 2);
  r = razem(['person', 'search', 'kowal', '--institution', '1', '--limit', '500', '--db', db]);
  assert.equal(r.status, 2);
  assert.match(r.err, /--limit takes 1 to 100/);
  r = razem(['person', 'show', 'one', '--institution', '1', '--db', db]);
  assert.equal(r.status, 2);
});
