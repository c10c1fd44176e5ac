/*
 * tests/unit/territory/import.c — importing TERC registers (SQLite, and
 * PostgreSQL with RAZEM_TEST_PG_URL): counts, an idempotent re-import, a
 * later register closing and opening units (the closed one still readable
 * under its code), an older register refused, bad files changing nothing,
 * districts under their city, the demo county kept, the audit row, and the
 * real registers of ../shared/data/teryt when they are there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/log.h"
#include "demo/demo.h"
#include "registry/institution.h"
#include "territory/import.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))

static const char reg2020[] =
	"WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n"
	"02;;;;DOLNOŚLĄSKIE;województwo;2020-01-01\r\n"
	"02;01;;;bolesławiecki;powiat;2020-01-01\r\n"
	"02;01;01;1;Bolesławiec;gmina miejska;2020-01-01\r\n"
	"02;01;02;2;Bolesławiec;gmina wiejska;2020-01-01\r\n"
	"02;01;03;2;Gromadka;gmina wiejska;2020-01-01\r\n"
	"14;;;;MAZOWIECKIE;województwo;2020-01-01\r\n"
	"14;65;;;Warszawa;miasto stołeczne, na prawach powiatu;2020-01-01\r\n"
	"14;65;01;1;Warszawa;gmina miejska, miasto stołeczne;2020-01-01\r\n"
	"14;65;02;8;Bemowo;dzielnica;2020-01-01\r\n";

/* 2021: Gromadka is gone, Osiecznica is new, the rural gmina is renamed */
static const char reg2021[] =
	"\xEF\xBB\xBFWOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n"
	"02;;;;DOLNOŚLĄSKIE;województwo;2021-01-01\n"
	"02;01;;;bolesławiecki;powiat;2021-01-01\n"
	"02;01;01;1;Bolesławiec;gmina miejska;2021-01-01\n"
	"02;01;02;2;Bolesławiec Wiejski;gmina wiejska;2021-01-01\n"
	"02;01;04;2;Osiecznica;gmina wiejska;2021-01-01\n"
	"14;;;;MAZOWIECKIE;województwo;2021-01-01\n"
	"14;65;;;Warszawa;miasto stołeczne, na prawach powiatu;2021-01-01\n"
	"14;65;01;1;Warszawa;gmina miejska, miasto stołeczne;2021-01-01\n"
	"14;65;02;8;Bemowo;dzielnica;2021-01-01\n";

static int import(struct db *db, const char *s, struct terc_import_counts *n, struct terc_errs *e)
{
	struct audit_actor who = { 0, "(test)", 0, "local" };

	return terc_import(db, &who, s, strlen(s), "test.csv", n, e, NULL, NULL);
}

static int64_t count_sql(struct db *db, const struct db_sql *q)
{
	int64_t n = -1;

	assert_int_equal(db_get_int(db, &n, q, NULL), DB_ROW);
	return n;
}

/* one static statement per call site: the connection caches statements by their address */
#define count(db, sql) ({ static const struct db_sql q_ = DB_SQL(sql); count_sql(db, &q_); })

static void test_import_idempotent(void **state)
{
	struct db *db = T(state)->db;
	struct terc_import_counts n;
	struct terc_errs e;
	struct arena *a = arena_new(1 << 20);
	struct territory_unit u;

	assert_int_equal(import(db, reg2020, &n, &e), 0);
	assert_int_equal(n.rows, 9);
	assert_int_equal(n.added, 9);
	assert_int_equal(n.closed + n.unchanged + n.changed + n.reopened, 0);
	assert_string_equal(n.date, "2020-01-01");
	assert_int_equal(territory_get(db, a, "0201022", &u), 0);
	assert_string_equal(u.name, "Bolesławiec");
	assert_int_equal(u.kind, UNIT_RURAL);
	assert_string_equal(u.parent_code, "0201");
	assert_string_equal(u.valid_from, "2020-01-01");
	assert_null(u.valid_to);
	/* a district hangs under its city's gmina */
	assert_int_equal(territory_get(db, a, "1465028", &u), 0);
	assert_string_equal(u.parent_code, "1465011");
	assert_int_equal(u.kind, UNIT_DISTRICT);

	assert_int_equal(import(db, reg2020, &n, &e), 0);
	assert_int_equal(n.unchanged, 9);
	assert_int_equal(n.added + n.closed + n.changed + n.reopened, 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM territory_unit"), 9);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'territory.import' "
				   "AND entity = 'territory_unit'"), 2);
	arena_free(a);
}

static void test_import_later_closes(void **state)
{
	struct db *db = T(state)->db;
	struct terc_import_counts n;
	struct terc_errs e;
	struct arena *a = arena_new(1 << 20);
	struct territory_unit u, *kids;

	assert_int_equal(import(db, reg2020, &n, &e), 0);
	assert_int_equal(import(db, reg2021, &n, &e), 0);
	assert_string_equal(n.date, "2021-01-01");
	assert_int_equal(n.added, 1);
	assert_int_equal(n.closed, 1);
	assert_int_equal(n.changed, 1);
	assert_int_equal(n.unchanged, 7);
	/* the closed gmina stays readable under its old code */
	assert_int_equal(territory_get(db, a, "0201032", &u), 0);
	assert_string_equal(u.name, "Gromadka");
	assert_string_equal(u.valid_from, "2020-01-01");
	assert_string_equal(u.valid_to, "2021-01-01");
	assert_int_equal(territory_get(db, a, "0201042", &u), 0);
	assert_string_equal(u.valid_from, "2021-01-01");
	assert_int_equal(territory_get(db, a, "0201022", &u), 0);
	assert_string_equal(u.name, "Bolesławiec Wiejski");
	/* lists show what is open */
	assert_int_equal(territory_children(db, a, "0201", &kids), 3);
	assert_string_equal(kids[0].code, "0201011");
	assert_string_equal(kids[1].code, "0201022");
	assert_string_equal(kids[2].code, "0201042");

	/* institutions: the imported register validates their codes, a closed one is refused */
	{
		struct institution in = { .terc = "0201032" };
		struct verrs v = VERRS_INIT;

		i18n_set_lang(LANG_EN);
		assert_int_equal(institution_check_terc(db, a, &in, &v), 1);
		assert_string_equal(v.e[0].code, "closed");
		assert_string_equal(v.e[0].message, "The TERC code 0201032 was closed in the TERYT register of 2021-01-01.");
		in.terc = "0201042";
		v.n = 0;
		assert_int_equal(institution_check_terc(db, a, &in, &v), 0);
		in.terc = "0201052";
		assert_int_equal(institution_check_terc(db, a, &in, &v), 1);
		assert_string_equal(v.e[0].code, "unknown");
		i18n_set_lang(LANG_PL);
	}

	/* the same later file again changes nothing; the older one is refused */
	assert_int_equal(import(db, reg2021, &n, &e), 0);
	assert_int_equal(n.unchanged, 9);
	assert_int_equal(n.closed + n.added, 0);
	assert_int_equal(import(db, reg2020, &n, &e), 1);
	assert_string_equal(e.msg[0], "the register of 2020-01-01 is older than the one imported (2021-01-01)");
	assert_int_equal(territory_get(db, a, "0201032", &u), 0);
	assert_string_equal(u.valid_to, "2021-01-01");
	arena_free(a);
}

static void test_import_refused(void **state)
{
	struct db *db = T(state)->db;
	struct terc_import_counts n;
	struct terc_errs e;

	/* one bad row among good ones: nothing is written */
	assert_int_equal(import(db, "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n"
				    "02;;;;DOLNOŚLĄSKIE;województwo;2020-01-01\n"
				    "02;01;;;bolesławiecki;powiat;2020-13-01\n", &n, &e), 1);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msg[0], "line 3: STAN_NA '2020-13-01' is not a date YYYY-MM-DD");
	assert_int_equal(import(db, "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n"
				    "02;;;;DOLNOŚLĄSKIE;województwo;2020-01-01\n"
				    "02;01;01;1;Bolesławiec;gmina miejska;2020-01-01\n"
				    "02;;;;DOLNY ŚLĄSK;województwo;2020-01-01\n", &n, &e), 1);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.msg[0], "line 4: the code 02 repeats line 2");
	assert_string_equal(e.msg[1], "line 3: the unit 0201011 (Bolesławiec) has no parent 0201 in the register");
	/* a header alone would close every unit */
	assert_int_equal(import(db, "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n\r\n", &n, &e), 1);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msg[0], "the register lists no units");
	assert_int_equal(count(db, "SELECT COUNT(*) FROM territory_unit"), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'territory.import'"), 0);
}

static void test_import_demo_kept(void **state)
{
	struct db *db = T(state)->db;
	struct terc_import_counts n;
	struct terc_errs e;
	char err[256];
	int64_t fictional;

	if (demo_build(db, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	fictional = count(db, "SELECT COUNT(*) FROM territory_unit WHERE fictional = 1");
	assert_true(fictional > 10);
	assert_int_equal(import(db, reg2020, &n, &e), 0);
	/* not even the demo's WIELKOPOLSKIE, which this register lacks: the county lies in it */
	assert_int_equal(n.closed, 0);
	assert_int_equal(import(db, reg2021, &n, &e), 0);
	assert_int_equal(n.closed, 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM territory_unit WHERE fictional = 1 "
				   "AND valid_to IS NULL"), fictional);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM territory_unit WHERE code = '30' "
				   "AND valid_to IS NULL"), 1);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *s;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return s;
}

#define TERYT_DIR "../shared/data/teryt/"

static void test_real_registers(void **state)
{
	struct db *db = T(state)->db;
	struct audit_actor who = { 0, "(test)", 0, "local" };
	struct terc_import_counts n;
	struct terc_errs e;
	size_t len17, len20;
	char *x17 = slurp(TERYT_DIR "TERC_2017-01-01.xml", &len17);
	char *c20 = slurp(TERYT_DIR "TERC_urzedowy_2020-01-01.csv", &len20);
	struct arena *a = arena_new(1 << 20);
	struct territory_unit u;

	if (x17 == NULL || c20 == NULL) {
		free(x17);
		free(c20);
		arena_free(a);
		printf("# SKIP the real registers: " TERYT_DIR " is not there\n");
		skip();
	}
	assert_int_equal(terc_import(db, &who, x17, len17, "TERC_2017-01-01.xml", &n, &e, NULL, NULL), 0);
	assert_int_equal(n.added, 4153);
	assert_string_equal(n.date, "2017-01-01");
	assert_int_equal(count(db, "SELECT COUNT(*) FROM territory_unit WHERE length(code) = 2"), 16);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM territory_unit WHERE length(code) = 4"), 380);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM territory_unit WHERE kind = 'district'"), 18);
	assert_int_equal(terc_import(db, &who, c20, len20, "TERC_urzedowy_2020-01-01.csv", &n, &e, NULL, NULL), 0);
	assert_int_equal(n.rows, 4194);
	assert_int_equal(n.added + n.reopened + n.changed + n.unchanged, 4194);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM territory_unit WHERE valid_to IS NULL"), 4194);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM territory_unit WHERE valid_to = '2020-01-01'"), n.closed);
	assert_true(n.closed > 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM territory_unit WHERE kind IN ('urban', 'rural', "
				   "'urban_rural') AND valid_to IS NULL"), 2477);
	assert_int_equal(territory_get(db, a, "0201011", &u), 0);
	assert_string_equal(u.name, "Bolesławiec");
	assert_int_equal(terc_import(db, &who, c20, len20, "again", &n, &e, NULL, NULL), 0);
	assert_int_equal(n.unchanged, 4194);
	free(x17);
	free(c20);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_idempotent),
		cmocka_unit_test(test_import_later_closes),
		cmocka_unit_test(test_import_refused),
		cmocka_unit_test(test_import_demo_kept),
		cmocka_unit_test(test_real_registers),
	};

	log_set_level(LOG_ERROR + 1);
	if (i18n_init() != 0)
		return 1;
	return TESTDB_RUN("territory_import", tests, 1);
}
