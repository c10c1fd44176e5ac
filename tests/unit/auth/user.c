/*
 * tests/unit/auth/user.c — user accounts on a migrated database (SQLite,
 * and PostgreSQL with RAZEM_TEST_PG_URL): validation and normalisation,
 * create and read back (by id and by login, with the hash), refusals
 * (login taken, no such institution) also inside a caller's transaction,
 * update of name, e-mail, institution and roles, (de)activation ending
 * sessions, password change keeping one session, language, last sign-in,
 * counts, and the user list (search on folded names, role filter, roles
 * joined in code order).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "auth/throttle.h"
#include "auth/user.h"
#include "core/arena.h"
#include "core/log.h"
#include "../testdb.h"

/* Statements of the tests */
static const struct db_sql SQL_ADD_INSTITUTION =
	DB_SQL("INSERT INTO institution (kind, name, name_fold, created_at, "
	       "updated_at) VALUES ('ops', ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_ADD_SESSION =
	DB_SQL("INSERT INTO session (token_hash, user_id, csrf_token, created_at, "
	       "last_seen_at, expires_at) VALUES (?, ?, 'c', ?, ?, ?)");

#define T(state) ((struct testdb *)*(state))
#define TS "2024-01-01T00:00:00Z"

static int64_t add_inst(struct db *db, const char *name, const char *fold)
{
	int64_t id = 0;

	assert_int_equal(db_get_int(db, &id, &SQL_ADD_INSTITUTION, "tttt", name, fold, TS, TS),
			 DB_ROW);
	assert_true(id > 0);
	return id;
}

static void add_session(struct db *db, const char *hash, int64_t user)
{
	assert_int_equal(db_run(db, &SQL_ADD_SESSION, "titt" "t", hash, user, TS, TS, TS),
			 DB_OK);
}

/* make() validates and creates a user; returns its id. */
static int64_t make(struct db *db, struct arena *a, const char *login, const char *name,
		    int64_t inst, unsigned roles)
{
	struct user u = { .login = login, .full_name = name, .institution_id = inst, .roles = roles };
	struct verrs v = VERRS_INIT;
	int64_t id = 0;

	assert_int_equal(user_validate(&u, a, &v), 0);
	assert_int_equal(user_create(db, a, &u, "$argon2id$fake-hash", &id, &v), 0);
	assert_int_equal(v.n, 0);
	assert_true(id > 0);
	return id;
}

static void test_validate(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct user u = { .login = "  Jan.Kowalski_2 ", .full_name = "  Jan Kowalski ",
			  .email = " jan@example.pl ", .institution_id = 3,
			  .roles = ROLE_BIT(ROLE_ANALYST) };
	struct verrs v = VERRS_INIT;
	char name[210];

	(void)state;
	assert_int_equal(user_validate(&u, a, &v), 0);
	assert_string_equal(u.login, "jan.kowalski_2");
	assert_string_equal(u.full_name, "Jan Kowalski");
	assert_string_equal(u.email, "jan@example.pl");

	u = (struct user){ .login = "   ", .full_name = "", .email = "  ", .institution_id = 0,
			   .roles = 1u << ROLE__MAX };
	assert_int_equal(user_validate(&u, a, &v), 4);
	assert_string_equal(v.e[0].field, "login");
	assert_string_equal(v.e[0].code, "required");
	assert_string_equal(v.e[1].field, "full_name");
	assert_string_equal(v.e[2].field, "institution_id");
	assert_string_equal(v.e[3].field, "roles");
	assert_null(u.email); /* blank is none */
	assert_null(u.login);

	memset(name, 'x', sizeof(name) - 1);
	name[200] = '\0';
	v.n = 0;
	u = (struct user){ .login = "a", .full_name = name, .email = "no-at-sign", .institution_id = 1,
			   .roles = ROLE_BIT(ROLE_ADMIN) };
	assert_int_equal(user_validate(&u, a, &v), 2);
	assert_string_equal(v.e[0].code, "invalid");
	assert_string_equal(v.e[1].field, "email");
	name[200] = 'x';
	name[201] = '\0';
	v.n = 0;
	u = (struct user){ .login = "żaba", .full_name = name, .email = "a b@c.pl", .institution_id = 1,
			   .roles = ROLE_BIT(ROLE_ADMIN) };
	assert_int_equal(user_validate(&u, a, &v), 3);
	assert_string_equal(v.e[0].field, "login");
	assert_string_equal(v.e[1].field, "full_name");
	assert_string_equal(v.e[1].code, "too_long");
	assert_string_equal(v.e[2].field, "email");
	v.n = 0;
	u = (struct user){ .login = "jan kowalski", .full_name = "J", .institution_id = 1,
			   .roles = ROLE_BIT(ROLE_ADMIN) };
	assert_int_equal(user_validate(&u, a, &v), 1);
	v.n = 0;
	memset(name, 'a', 65);
	name[65] = '\0';
	u = (struct user){ .login = name, .full_name = "J", .institution_id = 1, .roles = 1 };
	assert_int_equal(user_validate(&u, a, &v), 1);
	name[64] = '\0';
	v.n = 0;
	u = (struct user){ .login = name, .full_name = "J", .institution_id = 1, .roles = 1 };
	assert_int_equal(user_validate(&u, a, &v), 0);
	arena_free(a);
}

static void test_create_get(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	int64_t inst = add_inst(db, "GOPS Dębina", "gops debina"), id = 0;
	struct user u = { .login = "jan", .full_name = "Jan Kowalski", .email = "jan@example.pl",
			  .institution_id = inst, .must_change_password = 1, .lang = "en",
			  .roles = ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ANALYST) };
	struct verrs v = VERRS_INIT;
	struct user got;
	const char *hash = NULL;

	assert_int_equal(user_create(db, a, &u, "$argon2id$h1", &id, &v), 0);
	assert_true(id > 0);
	memset(&got, 0, sizeof(got));
	assert_int_equal(user_get(db, a, id, &got), 0);
	assert_int_equal(got.id, id);
	assert_string_equal(got.login, "jan");
	assert_string_equal(got.full_name, "Jan Kowalski");
	assert_string_equal(got.email, "jan@example.pl");
	assert_int_equal(got.institution_id, inst);
	assert_string_equal(got.institution_name, "GOPS Dębina");
	assert_string_equal(got.institution_kind, "ops");
	assert_int_equal(got.institution_active, 1);
	assert_int_equal(got.roles, ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ANALYST));
	assert_int_equal(got.active, 1);
	assert_int_equal(got.must_change_password, 1);
	assert_string_equal(got.lang, "en");
	assert_int_equal(strlen(got.created_at), 20);
	assert_string_equal(got.password_changed_at, got.created_at);
	assert_null(got.last_login_at);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM app_user WHERE name_fold = 'jan kowalski'"), 1);

	memset(&got, 0, sizeof(got));
	assert_int_equal(user_get_by_login(db, a, "jan", &got, &hash), 0);
	assert_int_equal(got.id, id);
	assert_string_equal(hash, "$argon2id$h1");
	assert_int_equal(user_get_by_login(db, a, "JAN", &got, &hash), 1); /* stored lower case */
	assert_int_equal(user_get(db, a, id + 100, &got), 1);
	assert_int_equal(user_roles(db, id + 100), 0);
	arena_free(a);
}

static void test_refusals(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	int64_t inst = add_inst(db, "PUP", "pup"), id = 0, inst2;
	struct user u = { .login = "jan", .full_name = "Another Jan", .institution_id = inst,
			  .roles = ROLE_BIT(ROLE_GUARDIAN) };
	struct verrs v = VERRS_INIT;

	make(db, a, "jan", "Jan", inst, ROLE_BIT(ROLE_ADMIN));
	assert_int_equal(user_create(db, a, &u, "h", &id, &v), 1);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.e[0].field, "login");
	assert_string_equal(v.e[0].code, "taken");
	u.login = "ola";
	u.institution_id = inst + 1000;
	v.n = 0;
	assert_int_equal(user_create(db, a, &u, "h", &id, &v), 1);
	assert_string_equal(v.e[0].field, "institution_id");
	assert_string_equal(v.e[0].code, "not_found");
	assert_int_equal(user_count(db, 0), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM user_role"), 1);

	/* inside the caller's transaction only the refused insert is undone */
	assert_int_equal(db_begin(db), 0);
	inst2 = add_inst(db, "CIS", "cis");
	u.login = "jan";
	u.institution_id = inst2;
	v.n = 0;
	assert_int_equal(user_create(db, a, &u, "h", &id, &v), 1);
	assert_string_equal(v.e[0].code, "taken");
	u.login = "ola";
	v.n = 0;
	assert_int_equal(user_create(db, a, &u, "h", &id, &v), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM institution"), 2);
	assert_int_equal(user_count(db, 0), 2);
	assert_int_equal(user_roles(db, id), ROLE_BIT(ROLE_GUARDIAN));
	arena_free(a);
}

static void test_update(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	int64_t i1 = add_inst(db, "A", "a"), i2 = add_inst(db, "B", "b");
	int64_t id = make(db, a, "ewa", "Ewa Nowak", i1, ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_GUARDIAN));
	struct user u = { .id = id, .login = "ignored", .full_name = "Ewa Nowak-Zielińska",
			  .email = "ewa@example.pl", .institution_id = i2,
			  .roles = ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_PROJECT_OFFICE) };
	struct verrs v = VERRS_INIT;
	struct user got;

	assert_int_equal(user_update(db, a, &u, &v), 0);
	assert_int_equal(user_get(db, a, id, &got), 0);
	assert_string_equal(got.login, "ewa"); /* the login does not change */
	assert_string_equal(got.full_name, "Ewa Nowak-Zielińska");
	assert_string_equal(got.email, "ewa@example.pl");
	assert_int_equal(got.institution_id, i2);
	assert_int_equal(got.roles, ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_PROJECT_OFFICE));
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM user_role"), 2);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM app_user WHERE "
					  "name_fold = 'ewa nowak-zielinska'"),
			 1);
	/* no such institution: nothing changes */
	u.institution_id = i2 + 100;
	u.full_name = "Changed";
	u.roles = ROLE_BIT(ROLE_ADMIN);
	assert_int_equal(user_update(db, a, &u, &v), 1);
	assert_string_equal(v.e[0].field, "institution_id");
	assert_string_equal(v.e[0].code, "not_found");
	assert_int_equal(user_get(db, a, id, &got), 0);
	assert_string_equal(got.full_name, "Ewa Nowak-Zielińska");
	assert_int_equal(got.roles, ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_PROJECT_OFFICE));
	/* no such user */
	v.n = 0;
	u.id = id + 100;
	u.institution_id = i1;
	assert_int_equal(user_update(db, a, &u, &v), 1);
	assert_string_equal(v.e[0].field, "");
	assert_string_equal(v.e[0].code, "not_found");
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM user_role"), 2);
	arena_free(a);
}

static void test_state_changes(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	int64_t inst = add_inst(db, "A", "a");
	int64_t id = make(db, a, "ewa", "Ewa", inst, ROLE_BIT(ROLE_ADMIN));
	int64_t other = make(db, a, "ola", "Ola", inst, ROLE_BIT(ROLE_ADMIN));
	struct user got;

	add_session(db, "s1", id);
	add_session(db, "s2", id);
	add_session(db, "s3", id);
	add_session(db, "o1", other);
	/* a new password ends the other sessions */
	assert_int_equal(user_set_password(db, id, "$argon2id$new", 1, "s2"), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM session WHERE token_hash IN ('s1', 's3')"), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM session WHERE token_hash = 's2'"), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM session WHERE token_hash = 'o1'"), 1);
	assert_int_equal(user_get_by_login(db, a, "ewa", &got, &(const char *){ NULL }), 0);
	assert_int_equal(got.must_change_password, 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM app_user WHERE password_hash = "
					  "'$argon2id$new'"),
			 1);
	assert_int_equal(user_set_password(db, id, "$argon2id$newer", 0, NULL), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM session WHERE user_id = (SELECT id "
					  "FROM app_user WHERE login = 'ewa')"),
			 0);
	assert_int_equal(user_get(db, a, id, &got), 0);
	assert_int_equal(got.must_change_password, 0);

	/* deactivation ends every session of the account */
	add_session(db, "s4", id);
	assert_int_equal(user_count(db, 1), 2);
	assert_int_equal(user_set_active(db, id, 0), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM session WHERE token_hash = 's4'"), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM session WHERE token_hash = 'o1'"), 1);
	assert_int_equal(user_get(db, a, id, &got), 0);
	assert_int_equal(got.active, 0);
	assert_int_equal(user_count(db, 1), 1);
	assert_int_equal(user_count(db, 0), 2);
	assert_int_equal(user_set_active(db, id, 1), 0);
	assert_int_equal(user_count(db, 1), 2);
	assert_int_equal(user_set_active(db, id + other + 100, 0), 1);

	/* language and last sign-in */
	assert_int_equal(user_set_lang(db, id, "pl"), 0);
	assert_int_equal(user_get(db, a, id, &got), 0);
	assert_string_equal(got.lang, "pl");
	assert_int_equal(user_set_lang(db, id, NULL), 0);
	assert_int_equal(user_get(db, a, id, &got), 0);
	assert_null(got.lang);
	assert_int_equal(user_set_lang(db, id, "de"), -1); /* CHECK */
	assert_null(got.last_login_at);
	assert_int_equal(user_touch_login(db, id), 0);
	assert_int_equal(user_get(db, a, id, &got), 0);
	assert_non_null(got.last_login_at);
	assert_int_equal(strlen(got.last_login_at), 20);
	arena_free(a);
}

static void test_list(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	int64_t i1 = add_inst(db, "Ośrodek A", "osrodek a"), i2 = add_inst(db, "Urząd B", "urzad b");
	int64_t jan = make(db, a, "jan", "Jan Żółkiewski", i1, ROLE_BIT(ROLE_ANALYST) | ROLE_BIT(ROLE_ADMIN));
	struct list_query q = LIST_QUERY_INIT;
	struct list_page p;
	char want[32];

	q.mask = SENS_ALL; /* a trusted reader: every column class */
	make(db, a, "ola", "Ola Nowak", i2, ROLE_BIT(ROLE_ANALYST));
	make(db, a, "ewa", "Ewa Kos", i2, ROLE_BIT(ROLE_GUARDIAN));
	assert_int_equal(user_set_active(db, jan, 0), 0);

	assert_int_equal(list_fetch(db, a, &user_list, &q, &p), 0);
	assert_int_equal(p.total, 3);
	assert_string_equal(p.values[0][USER_COL_LOGIN], "ewa");
	assert_string_equal(p.values[1][USER_COL_LOGIN], "jan");
	assert_string_equal(p.values[1][USER_COL_ROLE], "admin,analyst");
	assert_string_equal(p.values[1][USER_COL_INSTITUTION], "Ośrodek A");
	assert_string_equal(p.values[1][USER_COL_ACTIVE], "0");
	snprintf(want, sizeof(want), "%lld", (long long)jan);
	assert_string_equal(p.ids[1], want);

	q.q = "zolkiew"; /* folded search */
	assert_int_equal(list_fetch(db, a, &user_list, &q, &p), 0);
	assert_int_equal(p.total, 1);
	assert_string_equal(p.values[0][USER_COL_LOGIN], "jan");
	q.q = "urzad";
	assert_int_equal(list_fetch(db, a, &user_list, &q, &p), 0);
	assert_int_equal(p.total, 2);
	q.q = NULL;
	assert_int_equal(list_add_filter(&q, USER_COL_ROLE, LIST_EQ, "analyst"), 0);
	assert_int_equal(list_fetch(db, a, &user_list, &q, &p), 0);
	assert_int_equal(p.total, 2);
	assert_string_equal(p.values[0][USER_COL_LOGIN], "jan");
	assert_string_equal(p.values[1][USER_COL_LOGIN], "ola");
	assert_int_equal(list_add_filter(&q, USER_COL_ACTIVE, LIST_EQ, "1"), 0);
	assert_int_equal(list_fetch(db, a, &user_list, &q, &p), 0);
	assert_int_equal(p.total, 1);
	assert_string_equal(p.values[0][USER_COL_LOGIN], "ola");
	q = (struct list_query)LIST_QUERY_INIT;
	q.mask = SENS_ALL;
	snprintf(want, sizeof(want), "%lld", (long long)i2);
	assert_int_equal(list_add_filter(&q, USER_COL_INSTITUTION_ID, LIST_EQ, want), 0);
	q.sort = USER_COL_NAME;
	q.desc = 1;
	assert_int_equal(list_fetch(db, a, &user_list, &q, &p), 0);
	assert_int_equal(p.total, 2);
	assert_string_equal(p.values[0][USER_COL_LOGIN], "ola");
	assert_string_equal(p.values[1][USER_COL_LOGIN], "ewa");
	assert_int_equal(list_col_index(&user_list, "role"), USER_COL_ROLE);
	arena_free(a);
}

static void test_login_normalise(void **state)
{
	struct arena *a = arena_new(1 << 16);

	(void)state;
	assert_string_equal(user_login_normalise(a, "  Jan.Kowalski "), "jan.kowalski");
	assert_string_equal(user_login_normalise(a, "ADMIN"), "admin");
	assert_string_equal(user_login_normalise(a, ""), "");
	assert_string_equal(user_login_normalise(a, NULL), "");
	/* control characters anywhere (a trailing newline too) make it no login at all */
	assert_string_equal(user_login_normalise(a, "admin\nFAKE LOG LINE"), "");
	assert_string_equal(user_login_normalise(a, "admin\n"), "");
	assert_string_equal(user_login_normalise(a, "\tadmin"), "");
	assert_string_equal(user_login_normalise(a, "ad\x7fmin"), "");
	assert_string_equal(user_login_normalise(a, "ad\xffmin"), ""); /* invalid UTF-8 */
	assert_string_equal(user_login_normalise(a, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
			    ""); /* 65 bytes: never truncated into another login */
	assert_string_equal(user_login_normalise(a, "Żaneta"), "Żaneta"); /* not a login, but no control */
	arena_free(a);
}

static void test_role_conflict(void **state)
{
	struct arena *a = arena_new(1 << 16);
	struct user u = { .login = "ola", .full_name = "Ola", .institution_id = 1,
			  .roles = ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_LABOUR_ADVISER) };
	struct verrs v = VERRS_INIT;

	(void)state;
	assert_int_equal(user_validate(&u, a, &v), 1);
	assert_string_equal(v.e[0].field, "roles");
	assert_string_equal(v.e[0].code, "conflict");
	assert_non_null(strstr(v.e[0].message, "Social worker"));
	assert_non_null(strstr(v.e[0].message, "Labour-office adviser"));
	v.n = 0;
	u.roles = ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_GUARDIAN);
	assert_int_equal(user_validate(&u, a, &v), 0);
	arena_free(a);
}

/* fail_one() counts a failed attempt on key as a sign-in does: reserve, then fail. */
static int fail_one(struct db *db, const char *key, int64_t now, const struct throttle_rule *r)
{
	int64_t n = 0, until = 0;

	if (throttle_reserve(db, key, now, r, &n, &until) != 0)
		return -1;
	return throttle_fail(db, key, now, r, &n);
}

static void test_unlock(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	int64_t inst = add_inst(db, "OPS", "ops");
	int64_t id = make(db, a, "ewa", "Ewa", inst, ROLE_BIT(ROLE_ANALYST));
	const struct throttle_rule one = { .max_failures = 2, .window = 600, .lock = 900 };
	struct audit_actor who = { 0, "(cli:root)", 0, "local" };
	int64_t n = 0, until = 0, now = 1700000000;

	assert_int_equal(fail_one(db, "login:ewa", now, &one), 0);
	assert_int_equal(user_lock_state(db, "ewa", now, &n, &until), 0);
	assert_int_equal(n, 1);
	assert_int_equal(fail_one(db, "login:ewa", now, &one), 0);
	assert_int_equal(user_lock_state(db, "ewa", now, &n, &until), 1);
	assert_int_equal(n, 2);
	assert_int_equal(until, now + 900);
	assert_int_equal(user_locked_count(db, now), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM app_user u WHERE "
					  "(CASE WHEN EXISTS (SELECT 1 FROM auth_throttle t WHERE t.key = "
					  "'login:' || u.login AND t.locked_until IS NOT NULL) THEN 1 ELSE 0 END) = 1"),
			 1);
	assert_int_equal(user_unlock(db, &who, id), 0);
	assert_int_equal(user_lock_state(db, "ewa", now, &n, &until), 0);
	assert_int_equal(n, 0);
	assert_int_equal(user_locked_count(db, now), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.unlock' "
					  "AND login = '(cli:root)' AND detail = 'ewa'"),
			 1);
	assert_int_equal(user_unlock(db, &who, id + 100), 1);
	/* a new password lifts the lock too */
	assert_int_equal(fail_one(db, "login:ewa", now, &one), 0);
	assert_int_equal(fail_one(db, "login:ewa", now, &one), 0);
	assert_int_equal(user_lock_state(db, "ewa", now, &n, &until), 1);
	assert_int_equal(user_set_password(db, id, "$argon2id$other", 1, NULL), 0);
	assert_int_equal(user_lock_state(db, "ewa", now, &n, &until), 0);
	arena_free(a);
}

/* user_colleagues(): active accounts of one institution, by folded name, at most max. */
static void test_colleagues(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	int64_t i1 = add_inst(db, "Ośrodek K", "osrodek k"), i2 = add_inst(db, "Urząd L", "urzad l");
	int64_t zofia = make(db, a, "zofia", "Zofia Ząb", i1, ROLE_BIT(ROLE_SOCIAL_WORKER));
	int64_t adam = make(db, a, "adam.k", "Adam Łoś", i1, ROLE_BIT(ROLE_GUARDIAN));
	int64_t off = make(db, a, "bogdan", "Bogdan Brak", i1, ROLE_BIT(ROLE_SOCIAL_WORKER));
	struct user_option *o;

	make(db, a, "celina", "Celina Obca", i2, ROLE_BIT(ROLE_SOCIAL_WORKER));
	assert_int_equal(user_set_active(db, off, 0), 0);
	assert_int_equal(user_colleagues(db, a, i1, 10, &o), 2);
	assert_int_equal(o[0].id, adam);
	assert_string_equal(o[0].full_name, "Adam Łoś");
	assert_int_equal(o[1].id, zofia);
	assert_int_equal(user_colleagues(db, a, i1, 1, &o), 1);
	assert_int_equal(user_colleagues(db, a, 999999, 10, &o), 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_validate),
		testdb_plain(test_login_normalise),
		testdb_plain(test_role_conflict),
		cmocka_unit_test(test_unlock),
		cmocka_unit_test(test_create_get),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_state_changes),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_colleagues),
	};

	log_set_level(LOG_ERROR + 1);
	return TESTDB_RUN("user", tests, 1);
}
