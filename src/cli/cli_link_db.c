/*
 * cli_link_db.c — `razem link --db DB [--institution ID] [--full]`: the
 * register linked in the database (link/store.h), the records new and
 * changed since the last run one by one, or the whole register by the
 * batch linker (first run, many changes, --full); `--person ID [--repeat
 * N]` links one record as the forms do and times it. cli_link.c (the file
 * mode) hands over to cli_link_db() when no file is given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/str.h"
#include "link/store.h"

struct link_db_args {
	int64_t institution;
	int full;
	int64_t person; /* --person: one record linked (timed), 0 = the register */
	int64_t repeat;
};

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * one(): --person ID links that record against the database as the forms
 * do; with --repeat N it is timed N times, each in a transaction rolled
 * back (the database keeps what the last, committed, run wrote).
 */
static int one(struct cli *c, struct db *db, const struct link_db_args *x)
{
	double ms[1000];
	int linked = 0, queued = 0;
	int64_t i;

	for (i = 0; i < x->repeat; i++) {
		struct timespec t0;
		int last = i == x->repeat - 1;

		if (db_begin(db) != DB_OK)
			return cli_fail(c, "cannot start a transaction: %s", db_errmsg(db));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (link_store_one(db, x->person, &linked, &queued) != 0) {
			db_rollback(db);
			return cli_fail(c, "linking person %lld: %s", (long long)x->person, db_errmsg(db));
		}
		ms[i] = ms_since(&t0);
		if ((last ? db_commit(db) : db_rollback(db)) != DB_OK)
			return cli_fail(c, "ending the transaction: %s", db_errmsg(db));
	}
	qsort(ms, (size_t)x->repeat, sizeof(ms[0]), by_value);
	printf("person %lld: %d linked, %d queued; %.2f ms median, %.2f ms best of %lld\n", (long long)x->person,
	       linked, queued, ms[x->repeat / 2], ms[0], (long long)x->repeat);
	return 0;
}

static int run(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	const struct link_db_args *x = arg;
	struct link_run_summary s;
	struct audit_actor who;
	char err[400] = "", detail[200];
	int rc;

	(void)a;
	if (x->person > 0)
		return one(c, db, x);
	cli_actor(&who);
	if (db_begin(db) != DB_OK)
		return cli_fail(c, "cannot start a transaction: %s", db_errmsg(db));
	rc = link_store_run(db, x->institution, x->full, 0, &s, err, sizeof(err));
	snprintf(detail, sizeof(detail), "run=%lld full=%d records=%lld pairs=%lld linked=%lld queued=%lld",
		 (long long)s.run_id, s.full, (long long)s.records, (long long)s.pairs, (long long)s.linked,
		 (long long)s.queued);
	if (audit_commit(db, &who, rc, "link.run", "link_run", s.run_id, detail) != 0 || rc != 0)
		return cli_fail(c, "%s", err[0] ? err : "the run failed");
	printf("%s run %lld: %lld records, %lld pairs scored, %lld linked, %lld queued for review, "
	       "thresholds %.3f/%.3f, %.2f s\n",
	       s.full ? "full" : "incremental", (long long)s.run_id, (long long)s.records, (long long)s.pairs,
	       (long long)s.linked, (long long)s.queued, s.upper, s.lower, s.seconds);
	return 0;
}

int cli_link_db(struct cli *c)
{
	struct link_db_args x = { 0, cli_flag(c, "full"), 0, 1 };
	const char *v = cli_opt(c, "institution"), *p = cli_opt(c, "person"), *r = cli_opt(c, "repeat");

	if (c->cfg.db[0] == '\0')
		return cli_usage(c, "needs --db DB, or --columns SPEC FILE [FILE2]");
	if (c->npos > 0)
		return cli_usage(c, "--db links the register: no files");
	if (v != NULL && str_to_int64(v, 1, INT64_MAX, &x.institution) != 0)
		return cli_usage(c, "--institution takes the number of an institution, not '%s'", v);
	if (p != NULL && str_to_int64(p, 1, INT64_MAX, &x.person) != 0)
		return cli_usage(c, "--person takes the number of a person, not '%s'", p);
	if (r != NULL && (p == NULL || str_to_int64(r, 1, 1000, &x.repeat) != 0))
		return cli_usage(c, "--repeat takes 1 to 1000, with --person");
	return cli_with_db(c, &x, run);
}
