/*
 * group.c — the committer: a mutex-protected FIFO, a condition variable
 * and one thread that drains it batch by batch (see group.h).
 */
#include "audit/group.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"

/*
 * Where a batch is written: the committer thread's connection, or a
 * worker's own (audit_group_local()).
 */
struct writer {
	struct db *db;
	struct audit_row *rows; /* room for a batch's rows (max_batch * AUDIT_READS_MAX) */
	int max_batch;
	int no_wait;            /* a worker's: never wait for another connection's lock */
};

#define COMMITTER_WAIT_MS 5000 /* how long the committer waits for another connection's lock */
#define BUSY (-2) /* commit_batch(): the database's write lock was taken (no_wait) */

/*
 * One write transaction at a time in the process: the committer and the
 * workers committing their own batches take turns here instead of waiting
 * on each other's database lock (SQLite's busy handler sleeps).
 */
static pthread_mutex_t write_mu = PTHREAD_MUTEX_INITIALIZER;

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct audit_group_job *head, *tail;
	int queued, max_queue, max_batch;
	atomic_int running; /* accepting jobs (set under mu, read without it) */
	int stopping; /* the thread leaves when the queue is empty */
	int started;  /* the thread exists */
	pthread_t thread;
	struct db *db;
	struct audit_row *rows; /* room for a batch's rows (max_batch * AUDIT_READS_MAX) */
	struct audit_group_stats stats;
} g = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, NULL,
	NULL, { 0, 0, 0, 0 } };

/*
 * begin_turn() takes write_mu and begins the write transaction: 0 (the
 * mutex held), or -1 (not held). It never waits for another connection's
 * lock while holding the mutex, or a loop waiting on the mutex would wait
 * for it too: a worker's writer gives up at once, the committer tries
 * again every millisecond for as long as the busy timeout would wait.
 */
static int begin_turn(const struct writer *wr)
{
	const struct timespec pause = { 0, 1000000 };
	int64_t until = clock_ms() + COMMITTER_WAIT_MS;

	for (;;) {
		pthread_mutex_lock(&write_mu);
		if (db_begin_now(wr->db) == 0)
			return 0;
		pthread_mutex_unlock(&write_mu);
		if (wr->no_wait || db_backend(wr->db) != DB_SQLITE || clock_ms() > until)
			return -1; /* PostgreSQL: not a lock taken, an error */
		nanosleep(&pause, NULL);
	}
}

/* commit_batch() writes the jobs from first (n of them, linked) in one transaction: 0, -1 or BUSY. */
static int commit_batch(const struct writer *wr, struct audit_group_job *first, int n)
{
	struct audit_group_job *j;
	int k, i, nrows = 0, rc = -1;

	for (j = first, k = 0; k < n; j = j->next, k++)
		for (i = 0; i < j->reads.n; i++)
			wr->rows[nrows++] = (struct audit_row){ &j->who, j->reads.r[i].action,
								j->reads.r[i].entity, j->reads.r[i].entity_id,
								j->reads.r[i].detail };
	if (begin_turn(wr) != 0)
		return wr->no_wait ? BUSY : -1;
	if (audit_write_rows(wr->db, wr->rows, nrows) != DB_OK)
		db_rollback(wr->db);
	else
		rc = db_commit(wr->db) == 0 ? 0 : -1;
	pthread_mutex_unlock(&write_mu);
	return rc;
}

/* finish() sets the outcome of n jobs from first and calls their done() (which may free them). */
static void finish(struct audit_group_job *first, int n, int rc)
{
	struct audit_group_job *j = first, *next;
	int k;

	pthread_mutex_lock(&g.mu);
	if (rc == 0) {
		g.stats.jobs += n;
		g.stats.batches++;
	} else {
		g.stats.failed += n;
	}
	pthread_mutex_unlock(&g.mu);
	for (k = 0; k < n; k++, j = next) {
		next = j->next;
		j->rc = rc;
		j->done(j);
	}
}

/*
 * hand_over() gives n jobs from first to the committer thread: a worker
 * found the write lock taken by another connection (another process
 * importing, say) and must not stall its loop waiting for it.
 */
static void hand_over(struct audit_group_job *first, int n)
{
	struct audit_group_job *j = first, *next;
	int k;

	for (k = 0; k < n; k++, j = next) {
		next = j->next;
		if (audit_group_submit(j) != 0) {
			log_error("reads not recorded: the audit committer's queue is full");
			j->next = NULL;
			finish(j, 1, -1);
		}
	}
}

static void run_batch(const struct writer *wr, struct audit_group_job *first, int n)
{
	struct audit_group_job *j, *next;
	int k, rc = commit_batch(wr, first, n);

	if (rc == 0) {
		finish(first, n, 0);
		return;
	}
	if (rc == BUSY) {
		hand_over(first, n);
		return;
	}
	if (n == 1) {
		log_error("reads not recorded: %s", db_errmsg(wr->db));
		finish(first, 1, -1);
		return;
	}
	/* one job (or the database) failed the batch: each on its own, so only the bad one fails */
	log_warn("a batch of %d read logs failed (%s); writing them one by one", n, db_errmsg(wr->db));
	pthread_mutex_lock(&g.mu);
	g.stats.split++;
	pthread_mutex_unlock(&g.mu);
	for (j = first, k = 0; k < n; k++, j = next) {
		next = j->next;
		j->next = NULL;
		rc = commit_batch(wr, j, 1);
		if (rc == 0) {
			finish(j, 1, 0);
		} else if (rc == BUSY) {
			hand_over(j, 1);
		} else {
			log_error("reads not recorded: %s", db_errmsg(wr->db));
			finish(j, 1, -1);
		}
	}
}

static void *committer_main(void *unused)
{
	const struct writer wr = { g.db, g.rows, g.max_batch, 0 }; /* it may wait: it is no event loop */

	(void)unused;
	for (;;) {
		struct audit_group_job *first, *last;
		int n = 0;

		pthread_mutex_lock(&g.mu);
		while (g.head == NULL && !g.stopping)
			pthread_cond_wait(&g.cv, &g.mu);
		if (g.head == NULL) { /* stopping and drained */
			pthread_mutex_unlock(&g.mu);
			return NULL;
		}
		first = last = g.head;
		for (n = 1; n < g.max_batch && last->next != NULL; n++)
			last = last->next;
		g.head = last->next;
		if (g.head == NULL)
			g.tail = NULL;
		g.queued -= n;
		last->next = NULL;
		pthread_mutex_unlock(&g.mu);
		run_batch(&wr, first, n);
	}
}

int audit_group_start(const char *db, int max_batch, int max_queue, char *err, size_t errlen)
{
	if (g.started) {
		snprintf(err, errlen, "the audit committer is already running");
		return -1;
	}
	max_batch = max_batch < 1 ? 1 : max_batch > 4096 ? 4096 : max_batch;
	g.rows = calloc((size_t)max_batch * AUDIT_READS_MAX, sizeof(*g.rows));
	if (g.rows == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (db_open(db, &g.db, err, errlen) != 0) {
		free(g.rows);
		g.rows = NULL;
		return -1;
	}
	pthread_mutex_lock(&g.mu);
	g.max_batch = max_batch;
	g.max_queue = max_queue < 1 ? 1 : max_queue;
	g.stopping = 0;
	g.running = 1;
	memset(&g.stats, 0, sizeof(g.stats));
	pthread_mutex_unlock(&g.mu);
	if (pthread_create(&g.thread, NULL, committer_main, NULL) != 0) {
		pthread_mutex_lock(&g.mu);
		g.running = 0;
		pthread_mutex_unlock(&g.mu);
		db_close(g.db);
		g.db = NULL;
		free(g.rows);
		g.rows = NULL;
		snprintf(err, errlen, "cannot start the audit committer thread");
		return -1;
	}
	g.started = 1;
	return 0;
}

int audit_group_running(void)
{
	return atomic_load(&g.running);
}

int audit_group_submit(struct audit_group_job *j)
{
	int ret = -1;

	j->next = NULL;
	j->rc = -1;
	pthread_mutex_lock(&g.mu);
	if (g.running && g.queued < g.max_queue) {
		if (g.tail != NULL)
			g.tail->next = j;
		else
			g.head = j;
		g.tail = j;
		g.queued++;
		pthread_cond_signal(&g.cv);
		ret = 0;
	}
	pthread_mutex_unlock(&g.mu);
	return ret;
}

void audit_group_stop(void)
{
	if (!g.started)
		return;
	pthread_mutex_lock(&g.mu);
	g.running = 0;
	g.stopping = 1;
	pthread_cond_broadcast(&g.cv);
	pthread_mutex_unlock(&g.mu);
	pthread_join(g.thread, NULL);
	g.started = 0;
	db_close(g.db);
	g.db = NULL;
	free(g.rows);
	g.rows = NULL;
}

/* This thread's own batch (audit_group_local()). */
static _Thread_local struct {
	struct writer wr;                 /* wr.db NULL: not enabled */
	struct audit_group_job *head, *tail;
	int queued;
	void (*queued_cb)(void *arg);
	void *arg;
} local;

int audit_group_local(struct db *db, int max_batch, void (*queued)(void *arg), void *arg)
{
	max_batch = max_batch < 1 ? 1 : max_batch > 4096 ? 4096 : max_batch;
	local.wr.rows = calloc((size_t)max_batch * AUDIT_READS_MAX, sizeof(*local.wr.rows));
	if (local.wr.rows == NULL)
		return -1;
	local.wr.db = db;
	local.wr.max_batch = max_batch;
	local.wr.no_wait = 1;
	local.queued_cb = queued;
	local.arg = arg;
	return 0;
}

int audit_group_defer(struct audit_group_job *j)
{
	if (local.wr.db == NULL || !atomic_load(&g.running))
		return -1;
	j->next = NULL;
	j->rc = -1;
	if (local.tail != NULL)
		local.tail->next = j;
	else
		local.head = j;
	local.tail = j;
	local.queued++;
	if (local.queued_cb != NULL)
		local.queued_cb(local.arg);
	return 0;
}

void audit_group_flush(void)
{
	while (local.head != NULL) {
		struct audit_group_job *first = local.head, *last = first;
		int n;

		for (n = 1; n < local.wr.max_batch && last->next != NULL; n++)
			last = last->next;
		local.head = last->next;
		if (local.head == NULL)
			local.tail = NULL;
		local.queued -= n;
		last->next = NULL;
		run_batch(&local.wr, first, n); /* done() may queue more: the loop takes them too */
	}
}

void audit_group_local_end(void)
{
	audit_group_flush();
	free(local.wr.rows);
	memset(&local, 0, sizeof(local));
}

void audit_group_stats(struct audit_group_stats *out)
{
	pthread_mutex_lock(&g.mu);
	*out = g.stats;
	pthread_mutex_unlock(&g.mu);
}
