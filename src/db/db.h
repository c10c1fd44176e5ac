/*
 * db.h — the one database interface of razem, over SQLite and PostgreSQL.
 *
 * Domain modules write portable SQL with '?' placeholders and call these
 * functions; the backend is chosen by the URL given to db_open(): a file
 * path or "sqlite:PATH" for SQLite, "postgresql://..." for PostgreSQL.
 * Dialect differences (placeholder syntax, DDL types, error codes,
 * transactions, bulk loading, locks, backups) are handled here and in the
 * backend files, never in domain code.
 *
 * Statements are declared once, in a table at the top of the module that
 * runs them, and passed by address:
 *
 *     static const struct db_sql SQL_USER_BY_LOGIN = DB_SQL("SELECT ... WHERE login = ?");
 *     st = db_query(db, &SQL_USER_BY_LOGIN, "t", login);
 *
 * A connection belongs to one thread. It prepares each declared statement
 * once and keeps it in a bounded cache keyed by the declaration's address
 * (no hashing or comparing of SQL text per call); statements not in use
 * are evicted least recently used first. SQL assembled at run time (lists,
 * bulk loads) goes through db_prepare_dynamic(), whose separate bounded
 * LRU cache is keyed by the text. db_reset() returns a statement to its
 * cache. Values returned by db_col_text() and db_col_blob() are valid until
 * the next db_step() or db_reset() on that statement.
 *
 * After a lost PostgreSQL connection (server restart, terminated backend)
 * the failing call returns an error, the open transaction is forgotten
 * (depth 0), every cached statement is dropped, and the next call
 * reconnects from the URL and prepares its statements again. Before
 * starting work outside a transaction the connection is also checked for
 * a shutdown notice the server left on the socket, so an idle connection
 * broken by a restart reconnects without failing a request.
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
 * A statement declared by the module that runs it: its portable SQL text
 * ('?' placeholders). The connection's statement cache is keyed by the
 * declaration's address, so declare each one once with static storage
 * (never on the stack) and never change its text.
 */
struct db_sql {
	const char *text; /* portable SQL */
};

#define DB_SQL(sql) { (sql) }

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
 * db_prepare() returns a ready statement for sql, from the connection's
 * cache when possible (a second copy is prepared while the first is in
 * use). NULL on error (see db_errmsg()). Every statement must be given
 * back with db_reset(): one never reset stays in use and is neither
 * reused nor freed until the connection closes.
 */
struct db_stmt *db_prepare(struct db *db, const struct db_sql *sql);

/*
 * db_prepare_dynamic() is db_prepare() for SQL assembled at run time from
 * constant pieces (db/list.c, bulk loads): its own bounded LRU cache is
 * keyed by the text. Never put user input into text; bind it.
 */
struct db_stmt *db_prepare_dynamic(struct db *db, const char *text);

/*
 * Bind parameter i (1-based). db_bind_text() and db_bind_blob() with NULL
 * bind SQL NULL; a blob of length 0 with a non-NULL pointer is an empty
 * blob. A failed bind (0 is success) also makes db_step() fail until
 * db_reset(). Blobs travel as bytea in binary format on PostgreSQL.
 */
int db_bind_int(struct db_stmt *st, int i, int64_t v);
int db_bind_double(struct db_stmt *st, int i, double v);
int db_bind_text(struct db_stmt *st, int i, const char *s);
int db_bind_blob(struct db_stmt *st, int i, const void *p, size_t n);
int db_bind_null(struct db_stmt *st, int i);

/*
 * db_set_stream() asks, before the first db_step(), for the rows to be
 * fetched one at a time instead of the whole result at once: PostgreSQL's
 * single-row mode (SQLite always steps row by row). Use it for results
 * that may be large (exports). While such a statement is being read,
 * another statement on the same connection first reads the rest of its
 * rows into memory (correct, but no longer bounded), so read a stream
 * to its end before running anything else. db_reset() part-way reads and
 * discards the remaining rows. Returns 0.
 */
int db_set_stream(struct db_stmt *st);

/* db_step() runs the statement (first call) and advances: DB_ROW, DB_DONE or an error. */
int db_step(struct db_stmt *st);

/*
 * Columns of the current row, 0-based. NULL reads as 0 / NULL.
 * db_col_blob() returns the bytes of a blob (bytea) column and sets *len
 * (0 for NULL, when it returns NULL); use it, not db_col_text(), for
 * blobs: PostgreSQL sends bytea as hex text.
 */
int64_t db_col_int(struct db_stmt *st, int col);
double db_col_double(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col);
const void *db_col_blob(struct db_stmt *st, int col, size_t *len);
int db_col_is_null(struct db_stmt *st, int col);
int db_col_count(struct db_stmt *st);

/* db_reset() clears bindings and results and hands st back to the cache. NULL is a no-op. */
void db_reset(struct db_stmt *st);

/*
 * db_query() prepares sql and binds the arguments described by types, one
 * letter per '?': 'i' int64_t, 'd' double, 't' const char * (NULL binds
 * NULL), 'b' blob as two arguments const void *, size_t (NULL binds NULL;
 * pass a size_t, not an int: cast literals), 'n' NULL (no argument).
 * Returns the statement ready for db_step(), or NULL.
 */
struct db_stmt *db_query(struct db *db, const struct db_sql *sql, const char *types, ...);

/* db_stream() is db_query() + db_set_stream(): rows are fetched one at a time. */
struct db_stmt *db_stream(struct db *db, const struct db_sql *sql, const char *types, ...);

/*
 * db_run() is db_query() + db_step() + db_reset() for statements that
 * return nothing or whose first row is not needed. Returns DB_OK or an error.
 */
int db_run(struct db *db, const struct db_sql *sql, const char *types, ...);

/*
 * db_get_int() runs a query expected to return one integer in its first
 * column; *out is left unchanged when there is no row. Returns DB_ROW,
 * DB_DONE or an error.
 */
int db_get_int(struct db *db, int64_t *out, const struct db_sql *sql, const char *types, ...);

/*
 * Transactions. db_begin() takes the write lock at once on SQLite (BEGIN
 * IMMEDIATE). Calls nest: an inner db_begin() opens a savepoint, so a
 * domain function may use a transaction of its own and still take part in
 * its caller's (the change and its audit row commit together).
 */
int db_begin(struct db *db);
/*
 * db_begin_now() is db_begin() that does not wait when another connection
 * holds the write lock (SQLite's busy timeout): -1 at once (the same as
 * db_begin() on PostgreSQL). For a thread that must not stall, like an
 * event loop committing its read logs.
 */
int db_begin_now(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

/*
 * db_begin_read() opens a transaction that is expected to read (DEFERRED
 * on SQLite): on SQLite one consistent snapshot for a whole page and no
 * file locking per statement, BEGIN sent with the first statement, so a
 * request that reads nothing costs nothing. On PostgreSQL nothing is
 * sent: at READ COMMITTED each statement sees what was committed before
 * it, inside a transaction or not, so its statements run on their own and
 * the request saves the round trips of BEGIN and COMMIT (REPEATABLE READ
 * would make the best-effort session touch fail under concurrency); a
 * db_begin() inside it opens the real, outermost transaction. End it with
 * db_commit(). A write inside it may fail at once with DB_BUSY (SQLite)
 * when another connection is writing, so only best-effort writes belong
 * there.
 */
int db_begin_read(struct db *db);

/*
 * db_lock() serialises writers on key, for a uniqueness rule SQL cannot
 * express (check, then insert): call it inside a write transaction
 * (db_begin() outermost) before the check; it is held until the
 * outermost transaction ends, and another connection locking the same
 * key waits until then. PostgreSQL: pg_advisory_xact_lock() on a 64-bit
 * hash of key (a wait is bounded by lock_timeout, then DB_BUSY). SQLite:
 * a write transaction (BEGIN IMMEDIATE) already excludes every other
 * writer, so it only checks that one is open. Returns DB_OK, or DB_ERROR
 * outside a write transaction.
 */
int db_lock(struct db *db, const char *key);

/* db_exec() runs one or more statements without parameters (DDL, PRAGMA). */
int db_exec(struct db *db, const char *sql);

/*
 * Bulk loading: rows into one table behind one interface, in one
 * transaction (a savepoint inside the caller's):
 *
 *     b = db_bulk_begin(db, "territory_unit", cols, 5, err, sizeof(err));
 *     while (...) db_bulk_row(b, values);   (text; NULL = SQL NULL)
 *     rc = db_bulk_end(b);                  (commits; or db_bulk_abort(b))
 *
 * PostgreSQL: COPY FROM STDIN in text format; SQLite: batched multi-row
 * prepared INSERTs. Values are text as the column would parse it. table
 * and the column names must be plain identifiers written by us
 * ([A-Za-z_][A-Za-z0-9_]*); anything else is refused. On any failure
 * everything loaded is rolled back and err (given to db_bulk_begin())
 * says why, as "row N: reason" (N 1-based) when the backend tells which
 * row. PostgreSQL reports a bad row only at the end, so db_bulk_row()
 * may succeed for rows that db_bulk_end() then refuses.
 */
struct db_bulk;

struct db_bulk *db_bulk_begin(struct db *db, const char *table, const char *const cols[], int ncols,
			      char *err, size_t errlen);

/* db_bulk_row() adds one row of ncols values. Returns DB_OK or an error (then end or abort). */
int db_bulk_row(struct db_bulk *b, const char *const values[]);

/*
 * db_bulk_end() finishes and commits the load and frees b. Returns DB_OK,
 * or an error (DB_CONSTRAINT for a refused row) with everything rolled
 * back and err set.
 */
int db_bulk_end(struct db_bulk *b);

/* db_bulk_abort() rolls the load back and frees b. NULL is a no-op. */
void db_bulk_abort(struct db_bulk *b);

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
