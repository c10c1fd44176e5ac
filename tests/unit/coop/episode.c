/*
 * tests/unit/coop/episode.c — support episodes on a migrated database
 * (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL): validation (instrument
 * unknown or not in force, dates, cost, status); overlap detection across
 * the records of the same human (same PESEL) — same kind overlapping,
 * adjacent, different kind, no agreement, an agreement without
 * information_exchange, a withdrawn episode; nothing written without the
 * acknowledgement, an overlap and an alert for both institutions with it;
 * what is disclosed without the sharing rule's access; alerts resolved.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "auth/role.h"
#include "coop/episode.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))
#define SW ROLE_BIT(ROLE_SOCIAL_WORKER)
#define LA ROLE_BIT(ROLE_LABOUR_ADVISER)

/*
 * Institutions 1 (MOPS), 2 (PUP), 3 (GOPS); users 1 (worker of 1), 2
 * (adviser of 2), 3 (worker of 3); persons 1, 2, 3: the same PESEL at 1,
 * 2 and 3; person 4 at 1 with another PESEL.
 */
static void seed(struct db *db)
{
	const char *now = "'2026-01-01T00:00:00Z'";
	char q[4096];

	snprintf(q, sizeof(q),
		 "INSERT INTO institution (kind, name, name_fold, terc, created_at, updated_at) VALUES "
		 "('mops', 'MOPS', 'mops', '3201011', %s, %s), ('pup', 'PUP', 'pup', '3201011', %s, %s),"
		 "('ops', 'GOPS', 'gops', '3201022', %s, %s);"
		 "INSERT INTO app_user (login, full_name, name_fold, institution_id, password_hash, "
		 "created_at, updated_at) VALUES ('sw', 'Social Worker', 'social worker', 1, 'x', %s, %s),"
		 "('la', 'Labour Adviser', 'labour adviser', 2, 'x', %s, %s),"
		 "('ow', 'Other Worker', 'other worker', 3, 'x', %s, %s);"
		 "INSERT INTO person (institution_id, pesel, first_names, surname, surname_fold, first_fold, "
		 "created_at, updated_at) VALUES (1, '44051401458', 'Jan', 'Nowak', 'nowak', 'jan', %s, %s),"
		 "(2, '44051401458', 'Jan', 'Nowak', 'nowak', 'jan', %s, %s),"
		 "(3, '44051401458', 'Jan', 'Nowak', 'nowak', 'jan', %s, %s),"
		 "(1, '85123101236', 'Ewa', 'Obca', 'obca', 'ewa', %s, %s);",
		 now, now, now, now, now, now, now, now, now, now, now, now, now, now, now, now, now, now,
		 now, now);
	if (db_exec(db, q) != 0)
		fail_msg("seed: %s", db_errmsg(db));
}

/* the agreements of the test: 1–2 with information exchange, 1–3 with other forms only, 2–3 none */
static int agreements(struct db *db, int64_t a, int64_t b, const char *form, const char *date)
{
	int64_t lo = a < b ? a : b, hi = a < b ? b : a;

	(void)db;
	assert_non_null(date);
	if (lo == 1 && hi == 2)
		return 1;
	if (lo == 1 && hi == 3)
		return strcmp(form, "information_exchange") == 0 ? 0 : 1;
	return 0;
}

static const char *code_of(const struct verrs *v, const char *field)
{
	int i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->e[i].field, field) == 0)
			return v->e[i].code;
	return "";
}

static struct registry_writer writer_of(int64_t user, unsigned roles, int64_t inst)
{
	struct registry_writer w = { { user, roles, inst, 0 }, { user, "tester", inst, "127.0.0.1" } };

	return w;
}

static struct episode ep(int64_t person, const char *instrument, const char *start, const char *end)
{
	return (struct episode){ .person_id = person, .instrument_code = instrument, .start_date = start,
				 .planned_end = end, .cost_grosze = 100000, .status = "planned" };
}

/* save() validates and creates e as w; returns the code, *n the overlaps */
static int save(struct db *db, struct arena *a, const struct registry_writer *w, struct episode e,
		int ack, int *n, int64_t *id)
{
	struct verrs v = VERRS_INIT;
	struct episode_overlap *ov = NULL;
	int64_t x = 0;
	int rc;

	assert_int_equal(episode_validate(db, a, &e, NULL, &v), 0);
	assert_int_equal(db_begin(db), 0);
	rc = episode_create(db, a, w, &e, ack, id != NULL ? id : &x, &ov, n, &v);
	if (rc < 0)
		print_error("episode_create: %s\n", db_errmsg(db));
	if (rc == 0)
		assert_int_equal(db_commit(db), 0);
	else
		assert_int_equal(db_rollback(db), 0);
	return rc;
}

static void test_validate(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct verrs v = VERRS_INIT;
	struct episode e = ep(1, " training ", "2026-03-01", "2026-05-31");

	i18n_set_lang(LANG_EN);
	assert_int_equal(episode_validate(db, a, &e, "1 234,56", &v), 0);
	assert_string_equal(e.instrument_code, "training");
	assert_string_equal(e.kind, "training");
	assert_int_equal(e.cost_grosze, 123456);
	e = ep(1, "no_such", NULL, NULL);
	assert_int_equal(episode_validate(db, a, &e, "-5", &v), 3);
	assert_string_equal(code_of(&v, "instrument"), "invalid");
	assert_string_equal(code_of(&v, "start"), "required");
	assert_string_equal(verrs_for(&v, "cost"), "Amount: cannot be negative.");
	v = (struct verrs)VERRS_INIT;
	e = ep(1, "ai_vocational_course", "2020-01-01", "2019-12-31");
	e.status = "finished";
	assert_int_equal(episode_validate(db, a, &e, NULL, &v), 3);
	assert_string_equal(code_of(&v, "instrument"), "not_valid");
	assert_string_equal(code_of(&v, "planned_end"), "before_start");
	assert_string_equal(code_of(&v, "status"), "invalid");
	v = (struct verrs)VERRS_INIT;
	e = ep(1, "training", "2026-02-30", NULL);
	assert_int_equal(episode_validate(db, a, &e, NULL, &v), 1);
	assert_string_equal(code_of(&v, "start"), "invalid");
	arena_free(a);
}

static void test_same_human(void **state)
{
	struct db *db = T(state)->db;
	int64_t ids[8];

	seed(db);
	assert_int_equal(same_human(db, 1, ids, 8), 2);
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], 3);
	assert_int_equal(same_human(db, 4, ids, 8), 0);
	assert_int_equal(db_exec(db, "UPDATE person SET deleted_at = '2026-01-02T00:00:00Z' WHERE id = 3"), 0);
	assert_int_equal(same_human(db, 1, ids, 8), 1);
}

static void test_overlaps(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(4 << 20);
	struct registry_writer mops = writer_of(1, SW, 1), pup = writer_of(2, LA, 2), gops = writer_of(3, SW, 3);
	struct episode_overlap *ov = NULL;
	struct episode e;
	struct alert *al = NULL;
	struct verrs v = VERRS_INIT;
	int n = -1;
	int64_t pup_ep = 0, id = 0;

	seed(db);
	i18n_set_lang(LANG_EN);
	episode_agreement_hook = agreements;
	/* the PUP's training, March to May */
	assert_int_equal(save(db, a, &pup, ep(2, "training", "2026-03-01", "2026-05-31"), 0, &n, &pup_ep), 0);
	assert_int_equal(n, 0);
	/* the MOPS plans a vocational course (kind training) from May: refused until acknowledged */
	assert_int_equal(save(db, a, &mops, ep(1, "social_vocational_course", "2026-05-01", "2026-06-30"), 0, &n, NULL),
			 EPISODE_DUPLICATE);
	assert_int_equal(n, 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM episode"), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM support_overlap"), 0);
	/* without the sharing rule's access only the kind is told */
	e = ep(1, "social_vocational_course", "2026-05-01", "2026-06-30");
	assert_int_equal(episode_validate(db, a, &e, NULL, &v), 0);
	e.institution_id = 1;
	assert_int_equal(episode_overlaps(db, a, &mops.policy, &e, &ov), 1);
	assert_int_equal(ov[0].disclosed, 0);
	assert_int_equal(ov[0].institution_id, 0);
	assert_null(ov[0].from);
	assert_string_equal(ov[0].kind, "training");
	/* acknowledged: saved, the pair kept, an alert for each side */
	assert_int_equal(save(db, a, &mops, ep(1, "social_vocational_course", "2026-05-01", "2026-06-30"), 1, &n, &id), 0);
	assert_int_equal(n, 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM support_overlap WHERE overlap_from = '2026-05-01' "
					  "AND overlap_to = '2026-05-31' AND kind = 'training'"), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM alert WHERE state = 'open' AND institution_id IN (1, 2)"), 2);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM alert_history"), 2);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM record_history WHERE entity = 'episode'"), 2);
	/* adjacent (starts the day after the PUP's ends): no overlap */
	assert_int_equal(save(db, a, &mops, ep(1, "social_vocational_course", "2026-06-01", "2026-06-30"), 0, &n, NULL), 0);
	assert_int_equal(n, 0);
	/* another human (another PESEL) in the same months: none */
	assert_int_equal(save(db, a, &mops, ep(4, "training", "2026-03-01", "2026-06-30"), 0, &n, NULL), 0);
	assert_int_equal(n, 0);
	/* a different kind in the same months: none */
	assert_int_equal(save(db, a, &mops, ep(1, "vocational_counselling", "2026-04-01", "2026-04-30"), 0, &n, NULL), 0);
	assert_int_equal(n, 0);
	/* the GOPS: with the PUP no agreement, with the MOPS one without information exchange */
	assert_int_equal(save(db, a, &gops, ep(3, "training", "2026-03-01", "2026-12-31"), 0, &n, NULL), 0);
	assert_int_equal(n, 0);
	/* another institution's record cannot be written */
	assert_int_equal(save(db, a, &mops, ep(2, "training", "2027-01-01", NULL), 0, &n, NULL), EPISODE_NOT_FOUND);
	/* the PUP's alert, resolved "withdrawn": its episode no longer counts */
	assert_int_equal(alert_list(db, a, &pup.policy, 2, "open", 10, &al), 1);
	assert_int_equal(al[0].disclosed, 0);
	assert_null(al[0].other_institution_name);
	assert_string_equal(al[0].kind, "training");
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(alert_resolve(db, a, &pup, al[0].id, "forgotten", NULL, &v), 1);
	assert_string_equal(code_of(&v, "resolution"), "invalid");
	v = (struct verrs)VERRS_INIT;
	assert_int_equal(alert_resolve(db, a, &mops, al[0].id, "withdrawn", NULL, &v), EPISODE_NOT_FOUND);
	assert_int_equal(alert_resolve(db, a, &pup, al[0].id, "withdrawn", "Szkolenie odwołane", &v), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(testdb_count(db, "SELECT withdrawn FROM episode WHERE id = 1"), 1);
	assert_int_equal(alert_list(db, a, &pup.policy, 2, "open", 10, &al), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM alert WHERE state = 'open'"), 1);
	{
		struct alert_event *h = NULL;
		assert_int_equal(alert_history_read(db, a, testdb_count(db, "SELECT id FROM alert WHERE institution_id = 2"), &h), 2);
		assert_string_equal(h[1].state, "withdrawn");
		assert_string_equal(h[1].comment, "Szkolenie odwołane");
	}
	assert_int_equal(save(db, a, &mops, ep(1, "social_vocational_course", "2026-03-01", "2026-03-31"), 0, &n, NULL), 0);
	assert_int_equal(n, 0);
	(void)id;
	episode_agreement_hook = agreements;
	arena_free(a);
}

/* a change that makes an episode overlap is checked like a new one; a pair is kept once */
static void test_update(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(4 << 20);
	struct registry_writer mops = writer_of(1, SW, 1), pup = writer_of(2, LA, 2);
	struct episode e;
	struct verrs v = VERRS_INIT;
	int n, round;
	int64_t id = 0;

	seed(db);
	episode_agreement_hook = agreements;
	assert_int_equal(save(db, a, &pup, ep(2, "training", "2026-03-01", "2026-05-31"), 0, &n, NULL), 0);
	assert_int_equal(save(db, a, &mops, ep(1, "social_counselling", "2026-04-01", "2026-04-30"), 0, &n, &id), 0);
	for (round = 0; round < 3; round++) {
		e = ep(1, "social_vocational_course", "2026-04-01", "2026-04-30");
		e.id = id;
		assert_int_equal(episode_validate(db, a, &e, NULL, &v), 0);
		assert_int_equal(db_begin(db), 0);
		n = -1;
		assert_int_equal(episode_update(db, a, &mops, &e, round > 0, NULL, &n, &v),
				 round == 0 ? EPISODE_DUPLICATE : 0);
		assert_int_equal(n, 1);
		assert_int_equal(round == 0 ? db_rollback(db) : db_commit(db), 0);
	}
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM support_overlap"), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM alert"), 2);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM record_history WHERE entity = 'episode' "
					  "AND field = 'instrument_code' AND new_value = 'social_vocational_course'"), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM episode WHERE updated_by = 1"), 1);
	arena_free(a);
}

static void test_report(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(4 << 20);
	struct registry_writer mops = writer_of(1, SW, 1), pup = writer_of(2, LA, 2);
	struct dup_row *r = NULL;
	int n;

	seed(db);
	episode_agreement_hook = agreements;
	assert_int_equal(save(db, a, &pup, ep(2, "training", "2026-03-01", "2026-05-31"), 0, &n, NULL), 0);
	assert_int_equal(save(db, a, &mops, ep(1, "social_vocational_course", "2026-05-01", "2026-06-30"), 1, &n, NULL), 0);
	assert_int_equal(dup_report(db, a, "32", 2026, 0, 0, &r), 1);
	assert_string_equal(r[0].terc, "3201");
	assert_string_equal(r[0].kind, "training");
	assert_int_equal(r[0].overlaps, 1);
	assert_int_equal(r[0].persons, 1); /* one human: the same PESEL */
	assert_int_equal(r[0].cost_grosze, 200000);
	assert_int_equal(dup_report(db, a, "32", 2026, 0, 5, &r), 1);
	assert_int_equal(r[0].suppressed, 1);
	assert_int_equal(r[0].overlaps, 0);
	assert_int_equal(dup_report(db, a, "3202", 2026, 0, 0, &r), 0);
	assert_int_equal(dup_report(db, a, "", 2025, 0, 0, &r), 0);
	assert_int_equal(dup_report(db, a, "", 2026, 3, 0, &r), 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_same_human),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_report),
	};

	i18n_init();
	return TESTDB_RUN("episode", tests, 1);
}
