/*
 * tests/unit/db/db.c — the database interface on SQLite (always) and
 * PostgreSQL (when RAZEM_TEST_PG_URL is set): db_open() by URL and its
 * refusals, db_url_describe() masking, '?' to $n rewriting, migrations
 * (count, version, idempotence), db_query/db_run/db_get_int with the
 * "itn" argument letters (int64_t values at the extremes, NULLs), the
 * mapping of constraint failures, the prepared-statement cache (reuse,
 * a second statement while one is in use, eviction), nested transactions
 * through savepoints (rollback of the inner one only, also after a failed
 * statement), db_commit() after a failed statement, db_begin_read() (one
 * snapshot and DB_BUSY for a write on SQLite; nothing sent on PostgreSQL;
 * a write transaction inside it) and db_backup().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/embed.h"
#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "db/db_int.h"
#include "../testdb.h"

extern const size_t razem_migrations_count;
extern const struct embed razem_migrations[];

#define T(state) ((struct testdb *)*(state))

/* Statements of the tests */
static const struct db_sql SQL_MIGRATIONS =
	DB_SQL("SELECT version, name FROM schema_migration ORDER BY version");
static const struct db_sql SQL_PUT_KNS = DB_SQL("INSERT INTO t (k, n, s) VALUES (?, ?, ?)");
static const struct db_sql SQL_PUT_NSK = DB_SQL("INSERT INTO t (n, s, k) VALUES (?, ?, ?)");
static const struct db_sql SQL_FROM_K = DB_SQL("SELECT k, n, s FROM t WHERE k >= ? ORDER BY k");
static const struct db_sql SQL_COUNT_S = DB_SQL("SELECT COUNT(*) FROM t WHERE s = ?");
static const struct db_sql SQL_K_OF = DB_SQL("SELECT k FROM t WHERE k = ?");
static const struct db_sql SQL_ALL_K = DB_SQL("SELECT k FROM t");
static const struct db_sql SQL_PUT_KS = DB_SQL("INSERT INTO t (k, s) VALUES (?, ?)");
static const struct db_sql SQL_PUT_NULLS = DB_SQL("INSERT INTO t (k, n) VALUES (NULL, NULL)");
static const struct db_sql SQL_NONSENSE = DB_SQL("SELEC nonsense");
static const struct db_sql SQL_NO_TABLE = DB_SQL("SELECT * FROM no_such_table");
static const struct db_sql SQL_NO_TABLE_X = DB_SQL("SELECT x FROM no_such_table");
static const struct db_sql SQL_PUT_KN = DB_SQL("INSERT INTO t (k, n) VALUES (?, ?)");
static const struct db_sql SQL_N_OF = DB_SQL("SELECT n FROM t WHERE k = ?");
static const struct db_sql SQL_FIVE_PLUS = DB_SQL("SELECT 5 + ?");
static const struct db_sql SQL_KEYS = DB_SQL("SELECT k FROM t ORDER BY k");
static const struct db_sql SQL_PUT = DB_SQL("INSERT INTO t (k) VALUES (?)");
static const struct db_sql SQL_KN_FROM = DB_SQL("SELECT k, n FROM t WHERE k >= ? ORDER BY k");
static const struct db_sql SQL_PUT_VALUES = DB_SQL("INSERT INTO v (k, d, b) VALUES (?, ?, ?)");
static const struct db_sql SQL_VALUES = DB_SQL("SELECT d, b, length(b) FROM v WHERE k = ?");
static const struct db_sql SQL_ECHO_DB = DB_SQL("SELECT ?, ?");
static const struct db_sql SQL_SERIES =
	DB_SQL("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < ?) "
	       "SELECT i, 'row number ' || i FROM r");
static const struct db_sql SQL_SERIES_FAILING =
	DB_SQL("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < ?) "
	       "SELECT 100 / (? - i) FROM r");
static const struct db_sql SQL_BACKEND_PID = DB_SQL("SELECT pg_backend_pid()");
static const struct db_sql SQL_TERMINATE = DB_SQL("SELECT pg_terminate_backend(?, 10000)::int");
static const struct db_sql SQL_TRY_LOCK =
	DB_SQL("SELECT CASE WHEN pg_try_advisory_xact_lock(?) THEN 1 ELSE 0 END");
static const struct db_sql SQL_LOCK_WAITERS =
	DB_SQL("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
static const struct db_sql SQL_KN_FROM_AGAIN = DB_SQL("SELECT k, n FROM t WHERE k >= ? ORDER BY k");

/* make_table() creates the scratch table t (k key, n 64-bit, s text). */
static void make_table(struct db *db)
{
	assert_int_equal(db_exec(db, "CREATE TABLE t (k BIGINT NOT NULL PRIMARY KEY, n BIGINT, "
				     "s TEXT CHECK (s IS NULL OR s <> 'bad'))"),
			 0);
}

/* ---- without a database ---- */

static void test_open_refusals(void **state)
{
	struct db *db = (struct db *)state; /* must be reset to NULL */
	char err[256], longurl[1100];

	(void)state;
	err[0] = '\0';
	assert_int_equal(db_open(NULL, &db, err, sizeof(err)), -1);
	assert_null(db);
	assert_string_equal(err, "no database given");
	assert_int_equal(db_open("", &db, err, sizeof(err)), -1);
	assert_string_equal(err, "no database given");
	assert_int_equal(db_open("mysql://localhost/x", &db, err, sizeof(err)), -1);
	assert_null(db);
	assert_non_null(strstr(err, "unsupported database URL 'mysql://localhost/x'"));
	memset(longurl, 'a', sizeof(longurl) - 1);
	longurl[sizeof(longurl) - 1] = '\0';
	assert_int_equal(db_open(longurl, &db, err, sizeof(err)), -1);
	assert_string_equal(err, "database name too long");
	assert_int_equal(db_open("/nonexistent-razem-dir/sub/x.db", &db, err, sizeof(err)), -1);
	assert_null(db);
	assert_non_null(strstr(err, "cannot open /nonexistent-razem-dir/sub/x.db"));
	assert_int_equal(db_open("sqlite:/nonexistent-razem-dir/x.db", &db, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot open /nonexistent-razem-dir/x.db"));
	db_close(NULL);
}

static void test_open_sqlite_prefix(void **state)
{
	char dir[] = "/tmp/razem-unit-XXXXXX", url[160], path[128], err[256];
	struct db *db = NULL;
	struct stat sb;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.db", dir);
	snprintf(url, sizeof(url), "sqlite:%s", path);
	assert_int_equal(db_open(url, &db, err, sizeof(err)), 0);
	assert_int_equal(db_backend(db), DB_SQLITE);
	assert_int_equal(db_exec(db, "CREATE TABLE x (a INTEGER)"), 0);
	db_close(db);
	assert_int_equal(stat(path, &sb), 0); /* the prefix is not part of the file name */
	testdb_rmdir(dir);
}

static void test_url_describe(void **state)
{
	char out[256];

	(void)state;
	db_url_describe("postgresql://razem:s3cret@db.example:5432/razem", out, sizeof(out));
	assert_string_equal(out, "postgresql://razem:***@db.example:5432/razem");
	db_url_describe("postgres://razem@db.example/razem", out, sizeof(out));
	assert_string_equal(out, "postgres://razem@db.example/razem");
	db_url_describe("postgresql://db.example:5432/razem", out, sizeof(out));
	assert_string_equal(out, "postgresql://db.example:5432/razem");
	db_url_describe("sqlite:/var/lib/razem/razem.db", out, sizeof(out));
	assert_string_equal(out, "/var/lib/razem/razem.db");
	db_url_describe("razem.db", out, sizeof(out));
	assert_string_equal(out, "razem.db");
}

static void test_pg_placeholders(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "SELECT ?", "SELECT $1" },
		{ "INSERT INTO t VALUES (?, ?, ?)", "INSERT INTO t VALUES ($1, $2, $3)" },
		{ "SELECT '?', \"a?\", ? -- what?\n, ?", "SELECT '?', \"a?\", $1 -- what?\n, $2" },
		{ "SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1" },
		{ "", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = db_pg_placeholders(cases[i].in);

		assert_non_null(s);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

/* ---- migrations ---- */

/* last_version() is the number of the last migration (numbers may have gaps while branches merge). */
static int last_version(void)
{
	return (int)strtol(razem_migrations[razem_migrations_count - 1].name, NULL, 10);
}

static void test_migrate(void **state)
{
	struct testdb *t = T(state);
	char err[256] = "";
	struct db_stmt *st;

	assert_true(razem_migrations_count >= 1);
	assert_int_equal(db_migrate(t->db, err, sizeof(err)), (int)razem_migrations_count);
	assert_int_equal(db_schema_version(t->db), last_version());
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM schema_migration"),
			 (int64_t)razem_migrations_count);
	st = db_query(t->db, &SQL_MIGRATIONS, NULL);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	assert_string_equal(db_col_text(st, 1), "0001_foundation.sql");
	db_reset(st);
	/* the schema is there and empty */
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM app_user"), 0);
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM audit_log"), 0);
	/* a second run applies nothing */
	assert_int_equal(db_migrate(t->db, err, sizeof(err)), 0);
	assert_int_equal(db_schema_version(t->db), last_version());
	assert_int_equal(testdb_count(t->db, "SELECT COUNT(*) FROM schema_migration"),
			 (int64_t)razem_migrations_count);
}

static void test_schema_version_empty_table(void **state)
{
	struct testdb *t = T(state);

	assert_int_equal(db_exec(t->db, "CREATE TABLE schema_migration (version INTEGER PRIMARY KEY, "
					"name TEXT NOT NULL, applied_at TEXT NOT NULL)"),
			 0);
	assert_int_equal(db_schema_version(t->db), 0);
}

/* ---- statements ---- */

static void test_query_types(void **state)
{
	struct db *db = T(state)->db;
	struct db_stmt *st;
	int64_t v = 42;

	make_table(db);
	assert_int_equal(db_run(db, &SQL_PUT_KNS, "iit", (int64_t)1,
				(int64_t)INT64_MAX, "Zażółć gęślą jaźń"),
			 DB_OK);
	assert_int_equal(db_run(db, &SQL_PUT_KNS, "iit", (int64_t)2,
				(int64_t)INT64_MIN, (const char *)NULL),
			 DB_OK);
	/* 'n' takes no argument: the following ones stay in step */
	assert_int_equal(db_run(db, &SQL_PUT_NSK, "nti", "third",
				(int64_t)9007199254740993LL),
			 DB_OK);

	st = db_query(db, &SQL_FROM_K, "i", (int64_t)1);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_count(st), 3);
	assert_int_equal(db_col_int(st, 0), 1);
	assert_true(db_col_int(st, 1) == INT64_MAX);
	assert_string_equal(db_col_text(st, 1), "9223372036854775807");
	assert_string_equal(db_col_text(st, 2), "Zażółć gęślą jaźń");
	assert_false(db_col_is_null(st, 2));
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 2);
	assert_true(db_col_int(st, 1) == INT64_MIN);
	assert_true(db_col_is_null(st, 2));
	assert_null(db_col_text(st, 2));
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_int(st, 0) == 9007199254740993LL);
	assert_true(db_col_is_null(st, 1));
	assert_int_equal(db_col_int(st, 1), 0); /* NULL reads as 0 */
	assert_string_equal(db_col_text(st, 2), "third");
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);

	assert_int_equal(db_get_int(db, &v, &SQL_N_OF, "i", (int64_t)1), DB_ROW);
	assert_true(v == INT64_MAX);
	v = 42;
	assert_int_equal(db_get_int(db, &v, &SQL_N_OF, "i", (int64_t)77), DB_DONE);
	assert_int_equal(v, 42); /* unchanged without a row */
	assert_int_equal(db_get_int(db, &v, &SQL_COUNT_S, "t", "third"), DB_ROW);
	assert_int_equal(v, 1);
	/* text NULL binds SQL NULL, which matches nothing with = */
	assert_int_equal(db_get_int(db, &v, &SQL_COUNT_S, "t", (const char *)NULL),
			 DB_ROW);
	assert_int_equal(v, 0);
	/* an unknown letter is refused */
	assert_int_equal(db_run(db, &SQL_PUT, "x", (int64_t)5), DB_ERROR);
	assert_null(db_query(db, &SQL_K_OF, "f", 1.5));
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM t"), 3);
	/* a statement returning rows through db_run() is just run */
	assert_int_equal(db_run(db, &SQL_ALL_K, NULL), DB_OK);
}

static void test_errors(void **state)
{
	struct db *db = T(state)->db;

	make_table(db);
	assert_int_equal(db_run(db, &SQL_PUT_KN, "ii", (int64_t)1, (int64_t)1),
			 DB_OK);
	assert_int_equal(db_run(db, &SQL_PUT_KN, "ii", (int64_t)1, (int64_t)2),
			 DB_CONSTRAINT);
	assert_int_equal(db_run(db, &SQL_PUT_KS, "it", (int64_t)2, "bad"),
			 DB_CONSTRAINT);
	assert_int_equal(db_run(db, &SQL_PUT_NULLS, NULL), DB_CONSTRAINT);
	assert_null(db_prepare(db, &SQL_NONSENSE));
	assert_true(strlen(db_errmsg(db)) > 0);
	assert_null(db_query(db, &SQL_NO_TABLE, NULL));
	assert_int_equal(db_run(db, &SQL_NO_TABLE, NULL), DB_ERROR);
	assert_int_equal(db_get_int(db, &(int64_t){ 0 }, &SQL_NO_TABLE_X, NULL), DB_ERROR);
	assert_int_equal(db_exec(db, "INSERT INTO t (k) VALUES (10); INSERT INTO t (k) VALUES (11)"), 0);
	assert_int_equal(db_exec(db, "DROP TABLE no_such_table"), -1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM t WHERE k >= 10"), 2);
	/* the failed statements left the cache usable */
	assert_int_equal(db_run(db, &SQL_PUT_KN, "ii", (int64_t)3, (int64_t)3),
			 DB_OK);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM t WHERE k IN (1, 3)"), 2);
}

/* cached() counts the statements of c for the declaration decl or the text text. */
static int cached(const struct stmt_cache *c, const struct db_sql *decl, const char *text)
{
	int n = 0;
	size_t i;

	for (i = 0; i < STMT_BUCKETS; i++) {
		const struct db_stmt *st;

		for (st = c->bucket[i]; st != NULL; st = st->next)
			if ((decl != NULL && st->decl == decl) ||
			    (text != NULL && st->text != NULL && strcmp(st->text, text) == 0))
				n++;
	}
	return n;
}

static void test_statement_cache(void **state)
{
	struct db *db = T(state)->db;
	struct db_stmt *a, *b, *held;
	int64_t k, sum = 0;

	make_table(db);
	for (k = 1; k <= 3; k++)
		assert_int_equal(db_run(db, &SQL_PUT_KN, "ii", k, k * 10), DB_OK);
	a = db_prepare(db, &SQL_KN_FROM);
	assert_non_null(a);
	db_reset(a);
	b = db_prepare(db, &SQL_KN_FROM);
	assert_ptr_equal(a, b); /* back from the cache */
	/* the key is the declaration, not its text */
	a = db_prepare(db, &SQL_KN_FROM_AGAIN);
	assert_non_null(a);
	assert_ptr_not_equal(a, b);
	db_reset(a);
	assert_int_equal(cached(&db->fixed, &SQL_KN_FROM, NULL), 1);
	assert_int_equal(cached(&db->fixed, &SQL_KN_FROM_AGAIN, NULL), 1);

	/* while it is in use, the same declaration gives a second, independent statement */
	assert_int_equal(db_bind_int(b, 1, 1), DB_OK);
	while (db_step(b) == DB_ROW) {
		struct db_stmt *inner = db_prepare(db, &SQL_KN_FROM);

		assert_non_null(inner);
		assert_ptr_not_equal(inner, b);
		assert_int_equal(db_bind_int(inner, 1, db_col_int(b, 0)), DB_OK);
		while (db_step(inner) == DB_ROW)
			sum += db_col_int(inner, 1);
		db_reset(inner);
	}
	db_reset(b);
	assert_int_equal(sum, (10 + 20 + 30) + (20 + 30) + 30);
	assert_int_equal(cached(&db->fixed, &SQL_KN_FROM, NULL), 2);
	db_reset(NULL);

	/* run-time SQL: its own cache, keyed by the text */
	a = db_prepare_dynamic(db, "SELECT k, n FROM t WHERE k >= ? ORDER BY k");
	assert_non_null(a);
	db_reset(a);
	b = db_prepare_dynamic(db, "SELECT k, n FROM t WHERE k >= ? ORDER BY k");
	assert_ptr_equal(a, b);
	db_reset(b);
	assert_int_equal(cached(&db->dynamic, NULL, "SELECT k, n FROM t WHERE k >= ? ORDER BY k"), 1);
	assert_null(db_prepare_dynamic(db, "SELEC nonsense"));

	/* a full cache evicts idle statements but keeps one in use */
	held = db_query(db, &SQL_N_OF, "i", (int64_t)2);
	assert_non_null(held);
	assert_int_equal(db_get_int(db, &k, &SQL_FIVE_PLUS, "i", (int64_t)1), DB_ROW);
	assert_int_equal(k, 6);
	{
		static struct db_sql many[STMT_CACHE_MAX + 100];
		static char texts[STMT_CACHE_MAX + 100][32];
		size_t i;

		for (i = 0; i < STMT_CACHE_MAX + 100; i++) {
			int64_t v = -1;

			snprintf(texts[i], sizeof(texts[i]), "SELECT %zu + ?", i);
			many[i].text = texts[i];
			assert_int_equal(db_get_int(db, &v, &many[i], "i", (int64_t)1), DB_ROW);
			assert_int_equal(v, (int64_t)i + 1);
			/* one statement used again and again stays: least recently used goes first */
			assert_int_equal(db_get_int(db, &v, &SQL_FIVE_PLUS, "i", (int64_t)2), DB_ROW);
			assert_int_equal(v, 7);
		}
		assert_true(db->fixed.n <= STMT_CACHE_MAX);
		assert_int_equal(cached(&db->fixed, &SQL_FIVE_PLUS, NULL), 1);
		assert_int_equal(cached(&db->fixed, &SQL_N_OF, NULL), 1); /* in use */
		assert_int_equal(cached(&db->fixed, &many[0], NULL), 0);  /* the oldest went */
		assert_int_equal(cached(&db->fixed, &many[STMT_CACHE_MAX + 99], NULL), 1);
		assert_int_equal(db_step(held), DB_ROW);
		assert_int_equal(db_col_int(held, 0), 20);
		db_reset(held);

		/* the same for run-time texts, in their own bound */
		for (i = 0; i < STMT_DYNAMIC_MAX + 50; i++) {
			struct db_stmt *st = db_prepare_dynamic(db, texts[i]);

			assert_non_null(st);
			assert_int_equal(db_bind_int(st, 1, 1), DB_OK);
			assert_int_equal(db_step(st), DB_ROW);
			assert_int_equal(db_col_int(st, 0), (int64_t)i + 1);
			db_reset(st);
		}
		assert_int_equal(db->dynamic.n, STMT_DYNAMIC_MAX);
		assert_int_equal(cached(&db->dynamic, NULL, texts[0]), 0);
		assert_int_equal(cached(&db->dynamic, NULL, texts[STMT_DYNAMIC_MAX + 49]), 1);
		assert_true(db->fixed.n <= STMT_CACHE_MAX);
	}
	assert_int_equal(db_get_int(db, &k, &SQL_FIVE_PLUS, "i", (int64_t)1), DB_ROW);
	assert_int_equal(k, 6);
}

/* ---- transactions ---- */

/* keys() writes the keys of t in order as "1,3" into out. */
static const char *keys(struct db *db, char *out, size_t n)
{
	struct db_stmt *st = db_query(db, &SQL_KEYS, NULL);
	size_t len = 0;

	assert_non_null(st);
	out[0] = '\0';
	while (db_step(st) == DB_ROW)
		len += (size_t)snprintf(out + len, n - len, "%s%lld", len > 0 ? "," : "",
					(long long)db_col_int(st, 0));
	db_reset(st);
	return out;
}

static int put(struct db *db, int64_t k)
{
	return db_run(db, &SQL_PUT, "i", k);
}

static void test_nested_transactions(void **state)
{
	struct testdb *t = T(state);
	struct db *db = t->db, *other;
	char buf[128];

	make_table(db);
	assert_int_equal(db_commit(db), -1); /* nothing open */
	assert_int_equal(db_rollback(db), -1);

	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 1), DB_OK);
	assert_int_equal(db_begin(db), 0); /* savepoint */
	assert_int_equal(put(db, 2), DB_OK);
	assert_string_equal(keys(db, buf, sizeof(buf)), "1,2");
	assert_int_equal(db_rollback(db), 0); /* only the inner part */
	assert_string_equal(keys(db, buf, sizeof(buf)), "1");
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 3), DB_OK);
	assert_int_equal(db_commit(db), 0); /* released into the outer one */

	/* nobody else sees it before the outer commit */
	other = testdb_connect(t);
	assert_int_equal(testdb_count(other, "SELECT COUNT(*) FROM t"), 0);
	assert_int_equal(db_commit(db), 0);
	assert_string_equal(keys(other, buf, sizeof(buf)), "1,3");

	/* three levels: the middle commit is undone by the outer rollback */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 10), DB_OK);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 11), DB_OK);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 12), DB_OK);
	assert_int_equal(db_rollback(db), 0);
	assert_int_equal(db_commit(db), 0);
	assert_string_equal(keys(db, buf, sizeof(buf)), "1,3,10,11");
	assert_int_equal(db_rollback(db), 0);
	assert_string_equal(keys(db, buf, sizeof(buf)), "1,3");
	assert_string_equal(keys(other, buf, sizeof(buf)), "1,3");

	/* the savepoint names are reused correctly after all that */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 20), DB_OK);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 21), DB_OK);
	assert_int_equal(db_rollback(db), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_commit(db), -1);
	assert_string_equal(keys(other, buf, sizeof(buf)), "1,3,20");
	db_close(other);
}

static void test_inner_rollback_after_error(void **state)
{
	struct testdb *t = T(state);
	struct db *db = t->db, *other;
	char buf[128];

	make_table(db);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 1), DB_OK);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 2), DB_OK);
	assert_int_equal(put(db, 1), DB_CONSTRAINT); /* fails inside the savepoint */
	assert_int_equal(db_rollback(db), 0);
	/* the outer transaction goes on (PostgreSQL too: the savepoint cleared the error) */
	assert_int_equal(put(db, 5), DB_OK);
	assert_int_equal(db_commit(db), 0);
	other = testdb_connect(t);
	assert_string_equal(keys(other, buf, sizeof(buf)), "1,5");
	db_close(other);
}

/*
 * After a failed statement in a transaction PostgreSQL can only roll back;
 * db_commit() must then say so instead of reporting success. SQLite keeps
 * the transaction (only the failed statement is undone) and commits it.
 */
static void test_commit_after_failed_statement(void **state)
{
	struct testdb *t = T(state);
	struct db *db = t->db, *other;
	char buf[128];

	make_table(db);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 1), DB_OK);
	assert_int_equal(put(db, 1), DB_CONSTRAINT);
	other = testdb_connect(t);
	if (db_backend(db) == DB_SQLITE) {
		assert_int_equal(db_commit(db), 0);
		assert_string_equal(keys(other, buf, sizeof(buf)), "1");
	} else {
		assert_int_equal(db_commit(db), -1);
		assert_string_equal(keys(other, buf, sizeof(buf)), "");
	}
	/* either way the connection is usable and outside any transaction */
	assert_int_equal(put(db, 7), DB_OK);
	assert_int_equal(db_rollback(db), -1);
	assert_int_equal(testdb_count(other, "SELECT COUNT(*) FROM t WHERE k = 7"), 1);
	db_close(other);
}

static void test_begin_read(void **state)
{
	struct testdb *t = T(state);
	struct db *db = t->db, *other;
	int rc;

	make_table(db);
	assert_int_equal(put(db, 1), DB_OK);
	other = testdb_connect(t);

	/* one snapshot for the whole transaction */
	assert_int_equal(db_begin_read(db), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM t"), 1);
	assert_int_equal(put(other, 2), DB_OK); /* committed by another connection */
	assert_int_equal(testdb_count(other, "SELECT COUNT(*) FROM t"), 2);
	if (db_backend(db) == DB_SQLITE) {
		/*
		 * Only SQLite keeps the snapshot: PostgreSQL's plain BEGIN is READ
		 * COMMITTED, so each statement there sees the latest commits.
		 */
		assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM t"), 1);
		/* a write on an outdated snapshot fails at once, without waiting */
		rc = put(db, 3);
		assert_int_equal(rc, DB_BUSY);
	}
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM t"), 2);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM t WHERE k = 3"), 0);

	/* a write that does not conflict succeeds and is committed */
	assert_int_equal(db_begin_read(db), 0);
	assert_int_equal(put(db, 4), DB_OK);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(testdb_count(other, "SELECT COUNT(*) FROM t WHERE k = 4"), 1);

	/* inside a transaction it is a savepoint */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 5), DB_OK);
	assert_int_equal(db_begin_read(db), 0);
	assert_int_equal(put(db, 6), DB_OK);
	assert_int_equal(db_rollback(db), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(testdb_count(other, "SELECT COUNT(*) FROM t WHERE k IN (5, 6)"), 1);
	assert_int_equal(testdb_count(other, "SELECT COUNT(*) FROM t WHERE k = 5"), 1);
	assert_int_equal(db_commit(db), -1);

	/* a write transaction inside a read; on PostgreSQL the read itself sends nothing */
	assert_int_equal(db_begin_read(db), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM t WHERE k = 8"), 0);
	if (db_backend(db) == DB_POSTGRES) {
		/* each statement is its own transaction: now() (its start) moves on */
		static const char now_us[] = "SELECT (extract(epoch FROM now()) * 1000000)::bigint";
		int64_t first = testdb_count(db, now_us);

		assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM (SELECT pg_sleep(0.002)) s"), 1);
		assert_true(testdb_count(db, now_us) > first);
	}
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 8), DB_OK);
	assert_int_equal(db_begin(db), 0); /* a savepoint inside it */
	assert_int_equal(put(db, 9), DB_OK);
	assert_int_equal(db_rollback(db), 0);
	assert_int_equal(db_commit(db), 0);
	if (db_backend(db) == DB_POSTGRES) /* committed before the read ends */
		assert_int_equal(testdb_count(other, "SELECT COUNT(*) FROM t WHERE k = 8"), 1);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 10), DB_OK);
	assert_int_equal(db_rollback(db), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM t WHERE k IN (9, 10)"), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(testdb_count(other, "SELECT COUNT(*) FROM t WHERE k = 8"), 1);
	assert_int_equal(testdb_count(other, "SELECT COUNT(*) FROM t WHERE k IN (9, 10)"), 0);
	assert_int_equal(db_commit(db), -1);
	db_close(other);
}

/* ---- doubles and blobs ---- */

/* make_values() creates v (k key, d double, b blob) with the {{DOUBLE}} and {{BLOB}} tokens. */
static void make_values(struct db *db)
{
	struct buf ddl = BUF_INIT(4096);

	assert_int_equal(db_dialect(db, "CREATE TABLE v (k {{INT}} PRIMARY KEY, d {{DOUBLE}}, b {{BLOB}}) "
					"{{STRICT}}",
				    &ddl),
			 0);
	if (db_backend(db) == DB_SQLITE)
		assert_string_equal(buf_str(&ddl), "CREATE TABLE v (k INTEGER PRIMARY KEY, d REAL, b BLOB) STRICT");
	else
		assert_string_equal(buf_str(&ddl),
				    "CREATE TABLE v (k BIGINT PRIMARY KEY, d DOUBLE PRECISION, b BYTEA) ");
	assert_int_equal(db_exec(db, buf_str(&ddl)), 0);
	buf_release(&ddl);
}

static void test_double_blob(void **state)
{
	struct db *db = T(state)->db;
	static const double ds[] = { 0.1, -1e308, 4.9406564584124654e-324, 1.0 / 3.0, 0.0, -2.5,
				     123456789.125 };
	unsigned char bytes[256];
	const unsigned char *got;
	struct db_stmt *st;
	size_t i, len;

	make_values(db);
	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = (unsigned char)(255 - i); /* every byte value, NUL included */
	for (i = 0; i < sizeof(ds) / sizeof(ds[0]); i++)
		assert_int_equal(db_run(db, &SQL_PUT_VALUES, "idb", (int64_t)i, ds[i], bytes, i * 40), DB_OK);
	for (i = 0; i < sizeof(ds) / sizeof(ds[0]); i++) {
		st = db_query(db, &SQL_VALUES, "i", (int64_t)i);
		assert_non_null(st);
		assert_int_equal(db_step(st), DB_ROW);
		assert_true(db_col_double(st, 0) == ds[i]); /* exact: the text form round-trips */
		got = db_col_blob(st, 1, &len);
		assert_non_null(got); /* an empty blob (i = 0) is not NULL */
		assert_int_equal(len, i * 40);
		assert_memory_equal(got, bytes, len > 0 ? len : 1 - 1);
		assert_int_equal(db_col_int(st, 2), (int64_t)(i * 40)); /* the server saw bytes, not text */
		db_reset(st);
	}
	/* infinities, NULLs, db_bind_* directly */
	st = db_prepare(db, &SQL_PUT_VALUES);
	assert_non_null(st);
	assert_int_equal(db_bind_int(st, 1, 100), DB_OK);
	assert_int_equal(db_bind_double(st, 2, -INFINITY), DB_OK);
	assert_int_equal(db_bind_blob(st, 3, NULL, 5), DB_OK);
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);
	assert_int_equal(db_run(db, &SQL_PUT_VALUES, "idb", (int64_t)101, INFINITY, "\0\1\2", (size_t)3), DB_OK);
	st = db_query(db, &SQL_VALUES, "i", (int64_t)100);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(isinf(db_col_double(st, 0)) && db_col_double(st, 0) < 0);
	assert_null(db_col_blob(st, 1, &len));
	assert_int_equal(len, 0);
	assert_true(db_col_is_null(st, 1));
	db_reset(st);
	st = db_query(db, &SQL_VALUES, "i", (int64_t)101);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(isinf(db_col_double(st, 0)) && db_col_double(st, 0) > 0);
	got = db_col_blob(st, 1, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(got, "\0\1\2", 3);
	db_reset(st);
	/* 'd' and 'b' keep the following arguments in step */
	st = db_query(db, &SQL_ECHO_DB, "dt", 2.75, "after");
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_double(st, 0) == 2.75);
	assert_string_equal(db_col_text(st, 1), "after");
	db_reset(st);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM v"), 9);
}

/* ---- streaming ---- */

static size_t heap_in_use(void)
{
	return mallinfo2().uordblks;
}

static void test_stream(void **state)
{
	struct db *db = T(state)->db;
	const int64_t rows = 100000;
	struct db_stmt *st;
	int64_t n = 0, sum = 0, v = 0;
	size_t base, peak = 0;
	int rc;

	/* 100k rows, one at a time: the heap does not grow with the result */
	base = heap_in_use();
	st = db_stream(db, &SQL_SERIES, "i", rows);
	assert_non_null(st);
	while ((rc = db_step(st)) == DB_ROW) {
		char want[40];

		n++;
		sum += db_col_int(st, 0);
		if (n % 1000 == 1) {
			size_t now = heap_in_use();

			snprintf(want, sizeof(want), "row number %lld", (long long)n);
			assert_string_equal(db_col_text(st, 1), want);
			if (db_backend(db) == DB_POSTGRES)
				assert_int_equal(db_pg_rows_held(st), 1); /* single-row mode */
			if (now > base && now - base > peak)
				peak = now - base;
		}
	}
	assert_int_equal(rc, DB_DONE);
	db_reset(st);
	assert_int_equal(n, rows);
	assert_true(sum == rows * (rows + 1) / 2);
	assert_true(peak < 1024 * 1024); /* the whole result is several megabytes */

	/* without streaming PostgreSQL holds the whole result */
	st = db_query(db, &SQL_SERIES, "i", (int64_t)1000);
	assert_int_equal(db_step(st), DB_ROW);
	if (db_backend(db) == DB_POSTGRES)
		assert_int_equal(db_pg_rows_held(st), 1000);
	db_reset(st);

	/* another statement in the middle of a stream: the rest is read ahead, nothing lost */
	st = db_stream(db, &SQL_SERIES, "i", (int64_t)50);
	n = sum = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		n++;
		sum += db_col_int(st, 0);
		if (n == 10) {
			assert_int_equal(db_get_int(db, &v, &SQL_FIVE_PLUS, "i", (int64_t)1), DB_ROW);
			assert_int_equal(v, 6);
		}
	}
	assert_int_equal(rc, DB_DONE);
	db_reset(st);
	assert_int_equal(n, 50);
	assert_int_equal(sum, 50 * 51 / 2);

	/* given back part-way: the rest is dropped and the connection is free */
	st = db_stream(db, &SQL_SERIES, "i", (int64_t)5000);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_step(st), DB_ROW);
	db_reset(st);
	assert_int_equal(db_get_int(db, &v, &SQL_FIVE_PLUS, "i", (int64_t)2), DB_ROW);
	assert_int_equal(v, 7);

	/* a failure part-way is an error after the rows before it */
	st = db_stream(db, &SQL_SERIES_FAILING, "ii", (int64_t)10, (int64_t)5);
	n = 0;
	while ((rc = db_step(st)) == DB_ROW)
		n++;
	db_reset(st);
	if (db_backend(db) == DB_POSTGRES) {
		assert_int_equal(rc, DB_ERROR);
		assert_true(n < 5);
		assert_non_null(strstr(db_errmsg(db), "division by zero"));
	} else {
		assert_int_equal(rc, DB_DONE); /* SQLite: x / 0 is NULL */
		assert_int_equal(n, 10);
	}
	assert_int_equal(db_get_int(db, &v, &SQL_FIVE_PLUS, "i", (int64_t)3), DB_ROW);
	assert_int_equal(v, 8);

	/* inside a read transaction too */
	assert_int_equal(db_begin_read(db), 0);
	st = db_stream(db, &SQL_SERIES, "i", (int64_t)3);
	n = 0;
	while (db_step(st) == DB_ROW)
		n++;
	db_reset(st);
	assert_int_equal(n, 3);
	assert_int_equal(db_commit(db), 0);
}

/* ---- advisory locks ---- */

struct locker {
	struct db *db;       /* its own connection */
	const char *key;     /* what it locks */
	atomic_int done;     /* db_lock() returned */
	int rc;              /* what it returned */
};

static void *lock_in_thread(void *arg)
{
	struct locker *l = arg;

	assert_int_equal(db_begin(l->db), 0);
	l->rc = db_lock(l->db, l->key);
	atomic_store(&l->done, 1);
	db_commit(l->db);
	return NULL;
}

static void test_lock(void **state)
{
	struct testdb *t = T(state);
	struct db *db = t->db, *other;
	struct locker l = { .key = "institution:name:gops" };
	pthread_t th;
	int64_t v = -1;
	int i;

	/* only inside a write transaction */
	assert_int_equal(db_lock(db, "x"), DB_ERROR);
	assert_non_null(strstr(db_errmsg(db), "outside a write transaction"));
	assert_int_equal(db_begin_read(db), 0);
	assert_int_equal(db_lock(db, "x"), DB_ERROR);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_lock(db, "x"), DB_OK);
	assert_int_equal(db_begin(db), 0); /* in a savepoint too */
	assert_int_equal(db_lock(db, "y"), DB_OK);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_commit(db), 0);
	assert_true(db_lock_key("a") != db_lock_key("b"));
	if (db_backend(db) != DB_POSTGRES)
		return; /* SQLite: BEGIN IMMEDIATE already keeps other writers out */

	/* held until the transaction ends: others cannot take it ... */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_lock(db, l.key), DB_OK);
	other = testdb_connect(t);
	assert_int_equal(db_begin(other), 0);
	assert_int_equal(db_get_int(other, &v, &SQL_TRY_LOCK, "i", db_lock_key(l.key)), DB_ROW);
	assert_int_equal(v, 0);
	assert_int_equal(db_get_int(other, &v, &SQL_TRY_LOCK, "i", db_lock_key("another key")), DB_ROW);
	assert_int_equal(v, 1);
	assert_int_equal(db_exec(other, "SET LOCAL lock_timeout = '20ms'"), 0);
	assert_int_equal(db_lock(other, l.key), DB_BUSY); /* gave up waiting */
	assert_int_equal(db_rollback(other), 0);

	/* ... and one that asks waits until the holder commits */
	l.db = other;
	assert_int_equal(pthread_create(&th, NULL, lock_in_thread, &l), 0);
	for (i = 0, v = 0; i < 2000 && v == 0; i++) { /* until the server shows it waiting */
		struct db *watch = testdb_connect(t);

		assert_int_equal(db_get_int(watch, &v, &SQL_LOCK_WAITERS, NULL), DB_ROW);
		db_close(watch);
		if (v == 0)
			nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
	}
	assert_int_equal(v, 1);
	assert_int_equal(atomic_load(&l.done), 0);
	assert_int_equal(db_commit(db), 0); /* releases it */
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(l.rc, DB_OK);
	db_close(other);
}

/* ---- a lost PostgreSQL connection ---- */

/* kill_backend() terminates db's server process from another connection and waits for it to go. */
static int64_t kill_backend(struct testdb *t, struct db *db)
{
	struct db *killer = testdb_connect(t);
	int64_t pid = 0, ok = 0;

	assert_int_equal(db_get_int(db, &pid, &SQL_BACKEND_PID, NULL), DB_ROW);
	assert_int_equal(db_get_int(killer, &ok, &SQL_TERMINATE, "i", pid), DB_ROW);
	assert_int_equal(ok, 1);
	db_close(killer);
	return pid;
}

static void test_reconnect(void **state)
{
	struct testdb *t = T(state);
	struct db *db = t->db, *other;
	struct db_stmt *held;
	int64_t pid, now_pid = 0, v = 0;
	unsigned epoch = db->epoch;

	if (db_backend(db) != DB_POSTGRES)
		return; /* nothing to lose */
	make_table(db);
	assert_int_equal(db_get_int(db, &v, &SQL_FIVE_PLUS, "i", (int64_t)1), DB_ROW);
	assert_true(db->fixed.n > 0);

	/* in a transaction: the next statement fails, the connection is reset */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 1), DB_OK);
	held = db_prepare(db, &SQL_N_OF); /* in use across the loss */
	assert_non_null(held);
	pid = kill_backend(t, db);
	assert_int_equal(db_get_int(db, &v, &SQL_FIVE_PLUS, "i", (int64_t)1), DB_ERROR);
	assert_int_equal(db->depth, 0);               /* the transaction is gone */
	assert_int_equal(db->fixed.n, 1);             /* all but the one in use were dropped */
	assert_true(db->epoch != epoch);
	assert_int_equal(db_rollback(db), -1);        /* nothing left to roll back */
	assert_int_equal(db_bind_int(held, 1, 1), DB_OK);
	assert_int_equal(db_step(held), DB_ERROR);    /* prepared on the lost connection */
	db_reset(held);
	assert_int_equal(db->fixed.n, 0);
	/* the next call reconnects and prepares again */
	v = 0;
	assert_int_equal(db_get_int(db, &v, &SQL_FIVE_PLUS, "i", (int64_t)2), DB_ROW);
	assert_int_equal(v, 7);
	assert_int_equal(db_get_int(db, &now_pid, &SQL_BACKEND_PID, NULL), DB_ROW);
	assert_true(now_pid != pid);
	other = testdb_connect(t);
	assert_int_equal(testdb_count(other, "SELECT COUNT(*) FROM t"), 0); /* never committed */
	db_close(other);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(put(db, 2), DB_OK);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM t"), 1);

	/* idle (as between requests): the notice on the socket is seen, nothing fails */
	epoch = db->epoch;
	pid = kill_backend(t, db);
	assert_int_equal(db_begin_read(db), 0);
	assert_int_equal(db_get_int(db, &v, &SQL_FIVE_PLUS, "i", (int64_t)3), DB_ROW);
	assert_int_equal(v, 8);
	assert_int_equal(db_commit(db), 0);
	assert_true(db->epoch != epoch);
	assert_int_equal(db_get_int(db, &now_pid, &SQL_BACKEND_PID, NULL), DB_ROW);
	assert_true(now_pid != pid);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM t WHERE k = 2"), 1);
}

/* ---- backup ---- */

static void test_backup(void **state)
{
	struct testdb *t = T(state);
	char dir[] = "/tmp/razem-unit-XXXXXX", path[128], err[512] = "";
	struct db *copy = NULL;
	int64_t k;

	make_table(t->db);
	for (k = 1; k <= 3; k++)
		assert_int_equal(put(t->db, k), DB_OK);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/backup", dir);
	assert_int_equal(db_backup(t->db, path, err, sizeof(err)), 0);
	if (db_backend(t->db) == DB_SQLITE) {
		char buf[32];

		assert_int_equal(db_open(path, &copy, err, sizeof(err)), 0);
		assert_string_equal(keys(copy, buf, sizeof(buf)), "1,2,3");
		db_close(copy);
		/* VACUUM INTO does not overwrite */
		err[0] = '\0';
		assert_int_equal(db_backup(t->db, path, err, sizeof(err)), -1);
		assert_true(strlen(err) > 0);
	} else {
		FILE *f = fopen(path, "rb");
		char magic[5] = "";

		assert_non_null(f);
		assert_int_equal(fread(magic, 1, 5, f), 5);
		fclose(f);
		assert_memory_equal(magic, "PGDMP", 5); /* pg_dump custom format */
	}
	err[0] = '\0';
	assert_int_equal(db_backup(t->db, "/nonexistent-razem-dir/sub/backup", err, sizeof(err)), -1);
	assert_true(strlen(err) > 0);
	testdb_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_open_refusals),
		testdb_plain(test_open_sqlite_prefix),
		testdb_plain(test_url_describe),
		testdb_plain(test_pg_placeholders),
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_schema_version_empty_table),
		cmocka_unit_test(test_query_types),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_statement_cache),
		cmocka_unit_test(test_nested_transactions),
		cmocka_unit_test(test_inner_rollback_after_error),
		cmocka_unit_test(test_commit_after_failed_statement),
		cmocka_unit_test(test_begin_read),
		cmocka_unit_test(test_backup),
		cmocka_unit_test(test_double_blob),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_reconnect),
	};

	log_set_level(LOG_ERROR + 1);
	return TESTDB_RUN("db", tests, 0);
}
