/*
 * tests/unit/audit/group.c — the group commit of read logs (SQLite, and
 * PostgreSQL with RAZEM_TEST_PG_URL): jobs submitted from several threads
 * at once each get done() with rc 0 and exactly their rows in the audit
 * log, in fewer transactions than jobs when they arrive together; a job
 * whose row the database refuses fails alone (rc -1, nothing of it
 * written) while the others of its batch are written; nothing is accepted
 * when the committer is not running, and what is queued at the stop is
 * still committed; a thread's own batch (audit_group_local) is written
 * at its flush, on its thread, split the same way.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "audit/group.h"
#include "core/clock.h"
#include "core/log.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))

#define THREADS 4
#define PER_THREAD 60

/* A job and the test's wait for its done(). */
struct tjob {
	struct audit_group_job job;
	char id[16];
	int done;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ndone;

static void on_done(struct audit_group_job *j)
{
	struct tjob *t = (struct tjob *)(void *)j;

	pthread_mutex_lock(&mu);
	t->done = 1;
	ndone++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void wait_done(int n)
{
	pthread_mutex_lock(&mu);
	while (ndone < n)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
}

/* make() fills a job of one read (two when two is set) of user id as actor 7. */
static void make(struct tjob *t, const char *action, int id, int two)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->id, sizeof(t->id), "%d", id);
	t->job.who = (struct audit_actor){ .user_id = 7, .login = "ewa", .institution_id = 3,
					   .ip = "192.0.2.1" };
	t->job.done = on_done;
	assert_int_equal(audit_reads_add(&t->job.reads, action, "user", t->id, "name,email"), 0);
	if (two)
		assert_int_equal(audit_reads_add(&t->job.reads, "user.list", "user", NULL, "shown=1"), 0);
}

static void start(struct testdb *t)
{
	char err[512] = "";

	ndone = 0;
	if (audit_group_start(t->url, 16, 10000, err, sizeof(err)) != 0)
		fail_msg("cannot start the committer: %s", err);
	assert_int_equal(audit_group_running(), 1);
}

static struct tjob jobs[THREADS][PER_THREAD];

static void *submitter(void *arg)
{
	int k = (int)(intptr_t)arg, i;

	for (i = 0; i < PER_THREAD; i++) {
		make(&jobs[k][i], "user.read", k * 1000 + i, i % 5 == 0);
		if (audit_group_submit(&jobs[k][i].job) != 0)
			return (void *)1;
	}
	return NULL;
}

static void test_many(void **state)
{
	struct testdb *t = T(state);
	pthread_t th[THREADS];
	struct audit_group_stats st;
	int k, i;

	start(t);
	for (k = 0; k < THREADS; k++)
		assert_int_equal(pthread_create(&th[k], NULL, submitter, (void *)(intptr_t)k), 0);
	for (k = 0; k < THREADS; k++) {
		void *r;

		pthread_join(th[k], &r);
		assert_null(r);
	}
	wait_done(THREADS * PER_THREAD);
	for (k = 0; k < THREADS; k++)
		for (i = 0; i < PER_THREAD; i++) {
			assert_int_equal(jobs[k][i].done, 1);
			assert_int_equal(jobs[k][i].job.rc, 0);
		}
	audit_group_stats(&st);
	audit_group_stop();
	assert_int_equal(audit_group_running(), 0);
	assert_int_equal(st.jobs, THREADS * PER_THREAD);
	assert_int_equal(st.failed, 0);
	assert_int_equal(st.split, 0);
	assert_true(st.batches >= (THREADS * PER_THREAD) / 16 && st.batches <= THREADS * PER_THREAD);
	/* exactly one row per read: every job's user.read, and the second read of every fifth */
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.read'"),
			 THREADS * PER_THREAD);
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(DISTINCT entity_id) FROM audit_log WHERE "
					     "action = 'user.read'"),
			 THREADS * PER_THREAD);
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.list'"),
			 THREADS * PER_THREAD / 5);
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM audit_log WHERE user_id = 7 AND "
					     "login = 'ewa' AND institution_id = 3 AND ip = '192.0.2.1'"),
			 THREADS * PER_THREAD + THREADS * PER_THREAD / 5);
}

/* refuse() makes the database refuse audit rows of the action "test.refused". */
static void refuse(struct testdb *t)
{
	const char *sql =
		t->backend == DB_SQLITE
			? "CREATE TRIGGER refuse_test BEFORE INSERT ON audit_log WHEN NEW.action = "
			  "'test.refused' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
			: "CREATE FUNCTION refuse_test() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
			  "IF NEW.action = 'test.refused' THEN RAISE EXCEPTION 'refused by the test'; "
			  "END IF; RETURN NEW; END $$; CREATE TRIGGER refuse_test BEFORE INSERT ON "
			  "audit_log FOR EACH ROW EXECUTE FUNCTION refuse_test()";

	if (db_exec(t->db, sql) != 0)
		fail_msg("cannot create the trigger: %s", db_errmsg(t->db));
}

static void test_one_fails_alone(void **state)
{
	struct testdb *t = T(state);
	static struct tjob js[20];
	struct audit_group_stats st;
	int i;

	refuse(t);
	start(t);
	for (i = 0; i < 20; i++) {
		make(&js[i], i == 7 ? "test.refused" : "user.read", i, i == 7);
		assert_int_equal(audit_group_submit(&js[i].job), 0);
	}
	wait_done(20);
	for (i = 0; i < 20; i++)
		assert_int_equal(js[i].job.rc, i == 7 ? -1 : 0);
	audit_group_stats(&st);
	audit_group_stop();
	assert_int_equal(st.jobs, 19);
	assert_int_equal(st.failed, 1);
	assert_true(st.split <= 1); /* when the refused job came in a batch with others */
	/* nothing of the refused job, not even its second row; all of the others */
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.read'"), 19);
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM audit_log WHERE action <> 'user.read'"), 0);
}

static void test_all_fail(void **state)
{
	struct testdb *t = T(state);
	static struct tjob js[5];
	int i;

	refuse(t);
	start(t);
	for (i = 0; i < 5; i++) {
		make(&js[i], "test.refused", i, 0);
		assert_int_equal(audit_group_submit(&js[i].job), 0);
	}
	wait_done(5);
	for (i = 0; i < 5; i++)
		assert_int_equal(js[i].job.rc, -1);
	audit_group_stop();
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM audit_log"), 0);
}

static void test_not_running(void **state)
{
	struct testdb *t = T(state);
	static struct tjob js[50];
	struct tjob late;
	int i;

	make(&late, "user.read", 1, 0);
	assert_int_equal(audit_group_running(), 0);
	assert_int_equal(audit_group_submit(&late.job), -1);
	/* queued jobs are committed by the stop, each with its done() */
	start(t);
	for (i = 0; i < 50; i++) {
		make(&js[i], "user.read", i, 0);
		assert_int_equal(audit_group_submit(&js[i].job), 0);
	}
	audit_group_stop();
	assert_int_equal(ndone, 50);
	for (i = 0; i < 50; i++)
		assert_int_equal(js[i].job.rc, 0);
	assert_int_equal(audit_group_submit(&late.job), -1);
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM audit_log"), 50);
}

static int queued_calls;

static void on_queued(void *arg)
{
	(void)arg;
	queued_calls++;
}

/*
 * A thread's own batch (audit_group_local): nothing is written before the
 * flush, then every job of the batch in one transaction, on the caller's
 * thread and connection, the refused one failing alone; when not enabled,
 * or with the committer stopped, the jobs are not taken.
 */
static void test_local(void **state)
{
	struct testdb *t = T(state);
	static struct tjob js[30];
	struct audit_group_stats st;
	int i;

	refuse(t);
	start(t);
	make(&js[0], "user.read", 0, 0);
	assert_int_equal(audit_group_defer(&js[0].job), -1); /* not enabled on this thread */
	queued_calls = 0;
	assert_int_equal(audit_group_local(t->db, 16, on_queued, NULL), 0);
	for (i = 0; i < 30; i++) {
		make(&js[i], i == 11 ? "test.refused" : "user.read", i, i % 2);
		assert_int_equal(audit_group_defer(&js[i].job), 0);
	}
	assert_int_equal(queued_calls, 30);
	assert_int_equal(ndone, 0);
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM audit_log"), 0);
	audit_group_flush();
	assert_int_equal(ndone, 30); /* done() already ran, here */
	for (i = 0; i < 30; i++)
		assert_int_equal(js[i].job.rc, i == 11 ? -1 : 0);
	audit_group_stats(&st);
	assert_int_equal(st.jobs, 29);
	assert_int_equal(st.failed, 1);
	assert_int_equal(st.split, 1); /* the batch of 16 with the refused job, written one by one */
	assert_int_equal(st.batches, 1 + 15);
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.read'"), 29);
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.list'"), 14);
	audit_group_flush(); /* nothing left */
	assert_int_equal(ndone, 30);
	audit_group_stop();
	make(&js[0], "user.read", 0, 0);
	assert_int_equal(audit_group_defer(&js[0].job), -1); /* the committer stopped: the server is stopping */
	audit_group_local_end();
	start(t);
	assert_int_equal(audit_group_defer(&js[0].job), -1); /* ended on this thread */
	audit_group_stop();
}

/*
 * SQLite: a thread's own flush never waits for another connection's write
 * lock; its jobs go to the committer, which commits them once the lock is
 * free (done() then runs on the committer's thread).
 */
static void test_local_busy(void **state)
{
	struct testdb *t = T(state);
	static struct tjob js[3];
	struct db *other;
	int64_t t0;
	int i;

	if (t->backend != DB_SQLITE)
		return; /* PostgreSQL has no database-wide write lock */
	other = testdb_connect(t);
	start(t);
	assert_int_equal(audit_group_local(t->db, 16, NULL, NULL), 0);
	assert_int_equal(db_begin(other), 0); /* holds the write lock */
	for (i = 0; i < 3; i++) {
		make(&js[i], "user.read", i, 0);
		assert_int_equal(audit_group_defer(&js[i].job), 0);
	}
	t0 = clock_ms();
	audit_group_flush();
	assert_true(clock_ms() - t0 < 1000); /* not the busy timeout's 5 s */
	assert_int_equal(db_rollback(other), 0);
	wait_done(3);
	for (i = 0; i < 3; i++)
		assert_int_equal(js[i].job.rc, 0);
	audit_group_local_end();
	audit_group_stop();
	db_close(other);
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.read'"), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_one_fails_alone),
		cmocka_unit_test(test_all_fail),
		cmocka_unit_test(test_not_running),
		cmocka_unit_test(test_local),
		cmocka_unit_test(test_local_busy),
	};

	log_set_level(LOG_ERROR + 1);
	return TESTDB_RUN("audit_group", tests, 1);
}
