// pg_restart.test.mjs — a PostgreSQL restart under a running server: at
// most the first request after it fails; then /healthz and a signed-in
// page answer 200 again on every worker, without restarting razem (the
// connections notice the loss, reconnect and prepare their statements
// again). Needs RAZEM_TEST_PG_RESTART_CMD, a shell command that restarts
// the PostgreSQL server of RAZEM_TEST_DB; tests/run.sh sets it in its
// PostgreSQL stage. Skipped otherwise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { freshDatabase, start, Client } from './lib.mjs';

const RESTART = process.env.RAZEM_TEST_PG_RESTART_CMD;
const PG = (process.env.RAZEM_TEST_DB || 'sqlite').startsWith('postgres');
const skip = !PG ? 'needs RAZEM_TEST_DB=postgresql://...'
  : !RESTART ? 'needs RAZEM_TEST_PG_RESTART_CMD (tests/run.sh sets it in the pg stage)' : false;

let db, srv;
before(async () => {
  if (skip) return;
  db = freshDatabase();
  srv = await start(db);
});
after(async () => {
  if (skip) return;
  await srv.stop();
  db.cleanup();
});

test('after a PostgreSQL restart the server answers again', { skip }, async () => {
  const c = new Client(srv.base);
  await c.signIn('admin');
  let r = await c.get('/admin/users');
  assert.equal(r.status, 200);
  assert.match(r.text, /doradca/);

  execSync(RESTART, { stdio: 'pipe', shell: '/bin/sh' });

  // the first request may still fail (cleanly), never hang or crash
  r = await c.get('/healthz');
  assert.ok([200, 500, 503].includes(r.status), `first status ${r.status}`);
  // then every worker (the test server has two) answers again
  for (let i = 0; i < 6; i++) {
    r = await c.get('/healthz');
    assert.equal(r.status, 200, `healthz #${i}: ${r.text}`);
    assert.equal(r.json.status, 'ok');
    r = await c.get('/admin/users');
    assert.equal(r.status, 200, `users page #${i}`);
    assert.match(r.text, /doradca/);
  }
  assert.equal(srv.proc.exitCode, null);
  assert.match(srv.log.text, /reconnected to PostgreSQL/);
});
