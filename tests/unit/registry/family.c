/*
 * tests/unit/registry/family.c — households on a migrated database
 * (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL): relation labels,
 * address validation, create with the applicant as first member, members
 * added with their relation, a person in another household refused
 * unless moved, the move ending the old membership the day before and
 * kept in the history, at most one current household (the unique index
 * too), ending a membership, the applicant changed only to a member,
 * reads under the policy (current members first, another institution
 * refused), the family list and the reason and status filters of the
 * persons' list.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/i18n.h"
#include "core/log.h"
#include "registry/family.h"
#include "registry/history.h"
#include "../testdb.h"
#include "world.h"

#define T(state) ((struct testdb *)*(state))
#define WORKER ROLE_BIT(ROLE_SOCIAL_WORKER)

static void test_relations(void **state)
{
	(void)state;
	i18n_set_lang(LANG_PL);
	assert_string_equal(family_relation_label("child"), "Dziecko");
	assert_string_equal(family_relation_label("applicant"), "Wnioskodawca");
	assert_string_equal(family_relation_label("cousin"), "cousin");
	assert_null(family_relations[6]);
}

static void test_validate(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct verrs v = VERRS_INIT;
	struct family f = { .applicant_id = 1, .postcode = "99300", .street = " Polna ", .terc = "" };

	(void)state;
	assert_int_equal(family_validate(&f, a, &v), 0);
	assert_string_equal(f.postcode, "99-300");
	assert_string_equal(f.street, "Polna");
	assert_null(f.terc);
	f = (struct family){ .postcode = "99-3000", .terc = "30" };
	assert_int_equal(family_validate(&f, a, &v), 3);
	assert_string_equal(v.e[0].field, "postcode");
	assert_string_equal(v.e[1].field, "terc");
	assert_string_equal(v.e[2].field, "applicant_id");
	arena_free(a);
}

/* new_family() creates the household of applicant; returns its id. */
static int64_t new_family(struct world *w, const struct registry_writer *wr, int64_t applicant)
{
	struct family f = { .institution_id = wr->policy.institution_id, .applicant_id = applicant,
			    .town = "Brzozowo" };
	struct verrs v = VERRS_INIT;
	int64_t id = 0;

	assert_int_equal(family_validate(&f, w->a, &v), 0);
	assert_int_equal(db_begin(w->db), 0);
	if (family_create(w->db, w->a, wr, &f, &id, &v) != 0)
		fail_msg("family_create: %s", v.n > 0 ? v.e[0].message : db_errmsg(w->db));
	assert_int_equal(db_commit(w->db), 0);
	return id;
}

static int add(struct world *w, const struct registry_writer *wr, int64_t family, int64_t person,
	       const char *relation, const char *date, int move, struct verrs *v)
{
	int rc;

	v->n = 0;
	assert_int_equal(db_begin(w->db), 0);
	rc = family_add_member(w->db, w->a, wr, family, person, relation, date, move, v);
	if (rc == 0)
		assert_int_equal(db_commit(w->db), 0);
	else
		assert_int_equal(db_rollback(w->db), 0);
	return rc;
}

static void today(char out[16])
{
	int ymd = clock_today_ymd();

	snprintf(out, 16, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

static void test_members_and_moves(void **state)
{
	struct world w;
	struct registry_writer wr;
	struct verrs v = VERRS_INIT;
	struct family f;
	struct family_member m[8];
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r;
	struct history_row h[20];
	char day[16], sql[300];
	int64_t anna, jan, ola, fam1, fam2, n;
	int nm;

	world_init(&w, T(state)->db);
	i18n_set_lang(LANG_PL);
	today(day);
	wr = world_worker(&w);
	anna = add_person(&w, &wr, (struct person){ .first_names = "Anna", .surname = "Lis",
						    .birth_date = "1980-01-01" });
	jan = add_person(&w, &wr, (struct person){ .first_names = "Jan", .surname = "Lis",
						   .birth_date = "2010-01-01" });
	ola = add_person(&w, &wr, (struct person){ .first_names = "Ola", .surname = "Wrona",
						   .birth_date = "1985-01-01" });
	fam1 = new_family(&w, &wr, anna);
	assert_int_equal(family_of_person(w.db, anna), fam1);
	assert_int_equal(family_of_person(w.db, jan), 0);
	assert_int_equal(add(&w, &wr, fam1, jan, "child", "2020-05-01", 0, &v), 0);
	assert_int_equal(family_of_person(w.db, jan), fam1);
	/* already a member; a relation that is not one; the applicant is chosen on the family */
	assert_int_equal(add(&w, &wr, fam1, jan, "child", NULL, 0, &v), 1);
	assert_string_equal(v.e[0].code, "already_member");
	assert_int_equal(add(&w, &wr, fam1, ola, "applicant", NULL, 0, &v), 1);
	assert_string_equal(v.e[0].field, "relation");
	assert_int_equal(add(&w, &wr, fam1, ola, "child", "2999-01-01", 0, &v), 1);
	assert_string_equal(v.e[0].field, "member_from");

	/* another household: the applicant of one is refused as applicant of another */
	{
		struct family g = { .institution_id = w.inst, .applicant_id = jan };
		int64_t gid = 0;

		v.n = 0;
		assert_int_equal(db_begin(w.db), 0);
		assert_int_equal(family_create(w.db, w.a, &wr, &g, &gid, &v), 1);
		assert_int_equal(db_rollback(w.db), 0);
		assert_string_equal(v.e[0].field, "applicant_id");
		assert_string_equal(v.e[0].code, "in_household");
	}
	fam2 = new_family(&w, &wr, ola);
	/* jan is in fam1: refused with a clear error unless moved */
	assert_int_equal(add(&w, &wr, fam2, jan, "child", "2024-03-01", 0, &v), 1);
	assert_string_equal(v.e[0].code, "in_household");
	snprintf(sql, sizeof(sql), "Ta osoba należy już do innego gospodarstwa domowego (rodzina nr %lld); "
		 "osoba należy naraz tylko do jednego gospodarstwa: przenieś ją zamiast dodawać.",
		 (long long)fam1);
	assert_string_equal(v.e[0].message, sql);
	/* a move dated before the present membership began is refused */
	assert_int_equal(add(&w, &wr, fam2, jan, "child", "2019-01-01", 1, &v), 1);
	assert_string_equal(v.e[0].field, "member_from");
	assert_int_equal(add(&w, &wr, fam2, jan, "relative", "2024-03-01", 1, &v), 0);
	assert_int_equal(family_of_person(w.db, jan), fam2);
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM family_member WHERE person_id = %lld AND family_id = %lld AND "
		 "member_from = '2020-05-01' AND member_to = '2024-02-29'",
		 (long long)jan, (long long)fam1);
	assert_int_equal(testdb_count(w.db, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM family_member WHERE person_id = %lld AND member_to IS NULL",
		 (long long)jan);
	assert_int_equal(testdb_count(w.db, sql), 1);
	/* the move is in the history, on the old household and on the person */
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM record_history WHERE change = 'move' AND entity = 'member' AND "
		 "person_id = %lld AND family_id = %lld AND field = 'family_id' AND old_value = '%lld' "
		 "AND new_value = '%lld'",
		 (long long)jan, (long long)fam1, (long long)fam1, (long long)fam2);
	assert_int_equal(testdb_count(w.db, sql), 1);
	r = reader(&w, w.worker, WORKER, w.inst, &log);
	nm = history_read(&r, jan, 0, h, 20);
	assert_true(nm >= 4);
	assert_string_equal(h[0].entity, "member");
	assert_string_equal(h[0].change, "create");
	assert_string_equal(h[0].new_value, "relative");
	assert_string_equal(h[1].change, "move");

	/* the unique index holds even when the check is passed by: a second current row is refused */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO family_member (family_id, person_id, institution_id, relation, member_from) "
		 "VALUES (%lld, %lld, %lld, 'child', '2024-05-01')",
		 (long long)fam1, (long long)jan, (long long)w.inst);
	{
		struct db_stmt *st = db_prepare_dynamic(w.db, sql);

		assert_non_null(st);
		assert_int_equal(db_step(st), DB_CONSTRAINT);
		db_reset(st);
	}

	/* the read: current members first, the past ones after */
	r = reader(&w, w.worker, WORKER, w.inst, &log);
	assert_int_equal(family_read(&r, fam1, &f, m, 8, &nm), POLICY_OK);
	assert_int_equal(nm, 2);
	assert_int_equal(m[0].person_id, anna);
	assert_string_equal(m[0].relation, "applicant");
	assert_null(m[0].member_to);
	assert_int_equal(m[1].person_id, jan);
	assert_string_equal(m[1].member_to, "2024-02-29");
	assert_string_equal(m[1].first_names, "Jan");
	assert_string_equal(f.applicant_name, "Anna Lis");
	assert_string_equal(f.town, "Brzozowo");
	assert_string_equal(log.r[log.n - 1].action, "family.read");
	/* another institution: refused and recorded */
	r = reader(&w, w.other_worker, WORKER, w.other_inst, &log);
	assert_int_equal(family_read(&r, fam1, &f, m, 8, &nm), POLICY_DENIED);
	assert_string_equal(r.decision.code, "other_institution");
	assert_string_equal(log.r[log.n - 1].action, "family.read_denied");
	assert_int_equal(family_read(&r, fam1 + 100, &f, m, 8, &nm), POLICY_NOT_FOUND);

	/* the applicant can be changed only to a current member; the change is kept */
	assert_int_equal(family_get(w.db, w.a, fam2, &f), 0);
	f.applicant_id = anna;
	v.n = 0;
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(family_update(w.db, w.a, &wr, &f, &v), 1);
	assert_string_equal(v.e[0].code, "not_member");
	f.applicant_id = jan;
	f.street = "Leśna";
	v.n = 0;
	assert_int_equal(family_update(w.db, w.a, &wr, &f, &v), 0);
	assert_int_equal(db_commit(w.db), 0);
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM record_history WHERE entity = 'family' AND family_id = %lld AND "
		 "change = 'update' AND ((field = 'applicant_id' AND old_value = '%lld' AND new_value = "
		 "'%lld') OR (field = 'street' AND old_value IS NULL AND new_value = 'Leśna'))",
		 (long long)fam2, (long long)ola, (long long)jan);
	assert_int_equal(testdb_count(w.db, sql), 2);

	/* ending a membership: today by default, recorded */
	snprintf(sql, sizeof(sql), "SELECT id FROM family_member WHERE person_id = %lld AND member_to IS NULL",
		 (long long)ola);
	n = testdb_count(w.db, sql);
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(family_end_member(w.db, w.a, &wr, n, NULL), 0);
	assert_int_equal(family_end_member(w.db, w.a, &wr, n, NULL), PERSON_NOT_FOUND);
	assert_int_equal(db_commit(w.db), 0);
	assert_int_equal(family_of_person(w.db, ola), 0);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM family_member WHERE id = %lld AND member_to = '%s'",
		 (long long)n, day);
	assert_int_equal(testdb_count(w.db, sql), 1);
	/* another institution's writer finds nothing to change */
	wr = writer(w.other_worker, WORKER, w.other_inst, "jan");
	assert_int_equal(add(&w, &wr, fam1, ola, "other", NULL, 0, &v), PERSON_NOT_FOUND);
	world_free(&w);
}

static void test_lists(void **state)
{
	struct world w;
	struct registry_writer wr;
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r;
	struct list_query q = LIST_QUERY_INIT;
	struct list_page page;
	char sql[400];
	int64_t anna, jan, fam;

	world_init(&w, T(state)->db);
	wr = world_worker(&w);
	anna = add_person(&w, &wr, (struct person){ .first_names = "Anna", .surname = "Lis",
						    .birth_date = "1980-01-01" });
	jan = add_person(&w, &wr, (struct person){ .first_names = "Jan", .surname = "Nowak",
						   .birth_date = "1981-01-01" });
	fam = new_family(&w, &wr, anna);
	r = reader(&w, w.worker, WORKER, w.inst, &log);
	r.kind = POLICY_FAMILY;
	assert_int_equal(policy_list_fetch(&r, &family_list, &q, &page), 0);
	assert_int_equal(page.total, 1);
	assert_string_equal(page.values[0][FAMILY_COL_APPLICANT], "Lis Anna");
	assert_string_equal(page.values[0][FAMILY_COL_MEMBERS], "1");
	assert_string_equal(log.r[0].action, "family.list");
	r = reader(&w, w.other_worker, WORKER, w.other_inst, &log);
	r.kind = POLICY_FAMILY;
	assert_int_equal(policy_list_fetch(&r, &family_list, &q, &page), 0);
	assert_int_equal(page.total, 0);

	/*
	 * The reason and status filters over the situation module's tables
	 * (0012). Made here with the columns the filters use when that
	 * migration is not in this build.
	 */
	assert_int_equal(db_exec(w.db, "CREATE TABLE IF NOT EXISTS family_reason (institution_id BIGINT, "
				       "family_id BIGINT, reason_code TEXT, period_from TEXT, period_to TEXT, "
				       "created_at TEXT)"),
			 0);
	assert_int_equal(db_exec(w.db, "CREATE TABLE IF NOT EXISTS labour_status (institution_id BIGINT, "
				       "person_id BIGINT, status TEXT, from_date TEXT, to_date TEXT, "
				       "created_at TEXT)"),
			 0);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO family_reason (institution_id, family_id, reason_code, period_from, period_to, "
		 "created_at) VALUES (%lld, %lld, 'UBOSTWO', '2020-01-01', NULL, '2020-01-01T00:00:00Z'), "
		 "(%lld, %lld, 'BEZDOMNOSC', '2020-01-01', '2020-12-31', '2020-01-01T00:00:00Z')",
		 (long long)w.inst, (long long)fam, (long long)w.inst, (long long)fam);
	assert_int_equal(db_exec(w.db, sql), 0);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO labour_status (institution_id, person_id, status, from_date, to_date, created_at) "
		 "VALUES (%lld, %lld, 'registered_unemployed', '2023-01-01', NULL, '2023-01-01T00:00:00Z')",
		 (long long)w.inst, (long long)jan);
	assert_int_equal(db_exec(w.db, sql), 0);
	r = reader(&w, w.worker, WORKER, w.inst, &log);
	q = (struct list_query)LIST_QUERY_INIT;
	list_add_filter(&q, PERSON_COL_REASON, LIST_EQ, "UBOSTWO");
	assert_int_equal(policy_list_fetch(&r, &person_list, &q, &page), 0);
	assert_int_equal(page.total, 1);
	assert_string_equal(page.values[0][PERSON_COL_SURNAME], "Lis");
	q = (struct list_query)LIST_QUERY_INIT;
	list_add_filter(&q, PERSON_COL_REASON, LIST_EQ, "BEZDOMNOSC"); /* a period that has ended */
	assert_int_equal(policy_list_fetch(&r, &person_list, &q, &page), 0);
	assert_int_equal(page.total, 0);
	q = (struct list_query)LIST_QUERY_INIT;
	list_add_filter(&q, PERSON_COL_STATUS, LIST_EQ, "registered_unemployed");
	assert_int_equal(policy_list_fetch(&r, &person_list, &q, &page), 0);
	assert_int_equal(page.total, 1);
	assert_string_equal(page.values[0][PERSON_COL_SURNAME], "Nowak");
	r.kind = POLICY_FAMILY;
	q = (struct list_query)LIST_QUERY_INIT;
	list_add_filter(&q, FAMILY_COL_REASON, LIST_EQ, "UBOSTWO");
	assert_int_equal(policy_list_fetch(&r, &family_list, &q, &page), 0);
	assert_int_equal(page.total, 1);
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_relations),
		testdb_plain(test_validate),
		cmocka_unit_test(test_members_and_moves),
		cmocka_unit_test(test_lists),
	};

	log_set_level(LOG_ERROR + 1);
	if (i18n_init() != 0)
		return 1;
	return TESTDB_RUN("registry/family", tests, 1);
}
