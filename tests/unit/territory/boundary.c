/*
 * tests/unit/territory/boundary.c — importing boundaries into the
 * database (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL): the code
 * matching rule, an import read back by boundary_load() with shared arcs,
 * neighbours, unknown codes reported by name and left out, a refused
 * import keeping the previous boundaries, a re-import replacing them, the
 * demo county's generated boundaries, and the real register with the
 * real gmina boundaries of ../shared/data when they are there.
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
#include "territory/boundary.h"
#include "territory/import.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))

static const struct boundary_unit gminas[] = {
	{ "0201011", "Bolesławiec", UNIT_URBAN },
	{ "0201022", "Bolesławiec", UNIT_RURAL },
	{ "1004063", "Piątek", UNIT_URBAN_RURAL },
	{ "1401011", "Białobrzegi", UNIT_URBAN },
	{ "1401013", "Białobrzegi bis", UNIT_URBAN_RURAL }, /* invented: two gminas of one 6-digit prefix */
};

static void test_match_rule(void **state)
{
	int w;

	(void)state;
	assert_int_equal(boundary_match_code(gminas, 5, TOPO_LEVEL_GMINA, "0201022", &w), BOUNDARY_EXACT);
	assert_int_equal(w, 1);
	/* the kind digit changed (2 -> 3 in 2020): the 6 digits name one gmina */
	assert_int_equal(boundary_match_code(gminas, 5, TOPO_LEVEL_GMINA, "1004062", &w), BOUNDARY_PREFIX);
	assert_int_equal(w, 2);
	/* a 6-digit code without the kind digit */
	assert_int_equal(boundary_match_code(gminas, 5, TOPO_LEVEL_GMINA, "100406", &w), BOUNDARY_PREFIX);
	assert_int_equal(w, 2);
	assert_int_equal(boundary_match_code(gminas, 5, TOPO_LEVEL_GMINA, "140101", &w), BOUNDARY_AMBIGUOUS);
	assert_int_equal(boundary_match_code(gminas, 5, TOPO_LEVEL_GMINA, "1401012", &w), BOUNDARY_AMBIGUOUS);
	assert_int_equal(w, -1);
	assert_int_equal(boundary_match_code(gminas, 5, TOPO_LEVEL_GMINA, "0201033", &w), BOUNDARY_UNKNOWN);
	assert_int_equal(boundary_match_code(gminas, 5, TOPO_LEVEL_GMINA, "", &w), BOUNDARY_UNKNOWN);
	/* no prefix rule above the gminas */
	assert_int_equal(boundary_match_code(gminas, 5, TOPO_LEVEL_POWIAT, "0201", &w), BOUNDARY_UNKNOWN);
	assert_int_equal(boundary_level_of_code("0201011"), TOPO_LEVEL_GMINA);
	assert_int_equal(boundary_level_of_code("020101"), TOPO_LEVEL_GMINA);
	assert_int_equal(boundary_level_of_code("0201"), TOPO_LEVEL_POWIAT);
	assert_int_equal(boundary_level_of_code("02x"), -1);
}

static const char reg[] =
	"WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n"
	"02;;;;DOLNOŚLĄSKIE;województwo;2020-01-01\n"
	"02;01;;;bolesławiecki;powiat;2020-01-01\n"
	"02;01;01;1;Bolesławiec;gmina miejska;2020-01-01\n"
	"02;01;02;2;Bolesławiec;gmina wiejska;2020-01-01\n"
	"02;01;03;3;Gromadka;gmina miejsko-wiejska;2020-01-01\n"
	"02;01;03;4;Gromadka;miasto;2020-01-01\n"
	"02;01;03;5;Gromadka;obszar wiejski;2020-01-01\n";

#define FC(f) "{\"type\":\"FeatureCollection\",\"features\":[" f "]}"
#define SQ2(code, name, x, x2) \
	"{\"type\":\"Feature\",\"properties\":{\"terc\":\"" code "\",\"name\":\"" name "\"},\"geometry\":" \
	"{\"type\":\"Polygon\",\"coordinates\":[[[" #x ",51],[" #x2 ",51],[" #x2 ",51.5],[" #x ",51.5],[" #x ",51]]]}}"
/* a half-degree square from x */
#define SQ(code, name, x) SQ2(code, name, x, x##.5)

/* three squares in a row: 0201011, 0201022 and Gromadka under its old kind digit 2 */
static const char three[] = FC(SQ("0201011", "Bolesławiec", 15) "," SQ2("0201022", "Bolesławiec", 15.5, 16) ","
			       SQ2("0201032", "Gromadka", 16, 16.5));

struct notes {
	int n;
	char msg[16][512];
};

static void take_note(void *arg, const char *msg)
{
	struct notes *n = arg;

	if (n->n < 16)
		snprintf(n->msg[n->n++], sizeof(n->msg[0]), "%s", msg);
}

static int has_note(const struct notes *n, const char *s)
{
	int i;

	for (i = 0; i < n->n; i++)
		if (strstr(n->msg[i], s) != NULL)
			return 1;
	return 0;
}

static int import(struct db *db, const char *json, int level, struct notes *notes, struct boundary_report *r,
		  char *err, size_t errlen)
{
	struct audit_actor who = { 0, "(test)", 0, "local" };
	struct boundary_opts o = { level, 0, take_note, notes };
	struct geo_layer l;
	int rc;

	memset(notes, 0, sizeof(*notes));
	if (geo_read_geojson(json, strlen(json), NULL, &l, err, errlen) != 0)
		return 2;
	rc = boundary_import(db, &who, &l, &o, "test.json", r, err, errlen);
	geo_layer_free(&l);
	return rc;
}

static void load_register(struct db *db)
{
	struct audit_actor who = { 0, "(test)", 0, "local" };
	struct terc_import_counts n;
	struct terc_errs e;

	assert_int_equal(terc_import(db, &who, reg, strlen(reg), "t.csv", &n, &e, NULL, NULL), 0);
}

/* check_topo() checks what the renderer relies on: refs in range, each arc used once or twice, rings closed. */
static void check_topo(const struct topo *t)
{
	int *uses = calloc((size_t)t->narcs + 1, sizeof(int)), i, j, k;

	for (i = 0; i < t->nshapes; i++)
		for (j = 0; j < t->shapes[i].nrings; j++) {
			const struct topo_ring *r = &t->shapes[i].rings[j];

			for (k = 0; k < r->n; k++) {
				int a = r->arcs[k], b = r->arcs[(k + 1) % r->n];
				const struct topo_arc *x = &t->arcs[a < 0 ? ~a : a], *y = &t->arcs[b < 0 ? ~b : b];
				struct topo_point end = a < 0 ? x->pts[0] : x->pts[x->n - 1];
				struct topo_point start = b < 0 ? y->pts[y->n - 1] : y->pts[0];

				assert_in_range(a < 0 ? ~a : a, 0, t->narcs - 1);
				uses[a < 0 ? ~a : a]++;
				assert_true(end.x == start.x && end.y == start.y); /* no gap between arcs */
			}
		}
	for (i = 0; i < t->narcs; i++)
		assert_in_range(uses[i], 1, 2);
	free(uses);
}

static void test_import_and_load(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct boundary_report r;
	struct notes notes;
	struct territory_unit *nb;
	struct topo t;
	char err[512];
	int s;

	load_register(db);
	assert_int_equal(import(db, three, -1, &notes, &r, err, sizeof(err)), 0);
	assert_int_equal(r.level, TOPO_LEVEL_GMINA);
	assert_int_equal(r.imported, 3);
	assert_int_equal(r.by_prefix, 1);
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.arcs, 6); /* two shared edges, the outer runs of A and C, B's top and bottom */
	assert_true(has_note(&notes, "feature 3 (0201032 Gromadka): matched to 0201033 Gromadka by its first 6 digits"));
	for (s = 0; s < TOPO_SCALE__MAX; s++) {
		assert_int_equal(boundary_load(db, a, TOPO_LEVEL_GMINA, NULL, (enum topo_scale)s, &t), 3);
		assert_int_equal(t.narcs, 6);
		check_topo(&t);
	}
	assert_string_equal(t.shapes[2].code, "0201033");
	assert_string_equal(t.shapes[2].name, "Gromadka");
	assert_float_equal(t.bbox[0], 15, 1e-9);
	assert_float_equal(t.bbox[2], 16.5, 1e-9);
	assert_true(t.shapes[0].label.x > 15 && t.shapes[0].label.x < 15.5);
	/* within a powiat, and within one that has none */
	assert_int_equal(boundary_load(db, a, TOPO_LEVEL_GMINA, "0201", TOPO_SCALE_COUNTY, &t), 3);
	assert_int_equal(t.narcs, 6);
	assert_int_equal(boundary_load(db, a, TOPO_LEVEL_GMINA, "0202", TOPO_SCALE_COUNTY, &t), 0);
	assert_int_equal(boundary_load(db, a, TOPO_LEVEL_POWIAT, NULL, TOPO_SCALE_COUNTY, &t), 0);
	/* the middle square has two neighbours, the last one */
	assert_int_equal(boundary_neighbours(db, a, "0201022", &nb), 2);
	assert_int_equal(boundary_neighbours(db, a, "0201033", &nb), 1);
	assert_string_equal(nb[0].code, "0201022");
	assert_int_equal(boundary_neighbours(db, a, "0201034", &nb), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'territory.boundaries'"), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM boundary_shape WHERE source_code = '0201032'"), 1);
	arena_free(a);
}

static void test_unknown_reported(void **state)
{
	struct db *db = T(state)->db;
	struct boundary_report r;
	struct notes notes;
	char err[512];

	load_register(db);
	assert_int_equal(import(db, FC(SQ("0201011", "Bolesławiec", 15) "," SQ2("0299011", "Nibylandia", 15.5, 16)), -1,
			      &notes, &r, err, sizeof(err)), 0);
	assert_int_equal(r.imported, 1);
	assert_int_equal(r.skipped, 1);
	assert_true(has_note(&notes, "feature 2 (0299011 Nibylandia): no open gmina of the register has this code"));
	assert_true(has_note(&notes, "0201022 Bolesławiec: no boundary in the file"));
	assert_int_equal(r.missing, 2);
	/* the same feature twice: the second is reported */
	assert_int_equal(import(db, FC(SQ("0201011", "Bolesławiec", 15) "," SQ2("0201011", "Bolesławiec 2", 15.5, 16)), -1,
			      &notes, &r, err, sizeof(err)), 0);
	assert_int_equal(r.skipped, 1);
	assert_true(has_note(&notes, "feature 2 (0201011 Bolesławiec 2): the unit 0201011 Bolesławiec already has "
				     "the boundary of feature 1"));
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM boundary_shape WHERE level = 3"), 1);
}

static void test_refused_keeps_previous(void **state)
{
	struct db *db = T(state)->db;
	struct audit_actor who = { 0, "(test)", 0, "local" };
	struct boundary_opts strict = { -1, 1, NULL, NULL };
	struct boundary_report r;
	struct notes notes;
	struct geo_layer l;
	char err[512];
	static const char unknown[] = FC(SQ("0201011", "Bolesławiec", 15) "," SQ2("0299011", "Nibylandia", 15.5, 16));

	load_register(db);
	assert_int_equal(import(db, three, -1, &notes, &r, err, sizeof(err)), 0);
	/* nothing matches: refused */
	assert_int_equal(import(db, FC(SQ("0299011", "Nibylandia", 15)), -1, &notes, &r, err, sizeof(err)), 1);
	assert_string_equal(err, "no feature matches a gmina of the register");
	/* --strict with one unknown code: refused */
	assert_int_equal(geo_read_geojson(unknown, strlen(unknown), NULL, &l, err, sizeof(err)), 0);
	assert_int_equal(boundary_import(db, &who, &l, &strict, "t", &r, err, sizeof(err)), 1);
	geo_layer_free(&l);
	assert_string_equal(err, "1 features match no unit (--strict)");
	/* a broken file never reaches the database */
	assert_int_equal(import(db, FC(SQ("0201011", "Bolesławiec", 15) ",{\"type\":\"Feature\",\"properties\":"
				       "{\"terc\":\"0201022\",\"name\":\"Bolesławiec\"},\"geometry\":{\"type\":"
				       "\"Polygon\",\"coordinates\":[[[1,1],[2,2],[1,1]]]}}"),
			      -1, &notes, &r, err, sizeof(err)), 2);
	assert_non_null(strstr(err, "feature 2 (0201022 Bolesławiec), ring 1: a ring has 3 points"));
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM boundary_shape WHERE level = 3"), 3);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM boundary_arc WHERE level = 3"), 6);
	/* a re-import replaces the level */
	assert_int_equal(import(db, FC(SQ("0201011", "Bolesławiec", 15)), -1, &notes, &r, err, sizeof(err)), 0);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM boundary_shape WHERE level = 3"), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM boundary_arc WHERE level = 3"), 1);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM boundary_shape_arc WHERE level = 3"), 1);
}

static void test_voivodeship_and_country(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct boundary_report r;
	struct notes notes;
	struct topo t;
	char err[512];

	load_register(db);
	assert_int_equal(import(db, FC(SQ("02", "DOLNOŚLĄSKIE", 15)), TOPO_LEVEL_VOIVODESHIP, &notes, &r, err,
			      sizeof(err)), 0);
	assert_int_equal(boundary_load(db, a, TOPO_LEVEL_COUNTRY, NULL, TOPO_SCALE_COUNTRY, &t), 1);
	assert_string_equal(t.shapes[0].code, "PL");
	assert_int_equal(t.shapes[0].nrings, 1);
	assert_true(t.shapes[0].outer[0]);
	check_topo(&t);
	/* a gmina code with --level voivodeship matches nothing */
	assert_int_equal(import(db, three, TOPO_LEVEL_VOIVODESHIP, &notes, &r, err, sizeof(err)), 1);
	arena_free(a);
}

static void test_demo(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(4 << 20);
	struct territory_unit *nb;
	struct topo t;
	char err[256];
	int i, n;

	assert_int_equal(demo_build(db, err, sizeof(err)), 0);
	assert_int_equal(boundary_load(db, a, TOPO_LEVEL_GMINA, "3050", TOPO_SCALE_COUNTY, &t), 10);
	check_topo(&t);
	for (i = 0; i < t.nshapes; i++)
		assert_true(strncmp(t.shapes[i].code, "3050", 4) == 0);
	assert_int_equal(boundary_load(db, a, TOPO_LEVEL_POWIAT, "30", TOPO_SCALE_COUNTY, &t), 1);
	assert_int_equal(boundary_load(db, a, TOPO_LEVEL_VOIVODESHIP, NULL, TOPO_SCALE_COUNTRY, &t), 1);
	assert_int_equal(boundary_load(db, a, TOPO_LEVEL_COUNTRY, NULL, TOPO_SCALE_COUNTRY, &t), 1);
	/* the town is an enclave of the rural gmina of the same name */
	assert_int_equal(boundary_neighbours(db, a, "3050011", &nb), 1);
	assert_string_equal(nb[0].code, "3050082");
	n = boundary_neighbours(db, a, "3050082", &nb);
	assert_true(n >= 6);
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM boundary_shape WHERE fictional = 0"), 0);
	arena_free(a);
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
	*len = fread(s, 1, (size_t)n, fp);
	fclose(fp);
	return s;
}

#define DATA "../shared/data/"

static void test_real_gminas(void **state)
{
	struct db *db = T(state)->db;
	struct audit_actor who = { 0, "(test)", 0, "local" };
	struct boundary_opts o = { -1, 0, NULL, NULL };
	struct terc_import_counts n;
	struct boundary_report r;
	struct terc_errs e;
	struct geo_layer l;
	struct topo t;
	struct arena *a;
	char err[512];
	size_t len = 0;
	long pts = 0;
	int i, j, k;
	char *terc = slurp(DATA "teryt/TERC_urzedowy_2020-01-01.csv", &len);

	if (terc == NULL || geo_read(DATA "boundaries/jusuff_PolandGeoJson/poland.municipalities.json", NULL, &l,
				     err, sizeof(err)) != 0) {
		free(terc);
		printf("# SKIP the real boundaries: " DATA " is not there\n");
		skip();
	}
	assert_int_equal(terc_import(db, &who, terc, len, "TERC", &n, &e, NULL, NULL), 0);
	free(terc);
	assert_int_equal(boundary_import(db, &who, &l, &o, "gminy", &r, err, sizeof(err)), 0);
	geo_layer_free(&l);
	assert_int_equal(r.imported, 2477);
	assert_int_equal(r.by_prefix, 4); /* the four gminas that became urban-rural on 2020-01-01 */
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.missing, 0);
	assert_int_equal(r.crossing, 0);
	a = arena_new(64u << 20);
	assert_int_equal(boundary_load(db, a, TOPO_LEVEL_GMINA, NULL, TOPO_SCALE_COUNTRY, &t), 2477);
	check_topo(&t);
	for (i = 0; i < t.nshapes; i++)
		for (j = 0; j < t.shapes[i].nrings; j++)
			for (k = 0; k < t.shapes[i].rings[j].n; k++) {
				int id = t.shapes[i].rings[j].arcs[k];

				pts += t.arcs[id < 0 ? ~id : id].n - 1;
			}
	/* the country map: well under 0.5 MB of path data at ~10 bytes a point */
	assert_true(pts < 45000);
	assert_true(pts > 20000);
	assert_int_equal(boundary_load(db, a, TOPO_LEVEL_GMINA, "0201", TOPO_SCALE_COUNTY, &t), 6);
	check_topo(&t);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_match_rule),
		cmocka_unit_test(test_import_and_load),
		cmocka_unit_test(test_unknown_reported),
		cmocka_unit_test(test_refused_keeps_previous),
		cmocka_unit_test(test_voivodeship_and_country),
		cmocka_unit_test(test_demo),
		cmocka_unit_test(test_real_gminas),
	};

	log_set_level(LOG_ERROR + 1);
	if (i18n_init() != 0)
		return 1;
	return TESTDB_RUN("territory_boundary", tests, 1);
}
