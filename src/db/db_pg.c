/*
 * db_pg.c — the PostgreSQL backend through libpq.
 *
 * Statements are prepared server-side once per connection (named s1, s2,
 * ...) after their '?' placeholders are rewritten as $n. Parameters travel
 * as text and PostgreSQL infers their types from context; results come
 * back as text and db_col_int() parses them. A result is fetched whole on
 * the first db_step().
 */
#include "db/db_int.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"

#define MAX_PARAMS 128

struct db_pg {
	struct db base;        /* must be first */
	PGconn *conn;          /* the connection */
	unsigned next_name;    /* counter for statement names */
	char err[512];         /* last error */
};

struct stmt_pg {
	struct db_stmt base;           /* must be first */
	char name[16];                 /* server-side statement name */
	int nparams;                   /* highest parameter bound */
	char *params[MAX_PARAMS];      /* text values (malloc'd), NULL = SQL NULL */
	PGresult *res;                 /* result of the execution, NULL before */
	int row;                       /* current row, -1 before the first */
	int done;                      /* executed and fully read */
};

#define PG(db) ((struct db_pg *)(void *)(db))
#define SP(s) ((struct stmt_pg *)(void *)(s))

static void set_err(struct db_pg *d, const char *msg)
{
	size_t n;

	snprintf(d->err, sizeof(d->err), "%s", msg != NULL ? msg : "unknown error");
	n = strlen(d->err);
	while (n > 0 && (d->err[n - 1] == '\n' || d->err[n - 1] == ' '))
		d->err[--n] = '\0';
}

static void pg_close(struct db *db)
{
	PQfinish(PG(db)->conn);
	free(db);
}

static struct db_stmt *pg_prepare(struct db *db, const char *sql)
{
	struct db_pg *d = PG(db);
	struct stmt_pg *s = calloc(1, sizeof(*s));
	char *native = NULL;
	PGresult *r;

	if (s == NULL)
		return NULL;
	native = db_pg_placeholders(sql);
	if (native == NULL)
		goto fail;
	snprintf(s->name, sizeof(s->name), "s%u", ++d->next_name);
	r = PQprepare(d->conn, s->name, native, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		set_err(d, PQresultErrorMessage(r));
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

static int set_param(struct db_stmt *st, int i, char *v)
{
	struct stmt_pg *s = SP(st);

	if (i < 1 || i > MAX_PARAMS) {
		free(v);
		set_err(PG(st->db), "parameter index out of range");
		return DB_ERROR;
	}
	free(s->params[i - 1]);
	s->params[i - 1] = v;
	if (i > s->nparams)
		s->nparams = i;
	return DB_OK;
}

static int pg_bind_int(struct db_stmt *st, int i, int64_t v)
{
	char num[24], *p;

	snprintf(num, sizeof(num), "%lld", (long long)v);
	p = strdup(num);
	return p != NULL ? set_param(st, i, p) : DB_ERROR;
}

static int pg_bind_text(struct db_stmt *st, int i, const char *v)
{
	char *p = strdup(v);

	return p != NULL ? set_param(st, i, p) : DB_ERROR;
}

static int pg_bind_null(struct db_stmt *st, int i)
{
	return set_param(st, i, NULL);
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

static int pg_step(struct db_stmt *st)
{
	struct stmt_pg *s = SP(st);
	struct db_pg *d = PG(st->db);

	if (s->res == NULL && !s->done) {
		ExecStatusType status;

		s->res = PQexecPrepared(d->conn, s->name, s->nparams, (const char *const *)s->params,
					NULL, NULL, 0);
		status = PQresultStatus(s->res);
		if (status == PGRES_COMMAND_OK) {
			PQclear(s->res);
			s->res = NULL;
			s->done = 1;
			return DB_DONE;
		}
		if (status != PGRES_TUPLES_OK) {
			int rc = map_state(PQresultErrorField(s->res, PG_DIAG_SQLSTATE));

			set_err(d, PQresultErrorMessage(s->res));
			PQclear(s->res);
			s->res = NULL;
			s->done = 1;
			return rc;
		}
		s->row = -1;
	}
	if (s->res == NULL)
		return DB_DONE;
	s->row++;
	if (s->row >= PQntuples(s->res))
		return DB_DONE;
	return DB_ROW;
}

static int64_t pg_col_int(struct db_stmt *st, int col)
{
	struct stmt_pg *s = SP(st);

	if (s->res == NULL || PQgetisnull(s->res, s->row, col))
		return 0;
	return strtoll(PQgetvalue(s->res, s->row, col), NULL, 10);
}

static const char *pg_col_text(struct db_stmt *st, int col)
{
	struct stmt_pg *s = SP(st);

	if (s->res == NULL || PQgetisnull(s->res, s->row, col))
		return NULL;
	return PQgetvalue(s->res, s->row, col);
}

static int pg_col_is_null(struct db_stmt *st, int col)
{
	struct stmt_pg *s = SP(st);

	return s->res == NULL || PQgetisnull(s->res, s->row, col);
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

	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->done = 0;
	for (i = 0; i < s->nparams; i++) {
		free(s->params[i]);
		s->params[i] = NULL;
	}
	s->nparams = 0;
}

static void pg_finalize(struct db_stmt *st)
{
	struct stmt_pg *s = SP(st);
	struct db_pg *d = PG(st->db);
	char sql[64];
	PGresult *r;

	pg_reset(st);
	if (d != NULL && PQstatus(d->conn) == CONNECTION_OK) {
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
		r = PQexec(d->conn, sql);
		PQclear(r);
	}
	free(s);
}

static int pg_exec(struct db *db, const char *sql)
{
	struct db_pg *d = PG(db);
	PGresult *r = PQexec(d->conn, sql);
	ExecStatusType status = PQresultStatus(r);
	int ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;

	if (!ok)
		set_err(d, PQresultErrorMessage(r));
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
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_is_null = pg_col_is_null,
	.col_count = pg_col_count,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.exec = pg_exec,
	.errmsg = pg_errmsg,
	.backup = pg_backup,
	.ddl_id = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.ddl_strict = "",
	.ddl_int = "BIGINT",
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
	if (pg_exec(&d->base, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'") != 0) {
		snprintf(err, errlen, "cannot configure PostgreSQL session: %s", d->err);
		PQfinish(d->conn);
		free(d);
		return -1;
	}
	*out = &d->base;
	return 0;
}
