/*
 * tests/unit/audit/audit.c — the audit log on a migrated database (SQLite,
 * and PostgreSQL with RAZEM_TEST_PG_URL): rows written with every field
 * (anonymous actors stored as NULL, numeric ids), append-only enforcement
 * (UPDATE and DELETE refused, also TRUNCATE on PostgreSQL, rows intact,
 * inside a transaction too), the latest and previous sign-in with the
 * failures since, action labels, and the audit list (newest first, action
 * prefix filter, search in the detail).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "core/log.h"
#include "../testdb.h"

/* Statements of the tests */
static const struct db_sql SQL_AUDIT_ROWS =
	DB_SQL("SELECT at, user_id, login, institution_id, action, entity, entity_id, ip, "
	       "detail FROM audit_log ORDER BY id");
static const struct db_sql SQL_CHANGE_LOGIN = DB_SQL("UPDATE audit_log SET login = 'mallory'");
static const struct db_sql SQL_CLEAR_DETAIL =
	DB_SQL("UPDATE audit_log SET detail = NULL WHERE id = 1");
static const struct db_sql SQL_DELETE_FIRST = DB_SQL("DELETE FROM audit_log WHERE id = 1");
static const struct db_sql SQL_DELETE_ALL = DB_SQL("DELETE FROM audit_log");

#define T(state) ((struct testdb *)*(state))

static void test_write(void **state)
{
	struct db *db = T(state)->db;
	const struct audit_actor who = { .user_id = 7, .login = "ewa", .institution_id = 3,
					 .ip = "192.0.2.1" };
	const struct audit_actor anon = { .login = "kto?", .ip = "192.0.2.2" };
	struct db_stmt *st;

	assert_int_equal(audit_write(db, &who, "user.read", "user", "17", "name,email"), DB_OK);
	assert_int_equal(audit_write_id(db, &anon, "session.login_failed", "session", 123456789012LL, NULL),
			 DB_OK);
	st = db_query(db, &SQL_AUDIT_ROWS, NULL);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(strlen(db_col_text(st, 0)), 20);
	assert_int_equal(db_col_text(st, 0)[19], 'Z');
	assert_int_equal(db_col_int(st, 1), 7);
	assert_string_equal(db_col_text(st, 2), "ewa");
	assert_int_equal(db_col_int(st, 3), 3);
	assert_string_equal(db_col_text(st, 4), "user.read");
	assert_string_equal(db_col_text(st, 5), "user");
	assert_string_equal(db_col_text(st, 6), "17");
	assert_string_equal(db_col_text(st, 7), "192.0.2.1");
	assert_string_equal(db_col_text(st, 8), "name,email");
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_is_null(st, 1));
	assert_string_equal(db_col_text(st, 2), "kto?");
	assert_true(db_col_is_null(st, 3));
	assert_string_equal(db_col_text(st, 6), "123456789012");
	assert_true(db_col_is_null(st, 8));
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);
	/* the action is required */
	assert_true(audit_write(db, &who, NULL, NULL, NULL, NULL) < 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log"), 2);
}

static void test_append_only(void **state)
{
	struct db *db = T(state)->db;
	const struct audit_actor who = { .user_id = 1, .login = "admin", .ip = "local" };

	assert_int_equal(audit_write(db, &who, "user.create", "user", "1", "admin"), DB_OK);
	assert_int_equal(audit_write(db, &who, "user.update", "user", "1", NULL), DB_OK);
	assert_true(db_run(db, &SQL_CHANGE_LOGIN, NULL) < 0);
	assert_true(db_run(db, &SQL_CLEAR_DETAIL, NULL) < 0);
	assert_true(db_run(db, &SQL_DELETE_FIRST, NULL) < 0);
	assert_true(db_run(db, &SQL_DELETE_ALL, NULL) < 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log"), 2);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE login = 'admin'"), 2);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE detail = 'admin'"), 1);
	if (db_backend(db) == DB_POSTGRES) {
		assert_int_equal(db_exec(db, "TRUNCATE audit_log"), -1);
		assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log"), 2);
	}
	/* inside a transaction the refusal stands too */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_begin(db), 0);
	assert_true(db_run(db, &SQL_DELETE_ALL, NULL) < 0);
	assert_int_equal(db_rollback(db), 0);
	assert_int_equal(audit_write(db, &who, "user.read", "user", "1", NULL), DB_OK);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log"), 3);
}

static void test_signins(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct audit_actor who = { .user_id = 5, .login = "ewa", .institution_id = 1, .ip = "10.0.0.1" };
	struct audit_actor other = { .user_id = 6, .login = "ola", .ip = "10.0.0.9" };
	struct audit_signin s;
	int64_t failures = -1;
	const char *at1;

	assert_int_equal(audit_last_signin(db, a, 5, &s, &failures), 1);
	assert_null(s.at);
	assert_int_equal(failures, 0);
	assert_int_equal(audit_write(db, &who, "session.login_failed", "session", NULL, NULL), DB_OK);
	assert_int_equal(audit_write(db, &who, "session.login_failed", "session", NULL, NULL), DB_OK);
	assert_int_equal(audit_write(db, &other, "session.login_failed", "session", NULL, NULL), DB_OK);
	assert_int_equal(audit_last_signin(db, a, 5, &s, &failures), 1);
	assert_int_equal(failures, 2); /* over all time */

	assert_int_equal(audit_write(db, &who, "session.login", "session", NULL, NULL), DB_OK);
	assert_int_equal(audit_last_signin(db, a, 5, &s, &failures), 0);
	assert_non_null(s.at);
	assert_string_equal(s.ip, "10.0.0.1");
	at1 = s.at;
	assert_int_equal(failures, 0);
	/* a failure in the same second as the sign-in still counts as after it */
	assert_int_equal(audit_write(db, &who, "session.login_failed", "session", NULL, NULL), DB_OK);
	assert_int_equal(audit_last_signin(db, a, 5, &s, &failures), 0);
	assert_int_equal(failures, 1);

	who.ip = "10.0.0.2";
	assert_int_equal(audit_write(db, &who, "session.login", "session", NULL, NULL), DB_OK);
	assert_int_equal(audit_last_signin(db, a, 5, &s, &failures), 0);
	assert_string_equal(s.ip, "10.0.0.2");
	assert_int_equal(failures, 0);
	assert_true(strcmp(s.at, at1) >= 0);
	assert_int_equal(audit_last_signin(db, a, 6, &s, &failures), 1);
	assert_int_equal(failures, 1);
	arena_free(a);
}

static void test_labels(void **state)
{
	size_t i;

	(void)state;
	i18n_set_lang(LANG_EN);
	assert_string_equal(audit_action_label("session.login"), "Signed in");
	assert_string_equal(audit_action_label("user.frobnicate"), "user.frobnicate");
	assert_string_equal(audit_action_label(NULL), "");
	for (i = 0; audit_actions[i] != NULL; i++)
		assert_string_not_equal(audit_action_label(audit_actions[i]), audit_actions[i]);
	assert_int_equal(i, 77); /* with link.decide, link.run, link.unlink, person.merge, person.unmerge, account.password_check_*, user.unlock, throttle.unlock_address, territory.import, the registry's person.* and family.*, the situation's reason.*, status.*, benefit.*, interview.*, person.import, person_import.rejects, agreement.*, consent.*, person.take_over and referral.* */
	i18n_set_lang(LANG_PL);
	assert_string_not_equal(audit_action_label("session.login"), "Signed in");
	i18n_set_lang(LANG_EN);
}

static void test_list(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	const struct audit_actor who = { .user_id = 1, .login = "admin", .ip = "local" };
	struct list_query q = LIST_QUERY_INIT;
	struct list_page p;

	q.mask = SENS_ALL; /* a trusted reader: every column class */
	assert_int_equal(audit_write(db, &who, "session.login", "session", NULL, NULL), DB_OK);
	assert_int_equal(audit_write(db, &who, "user.create", "user", "2", "Login=Ola"), DB_OK);
	assert_int_equal(audit_write(db, &who, "session.logout", "session", NULL, NULL), DB_OK);
	assert_int_equal(list_fetch(db, a, &audit_list, &q, &p), 0);
	assert_int_equal(p.total, 3);
	/* newest first (same second: by id, descending) */
	assert_string_equal(p.values[0][AUDIT_COL_ACTION], "session.logout");
	assert_string_equal(p.values[2][AUDIT_COL_ACTION], "session.login");
	assert_int_equal(list_add_filter(&q, AUDIT_COL_ACTION, LIST_EQ, "session."), 0);
	assert_int_equal(list_fetch(db, a, &audit_list, &q, &p), 0);
	assert_int_equal(p.total, 2);
	q = (struct list_query)LIST_QUERY_INIT;
	q.mask = SENS_ALL;
	q.q = "ola";
	assert_int_equal(list_fetch(db, a, &audit_list, &q, &p), 0);
	assert_int_equal(p.total, 1);
	assert_string_equal(p.values[0][AUDIT_COL_ENTITY_ID], "2");
	arena_free(a);
}

/* audit_write_rows(): 45 rows (statements of 12, 3 and 1 rows), each with its own fields */
static void test_write_rows(void **state)
{
	struct db *db = T(state)->db;
	const struct audit_actor who = { .user_id = 7, .login = "ewa", .institution_id = 3,
					 .ip = "192.0.2.1" };
	const struct audit_actor anon = { .login = "kto?", .ip = "192.0.2.2" };
	struct audit_row rows[45];
	char ids[45][8];
	struct db_stmt *st;
	int i;

	for (i = 0; i < 45; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%d", i);
		rows[i] = (struct audit_row){ i % 2 ? &anon : &who, "user.read", "user", ids[i],
					      i % 3 ? "Łódź" : NULL };
	}
	assert_int_equal(audit_write_rows(db, rows, 0), DB_OK);
	if (audit_write_rows(db, rows, 45) != DB_OK)
		fail_msg("audit_write_rows: %s", db_errmsg(db));
	st = db_query(db, &SQL_AUDIT_ROWS, NULL);
	assert_non_null(st);
	for (i = 0; i < 45; i++) {
		assert_int_equal(db_step(st), DB_ROW);
		assert_string_equal(db_col_text(st, 6), ids[i]);
		if (i % 2) {
			assert_true(db_col_is_null(st, 1));
			assert_string_equal(db_col_text(st, 2), "kto?");
			assert_true(db_col_is_null(st, 3));
			assert_string_equal(db_col_text(st, 7), "192.0.2.2");
		} else {
			assert_int_equal(db_col_int(st, 1), 7);
			assert_int_equal(db_col_int(st, 3), 3);
		}
		if (i % 3)
			assert_string_equal(db_col_text(st, 8), "Łódź");
		else
			assert_true(db_col_is_null(st, 8));
	}
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE detail_fold = 'lodz'"), 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_labels),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_write_rows),
		cmocka_unit_test(test_append_only),
		cmocka_unit_test(test_signins),
		cmocka_unit_test(test_list),
	};

	log_set_level(LOG_ERROR + 1);
	if (i18n_init() != 0)
		return 1;
	return TESTDB_RUN("audit", tests, 1);
}
