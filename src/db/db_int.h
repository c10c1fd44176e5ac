/*
 * db_int.h — what db.c shares with the backends (db_sqlite.c, db_pg.c)
 * and bulk.c. Not for use outside src/db/ (the unit tests look inside).
 */
#ifndef RAZEM_DB_DB_INT_H
#define RAZEM_DB_DB_INT_H

#include "db/db.h"

#define STMT_BUCKETS 256     /* hash buckets of each statement cache */
#define STMT_CACHE_MAX 512   /* declared statements kept per connection */
#define STMT_DYNAMIC_MAX 128 /* run-time texts kept per connection */

/* Backend capabilities that portable SQL cannot hide. */
enum db_supports {
	DB_SUPPORTS_TRANSACTIONAL_DDL = 1 << 0,
};

struct db_ops {
	const char *name;  /* "sqlite" or "postgresql" */
	unsigned supports; /* enum db_supports bits */
	const char *begin; /* SQL that starts a write transaction */
	void (*close)(struct db *db);
	struct db_stmt *(*prepare)(struct db *db, const char *sql);
	int (*bind_int)(struct db_stmt *st, int i, int64_t v);
	int (*bind_double)(struct db_stmt *st, int i, double v);
	int (*bind_text)(struct db_stmt *st, int i, const char *s);
	int (*bind_blob)(struct db_stmt *st, int i, const void *p, size_t n);
	int (*bind_null)(struct db_stmt *st, int i);
	int (*step)(struct db_stmt *st);
	int64_t (*col_int)(struct db_stmt *st, int col);
	double (*col_double)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	const void *(*col_blob)(struct db_stmt *st, int col, size_t *len);
	int (*col_is_null)(struct db_stmt *st, int col);
	int (*col_count)(struct db_stmt *st);
	void (*reset)(struct db_stmt *st);
	void (*finalize)(struct db_stmt *st);
	int (*exec)(struct db *db, const char *sql);
	const char *(*errmsg)(struct db *db);
	int (*backup)(struct db *db, const char *path, char *err, size_t errlen);
	void (*busy_wait)(struct db *db, int wait); /* SQLite: wait for a lock (1) or not (0); or NULL */
	/*
	 * check() runs before work outside a transaction: reconnects a lost
	 * connection. 0 when usable, -1 (errmsg set) when not. NULL: always usable.
	 */
	int (*check)(struct db *db);
	/* lock() takes the transaction-scoped advisory lock on key (NULL: nothing to take). */
	int (*lock)(struct db *db, int64_t key);
	/*
	 * COPY FROM STDIN (NULL: bulk loads use multi-row INSERTs): copy_begin()
	 * sends the COPY statement, copy_data() rows in text format, copy_end()
	 * finishes (abort != 0: cancels) and returns DB_OK or an error with
	 * *line set to the failing line (1-based) when the server names it.
	 */
	int (*copy_begin)(struct db *db, const char *sql);
	int (*copy_data)(struct db *db, const char *data, size_t n);
	int (*copy_end)(struct db *db, int abort, int64_t *line);
	/* migration DDL: replacements for the {{ID}}, {{INT}}, {{STRICT}}, {{DOUBLE}}, {{BLOB}} tokens */
	const char *ddl_id;
	const char *ddl_int;
	const char *ddl_strict;
	const char *ddl_double;
	const char *ddl_blob;
};

/*
 * A bounded statement cache: hash chains for lookup and a list of the
 * statements not in use, least recently used first, for eviction.
 */
struct stmt_cache {
	struct db_stmt *bucket[STMT_BUCKETS]; /* chains by key */
	struct db_stmt *idle_first;           /* least recently given back */
	struct db_stmt *idle_last;            /* most recently given back */
	size_t n;                             /* statements held (idle or in use) */
	size_t max;                           /* idle ones are evicted beyond this */
};

/* The common part of a connection; backends embed it first. */
struct db {
	const struct db_ops *ops;  /* backend */
	enum db_backend backend;   /* which one */
	struct stmt_cache fixed;   /* declared statements, by struct db_sql address */
	struct stmt_cache dynamic; /* run-time SQL, by text */
	unsigned epoch;            /* bumped when the connection is lost: older statements are dead */
	int depth;                 /* open transactions (nested ones are savepoints) */
	int read_pending;          /* db_begin_read() not yet sent: BEGIN on first use (never, on PostgreSQL) */
	int write_base;            /* PostgreSQL: the depth whose db_begin() sent BEGIN inside a read (0: none) */
	int outer_read;            /* the outermost transaction is a read one (db_begin_read()) */
	char msg[256];             /* a failure found by db.c itself ("" = ask the backend) */
	char url[1024];            /* as given to db_open() */
};

/* The common part of a statement; backends embed it first. */
struct db_stmt {
	struct db *db;              /* owning connection */
	const struct db_sql *decl;  /* key in db->fixed, or NULL */
	char *text;                 /* key in db->dynamic (malloc'd), or NULL */
	unsigned hash;              /* bucket index */
	unsigned epoch;             /* db->epoch when prepared */
	struct db_stmt *next;       /* bucket chain */
	struct db_stmt *idle_prev;  /* idle list, while not in use */
	struct db_stmt *idle_next;
	unsigned in_use : 1;        /* handed out and not yet reset */
	unsigned bind_failed : 1;   /* a bind failed (out of memory): db_step() refuses to run */
	unsigned stream : 1;        /* db_set_stream(): rows one at a time */
};

int db_sqlite_open(const char *path, struct db **out, char *err, size_t errlen);
int db_pg_open(const char *url, struct db **out, char *err, size_t errlen);

/*
 * db_connection_lost() is called by a backend that found its connection
 * broken: the transaction state is forgotten and every cached statement
 * is dropped (those in use die when given back). The backend reconnects
 * in its check().
 */
void db_connection_lost(struct db *db);

/* db_set_msg() records a failure found above the backend, for db_errmsg(). */
void db_set_msg(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));


/*
 * db_pg_placeholders() rewrites '?' placeholders as $1, $2, ... outside
 * string literals, quoted identifiers and comments. Returns a malloc'd
 * string or NULL.
 */
char *db_pg_placeholders(const char *sql);

struct buf;

/* db_dialect() turns a migration file into this backend's SQL (see db.c). */
int db_dialect(const struct db *db, const char *src, struct buf *out);

/* db_lock_key() is the 64-bit hash of a db_lock() key (FNV-1a). */
int64_t db_lock_key(const char *key);

/* db_pg_rows_held() is how many rows st's current PostgreSQL result holds (tests). */
int db_pg_rows_held(struct db_stmt *st);

#endif
