/*
 * tests/unit/db/bulk.c — db_bulk_* on SQLite (multi-row INSERTs) and
 * PostgreSQL (COPY FROM STDIN): values that need escaping (tab, newline,
 * CR, backslash, quotes, "\N" as text, UTF-8, empty vs NULL) come back
 * exactly; thousands of rows over several batches and COPY pieces; a row
 * refused by a constraint or a type keeps nothing and is named by number;
 * a load inside the caller's transaction undoes only itself; abort; names
 * that are not plain identifiers are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "db/db_int.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))

/* Statements of the tests */
static const struct db_sql SQL_ROWS = DB_SQL("SELECT k, s, n FROM b ORDER BY k");
static const struct db_sql SQL_SUMS = DB_SQL("SELECT COUNT(*), SUM(k), SUM(n), SUM(length(s)) FROM b");
static const struct db_sql SQL_PUT = DB_SQL("INSERT INTO b (k, s) VALUES (?, ?)");

static const char *const cols[] = { "k", "s", "n" };

/* make_table() creates b (k key, s text, n integer), STRICT on SQLite so types are checked. */
static void make_table(struct db *db)
{
	struct buf ddl = BUF_INIT(4096);

	assert_int_equal(db_dialect(db, "CREATE TABLE b (k {{INT}} NOT NULL PRIMARY KEY, s TEXT, n {{INT}}, "
					"CHECK (s IS NULL OR s <> 'refused')) {{STRICT}}",
				    &ddl),
			 0);
	assert_int_equal(db_exec(db, buf_str(&ddl)), 0);
	buf_release(&ddl);
}

static void test_values(void **state)
{
	struct db *db = T(state)->db;
	static const char *const texts[] = {
		"plain", "tab\there", "new\nline", "cr\rlf\r\n", "back\\slash", "\\N", "\\.", "'single' \"double\"",
		"Zażółć gęślą jaźń — €", "", NULL, "end\\", "\t\n\\",
	};
	const size_t n = sizeof(texts) / sizeof(texts[0]);
	char err[256] = "", k[24], num[24];
	struct db_bulk *b;
	struct db_stmt *st;
	size_t i;

	make_table(db);
	b = db_bulk_begin(db, "b", cols, 3, err, sizeof(err));
	assert_non_null(b);
	for (i = 0; i < n; i++) {
		const char *row[3] = { k, texts[i], i % 2 == 0 ? num : NULL };

		snprintf(k, sizeof(k), "%zu", i + 1);
		snprintf(num, sizeof(num), "%lld", (long long)-9007199254740993LL + (long long)i);
		assert_int_equal(db_bulk_row(b, row), DB_OK);
	}
	assert_int_equal(db_bulk_end(b), DB_OK);
	st = db_query(db, &SQL_ROWS, NULL);
	assert_non_null(st);
	for (i = 0; i < n; i++) {
		assert_int_equal(db_step(st), DB_ROW);
		assert_int_equal(db_col_int(st, 0), (int64_t)i + 1);
		if (texts[i] == NULL) {
			assert_true(db_col_is_null(st, 1));
		} else {
			assert_false(db_col_is_null(st, 1)); /* "" stays "" */
			assert_string_equal(db_col_text(st, 1), texts[i]);
		}
		if (i % 2 == 0)
			assert_true(db_col_int(st, 2) == -9007199254740993LL + (int64_t)i);
		else
			assert_true(db_col_is_null(st, 2));
	}
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);
}

static void test_many_rows(void **state)
{
	struct db *db = T(state)->db;
	const int64_t rows = 5003; /* not a multiple of the batch */
	char err[256] = "", k[24], s[80], num[24];
	const char *row[3] = { k, s, num };
	struct db_bulk *b;
	struct db_stmt *st;
	int64_t i;

	make_table(db);
	b = db_bulk_begin(db, "b", cols, 3, err, sizeof(err));
	assert_non_null(b);
	for (i = 1; i <= rows; i++) {
		snprintf(k, sizeof(k), "%lld", (long long)i);
		snprintf(s, sizeof(s), "wiersz %lld\tz tabulatorem i ogonkami: ąę", (long long)i);
		snprintf(num, sizeof(num), "%lld", (long long)(i * 2));
		assert_int_equal(db_bulk_row(b, row), DB_OK);
	}
	assert_int_equal(db_bulk_end(b), DB_OK);
	st = db_query(db, &SQL_SUMS, NULL);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), rows);
	assert_int_equal(db_col_int(st, 1), rows * (rows + 1) / 2);
	assert_int_equal(db_col_int(st, 2), rows * (rows + 1));
	db_reset(st);
	/* the connection goes on as usual */
	assert_int_equal(db_run(db, &SQL_PUT, "it", rows + 1, "after"), DB_OK);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM b"), rows + 1);
}

/* load() loads rows rows with k = 1.., s = "s", where row bad gets bad_k, bad_s and bad_n. */
static int load(struct db *db, int64_t rows, int64_t bad, const char *bad_k, const char *bad_s,
		const char *bad_n, char *err, size_t errlen)
{
	struct db_bulk *b = db_bulk_begin(db, "b", cols, 3, err, errlen);
	char k[24];
	int64_t i;

	assert_non_null(b);
	for (i = 1; i <= rows; i++) {
		const char *row[3] = { k, "s", "1" };

		snprintf(k, sizeof(k), "%lld", (long long)i);
		if (i == bad) {
			row[0] = bad_k;
			row[1] = bad_s;
			row[2] = bad_n;
		}
		if (db_bulk_row(b, row) != DB_OK)
			break;
	}
	return db_bulk_end(b);
}

static void test_refused_row(void **state)
{
	struct db *db = T(state)->db;
	char err[512] = "";

	make_table(db);
	/* a duplicate key in the second batch: nothing is kept, the row is named */
	assert_int_equal(load(db, 300, 150, "7", "s", "1", err, sizeof(err)), DB_CONSTRAINT);
	assert_non_null(strstr(err, "row 150: "));
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM b"), 0);
	/* a CHECK constraint in the first row */
	err[0] = '\0';
	assert_int_equal(load(db, 10, 1, "1", "refused", "1", err, sizeof(err)), DB_CONSTRAINT);
	assert_non_null(strstr(err, "row 1: "));
	/* a duplicate in the last row of a partial batch */
	err[0] = '\0';
	assert_int_equal(load(db, 205, 205, "5", "s", "1", err, sizeof(err)), DB_CONSTRAINT);
	assert_non_null(strstr(err, "row 205: "));
	/* a value the column's type cannot take */
	err[0] = '\0';
	assert_true(load(db, 3, 2, "2", "s", "dwa", err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "row 2: "));
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM b"), 0);
	/* and then a good load works */
	assert_int_equal(load(db, 3, 0, NULL, NULL, NULL, err, sizeof(err)), DB_OK);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM b"), 3);
}

static void test_in_transaction(void **state)
{
	struct testdb *t = T(state);
	struct db *db = t->db, *other;
	char err[512] = "";
	const char *row[3] = { "1", "x", NULL };
	struct db_bulk *b;

	make_table(db);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_run(db, &SQL_PUT, "it", (int64_t)1000, "mine"), DB_OK);
	/* a failed load undoes only itself */
	assert_int_equal(load(db, 20, 20, "1000", "s", "1", err, sizeof(err)), DB_CONSTRAINT);
	assert_non_null(strstr(err, "row 20: "));
	/* an abandoned one too */
	b = db_bulk_begin(db, "b", cols, 3, err, sizeof(err));
	assert_non_null(b);
	assert_int_equal(db_bulk_row(b, row), DB_OK);
	db_bulk_abort(b);
	db_bulk_abort(NULL);
	/* a good one is part of the caller's transaction */
	assert_int_equal(load(db, 5, 0, NULL, NULL, NULL, err, sizeof(err)), DB_OK);
	other = testdb_connect(t);
	assert_int_equal(testdb_count(other, "SELECT COUNT(*) FROM b"), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(testdb_count(other, "SELECT COUNT(*) FROM b"), 6);
	assert_int_equal(testdb_count(other, "SELECT COUNT(*) FROM b WHERE k = 1000 AND s = 'mine'"), 1);
	db_close(other);
	assert_int_equal(db->depth, 0);
}

static void test_names(void **state)
{
	struct db *db = T(state)->db;
	static const char *const bad_cols[] = { "k", "s; DROP TABLE b" };
	static const char *const quoted[] = { "\"k\"" };
	char err[256] = "";

	make_table(db);
	assert_null(db_bulk_begin(db, "b; DROP TABLE b", cols, 3, err, sizeof(err)));
	assert_string_equal(err, "bulk load: 'b; DROP TABLE b' is not a plain table name");
	assert_null(db_bulk_begin(db, "1b", cols, 3, err, sizeof(err)));
	assert_null(db_bulk_begin(db, "", cols, 3, err, sizeof(err)));
	assert_null(db_bulk_begin(db, NULL, cols, 3, err, sizeof(err)));
	assert_null(db_bulk_begin(db, "b", bad_cols, 2, err, sizeof(err)));
	assert_string_equal(err, "bulk load into b: 's; DROP TABLE b' is not a plain column name");
	assert_null(db_bulk_begin(db, "b", quoted, 1, err, sizeof(err)));
	assert_null(db_bulk_begin(db, "b", cols, 0, err, sizeof(err)));
	assert_string_equal(err, "bulk load into b: 0 columns");
	/* a table that does not exist fails at the start */
	err[0] = '\0';
	assert_null(db_bulk_begin(db, "no_such_table", cols, 3, err, sizeof(err)));
	assert_non_null(strstr(err, "bulk load into no_such_table: "));
	assert_non_null(strstr(err + 30, "no_such_table"));
	assert_int_equal(db->depth, 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM b"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_many_rows),
		cmocka_unit_test(test_refused_row),
		cmocka_unit_test(test_in_transaction),
		cmocka_unit_test(test_names),
	};

	log_set_level(LOG_ERROR + 1);
	return TESTDB_RUN("db bulk", tests, 0);
}
