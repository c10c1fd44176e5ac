/*
 * classify.c — classes of values for choropleth maps (quantiles, equal
 * intervals, Jenks natural breaks, manual breaks), the palettes, and
 * numbers written the Polish way.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "map/map.h"

static const char *const method_codes[MAP_METHOD__MAX] = { "quantile", "equal", "jenks", "manual" };
static const char *const method_labels[MAP_METHOD__MAX] = {
	N_("quantiles"), N_("equal intervals"), N_("natural breaks (Jenks)"), N_("manual breaks") };
static const char *const palette_codes[MAP_PALETTE__MAX] = { "blues", "ylgnbu", "purples" };

int map_method_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < MAP_METHOD__MAX; i++)
		if (strcmp(s, method_codes[i]) == 0)
			return i;
	return -1;
}

const char *map_method_code(enum map_method m)
{
	return (unsigned)m < MAP_METHOD__MAX ? method_codes[m] : "";
}

const char *map_method_label(enum map_method m)
{
	return (unsigned)m < MAP_METHOD__MAX ? _(method_labels[m]) : "";
}

int map_palette_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < MAP_PALETTE__MAX; i++)
		if (strcmp(s, palette_codes[i]) == 0)
			return i;
	return -1;
}

const char *map_palette_code(enum map_palette p)
{
	return (unsigned)p < MAP_PALETTE__MAX ? palette_codes[p] : "";
}

/*
 * ColorBrewer 2.0 sequential schemes (Cynthia Brewer, Penn State; Apache
 * 2.0 licence), 3 to 7 classes, lightest first. Their lightness falls
 * monotonically, so they stay ordered in greyscale and for the common
 * colour-vision deficiencies. One or two classes take the ends of three.
 */
static const char *const blues[5][7] = {
	{ "#deebf7", "#9ecae1", "#3182bd" },
	{ "#eff3ff", "#bdd7e7", "#6baed6", "#2171b5" },
	{ "#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c" },
	{ "#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c" },
	{ "#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594" },
};
static const char *const ylgnbu[5][7] = {
	{ "#edf8b1", "#7fcdbb", "#2c7fb8" },
	{ "#ffffcc", "#a1dab4", "#41b6c4", "#225ea8" },
	{ "#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494" },
	{ "#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494" },
	{ "#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84" },
};
static const char *const purples[5][7] = {
	{ "#efedf5", "#bcbddc", "#756bb1" },
	{ "#f2f0f7", "#cbc9e2", "#9e9ac8", "#6a51a3" },
	{ "#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f" },
	{ "#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f" },
	{ "#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486" },
};

const char *const *map_palette_colors(enum map_palette p, int n)
{
	static const char *const *const schemes[MAP_PALETTE__MAX] = { &blues[0][0], &ylgnbu[0][0],
								       &purples[0][0] };
	static __thread const char *small[2];
	const char *const *three;

	if ((unsigned)p >= MAP_PALETTE__MAX || n < 1 || n > MAP_CLASSES_MAX)
		return NULL;
	if (n >= 3)
		return schemes[p] + (n - 3) * 7;
	three = schemes[p];
	small[0] = n == 1 ? three[1] : three[0];
	small[1] = three[2];
	return small;
}

/* ------------------------------------------------------------------ */
/* Classification                                                      */
/* ------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* quantile7() is R's type 7 quantile p of sorted s[0..n-1]. */
static double quantile7(const double *s, int n, double p)
{
	double h = (n - 1) * p;
	int lo = (int)floor(h);

	if (lo >= n - 1)
		return s[n - 1];
	return s[lo] + (h - lo) * (s[lo + 1] - s[lo]);
}

/*
 * jenks() fills bounds[0..k] with Fisher's optimal classes of sorted
 * s[0..n-1] (n >= k): the partition with the least sum of squared
 * deviations from the class means, by dynamic programming over the lower
 * class limits, as in Jenks' 1977 Fortran (ported by T. MacWright,
 * "literate Jenks", 2013). O(k n^2) time, O(k n) memory.
 */
static int jenks(struct arena *a, const double *s, int n, int k, double *bounds)
{
	size_t cells = (size_t)(n + 1) * (size_t)(k + 1);
	int *lower = arena_zalloc(a, cells * sizeof(*lower));
	double *var = arena_zalloc(a, cells * sizeof(*var));
	int l, m, j, idx;

	if (lower == NULL || var == NULL)
		return -1;
#define AT(r, c) ((size_t)(r) * (size_t)(k + 1) + (size_t)(c))
	for (j = 1; j <= k; j++) {
		lower[AT(1, j)] = 1;
		for (l = 2; l <= n; l++)
			var[AT(l, j)] = INFINITY;
	}
	for (l = 2; l <= n; l++) {
		double sum = 0, sumsq = 0, w = 0, v = 0;

		for (m = 1; m <= l; m++) {
			int lower_idx = l - m + 1;
			double x = s[lower_idx - 1];

			w++;
			sum += x;
			sumsq += x * x;
			v = sumsq - sum * sum / w;
			if (lower_idx > 1)
				for (j = 2; j <= k; j++)
					if (var[AT(l, j)] >= v + var[AT(lower_idx - 1, j - 1)]) {
						lower[AT(l, j)] = lower_idx;
						var[AT(l, j)] = v + var[AT(lower_idx - 1, j - 1)];
					}
		}
		lower[AT(l, 1)] = 1;
		var[AT(l, 1)] = v;
	}
	bounds[0] = s[0];
	bounds[k] = s[n - 1];
	for (idx = n, j = k; j >= 2; j--) {
		int lo = lower[AT(idx, j)];

		bounds[j - 1] = s[lo - 2];
		idx = lo - 1;
	}
#undef AT
	return 0;
}

/*
 * merge() drops upper bounds equal to the one before, classes that could
 * hold nothing. The first class may end at the minimum itself: it then
 * holds exactly the values equal to it (many zeros), which is a class.
 */
static int merge(double *b, int k)
{
	int i, out = 2;

	for (i = 2; i <= k; i++)
		if (b[i] > b[out - 1])
			b[out++] = b[i];
	return out - 1;
}

/* whole() is 1 when every value is a whole number (counts). */
static int whole(const double *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] != floor(v[i]))
			return 0;
	return 1;
}

int map_class_of(const struct map_classes *c, double x)
{
	int i;

	for (i = 0; i < c->nclasses - 1; i++)
		if (x <= c->bounds[i + 1])
			return i;
	return c->nclasses > 0 ? c->nclasses - 1 : 0;
}

int map_classify(struct arena *a, enum map_method method, const double *v, int n, int k,
		 const double *breaks, int nbreaks, struct map_classes *out)
{
	double *s, b[MAP_CLASSES_MAX + 1];
	int i;

	memset(out, 0, sizeof(*out));
	if (method == MAP_MANUAL) {
		if (nbreaks < 1 || nbreaks > MAP_CLASSES_MAX - 1 || breaks == NULL)
			return -1;
		k = nbreaks + 1;
		for (i = 1; i < nbreaks; i++)
			if (!(breaks[i] > breaks[i - 1]))
				return -1;
	}
	if (n < 1 || k < MAP_CLASSES_MIN || k > MAP_CLASSES_MAX || (unsigned)method >= MAP_METHOD__MAX)
		return -1;
	s = arena_alloc(a, (size_t)n * sizeof(*s));
	if (s == NULL)
		return -1;
	memcpy(s, v, (size_t)n * sizeof(*s));
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	switch (method) {
	case MAP_QUANTILE:
		for (i = 0; i <= k; i++)
			b[i] = quantile7(s, n, (double)i / k);
		break;
	case MAP_EQUAL:
		for (i = 0; i <= k; i++)
			b[i] = s[0] + (s[n - 1] - s[0]) * i / k;
		b[k] = s[n - 1]; /* exact, whatever the rounding */
		break;
	case MAP_JENKS:
		if (k > n)
			k = n;
		if (jenks(a, s, n, k, b) != 0)
			return -1;
		break;
	case MAP_MANUAL:
		b[0] = s[0] < breaks[0] ? s[0] : breaks[0];
		for (i = 0; i < nbreaks; i++)
			b[i + 1] = breaks[i];
		b[k] = s[n - 1] > breaks[nbreaks - 1] ? s[n - 1] : breaks[nbreaks - 1];
		if (b[k] == b[k - 1]) /* the last break is the maximum: that class is empty */
			k--;
		break;
	default:
		return -1;
	}
	if (method != MAP_MANUAL && whole(s, n))
		for (i = 1; i < k; i++) /* counts: a bound of 1.8 means "up to 1"; no class without a whole number */
			b[i] = floor(b[i]);
	if (method == MAP_MANUAL) {
		out->nclasses = k;
		memcpy(out->bounds, b, sizeof(double) * (size_t)(k + 1));
	} else {
		out->nclasses = merge(b, k);
		memcpy(out->bounds, b, sizeof(double) * (size_t)(out->nclasses + 1));
	}
	for (i = 0; i < n; i++)
		out->count[map_class_of(out, v[i])]++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Numbers                                                             */
/* ------------------------------------------------------------------ */

char *map_fmt_num(char *out, size_t size, double x, int decimals)
{
	return i18n_fmt_num(out, size, x, decimals);
}

int map_decimals(const double *v, int n)
{
	int i, d = 0;

	for (i = 0; i < n; i++) {
		double x = fabs(v[i]);

		if (x - floor(x) < 1e-9)
			continue;
		if (fabs(x * 10 - floor(x * 10 + 0.5)) < 1e-9)
			d = d < 1 ? 1 : d;
		else
			return 2;
	}
	return d;
}
