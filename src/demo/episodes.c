/*
 * episodes.c — the demo's support episodes and duplicated support
 * (demo/episodes.h).
 */
#include "demo/episodes.h"

#include <stdio.h>
#include <string.h>

#include "coop/episode.h"
#include "core/clock.h"

/* PUP records with another institution's record of the same PESEL, in id order */
static const struct db_sql SQL_PAIRS =
	DB_SQL("SELECT p.id, p.institution_id, MIN(o.id) FROM person p "
	       "JOIN institution i ON i.id = p.institution_id AND i.kind = 'pup' "
	       "JOIN person o ON o.pesel = p.pesel AND o.institution_id <> p.institution_id AND o.deleted_at IS NULL "
	       "WHERE p.deleted_at IS NULL GROUP BY p.id, p.institution_id ORDER BY p.id LIMIT 400");

static const struct db_sql SQL_INST = DB_SQL("SELECT institution_id FROM person WHERE id = ?");

#define MAX_PAIRS 400

static const char *const pup_instruments[] = { "training", "internship", "vocational_counselling", "job_placement",
					       "public_works", "intervention_works", "training", "socially_useful_work" };
static const char *const ops_instruments[] = { "social_vocational_course", "social_counselling", "kis",
					       "social_vocational_course" };
static const char *const statuses[] = { "planned", "ongoing", "completed", "interrupted" };

/* a date n days after the first of January of year */
static const char *day_of(struct arena *a, int year, int n)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int m = 0, leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	while (n >= mdays[m] + (m == 1 ? leap : 0)) {
		n -= mdays[m] + (m == 1 ? leap : 0);
		if (++m == 12) {
			m = 0;
			year++;
			leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
		}
	}
	return arena_printf(a, "%04d-%02d-%02d", year, m + 1, n + 1);
}

static int add(struct db *db, struct arena *a, int64_t inst, int64_t person, const char *instrument, int year,
	       int from, int days, int64_t cost, const char *status, char *err, size_t errlen)
{
	struct registry_writer w = { .policy = { .cli = 1, .institution_id = inst },
				     .audit = { 0, "demo", inst, "127.0.0.1" } };
	struct episode e = { .person_id = person, .instrument_code = instrument, .cost_grosze = cost,
			     .status = status };
	struct verrs v = VERRS_INIT;
	int64_t id = 0;
	int rc;

	e.start_date = day_of(a, year, from);
	e.planned_end = day_of(a, year, from + days);
	if (strcmp(status, "completed") == 0 || strcmp(status, "interrupted") == 0)
		e.actual_end = day_of(a, year, from + days - (status[0] == 'i' ? days / 2 : 0));
	if ((rc = episode_validate(db, a, &e, NULL, &v)) == 0)
		rc = episode_create(db, a, &w, &e, 1, &id, NULL, NULL, &v);
	if (rc != 0) {
		snprintf(err, errlen, "demo episode %s of person %lld: %s", instrument, (long long)person,
			 v.n > 0 ? v.e[0].message : db_errmsg(db));
		return -1;
	}
	return 0;
}

int demo_episodes(struct db *db, struct arena *a, char *err, size_t errlen)
{
	int64_t pup[MAX_PAIRS], inst[MAX_PAIRS], ops[MAX_PAIRS], ops_inst = 0;
	struct db_stmt *st = db_query(db, &SQL_PAIRS, NULL);
	int n = 0, rc = DB_DONE, i, year = clock_today_ymd() / 10000;
	uint32_t r = 20261201u;

	if (st == NULL) {
		snprintf(err, errlen, "demo episodes: %s", db_errmsg(db));
		return -1;
	}
	while (n < MAX_PAIRS && (rc = db_step(st)) == DB_ROW) {
		pup[n] = db_col_int(st, 0);
		inst[n] = db_col_int(st, 1);
		ops[n] = db_col_int(st, 2);
		n++;
	}
	db_reset(st);
	if (rc < 0) {
		snprintf(err, errlen, "demo episodes: %s", db_errmsg(db));
		return -1;
	}
	for (i = 0; i < n; i++) {
		int from, days;

		r = r * 1103515245u + 12345u;
		from = (int)(r >> 8) % 300;
		days = 30 + (int)(r >> 4) % 120;
		if (add(db, a, inst[i], pup[i], pup_instruments[i % 8], year, from, days,
			(int64_t)(100000 + (r >> 12) % 600000), statuses[(r >> 20) % 4], err, errlen) != 0)
			return -1;
		if (i % 3 != 0)
			continue;
		/* the social-assistance side: a course over the office's months when the office trains
		   (duplicated support), else counselling or a club at another time */
		if (db_get_int(db, &ops_inst, &SQL_INST, "i", ops[i]) != DB_ROW) {
			snprintf(err, errlen, "demo episodes: %s", db_errmsg(db));
			return -1;
		}
		if (strcmp(pup_instruments[i % 8], "training") == 0)
			rc = add(db, a, ops_inst, ops[i], "social_vocational_course", year, from + days / 2, days,
				 (int64_t)(80000 + (r >> 10) % 300000), "ongoing", err, errlen);
		else
			rc = add(db, a, ops_inst, ops[i], ops_instruments[(i / 3) % 4], year, (from + 200) % 330, 40,
				 (int64_t)(20000 + (r >> 10) % 100000), "planned", err, errlen);
		if (rc != 0)
			return -1;
	}
	return 0;
}
