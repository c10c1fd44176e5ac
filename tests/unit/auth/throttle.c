/*
 * tests/unit/auth/throttle.c — failed sign-in counting per key on a
 * migrated database (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL): the
 * lock on the failure that reaches the maximum and its exact end, the
 * counter starting again after a lock and after the window has passed,
 * independent keys, throttle_clear() and throttle_locked_count().
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "auth/throttle.h"
#include "core/log.h"
#include "../testdb.h"

/* Statements of the tests */
static const struct db_sql SQL_THROTTLE_FAILURES =
	DB_SQL("SELECT failures FROM auth_throttle WHERE key = ?");

#define T(state) ((struct testdb *)*(state))
#define NOW ((int64_t)1700000000)

static const struct throttle_rule rule = { .max_failures = 3, .window = 600, .lock = 900 };

static int64_t failures(struct db *db, const char *key)
{
	int64_t n = -1;

	if (db_get_int(db, &n, &SQL_THROTTLE_FAILURES, "t", key) != DB_ROW)
		return -1;
	return n;
}

/*
 * throttle_fail() counts one failed attempt the way sign-in does
 * (throttle_reserve); 1 when it set the lock, 0 when not, 2 when the key
 * was locked already.
 */
static int throttle_fail(struct db *db, const char *key, int64_t now, const struct throttle_rule *r)
{
	int64_t n = 0, until = 0;
	int rc = throttle_reserve(db, key, now, r, &n, &until);

	if (rc != 0)
		return rc < 0 ? -1 : 2;
	return n >= r->max_failures;
}

static void test_lock(void **state)
{
	struct db *db = T(state)->db;
	int64_t until = 0;

	assert_int_equal(throttle_locked(db, "login:jan", NOW, &until), 0);
	assert_int_equal(until, 0);
	assert_int_equal(throttle_fail(db, "login:jan", NOW, &rule), 0);
	assert_int_equal(failures(db, "login:jan"), 1);
	assert_int_equal(throttle_fail(db, "login:jan", NOW + 10, &rule), 0);
	assert_int_equal(throttle_locked(db, "login:jan", NOW + 10, &until), 0);
	assert_int_equal(throttle_locked_count(db, NOW + 10), 0);
	assert_int_equal(throttle_fail(db, "login:jan", NOW + 20, &rule), 1);
	assert_int_equal(throttle_locked(db, "login:jan", NOW + 20, &until), 1);
	assert_int_equal(until, NOW + 20 + 900);
	assert_int_equal(throttle_locked(db, "login:jan", NOW + 919, &until), 1);
	assert_int_equal(throttle_locked(db, "login:jan", NOW + 920, &until), 0);
	assert_int_equal(throttle_locked_count(db, NOW + 20), 1);
	assert_int_equal(throttle_locked_count(db, NOW + 920), 0);
	/* the count of the lock stays to be shown, and starts again after the lock */
	assert_int_equal(failures(db, "login:jan"), 3);
	assert_int_equal(throttle_fail(db, "login:jan", NOW + 1000, &rule), 0);
	assert_int_equal(throttle_fail(db, "login:jan", NOW + 1001, &rule), 0);
	assert_int_equal(throttle_fail(db, "login:jan", NOW + 1002, &rule), 1);
	assert_int_equal(throttle_locked(db, "login:jan", NOW + 1003, &until), 1);
	assert_int_equal(until, NOW + 1002 + 900);
}

static void test_window(void **state)
{
	struct db *db = T(state)->db;
	int64_t until = 0;

	assert_int_equal(throttle_fail(db, "addr:10.0.0.1", NOW, &rule), 0);
	assert_int_equal(throttle_fail(db, "addr:10.0.0.1", NOW + 1, &rule), 0);
	/* the window (from the first failure) has passed: a fresh count */
	assert_int_equal(throttle_fail(db, "addr:10.0.0.1", NOW + 601, &rule), 0);
	assert_int_equal(failures(db, "addr:10.0.0.1"), 1);
	assert_int_equal(throttle_fail(db, "addr:10.0.0.1", NOW + 602, &rule), 0);
	assert_int_equal(throttle_locked(db, "addr:10.0.0.1", NOW + 602, &until), 0);
	/* still inside the new window: the third failure locks */
	assert_int_equal(throttle_fail(db, "addr:10.0.0.1", NOW + 1200, &rule), 1);
	assert_int_equal(throttle_locked(db, "addr:10.0.0.1", NOW + 1200, &until), 1);
	assert_int_equal(until, NOW + 2100);
}

static void test_keys_and_clear(void **state)
{
	struct db *db = T(state)->db;
	const struct throttle_rule one = { .max_failures = 1, .window = 60, .lock = 30 };
	int64_t until = 0;

	assert_int_equal(throttle_fail(db, "login:a", NOW, &rule), 0);
	assert_int_equal(throttle_fail(db, "login:b", NOW, &rule), 0);
	assert_int_equal(throttle_fail(db, "login:a", NOW, &rule), 0);
	assert_int_equal(failures(db, "login:a"), 2);
	assert_int_equal(failures(db, "login:b"), 1);
	assert_int_equal(throttle_clear(db, "login:a"), 0);
	assert_int_equal(failures(db, "login:a"), -1); /* row gone */
	assert_int_equal(failures(db, "login:b"), 1);
	assert_int_equal(throttle_clear(db, "login:nobody"), 0);
	/* a rule of one failure locks at once; clearing unlocks */
	assert_int_equal(throttle_fail(db, "login:c", NOW, &one), 1);
	assert_int_equal(throttle_fail(db, "login:d", NOW, &one), 1);
	assert_int_equal(throttle_locked_count(db, NOW), 2);
	assert_int_equal(throttle_locked(db, "login:c", NOW + 29, &until), 1);
	assert_int_equal(until, NOW + 30);
	assert_int_equal(throttle_clear(db, "login:c"), 0);
	assert_int_equal(throttle_locked(db, "login:c", NOW + 1, &until), 0);
	assert_int_equal(throttle_locked(db, "login:b", NOW + 1, &until), 0);
	assert_int_equal(throttle_locked_count(db, NOW + 1), 1);
}

static void test_reserve(void **state)
{
	struct db *db = T(state)->db;
	int64_t n = 0, until = 0;

	/* attempts 1..3 may go on, the third sets the lock; the fourth is refused */
	assert_int_equal(throttle_reserve(db, "login:ola", NOW, &rule, &n, &until), 0);
	assert_int_equal(n, 1);
	assert_int_equal(throttle_reserve(db, "login:ola", NOW + 1, &rule, &n, &until), 0);
	assert_int_equal(n, 2);
	assert_int_equal(throttle_locked(db, "login:ola", NOW + 1, &until), 0);
	assert_int_equal(throttle_reserve(db, "login:ola", NOW + 2, &rule, &n, &until), 0);
	assert_int_equal(n, 3);
	assert_int_equal(throttle_locked(db, "login:ola", NOW + 2, &until), 1);
	assert_int_equal(until, NOW + 2 + 900);
	until = 0;
	assert_int_equal(throttle_reserve(db, "login:ola", NOW + 3, &rule, &n, &until), 1);
	assert_int_equal(until, NOW + 2 + 900);
	assert_int_equal(failures(db, "login:ola"), 3); /* a refused attempt is not counted */
	assert_int_equal(throttle_state(db, "login:ola", NOW + 3, &n, &until), 1);
	assert_int_equal(n, 3);
	/* after the lock a fresh count */
	assert_int_equal(throttle_reserve(db, "login:ola", NOW + 902, &rule, &n, &until), 0);
	assert_int_equal(n, 1);
	assert_int_equal(throttle_state(db, "login:ola", NOW + 902, &n, &until), 0);
	assert_int_equal(until, 0);
	/* the window passed: a fresh count too */
	assert_int_equal(throttle_reserve(db, "login:ola", NOW + 1600, &rule, &n, &until), 0);
	assert_int_equal(n, 1);
	/* release gives one back and lifts a lock it set */
	assert_int_equal(throttle_reserve(db, "addr:x", NOW, &rule, &n, &until), 0);
	assert_int_equal(throttle_reserve(db, "addr:x", NOW, &rule, &n, &until), 0);
	assert_int_equal(throttle_reserve(db, "addr:x", NOW, &rule, &n, &until), 0);
	assert_int_equal(throttle_locked(db, "addr:x", NOW, &until), 1);
	assert_int_equal(throttle_release(db, "addr:x", &rule), 0);
	assert_int_equal(throttle_locked(db, "addr:x", NOW, &until), 0);
	assert_int_equal(failures(db, "addr:x"), 2);
	assert_int_equal(throttle_state(db, "addr:none", NOW, &n, &until), 0);
	assert_int_equal(n, 0);
}

struct racer {
	const struct testdb *t;
	int result;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct db *db = testdb_connect(r->t);
	int64_t n = 0, until = 0;

	r->result = throttle_reserve(db, "login:rownolegle", NOW, &rule, &n, &until);
	db_close(db);
	return NULL;
}

/* parallel attempts on separate connections (threads or servers alike): exactly max go on */
static void test_reserve_parallel(void **state)
{
	struct racer r[12];
	pthread_t th[12];
	int i, went_on = 0, refused = 0;

	for (i = 0; i < 12; i++) {
		r[i].t = T(state);
		r[i].result = -2;
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < 12; i++) {
		pthread_join(th[i], NULL);
		went_on += r[i].result == 0;
		refused += r[i].result == 1;
	}
	assert_int_equal(went_on, 3);
	assert_int_equal(refused, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_keys_and_clear),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_reserve_parallel),
	};

	log_set_level(LOG_ERROR + 1);
	return TESTDB_RUN("throttle", tests, 1);
}
