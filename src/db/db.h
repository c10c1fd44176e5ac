/*
 * db.h — the one database interface of razem, over SQLite and PostgreSQL.
 *
 * Domain modules write portable SQL with '?' placeholders and call these
 * functions; the backend is chosen by the URL given to db_open(): a file
 * path or "sqlite:PATH" for SQLite, "postgresql://..." for PostgreSQL.
 * Dialect differences (placeholder syntax, DDL types, error codes,
 * transactions, backups) are handled here and in the backend files, never
 * in domain code.
 *
 * A connection belongs to one thread. Statements are prepared once per
 * connection and cached by their SQL text; db_reset() returns a statement
 * to the cache. Text values returned by db_col_text() are valid until the
 * next db_step() or db_reset() on that statement.
 */
#ifndef RAZEM_DB_DB_H
#define RAZEM_DB_DB_H

#include <stddef.h>
#include <stdint.h>

enum db_backend { DB_SQLITE, DB_POSTGRES };

/* Results of db_step() and of the helpers; errors are negative. */
enum db_rc {
	DB_OK = 0,
	DB_ROW = 1,          /* a row is available */
	DB_DONE = 2,         /* no (more) rows */
	DB_ERROR = -1,       /* any other failure; see db_errmsg() */
	DB_CONSTRAINT = -2,  /* a UNIQUE, CHECK or FOREIGN KEY constraint refused the change */
	DB_BUSY = -3,        /* the database stayed locked past the busy timeout */
};

struct db;
struct db_stmt;

/*
 * db_open() connects to url. Returns 0 with *out set (free with db_close()),
 * or -1 with a one-line reason in err.
 */
int db_open(const char *url, struct db **out, char *err, size_t errlen);

/* db_close() finalizes cached statements and disconnects. NULL is a no-op. */
void db_close(struct db *db);

enum db_backend db_backend(const struct db *db);

/* db_errmsg() describes the last failure on this connection. */
const char *db_errmsg(struct db *db);

/*
 * db_prepare() returns a ready statement for sql ('?' placeholders), from
 * the connection's cache when possible (a second copy is prepared while
 * the first is in use). NULL on error (see db_errmsg()). Every statement
 * must be given back with db_reset(): one never reset stays in use and is
 * neither reused nor freed until the connection closes.
 */
struct db_stmt *db_prepare(struct db *db, const char *sql);

/*
 * Bind parameter i (1-based). db_bind_text() with NULL binds SQL NULL.
 * A failed bind (0 is success) also makes db_step() fail until db_reset().
 */
int db_bind_int(struct db_stmt *st, int i, int64_t v);
int db_bind_text(struct db_stmt *st, int i, const char *s);
int db_bind_null(struct db_stmt *st, int i);

/* db_step() runs the statement (first call) and advances: DB_ROW, DB_DONE or an error. */
int db_step(struct db_stmt *st);

/* Columns of the current row, 0-based. NULL reads as 0 / NULL. */
int64_t db_col_int(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col);
int db_col_is_null(struct db_stmt *st, int col);
int db_col_count(struct db_stmt *st);

/* db_reset() clears bindings and results and hands st back to the cache. NULL is a no-op. */
void db_reset(struct db_stmt *st);

/*
 * db_query() prepares sql and binds the arguments described by types, one
 * letter per '?': 'i' int64_t, 't' const char * (NULL binds NULL), 'n' NULL
 * (no argument). Returns the statement ready for db_step(), or NULL.
 */
struct db_stmt *db_query(struct db *db, const char *sql, const char *types, ...);

/*
 * db_run() is db_query() + db_step() + db_reset() for statements that
 * return nothing or whose first row is not needed. Returns DB_OK or an error.
 */
int db_run(struct db *db, const char *sql, const char *types, ...);

/*
 * db_get_int() runs a query expected to return one integer in its first
 * column; *out is left unchanged when there is no row. Returns DB_ROW,
 * DB_DONE or an error.
 */
int db_get_int(struct db *db, int64_t *out, const char *sql, const char *types, ...);

/*
 * Transactions. db_begin() takes the write lock at once on SQLite (BEGIN
 * IMMEDIATE). Calls nest: an inner db_begin() opens a savepoint, so a
 * domain function may use a transaction of its own and still take part in
 * its caller's (the change and its audit row commit together).
 */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

/*
 * db_begin_read() opens a transaction that is expected to read (DEFERRED
 * on SQLite): on SQLite one consistent snapshot for a whole page and no
 * file locking per statement; on PostgreSQL a READ COMMITTED transaction
 * (each statement sees what was committed before it; REPEATABLE READ
 * would make the best-effort session touch fail under concurrency).
 * BEGIN itself is sent with the first statement, so a request that reads
 * nothing costs no round trip. End it with db_commit(). A write inside it may fail at once
 * with DB_BUSY when another connection is writing, so only best-effort
 * writes belong there.
 */
int db_begin_read(struct db *db);

/* db_exec() runs one or more statements without parameters (DDL, PRAGMA). */
int db_exec(struct db *db, const char *sql);

/*
 * db_migrate() applies the embedded migrations not yet recorded in
 * schema_migration, each in its own transaction. Returns the number
 * applied, or -1 with err set.
 */
int db_migrate(struct db *db, char *err, size_t errlen);

/*
 * db_schema_version() is the highest applied migration: 0 when the
 * migrations table is empty, -1 on error — including a database that was
 * never migrated (db_migrate() creates the table first).
 */
int db_schema_version(struct db *db);

/*
 * db_backup() writes an online, consistent copy of the database to path:
 * a SQLite database file (VACUUM INTO), or for PostgreSQL a pg_dump archive
 * in custom format. Returns 0 or -1 with err set.
 */
int db_backup(struct db *db, const char *path, char *err, size_t errlen);

/* db_url_describe() writes a printable form of url with any password masked. */
void db_url_describe(const char *url, char *out, size_t outlen);

#endif
