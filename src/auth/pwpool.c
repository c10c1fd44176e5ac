/*
 * pwpool.c — one mutex-protected FIFO and a condition variable. The
 * threads run at a lower scheduling priority (nice +5) so that, on a busy
 * machine, the event loops answering cheap requests win the CPU over a
 * burst of password checks.
 */
#include "auth/pwpool.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/log.h"

#define POOL_MAX_THREADS 16

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pwpool_job *head, *tail;
	int queued, max_queue;
	int running;   /* accepting jobs */
	int stopping;  /* threads leave when the queue is empty */
	int nthreads;
	pthread_t threads[POOL_MAX_THREADS];
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, 0, 0, 0, 0, { 0 } };

static void *pool_main(void *unused)
{
	(void)unused;
	/* per-thread on Linux: only this thread gets the lower priority */
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 5) != 0)
		log_debug("password pool: could not lower the thread priority");
	for (;;) {
		struct pwpool_job *j;

		pthread_mutex_lock(&pool.mu);
		while (pool.head == NULL && !pool.stopping)
			pthread_cond_wait(&pool.cv, &pool.mu);
		j = pool.head;
		if (j == NULL) { /* stopping and drained */
			pthread_mutex_unlock(&pool.mu);
			return NULL;
		}
		pool.head = j->next;
		if (pool.head == NULL)
			pool.tail = NULL;
		pool.queued--;
		pthread_mutex_unlock(&pool.mu);
		j->work(j->arg);
		j->done(j);
	}
}

int pwpool_start(int nthreads, int max_queue)
{
	int i;

	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > POOL_MAX_THREADS)
		nthreads = POOL_MAX_THREADS;
	pthread_mutex_lock(&pool.mu);
	pool.max_queue = max_queue;
	pool.stopping = 0;
	pool.running = 1;
	pthread_mutex_unlock(&pool.mu);
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&pool.threads[i], NULL, pool_main, NULL) != 0) {
			pool.nthreads = i;
			pwpool_stop();
			return -1;
		}
	}
	pool.nthreads = nthreads;
	return 0;
}

int pwpool_submit(struct pwpool_job *j)
{
	int ret = -1;

	j->next = NULL;
	pthread_mutex_lock(&pool.mu);
	if (pool.running && pool.queued < pool.max_queue) {
		if (pool.tail != NULL)
			pool.tail->next = j;
		else
			pool.head = j;
		pool.tail = j;
		pool.queued++;
		pthread_cond_signal(&pool.cv);
		ret = 0;
	}
	pthread_mutex_unlock(&pool.mu);
	return ret;
}

void pwpool_stop(void)
{
	int i;

	pthread_mutex_lock(&pool.mu);
	pool.running = 0;
	pool.stopping = 1;
	pthread_cond_broadcast(&pool.cv);
	pthread_mutex_unlock(&pool.mu);
	for (i = 0; i < pool.nthreads; i++)
		pthread_join(pool.threads[i], NULL);
	pool.nthreads = 0;
}
