/*
 * tests/unit/auth/throttle.c — failed sign-in counting per key on a
 * migrated database (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL): the
 * lock on the failure that reaches the maximum and its exact end, the
 * counter starting again after a lock and after the window has passed,
 * independent keys, throttle_clear() and throttle_locked_count(); attempts
 * in flight (pending) told apart from failures, also in parallel; address
 * locks listed and lifted.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "auth/throttle.h"
#include "core/arena.h"
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
 * fail_one() counts one failed attempt the way sign-in does (reserve,
 * then fail); 1 when it set the lock, 0 when not, 2 when the key was
 * locked already, 3 when busy.
 */
static int fail_one(struct db *db, const char *key, int64_t now, const struct throttle_rule *r)
{
	int64_t n = 0, until = 0;
	int rc = throttle_reserve(db, key, now, r, &n, &until);

	if (rc != 0)
		return rc < 0 ? -1 : rc == 1 ? 2 : 3;
	if (throttle_fail(db, key, now, r, &n) != 0)
		return -1;
	return n >= r->max_failures;
}

static void test_lock(void **state)
{
	struct db *db = T(state)->db;
	int64_t until = 0;

	assert_int_equal(throttle_locked(db, "login:jan", NOW, &until), 0);
	assert_int_equal(until, 0);
	assert_int_equal(fail_one(db, "login:jan", NOW, &rule), 0);
	assert_int_equal(failures(db, "login:jan"), 1);
	assert_int_equal(fail_one(db, "login:jan", NOW + 10, &rule), 0);
	assert_int_equal(throttle_locked(db, "login:jan", NOW + 10, &until), 0);
	assert_int_equal(throttle_locked_count(db, NOW + 10), 0);
	assert_int_equal(fail_one(db, "login:jan", NOW + 20, &rule), 1);
	assert_int_equal(throttle_locked(db, "login:jan", NOW + 20, &until), 1);
	assert_int_equal(until, NOW + 20 + 900);
	assert_int_equal(throttle_locked(db, "login:jan", NOW + 919, &until), 1);
	assert_int_equal(throttle_locked(db, "login:jan", NOW + 920, &until), 0);
	assert_int_equal(throttle_locked_count(db, NOW + 20), 1);
	assert_int_equal(throttle_locked_count(db, NOW + 920), 0);
	/* the count of the lock stays to be shown, and starts again after the lock */
	assert_int_equal(failures(db, "login:jan"), 3);
	assert_int_equal(fail_one(db, "login:jan", NOW + 1000, &rule), 0);
	assert_int_equal(fail_one(db, "login:jan", NOW + 1001, &rule), 0);
	assert_int_equal(fail_one(db, "login:jan", NOW + 1002, &rule), 1);
	assert_int_equal(throttle_locked(db, "login:jan", NOW + 1003, &until), 1);
	assert_int_equal(until, NOW + 1002 + 900);
}

static void test_window(void **state)
{
	struct db *db = T(state)->db;
	int64_t until = 0;

	assert_int_equal(fail_one(db, "addr:10.0.0.1", NOW, &rule), 0);
	assert_int_equal(fail_one(db, "addr:10.0.0.1", NOW + 1, &rule), 0);
	/* the window (from the first failure) has passed: a fresh count */
	assert_int_equal(fail_one(db, "addr:10.0.0.1", NOW + 601, &rule), 0);
	assert_int_equal(failures(db, "addr:10.0.0.1"), 1);
	assert_int_equal(fail_one(db, "addr:10.0.0.1", NOW + 602, &rule), 0);
	assert_int_equal(throttle_locked(db, "addr:10.0.0.1", NOW + 602, &until), 0);
	/* still inside the new window: the third failure locks */
	assert_int_equal(fail_one(db, "addr:10.0.0.1", NOW + 1200, &rule), 1);
	assert_int_equal(throttle_locked(db, "addr:10.0.0.1", NOW + 1200, &until), 1);
	assert_int_equal(until, NOW + 2100);
}

static void test_keys_and_clear(void **state)
{
	struct db *db = T(state)->db;
	const struct throttle_rule one = { .max_failures = 1, .window = 60, .lock = 30 };
	int64_t until = 0;

	assert_int_equal(fail_one(db, "login:a", NOW, &rule), 0);
	assert_int_equal(fail_one(db, "login:b", NOW, &rule), 0);
	assert_int_equal(fail_one(db, "login:a", NOW, &rule), 0);
	assert_int_equal(failures(db, "login:a"), 2);
	assert_int_equal(failures(db, "login:b"), 1);
	assert_int_equal(throttle_clear(db, "login:a"), 0);
	assert_int_equal(failures(db, "login:a"), -1); /* row gone */
	assert_int_equal(failures(db, "login:b"), 1);
	assert_int_equal(throttle_clear(db, "login:nobody"), 0);
	/* a rule of one failure locks at once; clearing unlocks */
	assert_int_equal(fail_one(db, "login:c", NOW, &one), 1);
	assert_int_equal(fail_one(db, "login:d", NOW, &one), 1);
	assert_int_equal(throttle_locked_count(db, NOW), 2);
	assert_int_equal(throttle_locked(db, "login:c", NOW + 29, &until), 1);
	assert_int_equal(until, NOW + 30);
	assert_int_equal(throttle_clear(db, "login:c"), 0);
	assert_int_equal(throttle_locked(db, "login:c", NOW + 1, &until), 0);
	assert_int_equal(throttle_locked(db, "login:b", NOW + 1, &until), 0);
	assert_int_equal(throttle_locked_count(db, NOW + 1), 1);
}

static const struct db_sql SQL_THROTTLE_PENDING =
	DB_SQL("SELECT pending FROM auth_throttle WHERE key = ?");

static int64_t pending(struct db *db, const char *key)
{
	int64_t n = -1;

	if (db_get_int(db, &n, &SQL_THROTTLE_PENDING, "t", key) != DB_ROW)
		return -1;
	return n;
}

static void test_reserve(void **state)
{
	struct db *db = T(state)->db;
	int64_t n = 0, until = 0;

	/* three in flight fill the limit: the fourth is busy, not locked */
	assert_int_equal(throttle_reserve(db, "login:ola", NOW, &rule, &n, &until), 0);
	assert_int_equal(n, 0);
	assert_int_equal(throttle_reserve(db, "login:ola", NOW + 1, &rule, &n, &until), 0);
	assert_int_equal(throttle_reserve(db, "login:ola", NOW + 2, &rule, &n, &until), 0);
	assert_int_equal(pending(db, "login:ola"), 3);
	assert_int_equal(failures(db, "login:ola"), 0);
	assert_int_equal(throttle_reserve(db, "login:ola", NOW + 3, &rule, &n, &until), 2);
	assert_int_equal(throttle_locked(db, "login:ola", NOW + 3, &until), 0);
	/* two fail: not locked yet; the third fails and locks at its own time */
	assert_int_equal(throttle_fail(db, "login:ola", NOW + 3, &rule, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(throttle_fail(db, "login:ola", NOW + 3, &rule, &n), 0);
	assert_int_equal(throttle_locked(db, "login:ola", NOW + 3, &until), 0);
	assert_int_equal(throttle_fail(db, "login:ola", NOW + 4, &rule, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(pending(db, "login:ola"), 0);
	assert_int_equal(throttle_locked(db, "login:ola", NOW + 4, &until), 1);
	assert_int_equal(until, NOW + 4 + 900);
	until = 0;
	assert_int_equal(throttle_reserve(db, "login:ola", NOW + 5, &rule, &n, &until), 1);
	assert_int_equal(until, NOW + 4 + 900);
	assert_int_equal(failures(db, "login:ola"), 3); /* a refused attempt is not counted */
	assert_int_equal(throttle_state(db, "login:ola", NOW + 5, &n, &until), 1);
	assert_int_equal(n, 3);
	/* after the lock a fresh count */
	assert_int_equal(throttle_reserve(db, "login:ola", NOW + 904, &rule, &n, &until), 0);
	assert_int_equal(n, 0);
	assert_int_equal(throttle_state(db, "login:ola", NOW + 904, &n, &until), 0);
	assert_int_equal(until, 0);
	/* a success forgets the failures; an empty row goes */
	assert_int_equal(throttle_fail(db, "login:ola", NOW + 905, &rule, &n), 0);
	assert_int_equal(throttle_reserve(db, "login:ola", NOW + 906, &rule, &n, &until), 0);
	assert_int_equal(n, 1);
	assert_int_equal(throttle_succeed(db, "login:ola"), 0);
	assert_int_equal(failures(db, "login:ola"), -1);
	/* release gives a reservation back and keeps the failures */
	assert_int_equal(fail_one(db, "addr:x", NOW, &rule), 0);
	assert_int_equal(throttle_reserve(db, "addr:x", NOW, &rule, &n, &until), 0);
	assert_int_equal(pending(db, "addr:x"), 1);
	assert_int_equal(throttle_release(db, "addr:x"), 0);
	assert_int_equal(pending(db, "addr:x"), 0);
	assert_int_equal(failures(db, "addr:x"), 1);
	assert_int_equal(throttle_state(db, "addr:none", NOW, &n, &until), 0);
	assert_int_equal(n, 0);
}

/* reservations of a server that died mid-check stop counting after a minute */
static void test_pending_expires(void **state)
{
	struct db *db = T(state)->db;
	int64_t n = 0, until = 0;
	int i;

	for (i = 0; i < 3; i++)
		assert_int_equal(throttle_reserve(db, "login:zgubiony", NOW, &rule, &n, &until), 0);
	assert_int_equal(throttle_reserve(db, "login:zgubiony", NOW + 59, &rule, &n, &until), 2);
	assert_int_equal(throttle_reserve(db, "login:zgubiony", NOW + 61, &rule, &n, &until), 0);
	assert_int_equal(pending(db, "login:zgubiony"), 1);
	/* failures still count against the limit with attempts in flight */
	assert_int_equal(throttle_fail(db, "login:zgubiony", NOW + 61, &rule, &n), 0);
	assert_int_equal(fail_one(db, "login:zgubiony", NOW + 62, &rule), 0);
	assert_int_equal(throttle_reserve(db, "login:zgubiony", NOW + 63, &rule, &n, &until), 0);
	assert_int_equal(n, 2);
	assert_int_equal(throttle_reserve(db, "login:zgubiony", NOW + 63, &rule, &n, &until), 2);
	assert_int_equal(throttle_fail(db, "login:zgubiony", NOW + 64, &rule, &n), 0);
	assert_int_equal(throttle_reserve(db, "login:zgubiony", NOW + 65, &rule, &n, &until), 1);
}

/* address locks: counted apart from accounts, listed and lifted with an audit row */
static void test_address_locks(void **state)
{
	struct db *db = T(state)->db;
	const struct throttle_rule one = { .max_failures = 1, .window = 60, .lock = 300 };
	struct audit_actor who = { 0, "(cli:root)", 0, "local" };
	struct arena *a = arena_new(1 << 16);
	struct throttle_lock *l = NULL;
	int64_t until = 0;
	int n = -1;

	assert_int_equal(fail_one(db, "addr:192.0.2.7", NOW, &one), 1);
	assert_int_equal(fail_one(db, "addr:192.0.2.8", NOW + 1, &one), 1);
	assert_int_equal(fail_one(db, "login:kasia", NOW, &one), 1);
	assert_int_equal(throttle_locked_count(db, NOW + 2), 3);
	assert_int_equal(throttle_address_locked_count(db, NOW + 2), 2);
	assert_int_equal(throttle_address_locks(db, a, NOW + 2, 10, &l, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(l[0].address, "192.0.2.7");
	assert_int_equal(l[0].failures, 1);
	assert_int_equal(l[0].until, NOW + 300);
	assert_string_equal(l[1].address, "192.0.2.8");
	assert_int_equal(throttle_unlock_address(db, &who, "192.0.2.7", NOW + 2), 0);
	assert_int_equal(throttle_unlock_address(db, &who, "192.0.2.7", NOW + 2), 1);
	assert_int_equal(throttle_unlock_address(db, &who, "kasia", NOW + 2), 1);
	assert_int_equal(throttle_address_locked_count(db, NOW + 2), 1);
	assert_int_equal(throttle_locked(db, "login:kasia", NOW + 2, &until), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE action = "
					  "'throttle.unlock_address' AND entity_id = '192.0.2.7' AND "
					  "login = '(cli:root)'"),
			 1);
	/* the list ends at max; an expired lock is not listed */
	assert_int_equal(throttle_address_locks(db, a, NOW + 2, 0, &l, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(throttle_address_locks(db, a, NOW + 400, 10, &l, &n), 0);
	assert_int_equal(n, 0);
	arena_free(a);
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
	int i, went_on = 0, busy = 0;
	int64_t until = 0;

	for (i = 0; i < 12; i++) {
		r[i].t = T(state);
		r[i].result = -2;
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < 12; i++) {
		pthread_join(th[i], NULL);
		went_on += r[i].result == 0;
		busy += r[i].result == 2;
	}
	/* refused because the others are in flight, not locked: nothing failed */
	assert_int_equal(went_on, 3);
	assert_int_equal(busy, 9);
	assert_int_equal(throttle_locked(T(state)->db, "login:rownolegle", NOW, &until), 0);
	assert_int_equal(failures(T(state)->db, "login:rownolegle"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_keys_and_clear),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_reserve_parallel),
		cmocka_unit_test(test_pending_expires),
		cmocka_unit_test(test_address_locks),
	};

	log_set_level(LOG_ERROR + 1);
	return TESTDB_RUN("throttle", tests, 1);
}
