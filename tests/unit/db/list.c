/*
 * tests/unit/db/list.c — server-side lists over a scratch table, on SQLite
 * and (with RAZEM_TEST_PG_URL) PostgreSQL: exact, range (GE/LT/LE),
 * integer and boolean filters and their refusal of non-numbers, prefix
 * filters and a definition's own filter SQL, free-text search with LIKE
 * wildcards (% _ \) taken literally, the fixed WHERE and the scope (with
 * and without bound values, several of mixed types, 40 of them, a '?'
 * count that does not match its values, out of room), the column mask (masked columns come back NULL
 * and are not searched, filtered or sorted by), sorting in both directions with NULLs last
 * and ties broken by id, fallback to the default sort, paging and the
 * max_rows cap, NULL values and ids in pages, list_each() (order, early
 * stop, cap, paging ignored), list_add_filter() and list_col_index().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/list.h"
#include "../testdb.h"

/* Statements of the tests */
static const struct db_sql SQL_ITEM_INSERT =
	DB_SQL("INSERT INTO item (id, name, code, num, day, flag, kind, "
	       "note, owner, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

#define T(state) ((struct testdb *)*(state))

enum { C_NAME, C_CODE, C_NUM, C_DAY, C_FLAG, C_KIND, C_NOTE, C_PLAIN, C_SECRET, NCOLS };

static const struct list_col cols[NCOLS] = {
	[C_NAME] = { "name", "Name", "x.name", LIST_TEXT, LIST_SORT | LIST_SEARCH, "lower(x.name)",
		     "lower(x.name)" },
	[C_CODE] = { "code", "Code", "x.code", LIST_TEXT, LIST_SORT | LIST_FILTER | LIST_PREFIX },
	[C_NUM] = { "num", "Number", "x.num", LIST_INT, LIST_SORT | LIST_FILTER | LIST_RANGE },
	[C_DAY] = { "day", "Day", "x.day", LIST_DATE, LIST_SORT | LIST_RANGE },
	[C_FLAG] = { "flag", "Flag", "x.flag", LIST_BOOL, LIST_FILTER },
	[C_KIND] = { "kind", "Kind", "x.kind", LIST_CODE, LIST_FILTER, NULL, NULL, NULL, NULL,
		     "upper(x.kind) = upper(?)" },
	[C_NOTE] = { "note", "Note", "x.note", LIST_TEXT, LIST_SEARCH | LIST_NOSHOW },
	[C_PLAIN] = { "plain", "Plain", "x.kind", LIST_TEXT, 0 },
	/* a special-category column: read only when the query's mask allows health data */
	[C_SECRET] = { "secret", "Secret", "x.code", LIST_TEXT, LIST_SORT | LIST_SEARCH | LIST_FILTER,
		       .sens = SENS_HEALTH },
};

static const struct list_def def = {
	.name = "items",
	.from = "item x",
	.where = "x.deleted = 0",
	.id_expr = "x.id",
	.cols = cols,
	.ncols = NCOLS,
	.default_sort = C_NAME,
};

static int setup_rows(struct db *db)
{
	static const struct {
		int64_t id;
		const char *name, *code;
		int64_t num; /* -1 = NULL */
		const char *day, *kind, *note;
		int64_t flag, owner, deleted;
	} rows[] = {
		{ 1, "Alpha", "3050011", 10, "2024-01-05", "ops", "100% sure", 1, 1, 0 },
		{ 2, "beta", "3050022", -1, "2024-02-10", "pup", "a_b", 0, 1, 0 },
		{ 3, "Gamma", "3061011", 30, "2024-03-15", "ops", "axb", 1, 2, 0 },
		{ 4, "delta", "3050", 20, NULL, "mops", "c:\\dir", 1, 2, 0 },
		{ 5, "Epsilon", "3050033", 5, "2024-01-20", "ops", "gone", 0, 1, 1 },
		{ 6, "Zeta_%", "1234567", -1, "2024-05-01", "pup", NULL, 1, 2, 0 },
		{ 7, "eta", "305_011", 7, "2024-06-01", "ngo", "x", 0, 3, 0 },
	};
	size_t i;

	if (db_exec(db, "CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT, code TEXT, num BIGINT, "
			"day TEXT, flag BIGINT, kind TEXT, note TEXT, owner BIGINT, deleted BIGINT)") != 0)
		return -1;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct db_stmt *st = db_prepare(db, &SQL_ITEM_INSERT);
		int rc;

		if (st == NULL)
			return -1;
		db_bind_int(st, 1, rows[i].id);
		db_bind_text(st, 2, rows[i].name);
		db_bind_text(st, 3, rows[i].code);
		if (rows[i].num < 0)
			db_bind_null(st, 4);
		else
			db_bind_int(st, 4, rows[i].num);
		db_bind_text(st, 5, rows[i].day);
		db_bind_int(st, 6, rows[i].flag);
		db_bind_text(st, 7, rows[i].kind);
		db_bind_text(st, 8, rows[i].note);
		db_bind_int(st, 9, rows[i].owner);
		db_bind_int(st, 10, rows[i].deleted);
		rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

/* ids() runs list_fetch() and returns "total:id,id,..." for the page. */
static const char *ids(struct db *db, struct arena *a, const struct list_query *q)
{
	struct list_page p;
	char *out;
	size_t len;
	int i;

	if (list_fetch(db, a, &def, q, &p) != 0)
		return "error";
	out = arena_printf(a, "%lld:", (long long)p.total);
	assert_non_null(out);
	for (i = 0; i < p.nrows; i++) {
		len = strlen(out);
		out = arena_printf(a, "%s%s%s", out, i > 0 ? "," : "", p.ids[i]);
		assert_non_null(out);
		(void)len;
	}
	return out;
}

/* with() is ids() for a default query with one filter. */
static const char *with(struct db *db, struct arena *a, int col, enum list_op op, const char *v)
{
	struct list_query q = LIST_QUERY_INIT;

	assert_int_equal(list_add_filter(&q, col, op, v), 0);
	return ids(db, a, &q);
}

static const char *search(struct db *db, struct arena *a, const char *s)
{
	struct list_query q = LIST_QUERY_INIT;

	q.q = s;
	return ids(db, a, &q);
}

static const char *sorted(struct db *db, struct arena *a, int col, int desc)
{
	struct list_query q = LIST_QUERY_INIT;

	q.sort = col;
	q.desc = desc;
	return ids(db, a, &q);
}

static int setup_list(void **state)
{
	assert_int_equal(testdb_setup(state), 0);
	assert_int_equal(setup_rows(T(state)->db), 0);
	return 0;
}

/* ---- tests ---- */

static void test_default(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct list_query q = LIST_QUERY_INIT;
	struct list_page p;

	/* by lower(name), the deleted row 5 left out by the fixed WHERE */
	assert_string_equal(ids(db, a, &q), "6:1,2,4,7,3,6");
	assert_int_equal(list_fetch(db, a, &def, &q, &p), 0);
	assert_int_equal(p.nrows, 6);
	assert_string_equal(p.values[0][C_NAME], "Alpha");
	assert_string_equal(p.values[0][C_CODE], "3050011");
	assert_string_equal(p.values[0][C_NUM], "10");
	assert_string_equal(p.values[0][C_FLAG], "1");
	assert_string_equal(p.values[0][C_NOTE], "100% sure");
	assert_string_equal(p.ids[0], "1");
	assert_null(p.values[1][C_NUM]); /* SQL NULL */
	assert_null(p.values[2][C_DAY]);
	assert_null(p.values[5][C_NOTE]);
	arena_free(a);
}

static void test_filters(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct list_query q = LIST_QUERY_INIT;
	struct list_page p;

	/* integers */
	assert_string_equal(with(db, a, C_NUM, LIST_EQ, "20"), "1:4");
	assert_string_equal(with(db, a, C_NUM, LIST_GE, "10"), "3:1,4,3");
	assert_string_equal(with(db, a, C_NUM, LIST_LT, "20"), "2:1,7");
	assert_string_equal(with(db, a, C_NUM, LIST_LE, "20"), "3:1,4,7");
	assert_string_equal(with(db, a, C_NUM, LIST_GE, "-5"), "4:1,4,7,3");
	assert_string_equal(with(db, a, C_NUM, LIST_EQ, "abc"), "error");
	assert_string_equal(with(db, a, C_NUM, LIST_EQ, "12x"), "error");
	assert_string_equal(with(db, a, C_NUM, LIST_EQ, ""), "error");
	/* booleans */
	assert_string_equal(with(db, a, C_FLAG, LIST_EQ, "1"), "4:1,4,3,6");
	assert_string_equal(with(db, a, C_FLAG, LIST_EQ, "0"), "2:2,7");
	assert_string_equal(with(db, a, C_FLAG, LIST_EQ, "yes"), "error");
	/* dates compare as text */
	assert_string_equal(with(db, a, C_DAY, LIST_GE, "2024-02-01"), "4:2,7,3,6");
	assert_string_equal(with(db, a, C_DAY, LIST_LT, "2024-05-01"), "3:1,2,3");
	assert_string_equal(with(db, a, C_DAY, LIST_LE, "2024-05-01"), "4:1,2,3,6");
	/* the definition's own SQL for an exact filter */
	assert_string_equal(with(db, a, C_KIND, LIST_EQ, "OPS"), "2:1,3");
	assert_string_equal(with(db, a, C_KIND, LIST_EQ, "pup"), "2:2,6");
	/* AND-ed */
	assert_int_equal(list_add_filter(&q, C_DAY, LIST_GE, "2024-02-01"), 0);
	assert_int_equal(list_add_filter(&q, C_DAY, LIST_LT, "2024-05-01"), 0);
	assert_string_equal(ids(db, a, &q), "2:2,3");
	assert_int_equal(list_add_filter(&q, C_FLAG, LIST_EQ, "1"), 0);
	assert_string_equal(ids(db, a, &q), "1:3");
	/* a column index outside the definition is refused */
	q.nfilters = 0;
	assert_int_equal(list_add_filter(&q, NCOLS, LIST_EQ, "x"), 0);
	assert_int_equal(list_fetch(db, a, &def, &q, &p), -1);
	q.filters[0].col = -1;
	assert_int_equal(list_fetch(db, a, &def, &q, &p), -1);
	arena_free(a);
}

static void test_prefix(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);

	assert_string_equal(with(db, a, C_CODE, LIST_EQ, "3050"), "3:1,2,4");
	assert_string_equal(with(db, a, C_CODE, LIST_EQ, "3050011"), "1:1");
	assert_string_equal(with(db, a, C_CODE, LIST_EQ, "30"), "5:1,2,4,7,3");
	assert_string_equal(with(db, a, C_CODE, LIST_EQ, ""), "6:1,2,4,7,3,6");
	/* wildcards in the value are literal: "305_" is only the code 305_011 */
	assert_string_equal(with(db, a, C_CODE, LIST_EQ, "305_"), "1:7");
	assert_string_equal(with(db, a, C_CODE, LIST_EQ, "%"), "0:");
	/* range operators on a prefix column compare plainly */
	assert_string_equal(with(db, a, C_CODE, LIST_GE, "3060000"), "1:3");
	assert_string_equal(with(db, a, C_CODE, LIST_LT, "3050"), "1:6");
	arena_free(a);
}

static void test_search(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);

	assert_string_equal(search(db, a, "alp"), "1:1");
	assert_string_equal(search(db, a, "eta"), "3:2,7,6"); /* beta, eta, zeta_% */
	assert_string_equal(search(db, a, "sure"), "1:1");   /* LIST_NOSHOW columns are searched */
	/* % and _ match only themselves */
	assert_string_equal(search(db, a, "%"), "2:1,6");
	assert_string_equal(search(db, a, "_"), "2:2,6");
	assert_string_equal(search(db, a, "a_b"), "1:2"); /* not "axb" */
	assert_string_equal(search(db, a, "100%"), "1:1");
	assert_string_equal(search(db, a, "\\"), "1:4");
	assert_string_equal(search(db, a, "c:\\d"), "1:4");
	assert_string_equal(search(db, a, "nothing here"), "0:");
	/* the deleted row's note is not found */
	assert_string_equal(search(db, a, "gone"), "0:");
	/* an empty search is no search */
	assert_string_equal(search(db, a, ""), "6:1,2,4,7,3,6");
	arena_free(a);
}

static void test_sort(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);

	assert_string_equal(sorted(db, a, C_NAME, 0), "6:1,2,4,7,3,6");
	assert_string_equal(sorted(db, a, C_NAME, 1), "6:6,3,7,4,2,1");
	/* NULLs last both ways; ties (the two NULLs) by id in the same direction */
	assert_string_equal(sorted(db, a, C_NUM, 0), "6:7,1,4,3,2,6");
	assert_string_equal(sorted(db, a, C_NUM, 1), "6:3,4,1,7,6,2");
	assert_string_equal(sorted(db, a, C_DAY, 0), "6:1,2,3,6,7,4");
	assert_string_equal(sorted(db, a, C_DAY, 1), "6:7,6,3,2,1,4");
	assert_string_equal(sorted(db, a, C_CODE, 0), "6:6,4,1,2,7,3");
	/* a column not sortable, or out of range, sorts by the default column */
	assert_string_equal(sorted(db, a, C_FLAG, 0), "6:1,2,4,7,3,6");
	assert_string_equal(sorted(db, a, C_FLAG, 1), "6:6,3,7,4,2,1");
	assert_string_equal(sorted(db, a, 99, 0), "6:1,2,4,7,3,6");
	arena_free(a);
}

static void test_default_desc(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct list_def d = def;
	struct list_query q = LIST_QUERY_INIT;
	struct list_page p;

	d.default_sort = C_NUM;
	d.default_desc = 1;
	q.desc = 0; /* ignored without a sort column */
	assert_int_equal(list_fetch(db, a, &d, &q, &p), 0);
	assert_int_equal(p.nrows, 6);
	assert_string_equal(p.ids[0], "3");
	assert_string_equal(p.ids[3], "7");
	assert_string_equal(p.ids[4], "6");
	assert_string_equal(p.ids[5], "2");
	arena_free(a);
}

static void test_paging(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct list_query q = LIST_QUERY_INIT;

	q.limit = 2;
	assert_string_equal(ids(db, a, &q), "6:1,2");
	q.offset = 2;
	assert_string_equal(ids(db, a, &q), "6:4,7");
	q.offset = 4;
	assert_string_equal(ids(db, a, &q), "6:3,6");
	q.offset = 5;
	assert_string_equal(ids(db, a, &q), "6:6");
	q.offset = 6;
	assert_string_equal(ids(db, a, &q), "6:");
	q.offset = -3; /* treated as 0 */
	assert_string_equal(ids(db, a, &q), "6:1,2");
	/* max_rows caps a page; total still counts everything */
	q.offset = 0;
	q.limit = 0;
	q.max_rows = 3;
	assert_string_equal(ids(db, a, &q), "6:1,2,4");
	q.limit = 10;
	assert_string_equal(ids(db, a, &q), "6:1,2,4");
	q.limit = 1;
	assert_string_equal(ids(db, a, &q), "6:1");
	/* paging with a filter and sort */
	q = (struct list_query)LIST_QUERY_INIT;
	q.sort = C_NUM;
	q.desc = 1;
	q.limit = 2;
	q.offset = 1;
	assert_int_equal(list_add_filter(&q, C_FLAG, LIST_EQ, "1"), 0);
	assert_string_equal(ids(db, a, &q), "4:4,1");
	arena_free(a);
}

static void test_scope(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct list_query q = LIST_QUERY_INIT;

	q.scope.sql = "x.owner = ?";
	assert_int_equal(list_scope_int(&q.scope, 2), 0);
	assert_string_equal(ids(db, a, &q), "3:4,3,6");
	/* the scope's value is bound before the filters' */
	assert_int_equal(list_add_filter(&q, C_NUM, LIST_GE, "25"), 0);
	assert_string_equal(ids(db, a, &q), "1:3");
	q.q = "zeta";
	q.nfilters = 0;
	assert_string_equal(ids(db, a, &q), "1:6");
	/* a scope without a value */
	q = (struct list_query)LIST_QUERY_INIT;
	q.scope.sql = "x.owner <> 2";
	assert_string_equal(ids(db, a, &q), "3:1,2,7");
	/* a scope that matches nothing */
	q = (struct list_query)LIST_QUERY_INIT;
	q.scope.sql = "x.owner = ?";
	assert_int_equal(list_scope_int(&q.scope, 99), 0);
	assert_string_equal(ids(db, a, &q), "0:");
	arena_free(a);
}

/* A scope with several values of both types, then filters and search after it. */
static void test_scope_args(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct list_query q = LIST_QUERY_INIT;

	q.scope.sql = "(x.owner = ? OR x.kind = ?) AND x.num >= ?";
	assert_int_equal(list_scope_int(&q.scope, 2), 0);
	assert_int_equal(list_scope_text(&q.scope, "ngo"), 0);
	assert_int_equal(list_scope_int(&q.scope, 7), 0);
	assert_string_equal(ids(db, a, &q), "3:4,7,3");
	assert_int_equal(list_add_filter(&q, C_FLAG, LIST_EQ, "1"), 0);
	assert_string_equal(ids(db, a, &q), "2:4,3");
	q.nfilters = 0;
	q.q = "ta";
	assert_string_equal(ids(db, a, &q), "2:4,7");
	/* a page of it, and list_each over it */
	q.q = NULL;
	q.limit = 1;
	q.offset = 1;
	assert_string_equal(ids(db, a, &q), "3:7");
	/* values and '?'s must agree: one value short, or one too many, is an error */
	q = (struct list_query)LIST_QUERY_INIT;
	q.scope.sql = "x.owner = ? AND x.kind = ?";
	assert_int_equal(list_scope_int(&q.scope, 2), 0);
	assert_string_equal(ids(db, a, &q), "error");
	assert_int_equal(list_scope_text(&q.scope, "ops"), 0);
	assert_string_equal(ids(db, a, &q), "1:3");
	assert_int_equal(list_scope_int(&q.scope, 1), 0);
	assert_string_equal(ids(db, a, &q), "error");
	/* a NULL text is a NULL */
	q = (struct list_query)LIST_QUERY_INIT;
	assert_int_equal(list_scope_text(&q.scope, NULL), 0);
	assert_int_equal(list_scope_arg(&q.scope, 0)->type, 'n');
	arena_free(a);
}

/* A scope takes any number of values: 40 of them, bound before a filter's. */
static void test_scope_many(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20), *tiny = arena_new(256);
	struct list_query q = LIST_QUERY_INIT, same = LIST_QUERY_INIT;
	char *sql = arena_strdup(a, "x.id IN (?");
	int i;

	for (i = 1; i < 39; i++)
		sql = arena_printf(a, "%s, ?", sql);
	q.scope.sql = arena_printf(a, "%s) AND x.kind <> ?", sql);
	q.scope.arena = a;
	/* ids 2, 4 and 6 are in the table; the other 36 numbers are not */
	for (i = 0; i < 39; i++)
		assert_int_equal(list_scope_int(&q.scope, i < 3 ? 2 * (i + 1) : 1000 + i), 0);
	assert_int_equal(list_scope_text(&q.scope, "nie-ma-takiego"), 0);
	assert_int_equal(q.scope.nargs, 40);
	assert_int_equal(list_scope_arg(&q.scope, 39)->type, 't');
	assert_int_equal(list_scope_arg(&q.scope, 38)->i, 1038);
	same.scope.sql = "x.id IN (2, 4, 6)";
	assert_string_equal(ids(db, a, &q), ids(db, a, &same));
	assert_string_equal(ids(db, a, &q), "3:2,4,6");
	/* the filter's value comes after all of them */
	assert_int_equal(list_add_filter(&q, C_NUM, LIST_GE, "25"), 0);
	assert_int_equal(list_add_filter(&same, C_NUM, LIST_GE, "25"), 0);
	assert_string_equal(ids(db, a, &q), ids(db, a, &same));
	/* without an arena, at most LIST_SCOPE_INLINE values; an arena out of memory fails cleanly */
	q = (struct list_query)LIST_QUERY_INIT;
	for (i = 0; i < LIST_SCOPE_INLINE; i++)
		assert_int_equal(list_scope_int(&q.scope, i), 0);
	assert_int_equal(list_scope_int(&q.scope, 9), -1);
	assert_int_equal(list_scope_text(&q.scope, "x"), -1);
	assert_int_equal(q.scope.nargs, LIST_SCOPE_INLINE);
	q.scope.arena = tiny;
	assert_int_equal(list_scope_int(&q.scope, 9), -1);
	assert_int_equal(q.scope.nargs, LIST_SCOPE_INLINE);
	arena_free(tiny);
	arena_free(a);
}

/* The column mask: a masked column is not read, searched, filtered or sorted by. */
static void test_mask(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct list_query q = LIST_QUERY_INIT;
	struct list_def by_secret = def;
	struct list_page p;
	int r;

	assert_int_equal(list_masked_cols(&def, 0), 1u << C_SECRET);
	assert_int_equal(list_masked_cols(&def, SENS_ALL & ~SENS_SPECIAL), 1u << C_SECRET);
	assert_int_equal(list_masked_cols(&def, SENS_BIT(SENS_HEALTH)), 0);
	assert_int_equal(list_col_allowed(&cols[C_NAME], 0), 1); /* SENS_NONE: always */
	/* masked (the default): values NULL, no search, filter refused, sort falls back */
	assert_int_equal(list_fetch(db, a, &def, &q, &p), 0);
	assert_int_equal(p.nrows, 6);
	for (r = 0; r < p.nrows; r++) {
		assert_null(p.values[r][C_SECRET]);
		assert_non_null(p.values[r][C_CODE]); /* the same data, unmasked, through another column */
	}
	q.q = "3061";
	assert_string_equal(ids(db, a, &q), "0:");
	q.q = NULL;
	assert_int_equal(list_add_filter(&q, C_SECRET, LIST_EQ, "1234567"), 0);
	assert_string_equal(ids(db, a, &q), "error");
	q.nfilters = 0;
	q.sort = C_SECRET;
	assert_string_equal(ids(db, a, &q), "6:1,2,4,7,3,6");
	/* allowed: read, searched, filtered, sorted */
	q.mask = SENS_BIT(SENS_HEALTH);
	assert_string_equal(ids(db, a, &q), "6:6,4,1,2,7,3");
	assert_int_equal(list_fetch(db, a, &def, &q, &p), 0);
	assert_string_equal(p.values[0][C_SECRET], "1234567");
	q.sort = -1;
	q.q = "3061";
	assert_string_equal(ids(db, a, &q), "1:3");
	q.q = NULL;
	assert_int_equal(list_add_filter(&q, C_SECRET, LIST_EQ, "1234567"), 0);
	assert_string_equal(ids(db, a, &q), "1:6");
	/* a list sorted by default on a masked column is sorted by id instead */
	by_secret.default_sort = C_SECRET;
	q = (struct list_query)LIST_QUERY_INIT;
	assert_int_equal(list_fetch(db, a, &by_secret, &q, &p), 0);
	assert_int_equal(p.nrows, 6);
	assert_string_equal(p.ids[0], "1");
	assert_string_equal(p.ids[5], "7");
	arena_free(a);
}

struct collect {
	char seen[256]; /* "id:name," per row */
	int rows;       /* rows seen */
	int stop_after; /* return 7 after this many (0 = never) */
};

static int collect_row(void *ctx, const char *id, const char *const *values)
{
	struct collect *c = ctx;
	size_t len = strlen(c->seen);

	snprintf(c->seen + len, sizeof(c->seen) - len, "%s:%s,", id, values[C_NAME]);
	c->rows++;
	return c->stop_after > 0 && c->rows >= c->stop_after ? 7 : 0;
}

static void test_each(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct list_query q = LIST_QUERY_INIT;
	struct collect c;

	memset(&c, 0, sizeof(c));
	q.limit = 1; /* paging is ignored */
	q.offset = 3;
	assert_int_equal(list_each(db, a, &def, &q, collect_row, &c), 0);
	assert_string_equal(c.seen, "1:Alpha,2:beta,4:delta,7:eta,3:Gamma,6:Zeta_%,");
	/* fn stops it */
	memset(&c, 0, sizeof(c));
	c.stop_after = 2;
	assert_int_equal(list_each(db, a, &def, &q, collect_row, &c), 7);
	assert_string_equal(c.seen, "1:Alpha,2:beta,");
	/* max_rows caps it */
	memset(&c, 0, sizeof(c));
	q.max_rows = 4;
	assert_int_equal(list_each(db, a, &def, &q, collect_row, &c), 0);
	assert_int_equal(c.rows, 4);
	/* filters, search and sort apply */
	memset(&c, 0, sizeof(c));
	q = (struct list_query)LIST_QUERY_INIT;
	q.sort = C_NUM;
	q.desc = 1;
	q.q = "a";
	assert_int_equal(list_add_filter(&q, C_CODE, LIST_EQ, "3050"), 0);
	assert_int_equal(list_each(db, a, &def, &q, collect_row, &c), 0);
	assert_string_equal(c.seen, "4:delta,1:Alpha,2:beta,");
	/* a bad filter value is an error before any row */
	memset(&c, 0, sizeof(c));
	assert_int_equal(list_add_filter(&q, C_NUM, LIST_EQ, "x"), 0);
	assert_int_equal(list_each(db, a, &def, &q, collect_row, &c), -1);
	assert_int_equal(c.rows, 0);
	arena_free(a);
}

static void test_add_filter_and_index(void **state)
{
	struct list_query q = LIST_QUERY_INIT;
	int i;

	(void)state;
	for (i = 0; i < LIST_MAX_FILTERS; i++)
		assert_int_equal(list_add_filter(&q, C_NUM, LIST_GE, "1"), 0);
	assert_int_equal(list_add_filter(&q, C_NUM, LIST_GE, "1"), -1);
	assert_int_equal(q.nfilters, LIST_MAX_FILTERS);
	assert_int_equal(q.filters[3].col, C_NUM);
	assert_int_equal(q.filters[3].op, LIST_GE);
	assert_string_equal(q.filters[3].value, "1");
	assert_int_equal(list_col_index(&def, "name"), C_NAME);
	assert_int_equal(list_col_index(&def, "note"), C_NOTE);
	assert_int_equal(list_col_index(&def, "plain"), C_PLAIN);
	assert_int_equal(list_col_index(&def, "Name"), -1);
	assert_int_equal(list_col_index(&def, "x.name"), -1);
	assert_int_equal(list_col_index(&def, NULL), -1);
	assert_int_equal(q.sort, -1);
	assert_int_equal(q.max_rows, 100000);
}

/*
 * Column sets are 64 bits wide: a column past 32 is masked like any other
 * (the sets were 32-bit "1u << col", undefined from column 32), and a
 * definition wider than a set is refused instead of leaking its last columns.
 */
static void test_wide_lists(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	static struct list_col wide[LIST_MAX_COLS + 1];
	struct list_def w = def;
	struct list_query q = LIST_QUERY_INIT;
	struct list_page p;
	list_cols m;
	int i;

	for (i = 0; i <= LIST_MAX_COLS; i++)
		wide[i] = cols[C_PLAIN];
	wide[40].sens = SENS_HEALTH;
	wide[63].sens = SENS_VIOLENCE;
	w.cols = wide;
	w.ncols = LIST_MAX_COLS;
	m = list_masked_cols(&w, SENS_ALL & ~SENS_SPECIAL);
	assert_true(m == (LIST_COL_BIT(40) | LIST_COL_BIT(63)));
	q.mask = SENS_ALL & ~SENS_SPECIAL;
	assert_int_equal(list_fetch(db, a, &w, &q, &p), 0);
	assert_true(p.nrows > 0);
	assert_null(p.values[0][40]); /* not selected */
	assert_null(p.values[0][63]);
	assert_non_null(p.values[0][39]);
	w.ncols = LIST_MAX_COLS + 1;
	assert_int_equal(list_fetch(db, a, &w, &q, &p), -1);
	assert_int_equal(list_each(db, a, &w, &q, NULL, NULL), -1);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_add_filter_and_index),
		cmocka_unit_test_setup(test_default, setup_list),
		cmocka_unit_test_setup(test_filters, setup_list),
		cmocka_unit_test_setup(test_prefix, setup_list),
		cmocka_unit_test_setup(test_search, setup_list),
		cmocka_unit_test_setup(test_sort, setup_list),
		cmocka_unit_test_setup(test_default_desc, setup_list),
		cmocka_unit_test_setup(test_paging, setup_list),
		cmocka_unit_test_setup(test_scope, setup_list),
		cmocka_unit_test_setup(test_scope_args, setup_list),
		cmocka_unit_test_setup(test_scope_many, setup_list),
		cmocka_unit_test_setup(test_mask, setup_list),
		cmocka_unit_test_setup(test_each, setup_list),
		cmocka_unit_test_setup(test_wide_lists, setup_list),
	};

	log_set_level(LOG_ERROR + 1);
	return TESTDB_RUN("list", tests, 0);
}
