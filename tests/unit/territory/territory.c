/*
 * tests/unit/territory/territory.c — territorial units on a migrated
 * database (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL): kind codes
 * and labels, insert and update (upsert) with territory_put(), the parent
 * constraint and the code-length CHECK, reads of one unit, of a unit's
 * children (by code) and of all gminas (by name, then code), and the
 * "Name (kind, powiat Parent)" descriptions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/log.h"
#include "territory/territory.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))

static const struct territory_unit units[] = {
	{ "30", "WIELKOPOLSKIE", UNIT_VOIVODESHIP, NULL, 0 },
	{ "3050", "przykładowy", UNIT_POWIAT, "30", 1 },
	{ "3050073", "Olszyny", UNIT_URBAN_RURAL, "3050", 1 },
	{ "3050022", "Brzozowo", UNIT_RURAL, "3050", 1 },
	{ "3050074", "Olszyny", UNIT_TOWN_PART, "3050", 1 },
	{ "3050011", "Przykładowo", UNIT_URBAN, "3050", 1 },
	{ "3061", "Poznań", UNIT_CITY_POWIAT, "30", 0 },
	{ "3061011", "Poznań", UNIT_URBAN, "3061", 0 },
};

static void put_all(struct db *db)
{
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		assert_int_equal(territory_put(db, &units[i]), DB_OK);
}

static void test_kinds(void **state)
{
	static const char *const codes[] = { "voivodeship", "powiat", "city_powiat", "urban", "rural",
					     "urban_rural", "town_part", "rural_part", "district",
					     "delegation" };
	int k;

	(void)state;
	for (k = 0; k < UNIT__MAX; k++) {
		assert_string_equal(unit_kind_code((enum unit_kind)k), codes[k]);
		assert_int_equal(unit_kind_parse(codes[k]), k);
		assert_true(strlen(unit_kind_label((enum unit_kind)k)) > 0);
	}
	assert_int_equal(unit_kind_parse("gmina"), -1);
	assert_int_equal(unit_kind_parse(NULL), -1);
	assert_string_equal(unit_kind_code(UNIT__MAX), "");
	assert_string_equal(unit_kind_label(UNIT__MAX), "");
	i18n_set_lang(LANG_EN);
	assert_string_equal(unit_kind_label(UNIT_RURAL), "rural gmina");
	i18n_set_lang(LANG_PL);
	assert_string_equal(unit_kind_label(UNIT_RURAL), "gmina wiejska");
	i18n_set_lang(LANG_EN);
}

static void test_put_get(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct territory_unit u, bad = { "3099011", "Nigdzie", UNIT_RURAL, "3099", 0 };
	struct territory_unit badlen = { "30500", "Za długi", UNIT_RURAL, "3050", 0 };
	struct territory_unit renamed = { "3050022", "Brzozowo Wielkie", UNIT_URBAN_RURAL, "3050", 0 };

	put_all(db);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM territory_unit"), 8);
	assert_int_equal(territory_get(db, a, "3050022", &u), 0);
	assert_string_equal(u.code, "3050022");
	assert_string_equal(u.name, "Brzozowo");
	assert_int_equal(u.kind, UNIT_RURAL);
	assert_string_equal(u.parent_code, "3050");
	assert_int_equal(u.fictional, 1);
	assert_int_equal(territory_get(db, a, "30", &u), 0);
	assert_null(u.parent_code);
	assert_int_equal(u.kind, UNIT_VOIVODESHIP);
	assert_int_equal(u.fictional, 0);
	assert_int_equal(territory_get(db, a, "3050099", &u), 1);
	assert_int_equal(territory_get(db, a, "", &u), 1);

	assert_int_equal(territory_put(db, &bad), DB_CONSTRAINT); /* no such parent */
	assert_int_equal(territory_put(db, &badlen), DB_CONSTRAINT); /* code length */
	assert_int_equal(territory_put(db, &renamed), DB_OK);     /* an update */
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM territory_unit"), 8);
	assert_int_equal(territory_get(db, a, "3050022", &u), 0);
	assert_string_equal(u.name, "Brzozowo Wielkie");
	assert_int_equal(u.kind, UNIT_URBAN_RURAL);
	assert_int_equal(u.fictional, 0);
	arena_free(a);
}

static void test_children_gminas(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct territory_unit *v = NULL, many;
	char code[8], name[16];
	int i;

	put_all(db);
	assert_int_equal(territory_children(db, a, "3050", &v), 4);
	assert_string_equal(v[0].code, "3050011");
	assert_string_equal(v[1].code, "3050022");
	assert_string_equal(v[2].code, "3050073");
	assert_string_equal(v[3].code, "3050074");
	assert_int_equal(v[3].kind, UNIT_TOWN_PART);
	assert_int_equal(territory_children(db, a, "30", &v), 2);
	assert_string_equal(v[0].code, "3050");
	assert_string_equal(v[1].code, "3061");
	assert_int_equal(territory_children(db, a, "3050022", &v), 0);

	assert_int_equal(territory_gminas(db, a, &v), 5);
	assert_string_equal(v[0].name, "Brzozowo");
	assert_string_equal(v[1].code, "3050073"); /* Olszyny twice: by code */
	assert_string_equal(v[2].code, "3050074");
	assert_string_equal(v[3].name, "Poznań");
	assert_string_equal(v[4].name, "Przykładowo");

	/* more than the first allocation (16) */
	for (i = 0; i < 40; i++) {
		snprintf(code, sizeof(code), "3050%03d", 200 + i);
		snprintf(name, sizeof(name), "Gmina %02d", i);
		many = (struct territory_unit){ code, name, UNIT_RURAL, "3050", 1 };
		assert_int_equal(territory_put(db, &many), DB_OK);
	}
	assert_int_equal(territory_children(db, a, "3050", &v), 44);
	assert_string_equal(v[43].code, "3050239");
	assert_string_equal(v[43].name, "Gmina 39");
	assert_int_equal(territory_gminas(db, a, &v), 45);
	arena_free(a);
}

static void test_describe(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);

	put_all(db);
	i18n_set_lang(LANG_EN);
	assert_string_equal(territory_describe(db, a, "3050022"), "Brzozowo (rural gmina, powiat przykładowy)");
	assert_string_equal(territory_describe(db, a, "3061011"), "Poznań (urban gmina, Poznań)");
	assert_string_equal(territory_describe(db, a, "3050"), "przykładowy (powiat, WIELKOPOLSKIE)");
	assert_string_equal(territory_describe(db, a, "30"), "WIELKOPOLSKIE (voivodeship)");
	assert_null(territory_describe(db, a, "3050999"));
	assert_null(territory_describe(db, a, NULL));
	assert_string_equal(territory_format(a, "X", unit_kind_code(UNIT_DISTRICT), NULL, NULL), "X (district of Warsaw)");
	assert_string_equal(territory_format(a, "X", "rural", "P", unit_kind_code(UNIT_POWIAT)), "X (rural gmina, powiat P)");
	assert_string_equal(territory_format(a, "X", "unknown-kind", "P", "powiat"), "X"); /* name alone */
	i18n_set_lang(LANG_PL);
	assert_string_equal(territory_describe(db, a, "3050022"), "Brzozowo (gmina wiejska, powiat przykładowy)");
	i18n_set_lang(LANG_EN);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_kinds),
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_children_gminas),
		cmocka_unit_test(test_describe),
	};

	log_set_level(LOG_ERROR + 1);
	if (i18n_init() != 0)
		return 1;
	return TESTDB_RUN("territory", tests, 1);
}
