/*
 * tests/unit/testdb.h — fresh databases for the unit tests of modules that
 * use the database.
 *
 * Every test gets its own database: a new SQLite file in a new directory
 * under /tmp (removed afterwards), and, when RAZEM_TEST_PG_URL names an
 * empty PostgreSQL database, the same test runs a second time there with
 * the public schema dropped and created again first. testdb_run() runs an
 * array of tests that way (SQLite always, PostgreSQL when configured);
 * tests marked with testdb_plain() run once, without a database.
 *
 * Include after cmocka.h. All functions are static inline so that each
 * test program simply includes this header.
 */
#ifndef RAZEM_TESTS_UNIT_TESTDB_H
#define RAZEM_TESTS_UNIT_TESTDB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"

/* How the setup prepares a test's database. */
struct testdb_cfg {
	enum db_backend backend; /* DB_SQLITE or DB_POSTGRES */
	int migrate;             /* 1 = apply the migrations */
};

/* One test's database. */
struct testdb {
	enum db_backend backend; /* which backend */
	struct db *db;           /* the open connection */
	char dir[64];            /* SQLite: private directory ("" for PostgreSQL) */
	char url[1024];          /* what db_open() was given */
};

/* Marks tests in a testdb_run() array that need no database (run once). */
static const struct testdb_cfg testdb_plain_cfg = { DB_SQLITE, -1 };

#define testdb_plain(f) { #f, f, NULL, NULL, (void *)&testdb_plain_cfg }

/* testdb_pg_url() is the PostgreSQL test database, or NULL when not configured. */
static inline const char *testdb_pg_url(void)
{
	const char *url = getenv("RAZEM_TEST_PG_URL");

	return url != NULL && url[0] != '\0' ? url : NULL;
}

/* testdb_rmdir() removes dir and the files in it. */
static inline void testdb_rmdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (d == NULL)
		return;
	for (e = readdir(d); e != NULL; e = readdir(d)) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/*
 * testdb_open() prepares an empty database for backend into t and
 * connects: a new SQLite file, or the PostgreSQL test database with an
 * empty public schema. Fails the test on any error.
 */
static inline void testdb_open(struct testdb *t, enum db_backend backend)
{
	char err[512] = "";

	memset(t, 0, sizeof(*t));
	t->backend = backend;
	if (backend == DB_SQLITE) {
		snprintf(t->dir, sizeof(t->dir), "/tmp/razem-unit-XXXXXX");
		assert_non_null(mkdtemp(t->dir));
		snprintf(t->url, sizeof(t->url), "%s/test.db", t->dir);
	} else {
		const char *url = testdb_pg_url();

		assert_non_null(url);
		snprintf(t->url, sizeof(t->url), "%s", url);
	}
	if (db_open(t->url, &t->db, err, sizeof(err)) != 0)
		fail_msg("cannot open %s: %s", t->url, err);
	assert_int_equal(db_backend(t->db), backend);
	if (backend == DB_POSTGRES &&
	    db_exec(t->db, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public") != 0)
		fail_msg("cannot reset the PostgreSQL schema: %s", db_errmsg(t->db));
}

/* testdb_migrate() applies the migrations to t's database. */
static inline void testdb_migrate(struct testdb *t)
{
	char err[512] = "";

	if (db_migrate(t->db, err, sizeof(err)) < 0)
		fail_msg("migration failed: %s", err);
}

/* testdb_connect() opens a second connection to t's database (close with db_close()). */
static inline struct db *testdb_connect(const struct testdb *t)
{
	struct db *db = NULL;
	char err[512] = "";

	if (db_open(t->url, &db, err, sizeof(err)) != 0)
		fail_msg("cannot open %s again: %s", t->url, err);
	return db;
}

/* testdb_close() disconnects and removes the SQLite files. */
static inline void testdb_close(struct testdb *t)
{
	db_close(t->db);
	t->db = NULL;
	if (t->dir[0] != '\0')
		testdb_rmdir(t->dir);
}

/*
 * testdb_count() runs a COUNT(*)-style query without parameters and
 * returns its value (the SQL is a test's ad-hoc text: the dynamic cache).
 */
static inline int64_t testdb_count(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare_dynamic(db, sql);
	int64_t n = -1;

	if (st == NULL || db_step(st) != DB_ROW) {
		db_reset(st);
		fail_msg("query failed: %s (%s)", sql, db_errmsg(db));
	}
	n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

/* cmocka setup: *state is a struct testdb_cfg on entry and a struct testdb after. */
static inline int testdb_setup(void **state)
{
	const struct testdb_cfg *cfg = *state;
	struct testdb *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	testdb_open(t, cfg->backend);
	if (cfg->migrate)
		testdb_migrate(t);
	*state = t;
	return 0;
}

static inline int testdb_teardown(void **state)
{
	struct testdb *t = *state;

	if (t != NULL) {
		testdb_close(t);
		free(t);
	}
	return 0;
}

/*
 * testdb_run() runs tests on SQLite and, when RAZEM_TEST_PG_URL is set,
 * again on PostgreSQL (their names then end in " [sqlite]" and
 * " [postgresql]"); each gets a fresh database, migrated when migrate is
 * 1. A test's own setup (and teardown) replaces testdb_setup() (and
 * testdb_teardown()) and must call it itself. Tests made with
 * testdb_plain() run once. Returns the number of failures, like
 * cmocka_run_group_tests().
 */
static inline int testdb_run(const char *group, const struct CMUnitTest *tests, size_t n, int migrate)
{
	static struct testdb_cfg cfg[2];
	const char *names[] = { "sqlite", "postgresql" };
	int nback = testdb_pg_url() != NULL ? 2 : 1, b, rc;
	struct CMUnitTest *all = calloc(n * 2, sizeof(*all));
	char **labels = calloc(n * 2, sizeof(*labels));
	size_t i, k = 0;

	assert_non_null(all);
	assert_non_null(labels);
	cfg[0] = (struct testdb_cfg){ DB_SQLITE, migrate };
	cfg[1] = (struct testdb_cfg){ DB_POSTGRES, migrate };
	for (b = 0; b < nback; b++) {
		for (i = 0; i < n; i++) {
			if (tests[i].initial_state == &testdb_plain_cfg) {
				if (b == 0)
					all[k++] = tests[i];
				continue;
			}
			labels[k] = malloc(strlen(tests[i].name) + 20);
			assert_non_null(labels[k]);
			sprintf(labels[k], "%s [%s]", tests[i].name, names[b]);
			all[k] = tests[i];
			all[k].name = labels[k];
			if (all[k].setup_func == NULL)
				all[k].setup_func = testdb_setup;
			if (all[k].teardown_func == NULL)
				all[k].teardown_func = testdb_teardown;
			all[k].initial_state = &cfg[b];
			k++;
		}
	}
	rc = _cmocka_run_group_tests(group, all, k, NULL, NULL);
	for (i = 0; i < k; i++)
		free(labels[i]);
	free(labels);
	free(all);
	return rc;
}

#define TESTDB_RUN(group, tests, migrate) \
	testdb_run(group, tests, sizeof(tests) / sizeof((tests)[0]), migrate)

#endif
