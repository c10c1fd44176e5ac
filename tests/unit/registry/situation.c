/*
 * tests/unit/registry/situation.c — the situation module on a migrated
 * database (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL): validation of
 * status periods (codes, dates, deregistration reason, the 2014–2019
 * profile window at its edges), of reasons (unknown, repealed, a special
 * category the writer may not see) and of benefits (cash forms need an
 * amount, others take none); overlapping periods refused; history rows
 * per change; special-category reasons left out by role (social worker,
 * labour adviser, both), for lists, single reads and writes; interviews
 * only for readers with every special class of the owning institution;
 * another institution's family; history rows hidden from those readers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "auth/role.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "registry/situation.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))
#define SW ROLE_BIT(ROLE_SOCIAL_WORKER)
#define LA ROLE_BIT(ROLE_LABOUR_ADVISER)

/* Institutions 1 (MOPS) and 2 (GOPS), users 1 (worker of 1), 2 (adviser of 1), 3 (worker of 2);
   persons 1, 2 and family 1 of institution 1; person 3 and family 2 of institution 2. */
static void seed(struct db *db)
{
	const char *now = "'2026-01-01T00:00:00Z'";
	char q[4096];

	snprintf(q, sizeof(q),
		 "INSERT INTO institution (kind, name, name_fold, created_at, updated_at) VALUES "
		 "('mops', 'MOPS', 'mops', %s, %s), ('ops', 'GOPS', 'gops', %s, %s);"
		 "INSERT INTO app_user (login, full_name, name_fold, institution_id, password_hash, "
		 "created_at, updated_at) VALUES ('sw', 'Social Worker', 'social worker', 1, 'x', %s, %s),"
		 "('la', 'Labour Adviser', 'labour adviser', 1, 'x', %s, %s),"
		 "('ow', 'Other Worker', 'other worker', 2, 'x', %s, %s);"
		 "INSERT INTO person (institution_id, first_names, surname, surname_fold, first_fold, "
		 "created_at, updated_at) VALUES (1, 'Anna', 'Nowak', 'nowak', 'anna', %s, %s),"
		 "(1, 'Jan', 'Nowak', 'nowak', 'jan', %s, %s), (2, 'Ewa', 'Obca', 'obca', 'ewa', %s, %s);"
		 "INSERT INTO family (institution_id, applicant_id, created_at, updated_at) VALUES "
		 "(1, 1, %s, %s), (2, 3, %s, %s);"
		 "INSERT INTO family_member (family_id, person_id, institution_id, relation, member_from) "
		 "VALUES (1, 1, 1, 'applicant', '2020-01-01'), (1, 2, 1, 'spouse', '2020-01-01'),"
		 "(2, 3, 2, 'applicant', '2020-01-01');",
		 now, now, now, now, now, now, now, now, now, now, now, now, now, now, now, now, now, now,
		 now, now);
	if (db_exec(db, q) != 0)
		fail_msg("seed: %s", db_errmsg(db));
}

static struct registry_writer writer_of(int64_t user, unsigned roles, int64_t inst)
{
	struct registry_writer w = { { user, roles, inst, 0 }, { user, "tester", inst, "127.0.0.1" } };

	return w;
}

static void test_status_validate(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct verrs v = VERRS_INIT;
	struct labour_status s;

	(void)state;
	i18n_set_lang(LANG_EN);
	s = (struct labour_status){ .status = " registered_unemployed ", .from_date = "2015-01-01",
				    .to_date = "2019-06-14", .profile = "III", .dereg_reason = "job_taken" };
	assert_int_equal(status_validate(&s, a, &v), 0);
	assert_string_equal(s.status, "registered_unemployed");
	/* the profile window at its edges */
	s = (struct labour_status){ .status = "registered_unemployed", .from_date = "2019-06-14", .profile = "I" };
	assert_int_equal(status_validate(&s, a, &v), 0);
	s = (struct labour_status){ .status = "registered_unemployed", .from_date = "2019-06-15", .profile = "I" };
	assert_int_equal(status_validate(&s, a, &v), 1);
	assert_string_equal(v.e[0].field, "profile");
	assert_string_equal(v.e[0].code, "not_applicable");
	v.n = 0;
	s = (struct labour_status){ .status = "registered_unemployed", .from_date = "2013-01-01",
				    .to_date = "2014-05-26", .profile = "II" };
	assert_int_equal(status_validate(&s, a, &v), 1);
	v.n = 0;
	s = (struct labour_status){ .status = "registered_unemployed", .from_date = "2013-01-01",
				    .to_date = "2014-05-27", .profile = "II" };
	assert_int_equal(status_validate(&s, a, &v), 0);
	s = (struct labour_status){ .status = "employed", .from_date = "2013-01-01", .profile = "II" };
	assert_int_equal(status_validate(&s, a, &v), 1);
	v.n = 0;
	/* a deregistration reason only on an ended registration */
	s = (struct labour_status){ .status = "registered_unemployed", .from_date = "2020-01-01",
				    .dereg_reason = "no_show" };
	assert_int_equal(status_validate(&s, a, &v), 1);
	assert_string_equal(v.e[0].field, "dereg_reason");
	v.n = 0;
	s = (struct labour_status){ .status = "registered_unemployed", .from_date = "2020-01-01",
				    .to_date = "2020-02-01", .dereg_reason = "fired" };
	assert_int_equal(status_validate(&s, a, &v), 1);
	assert_string_equal(v.e[0].code, "invalid");
	v.n = 0;
	/* codes and dates: every field's problem at once, each naming its field */
	s = (struct labour_status){ .status = "retired", .from_date = "2999-01-01", .to_date = "2020-02-30" };
	assert_int_equal(status_validate(&s, a, &v), 3);
	assert_string_equal(v.e[0].field, "status");
	assert_string_equal(v.e[1].field, "from_date");
	assert_string_equal(v.e[1].code, "future");
	assert_string_equal(v.e[2].field, "to_date");
	assert_string_equal(v.e[2].message, "To: enter a real date as YYYY-MM-DD, e.g. 2026-03-31.");
	v.n = 0;
	s = (struct labour_status){ .status = "employed", .from_date = "2020-02-01", .to_date = "2020-01-31" };
	assert_int_equal(status_validate(&s, a, &v), 1);
	assert_string_equal(v.e[0].code, "before_start");
	v.n = 0;
	s = (struct labour_status){ .status = "", .from_date = " " };
	assert_int_equal(status_validate(&s, a, &v), 2);
	assert_string_equal(v.e[0].code, "required");
	assert_string_equal(v.e[1].code, "required");
	i18n_set_lang(LANG_PL);
	v.n = 0;
	s = (struct labour_status){ .status = "employed", .from_date = "2020-13-01" };
	assert_int_equal(status_validate(&s, a, &v), 1);
	assert_string_equal(v.e[0].message, "Od: podaj prawdziwą datę w formacie RRRR-MM-DD, np. 2026-03-31.");
	arena_free(a);
}

static void test_reason_and_benefit_validate(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct verrs v = VERRS_INIT;
	struct family_reason r;
	struct benefit b;

	i18n_set_lang(LANG_EN);
	r = (struct family_reason){ .reason_code = "UBOSTWO", .period_from = "2026-01-01" };
	assert_int_equal(reason_validate(db, a, &r, SENS_ALL, &v), 0);
	r = (struct family_reason){ .reason_code = "NIEMA", .period_from = "2026-01-01" };
	assert_int_equal(reason_validate(db, a, &r, SENS_ALL, &v), 1);
	assert_string_equal(v.e[0].code, "invalid");
	v.n = 0;
	/* repealed at the end of 2011: an open period, or one past it, is refused */
	r = (struct family_reason){ .reason_code = "OPUSZCZAJACY_PIECZE", .period_from = "2010-01-01" };
	assert_int_equal(reason_validate(db, a, &r, SENS_ALL, &v), 1);
	assert_string_equal(v.e[0].code, "not_valid");
	v.n = 0;
	r = (struct family_reason){ .reason_code = "OPUSZCZAJACY_PIECZE", .period_from = "2010-01-01",
				    .period_to = "2011-12-31" };
	assert_int_equal(reason_validate(db, a, &r, SENS_ALL, &v), 0);
	/* a labour adviser's mask: addiction is not a reason they may name (nor learn of) */
	r = (struct family_reason){ .reason_code = "ALKOHOLIZM", .period_from = "2026-01-01" };
	assert_int_equal(reason_validate(db, a, &r, policy_mask(LA, PURPOSE_CASEWORK), &v), 1);
	assert_string_equal(v.e[0].message, "Reason: choose a reason from the list.");
	v.n = 0;
	assert_int_equal(reason_validate(db, a, &r, policy_mask(SW, PURPOSE_CASEWORK), &v), 0);

	b = (struct benefit){ .form_code = "ZASILEK_STALY", .period_from = "2026-01-01" };
	assert_int_equal(benefit_validate(db, a, &b, "", &v), 1);
	assert_string_equal(v.e[0].field, "amount");
	assert_string_equal(v.e[0].code, "required");
	v.n = 0;
	b = (struct benefit){ .form_code = "ZASILEK_STALY", .period_from = "2026-01-01" };
	assert_int_equal(benefit_validate(db, a, &b, "719,00 zł", &v), 0);
	assert_int_equal(b.amount_grosze, 71900);
	b = (struct benefit){ .form_code = "POSILEK", .period_from = "2026-01-01" };
	assert_int_equal(benefit_validate(db, a, &b, "5", &v), 1);
	assert_string_equal(v.e[0].code, "not_applicable");
	v.n = 0;
	/* NULL text: the amount is the struct's (the API's amount_grosze); -1 = none */
	b = (struct benefit){ .form_code = "POSILEK", .period_from = "2026-01-01", .amount_grosze = -1 };
	assert_int_equal(benefit_validate(db, a, &b, NULL, &v), 0);
	b = (struct benefit){ .form_code = "ZASILEK_STALY", .period_from = "2026-01-01", .amount_grosze = 0 };
	assert_int_equal(benefit_validate(db, a, &b, NULL, &v), 1);
	assert_string_equal(v.e[0].message, "Amount: an allowance must be more than 0 zł.");
	v.n = 0;
	b = (struct benefit){ .form_code = "ZASILEK_CELOWY", .period_from = "2026-01-01" };
	assert_int_equal(benefit_validate(db, a, &b, "12,345", &v), 1);
	assert_string_equal(v.e[0].message, "Amount: at most two digits after the comma (grosze).");
	arena_free(a);
}

/* count of a list as a reader with roles of institution inst sees it (or -POLICY_DENIED, or the result code) */
static int reasons_seen(struct db *db, struct arena *a, int64_t user, unsigned roles, int64_t inst,
			int64_t family, struct family_reason **out)
{
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r = { db, a, { user, roles, inst, 0 }, POLICY_FAMILY, PURPOSE_CASEWORK, &log };
	int rc = situation_decide(&r, POLICY_FAMILY, family);

	if (rc != POLICY_OK)
		return 100 + rc;
	rc = reason_list(&r, family, out);
	assert_int_equal(log.n, 1); /* the read is recorded */
	return rc;
}

static void test_special_categories_by_role(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct registry_writer sw = writer_of(1, SW, 1), la = writer_of(2, LA, 1), ow = writer_of(3, SW, 2);
	const char *codes[] = { "UBOSTWO", "ALKOHOLIZM", "PRZEMOC", "NIEPELNOSPRAWNOSC" };
	struct family_reason *seen, got;
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r = { db, a, { 2, LA, 1, 0 }, POLICY_FAMILY, PURPOSE_CASEWORK, &log };
	struct verrs v = VERRS_INIT;
	int64_t ids[4], id;
	int i;

	seed(db);
	for (i = 0; i < 4; i++) {
		struct family_reason x = { .family_id = 1, .reason_code = codes[i], .period_from = "2026-01-01" };

		assert_int_equal(reason_validate(db, a, &x, SENS_ALL, &v), 0);
		assert_int_equal(reason_create(db, a, &sw, &x, &ids[i], &v), 0);
	}
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM record_history WHERE entity = 'reason'"), 4);
	assert_int_equal(reasons_seen(db, a, 1, SW, 1, 1, &seen), 4);
	assert_int_equal(reasons_seen(db, a, 2, LA, 1, 1, &seen), 1);
	assert_string_equal(seen[0].reason_code, "UBOSTWO");
	/* the more restrictive role wins */
	assert_int_equal(reasons_seen(db, a, 1, SW | LA, 1, 1, &seen), 1);
	/* another institution's worker: not theirs */
	assert_true(reasons_seen(db, a, 3, SW, 2, 1, &seen) >= 100 + POLICY_NOT_FOUND);
	assert_int_equal(reasons_seen(db, a, 1, SW, 1, 99, &seen), 100 + POLICY_NOT_FOUND);
	/* single reads and writes of a hidden reason: as if it did not exist */
	assert_int_equal(reason_read(&r, ids[1], &got), POLICY_NOT_FOUND);
	assert_int_equal(reason_read(&r, ids[0], &got), POLICY_OK);
	assert_string_equal(got.legal_basis, "art. 7 pkt 1 u.p.s.");
	assert_int_equal(reason_end(db, a, &la, ids[1], "2026-06-30", &v), SITUATION_NOT_FOUND);
	assert_int_equal(reason_end(db, a, &ow, ids[0], "2026-06-30", &v), SITUATION_NOT_FOUND);
	assert_int_equal(reason_end(db, a, &sw, ids[1], "2025-12-31", &v), 1);
	assert_string_equal(v.e[0].code, "before_start");
	v.n = 0;
	assert_int_equal(reason_end(db, a, &sw, ids[1], "2026-06-30", &v), 0);
	/* the same reason again over an overlapping period */
	{
		struct family_reason x = { .family_id = 1, .reason_code = "ALKOHOLIZM", .period_from = "2026-06-01" };

		assert_int_equal(reason_create(db, a, &sw, &x, &id, &v), 1);
		assert_string_equal(v.e[0].code, "overlap");
		v.n = 0;
		x.period_from = "2026-07-01";
		assert_int_equal(reason_create(db, a, &sw, &x, &id, &v), 0);
	}
	/* history rows of hidden reasons are hidden too, whatever their values say */
	assert_int_equal(situation_history_hidden(db, "reason", ids[1], NULL, "ALKOHOLIZM 2026-01-01–",
						  policy_mask(LA, PURPOSE_CASEWORK)), 1);
	assert_int_equal(situation_history_hidden(db, "reason", ids[0], "PRZEMOC", "UBOSTWO",
						  policy_mask(LA, PURPOSE_CASEWORK)), 1);
	assert_int_equal(situation_history_hidden(db, "reason", ids[0], NULL, "UBOSTWO 2026-01-01–",
						  policy_mask(LA, PURPOSE_CASEWORK)), 0);
	assert_int_equal(situation_history_hidden(db, "reason", ids[1], NULL, "ALKOHOLIZM",
						  policy_mask(SW, PURPOSE_CASEWORK)), 0);
	assert_int_equal(situation_history_hidden(db, "interview", 1, NULL, NULL,
						  policy_mask(LA, PURPOSE_CASEWORK)), 1);
	assert_int_equal(situation_history_hidden(db, "status", 1, NULL, NULL,
						  policy_mask(LA, PURPOSE_CASEWORK)), 0);
	arena_free(a);
}

static void test_statuses_and_interviews(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct registry_writer sw = writer_of(1, SW, 1), la = writer_of(2, LA, 1);
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r = { db, a, { 2, LA, 1, 0 }, POLICY_FAMILY, PURPOSE_CASEWORK, &log };
	struct labour_status s = { .person_id = 1, .status = "registered_unemployed", .from_date = "2025-01-01" };
	struct interview iv = { .family_id = 1, .interview_date = "2026-01-10", .health = "x" }, got, *list;
	struct verrs v = VERRS_INIT;
	int64_t id, sid;

	seed(db);
	assert_int_equal(status_validate(&s, a, &v), 0);
	assert_int_equal(status_create(db, a, &la, &s, &sid, &v), 0); /* a PUP adviser records statuses */
	s = (struct labour_status){ .person_id = 1, .status = "employed", .from_date = "2024-06-01",
				    .to_date = "2025-01-01" };
	assert_int_equal(status_create(db, a, &sw, &s, &id, &v), 1);
	assert_string_equal(v.e[0].code, "overlap");
	v.n = 0;
	s.to_date = "2024-12-31";
	assert_int_equal(status_create(db, a, &sw, &s, &id, &v), 0);
	s = (struct labour_status){ .id = sid, .status = "registered_unemployed", .from_date = "2025-01-01",
				    .to_date = "2025-12-31", .dereg_reason = "job_taken" };
	assert_int_equal(status_update(db, a, &sw, &s, &v), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM record_history WHERE entity = 'status' "
					  "AND change = 'update'"),
			 2);
	/* interviews: written and read by the social worker only */
	assert_int_equal(interview_validate(&iv, a, &v), 0);
	assert_int_equal(interview_create(db, a, &la, &iv, &id, &v), 1);
	assert_string_equal(v.e[0].code, "role");
	v.n = 0;
	assert_int_equal(interview_create(db, a, &sw, &iv, &id, &v), 0);
	assert_int_equal(interview_read(&r, id, &got), POLICY_NOT_FOUND);
	assert_int_equal(situation_decide(&r, POLICY_FAMILY, 1), POLICY_OK);
	assert_int_equal(interview_list(&r, 1, &list), 0);
	r.actor = (struct policy_actor){ 1, SW, 1, 0 };
	assert_int_equal(interview_read(&r, id, &got), POLICY_OK);
	assert_string_equal(got.health, "x");
	assert_string_equal(got.worker_name, "Social Worker");
	iv = (struct interview){ .id = id, .interview_date = "2026-01-10", .housing = "y" };
	assert_int_equal(interview_update(db, a, &la, &iv, &v), SITUATION_NOT_FOUND);
	assert_int_equal(interview_update(db, a, &sw, &iv, &v), 0);
	/* two areas changed: their names are kept, not their text */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM record_history WHERE entity = 'interview' "
					  "AND change = 'update' AND old_value IS NULL AND new_value IS NULL"),
			 2);
	arena_free(a);
}

static void test_attention(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct registry_writer sw = writer_of(1, SW, 1);
	struct labour_status s = { .person_id = 1, .status = "registered_unemployed", .from_date = "2020-01-01" };
	struct benefit b = { .person_id = 1, .form_code = "POSILEK", .period_from = "2020-01-01",
			     .amount_grosze = -1 };
	struct verrs v = VERRS_INIT;
	char soon[16];
	time_t t = time(NULL) + 10 * 86400;
	struct tm tm;
	int64_t id;

	seed(db);
	i18n_set_lang(LANG_EN);
	assert_null(situation_attention(db, a, 1, SENS_ALL));
	assert_int_equal(status_create(db, a, &sw, &s, &id, &v), 0);
	assert_string_equal(situation_attention(db, a, 1, SENS_ALL), "long-term unemployed");
	assert_null(situation_attention(db, a, 1, SENS_BIT(SENS_IDENTITY)));
	localtime_r(&t, &tm);
	strftime(soon, sizeof(soon), "%Y-%m-%d", &tm);
	b.period_to = soon;
	assert_int_equal(benefit_create(db, a, &sw, &b, &id, &v), 0);
	assert_non_null(strstr(situation_attention(db, a, 1, SENS_ALL), "benefit decision ends "));
	assert_non_null(strstr(situation_attention(db, a, 1, SENS_ALL), "; long-term unemployed"));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_status_validate),
		cmocka_unit_test(test_reason_and_benefit_validate),
		cmocka_unit_test(test_special_categories_by_role),
		cmocka_unit_test(test_statuses_and_interviews),
		cmocka_unit_test(test_attention),
	};

	i18n_init();
	return TESTDB_RUN("situation", tests, 1);
}
