/*
 * outcomes.c — the demo's outcomes of social contracts and the earlier,
 * completed cohort the evaluation page compares with the registry
 * (outcomes.h).
 */
#include "demo/outcomes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/role.h"
#include "coop/outcome.h"
#include "core/clock.h"
#include "demo/people.h"

#define COHORT 60
#define COHORT_SEED 20261202u

static const struct db_sql SQL_USER = DB_SQL("SELECT id FROM app_user WHERE login = ?");
static const struct db_sql SQL_USER_INST = DB_SQL("SELECT institution_id FROM app_user WHERE login = ?");
static const struct db_sql SQL_ENDED =
	DB_SQL("SELECT c.id, c.person_id FROM contract c WHERE c.state IN ('completed', 'terminated') ORDER BY c.id");
static const struct db_sql SQL_CHILDREN =
	DB_SQL("SELECT m.person_id FROM contract_member m JOIN contract_version v ON v.id = m.version_id "
	       "JOIN contract c ON c.id = v.contract_id AND c.current_version = v.version JOIN person p ON p.id = m.person_id "
	       "WHERE c.id = ? AND p.birth_date > ? ORDER BY m.person_id");
/*
 * Households recorded in the last eight years (a change in their history
 * since ?): the demo's own additions never touch a household that the
 * retention rules consider dormant.
 */
#define RECENT(family) \
	"AND EXISTS (SELECT 1 FROM record_history h WHERE h.family_id = " family " AND h.at >= ?) "
/* the centre's households of two or more with an adult applicant and no contract */
static const struct db_sql SQL_COHORT =
	DB_SQL("SELECT f.id, f.applicant_id FROM family f JOIN person p ON p.id = f.applicant_id "
	       "WHERE f.institution_id = ? AND f.deleted_at IS NULL AND p.birth_date < ? " RECENT("f.id")
	       "AND (SELECT COUNT(*) FROM family_member m WHERE m.family_id = f.id AND m.member_to IS NULL) >= 2 "
	       "AND NOT EXISTS (SELECT 1 FROM contract c WHERE c.family_id = f.id OR c.person_id = f.applicant_id) "
	       "ORDER BY f.id DESC LIMIT 60");
static const struct db_sql SQL_CONTRACT =
	DB_SQL("INSERT INTO contract (kind, state, institution_id, county_terc, person_id, family_id, social_worker_id, "
	       "current_version, ended_on, created_at, created_by, updated_at) "
	       "VALUES ('family', 'completed', ?, '3050', ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_VERSION =
	DB_SQL("INSERT INTO contract_version (contract_id, version, state, valid_from, valid_to, causes, created_at, "
	       "created_by) VALUES (?, 1, 'approved', ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_MEMBERS =
	DB_SQL("INSERT INTO contract_member (version_id, person_id) SELECT ?, person_id FROM family_member "
	       "WHERE family_id = ? AND member_to IS NULL");
static const struct db_sql SQL_GOAL =
	DB_SQL("INSERT INTO contract_goal (version_id, number, kind, text, evaluation) VALUES (?, 1, 'main', ?, ?)");
static const struct db_sql SQL_EVENT =
	DB_SQL("INSERT INTO contract_event (contract_id, version, action, from_state, to_state, at, by_user) "
	       "VALUES (?, 1, ?, ?, ?, ?, ?)");
static const struct db_sql SQL_OUTCOME =
	DB_SQL("INSERT INTO contract_outcome (contract_id, point, kind, person_id, achieved, observed_on, recorded_at, "
	       "recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
static const struct db_sql SQL_COHORT_CHILDREN =
	DB_SQL("SELECT m.person_id FROM family_member m JOIN person p ON p.id = m.person_id WHERE m.family_id = ? "
	       "AND m.member_to IS NULL AND p.birth_date > ? ORDER BY m.person_id");

/* adults of households without a contract who have no labour-market period yet */
static const struct db_sql SQL_POOL_ADULTS =
	DB_SQL("SELECT p.id, p.institution_id, m.family_id FROM person p JOIN family_member m ON m.person_id = p.id "
	       "AND m.member_to IS NULL WHERE p.deleted_at IS NULL AND p.birth_date < ? AND p.birth_date > ? " RECENT("m.family_id")
	       "AND NOT EXISTS (SELECT 1 FROM labour_status s WHERE s.person_id = p.id) "
	       "AND NOT EXISTS (SELECT 1 FROM contract c WHERE c.family_id = m.family_id OR c.person_id = p.id) ORDER BY p.id");
/* households without a contract and without any cash benefit */
static const struct db_sql SQL_POOL_FAMILIES =
	DB_SQL("SELECT f.id, f.applicant_id, f.institution_id FROM family f WHERE f.deleted_at IS NULL " RECENT("f.id")
	       "AND f.applicant_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM benefit b JOIN benefit_form bf ON "
	       "bf.code = b.form_code AND bf.cash = 1 WHERE b.family_id = f.id OR b.person_id = f.applicant_id) "
	       "AND NOT EXISTS (SELECT 1 FROM contract c WHERE c.family_id = f.id OR c.person_id = f.applicant_id) "
	       "ORDER BY f.id");
static const struct db_sql SQL_STATUS =
	DB_SQL("INSERT INTO labour_status (institution_id, person_id, status, from_date, to_date, dereg_reason, source, "
	       "created_at) VALUES (?, ?, ?, ?, ?, ?, 'PUP', ?) RETURNING id");
static const struct db_sql SQL_BENEFIT =
	DB_SQL("INSERT INTO benefit (institution_id, person_id, family_id, form_code, amount_grosze, period_from, period_to, "
	       "decision_number, decision_date, created_at) VALUES (?, ?, ?, 'ZASILEK_OKRESOWY', ?, ?, ?, ?, ?, ?) "
	       "RETURNING id");
/* every registry row has its history, as registry/history.h writes it */
static const struct db_sql SQL_HISTORY =
	DB_SQL("INSERT INTO record_history (institution_id, entity, entity_id, person_id, family_id, change, actor, at) "
	       "VALUES (?, ?, ?, ?, ?, 'create', '(demo)', ?)");

static void day(int days, char out[11])
{
	char iso[CLOCK_ISO_LEN];

	clock_iso(clock_now() + (int64_t)days * 86400, iso);
	snprintf(out, 11, "%.10s", iso);
}

static int64_t one(struct db *db, const struct db_sql *sql, const char *arg)
{
	int64_t id = 0;

	return db_get_int(db, &id, sql, "t", arg) == DB_ROW ? id : 0;
}

/* ids() reads up to max ids (first column) of a query with one int and one text argument. */
static int ids(struct db *db, const struct db_sql *sql, int64_t arg, const char *text, int64_t *out, int max)
{
	struct db_stmt *st = db_query(db, sql, "it", arg, text);
	int n = 0, rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		if (n < max)
			out[n++] = db_col_int(st, 0);
	db_reset(st);
	return rc == DB_DONE ? n : -1;
}

/* record() writes one outcome through the domain (the demo's ended contracts). */
static int record(struct db *db, struct arena *a, const struct contract_actor *w, int64_t id, const char *kind,
		  int64_t person, int yes, const char *on, char *err, size_t errlen)
{
	struct outcome o = { .point = "completion", .kind = kind, .person_id = person, .achieved = yes, .observed_on = on };
	struct verrs v = VERRS_INIT;
	int64_t nid;

	if (outcome_record(db, a, w, id, &o, &nid, &v) != 0) {
		snprintf(err, errlen, "demo outcomes: %s", v.n > 0 ? v.e[0].message : db_errmsg(db));
		return -1;
	}
	return 0;
}

static int ended_contracts(struct db *db, struct arena *a, const struct contract_actor *w, char *err, size_t errlen)
{
	struct db_stmt *st = db_query(db, &SQL_ENDED, "");
	int64_t cid[40], party[40], kids[20];
	char today[11], adult[11];
	int n = 0, rc, i, k, nk;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < 40) {
		cid[n] = db_col_int(st, 0);
		party[n++] = db_col_int(st, 1);
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	day(0, today);
	day(-18 * 365 - 4, adult);
	for (i = 0; i < n; i++) {
		if (record(db, a, w, cid[i], "employment", party[i], i % 2 == 0, today, err, errlen) != 0 ||
		    record(db, a, w, cid[i], "left_benefits", 0, i % 3 == 0, today, err, errlen) != 0)
			return -1;
		nk = ids(db, &SQL_CHILDREN, cid[i], adult, kids, 20);
		for (k = 0; k < nk; k++)
			if (record(db, a, w, cid[i], "school_attendance", kids[k], k != 1, today, err, errlen) != 0)
				return -1;
	}
	return 0;
}

struct cohort {
	struct demo_rng r;
	int64_t mops, worker;
	char adult[11], recent[CLOCK_ISO_LEN];
};

static int chance(struct cohort *c, int percent)
{
	return (int)demo_rng_below(&c->r, 100) < percent;
}

/* outcomes_of() writes one point's outcomes of a cohort contract, on day on. */
static int outcomes_of(struct db *db, struct cohort *c, int64_t id, int64_t family, int64_t party, const char *point,
		       const char *on)
{
	char at[CLOCK_ISO_LEN];
	int64_t kids[20];
	int nk = ids(db, &SQL_COHORT_CHILDREN, family, c->adult, kids, 20), k, follow = point[0] == 'f';

	snprintf(at, sizeof(at), "%sT10:00:00Z", on);
	if (nk < 0 || db_run(db, &SQL_OUTCOME, "ittiitti", id, point, "employment", party,
			     (int64_t)chance(c, follow ? 46 : 38), on, at, c->worker) != DB_OK ||
	    db_run(db, &SQL_OUTCOME, "ittnitti", id, point, "left_benefits", (int64_t)chance(c, follow ? 32 : 24), on,
		   at, c->worker) != DB_OK)
		return -1;
	for (k = 0; k < nk; k++)
		if (db_run(db, &SQL_OUTCOME, "ittiitti", id, point, "school_attendance", kids[k], (int64_t)chance(c, 86),
			   on, at, c->worker) != DB_OK)
			return -1;
	return 0;
}

static int cohort_contract(struct db *db, struct cohort *c, int64_t family, int64_t party, int i)
{
	char start[11], end[11], follow[11], at[CLOCK_ISO_LEN], done[CLOCK_ISO_LEN];
	int ago = 570 + (int)demo_rng_below(&c->r, 160);
	int64_t id = 0, vid = 0;

	day(-ago, start);
	day(-ago + 365, end);
	snprintf(at, sizeof(at), "%sT09:00:00Z", start);
	snprintf(done, sizeof(done), "%sT15:00:00Z", end);
	if (coop_insert(db, &id, &SQL_CONTRACT, "iiiittit", c->mops, party, family, c->worker, end, at,
			c->worker, done) != DB_OK ||
	    coop_insert(db, &vid, &SQL_VERSION, "itttti", id, start, end,
			"Bezrobocie i ubóstwo rodziny (kohorta wcześniejsza)", at, c->worker) != DB_OK ||
	    db_run(db, &SQL_MEMBERS, "ii", vid, family) != DB_OK ||
	    db_run(db, &SQL_GOAL, "itt", vid, "Aktywizacja zawodowa dorosłych członków rodziny",
		   chance(c, 55) ? "achieved" : "partly") != DB_OK ||
	    db_run(db, &SQL_EVENT, "itttti", id, "create", NULL, "draft", at, c->worker) != DB_OK ||
	    db_run(db, &SQL_EVENT, "itttti", id, "complete", "active", "completed", done, c->worker) != DB_OK)
		return -1;
	if (outcomes_of(db, c, id, family, party, "completion", end) != 0)
		return -1;
	if (i < 2) /* two follow-ups still to be recorded: the start pages' reminders */
		return 0;
	outcome_follow_up_on(end, follow);
	return outcomes_of(db, c, id, family, party, "follow_up", follow);
}

static int comparison_registry(struct db *db, struct cohort *c);

static int cohort(struct db *db, char *err, size_t errlen)
{
	struct cohort c;
	int64_t fam[COHORT], app[COHORT];
	struct db_stmt *st;
	int n = 0, rc, i;

	memset(&c, 0, sizeof(c));
	demo_rng_seed(&c.r, COHORT_SEED);
	/*
	 * the urban-rural gmina's centre, not the MOPS whose thirty contracts the
	 * contracts demo shows; no consent recorded: only the centre sees them
	 */
	c.worker = one(db, &SQL_USER, "jarzebin");
	c.mops = one(db, &SQL_USER_INST, "jarzebin");
	if (c.worker == 0 || c.mops == 0) {
		snprintf(err, errlen, "demo outcomes: the Jarzębin centre's social worker is missing");
		return -1;
	}
	day(-18 * 365 - 4, c.adult);
	clock_iso(clock_now() - 8 * 365 * 86400LL, c.recent);
	st = db_query(db, &SQL_COHORT, "itt", c.mops, c.adult, c.recent);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < COHORT) {
		fam[n] = db_col_int(st, 0);
		app[n++] = db_col_int(st, 1);
	}
	db_reset(st);
	if (rc < 0 || db_begin(db) != 0)
		return -1;
	for (i = 0, rc = 0; rc == 0 && i < n; i++)
		rc = cohort_contract(db, &c, fam[i], app[i], i);
	if (rc == 0)
		rc = comparison_registry(db, &c);
	if (rc != 0 || db_commit(db) != 0) {
		snprintf(err, errlen, "demo outcomes: %s", db_errmsg(db));
		db_rollback(db);
		return -1;
	}
	return 0;
}

struct pool_row {
	int64_t a, b, c;
};

static int pool(struct db *db, const struct db_sql *sql, const char *t1, const char *t2, const char *recent,
		struct pool_row **out)
{
	struct db_stmt *st = t1 != NULL ? db_query(db, sql, "ttt", t1, t2, recent) : db_query(db, sql, "t", recent);
	struct pool_row *r = NULL;
	int n = 0, cap = 0, rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct pool_row *g = realloc(r, (size_t)(cap = cap ? cap * 2 : 256) * sizeof(*g));

			if (g == NULL)
				break;
			r = g;
		}
		r[n].a = db_col_int(st, 0);
		r[n].b = db_col_int(st, 1);
		r[n].c = db_col_count(st) > 2 ? db_col_int(st, 2) : 0;
		n++;
	}
	db_reset(st);
	*out = r;
	return rc == DB_DONE ? n : -1;
}

/*
 * comparison_registry() gives the pool of comparison families what a
 * labour office and a centre would have recorded meanwhile: some adults
 * registered as unemployed about two years ago took a job since (the
 * registration ended job_taken, an employed period follows), some
 * households had a periodic benefit that ended. New rows only, for
 * persons without periods and households without cash benefits, with
 * dates that leave nobody long-term unemployed today.
 */
static int comparison_registry(struct db *db, struct cohort *c)
{
	struct pool_row *r;
	char young[11], old[11], from[11], to[11], next[11], at[CLOCK_ISO_LEN];
	int64_t id = 0;
	int n, i, rc = 0;

	clock_iso(clock_now(), at);
	day(-20 * 365, young);
	day(-58 * 365, old);
	n = pool(db, &SQL_POOL_ADULTS, young, old, c->recent, &r);
	for (i = 0; rc == 0 && i < n; i++) {
		int end = 120 + (int)demo_rng_below(&c->r, 300);

		if (!chance(c, 20))
			continue;
		day(-700, from);
		day(-end, to);
		day(-end + 1, next);
		if (coop_insert(db, &id, &SQL_STATUS, "iittttt", r[i].b, r[i].a, "registered_unemployed", from, to, "job_taken",
				at) != DB_OK ||
		    db_run(db, &SQL_HISTORY, "itiiit", r[i].b, "status", id, r[i].a, r[i].c, at) != DB_OK ||
		    coop_insert(db, &id, &SQL_STATUS, "iittttt", r[i].b, r[i].a, "employed", next, NULL, NULL, at) != DB_OK ||
		    db_run(db, &SQL_HISTORY, "itiiit", r[i].b, "status", id, r[i].a, r[i].c, at) != DB_OK)
			rc = -1;
	}
	free(r);
	if (n < 0 || rc != 0)
		return -1;
	n = pool(db, &SQL_POOL_FAMILIES, NULL, NULL, c->recent, &r);
	for (i = 0; rc == 0 && i < n; i++) {
		if (!chance(c, 50))
			continue;
		day(-700, from);
		day(-(150 + (int)demo_rng_below(&c->r, 300)), to);
		if (coop_insert(db, &id, &SQL_BENEFIT, "iiiitttt" "t", r[i].c, r[i].b, r[i].a,
				(int64_t)(40000 + 100 * i % 50000), from, to, "OPS.8310.DEMO", from, at) != DB_OK ||
		    db_run(db, &SQL_HISTORY, "itiiit", r[i].c, "benefit", id, r[i].b, r[i].a, at) != DB_OK)
			rc = -1;
	}
	free(r);
	return n < 0 ? -1 : rc;
}

int demo_outcomes(struct db *db, struct arena *a, char *err, size_t errlen)
{
	struct contract_actor w;
	int64_t uid = one(db, &SQL_USER, "koordynator"), inst = one(db, &SQL_USER_INST, "koordynator");

	if (uid == 0 || contract_actor_of(db, uid, ROLE_BIT(ROLE_COORDINATOR), inst, "koordynator", "127.0.0.1", &w) != 0) {
		snprintf(err, errlen, "demo outcomes: the coordinator's account is missing");
		return -1;
	}
	if (ended_contracts(db, a, &w, err, errlen) != 0)
		return -1;
	return cohort(db, err, errlen);
}
