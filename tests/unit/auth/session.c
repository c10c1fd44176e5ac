/*
 * tests/unit/auth/session.c — sessions and sign-in on a migrated database
 * (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL): the token hash, a
 * successful sign-in (login case and spaces, the session row, the audit
 * row, last sign-in, throttle cleared), each refusal with its audit
 * detail (wrong password, unknown login, inactive account, inactive
 * institution) and the throttle lock with retry_at, session_lookup() with
 * every field (roles, gmina and powiat, previous sign-in and failures
 * since), idle and absolute expiry deleting the row, the once-a-minute
 * touch, deactivation, session_end(), session_purge() and
 * session_count_user().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "auth/role.h"
#include "auth/session.h"
#include "auth/user.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "territory/territory.h"
#include "../testdb.h"

/* Statements of the tests */
static const struct db_sql SQL_ADD_INSTITUTION =
	DB_SQL("INSERT INTO institution (kind, name, name_fold, street, postcode, city, "
	       "terc, phone, email, created_at, updated_at) VALUES ('ops', 'GOPS', "
	       "'gops', 'Brzozowo 14', '99-310', 'Brzozowo', '3050022', '+48 1', "
	       "'g@example.pl', 'x', 'x') RETURNING id");
static const struct db_sql SQL_AUDIT_COUNT_ACTION =
	DB_SQL("SELECT COUNT(*) FROM audit_log WHERE action = ?");
static const struct db_sql SQL_AUDIT_COUNT_ACTION_DETAIL =
	DB_SQL("SELECT COUNT(*) FROM audit_log WHERE action = ? AND detail = ?");
static const struct db_sql SQL_SESSION_EXISTS =
	DB_SQL("SELECT 1 FROM session WHERE token_hash = ?");
static const struct db_sql SQL_INSTITUTIONS_OFF = DB_SQL("UPDATE institution SET active = 0");
static const struct db_sql SQL_INSTITUTIONS_ON = DB_SQL("UPDATE institution SET active = 1");
static const struct db_sql SQL_SESSION_LAST_SEEN =
	DB_SQL("SELECT last_seen_at FROM session WHERE token_hash = ?");
static const struct db_sql SQL_USERS_OFF = DB_SQL("UPDATE app_user SET active = 0");

#define T(state) ((struct testdb *)*(state))
#define PW "Secret-pass-1"

static const struct throttle_rule rule = { .max_failures = 3, .window = 600, .lock = 900 };
static const struct throttle_rule addr_rule = { .max_failures = 100, .window = 600, .lock = 900 };
static const struct session_limits lim = { .idle = 3600, .max = 8 * 3600 };

struct fixture {
	int64_t inst, user;
};

static struct fixture fixture(struct db *db, struct arena *a)
{
	static const struct territory_unit units[] = {
		{ "30", "WIELKOPOLSKIE", UNIT_VOIVODESHIP, NULL, 0 },
		{ "3050", "przykładowy", UNIT_POWIAT, "30", 1 },
		{ "3050022", "Brzozowo", UNIT_RURAL, "3050", 1 },
	};
	char hash[PASSWORD_HASH_MAX];
	struct fixture f;
	struct user u = { .login = "ewa", .full_name = "Ewa Nowak", .roles = ROLE_BIT(ROLE_ADMIN) |
									     ROLE_BIT(ROLE_ANALYST) };
	struct verrs v = VERRS_INIT;
	size_t i;

	for (i = 0; i < 3; i++)
		assert_int_equal(territory_put(db, &units[i]), DB_OK);
	assert_int_equal(db_get_int(db, &f.inst, &SQL_ADD_INSTITUTION, NULL),
			 DB_ROW);
	u.institution_id = f.inst;
	assert_int_equal(password_hash(PW, hash), 0);
	assert_int_equal(user_create(db, a, &u, hash, &f.user, &v), 0);
	return f;
}

static enum sign_in_result sign_in(struct db *db, struct arena *a, const char *login,
				   const char *pw, int64_t now, struct sign_in *s)
{
	memset(s, 0, sizeof(*s));
	s->login = login;
	s->password = pw;
	s->ip = "192.0.2.7";
	s->user_agent = "test-agent/1.0";
	s->throttle = &rule;
	s->throttle_addr = &addr_rule;
	s->limits = &lim;
	s->now = now;
	return session_sign_in(db, a, s);
}

/* audit_count() counts audit rows with action and detail (NULL = any). */
static int64_t audit_count(struct db *db, const char *action, const char *detail)
{
	int64_t n = -1;

	if (detail == NULL)
		assert_int_equal(db_get_int(db, &n, &SQL_AUDIT_COUNT_ACTION, "t", action),
				 DB_ROW);
	else
		assert_int_equal(db_get_int(db, &n, &SQL_AUDIT_COUNT_ACTION_DETAIL, "tt", action, detail),
				 DB_ROW);
	return n;
}

static void test_hash_token(void **state)
{
	char h[SESSION_HASH_LEN];

	(void)state;
	session_hash_token("abc", h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	session_hash_token("", h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_sign_in_and_lookup(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 22);
	struct fixture f = fixture(db, a);
	int64_t now = clock_now();
	struct sign_in s;
	struct session se;
	struct session_history hist;
	char hash[SESSION_HASH_LEN], first_at[CLOCK_ISO_LEN];
	struct user u;

	/* one wrong password first */
	assert_int_equal(sign_in(db, a, "ewa", "wrong", now, &s), SIGN_IN_BAD);
	assert_int_equal(s.user_id, f.user);
	assert_int_equal(s.institution_id, f.inst);
	assert_int_equal(audit_count(db, "session.login_failed", "wrong password"), 1);
	assert_int_equal(testdb_count(db, "SELECT failures FROM auth_throttle WHERE key = 'login:ewa'"), 1);
	assert_int_equal(testdb_count(db, "SELECT failures FROM auth_throttle WHERE key = "
					  "'addr:192.0.2.7'"),
			 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM session"), 0);

	/*
	 * The audit log has one-second resolution and counts failures from the
	 * second of the latest sign-in on: let the failure's second pass.
	 */
	while (clock_now() == now)
		usleep(50 * 1000);
	assert_int_equal(sign_in(db, a, "  EWA ", PW, now, &s), SIGN_IN_OK);
	assert_int_equal(strlen(s.token), SESSION_TOKEN_LEN - 1);
	assert_int_equal(s.user_id, f.user);
	assert_int_equal(session_count_user(db, f.user), 1);
	assert_int_equal(audit_count(db, "session.login", NULL), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE action = "
					  "'session.login' AND login = 'ewa' AND ip = '192.0.2.7' "
					  "AND user_id IS NOT NULL"),
			 1);
	/* the account's failures are forgotten, the address's are not */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM auth_throttle WHERE key = 'login:ewa'"), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM auth_throttle WHERE key = "
					  "'addr:192.0.2.7'"),
			 1);
	assert_int_equal(user_get(db, a, f.user, &u), 0);
	assert_non_null(u.last_login_at);
	/* only the hash is stored */
	session_hash_token(s.token, hash);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM session WHERE token_hash = 'x'"), 0);
	assert_int_equal(db_get_int(db, &(int64_t){ 0 }, &SQL_SESSION_EXISTS, "t", s.token),
			 DB_DONE);

	assert_int_equal(session_lookup(db, a, s.token, &lim, now + 5, &se), 0);
	assert_string_equal(se.token_hash, hash);
	assert_int_equal(strlen(se.csrf), SESSION_TOKEN_LEN - 1);
	assert_string_not_equal(se.csrf, s.token);
	assert_int_equal(se.user_id, f.user);
	assert_string_equal(se.login, "ewa");
	assert_string_equal(se.full_name, "Ewa Nowak");
	assert_int_equal(se.institution_id, f.inst);
	assert_string_equal(se.institution_name, "GOPS");
	assert_int_equal(se.roles, ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ANALYST));
	assert_int_equal(se.must_change_password, 0);
	assert_null(se.lang);
	/* the rest is read by the page that shows it */
	assert_int_equal(session_history(db, a, se.token_hash, &hist), 0);
	assert_null(hist.prev_login_at); /* the first sign-in */
	assert_null(hist.prev_login_ip);
	assert_int_equal(hist.failures_since, 1);
	clock_iso(now, first_at);
	assert_string_equal(hist.created_at, first_at);
	assert_int_equal(session_history(db, a, "no-such-hash", &hist), 1);

	/* the second sign-in reports the first one and no failures since */
	assert_int_equal(sign_in(db, a, "ewa", PW, now + 10, &s), SIGN_IN_OK);
	assert_int_equal(session_count_user(db, f.user), 2);
	assert_int_equal(session_lookup(db, a, s.token, &lim, now + 11, &se), 0);
	assert_int_equal(session_history(db, a, se.token_hash, &hist), 0);
	assert_non_null(hist.prev_login_at);
	assert_int_equal(strlen(hist.prev_login_at), 20);
	assert_string_equal(hist.prev_login_ip, "192.0.2.7");
	assert_int_equal(hist.failures_since, 0);
	arena_free(a);
}

static void test_refusals(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 22);
	struct fixture f = fixture(db, a);
	int64_t now = clock_now();
	struct sign_in s;

	assert_int_equal(sign_in(db, a, "nobody", PW, now, &s), SIGN_IN_BAD);
	assert_int_equal(s.user_id, 0);
	assert_int_equal(audit_count(db, "session.login_failed", "unknown login"), 1);
	assert_int_equal(sign_in(db, a, "", PW, now, &s), SIGN_IN_BAD);
	assert_int_equal(sign_in(db, a, NULL, NULL, now, &s), SIGN_IN_BAD);
	assert_int_equal(audit_count(db, "session.login_failed", "unknown login"), 3);
	assert_int_equal(sign_in(db, a, "ewa", NULL, now, &s), SIGN_IN_BAD);
	assert_int_equal(audit_count(db, "session.login_failed", "wrong password"), 1);

	assert_int_equal(user_set_active(db, f.user, 0), 0);
	assert_int_equal(sign_in(db, a, "ewa", PW, now, &s), SIGN_IN_BAD);
	assert_int_equal(audit_count(db, "session.login_failed", "inactive account"), 1);
	assert_int_equal(user_set_active(db, f.user, 1), 0);
	assert_int_equal(db_run(db, &SQL_INSTITUTIONS_OFF, NULL), DB_OK);
	assert_int_equal(throttle_clear(db, "login:ewa"), 0);
	assert_int_equal(sign_in(db, a, "ewa", PW, now, &s), SIGN_IN_BAD);
	assert_int_equal(audit_count(db, "session.login_failed", "inactive institution"), 1);
	assert_int_equal(db_run(db, &SQL_INSTITUTIONS_ON, NULL), DB_OK);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM session"), 0);
	assert_int_equal(throttle_clear(db, "login:ewa"), 0);
	assert_int_equal(sign_in(db, a, "ewa", PW, now, &s), SIGN_IN_OK);
	arena_free(a);
}

static void test_throttled(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 22);
	int64_t now = clock_now();
	struct sign_in s;

	fixture(db, a);
	assert_int_equal(sign_in(db, a, "ewa", "x1", now, &s), SIGN_IN_BAD);
	assert_int_equal(sign_in(db, a, "ewa", "x2", now + 1, &s), SIGN_IN_BAD);
	assert_int_equal(sign_in(db, a, "ewa", "x3", now + 2, &s), SIGN_IN_BAD); /* locks */
	assert_int_equal(sign_in(db, a, "ewa", PW, now + 3, &s), SIGN_IN_THROTTLED);
	assert_int_equal(s.retry_at, now + 2 + 900);
	assert_int_equal(audit_count(db, "session.login_throttled", "account locked"), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM session"), 0);
	/* another account from the same address is not locked */
	assert_int_equal(sign_in(db, a, "other", "x", now + 3, &s), SIGN_IN_BAD);
	/* after the lock the right password works */
	assert_int_equal(sign_in(db, a, "ewa", PW, now + 903, &s), SIGN_IN_OK);
	arena_free(a);
}

/* begin() starts a sign-in of login from one address, as the server does before the check. */
static enum sign_in_result begin(struct db *db, struct arena *a, const char *login, const char *pw,
				 int64_t now, struct sign_in *s)
{
	memset(s, 0, sizeof(*s));
	s->login = login;
	s->password = pw;
	s->ip = "192.0.2.7";
	s->throttle = &rule;
	s->throttle_addr = &addr_rule;
	s->limits = &lim;
	s->now = now;
	return session_sign_in_begin(db, a, s);
}

/*
 * Attempts in flight fill the limit but are no failures: more parallel
 * right passwords than the limit are answered busy, never locked, and
 * leave no throttled audit row; wrong ones in parallel lock after exactly
 * the limit.
 */
static void test_busy(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 22);
	int64_t now = clock_now();
	struct sign_in s[5];
	int i;

	fixture(db, a);
	for (i = 0; i < 3; i++)
		assert_int_equal(begin(db, a, "ewa", PW, now, &s[i]), SIGN_IN_VERIFY);
	assert_int_equal(begin(db, a, "ewa", PW, now, &s[3]), SIGN_IN_BUSY);
	/* one whose check could not start gives its place back */
	session_sign_in_cancel(db, &s[2]);
	assert_int_equal(begin(db, a, "ewa", PW, now, &s[2]), SIGN_IN_VERIFY);
	for (i = 0; i < 3; i++) {
		session_verify(&s[i]);
		assert_int_equal(session_sign_in_finish(db, a, &s[i]), SIGN_IN_OK);
	}
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM session"), 3);
	assert_int_equal(audit_count(db, "session.login_throttled", "account locked"), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM auth_throttle"), 0);
	/* wrong passwords in parallel: three go on, the others are busy, then it is locked */
	for (i = 0; i < 5; i++)
		assert_int_equal(begin(db, a, "ewa", "zle", now + 1, &s[i]), i < 3 ? SIGN_IN_VERIFY : SIGN_IN_BUSY);
	for (i = 0; i < 3; i++) {
		session_verify(&s[i]);
		assert_int_equal(session_sign_in_finish(db, a, &s[i]), SIGN_IN_BAD);
	}
	assert_int_equal(s[2].failures, 3);
	assert_int_equal(begin(db, a, "ewa", PW, now + 2, &s[0]), SIGN_IN_THROTTLED);
	assert_int_equal(s[0].retry_at, now + 1 + 900);
	assert_int_equal(audit_count(db, "session.login_failed", "wrong password"), 3);
	assert_int_equal(audit_count(db, "session.login_throttled", "account locked"), 1);
	arena_free(a);
}

/* lookup() is session_lookup() and the writes the server does after the page's read transaction. */
static int lookup(struct db *db, struct arena *a, const char *token, const struct session_limits *l,
		  int64_t now, struct session *out)
{
	int rc = session_lookup(db, a, token, l, now, out);

	if (rc == 0 && out->touch)
		assert_int_equal(session_touch(db, out->token_hash, now), 0);
	if (rc == 1 && out->dead)
		assert_int_equal(session_end(db, out->token_hash), 0);
	return rc;
}

static void test_expiry(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 22);
	struct fixture f = fixture(db, a);
	int64_t now = clock_now();
	struct sign_in s1, s2, s3;
	struct session se;
	char iso[CLOCK_ISO_LEN], seen[CLOCK_ISO_LEN];
	struct db_stmt *st;

	assert_int_equal(session_lookup(db, a, NULL, &lim, now, &se), 1);
	assert_int_equal(session_lookup(db, a, "short", &lim, now, &se), 1);
	assert_int_equal(session_lookup(db, a, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &lim, now, &se), 1);

	assert_int_equal(sign_in(db, a, "ewa", PW, now, &s1), SIGN_IN_OK);
	/* touched at most once a minute */
	assert_int_equal(lookup(db, a, s1.token, &lim, now + 30, &se), 0);
	st = db_query(db, &SQL_SESSION_LAST_SEEN, "t", se.token_hash);
	assert_int_equal(db_step(st), DB_ROW);
	snprintf(seen, sizeof(seen), "%s", db_col_text(st, 0));
	db_reset(st);
	clock_iso(now, iso);
	assert_string_equal(seen, iso);
	assert_int_equal(lookup(db, a, s1.token, &lim, now + 61, &se), 0);
	st = db_query(db, &SQL_SESSION_LAST_SEEN, "t", se.token_hash);
	assert_int_equal(db_step(st), DB_ROW);
	clock_iso(now + 61, iso);
	assert_string_equal(db_col_text(st, 0), iso);
	db_reset(st);
	/* idle for an hour since the last touch: gone, and the row deleted */
	assert_int_equal(lookup(db, a, s1.token, &lim, now + 61 + 3599, &se), 0);
	assert_int_equal(lookup(db, a, s1.token, &lim, now + 61 + 3599 + 3600, &se), 1);
	assert_int_equal(session_count_user(db, f.user), 0);

	/* the absolute limit, even when used all the time */
	assert_int_equal(sign_in(db, a, "ewa", PW, now, &s2), SIGN_IN_OK);
	assert_int_equal(lookup(db, a, s2.token, &lim, now + 3000, &se), 0);
	assert_int_equal(lookup(db, a, s2.token, &lim, now + 6000, &se), 0);
	assert_int_equal(lookup(db, a, s2.token, &lim, now + 9000, &se), 0);
	assert_int_equal(lookup(db, a, s2.token, &lim, now + 8 * 3600 - 1, &se), 1); /* idle */
	assert_int_equal(sign_in(db, a, "ewa", PW, now, &s2), SIGN_IN_OK);
	for (int64_t t = 3000; t < 8 * 3600; t += 3000)
		assert_int_equal(lookup(db, a, s2.token, &lim, now + t, &se), 0);
	assert_int_equal(lookup(db, a, s2.token, &lim, now + 8 * 3600, &se), 1);

	/* session_end() and deactivation */
	assert_int_equal(sign_in(db, a, "ewa", PW, now, &s3), SIGN_IN_OK);
	assert_int_equal(lookup(db, a, s3.token, &lim, now + 1, &se), 0);
	assert_int_equal(session_end(db, se.token_hash), 0);
	assert_int_equal(lookup(db, a, s3.token, &lim, now + 2, &se), 1);
	assert_int_equal(sign_in(db, a, "ewa", PW, now, &s3), SIGN_IN_OK);
	assert_int_equal(db_run(db, &SQL_USERS_OFF, NULL), DB_OK);
	assert_int_equal(lookup(db, a, s3.token, &lim, now + 2, &se), 1);
	assert_int_equal(session_count_user(db, f.user), 0);
	arena_free(a);
}

static void test_purge(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 22);
	struct fixture f = fixture(db, a);
	int64_t now = clock_now();
	struct sign_in s;

	assert_int_equal(sign_in(db, a, "ewa", PW, now - 4000, &s), SIGN_IN_OK); /* idle too long */
	assert_int_equal(sign_in(db, a, "ewa", PW, now - 100, &s), SIGN_IN_OK);
	assert_int_equal(sign_in(db, a, "ewa", PW, now, &s), SIGN_IN_OK);
	assert_int_equal(session_count_user(db, f.user), 3);
	assert_int_equal(session_purge(db, &lim, now), 1);
	assert_int_equal(session_count_user(db, f.user), 2);
	assert_int_equal(session_purge(db, &lim, now), 0);
	assert_int_equal(session_purge(db, &lim, now + 8 * 3600), 2);
	assert_int_equal(session_count_user(db, f.user), 0);
	assert_int_equal(session_count_user(db, f.user + 1), 0);
	arena_free(a);
}

static int setup_all(void **state)
{
	(void)state;
	return password_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_hash_token),
		cmocka_unit_test(test_sign_in_and_lookup),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_throttled),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_purge),
	};

	log_set_level(LOG_ERROR + 1);
	if (setup_all(NULL) != 0)
		return 1;
	return TESTDB_RUN("session", tests, 1);
}
