/*
 * tests/unit/map/render.c — the SVG drawing of a tiny topology: two
 * squares sharing one arc. Exact output compared to golden files under
 * tests/unit/map/golden/ (RAZEM_UPDATE_GOLDEN=1 rewrites them; review the
 * diff), the shared border written identically on both sides, "no data"
 * hatched and distinct from zero, legend counts, drill-down links and
 * titles, escaping, points by kind, PNG signature.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "map/map.h"

#define GOLDEN "tests/unit/map/golden/"

static struct arena *a;

/* Two unit squares side by side at 50–51° N: A (20–21° E) and B (21–22° E). */
static struct topo_point p0[] = { { 21, 50 }, { 21, 51 } };                           /* the border */
static struct topo_point p1[] = { { 21, 51 }, { 20, 51 }, { 20, 50 }, { 21, 50 } };   /* A's rest */
static struct topo_point p2[] = { { 21, 50 }, { 22, 50 }, { 22, 51 }, { 21, 51 } };   /* B's rest */
static struct topo_arc arcs[] = { { 2, p0 }, { 4, p1 }, { 4, p2 } };
static int ring_a[] = { 0, 1 }, ring_b[] = { 2, ~0 };
static struct topo_ring rings_a[] = { { 2, ring_a } }, rings_b[] = { { 2, ring_b } };
static unsigned char outer1[] = { 1 };
static struct topo_shape shapes[] = {
	{ "0201011", "Alfa & <Beta>", 1, rings_a, outer1, { 20.5, 50.5 }, { 20, 50, 21, 51 } },
	{ "0201022", "Gamma", 1, rings_b, outer1, { 21.5, 50.5 }, { 21, 50, 22, 51 } },
};
static const struct topo topo = { 3, arcs, 2, shapes, { 20, 50, 22, 51 } };

static int setup(void **state)
{
	(void)state;
	a = arena_new(16u << 20);
	i18n_set_lang(LANG_PL);
	return a == NULL;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(a);
	return 0;
}

static const char *href(void *arg, const struct topo_shape *s)
{
	return arena_printf(arg, "/maps?level=gmina&within=%s", s->code);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *d;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	d = malloc((size_t)n + 1);
	if (d != NULL && fread(d, 1, (size_t)n, fp) != (size_t)n) {
		free(d);
		d = NULL;
	}
	fclose(fp);
	if (d != NULL)
		d[n] = '\0';
	*len = (size_t)n;
	return d;
}

/* golden() compares b with the file name, or writes it when RAZEM_UPDATE_GOLDEN is set. */
static void golden(const struct buf *b, const char *name)
{
	char path[256];
	size_t n = 0;
	char *want;

	snprintf(path, sizeof(path), GOLDEN "%s", name);
	if (getenv("RAZEM_UPDATE_GOLDEN") != NULL) {
		FILE *fp = fopen(path, "wb");

		assert_non_null(fp);
		fwrite(b->data, 1, b->len, fp);
		fclose(fp);
		return;
	}
	want = slurp(path, &n);
	if (want == NULL)
		fail_msg("cannot read %s (run from the repository's top directory)", path);
	if (n != b->len || memcmp(want, b->data, n) != 0) {
		fprintf(stderr, "--- got:\n%s\n", buf_str(b));
		free(want);
		fail_msg("%s differs", path);
	}
	free(want);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void test_boundaries_golden(void **state)
{
	struct map_spec spec = { .title = "Granice", .width = 400, .decimals = -1, .href = href, .href_arg = NULL };
	struct buf b = BUF_INIT(1u << 20);

	(void)state;
	spec.href_arg = a;
	assert_int_equal(map_render(&spec, &topo, a, &b), 0);
	golden(&b, "boundaries.svg");
	assert_non_null(strstr(b.data, "<a href=\"/maps?level=gmina&amp;within=0201011\"><path d=\""));
	assert_non_null(strstr(b.data, "<title>Alfa &amp; &lt;Beta&gt;</title>"));
	assert_null(strstr(b.data, "class=\"legend\""));
	buf_release(&b);
}

/*
 * A has the value 0, B has none: A is filled from the palette (zero is a
 * value), B is hatched, the legend counts one of each.
 */
static void test_zero_and_no_data_golden(void **state)
{
	double v[] = { 0, 0 };
	unsigned char has[] = { 1, 0 };
	struct map_spec spec = { .title = "Liczba instytucji", .period = "stan na 01.12.2026",
				 .source = "Źródło: rejestr instytucji", .note = "Granice: demo",
				 .width = 600, .values = v, .has = has, .method = MAP_QUANTILE, .classes = 3,
				 .decimals = -1, .value_label = "Liczba" };
	struct buf b = BUF_INIT(1u << 20);

	(void)state;
	assert_int_equal(map_render(&spec, &topo, a, &b), 0);
	golden(&b, "zero_nodata.svg");
	assert_int_equal(spec.nodata, 1);
	assert_int_equal(spec.classes_out.nclasses, 1);
	assert_int_equal(spec.classes_out.count[0], 1);
	assert_non_null(strstr(b.data, "<pattern id=\"razem-nodata\""));
	assert_int_equal(count(b.data, "fill=\"url(#razem-nodata)\""), 2); /* B's group and the legend */
	assert_non_null(strstr(b.data, "<title>Gamma: brak danych</title>"));
	assert_non_null(strstr(b.data, "<title>Alfa &amp; &lt;Beta&gt;: 0</title>"));
	assert_non_null(strstr(b.data, ">brak danych (1)</text>"));
	assert_non_null(strstr(b.data, ">0 (1)</text>"));
	buf_release(&b);
}

/* Both squares valued, decimal values: Polish commas in titles and legend, two classes counted. */
static void test_values_legend(void **state)
{
	double v[] = { 1.5, 12345.25 };
	struct map_spec spec = { .title = "Wskaźnik", .width = 600, .values = v, .method = MAP_EQUAL, .classes = 2,
				 .decimals = -1, .palette = MAP_PURPLES };
	struct buf b = BUF_INIT(1u << 20);

	(void)state;
	assert_int_equal(map_render(&spec, &topo, a, &b), 0);
	assert_int_equal(spec.nodata, 0);
	assert_int_equal(spec.classes_out.nclasses, 2);
	assert_non_null(strstr(b.data, "<title>Gamma: 12\u00a0345,25</title>"));
	assert_non_null(strstr(b.data, ">1,50 – 6173,38 (1)</text>"));
	assert_non_null(strstr(b.data, ">6173,38 – 12\u00a0345,25 (1)</text>"));
	assert_non_null(strstr(b.data, ">brak danych (0)</text>"));
	assert_non_null(strstr(b.data, "fill=\"#efedf5\""));
	assert_non_null(strstr(b.data, "role=\"group\" aria-label=\"Wskaźnik\""));
	assert_non_null(strstr(b.data, "<desc>"));
	buf_release(&b);
}

/* The shared border appears in both paths as the same points (one reversed): no gap after rounding. */
static void test_shared_arc(void **state)
{
	struct map_spec spec = { .title = "x", .width = 400 };
	struct buf b = BUF_INIT(1u << 20);
	const char *pa, *pb;
	double ax, ay, bx, by;

	(void)state;
	assert_int_equal(map_render(&spec, &topo, a, &b), 0);
	pa = strstr(strstr(b.data, "class=\"units\""), "<path d=\"M");
	assert_non_null(pa);
	pb = strstr(pa + 1, "<path d=\"M");
	assert_non_null(pb);
	/* A starts at the border's first point (21, 50); B's first point is also (21, 50) */
	assert_int_equal(sscanf(pa, "<path d=\"M%lf %lf", &ax, &ay), 2);
	assert_int_equal(sscanf(pb, "<path d=\"M%lf %lf", &bx, &by), 2);
	assert_true(ax == bx && ay == by);
	buf_release(&b);
}

static void test_points(void **state)
{
	struct map_point pts[] = { { 20.5, 50.5, 0, "OPS Alfa", "/territory/0201011" },
				   { 21.5, 50.5, 1, "PUP <Gamma>", NULL },
				   { 21.4, 50.4, 1, "PUP 2", NULL } };
	struct map_point_kind kinds[] = { { "OPS", 0 }, { "PUP", 0 }, { "CIS", 0 } };
	struct map_spec spec = { .title = "Instytucje", .width = 600, .points = pts, .npoints = 3, .kinds = kinds,
				 .nkinds = 3 };
	struct buf b = BUF_INIT(1u << 20);

	(void)state;
	assert_int_equal(map_render(&spec, &topo, a, &b), 0);
	assert_int_equal(kinds[0].count, 1);
	assert_int_equal(kinds[1].count, 2);
	assert_int_equal(kinds[2].count, 0);
	assert_non_null(strstr(b.data, "<title>PUP &lt;Gamma&gt;</title>"));
	assert_non_null(strstr(b.data, ">PUP (2)</text>"));
	assert_null(strstr(b.data, ">CIS ("));
	assert_int_equal(count(b.data, "<circle"), 2); /* OPS's marker and its legend entry */
	buf_release(&b);
}

/* Every unit without data: all hatched, no class, the legend still counts them. */
static void test_all_no_data(void **state)
{
	double v[] = { 0, 0 };
	unsigned char has[] = { 0, 0 };
	struct map_spec spec = { .title = "x", .width = 600, .values = v, .has = has, .decimals = -1 };
	struct buf b = BUF_INIT(1u << 20);

	(void)state;
	assert_int_equal(map_render(&spec, &topo, a, &b), 0);
	assert_int_equal(spec.classes_out.nclasses, 0);
	assert_int_equal(spec.nodata, 2);
	assert_non_null(strstr(b.data, ">brak danych (2)</text>"));
	assert_int_equal(count(b.data, "<title>"), 3); /* the map's and the two units' */
	buf_release(&b);
}

static void test_bad(void **state)
{
	struct map_spec spec = { .title = "x" };
	struct topo empty = { 0, NULL, 0, NULL, { 0, 0, 0, 0 } };
	struct buf b = BUF_INIT(1u << 20);
	double v[] = { 1, 2 };

	(void)state;
	assert_int_equal(map_render(&spec, &empty, a, &b), -1);
	spec.values = v;
	spec.method = MAP_MANUAL; /* without breaks */
	assert_int_equal(map_render(&spec, &topo, a, &b), -1);
	buf_release(&b);
}

static void test_png(void **state)
{
	struct map_spec spec = { .title = "PNG", .width = 300 };
	struct buf svg = BUF_INIT(1u << 20), png = BUF_INIT(8u << 20);
	char err[128];

	(void)state;
	assert_int_equal(map_render(&spec, &topo, a, &svg), 0);
	assert_int_equal(map_png(svg.data, svg.len, &png, err, sizeof(err)), 0);
	assert_true(png.len > 8);
	assert_memory_equal(png.data, "\x89PNG\r\n\x1a\n", 8);
	buf_reset(&png);
	assert_int_equal(map_png("<svg", 4, &png, err, sizeof(err)), -1);
	buf_release(&svg);
	buf_release(&png);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundaries_golden),
		cmocka_unit_test(test_zero_and_no_data_golden),
		cmocka_unit_test(test_values_legend),
		cmocka_unit_test(test_shared_arc),
		cmocka_unit_test(test_points),
		cmocka_unit_test(test_all_no_data),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_png),
	};

	i18n_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
