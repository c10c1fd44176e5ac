/*
 * cli_map.c — razem map: the map renderer on the command line, for
 * reports. The boundaries come from the database (razem import
 * boundaries, or razem demo); the values, if any, from a CSV file.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/str.h"
#include "map/layer.h"
#include "map/map.h"

#define VALUES_MAX_BYTES (16u << 20)
#define SVG_MAX (64u << 20)

struct map_args {
	enum topo_level level;
	const char *within;
	const char *values_path;
	char *values;
	size_t values_len;
	int classes;
	enum map_method method;
	double breaks[MAP_CLASSES_MAX];
	int nbreaks;
	enum map_palette palette;
	int png;
	int width;
	enum lang lang; /* of the map's words and numbers: Polish unless --lang en */
};

/* parse_breaks() reads "10,20,50" or, with decimal commas, "1,5;2,5". 0 or -1. */
static int parse_breaks(const char *s, struct map_args *m)
{
	char sep = strchr(s, ';') != NULL ? ';' : ',';
	const char *p = s;

	m->nbreaks = 0;
	for (;;) {
		const char *end = strchr(p, sep);
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);

		if (m->nbreaks == MAP_CLASSES_MAX - 1 || map_parse_number(p, n, &m->breaks[m->nbreaks]) != 0)
			return -1;
		if (m->nbreaks > 0 && !(m->breaks[m->nbreaks] > m->breaks[m->nbreaks - 1]))
			return -1;
		m->nbreaks++;
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

/* code_len() is the length of a unit's TERC code at level. */
static size_t code_len(enum topo_level level)
{
	return level == TOPO_LEVEL_VOIVODESHIP ? 2 : level == TOPO_LEVEL_POWIAT ? 4 : 7;
}

/*
 * apply_values() matches the file's rows to the shapes and reports what
 * did not match. Returns the number of units given a value or "no data".
 */
static int apply_values(struct cli *c, struct arena *a, const struct map_args *m, const struct topo *t,
			double *v, unsigned char *has, int *given)
{
	struct map_values mv;
	struct map_index *ix = map_index_new(a, t, m->level);
	int *line_of = arena_zalloc(a, sizeof(int) * (size_t)t->nshapes);
	int i, matched = 0;

	if (ix == NULL || line_of == NULL || map_values_parse(a, m->values, m->values_len, &mv) < 0)
		return -1;
	for (i = 0; i < mv.nerrs && i < MAP_VALUES_ERRS_MAX; i++)
		fprintf(stderr, "razem %s: %s: %s\n", c->name, m->values_path, mv.errs[i]);
	if (mv.nerrs > MAP_VALUES_ERRS_MAX)
		fprintf(stderr, "razem %s: %s: %d more bad lines\n", c->name, m->values_path,
			mv.nerrs - MAP_VALUES_ERRS_MAX);
	for (i = 0; i < mv.n; i++) {
		const struct map_value *r = &mv.v[i];
		int s = strlen(r->code) == code_len(m->level) ? map_index_find(ix, r->code) : -1;

		if (s >= 0 && strcmp(t->shapes[s].code, r->code) != 0 && m->level != TOPO_LEVEL_GMINA)
			s = -1;
		if (s < 0) {
			fprintf(stderr, "razem %s: %s: line %d: unknown code %s (no %s unit of this map has it)\n",
				c->name, m->values_path, r->line, r->code, map_level_code(m->level));
			continue;
		}
		if (line_of[s] != 0) {
			fprintf(stderr, "razem %s: %s: line %d: code %s already given on line %d; this line is ignored\n",
				c->name, m->values_path, r->line, r->code, line_of[s]);
			continue;
		}
		line_of[s] = r->line;
		v[s] = r->value;
		has[s] = (unsigned char)r->has;
		matched++;
	}
	*given = matched;
	return 0;
}

/* mono_ms() is a monotonic clock in milliseconds with a fraction (for --timing). */
static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int map_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	const struct map_args *m = arg;
	struct topo t;
	struct map_spec spec;
	struct buf svg = BUF_INIT(SVG_MAX), png = BUF_INIT(SVG_MAX);
	double *v = NULL;
	unsigned char *has = NULL;
	char err[256];
	int n, given = 0, rc = 0;
	const struct buf *outb;
	double t0 = mono_ms(), t1, t2;

	n = boundary_load(db, a, m->level, m->within, map_scale_for(m->level, m->within), &t);
	t1 = mono_ms();
	if (n < 0)
		return cli_fail(c, "cannot read the boundaries: %s", db_errmsg(db));
	if (n == 0)
		return cli_fail(c, "no boundaries of %s%s%s in the database: import them with razem import "
				   "boundaries FILE, or create the demo county with razem demo",
				map_level_code(m->level), m->within != NULL ? " within " : "",
				m->within != NULL ? m->within : "");
	memset(&spec, 0, sizeof(spec));
	if (m->values != NULL) {
		v = arena_zalloc(a, sizeof(double) * (size_t)t.nshapes);
		has = arena_zalloc(a, (size_t)t.nshapes);
		if (v == NULL || has == NULL || apply_values(c, a, m, &t, v, has, &given) != 0)
			return cli_fail(c, "out of memory");
		if (given == 0)
			return cli_fail(c, "%s: no value matches a unit of the map", m->values_path);
		spec.values = v;
		spec.has = has;
		spec.source = cli_opt(c, "source") != NULL ? cli_opt(c, "source")
							   : arena_printf(a, "Dane: %s", m->values_path);
	} else
		spec.source = cli_opt(c, "source");
	spec.title = cli_opt(c, "title") != NULL ? cli_opt(c, "title") : map_level_label(m->level);
	spec.period = cli_opt(c, "period");
	spec.note = cli_opt(c, "note");
	spec.value_label = cli_opt(c, "label");
	spec.width = m->width;
	spec.precision = 1;
	spec.method = m->method;
	spec.classes = m->classes;
	spec.breaks = m->breaks;
	spec.nbreaks = m->nbreaks;
	spec.palette = m->palette;
	spec.decimals = -1;
	if (map_render(&spec, &t, a, &svg) != 0) {
		buf_release(&svg);
		return cli_fail(c, "the map could not be drawn (%s)",
				m->method == MAP_MANUAL ? "check --breaks" : "out of memory");
	}
	t2 = mono_ms();
	if (cli_flag(c, "timing"))
		fprintf(stderr, "razem %s: %d units: boundaries read in %.2f ms, map drawn in %.2f ms, %zu bytes of SVG\n",
			c->name, t.nshapes, t1 - t0, t2 - t1, svg.len);
	outb = &svg;
	if (m->png) {
		if (map_png(svg.data, svg.len, &png, err, sizeof(err)) != 0)
			rc = cli_fail(c, "no PNG: %s", err);
		outb = &png;
	}
	if (rc == 0 && (fwrite(outb->data, 1, outb->len, stdout) != outb->len || fflush(stdout) != 0))
		rc = cli_fail(c, "cannot write the map: %s", strerror(errno));
	buf_release(&svg);
	buf_release(&png);
	return rc;
}

static int read_args(struct cli *c, struct map_args *m)
{
	const char *level = cli_opt(c, "level"), *method = cli_opt(c, "method"), *breaks = cli_opt(c, "breaks");
	const char *classes = cli_opt(c, "classes"), *palette = cli_opt(c, "palette"), *width = cli_opt(c, "width");
	int64_t k = 5, w = 800;
	int lv;

	memset(m, 0, sizeof(*m));
	if (level == NULL)
		return cli_usage(c, "give --level voivodeship, powiat or gmina");
	lv = map_level_parse(level);
	if (lv < 0)
		return cli_usage(c, "unknown level '%s' (voivodeship, powiat or gmina)", level);
	m->level = (enum topo_level)lv;
	m->within = cli_opt(c, "within");
	if (m->within != NULL && m->within[0] == '\0')
		m->within = NULL;
	if (!map_within_ok(m->level, m->within))
		return cli_usage(c, "--within %s cannot hold %s units (a voivodeship has 2 digits, a powiat 4)",
				 m->within != NULL ? m->within : "", level);
	if (classes != NULL && str_to_int64(classes, MAP_CLASSES_MIN, MAP_CLASSES_MAX, &k) != 0)
		return cli_usage(c, "--classes takes a number from %d to %d", MAP_CLASSES_MIN, MAP_CLASSES_MAX);
	m->classes = (int)k;
	m->method = MAP_QUANTILE;
	if (method != NULL && (int)(m->method = (enum map_method)map_method_parse(method)) < 0)
		return cli_usage(c, "unknown method '%s' (quantile, equal, jenks or manual)", method);
	if (m->method == MAP_MANUAL && breaks == NULL)
		return cli_usage(c, "--method manual needs --breaks a,b,...");
	if (breaks != NULL && m->method != MAP_MANUAL)
		return cli_usage(c, "--breaks goes with --method manual");
	if (breaks != NULL && parse_breaks(breaks, m) != 0)
		return cli_usage(c, "--breaks takes 1 to %d increasing numbers: 10,20,50 (or 1,5;2,5 with decimal "
				    "commas)",
				 MAP_CLASSES_MAX - 1);
	if (palette != NULL && (int)(m->palette = (enum map_palette)map_palette_parse(palette)) < 0)
		return cli_usage(c, "unknown palette '%s' (blues, ylgnbu or purples)", palette);
	if (width != NULL && str_to_int64(width, 300, 3000, &w) != 0)
		return cli_usage(c, "--width takes a number of pixels from 300 to 3000");
	m->width = (int)w;
	if (cli_opt(c, "lang") != NULL) {
		int lang = i18n_parse(cli_opt(c, "lang"));

		if (lang < 0)
			return cli_usage(c, "--lang is pl or en");
		m->lang = (enum lang)lang;
	}
	m->png = cli_flag(c, "png");
	m->values_path = cli_opt(c, "values");
	if ((classes != NULL || method != NULL) && m->values_path == NULL)
		return cli_usage(c, "--classes and --method classify values: give --values FILE.csv");
	return 0;
}

static int cmd_map(struct cli *c)
{
	struct map_args m;
	int rc = cli_no_args(c);

	if (rc != 0 || (rc = read_args(c, &m)) != 0)
		return rc;
	if (m.values_path != NULL) {
		m.values = cli_read_file(m.values_path, VALUES_MAX_BYTES, &m.values_len);
		if (m.values == NULL)
			return cli_fail(c, "cannot read %s: %s", m.values_path, strerror(errno));
	}
	i18n_set_lang(m.lang); /* a map is a document for a report: Polish by default, unlike the messages */
	rc = cli_with_db(c, &m, map_in_db);
	i18n_set_lang(LANG_EN);
	free(m.values);
	return rc;
}

const struct cli_command cli_map_commands[] = {
	{ "map", NULL,
	  "--level voivodeship|powiat|gmina [--within CODE] [--values FILE.csv] [--classes N]\n"
	  "                   [--method quantile|equal|jenks|manual --breaks a,b,...] [--palette blues|ylgnbu|purples]\n"
	  "                   [--title T] [--period P] [--source S] [--note N] [--label L] [--width PX] [--lang pl|en]\n"
	  "                   [--png] [--timing] > out",
	  "draw a map of territorial units as SVG (or PNG)\n"
	  "Draws the units of a level, of the whole country or --within a voivodeship (2 digits) or a\n"
	  "powiat (4 digits), from the boundaries in the database (razem import boundaries, or razem\n"
	  "demo). Without --values the boundaries alone; with --values a choropleth: the file has\n"
	  "lines code;value (a header line is allowed; a decimal comma or point; ',' as the separator\n"
	  "when the line has no other comma; an empty value is \"no data\", drawn hatched). Bad lines\n"
	  "and codes that are not units of the map are reported with their line numbers and left\n"
	  "out. Classes: 5 quantiles unless --classes (1-7) and --method say otherwise; manual breaks\n"
	  "are the inner bounds (--breaks 10,20,50, or 1,5;2,5 with decimal commas). The map goes to\n"
	  "standard output: SVG, or PNG with --png; its words and numbers are Polish unless --lang en.\n"
	  "--timing says on standard error how long reading the boundaries and drawing took.\n",
	  "level within values classes method breaks palette title period source note label width lang png! timing!",
	  CLI_DB,
	  cmd_map },
	{ NULL },
};
