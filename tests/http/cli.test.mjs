// cli.test.mjs — the command line: exit statuses, one-line messages,
// nothing created or deleted when the command line is wrong, and
// `demo --reset` refusing a database that is not a demo one (on SQLite,
// and on PostgreSQL in a database of its own when RAZEM_TEST_DB is a URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from './lib.mjs';

const PG = process.env.RAZEM_TEST_DB && process.env.RAZEM_TEST_DB !== 'sqlite' ? process.env.RAZEM_TEST_DB : null;
let dir;
before(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'razem-cli-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

// razem() runs the binary in the temporary directory without RAZEM_* settings.
function razem(args, input = '') {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RAZEM_')));
  const r = spawnSync(path.resolve(BIN), args, { cwd: dir, env, input, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('a command that uses the database refuses to run without --db and creates no razem.db', () => {
  for (const args of [['demo'], ['user', 'add'], ['user', 'list'], ['institution', 'list'], ['serve'], ['migrate']]) {
    const r = razem(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.err, `razem ${args.join(' ')}: --db is required (or set db in razem.conf or RAZEM_DB)\n`);
  }
  assert.equal(existsSync(path.join(dir, 'razem.db')), false);
});

test('a wrong command line is refused before the database is opened', () => {
  let r = razem(['serve', '--listen', 'nonsense', '--db', 'x.db']);
  assert.equal(r.status, 2);
  assert.match(r.err, /^razem serve: --listen: expected ADDR:PORT/);
  assert.equal(r.err.split('\n').length, 2, 'one line');
  r = razem(['serve', '--listen', '127.0.0.1:99999', '--db', 'x.db']);
  assert.equal(r.status, 2);
  r = razem(['user', 'add', '--db', 'x.db']);
  assert.equal(r.status, 2);
  assert.match(r.err, /^razem user add: needs a LOGIN/);
  r = razem(['backup', '--db', 'x.db', 'copy.bak']);
  assert.equal(r.status, 1);
  assert.equal(r.err, 'razem backup: there is no database at x.db\n');
  r = razem(['user', 'frobnicate', '--db', 'x.db']);
  assert.equal(r.status, 2);
  assert.match(r.err, /unknown subcommand 'frobnicate' \(one of: add, passwd, disable, enable, unlock, list/);
  assert.equal(existsSync(path.join(dir, 'x.db')), false);
});

test('institution add lists the valid kinds and reports every field error at once', () => {
  let r = razem(['institution', 'add', '--db', 'i.db', '--kind', 'foo', '--name', 'X']);
  assert.equal(r.status, 2);
  assert.match(r.err, /--kind: unknown kind 'foo'; the kinds are: ops, mops, pcpr, .*, other\n/);
  r = razem(['institution', 'add', '--db', 'i.db', '--kind', 'ngo', '--name', 'X', '--regon', '123456786',
    '--nip', '1234563219']);
  assert.equal(r.status, 2);
  assert.match(r.err, /--regon: The REGON check digit/);
  assert.match(r.err, /--nip: The NIP check digit/);
  r = razem(['institution', 'add', '--db', 'i.db', '--kind', 'ngo', '--name', 'Fundacja', '--website', 'www.example.org']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^Created institution Fundacja \(number 1\)\.\n$/);
});

test('the top-level help is aligned and config prints durations as the file writes them', () => {
  const r = razem(['--help']);
  assert.equal(r.status, 0);
  const rows = r.out.split('\n').filter((l) => /^ {2}\S/.test(l));
  assert.ok(rows.length >= 10);
  const col = rows.map((l) => l.match(/^ {2}\S+(?: \S+)?\s+/)[0].length);
  assert.equal(new Set(col).size, 1, 'descriptions start in one column');
  assert.ok(rows.some((l) => l.startsWith('  user add ')));
  const c = razem(['config', '--session-idle', '1800', '--login-lock', '1']);
  assert.equal(c.status, 0);
  assert.match(c.out, /^session_idle = 30m$/m);
  assert.match(c.out, /^session_max = 12h$/m);
  assert.match(c.out, /^login_lock = 1s$/m);
});

// refusesReset() makes a real (non-demo) database at url, then checks demo --reset leaves it be.
function refusesReset(url, where) {
  let r = razem(['institution', 'add', '--db', url, '--kind', 'ops', '--name', 'Ośrodek Prawdziwy']);
  assert.equal(r.status, 0, r.err);
  // demo data is not added to it either (it would make the database "a demo one" for --reset)
  r = razem(['demo', '--db', url]);
  assert.equal(r.status, 1);
  assert.match(r.err, /already holds real data; refusing to add demo data to it/);
  r = razem(['demo', '--db', url, '--reset']);
  assert.equal(r.status, 1);
  assert.equal(r.err.trim().split('\n').length, 1, 'one line');
  assert.match(r.err, new RegExp(`^razem demo: ${where} is not a demo database \\(institutions: 1, users: 0\\); ` +
    '--reset deletes only a demo database or an empty one, so nothing was changed\\n$'));
  r = razem(['institution', 'list', '--db', url]);
  assert.equal(r.status, 0);
  assert.match(r.out, /Ośrodek Prawdziwy/, 'the institution survived');
  r = razem(['backup', '--db', url, path.join(dir, `audit-${Date.now()}.bak`)]);
  assert.equal(r.status, 0, 'the database still opens and copies');
}

test('demo --reset refuses a SQLite database that is not a demo one, and resets a demo one', () => {
  refusesReset(path.join(dir, 'real.db'), path.join(dir, 'real.db').replace(/[.\\/]/g, (m) => `\\${m}`));
  assert.ok(existsSync(path.join(dir, 'real.db')));
  let r = razem(['demo', '--db', 'demo.db']);
  assert.equal(r.status, 0);
  r = razem(['demo', '--db', 'demo.db', '--reset']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^Created the demo data/);
  r = razem(['demo', '--db', 'fresh.db', '--reset']);
  assert.equal(r.status, 0, 'a database that does not exist yet is fine');
  r = razem(['migrate', '--db', 'migrated.db']);
  assert.equal(r.status, 0);
  r = razem(['demo', '--db', 'migrated.db', '--reset']);
  assert.equal(r.status, 0, `a migrated database without any row is empty: ${r.err}`);
});

test('demo --reset refuses a PostgreSQL database that is not a demo one', { skip: !PG && 'RAZEM_TEST_DB is not PostgreSQL' }, () => {
  const name = `razem_cli_${process.pid}`;
  const url = PG.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  execFileSync('psql', [PG, '-qc', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
  try {
    refusesReset(url, url.replace(/[.\\/?]/g, (m) => `\\${m}`));
    // the same database, once it is a demo one, is reset
    execFileSync('psql', [url, '-qc', 'DROP SCHEMA public CASCADE; CREATE SCHEMA public'],
      { stdio: 'pipe', env: { ...process.env, PGOPTIONS: '--client-min-messages=warning' } });
    let r = razem(['demo', '--db', url, '--reset']);
    assert.equal(r.status, 0, r.err);
    r = razem(['demo', '--db', url, '--reset']);
    assert.equal(r.status, 0, r.err);
    assert.match(r.out, /^Created the demo data/);
  } finally {
    execFileSync('psql', [PG, '-qc', `DROP DATABASE ${name}`], { stdio: 'pipe' });
  }
});

test('config names duration bounds as durations, not seconds', () => {
  const r = razem(['config', '--session_idle', 'banana']);
  assert.equal(r.status, 2);
  assert.match(r.err, /session_idle: must be a duration like 30s, 15m, 12h or 7d, from 1s to 7d/);
  assert.doesNotMatch(r.err, /604800/);
});

test('user add and unlock: wrong values exit 2 with the option names, unlock tells what it did', () => {
  const db = path.join(dir, 'users.db');
  let r = razem(['institution', 'add', '--db', db, '--kind', 'ops', '--name', 'Ośrodek']);
  assert.equal(r.status, 0, r.err);
  // a password the policy refuses is a wrong value: exit 2, in neutral words
  r = razem(['user', 'add', 'jkowal', '--db', db, '--role', 'admin', '--institution', '1',
    '--name', 'Jan Kowalski'], 'Kowalski-Bardzo-Dlugie-9\n');
  assert.equal(r.status, 2, r.err);
  assert.match(r.err, /^razem user add: password: The password must not contain the person's first name or surname/);
  // the error names --role, the option there is
  r = razem(['user', 'add', 'jkowal', '--db', db, '--role', 'social_worker', '--role', 'labour_adviser',
    '--institution', '1'], 'Calkiem-Inne-Haslo-77\n');
  assert.equal(r.status, 2, r.err);
  assert.match(r.err, /^razem user add: --role: /);
  assert.doesNotMatch(r.err, /--roles/);
  r = razem(['user', 'add', 'jkowal', '--db', db, '--role', 'admin', '--institution', '1',
    '--name', 'Jan Kowalski'], 'Calkiem-Inne-Haslo-77\n');
  assert.equal(r.status, 0, r.err);
  r = razem(['user', 'unlock', 'jkowal', '--db', db]);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, 'Sign-in of jkowal was not locked; nothing to do.\n');
  r = razem(['user', 'unlock', 'nikt', '--db', db]);
  assert.equal(r.status, 1);
  assert.equal(r.err, "razem user unlock: there is no user with login 'nikt' (razem user list shows them)\n");
});
