/*
 * tests/unit/demo/demo.c — the demonstration database on a migrated
 * database (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL): what
 * demo_build() creates (units, institutions, one account per role, the
 * audit rows, the demo mark), that every demo account signs in with the
 * password "demo" and has its role and institution, that a second build
 * is refused and changes nothing (all or nothing), and that an emptied
 * database — what "razem demo --reset" does — can be built again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "auth/password.h"
#include "auth/role.h"
#include "auth/session.h"
#include "auth/user.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "demo/demo.h"
#include "registry/institution.h"
#include "../testdb.h"

/* Statements of the tests */
static const struct db_sql SQL_MARK_NOT_DEMO =
	DB_SQL("INSERT INTO app_meta (key, value) VALUES ('demo', '0')");

#define T(state) ((struct testdb *)*(state))

static void build(struct db *db)
{
	char err[512] = "";

	if (demo_build(db, err, sizeof(err)) != 0)
		fail_msg("demo_build: %s", err);
}

static void check_counts(struct db *db)
{
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM territory_unit"), 16);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM territory_unit WHERE fictional = 1"), 15);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM territory_unit WHERE parent_code = '3050'"), 14);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM institution"), 24);
	/* one account per role and eleven social workers who lead the generated cases */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM app_user"), 18);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM user_role"), 18);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.create' "
					  "AND login = '(demo)'"),
			 18);
	/* and the generated people, the same every time (demo/people.c, tests/unit/demo/people.c) */
	assert_in_range(testdb_count(db, "SELECT COUNT(*) FROM family"), 1150, 1250);
	assert_in_range(testdb_count(db, "SELECT COUNT(*) FROM person"), 3000, 3800);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM app_meta"), 2);
	/* Polish names quote with „…”, never with straight quotes */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM institution WHERE name LIKE '%\"%'"), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM institution WHERE name LIKE '%„%”%'"), 2);
	/* every meeting has attendees, and no vote counts more voters than were present */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM meeting m WHERE NOT EXISTS "
					  "(SELECT 1 FROM meeting_attendance x WHERE x.meeting_id = m.id)"),
			 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM decision d WHERE d.method = 'vote' AND "
					  "d.votes_for + d.votes_against + d.votes_abstain > (SELECT COUNT(*) FROM "
					  "meeting_attendance x WHERE x.meeting_id = d.meeting_id)"),
			 0);
	assert_true(testdb_count(db, "SELECT COUNT(*) FROM decision WHERE method = 'vote'") > 0);
}

static void test_build(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 22);
	const char *role, *inst;
	struct user u;
	size_t i;

	assert_int_equal(demo_is_demo(db), 0);
	build(db);
	assert_int_equal(demo_is_demo(db), 1);
	check_counts(db);
	for (i = 0; demo_logins[i] != NULL; i++) {
		assert_int_equal(demo_account(i, &role, &inst), 0);
		assert_int_equal(user_get_by_login(db, a, demo_logins[i], &u, NULL), 0);
		assert_int_equal(u.roles, ROLE_BIT(role_parse(role)));
		assert_string_equal(u.institution_name, inst);
		assert_int_equal(u.active, 1);
		assert_int_equal(u.must_change_password, 0);
	}
	assert_int_equal(i, 7);
	assert_int_equal(demo_account(7, &role, &inst), -1);
	assert_int_equal(demo_account(0, &role, &inst), 0);
	assert_string_equal(demo_logins[0], "admin");
	assert_string_equal(role, "admin");
	assert_string_equal(inst, "Starostwo Powiatowe w Przykładowie");
	assert_string_equal(DEMO_PASSWORD, "demo");
	arena_free(a);
}

static void test_sign_in(void **state)
{
	static const struct throttle_rule rule = { 5, 600, 900 };
	static const struct session_limits lim = { 3600, 8 * 3600 };
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 22);
	struct session se;
	size_t i;

	build(db);
	for (i = 0; demo_logins[i] != NULL; i++) {
		struct sign_in s = { .login = demo_logins[i], .password = DEMO_PASSWORD, .ip = "127.0.0.1",
				     .throttle = &rule, .limits = &lim, .now = clock_now() };
		const char *role, *inst;

		assert_int_equal(session_sign_in(db, a, &s), SIGN_IN_OK);
		assert_int_equal(session_lookup(db, a, s.token, &lim, s.now, &se), 0);
		assert_string_equal(se.login, demo_logins[i]);
		assert_int_equal(demo_account(i, &role, &inst), 0);
		assert_string_equal(se.institution_name, inst);
		{ /* its institution lies in a gmina of the demo powiat */
			struct institution in;

			assert_int_equal(institution_get(db, a, se.institution_id, &in), 0);
			assert_non_null(in.terc_text);
			assert_non_null(strstr(in.terc_text, strstr(inst, "Jarzębin") != NULL ? "Jarzębin"
											 : "Przykładowo"));
			assert_non_null(strstr(in.terc_text, "przykładowy"));
		}
		assert_int_equal(se.roles, ROLE_BIT(role_parse(role)));
	}
	/* and not with another password */
	{
		struct sign_in s = { .login = "admin", .password = "Demo", .ip = "127.0.0.1",
				     .throttle = &rule, .limits = &lim, .now = clock_now() };

		assert_int_equal(session_sign_in(db, a, &s), SIGN_IN_BAD);
	}
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM session"), 7);
	arena_free(a);
}

static void test_again_and_reset(void **state)
{
	struct testdb *t = T(state);
	char err[512] = "";

	build(t->db);
	/* a second build is refused as a whole and leaves the data as it was */
	assert_int_equal(demo_build(t->db, err, sizeof(err)), -1);
	assert_true(strlen(err) > 0);
	check_counts(t->db);
	assert_int_equal(demo_is_demo(t->db), 1);
	/* the connection is not left inside a transaction */
	assert_int_equal(db_commit(t->db), -1);

	/* "demo --reset" empties the database; the demo then builds again */
	testdb_close(t);
	testdb_open(t, t->backend);
	testdb_migrate(t);
	assert_int_equal(demo_is_demo(t->db), 0);
	build(t->db);
	check_counts(t->db);
	assert_int_equal(demo_is_demo(t->db), 1);
}

static void test_not_demo(void **state)
{
	struct db *db = T(state)->db;

	assert_int_equal(db_run(db, &SQL_MARK_NOT_DEMO, NULL), DB_OK);
	assert_int_equal(demo_is_demo(db), 0);
	/* building on it fails on the existing mark and adds nothing */
	assert_int_equal(demo_build(db, (char[256]){ 0 }, 256), -1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM institution"), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM territory_unit"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_sign_in),
		cmocka_unit_test(test_again_and_reset),
		cmocka_unit_test(test_not_demo),
	};

	log_set_level(LOG_ERROR + 1);
	if (password_init() != 0)
		return 1;
	return TESTDB_RUN("demo", tests, 1);
}
