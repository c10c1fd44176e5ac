/*
 * map.h — thematic maps of territorial units as SVG (and PNG).
 *
 * One entry point, map_render(), draws the shapes of a struct topo
 * (territory/topo.h: shared arcs, WGS84 lon/lat) as an SVG element: a
 * choropleth when the spec carries a value per shape (classified into at
 * most MAP_CLASSES_MAX classes, filled from a sequential palette, "no
 * data" hatched), the boundaries alone otherwise, and optionally a layer
 * of points (institutions by kind). Title, period, source, a scale bar,
 * the legend with class bounds and counts are drawn on the map itself,
 * so a printed or downloaded map says what it shows.
 *
 * Every unit is one <a href> (its drill-down) around one <path> with a
 * <title> "Name: value", so the map works without JavaScript and a screen
 * reader reads it; the <svg> has role="group" with an aria-label and a
 * <desc> (not role="img", which would hide its links from assistive
 * technology).
 *
 * Projection: equirectangular with the x axis scaled by cos(middle
 * latitude) of the drawn area. At Poland's extent (49–55° N) the scale
 * error across the country is under 6 % and shapes look as on official
 * maps at a glance; it needs no library and is exact to reverse.
 *
 * Coordinates are rounded to 1/10 of a pixel (spec->precision) and written
 * as relative moves, each arc converted once per render so the two sides
 * of a shared border are byte-identical (no gaps after rounding).
 *
 * The module depends only on core/ and territory/topo.h; it reads no
 * database. The values CSV reader for `razem map --values` is here too.
 */
#ifndef RAZEM_MAP_MAP_H
#define RAZEM_MAP_MAP_H

#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "territory/topo.h"

#define MAP_CLASSES_MAX 7
#define MAP_CLASSES_MIN 1

enum map_method { MAP_QUANTILE, MAP_EQUAL, MAP_JENKS, MAP_MANUAL, MAP_METHOD__MAX };

/* Sequential ColorBrewer palettes (docs/MAPS.md lists their values). */
enum map_palette { MAP_BLUES, MAP_YLGNBU, MAP_PURPLES, MAP_PALETTE__MAX };

/* map_method_parse() reads "quantile", "equal", "jenks", "manual"; -1 otherwise. */
int map_method_parse(const char *s);
const char *map_method_code(enum map_method m);
/* map_method_label() is the translated name ("kwantyle", ...). */
const char *map_method_label(enum map_method m);
int map_palette_parse(const char *s);
const char *map_palette_code(enum map_palette p);

/*
 * map_palette_colors() is the palette's n colours ("#rrggbb", lightest
 * first) for n classes, 1 <= n <= MAP_CLASSES_MAX; NULL otherwise.
 */
const char *const *map_palette_colors(enum map_palette p, int n);

/*
 * A classification: nclasses classes, class i holding the values v with
 * bounds[i] < v <= bounds[i+1] (the first class also holds bounds[0]).
 */
struct map_classes {
	int nclasses;
	double bounds[MAP_CLASSES_MAX + 1];
	int count[MAP_CLASSES_MAX];
};

/*
 * map_classify() classifies the n values v (finite numbers, any order)
 * into k classes by method. MAP_MANUAL takes the nbreaks inner breaks in
 * breaks (strictly increasing; k is then nbreaks + 1, at most
 * MAP_CLASSES_MAX); the outer bounds are the data's minimum and maximum
 * (or the breaks, if the data lie inside one). Quantiles follow R's type 7
 * (linear interpolation); Jenks is Fisher's exact optimisation as in
 * Jenks (1977). When every value is a whole number (counts) the inner
 * bounds are rounded down to whole numbers. Bounds that coincide (many
 * equal values) are merged, so a
 * result may have fewer classes than asked. Counts are filled. Returns 0,
 * or -1 for bad arguments (n < 1, k out of 1..MAP_CLASSES_MAX, breaks not
 * increasing, no memory in a).
 */
int map_classify(struct arena *a, enum map_method method, const double *v, int n, int k,
		 const double *breaks, int nbreaks, struct map_classes *out);

/*
 * map_class_label() writes class i of c as the legend shows it: "lo – hi"
 * with decimals, and for whole numbers (decimals 0) the whole numbers the
 * class holds ("0 – 2", "3 – 5"; "–" when it can hold none).
 */
void map_class_label(char *out, size_t n, const struct map_classes *c, int i, int decimals);

/* map_class_of() is the class of x in c (0 .. nclasses-1). */
int map_class_of(const struct map_classes *c, double x);

/*
 * map_fmt_num() writes x with decimals digits after the separator the
 * current UI language uses: Polish "12 345,5" (a no-break space from five
 * digits up, a decimal comma), English "12,345.5". Returns out.
 */
char *map_fmt_num(char *out, size_t size, double x, int decimals);

/* map_decimals() chooses how many decimals show n values: 0 for whole numbers, else 1 or 2. */
int map_decimals(const double *v, int n);

/* A point of the resource layer. */
struct map_point {
	double lon, lat;
	int kind;          /* index into map_spec.kinds */
	const char *label; /* "Name (kind)", shown as its <title> */
	const char *href;  /* a link, or NULL */
	int slot;          /* k-th point placed at the same spot: drawn k steps along a spiral around it */
};

/* A kind of point: a symbol and a colour that differ for colour-blind readers. */
struct map_point_kind {
	const char *label;
	int count;         /* filled by map_render() */
};

struct map_spec {
	const char *title;   /* printed on top and the svg's aria-label */
	const char *period;  /* e.g. "stan na 01.12.2026", or NULL */
	const char *source;  /* e.g. "Źródło: rejestr instytucji razem", or NULL */
	const char *note;    /* further line at the bottom (boundaries' origin), or NULL */
	int width;           /* of the whole drawing in px (0 = 800) */
	int precision;       /* decimals of a pixel in coordinates: 0, 1 (default: 1) or 2 */

	/* the choropleth: NULL values = boundaries alone */
	const double *values;        /* one per shape of the topo, in its order */
	const unsigned char *has;    /* has[i] = 0: no data for shape i */
	enum map_method method;
	int classes;                 /* wanted (0 = 5) */
	const double *breaks;        /* MAP_MANUAL */
	int nbreaks;
	enum map_palette palette;
	int decimals;                /* of values shown; -1 = map_decimals() */
	const char *value_label;     /* what a value is ("Liczba instytucji"), for the legend */

	/* the drill-down link of shape i, or NULL for none */
	const char *(*href)(void *arg, const struct topo_shape *s);
	void *href_arg;

	/* the resource layer */
	const struct map_point *points;
	int npoints;
	struct map_point_kind *kinds;
	int nkinds;

	/* filled by map_render(): the classification drawn (nclasses 0 without values) */
	struct map_classes classes_out;
	int nodata;                  /* shapes without a value */
};

/*
 * map_render() appends the SVG element for spec and t to out (no XML
 * declaration, so it can be inlined in HTML; a file of it alone is valid
 * SVG). Scratch memory comes from a. Returns 0, or -1 (bad spec, t
 * empty, no memory; out may then hold a partial drawing).
 */
int map_render(struct map_spec *spec, const struct topo *t, struct arena *a, struct buf *out);

/*
 * map_png() converts an SVG document to PNG with librsvg (the drawing is
 * the same; PNG text uses the system's sans-serif font). Appends to out.
 * Returns 0, or -1 with a message in err.
 */
int map_png(const char *svg, size_t len, struct buf *out, char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* The values file of `razem map --values`                            */
/* ------------------------------------------------------------------ */

struct map_value {
	const char *code;  /* TERC code as written (2, 4 or 7 digits) */
	double value;
	int has;           /* 0 when the value cell was empty ("no data") */
	int line;
};

#define MAP_VALUES_ERRS_MAX 20

struct map_values {
	struct map_value *v;
	int n;
	int nerrs;                             /* all bad rows, possibly more than kept */
	char errs[MAP_VALUES_ERRS_MAX][160];   /* "line 3: ..." */
};

/*
 * map_values_parse() reads "code;value" lines (UTF-8, a BOM, CRLF and a
 * header line allowed; the separator ';' or a tab, or ',' when the line
 * has one comma and so cannot mean a decimal comma; values with a decimal
 * comma or point, spaces between digit groups; a code in quotes). An empty
 * value is "no data". Bad rows are counted and described in out->errs
 * with their line numbers; good rows are kept. Returns the number of good
 * rows, or -1 when out of memory.
 */
int map_values_parse(struct arena *a, const char *data, size_t len, struct map_values *out);

/* map_parse_number() reads a number as a values file or a --breaks list writes it; 0 or -1. */
int map_parse_number(const char *s, size_t n, double *out);

#endif
