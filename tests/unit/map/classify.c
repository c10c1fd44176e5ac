/*
 * tests/unit/map/classify.c — classification methods against worked
 * examples (quantiles as R's type 7, equal intervals, Jenks natural breaks
 * on a published example, manual breaks), merged classes, bad arguments,
 * the palettes (sizes, lightness falling class by class so they survive
 * greyscale) and numbers written the Polish and the English way.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "map/map.h"

static struct arena *a;

static int setup(void **state)
{
	(void)state;
	a = arena_new(64u << 20);
	return a == NULL;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(a);
	i18n_set_lang(LANG_PL);
	return 0;
}

static void expect_bounds(const struct map_classes *c, const double *want, int n)
{
	int i;

	assert_int_equal(c->nclasses, n);
	for (i = 0; i <= n; i++)
		if (fabs(c->bounds[i] - want[i]) > 1e-9)
			fail_msg("bound %d: %g, expected %g", i, c->bounds[i], want[i]);
}

/*
 * 1.5..10.5 in five quantile classes: R's quantile(1:10 + .5, seq(0, 1, .2))
 * = 1.5 3.3 5.1 6.9 8.7 10.5. The counts 1..10 get the same classes with the
 * inner bounds rounded down (2.8 -> 2: "up to 2").
 */
static void test_quantile(void **state)
{
	double v[] = { 10.5, 9.5, 8.5, 7.5, 6.5, 5.5, 4.5, 3.5, 2.5, 1.5 }, want[] = { 1.5, 3.3, 5.1, 6.9, 8.7, 10.5 };
	double counts[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }, want_counts[] = { 1, 2, 4, 6, 8, 10 };
	struct map_classes c;
	int i;

	(void)state;
	assert_int_equal(map_classify(a, MAP_QUANTILE, v, 10, 5, NULL, 0, &c), 0);
	expect_bounds(&c, want, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(c.count[i], 2);
	assert_int_equal(map_class_of(&c, 1.5), 0);
	assert_int_equal(map_class_of(&c, 3.3), 0);
	assert_int_equal(map_class_of(&c, 3.31), 1);
	assert_int_equal(map_class_of(&c, 10.5), 4);
	assert_int_equal(map_classify(a, MAP_QUANTILE, counts, 10, 5, NULL, 0, &c), 0);
	expect_bounds(&c, want_counts, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(c.count[i], 2);
}

/*
 * Many zeros: type 7 gives 0, 0, 0, 0.75, 3 (0.75 rounded down to 0 for
 * counts); repeated bounds are merged, the first class holds exactly the
 * zeros. Values 0 0 0 0 0 0 0 .5 1 1.5 keep 0.375. All values equal: one class.
 */
static void test_quantile_ties(void **state)
{
	double v[] = { 0, 0, 0, 0, 0, 0, 0, 0.5, 1, 1.5 }, want[] = { 0, 0, 0.375, 1.5 };
	double same[] = { 4, 4, 4 }, want_same[] = { 4, 4 };
	struct map_classes c;

	(void)state;
	assert_int_equal(map_classify(a, MAP_QUANTILE, v, 10, 4, NULL, 0, &c), 0);
	expect_bounds(&c, want, 3);
	assert_int_equal(c.count[0], 7);
	assert_int_equal(c.count[1], 0);
	assert_int_equal(c.count[2], 3);
	{
		double counts[] = { 0, 0, 0, 0, 0, 0, 0, 1, 2, 3 }, want_counts[] = { 0, 0, 3 };

		assert_int_equal(map_classify(a, MAP_QUANTILE, counts, 10, 4, NULL, 0, &c), 0);
		expect_bounds(&c, want_counts, 2);
		assert_int_equal(c.count[0], 7);
		assert_int_equal(c.count[1], 3);
	}
	assert_int_equal(map_classify(a, MAP_EQUAL, same, 3, 5, NULL, 0, &c), 0);
	expect_bounds(&c, want_same, 1);
	assert_int_equal(c.count[0], 3);
}

static void test_equal(void **state)
{
	double v[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 25 }, want[] = { 0, 5, 10, 15, 20, 25 };
	struct map_classes c;

	(void)state;
	assert_int_equal(map_classify(a, MAP_EQUAL, v, 12, 5, NULL, 0, &c), 0);
	expect_bounds(&c, want, 5);
	assert_int_equal(c.count[0], 6); /* 0..5 */
	assert_int_equal(c.count[1], 5); /* 6..10 */
	assert_int_equal(c.count[2], 0);
	assert_int_equal(c.count[3], 0);
	assert_int_equal(c.count[4], 1);
}

/*
 * The worked example of the "jenks" package (github.com/42arch/Jenks,
 * README "Usage"), a port of Jenks' 1977 Fortran via T. MacWright's
 * "literate Jenks" (macwright.com/2013/02/18/literate-jenks):
 * [1, 2, 5, 15, 45, 89.3, 112, 31, 120, 0.5] in 3 classes gives
 * [0.5, 15, 45, 120].
 */
static void test_jenks_published(void **state)
{
	double v[] = { 1, 2, 5, 15, 45, 89.3, 112, 31, 120, 0.5 }, want[] = { 0.5, 15, 45, 120 };
	struct map_classes c;

	(void)state;
	assert_int_equal(map_classify(a, MAP_JENKS, v, 10, 3, NULL, 0, &c), 0);
	expect_bounds(&c, want, 3);
	assert_int_equal(c.count[0], 5);
	assert_int_equal(c.count[1], 2);
	assert_int_equal(c.count[2], 3);
}

/* Three obvious clusters are found whatever their order; more classes than values is capped. */
static void test_jenks_clusters(void **state)
{
	double v[] = { 101, 3, 52, 1, 100, 2, 50, 51, 102 }, want[] = { 1, 3, 52, 102 };
	double few[] = { 4, 8 };
	struct map_classes c;

	(void)state;
	assert_int_equal(map_classify(a, MAP_JENKS, v, 9, 3, NULL, 0, &c), 0);
	expect_bounds(&c, want, 3);
	assert_int_equal(map_classify(a, MAP_JENKS, few, 2, 5, NULL, 0, &c), 0);
	assert_int_equal(c.nclasses, 2);
}

static void test_manual(void **state)
{
	double v[] = { 0, 3, 7, 12, 40 }, br[] = { 5, 10, 20 }, want[] = { 0, 5, 10, 20, 40 };
	double bad[] = { 5, 5 };
	struct map_classes c;

	(void)state;
	assert_int_equal(map_classify(a, MAP_MANUAL, v, 5, 0, br, 3, &c), 0);
	expect_bounds(&c, want, 4);
	assert_int_equal(c.count[0], 2);
	assert_int_equal(c.count[1], 1);
	assert_int_equal(c.count[2], 1);
	assert_int_equal(c.count[3], 1);
	assert_int_equal(map_classify(a, MAP_MANUAL, v, 5, 0, bad, 2, &c), -1);
	assert_int_equal(map_classify(a, MAP_MANUAL, v, 5, 0, br, 0, &c), -1);
}

static void test_bad_arguments(void **state)
{
	double v[] = { 1, 2, 3 };
	struct map_classes c;

	(void)state;
	assert_int_equal(map_classify(a, MAP_QUANTILE, v, 0, 3, NULL, 0, &c), -1);
	assert_int_equal(map_classify(a, MAP_QUANTILE, v, 3, 0, NULL, 0, &c), -1);
	assert_int_equal(map_classify(a, MAP_QUANTILE, v, 3, MAP_CLASSES_MAX + 1, NULL, 0, &c), -1);
	assert_int_equal(map_classify(a, MAP_EQUAL, v, 3, 1, NULL, 0, &c), 0);
	assert_int_equal(c.nclasses, 1);
	assert_int_equal(c.count[0], 3);
	assert_int_equal(map_method_parse("jenks"), MAP_JENKS);
	assert_int_equal(map_method_parse("natural"), -1);
	assert_int_equal(map_palette_parse("ylgnbu"), MAP_YLGNBU);
}

static double lightness(const char *hex)
{
	unsigned r, g, b;

	assert_int_equal(sscanf(hex, "#%02x%02x%02x", &r, &g, &b), 3);
	return 0.2126 * r + 0.7152 * g + 0.0722 * b; /* relative luminance weights (sRGB) */
}

/* Every palette and size: n distinct colours, each darker than the one before, in greyscale too. */
static void test_palettes(void **state)
{
	int p, n, i;

	(void)state;
	for (p = 0; p < MAP_PALETTE__MAX; p++) {
		assert_null(map_palette_colors(p, 0));
		assert_null(map_palette_colors(p, MAP_CLASSES_MAX + 1));
		for (n = 1; n <= MAP_CLASSES_MAX; n++) {
			const char *const *c = map_palette_colors(p, n);

			assert_non_null(c);
			for (i = 1; i < n; i++)
				if (!(lightness(c[i]) < lightness(c[i - 1]) - 8))
					fail_msg("palette %d, %d classes: class %d not darker", p, n, i);
		}
	}
	assert_string_equal(map_palette_colors(MAP_BLUES, 5)[4], "#08519c");
	assert_string_equal(map_palette_colors(MAP_YLGNBU, 7)[0], "#ffffcc");
}

static void test_numbers(void **state)
{
	char s[64];

	(void)state;
	i18n_set_lang(LANG_PL);
	assert_string_equal(map_fmt_num(s, sizeof(s), 12.5, 1), "12,5");
	assert_string_equal(map_fmt_num(s, sizeof(s), 1234.5, 1), "1234,5");
	assert_string_equal(map_fmt_num(s, sizeof(s), 12345.678, 2), "12\u00a0345,68");
	assert_string_equal(map_fmt_num(s, sizeof(s), -1234567, 0), "-1\u00a0234\u00a0567");
	assert_string_equal(map_fmt_num(s, sizeof(s), -0.01, 1), "0,0");
	assert_string_equal(map_fmt_num(s, sizeof(s), 0, 0), "0");
	i18n_set_lang(LANG_EN);
	assert_string_equal(map_fmt_num(s, sizeof(s), 12345.678, 2), "12,345.68");
	assert_string_equal(map_fmt_num(s, sizeof(s), 1234, 0), "1,234");
	i18n_set_lang(LANG_PL);
	{
		double whole[] = { 1, 2, 30 }, tenths[] = { 1, 2.5 }, fine[] = { 1.25 };

		assert_int_equal(map_decimals(whole, 3), 0);
		assert_int_equal(map_decimals(tenths, 2), 1);
		assert_int_equal(map_decimals(fine, 1), 2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_quantile_ties),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_jenks_published),
		cmocka_unit_test(test_jenks_clusters),
		cmocka_unit_test(test_manual),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_palettes),
		cmocka_unit_test(test_numbers),
	};

	i18n_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
