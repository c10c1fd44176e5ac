/*
 * cli_link_db.c — `razem link --db DB [--institution ID] [--full]`: the
 * register linked in the database (link/store.h), the records new and
 * changed since the last run one by one, or the whole register by the
 * batch linker (first run, many changes, --full). cli_link.c (the file
 * mode) hands over to cli_link_db() when no file is given.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/str.h"
#include "link/store.h"

struct link_db_args {
	int64_t institution;
	int full;
};

static int run(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	const struct link_db_args *x = arg;
	struct link_run_summary s;
	struct audit_actor who;
	char err[400] = "", detail[200];
	int rc;

	(void)a;
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
	struct link_db_args x = { 0, cli_flag(c, "full") };
	const char *v = cli_opt(c, "institution");

	if (c->cfg.db[0] == '\0')
		return cli_usage(c, "needs --db DB, or --columns SPEC FILE [FILE2]");
	if (c->npos > 0)
		return cli_usage(c, "--db links the register: no files");
	if (v != NULL && str_to_int64(v, 1, INT64_MAX, &x.institution) != 0)
		return cli_usage(c, "--institution takes the number of an institution, not '%s'", v);
	return cli_with_db(c, &x, run);
}
