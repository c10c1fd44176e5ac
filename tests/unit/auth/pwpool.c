/*
 * tests/unit/auth/pwpool.c — the password work pool: every job runs and
 * gets its done() on a pool thread, the queue is bounded, pwpool_stop()
 * lets queued jobs finish and then refuses new ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "auth/pwpool.h"

static atomic_int worked, finished;
static atomic_int gate; /* jobs wait while 0 */
static pthread_t main_thread;
static atomic_int on_main;

static void work(void *arg)
{
	while (!atomic_load(&gate))
		usleep(1000);
	*(int *)arg = 1;
	atomic_fetch_add(&worked, 1);
}

static void done(struct pwpool_job *j)
{
	if (pthread_equal(pthread_self(), main_thread))
		atomic_fetch_add(&on_main, 1);
	(void)j;
	atomic_fetch_add(&finished, 1);
}

static void test_runs_all_then_stops(void **state)
{
	struct pwpool_job jobs[20];
	int results[20] = { 0 }, i;

	(void)state;
	main_thread = pthread_self();
	atomic_store(&gate, 1);
	assert_int_equal(pwpool_start(3, 64), 0);
	for (i = 0; i < 20; i++) {
		jobs[i].work = work;
		jobs[i].done = done;
		jobs[i].arg = &results[i];
		assert_int_equal(pwpool_submit(&jobs[i]), 0);
	}
	pwpool_stop(); /* drains the queue */
	assert_int_equal(atomic_load(&worked), 20);
	assert_int_equal(atomic_load(&finished), 20);
	assert_int_equal(atomic_load(&on_main), 0);
	for (i = 0; i < 20; i++)
		assert_int_equal(results[i], 1);
	assert_int_equal(pwpool_submit(&jobs[0]), -1); /* stopped */
}

static void test_bounded_queue(void **state)
{
	struct pwpool_job jobs[4];
	int results[4] = { 0 }, i;

	(void)state;
	atomic_store(&worked, 0);
	atomic_store(&finished, 0);
	atomic_store(&gate, 0); /* the one thread holds the first job */
	assert_int_equal(pwpool_start(1, 2), 0);
	for (i = 0; i < 4; i++) {
		jobs[i].work = work;
		jobs[i].done = done;
		jobs[i].arg = &results[i];
	}
	assert_int_equal(pwpool_submit(&jobs[0]), 0);
	usleep(50000); /* the thread takes jobs[0] and waits at the gate */
	assert_int_equal(pwpool_submit(&jobs[1]), 0);
	assert_int_equal(pwpool_submit(&jobs[2]), 0);
	assert_int_equal(pwpool_submit(&jobs[3]), -1); /* two waiting: full */
	atomic_store(&gate, 1);
	pwpool_stop();
	assert_int_equal(atomic_load(&finished), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_all_then_stops),
		cmocka_unit_test(test_bounded_queue),
	};

	return cmocka_run_group_tests_name("auth/pwpool", tests, NULL, NULL);
}
