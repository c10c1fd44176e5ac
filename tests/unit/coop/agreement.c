/*
 * tests/unit/coop/agreement.c — partnership agreements on a migrated
 * database (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL): validation
 * (parties distinct, existing and active; dates real and ordered; signed
 * needs its date; duration agrees with the end; forms valid in the
 * period — art. 50 ust. 2 u.p.z. ended on 2025-05-31), create / update /
 * terminate with their audit rows, agreement_in_force() at its edges (the
 * last day, the day after, before the start, terminated, with notice,
 * negotiating, indefinite, the form filter, one institution with itself),
 * agreement_partners(), agreement_options(), and the cooperation report on a small fixture.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "coop/agreement.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))

/*
 * Institutions: 1 PUP (powiat 3050), 2 GOPS, 3 MOPS, 4 GOPS (all 3050),
 * 5 PCPR (3050), 6 GOPS of powiat 3051 (no PUP there), 7 an inactive GOPS.
 */
static void seed(struct db *db)
{
	const char *now = "'2026-01-01T00:00:00Z'";
	char q[4096];

	snprintf(q, sizeof(q),
		 "INSERT INTO institution (kind, name, name_fold, terc, active, created_at, updated_at) VALUES "
		 "('pup', 'PUP', 'pup', '3050011', 1, %s, %s), ('ops', 'GOPS A', 'gops a', '3050022', 1, %s, %s),"
		 "('mops', 'MOPS', 'mops', '3050011', 1, %s, %s), ('ops', 'GOPS B', 'gops b', '3050032', 1, %s, %s),"
		 "('pcpr', 'PCPR', 'pcpr', '3050011', 1, %s, %s), ('ops', 'GOPS C', 'gops c', '3051012', 1, %s, %s),"
		 "('ops', 'GOPS D', 'gops d', '3050042', 0, %s, %s);",
		 now, now, now, now, now, now, now, now, now, now, now, now, now, now);
	if (db_exec(db, q) != 0)
		fail_msg("seed: %s", db_errmsg(db));
}

static const struct audit_actor who = { 0, "tester", 0, "127.0.0.1" };

static struct agreement base(int64_t a, int64_t b)
{
	struct agreement ag;

	memset(&ag, 0, sizeof(ag));
	ag.subject = "Porozumienie";
	ag.status = "signed";
	ag.signed_on = "2025-12-20";
	ag.valid_from = "2026-01-01";
	ag.valid_to = "2026-06-30";
	ag.parties[0] = a;
	ag.parties[1] = b;
	ag.nparties = 2;
	ag.forms[0] = "information_exchange";
	ag.nforms = 1;
	return ag;
}

static int errors(struct db *db, struct arena *a, struct agreement ag, const char *field, const char *code)
{
	struct verrs v = VERRS_INIT;
	int i, rc = agreement_validate(db, a, &ag, &v);

	assert_true(rc >= 0);
	for (i = 0; i < v.n; i++)
		if (strcmp(v.e[i].field, field) == 0 && strcmp(v.e[i].code, code) == 0)
			return 1;
	for (i = 0; i < v.n; i++)
		print_message("unexpected %s/%s: %s\n", v.e[i].field, v.e[i].code, v.e[i].message);
	return 0;
}

static void test_validate(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct agreement ag;
	struct verrs v = VERRS_INIT;

	seed(db);
	i18n_set_lang(LANG_PL);
	ag = base(1, 2);
	assert_int_equal(agreement_validate(db, a, &ag, &v), 0);
	assert_string_equal(ag.duration, "one_year");
	ag = base(1, 2);
	ag.valid_to = "2026-12-31";
	assert_int_equal(agreement_validate(db, a, &ag, &v), 0);
	assert_string_equal(ag.duration, "one_year");
	ag = base(1, 2);
	ag.valid_to = "2027-01-02";
	assert_int_equal(agreement_validate(db, a, &ag, &v), 0);
	assert_string_equal(ag.duration, "multi_year");
	ag = base(1, 2);
	ag.valid_to = NULL;
	assert_int_equal(agreement_validate(db, a, &ag, &v), 0);
	assert_string_equal(ag.duration, "indefinite");

	ag = base(1, 1);
	assert_true(errors(db, a, ag, "institutions", "duplicate"));
	ag = base(1, 2);
	ag.nparties = 1;
	assert_true(errors(db, a, ag, "institutions", "too_few"));
	assert_true(errors(db, a, base(1, 7), "institutions", "inactive"));
	assert_true(errors(db, a, base(1, 99), "institutions", "not_found"));
	ag = base(1, 2);
	ag.valid_to = "2025-12-31";
	assert_true(errors(db, a, ag, "valid_to", "before_start"));
	ag = base(1, 2);
	ag.valid_from = "2026-02-30";
	assert_true(errors(db, a, ag, "valid_from", "invalid"));
	ag = base(1, 2);
	ag.signed_on = NULL;
	assert_true(errors(db, a, ag, "signed_on", "required"));
	ag.status = "negotiating";
	assert_int_equal(agreement_validate(db, a, &ag, &v), 0);
	ag = base(1, 2);
	ag.status = "terminated";
	assert_true(errors(db, a, ag, "terminated_on", "required"));
	ag = base(1, 2);
	ag.duration = "indefinite";
	assert_true(errors(db, a, ag, "valid_to", "duration"));
	ag = base(1, 2);
	ag.subject = "  ";
	assert_true(errors(db, a, ag, "subject", "required"));
	/* the 2004 act's referral ended on 2025-05-31; its successor starts on 2025-06-01 */
	ag = base(1, 2);
	ag.forms[0] = "referrals";
	assert_true(errors(db, a, ag, "forms", "not_valid"));
	ag.valid_from = "2025-01-01";
	ag.valid_to = "2025-05-31";
	assert_int_equal(agreement_validate(db, a, &ag, &v), 0);
	ag = base(1, 2);
	ag.forms[0] = "referrals_2025";
	ag.valid_from = "2024-01-01";
	ag.valid_to = "2025-05-31";
	assert_true(errors(db, a, ag, "forms", "not_valid"));
	ag = base(1, 2);
	ag.forms[0] = "nonsense";
	assert_true(errors(db, a, ag, "forms", "invalid"));
	ag = base(1, 2);
	ag.data[0] = "health";
	ag.ndata = 1;
	assert_true(errors(db, a, ag, "data", "invalid"));
	arena_free(a);
}

static void test_in_force_edges(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct agreement ag;
	struct verrs v = VERRS_INIT;
	int64_t id1, id2, id3, found, out[8];

	seed(db);
	ag = base(1, 2); /* 2026-01-01 .. 2026-06-30, information_exchange */
	assert_int_equal(agreement_create(db, a, &who, &ag, &id1, &v), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'agreement.create'"), 1);
	assert_int_equal(agreement_in_force(db, 1, 2, NULL, "2026-06-30", &found), 1);
	assert_int_equal(found, id1);
	assert_int_equal(agreement_in_force(db, 2, 1, NULL, "2026-01-01", NULL), 1); /* either order */
	assert_int_equal(agreement_in_force(db, 1, 2, NULL, "2026-07-01", &found), 0); /* the day after its end */
	assert_int_equal(found, 0);
	assert_int_equal(agreement_in_force(db, 1, 2, NULL, "2025-12-31", NULL), 0); /* before its start */
	assert_int_equal(agreement_in_force(db, 1, 2, "information_exchange", "2026-03-01", NULL), 1);
	assert_int_equal(agreement_in_force(db, 1, 2, "job_offers", "2026-03-01", NULL), 0);
	assert_int_equal(agreement_in_force(db, 1, 1, NULL, "2026-03-01", NULL), 0);
	assert_int_equal(agreement_in_force(db, 1, 4, NULL, "2026-03-01", NULL), 0);

	/* negotiating: never in force */
	ag = base(1, 3);
	ag.status = "negotiating";
	ag.valid_to = NULL;
	assert_int_equal(agreement_create(db, a, &who, &ag, &id2, &v), 0);
	assert_int_equal(agreement_in_force(db, 1, 3, NULL, "2026-03-01", NULL), 0);
	/* signed and indefinite: in force years later */
	ag.status = "signed";
	ag.id = id2;
	ag.duration = NULL;
	assert_int_equal(agreement_update(db, a, &who, &ag, &v), 0);
	assert_int_equal(agreement_in_force(db, 1, 3, NULL, "2040-01-01", NULL), 1);
	/* terminated with notice: in force until the day before the termination date */
	assert_int_equal(agreement_terminate(db, &who, id2, "2026-05-01", &v), 0);
	assert_int_equal(agreement_in_force(db, 1, 3, NULL, "2026-04-30", NULL), 1);
	assert_int_equal(agreement_in_force(db, 1, 3, NULL, "2026-05-01", NULL), 0);
	assert_int_equal(agreement_terminate(db, &who, id2, "2026-05-02", &v), 1); /* already */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'agreement.terminate'"), 1);
	assert_int_equal(agreement_terminate(db, &who, 999, NULL, &v), 1);

	/* partners: a three-party agreement names each other party once */
	ag = base(1, 4);
	ag.parties[2] = 5;
	ag.nparties = 3;
	ag.valid_to = NULL;
	ag.data[0] = "identity";
	ag.ndata = 1;
	assert_int_equal(agreement_create(db, a, &who, &ag, &id3, &v), 0);
	assert_int_equal(agreement_partners(db, 1, "2026-03-01", out, 8), 4); /* 3 until its notice ends */
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 3);
	assert_int_equal(out[2], 4);
	assert_int_equal(out[3], 5);
	assert_int_equal(agreement_partners(db, 1, "2026-07-01", out, 8), 2);
	assert_int_equal(out[0], 4);
	assert_int_equal(out[1], 5);
	assert_int_equal(agreement_partners(db, 4, "2026-03-01", out, 1), 2); /* more than max */
	assert_int_equal(out[0], 1);
	assert_int_equal(agreement_partners(db, 6, "2026-03-01", out, 8), 0);
	/* the picker's options: the agreements of the institution in force on the day, the latest first */
	{
		struct agreement_option opt[8];

		assert_int_equal(agreement_options(db, a, 1, "2026-03-01", opt, 8), 3);
		assert_true(strcmp(opt[0].valid_from, opt[2].valid_from) >= 0);
		assert_int_equal(agreement_options(db, a, 1, "2026-07-01", opt, 8), 1); /* 1-2 ended, 1-3 terminated */
		assert_int_equal(opt[0].id, id3);
		assert_non_null(opt[0].subject);
		assert_int_equal(agreement_options(db, a, 1, "2026-03-01", opt, 1), 1); /* at most max */
		assert_int_equal(agreement_options(db, a, 6, "2026-03-01", opt, 8), 0);
	}
	assert_int_equal(agreement_data_allows(db, id3, "identity"), 1);
	assert_int_equal(agreement_data_allows(db, id3, "contact"), 0);
	assert_int_equal(agreement_get(db, a, id3, &ag), 0);
	assert_int_equal(ag.nparties, 3);
	assert_int_equal(agreement_get(db, a, 999, &ag), 1);
	arena_free(a);
}

static const struct coop_report_row *row(const struct coop_report *r, const char *terc, const char *group)
{
	int i;

	for (i = 0; i < r->nrows; i++)
		if (strcmp(r->rows[i].terc, terc) == 0 && strcmp(r->rows[i].group, group) == 0)
			return &r->rows[i];
	return NULL;
}

static int form_index(const struct coop_report *r, const char *code)
{
	int f;

	for (f = 0; f < r->nforms; f++)
		if (strcmp(r->forms[f].code, code) == 0)
			return f;
	return -1;
}

static void test_report(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct agreement ag;
	struct verrs v = VERRS_INIT;
	struct coop_report r;
	const struct coop_report_row *w;
	int64_t id;

	seed(db);
	ag = base(2, 1); /* GOPS A: one year, information_exchange */
	assert_int_equal(agreement_create(db, a, &who, &ag, &id, &v), 0);
	ag = base(3, 1); /* MOPS: indefinite, two forms */
	ag.valid_to = NULL;
	ag.forms[1] = "socially_useful_work";
	ag.nforms = 2;
	assert_int_equal(agreement_create(db, a, &who, &ag, &id, &v), 0);
	ag = base(4, 1); /* GOPS B: in negotiation */
	ag.status = "negotiating";
	assert_int_equal(agreement_create(db, a, &who, &ag, &id, &v), 0);
	ag = base(5, 1); /* PCPR: multi-year */
	ag.valid_to = "2028-12-31";
	assert_int_equal(agreement_create(db, a, &who, &ag, &id, &v), 0);

	assert_int_equal(coop_report_build(db, a, "30", "2026-03-01", &r), 0);
	w = row(&r, "3050", "ops");
	assert_non_null(w);
	assert_int_equal(w->total, 3);
	assert_int_equal(w->signed_n, 2);
	assert_int_equal(w->negotiating, 1);
	assert_int_equal(w->none, 0);
	assert_int_equal(w->one_year, 1);
	assert_int_equal(w->indefinite, 1);
	assert_int_equal(w->multi_year, 0);
	assert_int_equal(w->by_form[form_index(&r, "information_exchange")], 2);
	assert_int_equal(w->by_form[form_index(&r, "socially_useful_work")], 1);
	w = row(&r, "3050", "pcpr");
	assert_non_null(w);
	assert_int_equal(w->total, 1);
	assert_int_equal(w->multi_year, 1);
	w = row(&r, "3051", "ops"); /* no PUP in its powiat: none */
	assert_non_null(w);
	assert_int_equal(w->total, 1);
	assert_int_equal(w->none, 1);
	w = row(&r, "30", "ops");
	assert_non_null(w);
	assert_int_equal(w->total, 4);
	assert_int_equal(w->signed_n, 2);
	assert_int_equal(w->none, 1);
	assert_string_equal(r.rows[0].terc, "3050"); /* powiats first */
	assert_string_equal(r.rows[r.nrows - 1].terc, "30");
	/* after GOPS A's year ends it counts as none */
	assert_int_equal(coop_report_build(db, a, "3050", "2026-07-01", &r), 0);
	w = row(&r, "3050", "ops");
	assert_int_equal(w->signed_n, 1);
	assert_int_equal(w->none, 1);
	assert_null(row(&r, "3051", "ops"));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_in_force_edges),
		cmocka_unit_test(test_report),
	};

	i18n_init();
	return TESTDB_RUN("coop_agreement", tests, 1);
}
