/*
 * agreements.c — the demo's partnership agreements (agreements.h).
 */
#include "demo/agreements.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "coop/agreement.h"
#include "core/clock.h"

static const struct db_sql SQL_INST_BY_CITY =
	DB_SQL("SELECT id FROM institution WHERE kind = ? AND city = ? ORDER BY id LIMIT 1");

struct demo_agreement {
	const char *kind_a, *city_a;   /* the first party: kind and locality */
	const char *kind_b, *city_b;   /* the second (the PUP, mostly) */
	const char *kind_c, *city_c;   /* a third, or NULL */
	const char *subject;
	const char *status;
	int from, to;                  /* days from today; to 0 = indefinite */
	int terminated;                /* days from today (terminated ones) */
	const char *forms;             /* comma-separated codes */
	const char *data;              /* comma-separated categories */
	const char *attachments;
};

#define PUP "pup", "Przykładowo"
#define NOTHIRD NULL, NULL

static const struct demo_agreement list[] = {
	{ "mops", "Przykładowo", PUP, NOTHIRD,
	  "Porozumienie o współpracy MOPS i PUP w Przykładowie na rzecz aktywizacji osób bezrobotnych "
	  "korzystających z pomocy społecznej", "signed", -2200, 0, 0,
	  "information_exchange,referrals_2025,socially_useful_work,job_offers,information_point",
	  "identity,contact,social,labour_status,support", "Zał. 1: wzór wniosku o skierowanie; Zał. 2: wzór zgody" },
	{ "ops", "Brzozowo", PUP, NOTHIRD, "Porozumienie o współpracy GOPS w Brzozowie i PUP w Przykładowie",
	  "signed", -335, 29, 0, "information_exchange,socially_useful_work", "identity,labour_status", NULL },
	{ "ops", "Dębina", PUP, NOTHIRD, "Porozumienie o współpracy GOPS w Dębinie i PUP w Przykładowie na lata",
	  "signed", -700, 760, 0, "information_exchange,public_works,intervention_works,internships",
	  "identity,contact,labour_status", "DB/2025/17" },
	{ "ops", "Jarzębin", PUP, NOTHIRD, "Porozumienie o współpracy MGOPS w Jarzębinie i PUP w Przykładowie",
	  "signed", -1500, 0, 0, "information_exchange,socially_useful_work,information_point,job_offers",
	  "identity,labour_status,support", NULL },
	{ "ops", "Kalinowo", PUP, NOTHIRD, "Projekt porozumienia GOPS w Kalinowie i PUP w Przykładowie",
	  "negotiating", 30, 395, 0, "information_exchange,job_offers", "identity", NULL },
	{ "ops", "Lipnica", PUP, NOTHIRD, "Porozumienie o współpracy GOPS w Lipnicy i PUP w Przykładowie",
	  "signed", -120, 244, 0, "information_exchange,referrals_2025", "identity,labour_status", NULL },
	{ "ops", "Olszyny", PUP, NOTHIRD, "Porozumienie MGOPS w Olszynach i PUP (poprzednie, rozwiązane)",
	  "terminated", -900, 0, -200, "information_exchange", "identity", NULL },
	{ "ops", "Olszyny", PUP, NOTHIRD, "Porozumienie o współpracy MGOPS w Olszynach i PUP w Przykładowie",
	  "signed", -199, 900, 0, "information_exchange,socially_useful_work,public_works,shared_premises",
	  "identity,contact,labour_status,support", "OL/2026/3" },
	{ "ops", "Przykładowo", PUP, NOTHIRD,
	  "Porozumienie o współpracy GOPS gminy Przykładowo i PUP w Przykładowie", "signed", -60, 304, 0,
	  "information_exchange,job_offers", "identity,labour_status", NULL },
	{ "ops", "Wierzbno", PUP, NOTHIRD, "Porozumienie o współpracy GOPS w Wierzbnie i PUP w Przykładowie",
	  "signed", -1000, 0, 0, "information_exchange,internships", "identity,labour_status", NULL },
	/* Zielonka Mała: none — the report's "no agreement" row */
	{ "pcpr", "Przykładowo", PUP, NOTHIRD, "Porozumienie o współpracy PCPR i PUP w Przykładowie",
	  "signed", -400, 1060, 0, "information_exchange,internships,job_offers", "identity,labour_status", NULL },
	{ "mops", "Przykładowo", PUP, "cis", "Jarzębin",
	  "Porozumienie trójstronne o zatrudnieniu socjalnym (MOPS, PUP, CIS w Jarzębinie)", "signed", -500, 0, 0,
	  "information_exchange,shared_premises", "identity,support", NULL },
};

static void day(int offset, char out[16])
{
	char iso[CLOCK_ISO_LEN];

	clock_iso(clock_now() + (int64_t)offset * 86400, iso);
	memcpy(out, iso, 10);
	out[10] = '\0';
}

static int64_t inst(struct db *db, const char *kind, const char *city)
{
	int64_t id = 0;

	return db_get_int(db, &id, &SQL_INST_BY_CITY, "tt", kind, city) == DB_ROW ? id : 0;
}

/* split() puts the comma-separated codes of s into out (arena copies); their number. */
static int split(struct arena *a, const char *s, const char **out, int max)
{
	char *t = arena_strdup(a, s), *p, *save = NULL;
	int n = 0;

	for (p = t != NULL ? strtok_r(t, ",", &save) : NULL; p != NULL && n < max; p = strtok_r(NULL, ",", &save))
		out[n++] = p;
	return n;
}

int demo_agreements(struct db *db, struct arena *a, char *err, size_t errlen)
{
	struct audit_actor who = { .login = "demo" };
	size_t i;

	for (i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
		const struct demo_agreement *d = &list[i];
		char from[16], to[16], signed_on[16], term[16];
		struct agreement ag;
		struct verrs v = VERRS_INIT;
		int64_t id = 0;

		memset(&ag, 0, sizeof(ag));
		day(d->from, from);
		day(d->to, to);
		day(d->from - 14, signed_on);
		day(d->terminated, term);
		ag.subject = d->subject;
		ag.status = d->status;
		ag.valid_from = from;
		ag.valid_to = d->to != 0 ? to : NULL;
		ag.signed_on = strcmp(d->status, "negotiating") != 0 ? signed_on : NULL;
		ag.terminated_on = strcmp(d->status, "terminated") == 0 ? term : NULL;
		ag.attachments = d->attachments;
		ag.parties[ag.nparties++] = inst(db, d->kind_a, d->city_a);
		ag.parties[ag.nparties++] = inst(db, d->kind_b, d->city_b);
		if (d->kind_c != NULL)
			ag.parties[ag.nparties++] = inst(db, d->kind_c, d->city_c);
		ag.nforms = split(a, d->forms, ag.forms, AGREEMENT_MAX_FORMS);
		ag.ndata = split(a, d->data, ag.data, AGREEMENT_MAX_DATA);
		if (agreement_create(db, a, &who, &ag, &id, &v) != 0) {
			snprintf(err, errlen, "demo agreement \"%s\": %s", d->subject,
				 v.n > 0 ? v.e[0].message : db_errmsg(db));
			return -1;
		}
	}
	return 0;
}
