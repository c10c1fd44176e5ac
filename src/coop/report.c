/*
 * report.c — the cooperation report (agreement.h, coop_report_build()):
 * per powiat and voivodeship, how many social-assistance centres (and,
 * separately, PCPRs) have a signed agreement in force with a labour office
 * of their powiat, by duration and by form — the questions of the 2009
 * survey of OPS/PCPR. Institutions are not persons: no small-count
 * suppression (docs/COOPERATION.md).
 */
#include "coop/agreement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/str.h"

static const struct db_sql SQL_CENTRES =
	DB_SQL("SELECT id, terc, kind FROM institution WHERE active = 1 AND terc IS NOT NULL "
	       "AND kind IN ('ops', 'mops', 'pcpr') AND terc LIKE ? ORDER BY terc, id");
static const struct db_sql SQL_PUPS =
	DB_SQL("SELECT id FROM institution WHERE active = 1 AND kind = 'pup' AND terc LIKE ? ORDER BY id");
static const struct db_sql SQL_NEGOTIATING =
	DB_SQL("SELECT COUNT(*) FROM agreement a "
	       "JOIN agreement_party p1 ON p1.agreement_id = a.id AND p1.institution_id = ? "
	       "JOIN agreement_party p2 ON p2.agreement_id = a.id AND p2.institution_id = ? "
	       "WHERE a.status = 'negotiating'");
static const struct db_sql SQL_DURATION = DB_SQL("SELECT duration FROM agreement WHERE id = ?");
static const struct db_sql SQL_UNIT_NAME = DB_SQL("SELECT name FROM territory_unit WHERE code = ?");

#define MAX_PUPS 8

/* What one centre has with the labour offices of its powiat. */
struct centre_state {
	int signed_n, negotiating;
	const char *duration;
	int *forms; /* [nforms] 0/1 */
};

static int pups_of(struct db *db, const char *powiat, int64_t *out)
{
	char pat[8];
	struct db_stmt *st;
	int n = 0, rc;

	snprintf(pat, sizeof(pat), "%.4s%%", powiat);
	st = db_query(db, &SQL_PUPS, "t", pat);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		if (n < MAX_PUPS)
			out[n++] = db_col_int(st, 0);
	db_reset(st);
	return rc == DB_DONE ? n : -1;
}

static int centre(struct db *db, struct arena *a, const struct coop_report *r, int64_t id,
		  const int64_t *pups, int npups, const char *date, struct centre_state *cs)
{
	int i, f;

	for (i = 0; i < npups; i++) {
		int64_t ag = 0, n = 0;
		int rc = agreement_in_force(db, id, pups[i], NULL, date, &ag);

		if (rc < 0)
			return -1;
		if (rc == 1) {
			struct db_stmt *st;

			if (!cs->signed_n) {
				st = db_query(db, &SQL_DURATION, "i", ag);
				if (st == NULL || db_step(st) != DB_ROW) {
					db_reset(st);
					return -1;
				}
				cs->duration = arena_strdup(a, db_col_text(st, 0));
				db_reset(st);
			}
			cs->signed_n = 1;
			for (f = 0; f < r->nforms; f++) {
				rc = agreement_in_force(db, id, pups[i], r->forms[f].code, date, NULL);
				if (rc < 0)
					return -1;
				if (rc == 1)
					cs->forms[f] = 1;
			}
			continue;
		}
		if (db_get_int(db, &n, &SQL_NEGOTIATING, "ii", id, pups[i]) < 0)
			return -1;
		if (n > 0)
			cs->negotiating = 1;
	}
	return 0;
}

/* row_for() finds or appends the row of unit code and group. */
static struct coop_report_row *row_for(struct db *db, struct arena *a, struct coop_report *r, int cap,
				       const char *code, const char *group)
{
	struct coop_report_row *row;
	struct db_stmt *st;
	int i;

	for (i = 0; i < r->nrows; i++)
		if (strcmp(r->rows[i].terc, code) == 0 && strcmp(r->rows[i].group, group) == 0)
			return &r->rows[i];
	if (r->nrows >= cap)
		return NULL;
	row = &r->rows[r->nrows++];
	row->terc = arena_strdup(a, code);
	row->group = group;
	row->by_form = arena_zalloc(a, sizeof(int) * (size_t)(r->nforms > 0 ? r->nforms : 1));
	st = db_query(db, &SQL_UNIT_NAME, "t", code);
	row->name = st != NULL && db_step(st) == DB_ROW ? arena_strdup(a, db_col_text(st, 0)) : row->terc;
	db_reset(st);
	return row->by_form == NULL || row->terc == NULL ? NULL : row;
}

static void count(struct coop_report_row *row, const struct centre_state *cs, int nforms)
{
	int f;

	row->total++;
	if (cs->signed_n) {
		row->signed_n++;
		if (str_eq(cs->duration, "one_year"))
			row->one_year++;
		else if (str_eq(cs->duration, "multi_year"))
			row->multi_year++;
		else
			row->indefinite++;
		for (f = 0; f < nforms; f++)
			row->by_form[f] += cs->forms[f];
	} else if (cs->negotiating) {
		row->negotiating++;
	} else {
		row->none++;
	}
}

static int cmp_rows(const void *x, const void *y)
{
	const struct coop_report_row *a = x, *b = y;
	size_t la = strlen(a->terc), lb = strlen(b->terc);
	int c;

	if (la != lb) /* powiats first, then voivodeships */
		return la > lb ? -1 : 1;
	c = strcmp(a->terc, b->terc);
	return c != 0 ? c : strcmp(b->group, a->group); /* "ops" before "pcpr" */
}

int coop_report_build(struct db *db, struct arena *a, const char *terc, const char *date,
		      struct coop_report *out)
{
	char pat[16], t[16], powiat[5] = "", woj[3];
	int64_t pups[MAX_PUPS];
	int npups = 0, cap, rc, n = 0;
	struct db_stmt *st;
	struct {
		int64_t id;
		char terc[8];
		int pcpr;
	} *c = NULL;
	int ccap = 0, i;

	memset(out, 0, sizeof(*out));
	if (date == NULL) {
		int ymd = clock_today_ymd();

		snprintf(t, sizeof(t), "%04d-%02d-%02d", (ymd / 10000) % 10000, ymd / 100 % 100, ymd % 100);
		date = t;
	}
	out->date = arena_strdup(a, date);
	out->nforms = coop_forms(db, a, &out->forms);
	if (out->nforms < 0)
		return -1;
	snprintf(pat, sizeof(pat), "%.7s%%", terc != NULL ? terc : "");
	/* the centres first (the statement must be read to its end before others run) */
	st = db_query(db, &SQL_CENTRES, "t", pat);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *tc = db_col_text(st, 1);

		if (n == ccap) {
			void *m = arena_alloc(a, sizeof(*c) * (size_t)(ccap = ccap ? ccap * 2 : 64));

			if (m == NULL) {
				db_reset(st);
				return -1;
			}
			if (n > 0)
				memcpy(m, c, sizeof(*c) * (size_t)n);
			c = m;
		}
		c[n].id = db_col_int(st, 0);
		snprintf(c[n].terc, sizeof(c[n].terc), "%.7s", tc != NULL ? tc : "");
		c[n].pcpr = str_eq(db_col_text(st, 2), "pcpr");
		n++;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return -1;
	cap = 4 * n + 4;
	out->rows = arena_zalloc(a, sizeof(*out->rows) * (size_t)cap);
	if (out->rows == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		struct centre_state cs = { 0 };
		const char *group = c[i].pcpr ? "pcpr" : "ops";
		struct coop_report_row *rp, *rw;

		if (strncmp(powiat, c[i].terc, 4) != 0) {
			snprintf(powiat, sizeof(powiat), "%.4s", c[i].terc);
			npups = pups_of(db, powiat, pups);
			if (npups < 0)
				return -1;
		}
		snprintf(woj, sizeof(woj), "%.2s", c[i].terc);
		cs.forms = arena_zalloc(a, sizeof(int) * (size_t)(out->nforms > 0 ? out->nforms : 1));
		if (cs.forms == NULL || centre(db, a, out, c[i].id, pups, npups, date, &cs) != 0)
			return -1;
		rp = row_for(db, a, out, cap, powiat, group);
		rw = row_for(db, a, out, cap, woj, group);
		if (rp == NULL || rw == NULL)
			return -1;
		count(rp, &cs, out->nforms);
		count(rw, &cs, out->nforms);
	}
	qsort(out->rows, (size_t)out->nrows, sizeof(*out->rows), cmp_rows);
	return 0;
}
