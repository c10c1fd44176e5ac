/*
 * bulk.c — db_bulk_*: many rows into one table in one transaction.
 *
 * PostgreSQL gets COPY FROM STDIN in text format (the backend's
 * copy_begin/copy_data/copy_end); SQLite batched multi-row INSERTs
 * prepared once per connection (the dynamic cache, keyed by the text).
 * Either way the load runs inside db_begin(), so inside a caller's
 * transaction it is a savepoint and a failure undoes only the load.
 */
#include "db/db_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"

#define BULK_MAX_COLS 256
#define BULK_BATCH_ROWS 100     /* rows per multi-row INSERT */
#define BULK_MAX_PARAMS 999     /* the lowest SQLITE_MAX_VARIABLE_NUMBER of any SQLite */
#define BULK_COPY_CHUNK 65536   /* COPY data is sent in pieces of about this size */
#define BULK_SQL_MAX (1024 * 1024)
#define NO_VALUE SIZE_MAX       /* offs[] entry of an SQL NULL */

struct db_bulk {
	struct db *db;
	char *err;          /* the caller's message buffer */
	size_t errlen;
	int ncols;          /* values per row */
	int64_t rows;       /* rows given so far */
	int rc;             /* the first failure; DB_OK while all is well */
	int copy;           /* a COPY is open (PostgreSQL) */
	struct buf data;    /* COPY: rows not yet sent */
	char *insert_one;   /* INSERT of one row */
	char *insert_batch; /* INSERT of batch rows */
	int batch;          /* rows per multi-row INSERT */
	struct buf vals;    /* values of the rows waiting, each NUL-terminated */
	size_t *offs;       /* [batch * ncols] offsets into vals, NO_VALUE for NULL */
	int pending;        /* rows waiting */
};

/* ident_ok() accepts a plain SQL identifier: [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes. */
static int ident_ok(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > 63 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

/* failed() records the first failure: "row N: reason" when row > 0. */
static int failed(struct db_bulk *b, int rc, int64_t row, const char *reason)
{
	if (b->rc != DB_OK)
		return b->rc;
	b->rc = rc < 0 ? rc : DB_ERROR;
	if (row > 0)
		snprintf(b->err, b->errlen, "row %lld: %s", (long long)row, reason);
	else
		snprintf(b->err, b->errlen, "%s", reason);
	return b->rc;
}

static void insert_values(struct buf *sql, int ncols, int rows)
{
	int r, c;

	for (r = 0; r < rows; r++) {
		buf_adds(sql, r > 0 ? ", (" : " VALUES (");
		for (c = 0; c < ncols; c++)
			buf_adds(sql, c > 0 ? ", ?" : "?");
		buf_addc(sql, ')');
	}
}

/* head() writes "INSERT INTO table (a, b)" or "COPY table (a, b)". */
static void head(struct buf *sql, const char *verb, const char *table, const char *const cols[],
		 int ncols)
{
	int c;

	buf_addf(sql, "%s %s (", verb, table);
	for (c = 0; c < ncols; c++) {
		buf_adds(sql, c > 0 ? ", " : "");
		buf_adds(sql, cols[c]);
	}
	buf_addc(sql, ')');
}

static int prepare_inserts(struct db_bulk *b, const char *table, const char *const cols[])
{
	struct buf one = BUF_INIT(BULK_SQL_MAX), many = BUF_INIT(BULK_SQL_MAX);

	b->batch = BULK_MAX_PARAMS / b->ncols;
	if (b->batch > BULK_BATCH_ROWS)
		b->batch = BULK_BATCH_ROWS;
	if (b->batch < 1)
		b->batch = 1;
	head(&one, "INSERT INTO", table, cols, b->ncols);
	head(&many, "INSERT INTO", table, cols, b->ncols);
	insert_values(&one, b->ncols, 1);
	insert_values(&many, b->ncols, b->batch);
	b->insert_one = buf_detach(&one, NULL);
	b->insert_batch = buf_detach(&many, NULL);
	b->offs = calloc((size_t)b->batch * (size_t)b->ncols, sizeof(*b->offs));
	buf_init(&b->vals, SIZE_MAX / 2);
	return b->insert_one != NULL && b->insert_batch != NULL && b->offs != NULL ? 0 : -1;
}

static void bulk_free(struct db_bulk *b)
{
	buf_release(&b->data);
	buf_release(&b->vals);
	free(b->insert_one);
	free(b->insert_batch);
	free(b->offs);
	free(b);
}

struct db_bulk *db_bulk_begin(struct db *db, const char *table, const char *const cols[], int ncols,
			      char *err, size_t errlen)
{
	struct db_bulk *b;
	int c;

	if (!ident_ok(table)) {
		snprintf(err, errlen, "bulk load: '%s' is not a plain table name", table != NULL ? table : "");
		return NULL;
	}
	if (ncols < 1 || ncols > BULK_MAX_COLS) {
		snprintf(err, errlen, "bulk load into %s: %d columns", table, ncols);
		return NULL;
	}
	for (c = 0; c < ncols; c++) {
		if (!ident_ok(cols[c])) {
			snprintf(err, errlen, "bulk load into %s: '%s' is not a plain column name", table,
				 cols[c] != NULL ? cols[c] : "");
			return NULL;
		}
	}
	b = calloc(1, sizeof(*b));
	if (b == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->db = db;
	b->err = err;
	b->errlen = errlen;
	b->ncols = ncols;
	buf_init(&b->data, SIZE_MAX / 2);
	if (db_begin(db) != 0) {
		snprintf(err, errlen, "bulk load into %s: %s", table, db_errmsg(db));
		bulk_free(b);
		return NULL;
	}
	if (db->ops->copy_begin != NULL) {
		struct buf sql = BUF_INIT(BULK_SQL_MAX);
		int rc;

		head(&sql, "COPY", table, cols, ncols);
		buf_adds(&sql, " FROM STDIN");
		rc = sql.failed ? DB_ERROR : db->ops->copy_begin(db, buf_str(&sql));
		buf_release(&sql);
		if (rc == DB_OK) {
			b->copy = 1;
			return b;
		}
	} else if (prepare_inserts(b, table, cols) == 0) {
		struct db_stmt *st = db_prepare_dynamic(db, b->insert_one); /* a missing table fails here */

		db_reset(st);
		if (st != NULL)
			return b;
	}
	snprintf(err, errlen, "bulk load into %s: %s", table, db_errmsg(db));
	db_rollback(db);
	bulk_free(b);
	return NULL;
}

/* copy_value() appends v in COPY text format: \N for NULL; backslash, tab, newline, CR escaped. */
static void copy_value(struct buf *out, const char *v)
{
	const char *p, *run;

	if (v == NULL) {
		buf_add(out, "\\N", 2);
		return;
	}
	for (p = run = v; *p != '\0'; p++) {
		const char *esc = *p == '\\' ? "\\\\" : *p == '\t' ? "\\t" : *p == '\n' ? "\\n"
				: *p == '\r' ? "\\r" : NULL;

		if (esc == NULL)
			continue;
		buf_add(out, run, (size_t)(p - run));
		buf_add(out, esc, 2);
		run = p + 1;
	}
	buf_add(out, run, (size_t)(p - run));
}

static int copy_flush(struct db_bulk *b)
{
	int rc;

	if (b->data.failed)
		return failed(b, DB_ERROR, 0, "out of memory");
	if (b->data.len == 0)
		return DB_OK;
	rc = b->db->ops->copy_data(b->db, b->data.data, b->data.len);
	buf_reset(&b->data);
	return rc == DB_OK ? DB_OK : failed(b, rc, 0, db_errmsg(b->db));
}

/* bind_row() binds waiting row r at parameters from first on. */
static int bind_row(struct db_bulk *b, struct db_stmt *st, int r, int first)
{
	int c;

	for (c = 0; c < b->ncols; c++) {
		size_t o = b->offs[(size_t)r * (size_t)b->ncols + (size_t)c];

		if (db_bind_text(st, first + c, o == NO_VALUE ? NULL : b->vals.data + o) != 0)
			return -1;
	}
	return 0;
}

/* insert_rows() inserts the waiting rows one at a time; on a failure it names the row. */
static int insert_rows(struct db_bulk *b)
{
	int r;

	for (r = 0; r < b->pending; r++) {
		struct db_stmt *st = db_prepare_dynamic(b->db, b->insert_one);
		int rc = st == NULL ? DB_ERROR : bind_row(b, st, r, 1) != 0 ? DB_ERROR : db_step(st);

		if (rc < 0) {
			char why[512];

			snprintf(why, sizeof(why), "%s", db_errmsg(b->db));
			db_reset(st);
			return failed(b, rc, b->rows - b->pending + r + 1, why);
		}
		db_reset(st);
	}
	return DB_OK;
}

/*
 * insert_flush() inserts the waiting rows: a full batch in one statement;
 * if that fails (nothing of it is kept) row by row to tell which one.
 */
static int insert_flush(struct db_bulk *b)
{
	int rc = DB_OK, r;

	if (b->vals.failed)
		return failed(b, DB_ERROR, 0, "out of memory");
	if (b->pending == b->batch && b->batch > 1) {
		struct db_stmt *st = db_prepare_dynamic(b->db, b->insert_batch);

		rc = st == NULL ? DB_ERROR : DB_OK;
		for (r = 0; rc == DB_OK && r < b->pending; r++)
			if (bind_row(b, st, r, r * b->ncols + 1) != 0)
				rc = DB_ERROR;
		if (rc == DB_OK)
			rc = db_step(st);
		db_reset(st);
		if (st == NULL)
			return failed(b, DB_ERROR, 0, db_errmsg(b->db));
	}
	if (rc < 0 || b->pending < b->batch || b->batch == 1)
		rc = insert_rows(b);
	b->pending = 0;
	buf_reset(&b->vals);
	return rc < 0 ? rc : DB_OK;
}

int db_bulk_row(struct db_bulk *b, const char *const values[])
{
	int c;

	if (b->rc != DB_OK)
		return b->rc;
	b->rows++;
	if (b->copy) {
		for (c = 0; c < b->ncols; c++) {
			if (c > 0)
				buf_addc(&b->data, '\t');
			copy_value(&b->data, values[c]);
		}
		buf_addc(&b->data, '\n');
		return b->data.len >= BULK_COPY_CHUNK || b->data.failed ? copy_flush(b) : DB_OK;
	}
	for (c = 0; c < b->ncols; c++) {
		size_t *o = &b->offs[(size_t)b->pending * (size_t)b->ncols + (size_t)c];

		if (values[c] == NULL) {
			*o = NO_VALUE;
			continue;
		}
		*o = b->vals.len;
		buf_add(&b->vals, values[c], strlen(values[c]) + 1);
	}
	b->pending++;
	return b->pending == b->batch ? insert_flush(b) : DB_OK;
}

int db_bulk_end(struct db_bulk *b)
{
	struct db *db = b->db;
	int rc;

	if (b->rc == DB_OK && b->copy) {
		int64_t line = 0;

		if (copy_flush(b) == DB_OK) {
			b->copy = 0;
			rc = db->ops->copy_end(db, 0, &line);
			if (rc != DB_OK)
				failed(b, rc, line, db_errmsg(db));
		}
	} else if (b->rc == DB_OK && b->pending > 0) {
		insert_flush(b);
	}
	if (b->rc == DB_OK && db_commit(db) != 0)
		failed(b, DB_ERROR, 0, db_errmsg(db));
	else if (b->rc != DB_OK) {
		int64_t line;

		if (b->copy)
			db->ops->copy_end(db, 1, &line);
		db_rollback(db);
	}
	rc = b->rc;
	bulk_free(b);
	return rc;
}

void db_bulk_abort(struct db_bulk *b)
{
	int64_t line;

	if (b == NULL)
		return;
	if (b->copy)
		b->db->ops->copy_end(b->db, 1, &line);
	db_rollback(b->db);
	bulk_free(b);
}
