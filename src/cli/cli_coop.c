/*
 * cli_coop.c — razem agreement list | show, razem report cooperation |
 * duplicated-support: the partnership agreements and the cooperation
 * reports of docs/COOPERATION.md from the command line (for a
 * coordinator's scripts and the voivodeship's yearly survey).
 *
 * Agreements are not personal data. The duplicated-support report leaves
 * the institution when printed here, so its counts under the small_count
 * setting are suppressed, as on the page for coordinators.
 * Exit status: 0, 1 (database error; no such agreement), 2 (usage).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "coop/agreement.h"
#include "coop/episode.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/str.h"
#include "registry/check.h"

/* csv_line() prints the n fields as one CSV line (RFC 4180, comma). */
static void csv_line(const char *const *f, int n)
{
	struct buf b;
	int i;

	buf_init(&b, 1 << 16);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		csv_write_field(&b, f[i] != NULL ? f[i] : "", ',');
	}
	printf("%s\n", buf_str(&b) != NULL ? buf_str(&b) : "");
	buf_release(&b);
}

/* csv_format() is 1 for --format csv, 0 for text (the default), -1 for anything else. */
static int csv_format(const struct cli *c)
{
	const char *f = cli_opt(c, "format");

	if (f == NULL || str_eq(f, "text"))
		return 0;
	return str_eq(f, "csv") ? 1 : -1;
}

/* ------------------------------------------------------------------ */
/* Agreements                                                          */
/* ------------------------------------------------------------------ */

struct list_ctx {
	int csv;
	int n;
};

static int list_row(void *ctx, const char *id, const char *const *v)
{
	struct list_ctx *x = ctx;

	x->n++;
	if (x->csv) {
		const char *f[] = { id, v[AGR_COL_STATUS], v[AGR_COL_DURATION], v[AGR_COL_SIGNED], v[AGR_COL_FROM],
				    v[AGR_COL_TO], v[AGR_COL_PARTIES], v[AGR_COL_FORMS], v[AGR_COL_SUBJECT] };

		csv_line(f, (int)(sizeof(f) / sizeof(f[0])));
		return 0;
	}
	printf("%-5s %-12s %-10s %-10s %s\n   %s\n", id, v[AGR_COL_STATUS] ? v[AGR_COL_STATUS] : "",
	       v[AGR_COL_FROM] ? v[AGR_COL_FROM] : "", v[AGR_COL_TO] ? v[AGR_COL_TO] : "(indefinite)",
	       v[AGR_COL_SUBJECT] ? v[AGR_COL_SUBJECT] : "", v[AGR_COL_PARTIES] ? v[AGR_COL_PARTIES] : "");
	return 0;
}

static int list_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct list_query q = LIST_QUERY_INIT;
	struct list_ctx *x = arg;
	const char *status = cli_opt(c, "status"), *party = cli_opt(c, "party");

	q.sort = AGR_COL_FROM;
	if ((status != NULL && list_add_filter(&q, AGR_COL_STATUS, LIST_EQ, status) != 0) ||
	    (party != NULL && list_add_filter(&q, AGR_COL_PARTY, LIST_EQ, party) != 0))
		return cli_fail(c, "too many filters");
	if (x->csv) {
		const char *h[] = { "id", "status", "duration", "signed_on", "valid_from", "valid_to", "parties",
				    "forms", "subject" };

		csv_line(h, (int)(sizeof(h) / sizeof(h[0])));
	} else {
		printf("%-5s %-12s %-10s %-10s %s\n", "ID", "STATUS", "FROM", "TO", "SUBJECT / PARTIES");
	}
	if (list_each(db, a, &agreement_list, &q, list_row, x) != 0)
		return cli_fail(c, "cannot read the agreements: %s", db_errmsg(db));
	if (!x->csv)
		printf("%d agreement%s\n", x->n, x->n == 1 ? "" : "s");
	return 0;
}

static int cmd_agreement_list(struct cli *c)
{
	struct list_ctx x = { 0, 0 };
	const char *status = cli_opt(c, "status"), *party = cli_opt(c, "party");
	int64_t id;
	int i, known = 0;

	if (c->npos > 0)
		return cli_usage(c, "unexpected argument '%s'", c->pos[0]);
	if ((x.csv = csv_format(c)) < 0)
		return cli_usage(c, "--format: text or csv, not '%s'", cli_opt(c, "format"));
	for (i = 0; status != NULL && agreement_statuses[i] != NULL; i++)
		known |= str_eq(status, agreement_statuses[i]);
	if (status != NULL && !known)
		return cli_usage(c, "--status: negotiating, signed or terminated, not '%s'", status);
	if (party != NULL && str_to_int64(party, 1, INT64_MAX, &id) != 0)
		return cli_usage(c, "--party: an institution's number, not '%s'", party);
	return cli_with_db(c, &x, list_in_db);
}

/* state() says what an agreement is today, computed from its dates (never stored). */
static const char *state(const struct agreement *g, const char *today)
{
	if (str_eq(g->status, "negotiating"))
		return "in negotiation";
	if (str_eq(g->status, "terminated") && strcmp(g->terminated_on, today) <= 0)
		return "terminated";
	if (strcmp(g->valid_from, today) > 0)
		return "not yet in force";
	if (g->valid_to != NULL && strcmp(g->valid_to, today) < 0)
		return "expired";
	return "in force";
}

static void codes_line(const char *label, const char *const *codes, int n,
		       const char *(*label_of)(const char *code))
{
	int i;

	printf("%-14s", label);
	for (i = 0; i < n; i++)
		printf("%s%s (%s)", i > 0 ? ", " : "", codes[i], label_of(codes[i]));
	printf("%s\n", n == 0 ? "—" : "");
}

static int show_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	const int64_t *id = arg;
	struct agreement g;
	char today[16];
	int rc = agreement_get(db, a, *id, &g), i;

	if (rc != 0)
		return cli_fail(c, "%s", rc > 0 ? "no agreement with that number" : db_errmsg(db));
	registry_today(today);
	printf("%-14s%lld\n%-14s%s\n%-14s%s (%s today)\n", "Agreement", (long long)g.id, "Subject", g.subject,
	       "Status", g.status, state(&g, today));
	printf("%-14s%s\n%-14s%s\n%-14s%s\n%-14s%s\n", "Signed on", g.signed_on ? g.signed_on : "—",
	       "Valid from", g.valid_from, "Valid to", g.valid_to ? g.valid_to : "(indefinite)", "Duration",
	       g.duration ? g.duration : "");
	if (g.terminated_on != NULL)
		printf("%-14s%s\n", "Terminated on", g.terminated_on);
	for (i = 0; i < g.nparties; i++)
		printf("%-14s%lld %s (%s)\n", i == 0 ? "Parties" : "", (long long)g.parties[i],
		       g.party_names[i] ? g.party_names[i] : "?", g.party_kinds[i] ? g.party_kinds[i] : "?");
	codes_line("Forms", g.forms, g.nforms, agreement_form_label);
	codes_line("Data", g.data, g.ndata, agreement_data_label);
	printf("%-14s%s\n", "Attachments", g.attachments ? g.attachments : "—");
	return 0;
}

static int cmd_agreement_show(struct cli *c)
{
	int64_t id;

	if (c->npos != 1)
		return cli_usage(c, "needs the agreement's number");
	if (str_to_int64(c->pos[0], 1, INT64_MAX, &id) != 0)
		return cli_usage(c, "'%s' is not an agreement's number", c->pos[0]);
	return cli_with_db(c, &id, show_in_db);
}

/* ------------------------------------------------------------------ */
/* Reports                                                             */
/* ------------------------------------------------------------------ */

struct report_args {
	const char *terc;
	int year;
	int csv;
};

/* report_args() reads --terc (digits, up to 7) and --year; 0, or the usage exit status. */
static int report_args(struct cli *c, struct report_args *r, int with_year)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	if (c->npos > 0)
		return cli_usage(c, "unexpected argument '%s'", c->pos[0]);
	r->terc = cli_opt(c, "terc") != NULL ? cli_opt(c, "terc") : "";
	for (i = 0; r->terc[i] != '\0'; i++)
		if (r->terc[i] < '0' || r->terc[i] > '9' || i >= 7)
			return cli_usage(c, "--terc: a TERC code prefix (up to 7 digits), not '%s'", r->terc);
	if ((r->csv = csv_format(c)) < 0)
		return cli_usage(c, "--format: text or csv, not '%s'", cli_opt(c, "format"));
	if (with_year) {
		char today[16];
		int64_t y;

		registry_today(today);
		r->year = (int)((today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 +
				(today[3] - '0'));
		if (cli_opt(c, "year") != NULL) {
			if (str_to_int64(cli_opt(c, "year"), 2000, 2100, &y) != 0)
				return cli_usage(c, "--year: a year 2000–2100, not '%s'", cli_opt(c, "year"));
			r->year = (int)y;
		}
	}
	return 0;
}

static const char *num(struct arena *a, int64_t n)
{
	return arena_printf(a, "%lld", (long long)n);
}

static int coop_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	const struct report_args *r = arg;
	struct coop_report rep;
	int i, f;

	if (coop_report_build(db, a, r->terc, NULL, &rep) != 0)
		return cli_fail(c, "cannot build the report: %s", db_errmsg(db));
	if (r->csv) {
		csv_line((const char *const[]){ "terc", "unit", "group", "total", "signed", "negotiating", "none",
						"one_year", "multi_year", "indefinite" }, 10);
	} else {
		printf("Cooperation report, %s (centres with an agreement in force with their PUP)\n", rep.date);
		printf("%-7s %-5s %5s %6s %6s %5s %s\n", "TERC", "GROUP", "TOTAL", "SIGNED", "NEGOT", "NONE", "UNIT");
	}
	for (i = 0; i < rep.nrows; i++) {
		const struct coop_report_row *w = &rep.rows[i];

		if (r->csv) {
			const char *v[] = { w->terc, w->name, w->group, num(a, w->total), num(a, w->signed_n),
					    num(a, w->negotiating), num(a, w->none), num(a, w->one_year),
					    num(a, w->multi_year), num(a, w->indefinite) };

			csv_line(v, 10);
			continue;
		}
		printf("%-7s %-5s %5d %6d %6d %5d %s\n", w->terc, w->group, w->total, w->signed_n, w->negotiating,
		       w->none, w->name);
		for (f = 0; f < rep.nforms; f++)
			if (w->by_form[f] > 0)
				printf("%21s %4d  %s\n", "", w->by_form[f], rep.forms[f].code);
	}
	if (!r->csv && rep.nrows == 0)
		printf("No institutions with a TERC code under '%s'.\n", r->terc);
	return 0;
}

static int cmd_report_cooperation(struct cli *c)
{
	struct report_args r;
	int rc = report_args(c, &r, 0);

	return rc != 0 ? rc : cli_with_db(c, &r, coop_in_db);
}

static int dup_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	const struct report_args *r = arg;
	struct dup_row *rows;
	int n = dup_report(db, a, r->terc, r->year, 0, (int)c->cfg.small_count, &rows), i;

	if (n < 0)
		return cli_fail(c, "cannot build the report: %s", db_errmsg(db));
	if (r->csv)
		csv_line((const char *const[]){ "terc", "powiat", "kind", "overlaps", "persons", "cost_pln",
						"suppressed" }, 7);
	else
		printf("Duplicated support %d (counts under %lld persons suppressed)\n%-5s %-18s %8s %8s %14s %s\n",
		       r->year, (long long)c->cfg.small_count, "TERC", "KIND", "OVERLAPS", "PERSONS", "COST (PLN)",
		       "POWIAT");
	for (i = 0; i < n; i++) {
		const struct dup_row *w = &rows[i];
		const char *cost = arena_printf(a, "%lld.%02lld", (long long)(w->cost_grosze / 100),
						(long long)(w->cost_grosze % 100));

		if (r->csv) {
			const char *f[] = { w->terc, w->powiat, w->kind, w->suppressed ? "" : num(a, w->overlaps),
					    w->suppressed ? "" : num(a, w->persons), w->suppressed ? "" : cost,
					    w->suppressed ? "1" : "0" };

			csv_line(f, 7);
		} else if (w->suppressed) {
			printf("%-5s %-18s %8s %8s %14s %s\n", w->terc, w->kind, "<", "<", "—",
			       w->powiat ? w->powiat : "");
		} else {
			printf("%-5s %-18s %8lld %8lld %14s %s\n", w->terc, w->kind, (long long)w->overlaps,
			       (long long)w->persons, cost, w->powiat ? w->powiat : "");
		}
	}
	if (!r->csv && n == 0)
		printf("No duplicated support found in %d.\n", r->year);
	return 0;
}

static int cmd_report_dup(struct cli *c)
{
	struct report_args r;
	int rc = report_args(c, &r, 1);

	return rc != 0 ? rc : cli_with_db(c, &r, dup_in_db);
}

const struct cli_command cli_coop_commands[] = {
	{ "agreement", "list", "[--status STATUS] [--party INSTITUTION] [--format text|csv]",
	  "list the partnership agreements\n"
	  "Every agreement, oldest start first: number, status, period, parties and subject.\n"
	  "--status negotiating|signed|terminated; --party an institution's number.\n",
	  "status party format", CLI_DB, cmd_agreement_list },
	{ "agreement", "show", "ID", "show one partnership agreement\n"
	  "Its parties, period, state today (computed from the dates), forms of cooperation,\n"
	  "the categories of data that may flow under it and the attachments.\n", NULL, CLI_DB,
	  cmd_agreement_show },
	{ "report", "cooperation", "[--terc T] [--format text|csv]",
	  "the cooperation report: centres with an agreement with their PUP\n"
	  "Per powiat and voivodeship under the TERC prefix T (all when omitted): the OPS/MOPS and\n"
	  "the PCPRs with an agreement in force with a PUP of their powiat, in negotiation, none;\n"
	  "the signed ones by duration and by form of cooperation (docs/COOPERATION.md).\n",
	  "terc format", CLI_DB, cmd_report_cooperation },
	{ "report", "duplicated-support", "[--terc T] [--year Y] [--format text|csv]",
	  "duplicated support per powiat and kind, with its cost\n"
	  "The overlaps kept when episodes were saved, found in year Y (this year when omitted),\n"
	  "per powiat under the TERC prefix T and kind of instrument, with the persons involved and\n"
	  "the cost of both episodes. Counts under the small_count setting are suppressed.\n",
	  "terc year format", CLI_DB, cmd_report_dup },
	{ NULL },
};
