/*
 * db_sqlite.c — the embedded SQLite backend.
 *
 * Each connection runs in WAL mode with foreign keys enforced, a busy
 * timeout so concurrent writers wait instead of failing, and
 * synchronous=NORMAL (durable at checkpoints, safe in WAL mode).
 */
#include "db/db_int.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct db_sqlite {
	struct db base; /* must be first */
	sqlite3 *conn;  /* the connection */
};

struct stmt_sqlite {
	struct db_stmt base; /* must be first */
	sqlite3_stmt *st;    /* the prepared statement */
};

#define CONN(db) (((struct db_sqlite *)(void *)(db))->conn)
#define ST(s) (((struct stmt_sqlite *)(void *)(s))->st)

static int map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: return DB_OK;
	case SQLITE_ROW: return DB_ROW;
	case SQLITE_DONE: return DB_DONE;
	case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
	case SQLITE_BUSY: case SQLITE_LOCKED: return DB_BUSY;
	default: return DB_ERROR;
	}
}

static void sq_close(struct db *db)
{
	sqlite3_close_v2(CONN(db));
	free(db);
}

static struct db_stmt *sq_prepare(struct db *db, const char *sql)
{
	struct stmt_sqlite *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	if (sqlite3_prepare_v3(CONN(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK ||
	    s->st == NULL) {
		sqlite3_finalize(s->st);
		free(s);
		return NULL;
	}
	return &s->base;
}

static int sq_bind_int(struct db_stmt *st, int i, int64_t v)
{
	return map_rc(sqlite3_bind_int64(ST(st), i, v));
}

static int sq_bind_double(struct db_stmt *st, int i, double v)
{
	return map_rc(sqlite3_bind_double(ST(st), i, v));
}

static int sq_bind_blob(struct db_stmt *st, int i, const void *p, size_t n)
{
	return map_rc(sqlite3_bind_blob64(ST(st), i, p, n, SQLITE_TRANSIENT));
}

static int sq_bind_text(struct db_stmt *st, int i, const char *s)
{
	return map_rc(sqlite3_bind_text(ST(st), i, s, -1, SQLITE_TRANSIENT));
}

static int sq_bind_null(struct db_stmt *st, int i)
{
	return map_rc(sqlite3_bind_null(ST(st), i));
}

static int sq_step(struct db_stmt *st)
{
	return map_rc(sqlite3_step(ST(st)));
}

static int64_t sq_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(ST(st), col);
}

static double sq_col_double(struct db_stmt *st, int col)
{
	return sqlite3_column_double(ST(st), col);
}

/* sq_col_blob(): an empty blob comes back from SQLite as NULL; it is not NULL here. */
static const void *sq_col_blob(struct db_stmt *st, int col, size_t *len)
{
	const void *p;

	*len = 0;
	if (sqlite3_column_type(ST(st), col) == SQLITE_NULL)
		return NULL;
	p = sqlite3_column_blob(ST(st), col);
	*len = (size_t)sqlite3_column_bytes(ST(st), col);
	return p != NULL ? p : "";
}

static const char *sq_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(ST(st), col);
}

static int sq_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(ST(st), col) == SQLITE_NULL;
}

static int sq_col_count(struct db_stmt *st)
{
	return sqlite3_column_count(ST(st));
}

static void sq_reset(struct db_stmt *st)
{
	sqlite3_reset(ST(st));
	sqlite3_clear_bindings(ST(st));
}

static void sq_finalize(struct db_stmt *st)
{
	sqlite3_finalize(ST(st));
	free(st);
}

static int sq_exec(struct db *db, const char *sql)
{
	return map_rc(sqlite3_exec(CONN(db), sql, NULL, NULL, NULL)) == DB_OK ? 0 : -1;
}

static const char *sq_errmsg(struct db *db)
{
	return sqlite3_errmsg(CONN(db));
}

static int sq_backup(struct db *db, const char *path, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(CONN(db), "VACUUM INTO ?", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(CONN(db)));
		return -1;
	}
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		snprintf(err, errlen, "%s", sqlite3_errmsg(CONN(db)));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * string_agg(value, separator) as PostgreSQL has it, so that portable SQL
 * can join values of a group (SQLite gained it only in 3.44).
 */
struct agg {
	char *s;    /* joined so far (sqlite3_malloc'd) */
	size_t len; /* its length */
};

static void agg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct agg *g = sqlite3_aggregate_context(ctx, sizeof(*g));
	const char *v = (const char *)sqlite3_value_text(argv[0]);
	const char *sep = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : ",";
	size_t vn, sn, need;
	char *p;

	if (g == NULL || v == NULL)
		return;
	vn = strlen(v);
	sn = g->s != NULL && sep != NULL ? strlen(sep) : 0;
	need = g->len + sn + vn + 1;
	p = sqlite3_realloc64(g->s, need);
	if (p == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	memcpy(p + g->len, sep != NULL ? sep : "", sn);
	memcpy(p + g->len + sn, v, vn + 1);
	g->s = p;
	g->len += sn + vn;
}

static void agg_final(sqlite3_context *ctx)
{
	struct agg *g = sqlite3_aggregate_context(ctx, 0);

	if (g == NULL || g->s == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, g->s, (int)g->len, sqlite3_free);
	g->s = NULL;
}

#define BUSY_MS 5000 /* how long a statement waits for another connection's lock */

static void sq_busy_wait(struct db *db, int wait)
{
	sqlite3_busy_timeout(CONN(db), wait ? BUSY_MS : 0);
}

static const struct db_ops sqlite_ops = {
	.name = "sqlite",
	.supports = DB_SUPPORTS_TRANSACTIONAL_DDL,
	.begin = "BEGIN IMMEDIATE",
	.close = sq_close,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_int = sq_col_int,
	.col_double = sq_col_double,
	.col_text = sq_col_text,
	.col_blob = sq_col_blob,
	.col_is_null = sq_col_is_null,
	.col_count = sq_col_count,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.exec = sq_exec,
	.errmsg = sq_errmsg,
	.backup = sq_backup,
	.busy_wait = sq_busy_wait,
	.ddl_id = "INTEGER PRIMARY KEY",
	.ddl_strict = "STRICT",
	.ddl_int = "INTEGER",
	.ddl_double = "REAL",
	.ddl_blob = "BLOB",
};

/*
 * configure_library() runs once per process before the first connection:
 * connections are never shared between threads, so SQLite's own mutexes
 * on them are unneeded, and memory statistics would take a global mutex
 * on every allocation.
 */
static void configure_library(void)
{
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int db_sqlite_open(const char *path, struct db **out, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct db_sqlite *d = calloc(1, sizeof(*d));
	int rc;

	pthread_once(&once, configure_library);
	if (d == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->base.ops = &sqlite_ops;
	d->base.backend = DB_SQLITE;
	rc = sqlite3_open_v2(path, &d->conn,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path,
			 d->conn != NULL ? sqlite3_errmsg(d->conn) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(d->conn, 1);
	sqlite3_busy_timeout(d->conn, BUSY_MS);
	if (sqlite3_create_function(d->conn, "string_agg", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				    NULL, agg_step, agg_final) != SQLITE_OK ||
	    sqlite3_exec(d->conn,
			 "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
			 NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot configure %s: %s", path, sqlite3_errmsg(d->conn));
		goto fail;
	}
	*out = &d->base;
	return 0;
fail:
	sqlite3_close_v2(d->conn);
	free(d);
	return -1;
}
