/*
 * group.h — group commit of the read log (audit.h): one committer thread
 * with its own database connection writes the audit rows of many requests
 * in one transaction, so a read of personal data costs a share of a
 * commit instead of a whole one (on SQLite, one fsync-ordered write
 * transaction at a time for the whole process).
 *
 * A job is a request's read log and its actor, owned by its submitter;
 * every string in it must stay valid until done() has been called. The
 * committer takes whatever jobs are queued (at most max_batch) when the
 * previous commit ends, writes all their rows, commits, and then sets each
 * job's rc and calls its done() on the committer thread: rc 0 means the
 * rows are committed (durable), so the data may now be shown; -1 means
 * nothing of this job was written (do not show the data). A batch that
 * fails is written again job by job, so one bad job fails alone. No
 * artificial wait: under load a batch is what arrived during one commit,
 * so a request waits at most for the commit in progress and its own; with
 * nothing else queued a job is committed alone at once.
 */
#ifndef RAZEM_AUDIT_GROUP_H
#define RAZEM_AUDIT_GROUP_H

#include "audit/audit.h"

struct audit_group_job {
	struct audit_actor who;    /* as whom */
	struct audit_reads reads;  /* the rows (a copy of the request's log) */
	int rc;                    /* set before done(): 0 committed, -1 not written */
	void (*done)(struct audit_group_job *j); /* then this, on the committer thread */
	struct audit_group_job *next; /* queue link (the committer's) */
};

/*
 * audit_group_start() opens a connection to the database db (a db_open()
 * URL or path) and starts the committer: at most max_batch jobs per
 * transaction (1..4096), at most max_queue waiting. 0, or -1 with err set.
 */
int audit_group_start(const char *db, int max_batch, int max_queue, char *err, size_t errlen);

/* audit_group_running() is 1 while jobs are accepted. */
int audit_group_running(void);

/*
 * audit_group_submit() queues j. 0, or -1 when the queue is full or the
 * committer is not running (j is not used: write the log yourself or
 * answer "busy").
 */
int audit_group_submit(struct audit_group_job *j);

/*
 * audit_group_stop() stops taking jobs, commits those queued (each still
 * gets its done()), joins the thread and closes its connection.
 */
void audit_group_stop(void);

/*
 * A worker's own batch, on SQLite. There a commit appends to the WAL
 * without waiting for the disk (synchronous=NORMAL), so the thread
 * switches to and from the committer cost more than the commit: an event
 * loop thread instead defers the logs of the requests it handles in one
 * turn of its loop and commits them together, on its own connection,
 * before it polls again (so the answers leave in the same turn). Commits
 * of the workers and of the committer take turns on one mutex. On
 * PostgreSQL, where a commit waits for the server's fsync, the committer
 * thread keeps the loops free.
 *
 * audit_group_local() enables it on the calling thread with its
 * connection db (outside any transaction when audit_group_flush() runs);
 * queued(arg), if not NULL, is called on each job deferred (the loop
 * schedules its flush for the end of the turn): 0 or -1 (out of memory). audit_group_defer() queues j for this thread's
 * next flush: 0, or -1 when not enabled or the committer is stopped (then
 * audit_group_submit()). audit_group_flush() commits what this thread
 * queued (at most max_batch jobs a transaction, split on failure as the
 * committer does) and calls each job's done() on this thread; it never
 * waits for another connection's write lock (db_begin_now()): when the
 * lock is taken, the jobs go to the committer thread, which waits for it,
 * and their done() runs there.
 * audit_group_local_end() flushes and disables it.
 */
int audit_group_local(struct db *db, int max_batch, void (*queued)(void *arg), void *arg);
int audit_group_defer(struct audit_group_job *j);
void audit_group_flush(void);
void audit_group_local_end(void);

/* What the committer has done since it started (for tests and the log). */
struct audit_group_stats {
	long long jobs;    /* jobs committed */
	long long batches; /* transactions that committed them */
	long long failed;  /* jobs answered -1 */
	long long split;   /* batches that failed and were written job by job */
};
void audit_group_stats(struct audit_group_stats *out);

#endif
