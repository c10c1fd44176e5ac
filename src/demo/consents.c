/*
 * consents.c — the demonstration database's consents (consents.h).
 * Dates are relative to today, so the demo keeps its shape.
 */
#include "demo/consents.h"

#include <stdio.h>
#include <string.h>

#include "coop/agreement.h"
#include "core/clock.h"

static const struct db_sql SQL_INST =
	DB_SQL("SELECT id FROM institution WHERE kind = ? AND city = ? ORDER BY id LIMIT 1");
/*
 * the MOPS's persons, those the partner's view has most to show of first: known to the PUP too
 * (its episodes), with a labour-market status at the MOPS
 */
static const struct db_sql SQL_PERSONS =
	DB_SQL("SELECT p.id FROM person p WHERE p.institution_id = ? AND p.deleted_at IS NULL AND p.pesel IS NOT NULL "
	       "ORDER BY CASE WHEN EXISTS (SELECT 1 FROM person o JOIN institution i ON i.id = o.institution_id "
	       "AND i.kind = 'pup' WHERE o.pesel = p.pesel AND o.deleted_at IS NULL) THEN 0 ELSE 1 END, "
	       "CASE WHEN EXISTS (SELECT 1 FROM labour_status s WHERE s.person_id = p.id) THEN 0 ELSE 1 END, "
	       "p.id LIMIT 12");
static const struct db_sql SQL_INSERT =
	DB_SQL("INSERT INTO consent (person_id, institution_id, recipient_institution_id, agreement_id, purpose, "
	       "basis, statute_article, given_form, valid_from, valid_to, withdrawn_on, created_at) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

static void day(int offset, char out[16])
{
	char iso[CLOCK_ISO_LEN];

	clock_iso(clock_now() + (int64_t)offset * 86400, iso);
	memcpy(out, iso, 10);
	out[10] = '\0';
}

/* What the demo's persons consented to, by their order in the MOPS's register. */
struct demo_consent {
	const char *purpose, *basis, *article;
	int all_partners;       /* 1 = all partners under the MOPS–PUP agreement */
	int from, to, withdrawn; /* days from today; to 0 = until withdrawn; withdrawn 0 = not */
};

static const struct demo_consent list[] = {
	{ "labour_market_activation", "consent", NULL, 0, -300, 0, 0 },
	{ "labour_market_activation", "consent", NULL, 0, -200, 365, 0 },
	{ "labour_market_activation", "consent", NULL, 0, -350, 12, 0 },  /* ends soon */
	{ "labour_market_activation", "consent", NULL, 0, -100, 25, 0 },  /* ends soon */
	{ "labour_market_activation", "consent", NULL, 0, -400, 0, -20 }, /* withdrawn */
	{ "social_contract", "consent", NULL, 0, -90, 275, 0 },
	{ "interdisciplinary_team", "statute", "art. 9a ust. 15 ustawy o przeciwdziałaniu przemocy domowej", 1,
	  -60, 0, 0 },
	{ "labour_market_activation", "consent", NULL, 1, -30, 335, 0 },
};

int demo_consents(struct db *db, char *err, size_t errlen)
{
	char now[CLOCK_ISO_LEN], from[16], to[16], wd[16];
	int64_t mops = 0, pup = 0, agr = 0, persons[12];
	struct db_stmt *st;
	size_t i;
	int n = 0, rc;

	if (db_get_int(db, &mops, &SQL_INST, "tt", "mops", "Przykładowo") != DB_ROW ||
	    db_get_int(db, &pup, &SQL_INST, "tt", "pup", "Przykładowo") != DB_ROW)
		return 0; /* not the demo's county */
	if (agreement_in_force(db, mops, pup, NULL, NULL, &agr) < 0) {
		snprintf(err, errlen, "demo consents: %s", db_errmsg(db));
		return -1;
	}
	st = db_query(db, &SQL_PERSONS, "i", mops);
	if (st == NULL) {
		snprintf(err, errlen, "demo consents: %s", db_errmsg(db));
		return -1;
	}
	while (n < 12 && (rc = db_step(st)) == DB_ROW)
		persons[n++] = db_col_int(st, 0);
	db_reset(st);
	clock_iso(clock_now(), now);
	for (i = 0; i < sizeof(list) / sizeof(list[0]) && (int)i < n; i++) {
		const struct demo_consent *c = &list[i];
		int all = c->all_partners && agr > 0;

		day(c->from, from);
		day(c->to, to);
		day(c->withdrawn, wd);
		st = db_prepare(db, &SQL_INSERT);
		if (st == NULL)
			break;
		db_bind_int(st, 1, persons[i]);
		db_bind_int(st, 2, mops);
		if (all)
			db_bind_null(st, 3);
		else
			db_bind_int(st, 3, pup);
		if (all)
			db_bind_int(st, 4, agr);
		else
			db_bind_null(st, 4);
		db_bind_text(st, 5, c->purpose);
		db_bind_text(st, 6, c->basis);
		db_bind_text(st, 7, c->article);
		db_bind_text(st, 8, c->article == NULL ? "written" : NULL);
		db_bind_text(st, 9, from);
		db_bind_text(st, 10, c->to != 0 ? to : NULL);
		db_bind_text(st, 11, c->withdrawn != 0 ? wd : NULL);
		db_bind_text(st, 12, now);
		rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			break;
	}
	if (i < sizeof(list) / sizeof(list[0]) && (int)i < n) {
		snprintf(err, errlen, "demo consents: %s", db_errmsg(db));
		return -1;
	}
	return 0;
}
