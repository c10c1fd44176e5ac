/*
 * cli_demo.c — razem demo: create the demonstration database, or with
 * --reset delete a demo database and create it again.
 *
 * --reset deletes only what is safe to delete: a database marked as a
 * demo one (app_meta demo = 1) or an empty one, where no table holds a
 * row (no tables at all, or a schema migrated but never used). Anything else is
 * refused before a byte is changed, because a mistyped --db must not cost
 * an office its registers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/str.h"
#include "demo/demo.h"
#include "demo/people.h"

/* Statements */
static const struct db_sql SQL_INSTITUTION_COUNT = DB_SQL("SELECT COUNT(*) FROM institution");
static const struct db_sql SQL_USER_COUNT = DB_SQL("SELECT COUNT(*) FROM app_user");
static const struct db_sql SQL_CURRENT_SCHEMA = DB_SQL("SELECT current_schema()");

static int is_postgres(const char *url)
{
	return strncmp(url, "postgres", 8) == 0;
}

/* sqlite_path() is the file of a SQLite URL ("sqlite:PATH" or a bare path). */
static const char *sqlite_path(const char *url)
{
	return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
}

#define MAX_TABLES 256

/*
 * rows_anywhere() is 1 when any table of the current schema other than
 * the migration ledger holds a row, 0 when none does (no tables, or a
 * migrated schema nobody has used), -1 on error. Table names come from the
 * catalogue and are quoted as identifiers.
 */
static const struct db_sql SQL_TABLES_SQLITE = DB_SQL(
	"SELECT name FROM sqlite_master WHERE type = 'table' "
	"AND name <> 'schema_migration' AND name NOT LIKE 'sqlite_%'");
static const struct db_sql SQL_TABLES_PG = DB_SQL(
	"SELECT table_name FROM information_schema.tables WHERE table_schema = "
	"current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migration'");

/* table_has_rows() is 1 when the table holds a row, 0 when not, -1 on error. */
static int table_has_rows(struct db *db, const char *name)
{
	char q[400];
	struct db_stmt *st;
	int rc;

	snprintf(q, sizeof(q), "SELECT 1 FROM \"%s\" LIMIT 1", name);
	st = db_prepare_dynamic(db, q); /* the table's name is the catalogue's, quoted */
	if (st == NULL)
		return -1;
	rc = db_step(st);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/*
 * Dictionaries that migrations fill (reasons for assistance, forms of
 * assistance): rows there are not an office's data. A migration that adds
 * a filled dictionary lists it here.
 */
static const char *const dictionaries[] = { "assistance_reason", "benefit_form", "cooperation_form",
						    "consent_purpose", "instrument", "outcome_kind", NULL };

static int is_dictionary(const char *name)
{
	int i;

	for (i = 0; dictionaries[i] != NULL; i++)
		if (strcmp(dictionaries[i], name) == 0)
			return 1;
	return 0;
}

static int rows_anywhere(struct db *db)
{
	struct db_stmt *st =
		db_query(db, db_backend(db) == DB_SQLITE ? &SQL_TABLES_SQLITE : &SQL_TABLES_PG, NULL);
	char *names[MAX_TABLES];
	int n = 0, i, rc, found = 0;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < MAX_TABLES)
		if ((names[n] = strdup(db_col_text(st, 0))) != NULL)
			n++;
	db_reset(st);
	if (rc == DB_ROW || rc < 0)
		found = -1; /* more tables than we look at, or an error: not "empty" */
	for (i = 0; i < n; i++) {
		if (is_dictionary(names[i])) {
			/* filled by the migrations */
		} else if (found == 0 && strchr(names[i], '"') == NULL) {
			found = table_has_rows(db, names[i]);
		} else if (found == 0) {
			found = 1; /* a name we will not quote: count it as data */
		}
		free(names[i]);
	}
	return found;
}

/*
 * may_reset() decides whether --reset may delete the database: 1 when it
 * is a demo database or empty, 0 after saying why not, -1 after an error.
 */
static int may_reset(const struct cli *c, struct db *db, const char *where)
{
	int64_t inst = -1, users = -1;
	int rows = rows_anywhere(db);

	if (rows < 0)
		return cli_fail(c, "cannot read %s: %s", where, db_errmsg(db)), -1;
	if (rows == 0 || demo_is_demo(db) == 1)
		return 1;
	db_get_int(db, &inst, &SQL_INSTITUTION_COUNT, NULL);
	db_get_int(db, &users, &SQL_USER_COUNT, NULL);
	if (inst >= 0 && users >= 0)
		cli_fail(c, "%s is not a demo database (institutions: %lld, users: %lld); "
			    "--reset deletes only a demo database or an empty one, so nothing was changed",
			 where, (long long)inst, (long long)users);
	else
		cli_fail(c, "%s is not a demo database (its tables hold data); --reset deletes only a "
			    "demo database or an empty one, so nothing was changed",
			 where);
	return 0;
}

/* drop_schema() empties the current PostgreSQL schema (its name checked to be a plain identifier). */
static int drop_schema(const struct cli *c, struct db *db)
{
	struct db_stmt *st = db_query(db, &SQL_CURRENT_SCHEMA, NULL);
	char name[64] = "", sql[200];

	if (st != NULL && db_step(st) == DB_ROW && db_col_text(st, 0) != NULL &&
	    strlen(db_col_text(st, 0)) < sizeof(name))
		snprintf(name, sizeof(name), "%s", db_col_text(st, 0));
	db_reset(st);
	if (name[0] == '\0' || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name))
		return cli_fail(c, "cannot reset: no plain current schema ('%s')", name), -1;
	snprintf(sql, sizeof(sql), "DROP SCHEMA \"%s\" CASCADE; CREATE SCHEMA \"%s\"", name, name);
	if (db_exec(db, sql) != 0)
		return cli_fail(c, "cannot reset: %s", db_errmsg(db)), -1;
	return 0;
}

static int unlink_sqlite(const struct cli *c, const char *path)
{
	const char *suffix[] = { "", "-wal", "-shm" };
	char f[1100];
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(f, sizeof(f), "%s%s", path, suffix[i]);
		if (unlink(f) != 0 && errno != ENOENT)
			return cli_fail(c, "cannot remove %s: %s", f, strerror(errno)), -1;
	}
	return 0;
}

/* reset_db() empties the database for --reset: 0 done, 1 refused, -1 failed (all said). */
static int reset_db(const struct cli *c, const char *where)
{
	const char *url = c->cfg.db;
	struct db *db;
	char err[512];
	int ok;

	/* a SQLite file that is not there has nothing to lose; db_open would create it */
	if (!is_postgres(url) && access(sqlite_path(url), F_OK) != 0)
		return 0;
	if (db_open(url, &db, err, sizeof(err)) != 0)
		return cli_fail(c, "%s", err), -1;
	ok = may_reset(c, db, where);
	if (ok == 1 && is_postgres(url) && drop_schema(c, db) != 0)
		ok = -1;
	db_close(db);
	if (ok == 1 && !is_postgres(url) && unlink_sqlite(c, sqlite_path(url)) != 0)
		ok = -1;
	return ok == 1 ? 0 : ok == 0 ? 1 : -1;
}

static void print_demo_accounts(const char *where)
{
	const char *role, *inst;
	int i;

	printf("Demo database: %s\n", where);
	printf("Demo accounts, one per role, all with the password \"%s\":\n", DEMO_PASSWORD);
	for (i = 0; demo_account((size_t)i, &role, &inst) == 0; i++)
		printf("  %-12s %-15s %s\n", demo_logins[i], role, inst);
}

/* demo_csv() writes --persons N generated persons to --csv FILE ("-" = standard output). */
static int demo_csv(struct cli *c)
{
	const char *path = cli_opt(c, "csv"), *count = cli_opt(c, "persons");
	const char *enc = cli_opt(c, "encoding"), *seed_text = cli_opt(c, "seed");
	enum demo_encoding e = DEMO_UTF8;
	int64_t n = 1000, seed = DEMO_SEED;
	FILE *f;
	int rc;

	if (count != NULL && (str_to_int64(count, 0, 100000000, &n) != 0))
		return cli_usage(c, "--persons: expected a number of persons (0 to 100000000)");
	if (seed_text != NULL && str_to_int64(seed_text, 0, INT64_MAX, &seed) != 0)
		return cli_usage(c, "--seed: expected a number");
	if (enc != NULL && (strcmp(enc, "cp1250") == 0 || strcmp(enc, "windows-1250") == 0))
		e = DEMO_CP1250;
	else if (enc != NULL && strcmp(enc, "utf-8") != 0 && strcmp(enc, "utf8") != 0)
		return cli_usage(c, "--encoding: expected utf-8 or cp1250");
	f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	if (f == NULL)
		return cli_fail(c, "cannot create %s: %s", path, strerror(errno));
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	rc = demo_people_csv(f, n, (uint64_t)seed, clock_today_ymd(), e);
	if (f != stdout ? fclose(f) != 0 : fflush(f) != 0)
		rc = -1;
	if (rc != 0)
		return cli_fail(c, "writing %s: %s", path, strerror(errno));
	if (f != stdout)
		fprintf(stderr, "Wrote %lld generated persons to %s.\n", (long long)n, path);
	return 0;
}

static int cmd_demo(struct cli *c)
{
	struct db *db;
	char err[512], where[1100];
	int64_t users = 0;
	int demo, ret = 1;

	if ((ret = cli_no_args(c)) != 0)
		return ret;
	if (cli_opt(c, "csv") != NULL)
		return demo_csv(c);
	if (cli_opt(c, "persons") != NULL || cli_opt(c, "encoding") != NULL)
		return cli_usage(c, "--persons and --encoding go with --csv FILE");
	/* CLI_DB is not set, because --csv needs no database: the same refusal as cli.c's */
	if (c->cfg.db[0] == '\0') {
		fprintf(stderr, "razem %s: --db is required (or set db in razem.conf or RAZEM_DB)\n",
			c->name);
		return 2;
	}
	db_url_describe(c->cfg.db, where, sizeof(where));
	if (cli_flag(c, "reset") && reset_db(c, where) != 0)
		return 1;
	db = cli_open_db(c);
	if (db == NULL)
		return 1;
	ret = 1;
	demo = demo_is_demo(db);
	if (demo < 0 || db_get_int(db, &users, &SQL_USER_COUNT, NULL) != DB_ROW) {
		cli_fail(c, "cannot read the database: %s", db_errmsg(db));
		goto out;
	}
	if (demo == 1) {
		printf("%s already holds the demo data; kept as it is (use --reset to start over).\n", where);
		print_demo_accounts(where);
		ret = 0;
		goto out;
	}
	if (users > 0 || rows_anywhere(db) != 0) {
		/* an institution without accounts yet is real data too: the first step of a set-up */
		cli_fail(c, "%s already holds real data; refusing to add demo data to it", where);
		goto out;
	}
	if (demo_build(db, err, sizeof(err)) != 0) {
		cli_fail(c, "%s", err);
		goto out;
	}
	printf("Created the demo data: a fictional county (powiat przykładowy) with 10 gminas and "
	       "about 3,000 generated persons in %d households.\n", DEMO_HOUSEHOLDS);
	print_demo_accounts(where);
	printf("Their cases are led by social workers (same password): pracownik, pracownik2 (MOPS), "
	       "pcpr.pracownik (PCPR), and one per gmina's centre: brzozowo, debina, jarzebin, "
	       "kalinowo, lipnica, olszyny, przykladowo, wierzbno, zielonka.\n");
	ret = 0;
out:
	db_close(db);
	return ret;
}

const struct cli_command cli_demo_commands[] = {
	{ "demo", NULL, "--db DB [--reset] | --csv FILE [--persons N] [--encoding cp1250] [--seed N]",
	  "create a demonstration database (fictional county)\n"
	  "Creates the schema and fills it with a fictional county (powiat przykładowy), its\n"
	  "institutions, one account per role (password \"demo\"), a social worker per social-\n"
	  "assistance centre and about 3,000 generated persons in 1,200 households. A database that\n"
	  "already holds the demo data is kept; one with real data is refused.\n"
	  "--reset deletes the database first and starts over, but only a demo database or an\n"
	  "empty one: any other database is refused (exit 1) and left as it is.\n"
	  "--csv FILE writes --persons N (default 1000) generated persons instead, as an office's\n"
	  "software exports its register (';', header in Polish, UTF-8 with BOM, or Windows-1250\n"
	  "with --encoding cp1250), for benchmarks of the import; \"-\" is standard output. No\n"
	  "database is used. The same --seed gives the same persons.\n",
	  "reset! csv persons encoding seed", 0, cmd_demo },
	{ NULL },
};
