/*
 * tests/unit/map/layer.c — the data side of the maps on the demo county
 * (its generated boundaries): levels, areas and scales, codes to shapes (a
 * gmina's parts fall to the gmina), the institution-count layers (per unit
 * and per kind, zero is a value), the resource layer's points, and the
 * generation counter moved by the triggers of migration 0009 and by
 * map_data_changed(). On SQLite and, when configured, PostgreSQL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "demo/demo.h"
#include "map/layer.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))

static void test_levels(void **state)
{
	(void)state;
	assert_int_equal(map_level_parse("gmina"), TOPO_LEVEL_GMINA);
	assert_int_equal(map_level_parse("county"), -1);
	assert_string_equal(map_level_code(TOPO_LEVEL_POWIAT), "powiat");
	assert_true(map_within_ok(TOPO_LEVEL_VOIVODESHIP, NULL));
	assert_false(map_within_ok(TOPO_LEVEL_VOIVODESHIP, "30"));
	assert_true(map_within_ok(TOPO_LEVEL_POWIAT, "30"));
	assert_false(map_within_ok(TOPO_LEVEL_POWIAT, "3050"));
	assert_true(map_within_ok(TOPO_LEVEL_GMINA, "3050"));
	assert_false(map_within_ok(TOPO_LEVEL_GMINA, "305"));
	assert_false(map_within_ok(TOPO_LEVEL_GMINA, "3x"));
	assert_false(map_within_ok(TOPO_LEVEL_GMINA, "3050011"));
	assert_int_equal(map_scale_for(TOPO_LEVEL_GMINA, NULL), TOPO_SCALE_COUNTRY);
	assert_int_equal(map_scale_for(TOPO_LEVEL_GMINA, "30"), TOPO_SCALE_REGION);
	assert_int_equal(map_scale_for(TOPO_LEVEL_GMINA, "3050"), TOPO_SCALE_COUNTY);
	assert_null(map_layer_find("nope"));
	assert_non_null(map_layer_find("institutions")->values);
	assert_true(map_layer_find("resources")->points);
}

static void test_counts(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(64u << 20);
	char err[256];
	struct topo t;
	struct map_index *ix;
	double v[32];
	unsigned char has[32];
	int n, i, total = 0, s;

	assert_int_equal(demo_build(db, err, sizeof(err)), 0);
	n = boundary_load(db, a, TOPO_LEVEL_GMINA, "3050", TOPO_SCALE_COUNTY, &t);
	assert_int_equal(n, 10);
	ix = map_index_new(a, &t, TOPO_LEVEL_GMINA);
	assert_non_null(ix);
	s = map_index_find(ix, "3050044"); /* Jarzębin's town part: Jarzębin */
	assert_true(s >= 0);
	assert_string_equal(t.shapes[s].code, "3050043");
	assert_int_equal(map_index_find(ix, "3051011"), -1);
	assert_int_equal(map_index_find(ix, "30"), -1);
	assert_int_equal(map_layer_find("institutions")->values(db, a, map_layer_find("institutions"), TOPO_LEVEL_GMINA,
								"3050", &t, v, has),
			 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(has[i], 1);
		total += (int)v[i];
	}
	assert_int_equal(total, testdb_count(db, "SELECT COUNT(*) FROM institution WHERE active = 1 AND terc LIKE '3050%'"));
	assert_int_equal(map_layer_find("pup")->values(db, a, map_layer_find("pup"), TOPO_LEVEL_GMINA, "3050", &t, v, has),
			 0);
	for (i = 0, total = 0; i < n; i++)
		total += (int)v[i];
	assert_int_equal(total, testdb_count(db, "SELECT COUNT(*) FROM institution WHERE active = 1 AND kind = 'pup'"));
	arena_free(a);
}

static void test_points(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(64u << 20);
	char err[256];
	struct map_point *p;
	struct map_point_kind *k;
	int nk, n, i;

	assert_int_equal(demo_build(db, err, sizeof(err)), 0);
	n = map_institution_points(db, a, "3050", &p, &k, &nk);
	assert_int_equal(n, testdb_count(db, "SELECT COUNT(*) FROM institution WHERE active = 1 AND terc LIKE '3050%'"));
	assert_true(nk >= 17);
	for (i = 0; i < n; i++) {
		assert_true(p[i].lon > 10 && p[i].lon < 30 && p[i].lat > 45 && p[i].lat < 60);
		assert_true(p[i].kind >= 0 && p[i].kind < nk);
		assert_non_null(strstr(p[i].label, " ("));
	}
	arena_free(a);
}

static void test_generation(void **state)
{
	struct db *db = T(state)->db;
	char err[256];
	int64_t g0 = -1, g1 = -1, g2 = -1, g3 = -1;

	assert_int_equal(map_generation(db, &g0), 0);
	assert_int_equal(g0, 0); /* a new database: no row, generation 0 */
	assert_int_equal(demo_build(db, err, sizeof(err)), 0);
	assert_int_equal(map_generation(db, &g1), 0);
	assert_true(g1 > g0);
	assert_int_equal(db_exec(db, "UPDATE institution SET phone = '+48 11 100 00 00' WHERE id = 1"), 0);
	assert_int_equal(map_generation(db, &g2), 0);
	assert_true(g2 > g1);
	assert_int_equal(map_data_changed(db), 0);
	assert_int_equal(map_generation(db, &g3), 0);
	assert_int_equal(g3, g2 + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_levels),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_points),
		cmocka_unit_test(test_generation),
	};

	log_set_level(LOG_ERROR + 1);
	if (i18n_init() != 0)
		return 1;
	return TESTDB_RUN("map layer", tests, 1);
}
