/*
 * tests/unit/job/job.c — the job table and its runner on a migrated
 * database (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL): creation with
 * its audit row, claiming by several connections at once (each job exactly
 * once), progress and cancellation, the allowed state transitions,
 * recovery of jobs left running, expiry of result files, and running a
 * kind with job_run_claimed().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sys/stat.h>

#include "core/clock.h"
#include "core/log.h"
#include "job/job.h"
#include "../testdb.h"

/* Statements of the tests */
static const struct db_sql SQL_JOB_STATE = DB_SQL("SELECT state FROM job WHERE id = ?");
static const struct db_sql SQL_JOBS_QUEUED = DB_SQL("SELECT COUNT(*) FROM job WHERE state = 'queued'");
static const struct db_sql SQL_JOB_SET_LOST = DB_SQL("UPDATE job SET state = 'lost' WHERE id = ?");
static const struct db_sql SQL_JOB_HEARTBEAT_OLD =
	DB_SQL("UPDATE job SET heartbeat_at = '2000-01-01T00:00:00Z' WHERE id = ?");

#define T(state) ((struct testdb *)*(state))
#define NOW ((int64_t)1700000000)

static const struct audit_actor cli = { 0, "(cli:test)", 0, "local" };

static int64_t queue(struct db *db, const char *kind)
{
	int64_t id = 0;

	assert_int_equal(job_create(db, &cli, kind, "{\"n\":3}", &id), 0);
	assert_true(id > 0);
	return id;
}

static const char *state_of(struct db *db, int64_t id)
{
	static char s[16];
	struct db_stmt *st = db_query(db, &SQL_JOB_STATE, "i", id);

	assert_int_equal(db_step(st), DB_ROW);
	snprintf(s, sizeof(s), "%s", db_col_text(st, 0));
	db_reset(st);
	return s;
}

static void test_create(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct job j;
	int64_t id = queue(db, "export");

	assert_int_equal(job_get(db, a, id, &j), 0);
	assert_int_equal(j.state, JOB_QUEUED);
	assert_string_equal(j.kind, "export");
	assert_string_equal(j.params, "{\"n\":3}");
	assert_string_equal(j.login, "(cli:test)");
	assert_int_equal(j.user_id, 0);
	assert_null(j.started_at);
	assert_int_equal(job_get(db, a, id + 100, &j), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'job.create' "
				      "AND entity = 'job' AND login = '(cli:test)'"), 1);
	arena_free(a);
}

/* Claimers on their own connections take jobs until none is left. */
#define NJOBS 24
#define NCLAIMERS 4

struct claimer {
	const char *url;
	char name[16];
	int64_t ids[NJOBS];
	int n;
};

static void *claim_all(void *arg)
{
	struct claimer *c = arg;
	struct db *db = NULL;
	char err[256];

	if (db_open(c->url, &db, err, sizeof(err)) != 0)
		return NULL;
	for (;;) {
		struct arena *a = arena_new(1 << 20);
		struct job j;
		int64_t left = 0;
		int rc = job_claim(db, a, c->name, 0, &j);

		arena_free(a);
		if (rc == 0 && c->n < NJOBS) {
			c->ids[c->n++] = j.id;
			continue;
		}
		if (rc < 0)
			break;
		/* nothing won this time: stop only when nothing is queued */
		if (db_get_int(db, &left, &SQL_JOBS_QUEUED, NULL) != DB_ROW || left == 0)
			break;
	}
	db_close(db);
	return NULL;
}

static void test_claim_once(void **state)
{
	struct testdb *t = T(state);
	struct claimer c[NCLAIMERS];
	pthread_t th[NCLAIMERS];
	int seen[NJOBS + 1] = { 0 }, i, k, total = 0;
	int64_t first = 0;

	for (i = 0; i < NJOBS; i++) {
		int64_t id = queue(t->db, "export");

		if (i == 0)
			first = id;
	}
	for (i = 0; i < NCLAIMERS; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].url = t->url;
		snprintf(c[i].name, sizeof(c[i].name), "server%d", i);
		assert_int_equal(pthread_create(&th[i], NULL, claim_all, &c[i]), 0);
	}
	for (i = 0; i < NCLAIMERS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < NCLAIMERS; i++) {
		for (k = 0; k < c[i].n; k++) {
			int64_t slot = c[i].ids[k] - first;

			assert_true(slot >= 0 && slot < NJOBS);
			seen[slot]++;
			/* the row names the claimer that got it */
			assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM job WHERE state = 'running'") >= 1, 1);
		}
		total += c[i].n;
	}
	assert_int_equal(total, NJOBS);
	for (i = 0; i < NJOBS; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM job WHERE state = 'running' AND "
				      "server LIKE 'server%' AND started_at IS NOT NULL"), NJOBS);
	{
		struct arena *a = arena_new(1 << 20);
		struct job j;

		assert_int_equal(job_claim(t->db, a, "late", 0, &j), 1);
		arena_free(a);
	}
}

static void test_progress_and_cancel(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct job j, g;
	int64_t id = queue(db, "export");

	assert_int_equal(job_claim(db, a, "s1", id, &j), 0);
	assert_int_equal(j.state, JOB_RUNNING);
	assert_string_equal(j.server, "s1");
	assert_int_equal(job_set_progress(db, id, 10, 40), 0);
	assert_int_equal(job_get(db, a, id, &g), 0);
	assert_int_equal(g.done, 10);
	assert_int_equal(g.total, 40);
	/* cancelling a running job asks it to stop; the next report says so */
	assert_int_equal(job_cancel(db, &cli, id), 0);
	assert_string_equal(state_of(db, id), "running");
	assert_int_equal(job_set_progress(db, id, 11, 40), 1);
	assert_int_equal(job_finish(db, &j, JOB_CANCELLED, NULL, NULL), 0);
	assert_string_equal(state_of(db, id), "cancelled");
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE action IN "
				      "('job.cancel', 'job.cancelled')"), 2);
	/* a job no longer running takes no progress */
	assert_int_equal(job_set_progress(db, id, 12, 40), 1);
	arena_free(a);
}

static void test_transitions(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct job j;
	struct job_result res = { "job-x.csv", "x.csv", "text/csv", 10 };
	int64_t q = queue(db, "export"), r = queue(db, "export");

	/* queued → cancelled at once; then nothing more */
	assert_int_equal(job_cancel(db, &cli, q), 0);
	assert_string_equal(state_of(db, q), "cancelled");
	assert_int_equal(job_cancel(db, &cli, q), 1);
	assert_int_equal(job_claim(db, a, "s1", q, &j), 1);
	/* running → done; a second end is refused and leaves it done */
	assert_int_equal(job_claim(db, a, "s1", 0, &j), 0);
	assert_int_equal(j.id, r);
	assert_int_equal(job_set_progress(db, r, 3, 5), 0);
	assert_int_equal(job_finish(db, &j, JOB_DONE, &res, NULL), 0);
	assert_int_equal(job_finish(db, &j, JOB_FAILED, NULL, "late"), 1);
	assert_int_equal(job_get(db, a, r, &j), 0);
	assert_int_equal(j.state, JOB_DONE);
	assert_int_equal(j.done, 5); /* done means all of it */
	assert_string_equal(j.result_file, "job-x.csv");
	assert_int_equal(j.result_size, 10);
	assert_non_null(j.finished_at);
	assert_int_equal(job_cancel(db, &cli, r), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'job.done'"), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'job.failed'"), 0);
	/* the state is checked by the database too */
	assert_int_equal(db_run(db, &SQL_JOB_SET_LOST, "i", r), DB_CONSTRAINT);
	arena_free(a);
}

static void test_recover(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct job j;
	int64_t mine = queue(db, "export"), other = queue(db, "export"), fresh = queue(db, "export");
	int64_t now = clock_now();

	assert_int_equal(job_claim(db, a, "me:8080", mine, &j), 0);
	assert_int_equal(job_claim(db, a, "dead:8080", other, &j), 0);
	assert_int_equal(job_claim(db, a, "alive:8080", fresh, &j), 0);
	/* the dead server's job stopped beating an hour ago */
	assert_int_equal(db_run(db, &SQL_JOB_HEARTBEAT_OLD, "i", other), DB_OK);
	assert_int_equal(job_recover(db, "me:8080", now, 600), 2);
	assert_int_equal(job_get(db, a, mine, &j), 0);
	assert_int_equal(j.state, JOB_FAILED);
	assert_non_null(strstr(j.error, "server was stopped"));
	assert_int_equal(job_get(db, a, other, &j), 0);
	assert_int_equal(j.state, JOB_FAILED);
	assert_non_null(strstr(j.error, "stopped answering"));
	assert_string_equal(state_of(db, fresh), "running");
	assert_int_equal(job_recover(db, "me:8080", now, 600), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'job.failed'"), 2);
	arena_free(a);
}

static void test_expire(void **state)
{
	struct testdb *t = T(state);
	struct arena *a = arena_new(1 << 20);
	struct job j;
	struct job_result res = { "job-1.csv", "r.csv", "text/csv", 3 };
	char dir[80], path[160];
	FILE *f;
	int64_t id = queue(t->db, "export"), now = clock_now();
	struct stat sb;

	snprintf(dir, sizeof(dir), "/tmp/razem-jobs-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/job-1.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("a;b", f);
	fclose(f);
	assert_int_equal(job_claim(t->db, a, "s", id, &j), 0);
	assert_int_equal(job_finish(t->db, &j, JOB_DONE, &res, NULL), 0);
	/* kept for keep seconds after it finished */
	assert_int_equal(job_expire(t->db, dir, now + 100, 3600), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(job_expire(t->db, dir, now + 3700, 3600), 1);
	assert_int_equal(stat(path, &sb), -1);
	assert_int_equal(job_get(t->db, a, id, &j), 0);
	assert_null(j.result_file);
	assert_int_equal(j.state, JOB_DONE);
	assert_int_equal(job_expire(t->db, dir, now + 3700, 3600), 0);
	testdb_rmdir(dir);
	arena_free(a);
}

/* A kind that counts to 5, writing one line per step. */
static int count_run(struct job_ctx *ctx)
{
	const char *path = job_result_path(ctx, "count.txt", "text/plain");
	FILE *f = path != NULL ? fopen(path, "w") : NULL;
	int i;

	if (f == NULL)
		return -1;
	for (i = 1; i <= 5; i++) {
		fprintf(f, "%d\n", i);
		if (job_progress(ctx, i, 5) != 0) {
			fclose(f);
			return 1;
		}
	}
	fclose(f);
	return 0;
}

static int fail_run(struct job_ctx *ctx)
{
	job_fail(ctx, "The numbers ran out.");
	return -1;
}

/* cancel_run() cancels its own job through another connection, then reports. */
static int cancel_run(struct job_ctx *ctx)
{
	const char *path = job_result_path(ctx, "c.txt", "text/plain");
	FILE *f = path != NULL ? fopen(path, "w") : NULL;

	if (f != NULL)
		fclose(f);
	job_cancel(job_db(ctx), &cli, job_of(ctx)->id);
	return job_progress(ctx, 1, 1) != 0 ? 1 : 0;
}

static const struct job_kind count_kind = { "count", "Count", count_run };
static const struct job_kind fail_kind = { "fail", "Fail", fail_run };
static const struct job_kind cancel_kind = { "cancel", "Cancel", cancel_run };
static const struct job_kind *const kinds[] = { &count_kind, &fail_kind, &cancel_kind, NULL };

static int64_t reports;

static void on_progress(int64_t done, int64_t total, void *arg)
{
	(void)arg;
	assert_true(done <= total);
	reports++;
}

static void test_run(void **state)
{
	struct testdb *t = T(state);
	struct arena *a = arena_new(1 << 20);
	struct job_runner_opts o;
	struct job j;
	char dir[80], path[200];
	struct stat sb;
	int64_t id;

	snprintf(dir, sizeof(dir), "/tmp/razem-jobs-XXXXXX");
	assert_non_null(mkdtemp(dir));
	memset(&o, 0, sizeof(o));
	o.db_url = t->url;
	o.dir = dir;
	o.server = "unit";
	o.kinds = kinds;
	job_kinds_set(kinds);
	assert_string_equal(job_kind_label("count"), "Count");
	assert_string_equal(job_kind_label("nope"), "nope");

	id = queue(t->db, "count");
	assert_int_equal(job_claim(t->db, a, "unit", id, &j), 0);
	reports = 0;
	assert_int_equal(job_run_claimed(t->db, &o, &j, on_progress, NULL), JOB_DONE);
	assert_true(reports >= 1); /* throttled, but the last step is always written */
	assert_int_equal(job_get(t->db, a, id, &j), 0);
	assert_int_equal(j.state, JOB_DONE);
	assert_int_equal(j.done, 5);
	assert_int_equal(j.total, 5);
	assert_string_equal(j.result_name, "count.txt");
	assert_string_equal(j.result_type, "text/plain");
	assert_int_equal(j.result_size, 10);
	snprintf(path, sizeof(path), "%s/%s", dir, j.result_file);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 10);

	id = queue(t->db, "fail");
	assert_int_equal(job_claim(t->db, a, "unit", id, &j), 0);
	assert_int_equal(job_run_claimed(t->db, &o, &j, NULL, NULL), JOB_FAILED);
	assert_int_equal(job_get(t->db, a, id, &j), 0);
	assert_string_equal(j.error, "The numbers ran out.");

	id = queue(t->db, "cancel");
	assert_int_equal(job_claim(t->db, a, "unit", id, &j), 0);
	assert_int_equal(job_run_claimed(t->db, &o, &j, NULL, NULL), JOB_CANCELLED);
	assert_int_equal(job_get(t->db, a, id, &j), 0);
	assert_int_equal(j.state, JOB_CANCELLED);
	assert_null(j.result_file);
	snprintf(path, sizeof(path), "%s/job-%lld.txt", dir, (long long)id);
	assert_int_equal(stat(path, &sb), -1); /* a cancelled job leaves no file */

	id = queue(t->db, "unknown");
	assert_int_equal(job_claim(t->db, a, "unit", id, &j), 0);
	assert_int_equal(job_run_claimed(t->db, &o, &j, NULL, NULL), JOB_FAILED);
	testdb_rmdir(dir);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_claim_once),
		cmocka_unit_test(test_progress_and_cancel),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_recover),
		cmocka_unit_test(test_expire),
		cmocka_unit_test(test_run),
	};

	log_set_level(LOG_ERROR);
	return TESTDB_RUN("job", tests, 1);
}
