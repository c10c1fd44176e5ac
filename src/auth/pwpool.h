/*
 * pwpool.h — a few threads that do password work (argon2id verifying and
 * hashing, ~70 ms each) off the HTTP event loops, with a bounded queue.
 *
 * A job is owned by its submitter. work() runs on a pool thread and must
 * touch no database connection and no thread-local state (language,
 * session cache); done() runs on the same pool thread right after, and is
 * where the submitter hands the result back to its own thread (the server
 * posts it to the worker's event loop). After pwpool_stop() no job is
 * running and none is taken.
 */
#ifndef RAZEM_AUTH_PWPOOL_H
#define RAZEM_AUTH_PWPOOL_H

struct pwpool_job {
	void (*work)(void *arg);            /* the slow part */
	void (*done)(struct pwpool_job *j); /* then this, on the pool thread */
	void *arg;
	struct pwpool_job *next;            /* queue link (the pool's) */
};

/* pwpool_start() starts nthreads threads (1..16) with room for max_queue waiting jobs; 0 or -1. */
int pwpool_start(int nthreads, int max_queue);

/*
 * pwpool_submit() queues j. Returns 0, or -1 when the queue is full or the
 * pool is not running (the caller answers "busy" at once; j is not used).
 */
int pwpool_submit(struct pwpool_job *j);

/*
 * pwpool_stop() lets the queued jobs finish (each still gets its done()),
 * then joins the threads. A no-op when not running.
 */
void pwpool_stop(void);

#endif
