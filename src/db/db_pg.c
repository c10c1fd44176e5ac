/*
 * db_pg.c — the PostgreSQL backend through libpq.
 *
 * Statements are prepared server-side once per connection (named s1, s2,
 * ...) after their '?' placeholders are rewritten as $n. Parameters travel
 * as text (blobs as binary bytea) and PostgreSQL infers their types from
 * context; results come back as text and db_col_int() parses them. A
 * result is fetched whole on the first db_step(), unless the statement
 * streams (db_set_stream()): then it runs in single-row mode and each
 * db_step() reads one row. Bulk loads use COPY FROM STDIN. A connection
 * found broken (CONNECTION_BAD, SQLSTATE class 08, 57P01-57P03) is reset
 * by pg_check() before the next piece of work.
 */
#include "db/db_int.h"

#include <errno.h>
#include <libpq-fe.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"

#define MAX_PARAMS 128
#define PROBE_READS 4 /* reads of an idle socket looking for a shutdown notice */

struct stmt_pg;

struct db_pg {
	struct db base;         /* must be first */
	PGconn *conn;           /* the connection */
	unsigned next_name;     /* counter for statement names */
	int broken;             /* lost: check() reconnects */
	struct stmt_pg *active; /* a streaming statement whose results are still arriving */
	char err[512];          /* last error */
};

struct stmt_pg {
	struct db_stmt base;           /* must be first */
	char name[16];                 /* server-side statement name */
	int nparams;                   /* highest parameter bound */
	char *params[MAX_PARAMS];      /* values (malloc'd), NULL = SQL NULL */
	int lens[MAX_PARAMS];          /* lengths of binary values */
	int formats[MAX_PARAMS];       /* 1 = binary (bytea), 0 = text */
	int nbinary;                   /* how many formats are 1 */
	PGresult *res;                 /* current result, NULL before */
	int row;                       /* current row, -1 before the first */
	int started;                   /* sent to the server */
	int done;                      /* executed and fully read */
	PGresult **queue;              /* a stream's results read ahead (another statement ran) */
	size_t qhead, qlen, qcap;      /* queue[qhead..qlen) still to be read */
	int truncated;                 /* the queue ran out of memory: results were dropped */
	unsigned char **blobs;         /* db_col_blob() of the current row, per column */
	int nblobs;                    /* length of blobs */
};

#define PG(db) ((struct db_pg *)(void *)(db))
#define SP(s) ((struct stmt_pg *)(void *)(s))

/* Taken by db_lock(): the lock is released when the transaction ends. */
static const struct db_sql SQL_ADVISORY_LOCK = DB_SQL("SELECT pg_advisory_xact_lock(?)");

static void set_err(struct db_pg *d, const char *msg)
{
	size_t n;

	snprintf(d->err, sizeof(d->err), "%s", msg != NULL && msg[0] != '\0' ? msg : "unknown error");
	n = strlen(d->err);
	while (n > 0 && (d->err[n - 1] == '\n' || d->err[n - 1] == ' '))
		d->err[--n] = '\0';
}

static void pg_close(struct db *db)
{
	PQfinish(PG(db)->conn);
	free(db);
}

static int map_state(const char *state)
{
	if (state != NULL && strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	if (state != NULL && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
			      strcmp(state, "55P03") == 0))
		return DB_BUSY;
	return DB_ERROR;
}

/*
 * connection_state() says whether SQLSTATE means the connection is gone:
 * class 08 (connection exception) or an administrator / crash shutdown.
 */
static int connection_state(const char *state)
{
	return state != NULL && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
				 strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0);
}

/*
 * lost() gives up on the connection: the statement cache and the
 * transaction state go (db_connection_lost()), and check() reconnects
 * before the next piece of work.
 */
static void lost(struct db_pg *d)
{
	if (d->broken)
		return;
	log_error("db: the connection to PostgreSQL was lost: %s", d->err);
	d->broken = 1;
	d->active = NULL;
	db_connection_lost(&d->base);
}

/* fail() records the failure r (NULL: the connection's) and returns its DB_* code. */
static int fail(struct db_pg *d, const PGresult *r)
{
	const char *state = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	set_err(d, r != NULL ? PQresultErrorMessage(r) : PQerrorMessage(d->conn));
	if (PQstatus(d->conn) == CONNECTION_BAD || connection_state(state)) {
		lost(d);
		return DB_ERROR;
	}
	return map_state(state);
}

/* usable() refuses to talk to a connection known to be lost (check() reconnects it). */
static int usable(struct db_pg *d)
{
	if (!d->broken)
		return 1;
	set_err(d, "the connection to PostgreSQL was lost");
	return 0;
}

/* queue_push() keeps r for later; without memory the stream is cut and ends in an error. */
static void queue_push(struct stmt_pg *s, PGresult *r)
{
	if (!s->truncated && s->qlen == s->qcap) {
		size_t cap = s->qcap != 0 ? s->qcap * 2 : 64;
		PGresult **q = realloc(s->queue, cap * sizeof(*q));

		if (q != NULL) {
			s->queue = q;
			s->qcap = cap;
		} else {
			s->truncated = 1;
		}
	}
	if (s->truncated) {
		PQclear(r);
		return;
	}
	s->queue[s->qlen++] = r;
}

/*
 * park() reads the rest of a streaming statement's results into its
 * queue, so that the connection can run another command; the stream then
 * goes on from memory.
 */
static void park(struct db_pg *d)
{
	struct stmt_pg *s = d->active;
	PGresult *r;

	if (s == NULL)
		return;
	while ((r = PQgetResult(d->conn)) != NULL)
		queue_push(s, r);
	d->active = NULL;
}

/* next_result() is a stream's next result: read ahead, or from the server; NULL at the end. */
static PGresult *next_result(struct stmt_pg *s)
{
	struct db_pg *d = PG(s->base.db);
	PGresult *r;

	if (s->qhead < s->qlen)
		return s->queue[s->qhead++];
	if (d->active != s)
		return NULL;
	r = PQgetResult(d->conn);
	if (r == NULL)
		d->active = NULL;
	return r;
}

/* finish() discards what is left of a stream, leaving the connection free. */
static void finish(struct stmt_pg *s)
{
	PGresult *r;

	while ((r = next_result(s)) != NULL)
		PQclear(r);
	free(s->queue);
	s->queue = NULL;
	s->qhead = s->qlen = s->qcap = 0;
}

static struct db_stmt *pg_prepare(struct db *db, const char *sql)
{
	struct db_pg *d = PG(db);
	struct stmt_pg *s;
	char *native = NULL;
	PGresult *r;

	if (!usable(d))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	native = db_pg_placeholders(sql);
	if (native == NULL)
		goto fail;
	park(d);
	snprintf(s->name, sizeof(s->name), "s%u", ++d->next_name);
	r = PQprepare(d->conn, s->name, native, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fail(d, r);
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	free(native);
	s->row = -1;
	return &s->base;
fail:
	free(native);
	free(s);
	return NULL;
}

static int set_param(struct db_stmt *st, int i, char *v, int len, int binary)
{
	struct stmt_pg *s = SP(st);

	if (i < 1 || i > MAX_PARAMS) {
		free(v);
		set_err(PG(st->db), "parameter index out of range");
		return DB_ERROR;
	}
	free(s->params[i - 1]);
	s->nbinary += binary - s->formats[i - 1];
	s->params[i - 1] = v;
	s->lens[i - 1] = len;
	s->formats[i - 1] = binary;
	if (i > s->nparams)
		s->nparams = i;
	return DB_OK;
}

static int pg_bind_int(struct db_stmt *st, int i, int64_t v)
{
	char num[24], *p;

	snprintf(num, sizeof(num), "%lld", (long long)v);
	p = strdup(num);
	return p != NULL ? set_param(st, i, p, 0, 0) : DB_ERROR;
}

/* pg_bind_double() sends the shortest text that reads back as the same double. */
static int pg_bind_double(struct db_stmt *st, int i, double v)
{
	char num[40], *p;

	if (isnan(v))
		snprintf(num, sizeof(num), "NaN");
	else if (isinf(v))
		snprintf(num, sizeof(num), "%sInfinity", v < 0 ? "-" : "");
	else
		snprintf(num, sizeof(num), "%.17g", v);
	p = strdup(num);
	return p != NULL ? set_param(st, i, p, 0, 0) : DB_ERROR;
}

static int pg_bind_text(struct db_stmt *st, int i, const char *v)
{
	char *p = strdup(v);

	return p != NULL ? set_param(st, i, p, 0, 0) : DB_ERROR;
}

static int pg_bind_blob(struct db_stmt *st, int i, const void *v, size_t n)
{
	char *p;

	if (n > INT32_MAX) {
		set_err(PG(st->db), "blob too large");
		return DB_ERROR;
	}
	p = malloc(n > 0 ? n : 1);
	if (p == NULL)
		return DB_ERROR;
	memcpy(p, v, n);
	return set_param(st, i, p, (int)n, 1);
}

static int pg_bind_null(struct db_stmt *st, int i)
{
	return set_param(st, i, NULL, 0, 0);
}

static void clear_blobs(struct stmt_pg *s)
{
	int i;

	for (i = 0; i < s->nblobs; i++) {
		PQfreemem(s->blobs[i]);
		s->blobs[i] = NULL;
	}
}

/* run_whole() executes s and keeps its whole result (the usual case: small results). */
static int run_whole(struct db_pg *d, struct stmt_pg *s)
{
	ExecStatusType status;

	s->res = PQexecPrepared(d->conn, s->name, s->nparams, (const char *const *)s->params,
				s->nbinary > 0 ? s->lens : NULL, s->nbinary > 0 ? s->formats : NULL, 0);
	status = PQresultStatus(s->res);
	if (status == PGRES_TUPLES_OK) {
		s->row = -1;
		return DB_OK;
	}
	s->done = 1;
	if (status == PGRES_COMMAND_OK) {
		PQclear(s->res);
		s->res = NULL;
		return DB_DONE;
	}
	{
		int rc = fail(d, s->res);

		PQclear(s->res);
		s->res = NULL;
		return rc;
	}
}

/* send_stream() sends s in single-row mode: each PQgetResult() then holds one row. */
static int send_stream(struct db_pg *d, struct stmt_pg *s)
{
	if (!PQsendQueryPrepared(d->conn, s->name, s->nparams, (const char *const *)s->params,
				 s->nbinary > 0 ? s->lens : NULL, s->nbinary > 0 ? s->formats : NULL, 0)) {
		s->done = 1;
		return fail(d, NULL);
	}
	PQsetSingleRowMode(d->conn);
	d->active = s;
	return DB_OK;
}

static int step_stream(struct db_pg *d, struct stmt_pg *s)
{
	PGresult *r;
	int rc;

	PQclear(s->res);
	s->res = NULL;
	if (s->done)
		return DB_DONE;
	r = next_result(s);
	switch (PQresultStatus(r)) {
	case PGRES_SINGLE_TUPLE:
		s->res = r;
		s->row = 0;
		return DB_ROW;
	case PGRES_TUPLES_OK: /* the zero-row result that ends the rows */
	case PGRES_COMMAND_OK:
		rc = DB_DONE;
		break;
	default:
		if (r != NULL) {
			rc = fail(d, r);
		} else { /* the results stopped before their end */
			set_err(d, s->truncated ? "out of memory reading ahead a streamed result"
						: "the result ended early");
			rc = DB_ERROR;
		}
	}
	PQclear(r);
	finish(s);
	s->done = 1;
	return rc;
}

static int pg_step(struct db_stmt *st)
{
	struct stmt_pg *s = SP(st);
	struct db_pg *d = PG(st->db);

	clear_blobs(s);
	if (!s->started) {
		int rc;

		if (!usable(d))
			return DB_ERROR;
		park(d);
		s->started = 1;
		rc = st->stream ? send_stream(d, s) : run_whole(d, s);
		if (rc != DB_OK)
			return rc;
	}
	if (st->stream)
		return step_stream(d, s);
	if (s->res == NULL)
		return DB_DONE;
	s->row++;
	if (s->row >= PQntuples(s->res))
		return DB_DONE;
	return DB_ROW;
}

static int null_at(struct stmt_pg *s, int col)
{
	return s->res == NULL || s->row < 0 || s->row >= PQntuples(s->res) || col < 0 ||
	       col >= PQnfields(s->res) || PQgetisnull(s->res, s->row, col);
}

static int64_t pg_col_int(struct db_stmt *st, int col)
{
	struct stmt_pg *s = SP(st);

	if (null_at(s, col))
		return 0;
	return strtoll(PQgetvalue(s->res, s->row, col), NULL, 10);
}

static double pg_col_double(struct db_stmt *st, int col)
{
	struct stmt_pg *s = SP(st);

	if (null_at(s, col))
		return 0;
	return strtod(PQgetvalue(s->res, s->row, col), NULL);
}

static const char *pg_col_text(struct db_stmt *st, int col)
{
	struct stmt_pg *s = SP(st);

	if (null_at(s, col))
		return NULL;
	return PQgetvalue(s->res, s->row, col);
}

/* pg_col_blob() decodes the bytea text (hex) of col once per row. */
static const void *pg_col_blob(struct db_stmt *st, int col, size_t *len)
{
	struct stmt_pg *s = SP(st);
	size_t n = 0;

	*len = 0;
	if (null_at(s, col))
		return NULL;
	if (col >= s->nblobs) {
		int want = PQnfields(s->res);
		unsigned char **b = realloc(s->blobs, sizeof(*b) * (size_t)want);

		if (b == NULL)
			return NULL;
		memset(b + s->nblobs, 0, sizeof(*b) * (size_t)(want - s->nblobs));
		s->blobs = b;
		s->nblobs = want;
	}
	PQfreemem(s->blobs[col]);
	s->blobs[col] = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, col), &n);
	if (s->blobs[col] != NULL)
		*len = n;
	return s->blobs[col];
}

static int pg_col_is_null(struct db_stmt *st, int col)
{
	return null_at(SP(st), col);
}

static int pg_col_count(struct db_stmt *st)
{
	struct stmt_pg *s = SP(st);

	return s->res != NULL ? PQnfields(s->res) : 0;
}

static void pg_reset(struct db_stmt *st)
{
	struct stmt_pg *s = SP(st);
	int i;

	if (s->started && st->stream && !s->done)
		finish(s); /* read and drop the rows not wanted */
	free(s->queue);
	s->queue = NULL;
	s->qhead = s->qlen = s->qcap = 0;
	s->truncated = 0;
	clear_blobs(s);
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->started = 0;
	s->done = 0;
	for (i = 0; i < s->nparams; i++) {
		free(s->params[i]);
		s->params[i] = NULL;
		s->formats[i] = 0;
		s->lens[i] = 0;
	}
	s->nparams = 0;
	s->nbinary = 0;
}

static void pg_finalize(struct db_stmt *st)
{
	struct stmt_pg *s = SP(st);
	struct db_pg *d = PG(st->db);
	char sql[64];
	PGresult *r;

	pg_reset(st);
	/* a statement of a lost connection does not exist on the new one */
	if (d != NULL && !d->broken && st->epoch == d->base.epoch && PQstatus(d->conn) == CONNECTION_OK) {
		park(d);
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
		r = PQexec(d->conn, sql);
		PQclear(r);
	}
	free(s->blobs);
	free(s);
}

static int pg_exec(struct db *db, const char *sql)
{
	struct db_pg *d = PG(db);
	PGresult *r;
	ExecStatusType status;
	int ok;

	if (!usable(d))
		return -1;
	park(d);
	r = PQexec(d->conn, sql);
	status = PQresultStatus(r);
	ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
	if (!ok)
		fail(d, r);
	/* COMMIT of a transaction that failed earlier "succeeds" as a ROLLBACK */
	if (ok && strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
		set_err(d, "the transaction was rolled back after an earlier error");
		ok = 0;
	}
	PQclear(r);
	return ok ? 0 : -1;
}

static const char *pg_errmsg(struct db *db)
{
	return PG(db)->err;
}

/* setup() configures a new session (after connecting and after every reconnection). */
static int setup(struct db_pg *d)
{
	PGresult *r = PQexec(d->conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		set_err(d, PQresultErrorMessage(r));
	PQclear(r);
	return ok ? 0 : -1;
}

/*
 * probe() looks, without waiting, for what the server may have sent an
 * idle connection: on a shutdown or a terminated backend a FATAL notice
 * and the end of the stream, which make the connection CONNECTION_BAD.
 */
static void probe(struct db_pg *d)
{
	struct pollfd p = { .fd = PQsocket(d->conn), .events = POLLIN };
	int i;

	for (i = 0; i < PROBE_READS && p.fd >= 0 && poll(&p, 1, 0) > 0; i++) {
		PGnotify *n;

		if (!PQconsumeInput(d->conn) || PQstatus(d->conn) == CONNECTION_BAD) {
			set_err(d, PQerrorMessage(d->conn));
			lost(d);
			return;
		}
		while ((n = PQnotifies(d->conn)) != NULL) /* parses the input; notices are dropped */
			PQfreemem(n);
		p.revents = 0;
	}
	if (PQstatus(d->conn) == CONNECTION_BAD) {
		set_err(d, PQerrorMessage(d->conn));
		lost(d);
	}
}

/* pg_check() reconnects a lost connection (PQreset(): the same parameters). */
static int pg_check(struct db *db)
{
	struct db_pg *d = PG(db);

	if (!d->broken && d->active == NULL)
		probe(d);
	if (!d->broken)
		return 0;
	PQreset(d->conn);
	if (PQstatus(d->conn) != CONNECTION_OK) {
		char msg[400];

		snprintf(msg, sizeof(msg), "%s", PQerrorMessage(d->conn));
		msg[strcspn(msg, "\n")] = '\0';
		snprintf(d->err, sizeof(d->err), "cannot reconnect to PostgreSQL: %s", msg);
		return -1;
	}
	if (setup(d) != 0) {
		log_error("db: reconnected to PostgreSQL but cannot configure the session: %s", d->err);
		return -1;
	}
	d->broken = 0;
	log_info("db: reconnected to PostgreSQL");
	return 0;
}

static int pg_lock(struct db *db, int64_t key)
{
	return db_run(db, &SQL_ADVISORY_LOCK, "i", key);
}

static int pg_copy_begin(struct db *db, const char *sql)
{
	struct db_pg *d = PG(db);
	PGresult *r;
	int rc = DB_OK;

	if (!usable(d))
		return DB_ERROR;
	park(d);
	r = PQexec(d->conn, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN)
		rc = fail(d, r);
	PQclear(r);
	return rc;
}

static int pg_copy_data(struct db *db, const char *data, size_t n)
{
	struct db_pg *d = PG(db);

	if (n > INT32_MAX || PQputCopyData(d->conn, data, (int)n) != 1)
		return fail(d, NULL);
	return DB_OK;
}

/* copy_line() finds "line N" in the CONTEXT of a COPY error ("COPY t, line 3, column k: ..."). */
static int64_t copy_line(const PGresult *r)
{
	const char *ctx = PQresultErrorField(r, PG_DIAG_CONTEXT), *p;

	if (ctx == NULL || (p = strstr(ctx, ", line ")) == NULL)
		return 0;
	return strtoll(p + 7, NULL, 10);
}

static int pg_copy_end(struct db *db, int abort, int64_t *line)
{
	struct db_pg *d = PG(db);
	PGresult *r;
	int rc = DB_OK;

	*line = 0;
	if (PQputCopyEnd(d->conn, abort ? "bulk load abandoned" : NULL) != 1)
		rc = fail(d, NULL);
	while ((r = PQgetResult(d->conn)) != NULL) {
		if (rc == DB_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
			const char *primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
			const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);

			rc = fail(d, r);
			*line = copy_line(r);
			if (primary != NULL) /* one line: the reason and its detail */
				snprintf(d->err, sizeof(d->err), "%s%s%s%s", primary, detail != NULL ? " (" : "",
					 detail != NULL ? detail : "", detail != NULL ? ")" : "");
		}
		PQclear(r);
	}
	return rc;
}

int db_pg_rows_held(struct db_stmt *st)
{
	struct stmt_pg *s = SP(st);

	return s->res != NULL ? PQntuples(s->res) : 0;
}

/*
 * conninfo_without_password() rewrites url as a "key='value' ..." string
 * without the password, which goes into *password (both malloc'd), so the
 * password never appears on pg_dump's command line (visible in ps).
 */
static char *conninfo_without_password(const char *url, char **password)
{
	PQconninfoOption *opts = PQconninfoParse(url, NULL), *o;
	struct buf b = BUF_INIT(16 * 1024);
	char *out = NULL;

	*password = NULL;
	if (opts == NULL)
		return NULL;
	for (o = opts; o->keyword != NULL; o++) {
		const char *v;

		if (o->val == NULL)
			continue;
		if (strcmp(o->keyword, "password") == 0) {
			*password = strdup(o->val);
			continue;
		}
		buf_addf(&b, "%s%s='", b.len > 0 ? " " : "", o->keyword);
		for (v = o->val; *v != '\0'; v++) {
			if (*v == '\'' || *v == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, *v);
		}
		buf_addc(&b, '\'');
	}
	PQconninfoFree(opts);
	if (!b.failed)
		out = strdup(buf_str(&b));
	buf_release(&b);
	return out;
}

/* pg_backup() runs pg_dump -Fc against the same database. */
static int pg_backup(struct db *db, const char *path, char *err, size_t errlen)
{
	pid_t pid;
	int status = 0;
	char *password, *conninfo = conninfo_without_password(db->url, &password);

	if (conninfo == NULL) {
		free(password);
		snprintf(err, errlen, "cannot read the connection string");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		free(conninfo);
		free(password);
		return -1;
	}
	if (pid == 0) {
		if (password != NULL)
			setenv("PGPASSWORD", password, 1);
		execlp("pg_dump", "pg_dump", "--format=custom", "--no-owner", "--file", path,
		       "--dbname", conninfo, (char *)NULL);
		_exit(127);
	}
	free(conninfo);
	free(password);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "pg_dump failed (exit status %d); is postgresql-client installed?",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}

static const struct db_ops pg_ops = {
	.name = "postgresql",
	.supports = DB_SUPPORTS_TRANSACTIONAL_DDL,
	.begin = "BEGIN",
	.close = pg_close,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.col_is_null = pg_col_is_null,
	.col_count = pg_col_count,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.exec = pg_exec,
	.errmsg = pg_errmsg,
	.backup = pg_backup,
	.check = pg_check,
	.lock = pg_lock,
	.copy_begin = pg_copy_begin,
	.copy_data = pg_copy_data,
	.copy_end = pg_copy_end,
	.ddl_id = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.ddl_strict = "",
	.ddl_int = "BIGINT",
	.ddl_double = "DOUBLE PRECISION",
	.ddl_blob = "BYTEA",
};

static void quiet_notices(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

int db_pg_open(const char *url, struct db **out, char *err, size_t errlen)
{
	struct db_pg *d = calloc(1, sizeof(*d));

	if (d == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->base.ops = &pg_ops;
	d->base.backend = DB_POSTGRES;
	d->conn = PQconnectdb(url);
	if (d->conn == NULL || PQstatus(d->conn) != CONNECTION_OK) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", d->conn != NULL ? PQerrorMessage(d->conn) : "out of memory");
		msg[strcspn(msg, "\n")] = '\0';
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s", msg);
		PQfinish(d->conn);
		free(d);
		return -1;
	}
	PQsetNoticeProcessor(d->conn, quiet_notices, NULL);
	if (setup(d) != 0) {
		snprintf(err, errlen, "cannot configure PostgreSQL session: %s", d->err);
		PQfinish(d->conn);
		free(d);
		return -1;
	}
	*out = &d->base;
	return 0;
}
