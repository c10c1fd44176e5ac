/*
 * tests/unit/auth/throttle.c — failed sign-in counting per key on a
 * migrated database (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL): the
 * lock on the failure that reaches the maximum and its exact end, the
 * counter starting again after a lock and after the window has passed,
 * independent keys, throttle_clear() and throttle_locked_count().
 */
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
	/* the count starts again after a lock */
	assert_int_equal(failures(db, "login:jan"), 0);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_keys_and_clear),
	};

	log_set_level(LOG_ERROR + 1);
	return TESTDB_RUN("throttle", tests, 1);
}
