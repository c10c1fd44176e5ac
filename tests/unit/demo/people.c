/*
 * tests/unit/demo/people.c — the generated people (src/demo/people.c):
 * feminine surname forms, PESELs of 10,000 generated persons valid and
 * agreeing with birth date and sex, the same people for the same seed,
 * the structure of households, the CSV for benchmarks (BOM, header,
 * Windows-1250 bytes), and what demo_build() stores (SQLite, and
 * PostgreSQL with RAZEM_TEST_PG_URL): one applicant per household, at
 * most one household per person, a "create" history row per record, a
 * tenth of the persons also held by the PUP with the same PESEL, lead
 * workers of the owning institution.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "core/clock.h"
#include "core/ident.h"
#include "core/log.h"
#include "demo/demo.h"
#include "demo/people.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))
#define TODAY 20261201

static void check_form(const char *m, char sex, const char *want)
{
	char out[64];

	assert_string_equal(demo_surname_form(m, sex, out, sizeof(out)), want);
}

static void test_feminine_forms(void **state)
{
	(void)state;
	check_form("Kowalski", 'K', "Kowalska");
	check_form("Wiśniewski", 'K', "Wiśniewska");
	check_form("Nawrocki", 'K', "Nawrocka");
	check_form("Zawadzki", 'K', "Zawadzka");
	check_form("Rudzki", 'K', "Rudzka");
	check_form("Nowak", 'K', "Nowak");
	check_form("Wójcik", 'K', "Wójcik");
	check_form("Mazur", 'K', "Mazur");
	check_form("Zając", 'K', "Zając");
	check_form("Kowalski", 'M', "Kowalski");
	check_form("Nowak", 'M', "Nowak");
}

static void test_pesel_encoding(void **state)
{
	char p[12];
	struct pesel_info info;

	(void)state;
	/* 2000s: month + 20 */
	assert_int_equal(demo_pesel(2004, 3, 23, 'K', 0, p), 0);
	assert_memory_equal(p, "042323", 6);
	assert_int_equal(pesel_check(p, 0, &info, NULL), 0);
	assert_int_equal(info.year, 2004);
	assert_int_equal(info.sex, 'K');
	/* 1900s as they are; odd tenth digit for a man */
	assert_int_equal(demo_pesel(1985, 8, 10, 'M', 4999, p), 0);
	assert_memory_equal(p, "850810", 6);
	assert_int_equal((p[9] - '0') % 2, 1);
	assert_int_equal(pesel_check(p, 0, &info, NULL), 0);
	/* impossible dates and serials */
	assert_int_equal(demo_pesel(2023, 2, 29, 'K', 1, p), -1);
	assert_int_equal(demo_pesel(1985, 8, 10, 'M', 5000, p), -1);
	assert_int_equal(demo_pesel(1985, 8, 10, 'X', 1, p), -1);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void test_ten_thousand_valid(void **state)
{
	struct demo_gen *g = demo_gen_new(42, TODAY);
	struct demo_household h;
	char(*pesels)[12] = calloc(10000, 12);
	int n = 0, women = 0, i, children = 0, old = 0;

	(void)state;
	assert_non_null(g);
	assert_non_null(pesels);
	while (n < 10000) {
		demo_gen_household(g, &h);
		for (i = 0; i < h.n && n < 10000; i++, n++) {
			const struct demo_person *p = &h.members[i];
			struct pesel_info info;
			char date[11];

			assert_int_equal(pesel_check(p->pesel, TODAY, &info, NULL), 0);
			snprintf(date, sizeof(date), "%04d-%02d-%02d", info.year, info.month, info.day);
			assert_string_equal(date, p->birth_date);
			assert_int_equal(info.sex, p->sex);
			memcpy(pesels[n], p->pesel, 12);
			women += p->sex == 'K';
			children += p->age < 18;
			old += p->age >= 65;
			assert_true(strlen(p->first_names) > 0 && strlen(p->surname) > 0);
			assert_int_equal(strlen(p->terc), 7);
			assert_int_equal(strlen(p->postcode), 6);
		}
	}
	/* no two persons share a PESEL */
	qsort(pesels, 10000, 12, cmp_str);
	for (i = 1; i < 10000; i++)
		assert_string_not_equal(pesels[i - 1], pesels[i]);
	/* a plausible population of clients: both sexes, children and old people */
	assert_in_range(women, 4500, 5800);
	assert_in_range(children, 1500, 4000);
	assert_in_range(old, 1000, 3000);
	free(pesels);
	demo_gen_free(g);
}

static void test_same_seed_same_people(void **state)
{
	struct demo_gen *a = demo_gen_new(7, TODAY), *b = demo_gen_new(7, TODAY), *c = demo_gen_new(8, TODAY);
	struct demo_household ha, hb, hc;
	int i, differ = 0;

	(void)state;
	for (i = 0; i < 500; i++) {
		demo_gen_household(a, &ha);
		demo_gen_household(b, &hb);
		demo_gen_household(c, &hc);
		assert_memory_equal(&ha, &hb, sizeof(ha));
		differ += strcmp(ha.members[0].pesel, hc.members[0].pesel) != 0;
	}
	assert_true(differ > 490);
	demo_gen_free(a);
	demo_gen_free(b);
	demo_gen_free(c);
}

/* base() is the masculine form a surname comes from (the household's surname). */
static const char *base(const struct demo_person *p, char *out, size_t len)
{
	size_t n = strlen(p->surname);

	snprintf(out, len, "%s", p->surname);
	if (p->sex == 'K' && n > 3 && (strcmp(out + n - 3, "ska") == 0 || strcmp(out + n - 3, "cka") == 0 ||
			    strcmp(out + n - 4, "dzka") == 0))
		out[n - 1] = 'i';
	return out;
}

static void test_households(void **state)
{
	struct demo_gen *g = demo_gen_new(99, TODAY);
	struct demo_household h;
	int i, j, singles = 0, threegen = 0, persons = 0;

	(void)state;
	for (i = 0; i < 2000; i++) {
		int applicants = 0, spouses = 0;
		char b0[64], bj[64];

		demo_gen_household(g, &h);
		assert_int_equal(h.number, i + 1);
		assert_in_range(h.n, 1, DEMO_HOUSEHOLD_MAX);
		assert_string_equal(h.members[0].relation, "applicant");
		assert_in_range(h.members[0].age, 18, 99);
		for (j = 0; j < h.n; j++) {
			const struct demo_person *p = &h.members[j];

			applicants += strcmp(p->relation, "applicant") == 0;
			spouses += strcmp(p->relation, "spouse") == 0;
			/* one address for the household */
			assert_string_equal(p->terc, h.members[0].terc);
			assert_string_equal(p->street, h.members[0].street);
			assert_string_equal(p->house_no, h.members[0].house_no);
			assert_string_equal(p->flat_no, h.members[0].flat_no);
			/* the family's surname in each member's form */
			assert_string_equal(base(p, bj, sizeof(bj)), base(&h.members[0], b0, sizeof(b0)));
			if (strcmp(p->relation, "child") == 0)
				assert_true(p->age < 25 && p->age + 18 <= h.members[0].age + 2);
			if (strcmp(p->relation, "parent") == 0)
				assert_true(p->age > h.members[0].age + 15);
		}
		assert_int_equal(applicants, 1);
		assert_in_range(spouses, 0, 1);
		singles += h.n == 1;
		threegen += h.n > 2 && strcmp(h.members[2].relation, "parent") == 0;
		persons += h.n;
	}
	assert_in_range(singles, 600, 1000);
	assert_in_range(threegen, 100, 300);
	/* about 2.6 persons a household: 3,000 persons in 1,200 households */
	assert_in_range(persons, 4600, 5800);
	demo_gen_free(g);
}

static char *csv(int64_t n, enum demo_encoding enc, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	assert_int_equal(demo_people_csv(f, n, 1, TODAY, enc), 0);
	fclose(f);
	return buf;
}

static void test_csv(void **state)
{
	static const char header[] = "PESEL;Imię;Nazwisko;Data urodzenia;Płeć;Kod pocztowy;"
				     "Miejscowość;Ulica;Nr domu;Nr lokalu;Telefon;Nr gospodarstwa\r\n";
	size_t len, i, lines = 0;
	char *u = csv(1000, DEMO_UTF8, &len), *w;

	(void)state;
	assert_memory_equal(u, "\xEF\xBB\xBF", 3);
	assert_memory_equal(u + 3, header, strlen(header));
	for (i = 0; i < len; i++)
		lines += u[i] == '\n';
	assert_int_equal(lines, 1001);
	free(u);
	/* Windows-1250: no BOM, "Imię" with 0xEA, "Płeć" with 0xB3 and 0xE6 */
	w = csv(3, DEMO_CP1250, &len);
	assert_memory_equal(w, "PESEL;Imi\xEA;Nazwisko;Data urodzenia;P\xB3" "e\xE6;", 36);
	/* no UTF-8 left: ł, ó, ę… start with 0xC3/0xC4/0xC5 there, letters unused in Polish here */
	for (i = 0; i < len; i++)
		assert_true((unsigned char)w[i] < 0xC3 || (unsigned char)w[i] > 0xC5);
	free(w);
	{
		char out[64];

		demo_utf8_to_cp1250("Łódź Śląsk żółć", out, sizeof(out));
		assert_string_equal(out, "\xA3\xF3" "d\x9F \x8C" "l\xB9" "sk \xBF\xF3\xB3\xE6");
		demo_utf8_to_cp1250("„a” — 5 € ✓", out, sizeof(out));
		assert_string_equal(out, "\x84" "a\x94 \x97 5 \x80 ?");
	}
}

static void test_database(void **state)
{
	struct db *db = T(state)->db;
	char err[512] = "";
	int64_t persons, pup;

	assert_int_equal(demo_build(db, err, sizeof(err)), 0);
	persons = testdb_count(db, "SELECT COUNT(*) FROM person");
	/* one applicant per household, named by the family row */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM family f WHERE (SELECT COUNT(*) FROM "
					  "family_member m WHERE m.family_id = f.id AND m.relation = "
					  "'applicant') <> 1"),
			 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM family f JOIN family_member m ON "
					  "m.family_id = f.id AND m.relation = 'applicant' WHERE "
					  "m.person_id <> f.applicant_id"),
			 0);
	/* at most one household per person, of the same institution */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM (SELECT person_id FROM family_member "
					  "GROUP BY person_id HAVING COUNT(*) > 1) x"),
			 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM family_member m JOIN person p ON p.id = "
					  "m.person_id WHERE p.institution_id <> m.institution_id"),
			 0);
	/* a "create" history row per person, family and membership */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM person p WHERE NOT EXISTS (SELECT 1 FROM "
					  "record_history h WHERE h.entity = 'person' AND h.entity_id = "
					  "p.id AND h.change = 'create')"),
			 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM record_history WHERE entity IN ('person', "
					  "'family', 'member')"),
			 persons + testdb_count(db, "SELECT COUNT(*) FROM family") +
				 testdb_count(db, "SELECT COUNT(*) FROM family_member"));
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM record_history WHERE change <> 'create'"), 0);
	/* and per reason, status, benefit and interview */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM record_history WHERE entity = 'reason'"),
			 testdb_count(db, "SELECT COUNT(*) FROM family_reason"));
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM record_history WHERE entity = 'status'"),
			 testdb_count(db, "SELECT COUNT(*) FROM labour_status"));
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM record_history WHERE entity = 'benefit'"),
			 testdb_count(db, "SELECT COUNT(*) FROM benefit"));
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM record_history WHERE entity = 'interview'"),
			 testdb_count(db, "SELECT COUNT(*) FROM interview"));
	/* reasons in plausible proportions: poverty first, a few addiction and violence cases */
	assert_true(testdb_count(db, "SELECT COUNT(*) FROM family_reason WHERE reason_code = 'UBOSTWO'") >
		    testdb_count(db, "SELECT COUNT(*) FROM family_reason WHERE reason_code = 'BEZROBOCIE'"));
	assert_in_range(testdb_count(db, "SELECT COUNT(*) FROM family_reason WHERE reason_code IN "
					 "('ALKOHOLIZM', 'NARKOMANIA', 'PRZEMOC')"),
			10, 200);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM family f WHERE NOT EXISTS (SELECT 1 FROM "
					  "family_reason r WHERE r.family_id = f.id)"),
			 0);
	/* cash benefits have amounts, services and meals none */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM benefit b JOIN benefit_form f ON f.code = "
					  "b.form_code WHERE (f.cash = 1) <> (b.amount_grosze IS NOT NULL)"),
			 0);
	assert_in_range(testdb_count(db, "SELECT COUNT(*) FROM interview"), 20, 150);
	/* registered unemployed for more than a year now: long-term unemployed among them */
	{
		char sql[300], year_ago[CLOCK_ISO_LEN];

		clock_iso(clock_now() - 400 * 86400, year_ago);
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM labour_status WHERE status = "
			 "'registered_unemployed' AND to_date IS NULL AND from_date < '%.10s'", year_ago);
		assert_true(testdb_count(db, sql) > 50);
	}
	/* the PUP holds about a tenth of the persons again, with the same PESEL */
	pup = testdb_count(db, "SELECT COUNT(*) FROM person p JOIN institution i ON i.id = p.institution_id "
			       "WHERE i.kind = 'pup'");
	assert_in_range(pup * 100 / persons, 7, 13);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM person p JOIN institution i ON i.id = "
					  "p.institution_id WHERE i.kind = 'pup' AND p.pesel IS NOT NULL AND NOT EXISTS "
					  "(SELECT 1 FROM person o WHERE o.pesel = p.pesel AND o.id <> p.id)"),
			 0);
	/* and ten written without PESEL, the linkage's material (demo/linkage.c) */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM person p JOIN institution i ON i.id = "
					  "p.institution_id WHERE i.kind = 'pup' AND p.pesel IS NULL"),
			 10);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM (SELECT institution_id, pesel FROM person WHERE pesel IS NOT NULL "
					  "GROUP BY institution_id, pesel HAVING COUNT(*) > 1) x"),
			 0);
	/* every gmina's centre has clients, and their lead workers are its own */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM institution i WHERE i.kind IN ('ops', "
					  "'mops') AND NOT EXISTS (SELECT 1 FROM person p WHERE "
					  "p.institution_id = i.id)"),
			 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM person p JOIN app_user u ON u.id = "
					  "p.lead_worker_id WHERE u.institution_id <> p.institution_id"),
			 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM person WHERE lead_worker_id IS NULL"), 0);
	/* ids continue after the generated rows (PostgreSQL's sequences were moved) */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM person WHERE pesel IS NULL"), 11); /* demo/linkage.c: ten PUP copies, one MOPS duplicate */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_feminine_forms),
		testdb_plain(test_pesel_encoding),
		testdb_plain(test_ten_thousand_valid),
		testdb_plain(test_same_seed_same_people),
		testdb_plain(test_households),
		testdb_plain(test_csv),
		cmocka_unit_test(test_database),
	};

	log_set_level(LOG_ERROR + 1);
	if (password_init() != 0)
		return 1;
	return TESTDB_RUN("demo_people", tests, 1);
}
