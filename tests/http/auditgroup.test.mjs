// auditgroup.test.mjs — reads of personal data are recorded through the
// group commit (audit/group.h): many concurrent reads leave exactly one
// audit row each, and a read whose row cannot be committed shows no data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { freshDatabase, start, Client } from './lib.mjs';

const PG = (process.env.RAZEM_TEST_DB || 'sqlite') !== 'sqlite';
let db, srv, admin, api;

// sql() runs SQL on the test's database with its own command-line client; returns the output.
function sql(text) {
  const [cmd, args] = PG ? ['psql', [db.url, '-Atqc', text]] : ['sqlite3', [db.url, text]];
  return execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, PGOPTIONS: '--client-min-messages=warning' } }).trim();
}
const count = (action) => Number(sql(`SELECT COUNT(*) FROM audit_log WHERE action = '${action}'`));

// the database refuses audit rows of reads of users, as a full disk or a broken connection would
const REFUSE = PG
  ? `CREATE FUNCTION refuse_reads() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
       IF NEW.action IN ('user.read', 'user.list') THEN RAISE EXCEPTION 'refused by the test'; END IF;
       RETURN NEW; END $$;
     CREATE TRIGGER refuse_reads BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_reads()`
  : `CREATE TRIGGER refuse_reads BEFORE INSERT ON audit_log WHEN NEW.action IN ('user.read', 'user.list')
     BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`;
const ALLOW = PG ? 'DROP TRIGGER refuse_reads ON audit_log; DROP FUNCTION refuse_reads()'
  : 'DROP TRIGGER refuse_reads';

before(async () => {
  db = freshDatabase();
  srv = await start(db);
  admin = new Client(srv.base);
  await admin.signIn('admin');
  api = new Client(srv.base);
  await api.apiSignIn('admin');
});
after(async () => { await srv.stop(); db.cleanup(); });

function userId(login) {
  return Number(sql(`SELECT id FROM app_user WHERE login = '${login}'`));
}

test('N concurrent reads of a user leave exactly N audit rows, each for its user', async () => {
  const ids = ['pracownik', 'doradca', 'opiekun', 'koordynator'].map(userId);
  const before = count('user.read');
  const N = 80;
  const all = await Promise.all(Array.from({ length: N }, (_, i) =>
    i % 2 ? admin.get(`/admin/users/${ids[i % 4]}`) : api.get(`/api/v1/users/${ids[i % 4]}`)));
  for (const r of all) assert.equal(r.status, 200);
  assert.ok(all[1].text.includes('Damian Doradca'), 'the page shows the user');
  assert.equal(count('user.read'), before + N);
  for (const id of ids) {
    assert.equal(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'user.read' AND entity_id = '${id}' ` +
      `AND id > (SELECT COALESCE(MAX(id), 0) - ${N} FROM audit_log WHERE action = 'user.read')`)), N / 4);
  }
});

test('concurrent list reads leave one row each', async () => {
  const before = count('user.list');
  const N = 30;
  const all = await Promise.all(Array.from({ length: N }, () => admin.get('/admin/users')));
  for (const r of all) assert.equal(r.status, 200);
  assert.equal(count('user.list'), before + N);
});

test('a read whose audit row cannot be committed answers 500 and shows no data', async () => {
  const id = userId('doradca');
  const before = count('user.read');
  sql(REFUSE);
  try {
    const all = await Promise.all([
      admin.get(`/admin/users/${id}`), admin.get(`/admin/users/${id}`), api.get(`/api/v1/users/${id}`),
      admin.get('/admin/users'),
    ]);
    for (const r of all) {
      assert.equal(r.status, 500);
      assert.ok(!r.text.includes('Damian Doradca'), 'no name');
      assert.ok(!r.text.includes('doradca'), 'no login');
    }
    assert.match(all[0].text, /Coś poszło nie tak/);
    assert.equal(all[2].json.code, 'internal_error');
    // a page that reads no personal data is unaffected
    assert.equal((await admin.get('/')).status, 200);
  } finally {
    sql(ALLOW);
  }
  assert.equal(count('user.read'), before, 'nothing recorded, nothing shown');
  const r = await admin.get(`/admin/users/${id}`);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes('Damian Doradca'));
  assert.equal(count('user.read'), before + 1);
});
