/*
 * cli_person.c — razem person search | show: the registry's search and
 * read from the command line, through the same access policy and audit
 * as the pages (the command line reads as the machine's administrator
 * for the institution named by --institution). bench/search.sh times
 * the search with it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/str.h"
#include "registry/person.h"

struct person_args {
	int64_t institution;
	struct person_query q;
	int64_t id;
	int repeat;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* reader() is a casework read by the command line for the institution, logging into log. */
static struct policy_read reader(struct db *db, struct arena *a, int64_t inst, struct audit_reads *log)
{
	struct policy_read r;

	memset(&r, 0, sizeof(r));
	r.db = db;
	r.arena = a;
	r.actor.cli = 1;
	r.actor.institution_id = inst;
	r.kind = POLICY_PERSON;
	r.purpose = PURPOSE_CASEWORK;
	r.log = log;
	return r;
}

static const char *s(const char *v)
{
	return v != NULL ? v : "";
}

/* cell() prints s left-aligned in width characters (not bytes: "Łukasz" is 6 wide) and a space. */
static void cell(const char *v, size_t width)
{
	size_t n = utf8_length(s(v));

	fputs(s(v), stdout);
	for (; n < width + 1; n++)
		putchar(' ');
}

static int search_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct person_args *x = arg;
	struct audit_actor who;
	struct person_hits h;
	double best = 0, total_ms = 0;
	int i, k, rc = POLICY_OK;

	cli_actor(&who);
	who.institution_id = x->institution;
	for (k = 0; k < x->repeat; k++) {
		struct audit_reads log = AUDIT_READS_INIT;
		struct policy_read r = reader(db, a, x->institution, &log);
		double t0 = now_ms(), ms;

		rc = person_search(&r, &x->q, &h);
		ms = now_ms() - t0;
		if (rc == POLICY_DENIED)
			return cli_fail(c, "refused: %s", r.decision.reason);
		if (rc != POLICY_OK)
			return cli_fail(c, "search failed: %s", db_errmsg(db));
		if (audit_reads_flush(db, &who, &log) != 0) /* never shown unless recorded */
			return cli_fail(c, "the read could not be recorded: %s", db_errmsg(db));
		best = k == 0 || ms < best ? ms : best;
		total_ms += ms;
	}
	printf("%-4s %-11s %-8s %-24s %-24s %-10s %-11s %s\n", "RANK", "MATCHED", "ID", "SURNAME",
	       "FIRST NAMES", "BORN", "PESEL", "TOWN");
	for (i = 0; i < h.n; i++) {
		printf("%-4d %-11s %-8lld ", h.hits[i].rank, s(h.hits[i].matched), (long long)h.hits[i].id);
		cell(h.hits[i].surname, 24);
		cell(h.hits[i].first_names, 24);
		cell(h.hits[i].birth_date, 10);
		cell(h.hits[i].pesel, 11);
		printf("%s\n", s(h.hits[i].town));
	}
	printf("%d of %lld persons; search %.2f ms (best of %d), mean %.2f ms\n", h.n,
	       (long long)h.total, best, x->repeat, total_ms / x->repeat);
	return 0;
}

/* institution_arg() reads --institution; 0 on success, else the usage status. */
static int institution_arg(struct cli *c, int64_t *out)
{
	const char *v = cli_opt(c, "institution");

	if (v == NULL)
		return cli_usage(c, "needs --institution ID (whose persons are searched)");
	if (str_to_int64(v, 1, INT64_MAX, out) != 0)
		return cli_usage(c, "--institution takes the number of an institution, not '%s'", v);
	return 0;
}

static int cmd_search(struct cli *c)
{
	struct person_args x;
	const char *v;
	int64_t n;
	int rc;

	memset(&x, 0, sizeof(x));
	if (c->npos > 1)
		return cli_usage(c, "one query at a time (quote several words: \"kowalska anna\")");
	if ((rc = institution_arg(c, &x.institution)) != 0)
		return rc;
	x.q.q = c->npos > 0 ? c->pos[0] : NULL;
	x.q.pesel = cli_opt(c, "pesel");
	x.q.birth_date = cli_opt(c, "birth-date");
	x.q.town = cli_opt(c, "town");
	x.q.limit = 20;
	x.repeat = 1;
	if ((v = cli_opt(c, "limit")) != NULL) {
		if (str_to_int64(v, 1, 100, &n) != 0)
			return cli_usage(c, "--limit takes 1 to 100, not '%s'", v);
		x.q.limit = (int)n;
	}
	if ((v = cli_opt(c, "offset")) != NULL && str_to_int64(v, 0, INT64_MAX, &x.q.offset) != 0)
		return cli_usage(c, "--offset takes a number of rows, not '%s'", v);
	if ((v = cli_opt(c, "repeat")) != NULL) {
		if (str_to_int64(v, 1, 1000, &n) != 0)
			return cli_usage(c, "--repeat takes 1 to 1000, not '%s'", v);
		x.repeat = (int)n;
	}
	return cli_with_db(c, &x, search_in_db);
}

static int show_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct person_args *x = arg;
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r = reader(db, a, x->institution, &log);
	struct audit_actor who;
	struct person p;
	int rc = person_read(&r, x->id, &p);

	cli_actor(&who);
	who.institution_id = x->institution;
	if (audit_reads_flush(db, &who, &log) != 0)
		return cli_fail(c, "the read could not be recorded: %s", db_errmsg(db));
	if (rc == POLICY_NOT_FOUND)
		return cli_fail(c, "there is no person number %lld", (long long)x->id);
	if (rc == POLICY_DENIED)
		return cli_fail(c, "refused (%s): %s", r.decision.code, r.decision.reason);
	if (rc != POLICY_OK)
		return cli_fail(c, "%s", db_errmsg(db));
	printf("%lld\t%s %s\nPESEL\t%s\nborn\t%s\nsex\t%s\ndocument\t%s %s\naddress\t%s %s%s%s, %s %s\n"
	       "TERC\t%s\nphone\t%s\ne-mail\t%s\nlead worker\t%s\ninstitution\t%s\nchanged\t%s\n",
	       (long long)p.id, s(p.first_names), s(p.surname), s(p.pesel), s(p.birth_date), s(p.sex),
	       s(p.doc_kind), s(p.doc_number), s(p.street), s(p.house_no), p.flat_no != NULL ? "/" : "",
	       s(p.flat_no), s(p.postcode), s(p.town), s(p.terc), s(p.phone), s(p.email),
	       s(p.lead_worker_name), s(p.institution_name), s(p.updated_at));
	return 0;
}

static int cmd_show(struct cli *c)
{
	struct person_args x;
	int rc;

	memset(&x, 0, sizeof(x));
	if (c->npos != 1 || str_to_int64(c->pos[0], 1, INT64_MAX, &x.id) != 0)
		return cli_usage(c, "needs the number of one person");
	if ((rc = institution_arg(c, &x.institution)) != 0)
		return rc;
	return cli_with_db(c, &x, show_in_db);
}

const struct cli_command cli_person_commands[] = {
	{ "person", "search", "[QUERY] --institution ID [--pesel P] [--birth-date D] [--town T] "
			      "[--offset N] [--limit N] [--repeat N]",
	  "search the persons of an institution, ranked exact-first\n"
	  "QUERY is a PESEL, a birth date (YYYY-MM-DD or DD.MM.YYYY) or name words, each the start\n"
	  "of the surname or a first name, case and Polish letters folded (\"kowalska anna\",\n"
	  "\"lukasz\"). --town matches the start of the town or street. --repeat runs the search N\n"
	  "times and reports the best and mean time (bench/search.sh). Every search is recorded in\n"
	  "the audit log.\n",
	  "institution pesel birth-date town offset limit repeat", CLI_DB, cmd_search },
	{ "person", "show", "ID --institution ID",
	  "show one person of the institution (the read is recorded in the audit log)\n",
	  "institution", CLI_DB, cmd_show },
	{ NULL },
};
