/*
 * bench/bulk.c — the bulk-load driver of bench/bulk.sh (make bench-bulk).
 *
 *   bulk load URL N              db_bulk_* N rows into bench_bulk (created afresh)
 *   bulk sqlite-baseline PATH N  the same rows with plain sqlite3: one prepared
 *                                single-row INSERT per row, in one transaction
 *   bulk tsv N                   the rows in COPY text format on standard output
 *                                (for the psql \copy baseline)
 *
 * Prints "rows seconds" for the loads. The rows: k 1..N, a Polish text
 * with a tab (escaped by COPY), a number.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "db/db.h"

#define DDL "CREATE TABLE bench_bulk (k BIGINT PRIMARY KEY, s TEXT NOT NULL, n BIGINT)"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void row_values(long long i, char *k, char *s, char *n)
{
	snprintf(k, 24, "%lld", i);
	snprintf(s, 96, "wiersz numer %lld\tz ogonkami: zażółć gęślą jaźń", i);
	snprintf(n, 24, "%lld", i * 7);
}

static int load(const char *url, long long rows)
{
	static const char *const cols[] = { "k", "s", "n" };
	char err[512] = "", k[24], s[96], n[24];
	const char *row[3] = { k, s, n };
	struct db *db;
	struct db_bulk *b;
	double t0;
	long long i;

	if (db_open(url, &db, err, sizeof(err)) != 0) {
		fprintf(stderr, "bulk: %s\n", err);
		return 1;
	}
	if (db_exec(db, "DROP TABLE IF EXISTS bench_bulk") != 0 || db_exec(db, DDL) != 0) {
		fprintf(stderr, "bulk: %s\n", db_errmsg(db));
		db_close(db);
		return 1;
	}
	t0 = now();
	b = db_bulk_begin(db, "bench_bulk", cols, 3, err, sizeof(err));
	for (i = 1; b != NULL && i <= rows; i++) {
		row_values(i, k, s, n);
		if (db_bulk_row(b, row) != DB_OK)
			break;
	}
	if (b == NULL || db_bulk_end(b) != DB_OK) {
		fprintf(stderr, "bulk: %s\n", err);
		db_close(db);
		return 1;
	}
	printf("%lld %.3f\n", rows, now() - t0);
	db_close(db);
	return 0;
}

static int sqlite_baseline(const char *path, long long rows)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char k[24], s[96], n[24];
	double t0;
	long long i;
	int ok;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
			     "DROP TABLE IF EXISTS bench_bulk; " DDL,
			 NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "bulk: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	t0 = now();
	ok = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK &&
	     sqlite3_prepare_v2(db, "INSERT INTO bench_bulk (k, s, n) VALUES (?, ?, ?)", -1, &st, NULL) ==
		     SQLITE_OK;
	for (i = 1; ok && i <= rows; i++) {
		row_values(i, k, s, n);
		sqlite3_bind_text(st, 1, k, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, s, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, n, -1, SQLITE_TRANSIENT);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (!ok || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "bulk: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	printf("%lld %.3f\n", rows, now() - t0);
	sqlite3_close(db);
	return 0;
}

static int tsv(long long rows)
{
	char k[24], s[96], n[24];
	long long i;

	for (i = 1; i <= rows; i++) {
		char *tab;

		row_values(i, k, s, n);
		tab = strchr(s, '\t');
		*tab = '\0';
		printf("%s\t%s\\t%s\t%s\n", k, s, tab + 1, n);
	}
	return ferror(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	log_set_level(LOG_ERROR);
	if (argc == 4 && strcmp(argv[1], "load") == 0)
		return load(argv[2], strtoll(argv[3], NULL, 10));
	if (argc == 4 && strcmp(argv[1], "sqlite-baseline") == 0)
		return sqlite_baseline(argv[2], strtoll(argv[3], NULL, 10));
	if (argc == 3 && strcmp(argv[1], "tsv") == 0)
		return tsv(strtoll(argv[2], NULL, 10));
	fprintf(stderr, "usage: bulk load URL N | bulk sqlite-baseline PATH N | bulk tsv N\n");
	return 2;
}
