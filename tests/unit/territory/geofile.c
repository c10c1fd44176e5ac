/*
 * tests/unit/territory/geofile.c — reading boundary files: PROJ against
 * points checked with cs2cs (proj-bin), the coordinate system named in
 * the file or detected from its ranges, ring checks (too few points, not
 * closed, orientation, crossing), broken GeoJSON naming the feature, a
 * Shapefile written with shapelib read back, a truncated one refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "territory/geofile.h"

/*
 * echo 500000 500000 | cs2cs -d 9 EPSG:2180 EPSG:4326  ->  52.365947621 19.000000000
 * echo 400000 600000 | cs2cs -d 9 EPSG:2180 EPSG:4326  ->  51.457728912 20.439792438
 * (cs2cs takes EPSG:2180 as northing, easting; we give easting, northing)
 */
static void test_proj_known_points(void **state)
{
	double xy[4] = { 500000, 500000, 600000, 400000 };
	char err[200];

	(void)state;
	assert_int_equal(geo_transform("EPSG:2180", xy, 2, err, sizeof(err)), 0);
	assert_float_equal(xy[0], 19.0, 1e-8);
	assert_float_equal(xy[1], 52.365947621, 1e-8);
	assert_float_equal(xy[2], 20.439792438, 1e-8);
	assert_float_equal(xy[3], 51.457728912, 1e-8);
	assert_int_equal(geo_transform("EPSG:999999", xy, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown coordinate system"));
}

static int read_json(const char *s, struct geo_layer *l, char *err, size_t len)
{
	return geo_read_geojson(s, strlen(s), NULL, l, err, len);
}

#define FC(features) "{\"type\":\"FeatureCollection\",\"features\":[" features "]}"
#define FEAT(code, name, geom) \
	"{\"type\":\"Feature\",\"properties\":{\"terc\":\"" code "\",\"name\":\"" name "\"},\"geometry\":" geom "}"
/* a clockwise outer ring (reversed on reading) with a counter-clockwise hole */
#define SQUARE_CW "{\"type\":\"Polygon\",\"coordinates\":[[[17,52],[17,53],[18,53],[18,52],[17,52]]," \
	"[[17.2,52.2],[17.8,52.2],[17.8,52.8],[17.2,52.8],[17.2,52.2]]]}"

static void test_read_orientation(void **state)
{
	struct geo_layer l;
	char err[300];

	(void)state;
	assert_int_equal(read_json(FC(FEAT("0201011", "Bolesławiec", SQUARE_CW)), &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.f[0].code, "0201011");
	assert_string_equal(l.f[0].name, "Bolesławiec");
	assert_int_equal(l.f[0].nrings, 2);
	assert_true(l.f[0].rings[0].outer);
	assert_false(l.f[0].rings[1].outer);
	assert_true(geo_ring_area2(l.f[0].rings[0].xy, l.f[0].rings[0].n) > 0); /* outer CCW */
	assert_true(geo_ring_area2(l.f[0].rings[1].xy, l.f[0].rings[1].n) < 0); /* hole CW */
	assert_false(l.f[0].rings[0].crosses);
	assert_string_equal(l.crs, "lon/lat");
	geo_layer_free(&l);
}

static void test_numeric_codes(void **state)
{
	/* numbers lose the leading zero of voivodeships 02-08: 1, 3 and 5 digits get it back */
	static const char json[] = FC(
		"{\"type\":\"Feature\",\"properties\":{\"kod\":201},\"geometry\":" SQUARE_CW "},"
		"{\"type\":\"Feature\",\"properties\":{\"kod\":201011},\"geometry\":" SQUARE_CW "},"
		"{\"type\":\"Feature\",\"properties\":{\"kod\":1465011},\"geometry\":" SQUARE_CW "}");
	struct geo_layer l;
	char err[300];

	(void)state;
	assert_int_equal(geo_read_geojson(json, strlen(json), "kod", &l, err, sizeof(err)), 0);
	assert_string_equal(l.f[0].code, "0201");
	assert_string_equal(l.f[1].code, "201011");
	assert_string_equal(l.f[2].code, "1465011");
	assert_string_equal(l.f[0].name, "");
	geo_layer_free(&l);
}

static void test_read_named_and_detected_crs(void **state)
{
	static const char named[] =
		"{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
		"\"urn:ogc:def:crs:EPSG::2180\"}},\"features\":[" FEAT("02", "DOLNOŚLĄSKIE",
		"{\"type\":\"Polygon\",\"coordinates\":[[[500000,500000],[600000,500000],[600000,400000],"
		"[500000,500000]]]}") "]}";
	static const char bare[] = FC(FEAT("02", "x", "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[500000,"
		"500000],[600000,500000],[600000,400000],[500000,500000]]]]}"));
	struct geo_layer l;
	char err[300];
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		const double *p;
		int i, seen = 0;

		assert_int_equal(read_json(k == 0 ? named : bare, &l, err, sizeof(err)), 0);
		assert_string_equal(l.crs, k == 0 ? "urn:ogc:def:crs:EPSG::2180" : "EPSG:2180");
		for (i = 0; i < 4; i++) {
			p = l.f[0].rings[0].xy + 2 * i;
			if (p[0] > 18.99 && p[0] < 19.01) {
				assert_float_equal(p[1], 52.365947621, 1e-8);
				seen++;
			}
			if (p[0] > 20.43 && p[0] < 20.45) {
				assert_float_equal(p[1], 51.457728912, 1e-8);
				seen++;
			}
		}
		assert_int_equal(seen, 3); /* the first point twice (closed), the corner once */
		geo_layer_free(&l);
	}
	assert_int_equal(read_json(FC(FEAT("02", "x", "{\"type\":\"Polygon\",\"coordinates\":[[[5e6,0],[6e6,0],"
		"[6e6,1],[5e6,0]]]}")), &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "neither longitude/latitude nor EPSG:2180"));
}

static void expect_refused(const char *json, const char *what)
{
	struct geo_layer l;
	char err[300];

	assert_int_equal(read_json(json, &l, err, sizeof(err)), -1);
	if (strstr(err, what) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", err, what);
	assert_int_equal(l.n, 0);
}

static void test_read_broken(void **state)
{
	(void)state;
	expect_refused("{\"type\":\"FeatureCollection\",\"features\":[", "not valid JSON");
	expect_refused("[1,2]", "not a GeoJSON FeatureCollection");
	expect_refused(FC(""), "no features");
	expect_refused(FC(FEAT("0201011", "A", SQUARE_CW) "," FEAT("0201022", "Gromadka",
		"{\"type\":\"Polygon\",\"coordinates\":[[[17,52],[17,53],[17,52]]]}")),
		"feature 2 (0201022 Gromadka), ring 1: a ring has 3 points (at least 4 are needed)");
	expect_refused(FC(FEAT("0201022", "Gromadka", "{\"type\":\"Polygon\",\"coordinates\":[[[17,52],[17,53],"
		"[18,53],[18,52]]]}")), "feature 1 (0201022 Gromadka), ring 1: a ring is not closed");
	expect_refused(FC(FEAT("0201022", "Gromadka", "{\"type\":\"Point\",\"coordinates\":[17,52]}")),
		"feature 1 (0201022 Gromadka): geometry type \"Point\" is not Polygon or MultiPolygon");
	expect_refused(FC(FEAT("0201022", "Gromadka", "null")), "feature 1 (0201022 Gromadka): it has no geometry");
	expect_refused(FC(FEAT("0201022", "Gromadka", "{\"type\":\"Polygon\",\"coordinates\":[[[17,52],[17,\"x\"],"
		"[18,53],[17,52]]]}")), "ring 1, point 2 is not a position");
}

static void test_ring_crossing(void **state)
{
	/* a bow tie crosses itself; a square and a concave ring do not */
	static const double bow[] = { 0, 0, 2, 2, 2, 0, 0, 2, 0, 0 };
	static const double square[] = { 0, 0, 1, 0, 1, 1, 0, 1, 0, 0 };
	static const double notch[] = { 0, 0, 4, 0, 4, 4, 2, 1, 0, 4, 0, 0 };
	static const double touch[] = { 0, 0, 4, 0, 4, 4, 2, 0, 0, 4, 0, 0 }; /* touches its own edge */

	(void)state;
	assert_int_equal(geo_ring_crosses(bow, 5), 1);
	assert_int_equal(geo_ring_crosses(square, 5), 0);
	assert_int_equal(geo_ring_crosses(notch, 6), 0);
	assert_int_equal(geo_ring_crosses(touch, 6), 1);
}

static void test_ring_crossing_large(void **state)
{
	/* a 20,000-point star-shaped ring: the sweep finds no crossing, then one when two points swap */
	int n = 20001, i;
	double *xy = malloc(sizeof(double) * 2 * (size_t)n), t;

	(void)state;
	assert_non_null(xy);
	for (i = 0; i < n - 1; i++) {
		double r = 1 + 0.3 * ((i * 7919) % 13) / 13.0;

		xy[2 * i] = r * cos(2 * M_PI * i / (n - 1));
		xy[2 * i + 1] = r * sin(2 * M_PI * i / (n - 1));
	}
	xy[2 * (n - 1)] = xy[0];
	xy[2 * (n - 1) + 1] = xy[1];
	assert_int_equal(geo_ring_crosses(xy, n), 0);
	t = xy[2000];
	xy[2000] = xy[2 * 5000];
	xy[2 * 5000] = t;
	t = xy[2001];
	xy[2001] = xy[2 * 5000 + 1];
	xy[2 * 5000 + 1] = t;
	assert_int_equal(geo_ring_crosses(xy, n), 1);
	free(xy);
}

/* write_shp() writes dir/b.shp (+ .shx, .dbf) with two polygons, the second with a hole. */
static void write_shp(const char *base)
{
	double x1[] = { 17, 17, 18, 18, 17 }, y1[] = { 52, 53, 53, 52, 52 }; /* clockwise: an outer ring */
	double x2[] = { 18, 18, 19, 19, 18, 18.2, 18.8, 18.8, 18.2, 18.2 };
	double y2[] = { 52, 53, 53, 52, 52, 52.2, 52.2, 52.8, 52.8, 52.2 };
	int parts[] = { 0, 5 };
	SHPHandle shp = SHPCreate(base, SHPT_POLYGON);
	DBFHandle dbf = DBFCreate(base);
	SHPObject *o;

	assert_non_null(shp);
	assert_non_null(dbf);
	assert_int_equal(DBFAddField(dbf, "JPT_KOD_JE", FTString, 10, 0), 0);
	assert_int_equal(DBFAddField(dbf, "JPT_NAZWA_", FTString, 40, 0), 1);
	o = SHPCreateSimpleObject(SHPT_POLYGON, 5, x1, y1, NULL);
	assert_int_equal(SHPWriteObject(shp, -1, o), 0);
	SHPDestroyObject(o);
	o = SHPCreateObject(SHPT_POLYGON, -1, 2, parts, NULL, 10, x2, y2, NULL, NULL);
	assert_int_equal(SHPWriteObject(shp, -1, o), 1);
	SHPDestroyObject(o);
	DBFWriteStringAttribute(dbf, 0, 0, "0201011");
	DBFWriteStringAttribute(dbf, 0, 1, "Bolesławiec");
	DBFWriteStringAttribute(dbf, 1, 0, "0201022");
	DBFWriteStringAttribute(dbf, 1, 1, "Gromadka");
	SHPClose(shp);
	DBFClose(dbf);
}

static void test_shapefile(void **state)
{
	char dir[] = "/tmp/razem-geo-XXXXXX", base[64], path[80], err[300];
	struct geo_layer l;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(base, sizeof(base), "%s/b", dir);
	write_shp(base);
	snprintf(path, sizeof(path), "%s.shp", base);
	assert_int_equal(geo_read(path, NULL, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.f[1].code, "0201022");
	assert_string_equal(l.f[1].name, "Gromadka");
	assert_int_equal(l.f[1].nrings, 2);
	assert_true(l.f[1].rings[0].outer);
	assert_false(l.f[1].rings[1].outer);
	assert_true(geo_ring_area2(l.f[0].rings[0].xy, 5) > 0);
	geo_layer_free(&l);
	/* an explicit field that is not there */
	assert_int_equal(geo_read(path, "KOD", &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no field KOD"));
	/* the .shp cut in the middle of its second record */
	assert_non_null(fp = fopen(path, "r+b"));
	assert_int_equal(ftruncate(fileno(fp), 100 + 8 + 44 + 4 + 80 + 8 + 20), 0);
	fclose(fp);
	assert_int_equal(geo_read(path, NULL, &l, err, sizeof(err)), -1);
	if (strstr(err, "corrupt") == NULL && strstr(err, "cannot open it") == NULL)
		fail_msg("%s", err);
	assert_int_equal(l.n, 0);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proj_known_points),
		cmocka_unit_test(test_read_orientation),
		cmocka_unit_test(test_numeric_codes),
		cmocka_unit_test(test_read_named_and_detected_crs),
		cmocka_unit_test(test_read_broken),
		cmocka_unit_test(test_ring_crossing),
		cmocka_unit_test(test_ring_crossing_large),
		cmocka_unit_test(test_shapefile),
	};

	return cmocka_run_group_tests_name("territory_geofile", tests, NULL, NULL);
}
