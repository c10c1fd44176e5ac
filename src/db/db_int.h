/*
 * db_int.h — what db.c shares with the backends (db_sqlite.c, db_pg.c).
 * Not for use outside src/db/.
 */
#ifndef RAZEM_DB_DB_INT_H
#define RAZEM_DB_DB_INT_H

#include "db/db.h"

#define STMT_BUCKETS 256
#define STMT_CACHE_MAX 512

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
	int (*bind_text)(struct db_stmt *st, int i, const char *s);
	int (*bind_null)(struct db_stmt *st, int i);
	int (*step)(struct db_stmt *st);
	int64_t (*col_int)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	int (*col_is_null)(struct db_stmt *st, int col);
	int (*col_count)(struct db_stmt *st);
	void (*reset)(struct db_stmt *st);
	void (*finalize)(struct db_stmt *st);
	int (*exec)(struct db *db, const char *sql);
	const char *(*errmsg)(struct db *db);
	int (*backup)(struct db *db, const char *path, char *err, size_t errlen);
	/* migration DDL: replacements for the {{ID}}, {{INT}} and {{STRICT}} tokens */
	const char *ddl_id;
	const char *ddl_int;
	const char *ddl_strict;
};

/* The common part of a connection; backends embed it first. */
struct db {
	const struct db_ops *ops;              /* backend */
	enum db_backend backend;               /* which one */
	struct db_stmt *cache[STMT_BUCKETS];   /* prepared statements by SQL text */
	size_t ncached;                        /* statements in the cache */
	int depth;                             /* open transactions (nested ones are savepoints) */
	int read_pending;                      /* db_begin_read() not yet sent: BEGIN on first use */
	char url[1024];                        /* as given to db_open() */
};

/* The common part of a statement; backends embed it first. */
struct db_stmt {
	struct db *db;        /* owning connection */
	char *sql;            /* portable SQL text, malloc'd; the cache key */
	struct db_stmt *next; /* cache bucket chain */
	unsigned in_use : 1;  /* handed out and not yet reset */
	unsigned bind_failed : 1; /* a bind failed (out of memory): db_step() refuses to run */
};

int db_sqlite_open(const char *path, struct db **out, char *err, size_t errlen);
int db_pg_open(const char *url, struct db **out, char *err, size_t errlen);

/*
 * db_pg_placeholders() rewrites '?' placeholders as $1, $2, ... outside
 * string literals, quoted identifiers and comments. Returns a malloc'd
 * string or NULL.
 */
char *db_pg_placeholders(const char *sql);

#endif
